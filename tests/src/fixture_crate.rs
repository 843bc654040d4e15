//! Standalone crates generated from fixture specs, built with cargo: shared by
//! `fixtures_compile.rs`, `multipart.rs` and the tests that run a
//! `fixture_tests/` file inside a fixture's crate ([`run_inside`]).
//!
//! Each crate is written exactly as `cargo xtask generate --out` writes it,
//! under `target/fixture-crates/`, with the workspace's `Cargo.lock`; they
//! share one target directory, so dependencies build once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where the fixture crates and their shared target directory live.
pub fn base() -> PathBuf {
    root().join("target/fixture-crates")
}

/// Writes the standalone crate of `module` to `out`, with the workspace's
/// `Cargo.lock`.
pub fn write(out: &Path, module: &codegen::Module) -> Result<(), String> {
    let root = root();
    let runtime = xtask::standalone::Runtime::in_workspace(&root);
    xtask::standalone::write(out, &module.files, &module.features, &runtime)?;
    let lock = std::fs::read(root.join("Cargo.lock"))
        .map_err(|e| format!("read the workspace Cargo.lock: {e}"))?;
    std::fs::write(out.join("Cargo.lock"), lock)
        .map_err(|e| format!("copy Cargo.lock to {}: {e}", out.display()))
}

/// Runs `cargo ARGS --manifest-path CRATE/Cargo.toml` with warnings denied,
/// in the shared target directory.
pub fn cargo(args: &[&str], krate: &Path) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"));
    Command::new(&cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", base().join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap_or_else(|e| panic!("{cargo} runs: {e}"))
}

/// Generates the crate of `tests/fixtures/{fixture}.yaml` into `dir` under
/// [`base`], copies `tests/fixture_tests/{test}.rs` into its `tests/`, runs
/// that test with `features` (`cargo test --quiet --test {test}` plus the
/// extra arguments) and returns its stdout; panics with cargo's output when
/// it fails. The module is handed to `check` first, to assert on it.
pub fn run_inside(
    fixture: &str,
    dir: &str,
    test: &str,
    features: &[&str],
    check: impl FnOnce(&codegen::Module),
) -> String {
    let root = root();
    let out = base().join(dir);
    let text = std::fs::read_to_string(root.join(format!("tests/fixtures/{fixture}.yaml")))
        .unwrap_or_else(|e| panic!("the {fixture} fixture: {e}"));
    let module = codegen::generate_module(&text).expect("the fixture generates");
    check(&module);
    write(&out, &module).expect("the crate is written");
    std::fs::create_dir_all(out.join("tests")).expect("a tests folder");
    std::fs::copy(
        root.join(format!("tests/fixture_tests/{test}.rs")),
        out.join(format!("tests/{test}.rs")),
    )
    .unwrap_or_else(|e| panic!("copy fixture_tests/{test}.rs: {e}"));
    let mut args = vec!["test", "--quiet"];
    args.extend_from_slice(features);
    args.extend(["--test", test]);
    let output = cargo(&args, &out);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`{test}` failed inside the {fixture} crate:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}
