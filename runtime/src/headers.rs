//! Header validation and the rules for keeping secrets out of sight.

use std::borrow::Cow;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::Auth;
use super::error::Error;
use super::input::quote_input;
use super::redact::{MASK, Redactor};

/// Whether a header may carry a credential and must never be shown.
pub(crate) fn is_sensitive_header(scheme: Auth, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if matches!(scheme, Auth::Header { name: auth } if name.eq_ignore_ascii_case(auth)) {
        return true;
    }
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "www-authenticate"
    ) || ["key", "token", "secret", "password", "session", "signature"]
        .iter()
        .any(|word| name.contains(word))
}

/// Response headers fit to show: without the ones [`is_sensitive_header`]
/// flags, and with the API key masked in the rest.
pub(crate) fn shown_headers(scheme: Auth, headers: &HeaderMap, redactor: &Redactor) -> HeaderMap {
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if is_sensitive_header(scheme, name.as_str()) {
            continue;
        }
        let value = match redactor.redact(value.as_bytes()) {
            Cow::Borrowed(_) => value.clone(),
            Cow::Owned(masked) => {
                HeaderValue::from_bytes(&masked).unwrap_or(HeaderValue::from_static(MASK))
            }
        };
        kept.append(name.clone(), value);
    }
    kept
}

/// Parses a header name and value; `context` says where they came from in
/// the error. Values of sensitive headers are marked sensitive and left out
/// of the error.
pub(crate) fn parse_header<B>(
    scheme: Auth,
    name: &str,
    value: &str,
    context: &str,
) -> Result<(HeaderName, HeaderValue), Error<B>> {
    let shown_name = quote_input(name);
    let parsed_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::invalid_input(format!(
            "{context}: `{shown_name}` is not a valid header name"
        ))
    })?;
    let sensitive = is_sensitive_header(scheme, name);
    let mut parsed_value = HeaderValue::from_str(value).map_err(|_| {
        let shown = if sensitive {
            "***".into()
        } else {
            quote_input(value)
        };
        Error::invalid_input(format!(
            "{context}: the value `{shown}` of header `{shown_name}` contains characters not allowed in a header"
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
            assert!(
                is_sensitive_header(Auth::Header { name: "x-api-key" }, name),
                "{name}"
            );
        }
        for name in ["content-type", "x-request-id", "retry-after"] {
            assert!(
                !is_sensitive_header(Auth::Header { name: "x-api-key" }, name),
                "{name}"
            );
        }
    }

    #[test]
    fn strips_credentials() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", HeaderValue::from_static("session=abc"));
        headers.insert("x-request-id", HeaderValue::from_static("r-1"));
        headers.insert("x-echo", HeaderValue::from_static("got key sk-12345678!"));
        let kept = shown_headers(Auth::None, &headers, &Redactor::new(Some("sk-12345678")));
        assert_eq!(kept.len(), 2);
        assert!(kept.contains_key("x-request-id"));
        assert_eq!(kept["x-echo"], "got key ***!");
    }

    #[test]
    fn invalid_secret_value_is_not_echoed() {
        let err = parse_header::<()>(Auth::None, "x-api-key", "secret\nvalue", "default header")
            .unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("x-api-key"), "{text}");
        assert!(parse_header::<()>(Auth::None, "bad name", "v", "option").is_err());
    }
}
