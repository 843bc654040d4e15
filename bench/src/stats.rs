//! Medians, ranges and the one row format every figure is printed in.

use std::time::{Duration, Instant};

/// Median and range of a list of figures.
pub struct Summary {
    pub median: f64,
    pub low: f64,
    pub high: f64,
}

/// The median and range of `values`; zeros for an empty list.
pub fn summary(mut values: Vec<f64>) -> Summary {
    if values.is_empty() {
        return Summary {
            median: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    values.sort_by(f64::total_cmp);
    Summary {
        median: values[values.len() / 2],
        low: values[0],
        high: values[values.len() - 1],
    }
}

/// Ratios (ours / theirs), ours and theirs, collected round by round.
#[derive(Default)]
pub struct Rounds {
    ratio: Vec<f64>,
    ours: Vec<f64>,
    theirs: Vec<f64>,
}

impl Rounds {
    /// Records one round.
    pub fn push(&mut self, ours: f64, theirs: f64) {
        self.ratio.push(ours / theirs);
        self.ours.push(ours);
        self.theirs.push(theirs);
    }

    /// Prints the row: median ratio and its range, then both medians.
    pub fn print(self, label: &str, unit: Unit, other: &str, goal: &str) {
        let ratio = summary(self.ratio);
        let ours = unit.format(summary(self.ours).median);
        let theirs = unit.format(summary(self.theirs).median);
        println!(
            "{label:<46} {:>6.3}x  ({:.3}–{:.3})   ours {ours:>11}   {other:<10} {theirs:>11}   goal {goal}",
            ratio.median, ratio.low, ratio.high
        );
    }
}

/// How the absolute figures of a row are shown.
#[derive(Clone, Copy)]
pub enum Unit {
    RequestsPerSecond,
    Nanoseconds,
    Seconds,
    Megabytes,
}

impl Unit {
    fn format(self, value: f64) -> String {
        match self {
            Unit::RequestsPerSecond => format!("{value:.0} req/s"),
            Unit::Nanoseconds => format!("{value:.0} ns"),
            Unit::Seconds => format!("{value:.3} s"),
            Unit::Megabytes => format!("{value:.1} MB"),
        }
    }
}

/// Prints a row that has no counterpart: median and range of `values` in
/// seconds, then what it is measured against.
pub fn print_absolute(label: &str, values: Vec<f64>, note: &str) {
    let s = summary(values);
    println!(
        "{label:<46} {:>6.3} s  ({:.3}–{:.3} s)   {note}",
        s.median, s.low, s.high
    );
}

/// Median time per call of `f`, in nanoseconds, over batches lasting `budget`.
pub fn per_call_ns(budget: Duration, mut f: impl FnMut()) -> f64 {
    const BATCH: u32 = 500;
    let mut samples = Vec::new();
    let started = Instant::now();
    while started.elapsed() < budget || samples.len() < 5 {
        let t = Instant::now();
        for _ in 0..BATCH {
            f();
        }
        samples.push(t.elapsed().as_nanos() as f64 / f64::from(BATCH));
    }
    summary(samples).median
}

/// The machine's one-minute load average and core count, e.g. `load 3.2 on 2
/// cores`, so absolute figures can be read against how busy the machine was.
pub fn load() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    format!("load {load} on {cores} cores")
}
