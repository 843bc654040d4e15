//! Timing helpers shared by the benchmarks.

use std::time::{Duration, Instant};

/// Runs `f` in batches until about `budget` has passed; returns the median time per call.
pub fn per_call(budget: Duration, mut f: impl FnMut()) -> Duration {
    const BATCH: u32 = 1_000;
    let mut samples = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget || samples.len() < 5 {
        let t = Instant::now();
        for _ in 0..BATCH {
            f();
        }
        samples.push(t.elapsed() / BATCH);
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Prints the time per operation, operations per second and throughput.
pub fn report(label: &str, time: Duration, bytes: usize) {
    let per_sec = 1.0 / time.as_secs_f64();
    let mib = per_sec * bytes as f64 / (1024.0 * 1024.0);
    println!(
        "{label:<40} {time:>10.2?}/op  {per_sec:>10.0} op/s  {mib:>7.1} MiB/s  ({bytes} bytes)"
    );
}
