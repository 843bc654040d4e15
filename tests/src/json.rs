//! Comparing JSON the way a typed round trip needs: `100` equals `100.0`.

use serde::Serialize;
use serde_json::Value;

/// Differences between two JSON values, one line each, with numbers compared
/// numerically (`100` equals `100.0`). Empty when they are equal.
pub fn json_diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("$", expected, actual, &mut out);
    out
}

fn diff_at(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            if a.as_f64() != b.as_f64() {
                out.push(format!("{path}: expected {a}, got {b}"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = format!("{path}.{key}");
                match b.get(key) {
                    Some(other) => diff_at(&at, value, other, out),
                    None => out.push(format!("{at}: missing (expected {value})")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(format!("{path}.{key}: unexpected {value}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: expected {} elements, got {}",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_at(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: expected {a}, got {b}")),
    }
}

/// Panics with every difference unless `actual` equals `expected` (numbers
/// compared numerically).
#[track_caller]
pub fn assert_json_eq(context: &str, expected: &Value, actual: &Value) {
    let diff = json_diff(expected, actual);
    assert!(
        diff.is_empty(),
        "{context}: JSON differs:\n  {}",
        diff.join("\n  ")
    );
}

/// Serializes a typed value back to JSON.
pub fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("typed value serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_comparison_notices_a_lost_element_but_not_a_float() {
        let expected = json!({"a": 1, "b": {"c": [1, 2]}});
        assert!(!json_diff(&expected, &json!({"a": 1.0, "b": {"c": [1]}})).is_empty());
        assert!(json_diff(&expected, &json!({"a": 1.0, "b": {"c": [1, 2.0]}})).is_empty());
    }
}
