//! Snapshots of the generator's output for small fixture specs, one feature each.
//!
//! Each fixture in `tests/fixtures/` is generated and compared with its snapshot
//! in `tests/tests/snapshots/`. After an intended change, review and accept the new
//! output with `INSTA_UPDATE=always cargo test -p flagright-tests --test snapshots`
//! (or `cargo insta review`). `fixtures_compile.rs` builds every fixture's crate.

use std::path::Path;

fn generate(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let files = codegen::generate(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    // The support and environment files are shared boilerplate; every other file is shown.
    files
        .iter()
        .filter(|f| !matches!(f.path.as_str(), "support.rs"))
        .map(|f| format!("// ===== {} =====\n{}", f.path, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! fixture {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(stringify!($name), generate(stringify!($name)));
            }
        )*
    };
}

fixture!(
    tagged_discriminator,
    tagged_inferred,
    untagged,
    all_of,
    nullable,
    recursion,
    additional_properties,
    odd_enums,
    keywords,
    inline_naming,
    error_responses,
    reserved_names,
);
