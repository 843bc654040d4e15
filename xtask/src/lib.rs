//! The library half of `cargo xtask`: writing generated files, and standalone crates.
//!
//! The binary (`main.rs`) parses arguments; tests reuse [`standalone::write`] to
//! build fixture crates exactly as `cargo xtask generate --out` does.

pub mod fs;
pub mod standalone;

use std::path::{Path, PathBuf};

/// The workspace root: xtask lives one level below it.
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}
