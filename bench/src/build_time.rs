//! `--build`: crate-only debug build time of the crate we generate from the
//! reference document against progenitor's, and of `flagright-api` itself.
//!
//! Both generated crates go into one temporary workspace with one target
//! dir, so they share every dependency, which is built once up front. A
//! round touches a crate's `lib.rs` and times `cargo build -p <crate>` (a
//! whole process, `CARGO_INCREMENTAL=0`), alternating ours and theirs; then
//! the same with `cargo check`. `flagright-api` is built from this
//! repository into the same temporary target dir, never into `target/`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::generation::{self, project_root, reference_spec, xtask_binary};
use crate::process::{self, TempDir};
use crate::progenitor;
use crate::stats::{Rounds, Unit, print_absolute};

/// At least 5, as the issue asks; each round is tens of seconds.
const ROUNDS: usize = 5;

/// Issue 14's measurement of `flagright-api`'s crate-only debug build.
const SDK_BUILD_BEFORE: f64 = 18.7;

/// Prints the build rows, or why they are skipped.
pub fn bench() {
    let dir = match TempDir::new("build") {
        Ok(dir) => dir,
        Err(message) => {
            println!("build time: skipped, {message}");
            return;
        }
    };
    let ws = Workspace {
        dir: dir.path().to_path_buf(),
    };
    let spec = reference_spec();
    if !spec.is_file() {
        println!(
            "build time vs progenitor: skipped, {} is missing",
            spec.display()
        );
    } else if let Err(message) = generated_crates(&ws, &spec) {
        println!("build time vs progenitor: skipped, {message}");
    }
    if let Err(message) = sdk(&ws) {
        println!("flagright-api build time: skipped, {message}");
    }
}

/// The temporary directory: the workspace of both generated crates (`ours/`,
/// `theirs/`), the target dir every build shares, and cargo's log.
struct Workspace {
    dir: PathBuf,
}

impl Workspace {
    fn target(&self) -> PathBuf {
        self.dir.join("target")
    }

    /// Runs `cargo args` in `dir` with the shared target dir; cargo's output
    /// goes to a log, whose end is shown if cargo fails.
    fn cargo(&self, dir: &Path, args: &[&str]) -> Result<f64, String> {
        let log_path = self.dir.join("cargo.log");
        let log = File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(dir)
            .args(args)
            .env("CARGO_TARGET_DIR", self.target())
            .env("CARGO_INCREMENTAL", "0")
            .stderr(log);
        process::seconds(&mut command).map_err(|message| {
            let text = std::fs::read_to_string(&log_path).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!("{message}\n{}", tail.join("\n"))
        })
    }
}

/// Marks `path` as changed, so cargo rebuilds its crate (and nothing else).
fn touch(path: &Path) -> Result<(), String> {
    File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

fn generated_crates(ws: &Workspace, spec: &Path) -> Result<(), String> {
    let xtask = xtask_binary()?;
    let root = &ws.dir;
    let (ours, theirs) = (root.join("ours"), root.join("theirs"));
    process::run(&mut generation::ours(&xtask, spec, &ours))?;
    process::run(&mut generation::theirs(spec, &theirs)?)?;
    let ours_package = join_workspace(&ours.join("Cargo.toml"))?;
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"ours\", \"theirs\"]\n",
    )?;

    eprintln!(
        "building both generated crates and their dependencies once in {} ...",
        root.display()
    );
    ws.cargo(root, &["build", "--workspace"])?;
    let mut build = Rounds::default();
    for _ in 0..ROUNDS {
        let o = timed(ws, &ours, "build", &ours_package)?;
        let t = timed(ws, &theirs, "build", progenitor::PACKAGE)?;
        build.push(o, t);
    }
    ws.cargo(root, &["check", "--workspace"])?;
    let mut check = Rounds::default();
    for _ in 0..ROUNDS {
        let o = timed(ws, &ours, "check", &ours_package)?;
        let t = timed(ws, &theirs, "check", progenitor::PACKAGE)?;
        check.push(o, t);
    }
    build.print(
        "crate-only debug build, reference spec",
        Unit::Seconds,
        "progenitor",
        "<= 1.0x (aim 0.7x)",
    );
    check.print(
        "crate-only check, reference spec",
        Unit::Seconds,
        "progenitor",
        "(lower is better)",
    );
    Ok(())
}

/// Touches `crate_dir/src/lib.rs` and times `cargo <command> -p package`.
fn timed(ws: &Workspace, crate_dir: &Path, command: &str, package: &str) -> Result<f64, String> {
    touch(&crate_dir.join("src/lib.rs"))?;
    ws.cargo(&ws.dir, &[command, "-p", package])
}

/// Drops the `[workspace]` table xtask writes into a standalone crate, so the
/// crate can be a member of the temporary workspace; returns its package name.
fn join_workspace(manifest: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let member = text.replacen("\n[workspace]\n", "\n", 1);
    if member == text {
        return Err(format!(
            "{} has no `[workspace]` line to drop; update bench/src/build_time.rs",
            manifest.display()
        ));
    }
    write(manifest, &member)?;
    member
        .lines()
        .find_map(|line| line.strip_prefix("name = \"")?.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("{} names no package", manifest.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `flagright-api` from this repository, crate-only, in a temporary target dir.
fn sdk(ws: &Workspace) -> Result<(), String> {
    let root = project_root();
    let lib = root.join("flagright-api/src/lib.rs");
    eprintln!(
        "building flagright-api and its dependencies once in {} ...",
        ws.target().display()
    );
    ws.cargo(&root, &["build", "-p", "flagright-api"])?;
    let mut build = Vec::new();
    for _ in 0..ROUNDS {
        touch(&lib)?;
        build.push(ws.cargo(&root, &["build", "-p", "flagright-api"])?);
    }
    ws.cargo(&root, &["check", "-p", "flagright-api"])?;
    let mut check = Vec::new();
    for _ in 0..ROUNDS {
        touch(&lib)?;
        check.push(ws.cargo(&root, &["check", "-p", "flagright-api"])?);
    }
    print_absolute(
        "flagright-api crate-only debug build",
        build,
        &format!(
            "goal <= {:.1} s (40% under issue 14's {SDK_BUILD_BEFORE} s)",
            SDK_BUILD_BEFORE * 0.6
        ),
    );
    print_absolute("flagright-api crate-only check", check, "(issue 14: 10 s)");
    Ok(())
}
