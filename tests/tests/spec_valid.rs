//! Structural checks of `spec/flagright.yaml`: it loads with the generator's
//! loader, every `$ref` resolves, and every operation carries what the
//! generator needs (ids, SDK names, typed success and error bodies).

use std::collections::BTreeSet;

use flagright_tests::spec::{HTTP_METHODS, deref, escape, spec, spec_text};
use serde_json::Value;

/// Every (pointer, operation) pair of the document.
fn operations(root: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let paths = root["paths"].as_object().expect("`paths` is a mapping");
    for (path, item) in paths {
        for method in HTTP_METHODS {
            if let Some(op) = item.get(method) {
                out.push((format!("#/paths/{}/{method}", escape(path)), op));
            }
        }
    }
    out
}

fn json_schema_of<'a>(root: &'a Value, response: &'a Value) -> Option<&'a Value> {
    deref(root, response)
        .get("content")?
        .get("application/json")?
        .get("schema")
}

#[test]
fn the_generator_reads_it() {
    if let Err(e) = codegen::generate(spec_text()) {
        panic!("spec/flagright.yaml does not generate: {e}");
    }
}

#[test]
fn every_ref_resolves() {
    fn walk(root: &Value, node: &Value, at: &str, broken: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref") {
                    let ok = r
                        .as_str()
                        .and_then(|r| r.strip_prefix('#'))
                        .is_some_and(|p| root.pointer(p).is_some());
                    if !ok {
                        broken.push(format!("{at}/$ref -> {r}"));
                    }
                }
                for (k, v) in map {
                    walk(root, v, &format!("{at}/{}", escape(k)), broken);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(root, v, &format!("{at}/{i}"), broken);
                }
            }
            _ => {}
        }
    }
    let root = spec();
    let mut broken = Vec::new();
    walk(root, root, "#", &mut broken);
    assert!(
        broken.is_empty(),
        "unresolvable references:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_operation_is_complete() {
    let root = spec();
    let ops = operations(root);
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    for (at, op) in &ops {
        for key in [
            "operationId",
            "x-fern-sdk-group-name",
            "x-fern-sdk-method-name",
            "summary",
        ] {
            if op
                .get(key)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                problems.push(format!("{at}: missing `{key}`"));
            }
        }
        if let Some(id) = op.get("operationId").and_then(Value::as_str)
            && !ids.insert(id.to_owned())
        {
            problems.push(format!("{at}: duplicate operationId `{id}`"));
        }
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            problems.push(format!("{at}: no responses"));
            continue;
        };
        let typed_success = responses
            .iter()
            .any(|(status, r)| status.starts_with('2') && json_schema_of(root, r).is_some());
        if !typed_success {
            problems.push(format!(
                "{at}/responses: no 2xx response with an application/json schema"
            ));
        }
        for (status, r) in responses {
            if (status.starts_with('4') || status.starts_with('5'))
                && json_schema_of(root, r).is_none()
            {
                problems.push(format!(
                    "{at}/responses/{status}: error response without an application/json schema"
                ));
            }
        }
        if let Some(body) = op.get("requestBody") {
            let body = deref(root, body);
            if body.pointer("/content/application~1json/schema").is_none() {
                problems.push(format!("{at}/requestBody: no application/json schema"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        ops.len(),
        24,
        "expected the 24 operations of the current API"
    );
}

#[test]
fn paginated_operations_name_real_properties() {
    let root = spec();
    let mut seen = 0;
    for (at, op) in operations(root) {
        let Some(pagination) = op.get("x-pagination") else {
            continue;
        };
        seen += 1;
        let schema = op["responses"]
            .as_object()
            .and_then(|r| r.iter().find(|(s, _)| s.starts_with('2')))
            .and_then(|(_, r)| json_schema_of(root, r))
            .map(|s| deref(root, s))
            .unwrap_or_else(|| panic!("{at}: paginated operation without a success schema"));
        let items = pagination["itemsProperty"].as_str().expect("itemsProperty");
        let total = pagination["totalProperty"].as_str().expect("totalProperty");
        assert_eq!(
            schema["properties"][items]["type"], "array",
            "{at}: `{items}` is not an array property"
        );
        assert!(
            schema["properties"].get(total).is_some(),
            "{at}: no `{total}` property"
        );
        let params: BTreeSet<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for key in ["pageParam", "pageSizeParam"] {
            let name = pagination[key].as_str().unwrap_or_default();
            assert!(
                params.contains(name),
                "{at}: x-pagination.{key} `{name}` is not a parameter"
            );
        }
    }
    assert_eq!(seen, 6, "the six batch listings are paginated");
}

#[test]
fn servers_and_security_are_declared() {
    let root = spec();
    let servers = root["servers"].as_array().expect("servers");
    assert_eq!(
        servers[0]["url"], "https://sandbox.api.flagright.com",
        "sandbox eu-1 comes first"
    );
    for (i, server) in servers.iter().enumerate() {
        assert!(
            server["x-name"].is_string(),
            "#/servers/{i}: missing x-name"
        );
        assert!(
            server["description"].is_string(),
            "#/servers/{i}: missing description"
        );
    }
    let scheme = &root["components"]["securitySchemes"]["x-api-key"];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(scheme["in"], "header");
    assert_eq!(scheme["name"], "x-api-key");
    assert_eq!(root["info"]["x-env-prefix"], "FLAGRIGHT");
}

#[test]
fn every_schema_is_described() {
    let root = spec();
    let schemas = root["components"]["schemas"].as_object().expect("schemas");
    let undocumented: Vec<&String> = schemas
        .iter()
        .filter(|(_, s)| {
            s.get("description")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        undocumented.is_empty(),
        "schemas without a description: {undocumented:?}"
    );
}
