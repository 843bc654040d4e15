//! Standalone crates generated from fixture specs, built with cargo: shared by
//! `fixtures_compile.rs` and `multipart.rs`.
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
