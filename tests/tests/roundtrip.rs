//! Every example in `spec/` deserializes into its generated type and serializes back to equal JSON.
//!
//! The type for each example comes from the generated registry (`flagright_tests::registry`),
//! so a new example or a new operation is covered without touching this file.

use flagright_tests::registry;
use serde_json::Value;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/flagright.yaml");
    let text = std::fs::read_to_string(path).expect("spec/flagright.yaml is readable");
    serde_yaml::from_str(&text).expect("spec/flagright.yaml is YAML")
}

/// Follows a local `$ref` (one level is all the spec uses for responses and bodies).
fn deref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => root
            .pointer(&r[1..])
            .unwrap_or_else(|| panic!("{r} resolves")),
        None => node,
    }
}

/// Compares JSON, treating `100` and `100.0` as equal (a `number` field is an `f64`).
fn same(expected: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::Object(a), Value::Object(b)) => {
            let missing: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
            let extra: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                return Err(format!("{at}: lost keys {missing:?}, added keys {extra:?}"));
            }
            a.iter()
                .try_for_each(|(k, v)| same(v, &b[k], &format!("{at}/{k}")))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| same(x, y, &format!("{at}/{i}"))),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{at}: expected {a}, got {b}")),
    }
}

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
            if let Err(e) = same(example, &back, "") {
                failures.push(format!("{label}: changed on the way back: {e}"));
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
                let body = deref(&root, body);
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
                let response = deref(&root, response);
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

#[test]
fn the_comparison_notices_a_lost_field() {
    let expected = serde_json::json!({"a": 1, "b": {"c": [1, 2]}});
    let actual = serde_json::json!({"a": 1.0, "b": {"c": [1]}});
    assert!(same(&expected, &actual, "").is_err());
    assert!(
        same(
            &expected,
            &serde_json::json!({"a": 1.0, "b": {"c": [1, 2.0]}}),
            ""
        )
        .is_ok()
    );
}
