//! The `pattern` of a string schema, for untagged unions whose string
//! variants are told apart by it (an IPv4 or an IPv6 network, say).
//!
//! Patterns are ECMAScript regular expressions (what OpenAPI and JSON Schema
//! specify), checked with `regress`, which implements that dialect, and
//! compiled once on first use. A pattern is unanchored unless it says `^`
//! or `$`, as the standard says.

use std::sync::OnceLock;

/// A string schema's `pattern`, compiled on first use.
#[doc(hidden)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    /// The pattern `source`, not yet compiled.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `value` is a string the pattern matches. A pattern that does
    /// not compile matches every string: the value is then read as the
    /// variant's type would read it, never refused for the pattern's sake.
    pub fn matches(&self, value: &serde_json::Value) -> bool {
        let Some(text) = value.as_str() else {
            return false;
        };
        match self
            .compiled
            .get_or_init(|| regress::Regex::new(self.source).ok())
        {
            Some(regex) => regex.find(text).is_some(),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static V4: Pattern = Pattern::new(r"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$");

    #[test]
    fn strings_that_match_and_those_that_do_not() {
        assert!(V4.matches(&json!("10.0.0.0/8")));
        assert!(!V4.matches(&json!("fd00::/8")));
        assert!(!V4.matches(&json!(10)));
        // Unanchored, as JSON Schema says: a match anywhere counts.
        assert!(Pattern::new("ab").matches(&json!("xaby")));
        // ECMAScript syntax: `\d`, lookahead.
        assert!(Pattern::new(r"^(?=.*\d)\w+$").matches(&json!("a1")));
    }

    #[test]
    fn a_pattern_that_does_not_compile_refuses_nothing() {
        assert!(Pattern::new("(unclosed").matches(&json!("anything")));
    }
}
