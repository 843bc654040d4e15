//! The fixture specs of `tests/fixtures/`, found by listing the folder.
//!
//! Every test that uses fixtures (snapshots, compilation, generator errors) reads
//! them from here, so adding a fixture is one new file (plus its snapshot).

use std::path::{Path, PathBuf};

/// One fixture spec.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The file name without `.yaml`; also the name of its snapshot.
    pub name: String,
    /// Where the file is.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// The folder holding the fixture specs.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every `*.yaml` file of `tests/fixtures/`, sorted by name.
pub fn fixtures() -> Vec<Fixture> {
    let dir = dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut out: Vec<Fixture> = entries
        .map(|entry| entry.expect("a fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            let name = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            Fixture { name, path, text }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!out.is_empty(), "no fixtures in {}", dir.display());
    out
}
