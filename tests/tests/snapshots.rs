//! Snapshots of the generator's output for small fixture specs, one feature each.
//!
//! Every fixture in `tests/fixtures/` is generated and compared with its snapshot
//! `tests/tests/snapshots/snapshots__<fixture>.snap`. A new fixture needs no edit
//! here: its first run writes a `.snap.new` to review. After an intended change,
//! accept the new output with `INSTA_UPDATE=always cargo test -p flagright-tests --test
//! snapshots` (or `cargo insta review`). `fixtures_compile.rs` builds every fixture's crate.

use std::collections::BTreeSet;
use std::path::Path;

use flagright_tests::fixtures::{Fixture, fixtures};

fn generate(fixture: &Fixture) -> String {
    let files =
        codegen::generate(&fixture.text).unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
    // The support file is shared boilerplate; every other file is shown.
    files
        .iter()
        .filter(|f| !matches!(f.path.as_str(), "support.rs"))
        .map(|f| format!("// ===== {} =====\n{}", f.path, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_fixture_matches_its_snapshot() {
    for fixture in fixtures() {
        insta::assert_snapshot!(fixture.name.as_str(), generate(&fixture));
    }
}

#[test]
fn every_snapshot_has_a_fixture() {
    let names: BTreeSet<String> = fixtures().into_iter().map(|f| f.name).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .expect("snapshot folder")
        .map(|entry| {
            entry
                .expect("snapshot entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|file| {
            let name = file.strip_prefix("snapshots__")?.strip_suffix(".snap")?;
            (!names.contains(name)).then(|| file.clone())
        })
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots without a fixture in tests/fixtures/ (delete them): {orphans:?}"
    );
}
