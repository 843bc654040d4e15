//! Lowering OpenAPI 3.1 documents to the 3.0 shape the rest of the
//! generator reads.
//!
//! OpenAPI 3.1 schemas are JSON Schema 2020-12. Everything the generator
//! needs from them has a 3.0 spelling, so a 3.1 document is rewritten once,
//! on the raw JSON tree, before validation and lowering:
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `{type: "null"}` in `oneOf`/`anyOf` | dropped, the union `nullable: true` |
//! | `type: [A, B]` (two non-null types) | no `type` (any JSON value) |
//! | `const: v` | `enum: [v]` (and `type` from `v` when absent) |
//! | `examples: [a, ...]` in a schema | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n, exclusiveMinimum: true` |
//! | `prefixItems` | `items: {}` (any JSON value) unless `items` is given |
//! | `$dynamicRef`, `$recursiveRef` | `{}` (any JSON value), noted in the description |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | no `paths` (a webhooks-only document) | `paths: {}` |
//!
//! `$defs` need nothing: references into them are JSON pointers like any
//! other. Sibling keywords next to `$ref` are kept; lowering reads the
//! reference. `webhooks` stay where they are and are read by lowering.
//!
//! Only schema positions are rewritten: example values, defaults, enum
//! values and extensions are data, whatever keys they hold.

use serde_json::{Map, Value};

/// Whether `version` is a 3.1 version string.
pub(crate) fn is_3_1(version: &str) -> bool {
    version == "3.1" || version.starts_with("3.1.")
}

/// Rewrites a 3.1 document in place into the 3.0 shape.
pub(crate) fn to_3_0(root: &mut Value) {
    if let Some(map) = root.as_object_mut() {
        map.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        map.remove("jsonSchemaDialect");
        if let Some(components) = map.get_mut("components").and_then(Value::as_object_mut) {
            // Reusable path items (3.1 only) are reached through `$ref`s
            // only; they stay resolvable, but 3.0 validation does not know
            // the section.
            if let Some(items) = components.remove("pathItems") {
                components.insert("x-pathItems".to_owned(), items);
            }
        }
    }
    walk_other(root);
}

/// Keys whose values are data, never schemas or references.
pub(crate) fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// A node that is not a schema (document, path item, operation, media
/// type, ...): finds the schemas below it.
fn walk_other(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "schema" => walk_schema(child),
                    "schemas" => walk_schema_map(child),
                    "examples" => walk_examples(child),
                    key if is_data_key(key) => {}
                    _ => walk_other(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(walk_other),
        _ => {}
    }
}

/// `examples` outside a schema: a map of Example objects whose `value` is
/// data.
fn walk_examples(node: &mut Value) {
    if let Value::Object(map) = node {
        for example in map.values_mut() {
            if let Value::Object(example) = example {
                for (key, child) in example.iter_mut() {
                    if key != "value" && !is_data_key(key) {
                        walk_other(child);
                    }
                }
            }
        }
    }
}

fn walk_schema_map(node: &mut Value) {
    if let Value::Object(map) = node {
        map.values_mut().for_each(walk_schema);
    }
}

fn walk_schema_list(node: &mut Value) {
    if let Value::Array(items) = node {
        items.iter_mut().for_each(walk_schema);
    }
}

/// Rewrites one schema and the schemas inside it.
fn walk_schema(node: &mut Value) {
    match node {
        Value::Bool(true) => *node = Value::Object(Map::new()),
        Value::Bool(false) => {
            let mut not = Map::new();
            not.insert("not".to_owned(), Value::Object(Map::new()));
            *node = Value::Object(not);
        }
        Value::Object(_) => {}
        _ => return,
    }
    let Value::Object(map) = node else { return };
    rewrite(map);
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                walk_schema_map(child)
            }
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedProperties"
            | "unevaluatedItems"
                if child.is_object() =>
            {
                walk_schema(child)
            }
            "allOf" | "anyOf" | "oneOf" => walk_schema_list(child),
            _ => {}
        }
    }
    for union in ["oneOf", "anyOf"] {
        drop_null_variants(map, union);
    }
}

/// The 3.1 keywords of one schema object, in their 3.0 spelling.
fn rewrite(map: &mut Map<String, Value>) {
    for dynamic in ["$dynamicRef", "$recursiveRef"] {
        if let Some(target) = map.remove(dynamic) {
            let target = target.as_str().unwrap_or("?").to_owned();
            map.remove("$ref");
            let note = format!(
                "Read as any JSON value: the recursive reference `{target}` ({dynamic}) is not \
                 followed."
            );
            let description = match map.get("description").and_then(Value::as_str) {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            };
            map.insert("description".to_owned(), Value::String(description));
        }
    }
    match map.get("type") {
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            map.remove("type");
            match others.as_slice() {
                [] => {
                    map.insert("x-null".to_owned(), Value::Bool(true));
                }
                [only] => {
                    map.insert("type".to_owned(), only.clone());
                }
                _ => {}
            }
            if nullable {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
        Some(Value::String(t)) if t == "null" => {
            map.remove("type");
            map.insert("x-null".to_owned(), Value::Bool(true));
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        _ => {}
    }
    if let Some(value) = map.remove("const") {
        if !map.contains_key("type")
            && let Some(t) = json_type(&value)
        {
            map.insert("type".to_owned(), Value::String(t.to_owned()));
        }
        map.insert("enum".to_owned(), Value::Array(vec![value]));
    }
    if let Some(examples) = map.get("examples")
        && examples.is_array()
    {
        let first = examples.as_array().and_then(|list| list.first()).cloned();
        map.remove("examples");
        if let Some(first) = first
            && !map.contains_key("example")
        {
            map.insert("example".to_owned(), first);
        }
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = map.get(exclusive).filter(|b| b.is_number()).cloned() {
            map.insert(inclusive.to_owned(), bound);
            map.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    if map.remove("prefixItems").is_some() && !map.get("items").is_some_and(Value::is_object) {
        map.insert("items".to_owned(), Value::Object(Map::new()));
    }
    if map.get("items").is_some_and(Value::is_boolean) {
        map.insert("items".to_owned(), Value::Object(Map::new()));
    }
    // A string of some media type, not encoded as text: binary contents,
    // a file in a multipart body (`format: binary` in 3.0).
    if let Some(media) = map.get("contentMediaType").and_then(Value::as_str)
        && !map.contains_key("contentEncoding")
        && !map.contains_key("format")
        && map.get("type").is_none_or(|t| t == "string")
    {
        let media = Value::String(media.to_owned());
        map.insert("x-content-media-type".to_owned(), media);
        map.insert("type".to_owned(), Value::String("string".to_owned()));
        map.insert("format".to_owned(), Value::String("binary".to_owned()));
    }
    for key in [
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$comment",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
    ] {
        map.remove(key);
    }
}

/// Removes `{type: "null"}` variants from a `oneOf`/`anyOf`, making the
/// schema nullable instead; a union left with one variant becomes that
/// variant (through `allOf`, which keeps the schema's own keywords).
fn drop_null_variants(map: &mut Map<String, Value>, union: &str) {
    let Some(Value::Array(variants)) = map.get_mut(union) else {
        return;
    };
    let before = variants.len();
    variants.retain(|variant| variant.get("x-null") != Some(&Value::Bool(true)));
    if variants.len() == before {
        return;
    }
    map.insert("nullable".to_owned(), Value::Bool(true));
    let Some(Value::Array(variants)) = map.get(union) else {
        return;
    };
    match variants.len() {
        0 => {
            map.remove(union);
            map.insert("x-null".to_owned(), Value::Bool(true));
        }
        1 => {
            let only = variants.clone();
            map.remove(union);
            map.insert("allOf".to_owned(), Value::Array(only));
        }
        _ => {}
    }
}

fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"S": value}},
        });
        to_3_0(&mut doc);
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(
            schema(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(schema(json!({"type": ["string", "integer"]})), json!({}));
    }

    #[test]
    fn null_variants_make_the_union_nullable() {
        assert_eq!(
            schema(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
        );
        assert_eq!(
            schema(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_examples_and_bounds() {
        assert_eq!(
            schema(json!({"const": "CARD"})),
            json!({"type": "string", "enum": ["CARD"]})
        );
        assert_eq!(
            schema(json!({"type": "integer", "exclusiveMinimum": 0, "examples": [5, 6]})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "example": 5})
        );
        assert_eq!(
            schema(json!({"type": "array", "prefixItems": [{"type": "string"}]})),
            json!({"type": "array", "items": {}})
        );
    }

    #[test]
    fn dynamic_refs_become_any_value_with_a_note() {
        let out = schema(json!({"$dynamicRef": "#node"}));
        assert!(out.get("$dynamicRef").is_none());
        assert!(out["description"].as_str().unwrap().contains("#node"));
    }

    #[test]
    fn data_is_left_alone() {
        let out = schema(json!({
            "type": "object",
            "properties": {"$ref": {"type": ["string", "null"]}},
            "example": {"type": ["a", "null"], "const": 1},
            "default": {"examples": [1]},
        }));
        assert_eq!(
            out["properties"]["$ref"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(out["example"], json!({"type": ["a", "null"], "const": 1}));
        assert_eq!(out["default"], json!({"examples": [1]}));
    }

    #[test]
    fn a_webhooks_only_document_gets_empty_paths() {
        let mut doc = json!({"openapi": "3.1.0", "webhooks": {}});
        to_3_0(&mut doc);
        assert_eq!(doc["paths"], json!({}));
    }
}
