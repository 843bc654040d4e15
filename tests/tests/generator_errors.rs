//! Bad input gives an error naming the spec node at fault, never a panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use flagright_tests::fixtures::fixtures;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

fn error_of(body: &str) -> codegen::Error {
    let text = format!("{HEAD}{body}");
    match codegen::generate(&text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn a_missing_schema_ref_is_a_warning_naming_the_ref_and_the_rest_generates() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Foo:\n      type: object\n      properties:\n        bar: {{$ref: '#/components/schemas/Baz'}}\n        baz: {{type: string}}\n"
    );
    let module = codegen::generate_module(&text).unwrap();
    let [warning] = module.warnings.as_slice() else {
        panic!("{:?}", module.warnings);
    };
    assert_eq!(
        warning.pointer,
        "#/components/schemas/Foo/properties/bar/$ref"
    );
    assert!(
        warning.to_string().contains("#/components/schemas/Baz"),
        "{warning}"
    );
    // Types share files (named after their first letters).
    let foo = module
        .files
        .iter()
        .find(|f| f.path.starts_with("types/") && f.text.contains("pub struct Foo "))
        .expect("Foo is generated");
    assert!(
        foo.text
            .contains("pub bar: ::std::option::Option<::serde_json::Value>"),
        "{}",
        foo.text
    );
    assert!(
        foo.text.contains("which it does not define"),
        "{}",
        foo.text
    );
}

#[test]
fn a_missing_ref_that_is_not_a_schema_names_the_ref() {
    let e = error_of(
        "paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/Gone'}}\n",
    );
    assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/$ref");
    assert!(e.to_string().contains("#/components/responses/Gone"), "{e}");
}

#[test]
fn unsupported_constructs_are_errors_with_their_location() {
    let cases = [
        (
            "paths:\n  /a:\n    get:\n      parameters: [{name: c, in: cookie, schema: {type: object, properties: {a: {type: string}}}}]\n      responses: {'200': {description: ok}}\n",
            "#/paths/~1a/get/parameters/0/schema",
            "not in a cookie",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody: {content: {multipart/mixed: {schema: {type: object}}}}\n      responses: {'200': {description: ok}}\n",
            "#/paths/~1a/post/requestBody/content/multipart~1mixed",
            "`multipart/mixed` request bodies are not supported",
        ),
        (
            "paths:\n  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n",
            "#/paths/~1a~1{id}",
            "`id` is not declared",
        ),
    ];
    for (body, pointer, words) in cases {
        let e = error_of(body);
        assert_eq!(e.pointer, pointer, "{e}");
        assert!(
            e.message.contains(words) || e.to_string().contains(words),
            "{e}"
        );
    }
}

#[test]
fn malformed_documents_are_errors() {
    let e = codegen::generate("openapi: [unclosed").unwrap_err();
    assert!(e.message.contains("not valid YAML"), "{e}");
    let e = codegen::generate("openapi: 2.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n")
        .unwrap_err();
    assert_eq!(e.pointer, "#/openapi");
    assert!(e.message.contains("3.0.x or 3.1.x"), "{e}");
    let e = error_of("paths: 7\n");
    assert_eq!(e.pointer, "#/paths", "{e}");
    let e = error_of("paths:\n  /a:\n    get: {}\n");
    assert!(e.pointer.starts_with("#/paths/~1a/get"), "{e}");
    let e = error_of("paths: {}\ncomponents:\n  schemas:\n    Foo: {type: [string, 'null']}\n");
    assert!(e.pointer.starts_with("#/components/schemas/Foo"), "{e}");
    let e = error_of(
        "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    );
    assert!(e.pointer.starts_with("#/components/schemas/"), "{e}");
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Every node of a JSON tree, as JSON pointers.
fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Replaces one node with something of the wrong shape, or removes it.
fn mutate(doc: &mut serde_json::Value, pointer: &str, choice: u64) {
    let replacement = match choice % 6 {
        0 => serde_json::Value::Null,
        1 => serde_json::json!(42),
        2 => serde_json::json!("text"),
        3 => serde_json::json!([]),
        4 => serde_json::json!({"$ref": "#/nowhere"}),
        _ => serde_json::json!({}),
    };
    if choice.is_multiple_of(7) {
        if let Some((parent, key)) = pointer.rsplit_once('/') {
            let key = key.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(serde_json::Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(serde_json::Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
    } else if let Some(node) = doc.pointer_mut(pointer) {
        *node = replacement;
    }
}

#[test]
fn no_mutation_of_the_fixtures_makes_the_generator_panic() {
    let mut rng = Lcg(0x5eed);
    let mut outcomes = (0, 0);
    let mut mutated_31 = Vec::new();
    for fixture in fixtures() {
        // A fixture with integers beyond 64 bits (schema_edges.yaml) cannot
        // be a `serde_json::Value` to mutate; its snapshot and compile tests
        // cover it. Every OpenAPI 3.1 fixture must be mutated.
        let is_31 = fixture.text.contains("openapi: 3.1");
        let Ok(original) = serde_yaml::from_str::<serde_json::Value>(&fixture.text) else {
            assert!(!is_31, "the 3.1 fixture {} cannot be mutated", fixture.name);
            continue;
        };
        if is_31 {
            mutated_31.push(fixture.name.clone());
        }
        let mut all = Vec::new();
        pointers(&original, String::new(), &mut all);
        for _ in 0..60 {
            let mut doc = original.clone();
            let target = &all[(rng.next() as usize) % all.len()];
            let choice = rng.next();
            mutate(&mut doc, target, choice);
            let yaml = serde_yaml::to_string(&doc).expect("serializable");
            let result = catch_unwind(AssertUnwindSafe(|| codegen::generate(&yaml)));
            match result {
                Ok(Ok(_)) => outcomes.0 += 1,
                Ok(Err(e)) => {
                    assert!(e.pointer.starts_with('#'), "error without a pointer: {e}");
                    outcomes.1 += 1;
                }
                Err(_) => panic!(
                    "the generator panicked on {} with node `{target}` mutated (choice {choice})",
                    fixture.path.display()
                ),
            }
        }
    }
    // Both outcomes must occur, or the mutations test nothing.
    assert!(outcomes.0 > 0 && outcomes.1 > 0, "{outcomes:?}");
    for name in [
        "openapi31",
        "multipart31",
        "nullable_union31",
        "recursive_refs31",
    ] {
        assert!(
            mutated_31.iter().any(|n| n == name),
            "{name}: {mutated_31:?}"
        );
    }
}

#[test]
fn a_schema_the_generator_cannot_express_is_any_value_and_a_located_warning() {
    let text = std::fs::read_to_string(flagright_tests::fixtures::dir().join("merged_union.yaml"))
        .expect("the merged_union fixture");
    let module = codegen::generate_module(&text).unwrap();
    let [warning] = module.warnings.as_slice() else {
        panic!("{:?}", module.warnings);
    };
    assert_eq!(warning.pointer, "#/components/schemas/Both/allOf/0/anyOf");
    assert!(
        warning.message.contains("is read as any JSON value"),
        "{warning}"
    );
    // The rest of the document generates: the members are still types.
    for name in ["pub struct Created ", "pub struct Deleted "] {
        assert!(
            module.files.iter().any(|f| f.text.contains(name)),
            "{name} missing"
        );
    }
}
