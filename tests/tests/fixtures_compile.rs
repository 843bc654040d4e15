//! Every fixture spec's generated crate compiles with no warnings.
//!
//! Each fixture becomes a standalone crate exactly as `cargo xtask generate --out`
//! writes it (runtime included), under `target/fixture-crates/`. They share one
//! target directory and the workspace's `Cargo.lock`, so dependencies build once.

use flagright_tests::fixture_crate;
use flagright_tests::fixtures::fixtures;

#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let base = fixture_crate::base();
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let name = &fixture.name;
        let module =
            codegen::generate_module(&fixture.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = base.join(name);
        fixture_crate::write(&out, &module).unwrap_or_else(|e| panic!("{name}: {e}"));
        let output = fixture_crate::cargo(
            &[
                "check",
                "--quiet",
                "--all-targets",
                "--features",
                "blocking,mock",
            ],
            &out,
        );
        if !output.status.success() {
            failures.push(format!(
                "{name}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures that do not compile:\n{}",
        failures.join("\n")
    );
}
