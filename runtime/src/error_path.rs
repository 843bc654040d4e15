//! Where inside a union a value failed to decode: the one home of that format.
//!
//! A failed response's path comes from serde_json's error position (see
//! `json_path`). That position cannot see inside a value a union buffered and
//! decoded again from its own JSON text (`de::reread`): an untagged union's
//! candidates, or a tagged union whose tag was not first. So the union puts
//! the path inside such a value into its error message, written by
//! `located_in` as ``at `a.b[2]`: message`` (once per nested union), and
//! `extend`, called when a response fails to decode, reads it back and appends
//! it to the position's path. For an untagged union, [`no_variant`] keeps the
//! failure of the closest variant only, so the path never chains fields of two
//! different variants.

use serde_json::Error as JsonError;

/// What comes before the inner path.
const OPEN: &str = "at `";
/// What comes after it, before the message.
const CLOSE: &str = "`: ";

/// A failure decoding `json`, a buffered value's text, as ``at `path`: message``
/// (the path inside the value), or the message alone when the value failed at
/// its top. serde_json's position in `json` is left out: it means nothing in
/// the response.
pub(crate) fn located_in(json: &[u8], error: &JsonError) -> String {
    let path = super::json_path::path_at(json, error.line(), error.column());
    let mut message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    if error.line() != 0 && message.ends_with(&position) {
        message.truncate(message.len() - position.len());
    }
    if path == "." {
        message
    } else {
        format!("{OPEN}{path}{CLOSE}{message}")
    }
}

/// The failure of an untagged union whose candidates all failed: `what`, then the
/// failure (as written by `located_in`) of the candidate that got furthest into the value.
/// The first candidate wins a tie: candidates come most specific first.
#[allow(
    dead_code,
    reason = "called by generated untagged unions; a spec may have none"
)]
pub fn no_variant(what: &str, failures: &[String]) -> String {
    let mut closest: Option<(&String, usize)> = None;
    for failure in failures {
        let depth = depth(&extend(String::new(), failure));
        if closest.is_none_or(|(_, best)| depth > best) {
            closest = Some((failure, depth));
        }
    }
    match closest {
        Some((failure, _)) => format!("{what} (closest: {failure})"),
        None => format!("{what}: it lacks the required properties of every variant"),
    }
}

/// Appends the paths that unions reported inside `message` to the `outer` path
/// (`.` or empty for the top of the document).
pub(crate) fn extend(outer: String, message: &str) -> String {
    let mut path = outer;
    let mut rest = message;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        let inner = &after[..end];
        if inner.is_empty() || inner == "." {
            break;
        }
        path = if path == "." || path.is_empty() {
            inner.to_owned()
        } else if inner.starts_with('[') {
            format!("{path}{inner}")
        } else {
            format!("{path}.{inner}")
        };
        rest = &after[end + CLOSE.len()..];
    }
    path
}

/// How many fields and indexes deep a path such as `a.b[2].c` goes.
fn depth(path: &str) -> usize {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|s| usize::from(!s.starts_with('[')) + s.matches('[').count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        value: serde_json::Value,
    ) -> String {
        crate::de::reread::<T>(&value).unwrap_err()
    }

    #[test]
    fn what_located_writes_extend_reads() {
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            x: u8,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Outer {
            #[allow(dead_code)]
            items: Vec<Inner>,
        }
        let message = failure::<Outer>(serde_json::json!({"items": [{"x": 1}, {"x": "no"}]}));
        assert!(message.starts_with("at `items[1].x`: "), "{message}");
        assert_eq!(extend("data".into(), &message), "data.items[1].x");
        assert_eq!(extend(".".into(), &message), "items[1].x");
        let top = failure::<Inner>(serde_json::json!(3));
        assert_eq!(extend("a".into(), &top), "a");
    }

    #[test]
    fn nested_union_paths_extend_the_outer_path() {
        let message = "invalid PaymentDetails::Card (`method` is \"CARD\"): at `cardFingerprint`: invalid type";
        assert_eq!(
            extend("originPaymentDetails".into(), message),
            "originPaymentDetails.cardFingerprint"
        );
        let nested = "not a Person: at `items[2].x`: invalid: at `y`: bad";
        assert_eq!(extend("a".into(), nested), "a.items[2].x.y");
        assert_eq!(extend(".".into(), "missing field `id`"), ".");
    }

    #[test]
    fn an_untagged_failure_keeps_the_closest_variant_only() {
        let failures = [
            String::from("not a Person: at `generalDetails.name.firstName`: invalid type"),
            String::from("not a LegalEntity: at `companyGeneralDetails.legalName`: invalid type"),
        ];
        let message = no_variant("PersonOrLegalEntity: no variant", &failures);
        assert!(message.contains("not a Person"), "{message}");
        assert!(!message.contains("companyGeneralDetails"), "{message}");
        assert_eq!(
            extend("directors[0]".into(), &message),
            "directors[0].generalDetails.name.firstName"
        );
        let tie = [
            String::from("not a A: at `x`: e"),
            String::from("not a B: at `y`: e"),
        ];
        assert!(no_variant("U", &tie).contains("not a A"));
        assert!(no_variant("U", &[]).contains("lacks the required properties"));
    }

    #[test]
    fn depth_counts_fields_and_indexes() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("a"), 1);
        assert_eq!(depth("a.b[2].c"), 4);
        assert_eq!(depth("[0][1]"), 2);
    }
}
