//! The generator's list of `Client` methods is the runtime's.
//!
//! Each group is reached through an accessor that generated code adds to `Client` in an
//! `impl` block of its own, so a group named like an existing method (`headers`,
//! `execute`) would not compile. `codegen::CLIENT_METHODS` lists those names; this test
//! reads the public functions of every inherent `impl Client` block of the runtime crate
//! (`runtime/src/`, reached through `Deref`), adds the generated client's own
//! constructors, and fails when the two differ. The `reserved_names` fixture (compiled by `fixtures_compile.rs`)
//! covers the builder's and the models' own names.

use std::collections::BTreeSet;
use std::path::Path;

/// Names of the functions in inherent `impl Client` blocks of one runtime file.
fn client_methods(text: &str, file: &Path, out: &mut BTreeSet<String>) {
    let parsed =
        syn::parse_file(text).unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
    for item in parsed.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(ty) = block.self_ty.as_ref() else {
            continue;
        };
        let is_client = ty.path.segments.last().is_some_and(|s| s.ident == "Client");
        if !is_client || block.trait_.is_some() {
            continue;
        }
        for member in block.items {
            if let syn::ImplItem::Fn(function) = member
                && matches!(function.vis, syn::Visibility::Public(_))
            {
                out.insert(function.sig.ident.to_string());
            }
        }
    }
}

#[test]
fn client_methods_are_the_runtime_clients() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    // The generated `Client`'s own (codegen/src/emit/environment.rs).
    let mut actual: BTreeSet<String> = ["new", "from_env", "builder"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    for entry in std::fs::read_dir(&dir).expect("runtime folder") {
        let path = entry.expect("runtime entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("runtime file is readable");
            client_methods(&text, &path, &mut actual);
        }
    }
    let listed: BTreeSet<String> = codegen::CLIENT_METHODS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let missing: Vec<_> = actual.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&actual).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "codegen::CLIENT_METHODS (codegen/src/naming/reserved.rs) differs from the methods of \
         `impl Client` in runtime/src/ and the generated constructors: add {missing:?}, remove {stale:?}"
    );
}
