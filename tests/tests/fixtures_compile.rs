//! Every fixture spec's generated crate compiles with no warnings.
//!
//! Each fixture becomes a standalone crate exactly as `cargo xtask generate --out`
//! writes it (runtime included), under `target/fixture-crates/`. They share one
//! target directory and the workspace's `Cargo.lock`, so dependencies build once.

use std::path::{Path, PathBuf};
use std::process::Command;

use flagright_tests::fixtures::fixtures;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let root = root();
    let base = root.join("target/fixture-crates");
    let lock = std::fs::read(root.join("Cargo.lock")).expect("workspace Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    let mut failures = Vec::new();
    for fixture in fixtures() {
        let name = &fixture.name;
        let module =
            codegen::generate_module(&fixture.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = base.join(name);
        xtask::standalone::write(&root, &out, &module.files, &module.features)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::write(out.join("Cargo.lock"), &lock).expect("copy Cargo.lock");
        let output = Command::new(&cargo)
            .args([
                "check",
                "--quiet",
                "--features",
                "blocking",
                "--manifest-path",
            ])
            .arg(out.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", base.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
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
