//! The committed generated code is exactly what the generator produces from `spec/` now.
//!
//! The same check as `cargo xtask generate --check`, kept in the test suite so that a
//! hand edit of a generated file, or a spec change without regeneration, fails `cargo test`.

use std::path::Path;

#[test]
fn committed_generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("spec/flagright.yaml")).expect("spec is readable");
    let spec = codegen::load(&text).unwrap_or_else(|e| panic!("spec/flagright.yaml: {e}"));
    let generated = codegen::generate_all(&spec, "flagright-api").unwrap_or_else(|e| panic!("{e}"));
    let dir = root.join("flagright-api/src/generated");
    let mut stale = Vec::new();
    for file in &generated.module {
        let on_disk = std::fs::read_to_string(dir.join(&file.path)).ok();
        if on_disk.as_deref() != Some(file.text.as_str()) {
            stale.push(format!("flagright-api/src/generated/{}", file.path));
        }
    }
    let registry = std::fs::read_to_string(root.join("tests/src/registry.rs")).ok();
    if registry.as_deref() != Some(generated.registry.text.as_str()) {
        stale.push(String::from("tests/src/registry.rs"));
    }
    // Files the generator no longer produces must be gone too.
    let mut stack = vec![dir.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)
            .expect("generated folder")
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(&dir) {
                let relative = relative.to_string_lossy().replace('\\', "/");
                if !generated.module.iter().any(|f| f.path == relative) {
                    stale.push(format!(
                        "flagright-api/src/generated/{relative} (no longer generated)"
                    ));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo xtask generate` and commit:\n  {}",
        stale.join("\n  ")
    );
}
