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

/// The lowering modules each file names (`use super::x`, `super::x::y`,
/// `use super::{x, y}`).
fn lowering_imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lower");
    let modules: Vec<String> = sources(&dir)
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_owned))
        .filter(|m| m != "mod")
        .collect();
    let mut graph = std::collections::BTreeMap::new();
    for module in &modules {
        let text = std::fs::read_to_string(dir.join(format!("{module}.rs"))).expect("a source");
        // Only code before the unit tests counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut uses = std::collections::BTreeSet::new();
        for other in modules.iter().filter(|m| *m != module) {
            let named = code.contains(&format!("super::{other}::"))
                || code.contains(&format!("super::{other};"))
                || code.lines().any(|line| {
                    line.trim_start().starts_with("use super::{")
                        && line.split(['{', '}', ',', ' ']).any(|word| {
                            word.trim() == other || word.trim() == format!("{other}::self")
                        })
                });
            if named {
                uses.insert(other.clone());
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

#[test]
fn lowering_files_import_each_other_without_a_circle() {
    let graph = lowering_imports();
    assert!(
        graph
            .get("schema")
            .is_some_and(|uses| uses.contains("context"))
    );
    // Depth-first search for a back edge, iteratively.
    for start in graph.keys() {
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                assert!(
                    next != start,
                    "import circle in codegen/src/lower: {} -> {next}",
                    path.join(" -> ")
                );
                if !path.contains(next) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
}
