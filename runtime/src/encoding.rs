//! Decoding 2xx bodies: into a value, or into a [`DecodeFailure`] that
//! says where. The [`Error::Decode`](super::error::Error::Decode) a caller
//! sees is built from it once, by the transport layer, which alone knows the
//! operation, the status, the secrets to mask and whether the request may
//! have been processed.

use super::error::truncate;

/// Longest body snippet kept in [`Error::Decode`](super::error::Error::Decode).
pub(crate) const SNIPPET_BYTES: usize = 512;

/// Why a 2xx body could not be read: the field path (`.` for the top) and
/// the decoder's error.
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    pub path: String,
    pub error: serde_json::Error,
}

/// Deserializes a response body, naming the failing field on error. An empty
/// body is read as `null`, so `T = ()` and `Option<_>` accept it.
///
/// The happy path is plain `serde_json::from_slice`, with no path tracking;
/// for a body that fails, [`failure_path`] finds the field from the error's
/// position in the bytes.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let input: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(input).map_err(|error| located(input, error))
}

/// The failure of `input`, located.
#[cold]
fn located(input: &[u8], error: serde_json::Error) -> DecodeFailure {
    DecodeFailure {
        path: failure_path(input, &error),
        error,
    }
}

/// Reads a 2xx body as UTF-8 text.
pub(crate) fn decode_text(body: &[u8]) -> Result<String, DecodeFailure> {
    String::from_utf8(body.to_vec()).map_err(|err| DecodeFailure {
        path: String::from("."),
        error: <serde_json::Error as serde::de::Error>::custom(format!(
            "the body is not UTF-8 text: {err}"
        )),
    })
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
        decode_json::<()>(b"").unwrap();
        assert_eq!(decode_json::<Option<u8>>(b" \n").unwrap(), None);
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
    fn a_failure_names_the_field_path() {
        let body = br#"{"items":[{"amount":1.5},{"amount":"lots"}]}"#;
        let failure = decode_json::<List>(body).unwrap_err();
        assert_eq!(failure.path, "items[1].amount");
        let failure = decode_json::<u8>(b"1 2").unwrap_err();
        assert_eq!(failure.path, ".");
    }

    #[test]
    fn text_that_is_not_utf8_is_a_failure_at_the_top() {
        assert_eq!(decode_text(b"caf\xc3\xa9").unwrap(), "café");
        let failure = decode_text(b"\xff").unwrap_err();
        assert_eq!(failure.path, ".");
        assert!(
            failure.error.to_string().contains("not UTF-8"),
            "{failure:?}"
        );
    }

    #[test]
    fn snippets_are_cut_on_a_character_boundary() {
        let body = format!("\"{}\"", "é".repeat(1000));
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= SNIPPET_BYTES);
        assert!(cut.len() > SNIPPET_BYTES - 4);
    }
}
