//! Generation speed: how long `codegen` takes on our spec and on the reference document.
//!
//! Run with `cargo bench -p codegen`; prints the median, minimum and maximum of
//! several runs of the whole generation (load, lower, emit), and the size of the output. No timing is asserted anywhere:
//! these are figures to watch, not tests.

use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn measure<T>(mut f: impl FnMut() -> T) -> (Duration, Duration, Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        last = Some(out);
    }
    times.sort();
    let out = last.expect("RUNS > 0");
    (times[RUNS / 2], times[0], times[RUNS - 1], out)
}

fn bench(label: &str, path: &Path) {
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("{label}: {} not found, skipped", path.display());
        return;
    };
    let (gen_median, gen_min, gen_max, files) =
        measure(|| codegen::generate(&text).expect("spec generates"));
    let lines: usize = files.iter().map(|f| f.text.lines().count()).sum();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    println!("{label} ({}):", path.display());
    println!("  generate  median {gen_median:>9.2?}  min {gen_min:>9.2?}  max {gen_max:>9.2?}");
    println!(
        "  output    {} files, {lines} lines, {} KiB",
        files.len(),
        bytes / 1024
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("{RUNS} runs each");
    bench("spec/flagright.yaml", &root.join("spec/flagright.yaml"));
    bench(
        "reference 2025-03",
        &root.join("../shared/reference/flagright-openapi-2025-03.yml"),
    );
}
