//! Writing generated files: only when the text differs, removing files no longer produced.

use codegen::File;
use std::collections::BTreeSet;
use std::path::Path;

/// What syncing a directory changed (or, in check mode, would change).
#[derive(Debug, Default)]
pub struct Report {
    /// Files written (differing or new).
    pub written: Vec<String>,
    /// Files removed because the generator no longer produces them.
    pub removed: Vec<String>,
    /// Every path that differs from what the generator produces (check mode).
    pub stale: Vec<String>,
}

/// Makes `dir` hold exactly `files`; in check mode, only reports differences.
pub fn sync_dir(dir: &Path, files: &[File], check: bool) -> Result<Report, String> {
    let mut report = Report::default();
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = dir.join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.text.as_str()) {
            continue;
        }
        let shown = display(dir, &file.path);
        report.stale.push(if current.is_none() {
            format!("{shown} (missing)")
        } else {
            shown.clone()
        });
        if !check {
            write_file(&path, &file.text)?;
            report.written.push(shown);
        }
    }
    for existing in list_rs_files(dir)? {
        if !wanted.contains(existing.as_str()) {
            let shown = display(dir, &existing);
            report.stale.push(format!("{shown} (no longer generated)"));
            if !check {
                let path = dir.join(&existing);
                std::fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                report.removed.push(shown);
            }
        }
    }
    Ok(report)
}

impl Report {
    /// Adds another report's entries to this one.
    pub fn merge(&mut self, other: Report) {
        self.written.extend(other.written);
        self.removed.extend(other.removed);
        self.stale.extend(other.stale);
    }
}

/// Makes one file hold `text`; in check mode, only reports a difference.
pub fn sync_file(path: &Path, text: &str, check: bool) -> Result<Report, String> {
    let mut report = Report::default();
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(report);
    }
    let root = crate::project_root();
    let shown = path
        .strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string();
    report.stale.push(shown.clone());
    if !check {
        write_file(path, text)?;
        report.written.push(shown);
    }
    Ok(report)
}

/// Writes `text` to `path` (creating folders) unless it already holds exactly that.
pub fn ensure_file_contents(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    write_file(path, text)
}

/// Writes `text` to `path`, creating its folders; callers have compared
/// the file already.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, as `/`-separated relative paths.
fn list_rs_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot list {}: {e}", folder.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                stack.push((path, format!("{prefix}{name}/")));
            } else if name.ends_with(".rs") {
                out.push(format!("{prefix}{name}"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn display(dir: &Path, relative: &str) -> String {
    let root = crate::project_root();
    let full = dir.join(relative);
    full.strip_prefix(&root)
        .unwrap_or(&full)
        .display()
        .to_string()
}
