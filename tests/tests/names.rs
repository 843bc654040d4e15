//! Type names a Rust user would have written: inline schemas named from
//! their context (`fixtures/names.yaml`), and the names report over the
//! real documents of `../shared/corpus`.

use flagright_tests::fixture_crate;

fn names_of(text: &str) -> Vec<codegen::TypeName> {
    codegen::generate_module(text)
        .expect("the document generates")
        .type_names
}

#[test]
fn inline_schemas_are_named_from_their_title_operation_and_role() {
    let text = std::fs::read_to_string(flagright_tests::fixtures::dir().join("names.yaml"))
        .expect("the names fixture");
    let names: Vec<String> = names_of(&text).into_iter().map(|t| t.name).collect();
    for expected in [
        // The inline `title` is the name.
        "EnrolBody",
        // Operation and role.
        "EnrolmentsEnrolResponse",
        // The tag once, though the operation id starts with it.
        "EnterpriseAdminUpdateUserRequest",
        // One shape shared by unrelated operations: named after one use.
        "ActionsSetSelfHostedRunnersRequest",
        "AppsSelectRepositoriesRequest",
        // Property paths.
        "OddFooBar",
        // Nothing tells the second `foo_bar`/`fooBar` object apart.
        "OddFooBar2",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    for unwanted in [
        "Request",
        "Request2",
        "EnterpriseAdminEnterpriseAdminUpdateUserRequest",
    ] {
        assert!(
            !names.iter().any(|n| n == unwanted),
            "{unwanted}: {names:?}"
        );
    }
}

/// A name ending in a digit is allowed only when it is the schema's own
/// name, or when the generator says nothing else told two types apart.
fn unexplained_numbers(names: &[codegen::TypeName]) -> Vec<String> {
    names
        .iter()
        .filter(|t| t.name.ends_with(|c: char| c.is_ascii_digit()))
        .filter(|t| !t.numbered)
        .filter(|t| {
            t.schema
                .as_deref()
                .is_none_or(|wire| !wire.ends_with(|c: char| c.is_ascii_digit()))
        })
        .map(|t| t.name.clone())
        .collect()
}

#[test]
fn a_number_in_a_name_is_explained() {
    let text = std::fs::read_to_string(flagright_tests::fixtures::dir().join("names.yaml"))
        .expect("the names fixture");
    let names = names_of(&text);
    assert_eq!(unexplained_numbers(&names), Vec::<String>::new());
    let numbered: Vec<&str> = names
        .iter()
        .filter(|t| t.numbered)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(numbered, ["OddFooBar2"]);
}

#[test]
fn corpus_names_report() {
    let dir = fixture_crate::root().join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "skipped: {} is missing (the shared corpus lives beside the checkout)",
            dir.display()
        );
        return;
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("a corpus document");
        let names = names_of(&text);
        let numbered: Vec<&str> = names
            .iter()
            .filter(|t| t.numbered)
            .map(|t| t.name.as_str())
            .collect();
        println!(
            "{}: {} types; numbered for lack of context: {numbered:?}",
            path.display(),
            names.len()
        );
        let unexplained = unexplained_numbers(&names);
        if !unexplained.is_empty() || !numbered.is_empty() {
            failures.push(format!("{}: {unexplained:?} {numbered:?}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "numbered names:\n{}",
        failures.join("\n")
    );
}
