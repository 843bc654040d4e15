//! The pipeline flows one way: `spec` → `lower` → `ir` → `emit`. Lowering
//! never reaches into the emitter, and the emitter reads only the IR (never
//! the document, the loader or the lowering code). This test reads the
//! sources and fails on an import that runs the wrong way.

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every line of the `.rs` files under `codegen/src/<part>` (and the file
/// `codegen/src/<part>.rs`, if any) that mentions one of `forbidden`.
fn offenders(part: &str, forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let dir = src.join(part);
    let mut files = if dir.is_dir() {
        sources(&dir)
    } else {
        Vec::new()
    };
    let file = src.join(format!("{part}.rs"));
    if file.exists() {
        files.push(file);
    }
    assert!(!files.is_empty(), "no sources found for `{part}`");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            if forbidden.iter().any(|f| line.contains(f)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn lowering_never_imports_the_emitter() {
    let found = offenders(
        "lower",
        &["crate::emit", "super::emit", "super::super::emit"],
    );
    assert!(
        found.is_empty(),
        "lower imports emit:\n{}",
        found.join("\n")
    );
}

#[test]
fn naming_and_the_ir_never_import_a_stage() {
    for part in ["naming", "ir"] {
        let found = offenders(part, &["crate::emit", "crate::lower", "crate::spec"]);
        assert!(
            found.is_empty(),
            "{part} imports a stage:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn the_emitter_reads_only_the_ir() {
    let found = offenders(
        "emit",
        &[
            "crate::spec",
            "crate::lower",
            "crate::normalize",
            "openapiv3",
            "serde_yaml",
        ],
    );
    assert!(
        found.is_empty(),
        "emit reads more than the IR:\n{}",
        found.join("\n")
    );
}
