//! Generation time against progenitor, both as whole processes on the
//! reference document: ours is the release-built `xtask generate --spec FILE
//! --out DIR` (a complete crate: manifest, generated module, runtime copy),
//! theirs is this binary's `progenitor-generate FILE OUT` (progenitor's
//! tokens, formatted with prettyplease, `lib.rs` and `Cargo.toml` written).
//! Each round writes into a fresh directory, so neither side can skip
//! unchanged files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::process::{self, TempDir};
use crate::stats::{Rounds, Unit, print_absolute};

/// At least 7, as the issue asks; each round is about a quarter of a second.
const ROUNDS: usize = 11;

/// The workspace root (bench lives one level below it).
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The newest official OpenAPI document, kept beside the repository.
pub fn reference_spec() -> PathBuf {
    project_root().join("../shared/reference/flagright-openapi-2025-03.yml")
}

/// The release-built `xtask`, which `cargo xtask bench` builds next to this binary.
pub fn xtask_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate this binary: {e}"))?;
    let xtask = exe.with_file_name(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    if xtask.is_file() {
        Ok(xtask)
    } else {
        Err(format!(
            "{} not found: build it with `cargo build --release -p xtask` \
             (`cargo xtask bench` does)",
            xtask.display()
        ))
    }
}

/// A command running `xtask generate --spec spec --out out`.
pub fn ours(xtask: &Path, spec: &Path, out: &Path) -> Command {
    let mut command = Command::new(xtask);
    command
        .args(["generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out);
    command
}

/// A command running this binary's `progenitor-generate spec out`.
pub fn theirs(spec: &Path, out: &Path) -> Result<Command, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate this binary: {e}"))?;
    let mut command = Command::new(exe);
    command.arg("progenitor-generate").arg(spec).arg(out);
    Ok(command)
}

/// Prints the generation rows, or why they are skipped.
pub fn bench() {
    let spec = reference_spec();
    if !spec.is_file() {
        println!(
            "generation vs progenitor: skipped, {} is missing",
            spec.display()
        );
        return;
    }
    if let Err(message) = rounds(&spec) {
        println!("generation vs progenitor: skipped, {message}");
    }
}

fn rounds(spec: &Path) -> Result<(), String> {
    let xtask = xtask_binary()?;
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let dir = TempDir::new("generate")?;
    let out = |side: &str, round: usize| dir.path().join(format!("{side}-{round}"));

    // One unmeasured run each: the page cache, and a check that both work.
    process::run(&mut ours(&xtask, spec, &out("ours", 0)))?;
    process::run(&mut theirs(spec, &out("theirs", 0))?)?;

    let mut time = Rounds::default();
    let mut memory = Rounds::default();
    for round in 1..=ROUNDS {
        let o = process::run(&mut ours(&xtask, spec, &out("ours", round)))?;
        let t = process::run(&mut theirs(spec, &out("theirs", round))?)?;
        time.push(o.seconds, t.seconds);
        memory.push(o.peak_mb, t.peak_mb);
        process::remove(&out("ours", round))?;
        process::remove(&out("theirs", round))?;
    }

    let mut in_process = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        codegen::generate_all(&text, "flagright-api")
            .map_err(|e| format!("{}: {e}", spec.display()))?;
        in_process.push(started.elapsed().as_secs_f64());
    }

    time.print(
        "generate reference spec, whole process, time",
        Unit::Seconds,
        "progenitor",
        "<= 0.5x",
    );
    memory.print(
        "generate reference spec, peak memory (RSS)",
        Unit::Megabytes,
        "progenitor",
        "(lower is better)",
    );
    print_absolute(
        "generate reference spec, in process",
        in_process,
        "codegen::generate_all, for orientation",
    );
    Ok(())
}
