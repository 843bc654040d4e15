//! `spec/flagright.yaml`, read once, and ways to walk it.

use std::sync::OnceLock;

use serde_json::Value;

/// HTTP methods an OpenAPI path item may hold.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The text of `spec/flagright.yaml`, read once per test binary.
pub fn spec_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/flagright.yaml");
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    })
}

/// `spec/flagright.yaml` as JSON, parsed once per test binary.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        serde_yaml::from_str(spec_text()).expect("spec/flagright.yaml is valid YAML")
    })
}

/// Follows a local `$ref` (`#/components/...`) in `root` if `node` is one.
pub fn deref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local reference");
            root.pointer(pointer)
                .unwrap_or_else(|| panic!("`{reference}` does not resolve"))
        }
        None => node,
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Every `operationId` in the spec, sorted.
pub fn operation_ids() -> Vec<String> {
    let mut ids: Vec<String> = spec()["paths"]
        .as_object()
        .expect("spec has paths")
        .values()
        .flat_map(|item| item.as_object().expect("path item").values())
        .filter_map(|op| op.get("operationId")?.as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}
