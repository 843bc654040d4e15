//! Timing a child process, with its peak memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What one run of a child process cost.
pub struct Run {
    /// Wall time from spawn to exit, in seconds.
    pub seconds: f64,
    /// The child's maximum resident set size, in megabytes.
    pub peak_mb: f64,
}

/// Runs `command` to completion (stdout discarded, stderr shown) and fails
/// unless it exits with status 0.
pub fn run(command: &mut Command) -> Result<Run, String> {
    let name = format!("{command:?}");
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {name}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("{name}: pid: {e}"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (std never waits for a
    // `Child` on drop), and both out-pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    if reaped != pid {
        return Err(format!(
            "waiting for {name}: {}",
            std::io::Error::last_os_error()
        ));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("{name} failed (wait status {status})"));
    }
    Ok(Run {
        seconds,
        // Linux reports `ru_maxrss` in kilobytes.
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    })
}

/// Runs `command` and returns its wall time in seconds.
pub fn seconds(command: &mut Command) -> Result<f64, String> {
    run(command).map(|r| r.seconds)
}

/// A directory under the system temp dir, removed (with what is in it) on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `flagright-bench-<name>-<pid>`, emptying it if a previous run left it.
    pub fn new(name: &str) -> Result<Self, String> {
        let path =
            std::env::temp_dir().join(format!("flagright-bench-{name}-{}", std::process::id()));
        if path.exists() {
            remove(&path)?;
        }
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Removes a directory tree.
pub fn remove(path: &Path) -> Result<(), String> {
    std::fs::remove_dir_all(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))
}
