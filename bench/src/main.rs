//! `cargo xtask bench`: the SDK and its generator measured side by side with
//! what they replace, in one run, as ratios (this machine is shared and
//! noisy, so absolute figures mean little).
//!
//! - client vs raw reqwest: the same `POST /transactions` (same body, same
//!   key header, same decoding into the generated response type) against one
//!   in-process keep-alive server on 127.0.0.1, sequentially and with 64
//!   calls in flight, in alternating rounds;
//! - decoding (`decode.rs`): the client's success path
//!   (`serde_json::from_slice`) against a plain `#[derive(Deserialize)]`
//!   mirror of the same data (`mirror.rs`), and against a decode that tracks
//!   the field path (what every call paid before);
//! - generation (`generation.rs`): `xtask generate --spec --out` against
//!   progenitor on the reference document, both whole processes;
//! - with `--build` (`build_time.rs`): crate-only build and check time of
//!   both generated crates, and of `flagright-api`.
//!
//! Prints, for each figure, the median and the range over the rounds.
//! `flagright-bench progenitor-generate FILE OUT` (not listed in the usage)
//! is progenitor's side of the generation figure, run as a child process.

mod build_time;
mod decode;
mod generation;
mod mirror;
mod process;
mod progenitor;
mod server;
mod stats;

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use flagright_api::Client;
use flagright_api::types::{Transaction, TransactionMonitoringResponse};
use futures_util::StreamExt;

use crate::stats::{Rounds, Unit};

const USAGE: &str =
    "usage: flagright-bench [--build]   (run through `cargo xtask bench [--build]`)";
const KEY: &str = "sk-bench-0000000000000000";
const RESPONSE: &str = r#"{"transactionId":"txn-000187","executedRules":[{"ruleId":"R-2","ruleInstanceId":"ri-2","ruleName":"High amount for new user","ruleDescription":"Flags large first payments","ruleAction":"FLAG","ruleHit":true}],"hitRules":[{"ruleId":"R-2","ruleInstanceId":"ri-2","ruleName":"High amount for new user","ruleDescription":"Flags large first payments","ruleAction":"FLAG"}],"status":"FLAG"}"#;
const ROUNDS: usize = 7;
const SEQUENTIAL_CALLS: usize = 1_000;
const CONCURRENT_CALLS: usize = 4_000;
const IN_FLIGHT: usize = 64;

/// The payload every benchmark and test shares.
fn transaction() -> Transaction {
    flagright_api::samples::transaction()
}

/// The same request as the SDK's `verify`, written by hand with reqwest.
async fn raw_verify(
    http: &reqwest::Client,
    url: &str,
    tx: &Transaction,
) -> Result<TransactionMonitoringResponse, Box<dyn std::error::Error>> {
    let body = serde_json::to_vec(tx)?;
    let response = http
        .post(url)
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {
        return Err(format!("status {status}").into());
    }
    Ok(serde_json::from_slice(&bytes)?)
}

async fn sequential(
    client: &Client,
    http: &reqwest::Client,
    url: &str,
    tx: &Transaction,
    reqwest_first: bool,
) -> (f64, f64) {
    let ours = async {
        let started = Instant::now();
        for _ in 0..SEQUENTIAL_CALLS {
            black_box(client.transactions().verify(tx).await.expect("verify"));
        }
        SEQUENTIAL_CALLS as f64 / started.elapsed().as_secs_f64()
    };
    let theirs = async {
        let started = Instant::now();
        for _ in 0..SEQUENTIAL_CALLS {
            black_box(raw_verify(http, url, tx).await.expect("raw verify"));
        }
        SEQUENTIAL_CALLS as f64 / started.elapsed().as_secs_f64()
    };
    in_order(ours, theirs, reqwest_first).await
}

async fn concurrent(
    client: &Client,
    http: &reqwest::Client,
    url: &str,
    tx: &Transaction,
    reqwest_first: bool,
) -> (f64, f64) {
    let ours = async {
        let started = Instant::now();
        futures_util::stream::iter(0..CONCURRENT_CALLS)
            .map(|_| async { client.transactions().verify(tx).await.expect("verify") })
            .buffer_unordered(IN_FLIGHT)
            .for_each(|r| {
                black_box(r);
                async {}
            })
            .await;
        CONCURRENT_CALLS as f64 / started.elapsed().as_secs_f64()
    };
    let theirs = async {
        let started = Instant::now();
        futures_util::stream::iter(0..CONCURRENT_CALLS)
            .map(|_| async { raw_verify(http, url, tx).await.expect("raw verify") })
            .buffer_unordered(IN_FLIGHT)
            .for_each(|r| {
                black_box(r);
                async {}
            })
            .await;
        CONCURRENT_CALLS as f64 / started.elapsed().as_secs_f64()
    };
    in_order(ours, theirs, reqwest_first).await
}

/// Runs both sides one after the other, in the order given (rounds
/// alternate it, so neither side always runs first), returning (ours, theirs).
async fn in_order(
    ours: impl std::future::Future<Output = f64>,
    theirs: impl std::future::Future<Output = f64>,
    theirs_first: bool,
) -> (f64, f64) {
    if theirs_first {
        let theirs = theirs.await;
        (ours.await, theirs)
    } else {
        let ours = ours.await;
        (ours, theirs.await)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [command, spec, out] if command == "progenitor-generate" => {
            progenitor::generate(Path::new(spec), Path::new(out))
        }
        [] => run(false),
        [flag] if flag == "--build" => run(true),
        _ => Err(format!("unknown arguments {args:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(build: bool) -> Result<(), String> {
    println!(
        "ours vs theirs, median ratio over alternating rounds (range); absolute figures are medians ({}):",
        stats::load()
    );
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))?
        .block_on(client());
    decode::bench(RESPONSE)?;
    generation::bench();
    if build {
        build_time::bench();
    }
    println!("({} at the end)", stats::load());
    Ok(())
}

/// The client against raw reqwest, sequential and concurrent.
async fn client() {
    let addr = server::start(RESPONSE).await;
    let base = format!("http://{addr}");
    let url = format!("{base}/transactions");
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .build()
        .expect("client");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    // The client gives every attempt a deadline (60 s) and every connection
    // a connect timeout (10 s); hand-written code that does the same pays
    // for a timer per request too.
    let http_timed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .connect_timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("reqwest client");
    let tx = transaction();
    // Warm up the connection pools.
    sequential(&client, &http, &url, &tx, false).await;
    concurrent(&client, &http, &url, &tx, false).await;
    concurrent(&client, &http_timed, &url, &tx, false).await;

    let mut rounds = Rounds::default();
    for round in 0..ROUNDS {
        let (o, t) = sequential(&client, &http, &url, &tx, round % 2 == 1).await;
        rounds.push(o, t);
    }
    rounds.print(
        &format!("sequential verify ({SEQUENTIAL_CALLS} calls), req/s"),
        Unit::RequestsPerSecond,
        "reqwest",
        ">= 0.95x",
    );
    let mut rounds = Rounds::default();
    for round in 0..ROUNDS {
        let (o, t) = concurrent(&client, &http, &url, &tx, round % 2 == 1).await;
        rounds.push(o, t);
    }
    rounds.print(
        &format!("{IN_FLIGHT} in flight ({CONCURRENT_CALLS} calls), req/s"),
        Unit::RequestsPerSecond,
        "reqwest",
        ">= 0.95x",
    );
    let mut rounds = Rounds::default();
    for round in 0..ROUNDS {
        let (o, t) = concurrent(&client, &http_timed, &url, &tx, round % 2 == 1).await;
        rounds.push(o, t);
    }
    rounds.print(
        &format!("{IN_FLIGHT} in flight, reqwest with timeouts, req/s"),
        Unit::RequestsPerSecond,
        "reqwest",
        ">= 0.95x",
    );
}
