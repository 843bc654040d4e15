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
/// for a body that fails, [`failure_path`] finds the field from the error's
/// position in the bytes.
pub(crate) fn decode_json<T: DeserializeOwned, B>(
    body: &[u8],
    status: StatusCode,
    operation: &'static str,
) -> Result<T, Error<B>> {
    let input: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    match serde_json::from_slice(input) {
        Ok(value) => Ok(value),
        Err(error) => Err(locate(input, body, status, operation, error)),
    }
}

/// The [`Error::Decode`] for a body that failed to decode.
#[cold]
fn locate<B>(
    input: &[u8],
    body: &[u8],
    status: StatusCode,
    operation: &'static str,
    source: serde_json::Error,
) -> Error<B> {
    Error::Decode {
        operation,
        status,
        path: failure_path(input, &source),
        body_snippet: snippet(body),
        error: source,
        unconfirmed: None,
    }
}

/// The field path (`.` for the top) of the value where decoding `input`
/// failed with `error`: found from the error's position in the raw bytes,
/// plus any path a union put in the message. Not generic, so nothing is
/// decoded twice and no path tracking is compiled per type.
#[cold]
pub fn failure_path(input: &[u8], error: &serde_json::Error) -> String {
    let at = super::json_path::path_at(input, error.line(), error.column());
    super::error_path::extend(at, &error.to_string())
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
        decode_json::<(), ()>(b"", StatusCode::NO_CONTENT, "op").unwrap();
        assert_eq!(
            decode_json::<Option<u8>, ()>(b" \n", StatusCode::OK, "op").unwrap(),
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
        let err = decode_json::<List, ()>(body, StatusCode::OK, "listThings").unwrap_err();
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
        let err = decode_json::<u8, ()>(b"1 2", StatusCode::OK, "op").unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        let long = "é".repeat(1000);
        let body = format!("\"{long}\"");
        let err = decode_json::<u8, ()>(body.as_bytes(), StatusCode::OK, "op").unwrap_err();
        let Error::Decode { body_snippet, .. } = err else {
            panic!("expected Decode");
        };
        assert!(body_snippet.len() <= SNIPPET_BYTES);
        assert!(body_snippet.len() > SNIPPET_BYTES - 4);
    }
}
