//! The library half of `cargo xtask`: writing generated files, and standalone crates.
//!
//! The binary (`main.rs`) parses arguments; tests reuse [`sync_sdk`] (the check of
//! `cargo xtask generate --check`) and [`standalone::write`] (to build fixture crates
//! exactly as `cargo xtask generate --out` does).

pub mod fs;
pub mod standalone;

use std::path::{Path, PathBuf};

/// The workspace root: xtask lives one level below it.
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The spec the SDK is generated from, relative to the workspace root.
pub const SPEC: &str = "spec/flagright.yaml";

/// What [`sync_sdk`] generated and changed (or, in check mode, found stale).
#[derive(Debug)]
pub struct SdkSync {
    /// How many files the generator produced for `flagright-api/src/generated/`.
    pub files: usize,
    /// Files written, removed, or stale.
    pub report: fs::Report,
}

/// `cargo xtask generate [--check]`: makes `flagright-api/src/generated/`, the test
/// registry `tests/src/registry.rs` and the tool's
/// `flagright-cli/src/generated/commands.rs` what `spec/flagright.yaml` produces; in
/// check mode writes nothing and reports the stale files.
pub fn sync_sdk(root: &Path, check: bool) -> Result<SdkSync, String> {
    let spec_path = root.join(SPEC);
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let generated =
        codegen::generate_all(&text, "flagright-api").map_err(|e| format!("{SPEC}: {e}"))?;
    // Our own spec is held to the strict standard: nothing accepted with a change.
    if let Some(warning) = generated.warnings.first() {
        return Err(format!("{SPEC}: {warning}"));
    }
    let dir = root.join("flagright-api/src/generated");
    let mut report = fs::sync_dir(&dir, &generated.module, check)?;
    let registry = fs::sync_file(
        &root.join("tests/src").join(&generated.registry.path),
        &generated.registry.text,
        check,
    )?;
    report.merge(registry);
    let cli = fs::sync_file(
        &root
            .join("flagright-cli/src/generated")
            .join(&generated.cli.path),
        &generated.cli.text,
        check,
    )?;
    report.merge(cli);
    Ok(SdkSync {
        files: generated.module.len(),
        report,
    })
}
