//! Keeping the API key and URL passwords out of errors, logs and `Debug`.
//!
//! A server, proxy or gateway can echo what it received (a 403 that quotes
//! the key, an HTML error page that repeats the request headers). Everything
//! the client shows from a response goes through [`Redactor::redact`] first.

use std::borrow::Cow;

use memchr::memmem::Finder;

use super::error::truncate;

/// What replaces a secret.
pub(crate) const MASK: &str = "***";

/// Keys shorter than this are not searched for in bodies: replacing every
/// occurrence of a two-letter test key would mangle messages and hide
/// nothing. Real API keys are far longer.
pub(crate) const MIN_REDACTED_KEY_LEN: usize = 8;

/// Replaces the configured API key wherever it appears.
#[derive(Clone)]
pub(crate) struct Redactor {
    key: Option<Finder<'static>>,
}

impl Redactor {
    /// A redactor for `key`; keys shorter than [`MIN_REDACTED_KEY_LEN`] are
    /// not searched for.
    pub(crate) fn new(key: Option<&str>) -> Self {
        let key = key
            .filter(|key| key.len() >= MIN_REDACTED_KEY_LEN)
            .map(|key| Finder::new(key.as_bytes()).into_owned());
        Redactor { key }
    }

    /// `bytes` with every occurrence of the key replaced by [`MASK`].
    pub(crate) fn redact<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        let Some(finder) = &self.key else {
            return Cow::Borrowed(bytes);
        };
        let mut hits = finder.find_iter(bytes).peekable();
        if hits.peek().is_none() {
            return Cow::Borrowed(bytes);
        }
        let key_len = finder.needle().len();
        let mut out = Vec::with_capacity(bytes.len());
        let mut from = 0;
        for start in hits {
            // Overlapping matches (a key like "aaaaaaaa" in "aaaaaaaaa") were
            // already covered by the previous mask.
            if start < from {
                continue;
            }
            out.extend_from_slice(&bytes[from..start]);
            out.extend_from_slice(MASK.as_bytes());
            from = start + key_len;
        }
        out.extend_from_slice(&bytes[from..]);
        Cow::Owned(out)
    }

    /// `text` with every occurrence of the key replaced by [`MASK`].
    pub(crate) fn redact_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Replacing a valid UTF-8 needle in valid UTF-8 with ASCII keeps
            // it valid; the lossy conversion never actually replaces.
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }
}

/// `url` with any user name and password replaced by [`MASK`]
/// (`https://user:pass@proxy/x` becomes `https://***@proxy/x`).
///
/// Works on text, so it also covers URLs that do not parse.
pub(crate) fn redact_url(url: &str) -> Cow<'_, str> {
    let Some(scheme_end) = url.find("://") else {
        return Cow::Borrowed(url);
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    match authority.rfind('@') {
        Some(at) => Cow::Owned(format!(
            "{}{MASK}{}",
            &url[..authority_start],
            &url[authority_start + at..]
        )),
        None => Cow::Borrowed(url),
    }
}

/// The longest prefix of `text` with at most `max` bytes that ends on a
/// character boundary, with `…` appended when something was cut.
pub(crate) fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!(
        "{}… ({} bytes in all)",
        truncate(text, max),
        text.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_every_occurrence_of_the_key() {
        let redactor = Redactor::new(Some("sk-live-12345678"));
        let body = br#"{"message":"key sk-live-12345678 is not allowed (sk-live-12345678)"}"#;
        assert_eq!(
            &*redactor.redact(body),
            br#"{"message":"key *** is not allowed (***)"}"#
        );
        assert!(matches!(redactor.redact(b"nothing here"), Cow::Borrowed(_)));
        assert_eq!(redactor.redact_str("é sk-live-12345678 é"), "é *** é");
    }

    #[test]
    fn overlapping_matches_are_masked_once() {
        let redactor = Redactor::new(Some("aaaaaaaa"));
        assert_eq!(&*redactor.redact(b"xaaaaaaaaax"), b"x***ax");
    }

    #[test]
    fn short_or_missing_keys_change_nothing() {
        assert_eq!(&*Redactor::new(Some("k")).redact(b"kkk"), b"kkk");
        assert_eq!(&*Redactor::new(None).redact(b"abc"), b"abc");
    }

    #[test]
    fn url_userinfo_is_masked() {
        assert_eq!(
            redact_url("https://user:pa%40ss@proxy.example:8443/api?x#y"),
            "https://***@proxy.example:8443/api?x#y"
        );
        assert_eq!(redact_url("http://u@h"), "http://***@h");
        assert_eq!(
            redact_url("https://proxy.example/a@b"),
            "https://proxy.example/a@b"
        );
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(redact_url("https://a:b@c:d@host/x"), "https://***@host/x");
    }

    #[test]
    fn shorten_keeps_short_text_and_says_how_long_long_text_was() {
        assert_eq!(shorten("abc", 10), "abc");
        assert_eq!(shorten("abcdef", 3), "abc… (6 bytes in all)");
        assert_eq!(shorten("aé", 2), "a… (3 bytes in all)");
    }
}
