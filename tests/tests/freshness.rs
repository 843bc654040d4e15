//! The committed generated code is exactly what the generator produces from `spec/` now.
//!
//! The same check as `cargo xtask generate --check` (it calls `xtask::sync_sdk` in check
//! mode), kept in the test suite so that a hand edit of a generated file, or a spec change
//! without regeneration, fails `cargo test`.

#[test]
fn committed_generated_code_is_fresh() {
    let sync = xtask::sync_sdk(&xtask::project_root(), true).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        sync.report.stale.is_empty(),
        "generated code is stale; run `cargo xtask generate` and commit:\n  {}",
        sync.report.stale.join("\n  ")
    );
}
