//! Every `example` in `spec/flagright.yaml` validates against its own schema.
//!
//! The OpenAPI schemas are turned into one Draft 7 JSON Schema document:
//! `components/schemas` become `definitions`, references are rewritten,
//! `nullable: true` admits `null`, and OpenAPI-only keywords (`discriminator`,
//! `example`, `x-*`) are dropped. The mock server and the round-trip tests rely
//! on the examples, so a wrong one must fail here first.

use flagright_tests::spec::{escape, spec};
use serde_json::{Map, Value, json};

const SCHEMAS: &str = "#/components/schemas/";

/// Converts one OpenAPI 3.0 schema node to JSON Schema Draft 7.
fn to_json_schema(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "discriminator" | "example" | "nullable" => {}
                    k if k.starts_with("x-") => {}
                    "$ref" => {
                        let r = value.as_str().unwrap_or_default();
                        let r = r
                            .strip_prefix(SCHEMAS)
                            .map_or_else(|| r.to_owned(), |n| format!("#/definitions/{n}"));
                        out.insert(key.clone(), Value::String(r));
                    }
                    // Keys of `properties` are field names, not keywords.
                    "properties" => {
                        let props = value
                            .as_object()
                            .map(|p| {
                                p.iter()
                                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(props));
                    }
                    "enum" | "required" | "default" => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => {
                        out.insert(key.clone(), to_json_schema(value));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                json!({ "anyOf": [Value::Object(out), { "type": "null" }] })
            } else {
                Value::Object(out)
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}

/// An example found in the document: where it is, its schema and its value.
struct Example<'a> {
    pointer: String,
    schema: &'a Value,
    value: &'a Value,
}

fn collect<'a>(node: &'a Value, at: &str, parent_key: &str, out: &mut Vec<Example<'a>>) {
    match node {
        Value::Object(map) => {
            // Inside `properties`, keys are field names; the values are schemas.
            let is_property_map = parent_key == "properties";
            if !is_property_map {
                if let Some(value) = map.get("example") {
                    // Media types and parameters hold `schema`; schema objects are their own schema.
                    let schema = map.get("schema").unwrap_or(node);
                    out.push(Example {
                        pointer: format!("{at}/example"),
                        schema,
                        value,
                    });
                }
                if let (Some(schema), Some(Value::Object(named))) =
                    (map.get("schema"), map.get("examples"))
                {
                    for (name, ex) in named {
                        if let Some(value) = ex.get("value") {
                            let pointer = format!("{at}/examples/{}/value", escape(name));
                            out.push(Example {
                                pointer,
                                schema,
                                value,
                            });
                        }
                    }
                }
            }
            for (key, value) in map {
                if !is_property_map && (key == "example" || key == "examples") {
                    continue;
                }
                collect(value, &format!("{at}/{}", escape(key)), key, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, &format!("{at}/{i}"), "", out);
            }
        }
        _ => {}
    }
}

/// Checks every example of `doc`; returns one message per invalid example.
fn check_examples(doc: &Value) -> (usize, Vec<String>) {
    let definitions: Map<String, Value> = doc["components"]["schemas"]
        .as_object()
        .map(|s| {
            s.iter()
                .map(|(k, v)| (k.clone(), to_json_schema(v)))
                .collect()
        })
        .unwrap_or_default();
    let definitions = Value::Object(definitions);
    let mut examples = Vec::new();
    collect(doc, "#", "", &mut examples);
    let mut failures = Vec::new();
    for ex in &examples {
        let mut schema = to_json_schema(ex.schema);
        if let Value::Object(map) = &mut schema {
            map.insert("definitions".into(), definitions.clone());
        } else {
            schema = json!({ "allOf": [schema], "definitions": definitions });
        }
        let validator = match jsonschema::draft7::new(&schema) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: schema does not compile: {e}", ex.pointer));
                continue;
            }
        };
        let errors: Vec<String> = validator
            .iter_errors(ex.value)
            .map(|e| format!("  at `{}`: {e}", e.instance_path()))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{}:\n{}", ex.pointer, errors.join("\n")));
        }
    }
    (examples.len(), failures)
}

#[test]
fn every_example_matches_its_schema() {
    let (count, failures) = check_examples(spec());
    assert!(
        count >= 48,
        "expected examples on every request and response, found {count}"
    );
    assert!(
        failures.is_empty(),
        "{} invalid example(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_operation_has_examples() {
    let doc = spec();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let at = format!("#/paths/{}/{method}", escape(path));
            if let Some(body) = op.get("requestBody")
                && body.pointer("/content/application~1json/example").is_none()
            {
                missing.push(format!("{at}/requestBody"));
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                if status.starts_with('2')
                    && response
                        .pointer("/content/application~1json/example")
                        .is_none()
                {
                    missing.push(format!("{at}/responses/{status}"));
                }
            }
        }
    }
    for (name, response) in doc["components"]["responses"]
        .as_object()
        .expect("components/responses")
    {
        if response
            .pointer("/content/application~1json/example")
            .is_none()
        {
            missing.push(format!("#/components/responses/{name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "missing examples:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_wrong_enum_value_is_caught() {
    let mut doc = spec().clone();
    let example = doc
        .pointer_mut("/paths/~1transactions/post/requestBody/content/application~1json/example")
        .expect("the transaction request example");
    example["originPaymentDetails"]["cardBrand"] = json!("VISA_ELECTRONIC");
    example["originAmountDetails"]["transactionCurrency"] = json!("EURO");
    let (_, failures) = check_examples(&doc);
    assert_eq!(failures.len(), 1, "{failures:#?}");
    let failure = &failures[0];
    assert!(
        failure.starts_with(
            "#/paths/~1transactions/post/requestBody/content/application~1json/example:"
        ),
        "{failure}"
    );
    assert!(
        failure.contains("/originAmountDetails/transactionCurrency"),
        "{failure}"
    );
    assert!(failure.contains("/originPaymentDetails"), "{failure}");
}

#[test]
fn a_missing_required_field_and_a_wrong_tag_are_caught() {
    let mut doc = spec().clone();
    let card = doc
        .pointer_mut("/components/schemas/CardDetails/example")
        .expect("CardDetails example");
    card["method"] = json!("IBAN");
    let amount = doc
        .pointer_mut("/components/schemas/Amount/example")
        .expect("Amount example");
    amount
        .as_object_mut()
        .expect("object")
        .remove("amountCurrency");
    let (_, failures) = check_examples(&doc);
    let pointers: Vec<&str> = failures
        .iter()
        .filter_map(|f| f.split(':').next())
        .collect();
    assert!(
        pointers.contains(&"#/components/schemas/CardDetails/example"),
        "{failures:#?}"
    );
    assert!(
        pointers.contains(&"#/components/schemas/Amount/example"),
        "{failures:#?}"
    );
}

#[test]
fn nullable_admits_null() {
    let schema = to_json_schema(&json!({ "type": "string", "nullable": true, "x-extra": 1 }));
    assert_eq!(
        schema,
        json!({ "anyOf": [{ "type": "string" }, { "type": "null" }] })
    );
}
