//! Reading the validation errors out of an error body, whatever its shape.
//!
//! The runtime knows the documented error body only as a type it can
//! deserialize (the `ErrorBody` of [`Api`](crate::Api)), so it reads validation
//! errors from the JSON itself: that covers the documented shape (the reference API's
//! `validationErrors` is one string, entries separated by `; `) and the
//! shapes servers and gateways send instead.

use serde_json::Value;

/// Keys of a JSON error body that hold validation errors, tried in order.
const KEYS: &[&str] = &["validationErrors", "errors"];

/// Keys naming the field an entry is about, tried in order.
const FIELD_KEYS: &[&str] = &[
    "field",
    "path",
    "instancePath",
    "property",
    "param",
    "loc",
    "dataPath",
    "name",
];

/// Keys holding what is wrong with the field, tried in order.
const MESSAGE_KEYS: &[&str] = &["message", "msg", "error", "detail", "reason", "description"];

/// The validation errors of the JSON error body `body`, one entry each,
/// as `field: message` where the body says which field.
pub(crate) fn validation_errors(body: &Value) -> Vec<String> {
    let Some(errors) = KEYS.iter().find_map(|key| body.get(key)) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    match errors {
        Value::String(text) => entries.extend(split(text)),
        Value::Array(items) => entries.extend(items.iter().filter_map(entry)),
        Value::Object(fields) => {
            for (field, problem) in fields {
                if let Some(problem) = entry(problem) {
                    entries.push(format!("{field}: {problem}"));
                }
            }
        }
        Value::Null => {}
        other => entries.push(other.to_string()),
    }
    entries
}

/// The entries of a validation-error string: `a: x; b: y` or one per line.
fn split(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(['\n', '\r'])
        .flat_map(|line| line.split("; "))
        .map(|entry| entry.trim().trim_end_matches(';').trim())
        .filter(|entry| !entry.is_empty())
        .map(str::to_owned)
}

/// One entry of a list: a string as it is, an object as `field: message`
/// when it has those, anything else as compact JSON.
fn entry(item: &Value) -> Option<String> {
    match item {
        Value::Null => None,
        Value::String(text) => Some(text.trim().to_owned()).filter(|text| !text.is_empty()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(entry).collect();
            Some(parts.join(", ")).filter(|text| !text.is_empty())
        }
        Value::Object(object) => {
            let message = MESSAGE_KEYS
                .iter()
                .find_map(|key| object.get(*key)?.as_str());
            let field = FIELD_KEYS
                .iter()
                .find_map(|key| field_name(object.get(*key)?));
            match (field, message) {
                (Some(field), Some(message)) => Some(format!("{field}: {message}")),
                (None, Some(message)) => Some(message.to_owned()),
                _ => Some(item.to_string()),
            }
        }
        other => Some(other.to_string()),
    }
}

/// A field name: a string (`amount`, `/amount`), or a path given as a list
/// (`["body", "amount"]` becomes `body.amount`).
fn field_name(value: &Value) -> Option<String> {
    match value {
        Value::String(name) if !name.is_empty() => Some(name.clone()),
        Value::Array(parts) if !parts.is_empty() => {
            let parts: Vec<String> = parts
                .iter()
                .map(|part| match part {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect();
            Some(parts.join("."))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_documented_string_is_split_into_entries() {
        let body = json!({
            "message": "Invalid request body",
            "validationErrors": "timestamp: must be a number; currency: unknown code \"EURO\""
        });
        assert_eq!(
            validation_errors(&body),
            [
                "timestamp: must be a number",
                "currency: unknown code \"EURO\""
            ]
        );
        let lines = json!({"validationErrors": "a: x\nb: y\n"});
        assert_eq!(validation_errors(&lines), ["a: x", "b: y"]);
    }

    #[test]
    fn lists_and_maps_of_other_shapes_are_read() {
        let list = json!({"validationErrors": [
            {"field": "amount", "message": "must be positive"},
            {"loc": ["body", "currency"], "msg": "unknown"},
            {"message": "no field"},
            "plain text",
            {"code": 7},
        ]});
        assert_eq!(
            validation_errors(&list),
            [
                "amount: must be positive",
                "body.currency: unknown",
                "no field",
                "plain text",
                "{\"code\":7}"
            ]
        );
        let map = json!({"errors": {"amount": ["must be positive", "too large"], "id": "missing"}});
        assert_eq!(
            validation_errors(&map),
            ["amount: must be positive, too large", "id: missing"]
        );
    }

    #[test]
    fn bodies_without_validation_errors_have_none() {
        assert!(validation_errors(&json!({"message": "no"})).is_empty());
        assert!(validation_errors(&json!({"validationErrors": null})).is_empty());
        assert!(validation_errors(&json!({"validationErrors": ""})).is_empty());
        assert!(validation_errors(&json!(["not", "an", "object"])).is_empty());
    }
}
