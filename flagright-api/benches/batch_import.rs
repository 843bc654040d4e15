//! Bulk import speed: 100,000 transactions through `import_transactions`
//! against a loopback server that answers `POST /batch/transactions` the way
//! Flagright does, next to hand-written reqwest code sending the same
//! chunks (`raw`) and the same loop calling the SDK's single-batch method
//! (`sdk`), at concurrency 1, 4 and 16; then the importer's peak memory for
//! 10,000 and 100,000 records.
//!
//! Run with `cargo bench -p flagright-api --bench batch_import`. The server
//! and every measured run are separate processes (this binary started again
//! with `serve` or `run ...`), so each run's peak resident memory (`VmHWM`)
//! is the client's alone. Figures to read, not assertions.

#[path = "../tests/batch_server/mod.rs"]
mod batch_server;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use flagright_api::Client;
use flagright_api::types::{BatchResponse, Transaction, TransactionBatchRequest};
use futures_util::StreamExt;

const RECORDS: usize = 100_000;
const CHUNK: usize = 100;
const KEY: &str = "bench-key";

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("run") => run(&args[1..]),
        _ => orchestrate(),
    }
}

/// Starts the server and the measured runs, and prints the table.
fn orchestrate() {
    let exe = std::env::current_exe().expect("own path");
    let mut server = Command::new(&exe)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut url = String::new();
    BufReader::new(server.stdout.take().expect("server stdout"))
        .read_line(&mut url)
        .expect("server URL");
    let url = url.trim().to_owned();
    println!("batch import of {RECORDS} transactions, chunks of {CHUNK}, server {url}");
    println!("(median of 5 interleaved runs each; peak RSS is the largest of the 5)");
    println!(
        "{:<10} {:>11} {:>12} {:>12} {:>13} {:>9}",
        "client", "concurrency", "records/s", "requests/s", "peak RSS MiB", "vs raw"
    );
    const MODES: [&str; 3] = ["raw", "sdk", "importer"];
    const RUNS: usize = 5;
    for concurrency in [1, 4, 16] {
        let mut runs: [Vec<(f64, f64, u64)>; 3] = Default::default();
        for _ in 0..RUNS {
            for (slot, mode) in MODES.iter().enumerate() {
                runs[slot].push(measure(&exe, mode, concurrency, RECORDS, &url));
            }
        }
        let medians: Vec<(f64, f64, u64)> = runs
            .iter_mut()
            .map(|runs| {
                runs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let peak = runs.iter().map(|run| run.2).max().unwrap_or(0);
                let (rate, requests, _) = runs[runs.len() / 2];
                (rate, requests, peak)
            })
            .collect();
        for (slot, (rate, requests, peak)) in medians.iter().enumerate() {
            let versus = if slot == 0 {
                String::new()
            } else {
                format!("{:>8.1}%", 100.0 * rate / medians[0].0)
            };
            println!(
                "{:<10} {concurrency:>11} {rate:>12.0} {requests:>12.0} {:>13.1} {versus}",
                MODES[slot],
                *peak as f64 / 1024.0
            );
        }
    }
    println!("importer peak memory by input size (concurrency 16):");
    for records in [10_000, 100_000] {
        let (_, _, peak) = measure(&exe, "importer", 16, records, &url);
        println!("  {records:>7} records: {:.1} MiB", peak as f64 / 1024.0);
    }
    stop(&mut server);
}

fn stop(server: &mut Child) {
    let _ = server.kill();
    let _ = server.wait();
}

/// Runs one measurement in its own process: records/s, requests/s, peak KiB.
fn measure(
    exe: &std::path::Path,
    mode: &str,
    concurrency: usize,
    records: usize,
    url: &str,
) -> (f64, f64, u64) {
    let output = Command::new(exe)
        .args([
            "run",
            mode,
            &concurrency.to_string(),
            &records.to_string(),
            url,
        ])
        .output()
        .expect("run a measurement");
    let text = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<f64> = text
        .split_whitespace()
        .filter_map(|field| field.parse().ok())
        .collect();
    match fields.as_slice() {
        [rate, requests, peak] => (*rate, *requests, *peak as u64),
        _ => panic!(
            "measurement failed: {text} {}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = batch_server::BatchServer::start_forgetful().await;
        println!("{}", server.url);
        std::future::pending::<()>().await;
    });
}

/// `run <importer|raw> <concurrency> <records> <url>`: prints records/s,
/// requests/s and peak resident KiB.
fn run(args: &[String]) {
    let [mode, concurrency, records, url] = args else {
        panic!("usage: run <importer|raw> <concurrency> <records> <url>");
    };
    let concurrency: usize = concurrency.parse().expect("concurrency");
    let records: usize = records.parse().expect("records");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let (accepted, requests) = runtime.block_on(async {
        match mode.as_str() {
            "importer" => importer(url, concurrency, records).await,
            "sdk" => sdk(url, concurrency, records).await,
            _ => raw(url, concurrency, records).await,
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(accepted, records as u64, "every record accepted");
    println!(
        "{:.1} {:.1} {}",
        accepted as f64 / seconds,
        requests as f64 / seconds,
        peak_kib()
    );
}

async fn importer(url: &str, concurrency: usize, records: usize) -> (u64, u64) {
    let client = Client::builder()
        .api_key(KEY)
        .base_url(url)
        .build()
        .expect("client");
    let report = client
        .batch()
        .import_transactions((0..records).map(transaction))
        .chunk_size(CHUNK)
        .concurrency(concurrency)
        .batch_id_prefix("bench")
        .await
        .expect("import");
    (report.accepted, report.requests)
}

/// The SDK's single-batch call in the same hand-written loop as `raw`: how
/// much of the difference is the client's request path, not the importer.
async fn sdk(url: &str, concurrency: usize, records: usize) -> (u64, u64) {
    let client = Client::builder()
        .api_key(KEY)
        .base_url(url)
        .build()
        .expect("client");
    let client = &client;
    let counts = futures_util::stream::iter((0..records).map(transaction))
        .chunks(CHUNK)
        .enumerate()
        .map(|(index, chunk)| async move {
            let body = TransactionBatchRequest::builder()
                .data(chunk)
                .batch_id(format!("sdk-{index}"))
                .build();
            let ack = client
                .batch()
                .verify_transaction(&body)
                .await
                .expect("send");
            ack.successful as u64
        })
        .buffer_unordered(concurrency);
    total(counts).await
}

/// What a user would write by hand: chunk, serialize, POST, parse, sum.
async fn raw(url: &str, concurrency: usize, records: usize) -> (u64, u64) {
    let http = reqwest::Client::new();
    let endpoint = format!("{url}/batch/transactions");
    let counts = futures_util::stream::iter((0..records).map(transaction))
        .chunks(CHUNK)
        .enumerate()
        .map(|(index, chunk)| {
            let http = http.clone();
            let endpoint = endpoint.clone();
            async move {
                let body = TransactionBatchRequest::builder()
                    .data(chunk)
                    .batch_id(format!("raw-{index}"))
                    .build();
                let body = serde_json::to_vec(&body).expect("serialize");
                let response = http
                    .post(&endpoint)
                    .header("x-api-key", KEY)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("send");
                let bytes = response.bytes().await.expect("body");
                let ack: BatchResponse = serde_json::from_slice(&bytes).expect("decode");
                ack.successful as u64
            }
        })
        .buffer_unordered(concurrency);
    total(counts).await
}

/// Accepted records and requests, from each request's accepted count.
async fn total(counts: impl futures_util::Stream<Item = u64>) -> (u64, u64) {
    counts
        .fold((0, 0), |(accepted, requests), ok| async move {
            (accepted + ok, requests + 1)
        })
        .await
}

/// The `i`-th card-to-IBAN transfer (about 900 bytes of JSON), shaped like
/// the payload every benchmark and test shares.
fn transaction(i: usize) -> Transaction {
    flagright_api::samples::numbered_transaction(i)
}

/// Peak resident memory of this process in KiB (`VmHWM`; 0 off Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
