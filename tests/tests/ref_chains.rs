//! A chain of 10,000 schemas, each referring to the next, generates or gives
//! a located error; it never overflows the stack. Tests run on threads with
//! small stacks, which makes any recursion that follows the chain fail here.

const LENGTH: usize = 10_000;

fn document(schema: impl Fn(usize) -> String) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Chains, version: '1'}\npaths:\n  /head:\n    get:\n      operationId: getHead\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..LENGTH {
        text.push_str(&format!("    S{i}: {}\n", schema(i)));
    }
    text
}

fn generates_or_says_where(text: &str) {
    match codegen::generate_module(text) {
        Ok(module) => assert!(!module.files.is_empty()),
        Err(error) => {
            assert!(
                error.pointer.starts_with("#/components/schemas/S"),
                "{error}"
            );
        }
    }
}

#[test]
fn a_plain_ref_chain_of_ten_thousand_schemas() {
    generates_or_says_where(&document(|i| {
        if i + 1 < LENGTH {
            format!("{{$ref: '#/components/schemas/S{}'}}", i + 1)
        } else {
            String::from("{type: string}")
        }
    }));
}

#[test]
fn a_chain_of_ten_thousand_schemas_through_properties() {
    generates_or_says_where(&document(|i| {
        if i + 1 < LENGTH {
            format!(
                "{{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}",
                i + 1
            )
        } else {
            String::from("{type: object, properties: {end: {type: string}}}")
        }
    }));
}

#[test]
fn a_chain_of_ten_thousand_schemas_through_list_items() {
    generates_or_says_where(&document(|i| {
        if i + 1 < LENGTH {
            format!(
                "{{type: array, items: {{$ref: '#/components/schemas/S{}'}}}}",
                i + 1
            )
        } else {
            String::from("{type: integer}")
        }
    }));
}
