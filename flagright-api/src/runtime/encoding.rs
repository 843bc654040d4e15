//! Decoding JSON responses.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{Error, truncate};

/// Longest body snippet kept in [`Error::Decode`].
pub(crate) const SNIPPET_BYTES: usize = 512;

/// Deserializes a response body, naming the failing field on error. An empty
/// body is read as `null`, so `T = ()` and `Option<_>` accept it.
///
/// The happy path is plain `serde_json::from_slice`, with no path tracking;
/// only a body that fails is decoded a second time, tracking the path, to
/// say which field failed.
pub(crate) fn decode_json<T: DeserializeOwned>(
    body: &[u8],
    status: StatusCode,
    operation: &'static str,
) -> Result<T, Error> {
    let input: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    match serde_json::from_slice(input) {
        Ok(value) => Ok(value),
        Err(first) => Err(locate::<T>(input, body, status, operation, first)),
    }
}

/// The [`Error::Decode`] for a body that failed to decode as `T`.
#[cold]
fn locate<T: DeserializeOwned>(
    input: &[u8],
    body: &[u8],
    status: StatusCode,
    operation: &'static str,
    first: serde_json::Error,
) -> Error {
    let (path, source) = failure_path::<T>(input).unwrap_or_else(|| (".".to_owned(), first));
    Error::Decode {
        operation,
        status,
        path,
        body_snippet: snippet(body),
        source,
        unconfirmed: None,
    }
}

/// Where `input` fails to decode as `T`: the field path (`.` for the top)
/// and the error, or `None` when it decodes (the first failure was then
/// after the value, such as trailing characters). Decodes a second time,
/// tracking the path, so call it only once the plain decode failed.
#[cold]
pub(crate) fn failure_path<T: DeserializeOwned>(
    input: &[u8],
) -> Option<(String, serde_json::Error)> {
    let mut deserializer = serde_json::Deserializer::from_slice(input);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(err) => {
            let message = err.inner().to_string();
            let path = super::error_path::extend(err.path().to_string(), &message);
            Some((path, err.into_inner()))
        }
        Ok(_) => None,
    }
}

/// The start of `body` as text, at most [`SNIPPET_BYTES`] long.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    truncate(&text, SNIPPET_BYTES).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_decodes_as_null() {
        decode_json::<()>(b"", StatusCode::NO_CONTENT, "op").unwrap();
        assert_eq!(
            decode_json::<Option<u8>>(b" \n", StatusCode::OK, "op").unwrap(),
            None
        );
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        amount: f64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct List {
        items: Vec<Item>,
    }

    #[test]
    fn decode_error_names_the_field_path() {
        let body = br#"{"items":[{"amount":1.5},{"amount":"lots"}]}"#;
        let err = decode_json::<List>(body, StatusCode::OK, "listThings").unwrap_err();
        match &err {
            Error::Decode {
                path,
                body_snippet,
                status,
                ..
            } => {
                assert_eq!(path, "items[1].amount");
                assert!(body_snippet.starts_with("{\"items\""));
                assert_eq!(*status, StatusCode::OK);
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.contains("items[1].amount") && text.contains("listThings"),
            "{text}"
        );
    }

    #[test]
    fn trailing_garbage_and_long_bodies() {
        let err = decode_json::<u8>(b"1 2", StatusCode::OK, "op").unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        let long = "é".repeat(1000);
        let body = format!("\"{long}\"");
        let err = decode_json::<u8>(body.as_bytes(), StatusCode::OK, "op").unwrap_err();
        let Error::Decode { body_snippet, .. } = err else {
            panic!("expected Decode");
        };
        assert!(body_snippet.len() <= SNIPPET_BYTES);
        assert!(body_snippet.len() > SNIPPET_BYTES - 4);
    }
}
