//! Every example in `spec/` deserializes into its generated type and serializes back to equal JSON.
//!
//! The type for each example comes from the generated registry (`flagright_tests::registry`),
//! so a new example or a new operation is covered without touching this file.

use flagright_tests::json::json_diff;
use flagright_tests::registry;
use flagright_tests::spec::{deref, spec};
use serde_json::Value;

fn check(
    label: &str,
    example: &Value,
    result: Option<Result<Value, String>>,
    failures: &mut Vec<String>,
) {
    match result {
        None => failures.push(format!("{label}: no generated type is registered for it")),
        Some(Err(e)) => failures.push(format!("{label}: does not deserialize: {e}")),
        Some(Ok(back)) => {
            let diff = json_diff(example, &back);
            if !diff.is_empty() {
                failures.push(format!(
                    "{label}: changed on the way back: {}",
                    diff.join("; ")
                ));
            }
        }
    }
}

#[test]
fn every_spec_example_round_trips_through_its_generated_type() {
    let root = spec();
    let mut failures = Vec::new();
    let mut checked = 0;
    let paths = root["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if let Some(body) = op.get("requestBody") {
                let body = deref(root, body);
                if let Some(example) = body.pointer("/content/application~1json/example") {
                    let label = format!("{method} {path} request example");
                    check(
                        &label,
                        example,
                        registry::request(id, example.clone()),
                        &mut failures,
                    );
                    checked += 1;
                }
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                let response = deref(root, response);
                if let Some(example) = response.pointer("/content/application~1json/example") {
                    let label = format!("{method} {path} {status} response example");
                    let status: u16 = status.parse().expect("numeric status");
                    let result = registry::response(id, status, example.clone());
                    check(&label, example, result, &mut failures);
                    checked += 1;
                }
            }
        }
    }
    for (name, schema) in root["components"]["schemas"].as_object().expect("schemas") {
        if let Some(example) = schema.get("example") {
            let label = format!("#/components/schemas/{name} example");
            check(
                &label,
                example,
                registry::schema(name, example.clone()),
                &mut failures,
            );
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 24 request/response pairs at least, plus error and schema examples.
    assert!(checked >= 48, "only {checked} examples found");
}

/// The values of the enum schema `name` in spec/.
fn spec_enum(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/flagright.yaml"
    ))
    .expect("spec/flagright.yaml");
    let spec: serde_json::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    spec["components"]["schemas"][name]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} is an enum schema"))
        .iter()
        .map(|v| v.as_str().expect("string values").to_owned())
        .collect()
}

/// Enums with many values match bytes, not text (see codegen's
/// `BYTE_MATCH_MIN`): every value of the spec still reads as its own
/// variant, and anything else (a prefix, a longer code, other case) is kept
/// as an unknown value.
#[test]
fn every_value_of_a_large_enum_reads_as_its_variant() {
    use flagright_api::types::{CountryCode, CurrencyCode, WalletNetwork};
    fn check<T>(name: &str, unknown: fn(&T) -> Option<&str>)
    where
        T: serde::de::DeserializeOwned + serde::Serialize + AsRef<str> + std::fmt::Debug,
    {
        let values = spec_enum(name);
        assert!(values.len() >= 32, "{name} has {} values", values.len());
        let mut seen = std::collections::BTreeSet::new();
        for value in &values {
            let read: T = serde_json::from_value(serde_json::json!(value)).unwrap();
            assert_eq!(
                unknown(&read),
                None,
                "{name} value {value:?} read as unknown"
            );
            assert_eq!(read.as_ref(), value);
            assert_eq!(
                serde_json::to_value(&read).unwrap(),
                serde_json::json!(value)
            );
            assert!(
                seen.insert(format!("{read:?}")),
                "{value:?} read as another value's variant"
            );
        }
        let first = &values[0];
        let mut lower = first.to_lowercase();
        if lower == *first {
            lower = first.to_uppercase();
        }
        for other in [
            String::new(),
            first[..first.len() - 1].to_owned(),
            format!("{first}X"),
            lower,
            "Zürich".to_owned(),
        ] {
            let read: T = serde_json::from_value(serde_json::json!(other)).unwrap();
            assert_eq!(unknown(&read), Some(other.as_str()), "{name}: {other:?}");
            assert_eq!(
                serde_json::to_value(&read).unwrap(),
                serde_json::json!(other)
            );
        }
    }
    check::<CountryCode>("CountryCode", |v| match v {
        CountryCode::UnknownValue(s) => Some(s),
        _ => None,
    });
    check::<CurrencyCode>("CurrencyCode", |v| match v {
        CurrencyCode::UnknownValue(s) => Some(s),
        _ => None,
    });
    check::<WalletNetwork>("WalletNetwork", |v| match v {
        WalletNetwork::UnknownValue(s) => Some(s),
        _ => None,
    });
}
