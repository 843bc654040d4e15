//! Header validation and the rules for keeping secrets out of sight.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::Auth;
use super::error::Error;

/// Whether a header may carry a credential and must never be shown.
pub(crate) fn is_sensitive_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if matches!(crate::generated::AUTH, Auth::Header { name: auth } if name.eq_ignore_ascii_case(auth))
    {
        return true;
    }
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "www-authenticate"
    ) || ["key", "token", "secret", "password", "session", "signature"]
        .iter()
        .any(|word| name.contains(word))
}

/// `headers` without the ones [`is_sensitive_header`] flags.
pub(crate) fn without_secrets(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if !is_sensitive_header(name.as_str()) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// Parses a header name and value; `context` says where they came from in
/// the error. Values of sensitive headers are marked sensitive and left out
/// of the error.
pub(crate) fn parse_header(
    name: &str,
    value: &str,
    context: &str,
) -> Result<(HeaderName, HeaderValue), Error> {
    let parsed_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::invalid_input(format!("{context}: `{name}` is not a valid header name"))
    })?;
    let sensitive = is_sensitive_header(name);
    let mut parsed_value = HeaderValue::from_str(value).map_err(|_| {
        let shown = if sensitive { "***" } else { value };
        Error::invalid_input(format!(
            "{context}: the value `{shown}` of header `{name}` contains characters not allowed in a header"
        ))
    })?;
    parsed_value.set_sensitive(sensitive);
    Ok((parsed_name, parsed_value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_credentials() {
        for name in [
            "x-api-key",
            "X-API-KEY",
            "Authorization",
            "set-cookie",
            "x-auth-token",
        ] {
            assert!(is_sensitive_header(name), "{name}");
        }
        for name in ["content-type", "x-request-id", "retry-after"] {
            assert!(!is_sensitive_header(name), "{name}");
        }
    }

    #[test]
    fn strips_credentials() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", HeaderValue::from_static("session=abc"));
        headers.insert("x-request-id", HeaderValue::from_static("r-1"));
        let kept = without_secrets(&headers);
        assert_eq!(kept.len(), 1);
        assert!(kept.contains_key("x-request-id"));
    }

    #[test]
    fn invalid_secret_value_is_not_echoed() {
        let err = parse_header("x-api-key", "secret\nvalue", "default header").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("x-api-key"), "{text}");
        assert!(parse_header("bad name", "v", "option").is_err());
    }
}
