//! `cargo xtask bench`: the SDK measured side by side with hand-written
//! reqwest code, in one run, as ratios (this machine is shared and noisy, so
//! absolute figures mean little).
//!
//! - client vs raw reqwest: the same `POST /transactions` (same body, same
//!   key header, same decoding into the generated response type) against one
//!   in-process keep-alive server on 127.0.0.1, sequentially and with 64
//!   calls in flight, in alternating rounds;
//! - decoding: the client's success path (`serde_json::from_slice`) against
//!   a decode that tracks the field path (what every call paid before).
//!
//! Prints, for each figure, the median and the range over the rounds.

mod server;

use std::hint::black_box;
use std::time::{Duration, Instant};

use flagright_api::Client;
use flagright_api::types::{
    CardBrand, CardDetails, CountryCode, CurrencyCode, IbanDetails, Transaction,
    TransactionAmountDetails, TransactionMonitoringResponse,
};
use futures_util::StreamExt;

const KEY: &str = "sk-bench-0000000000000000";
const RESPONSE: &str = r#"{"transactionId":"txn-000187","executedRules":[{"ruleId":"R-2","ruleInstanceId":"ri-2","ruleName":"High amount for new user","ruleDescription":"Flags large first payments","ruleAction":"FLAG","ruleHit":true}],"hitRules":[{"ruleId":"R-2","ruleInstanceId":"ri-2","ruleName":"High amount for new user","ruleDescription":"Flags large first payments","ruleAction":"FLAG"}],"status":"FLAG"}"#;
const ROUNDS: usize = 7;
const SEQUENTIAL_CALLS: usize = 1_000;
const CONCURRENT_CALLS: usize = 4_000;
const IN_FLIGHT: usize = 64;

fn transaction() -> Transaction {
    Transaction::builder()
        .type_("TRANSFER")
        .transaction_id("txn-000187")
        .timestamp(1_732_190_400_000)
        .origin_user_id("usr-c-7f3c2a91")
        .destination_user_id("usr-c-2b81e0d4")
        .origin_amount_details(
            TransactionAmountDetails::builder()
                .transaction_amount(1250.0)
                .transaction_currency(CurrencyCode::Eur)
                .build(),
        )
        .origin_payment_details(
            CardDetails::builder()
                .card_fingerprint("fp_9c1e4b7d2a6f4e0b")
                .card_brand(CardBrand::Visa)
                .card_issued_country(CountryCode::De)
                .card_last4_digits("4242")
                .build(),
        )
        .destination_payment_details(
            IbanDetails::builder()
                .iban("GB33BUKB20201555555555")
                .build(),
        )
        .build()
}

/// Median and range of a list of figures.
struct Summary {
    median: f64,
    low: f64,
    high: f64,
}

fn summary(mut values: Vec<f64>) -> Summary {
    values.sort_by(f64::total_cmp);
    Summary {
        median: values[values.len() / 2],
        low: values[0],
        high: values[values.len() - 1],
    }
}

fn row(label: &str, ratio: Summary, ours: Summary, theirs: Summary, unit: &str, goal: &str) {
    println!(
        "{label:<44} {:>6.3}x  ({:.3}–{:.3})   ours {:>9.0} {unit}   reqwest {:>9.0} {unit}   goal {goal}",
        ratio.median, ratio.low, ratio.high, ours.median, theirs.median
    );
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
) -> (f64, f64) {
    let started = Instant::now();
    for _ in 0..SEQUENTIAL_CALLS {
        black_box(client.transactions().verify(tx).await.expect("verify"));
    }
    let ours = SEQUENTIAL_CALLS as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    for _ in 0..SEQUENTIAL_CALLS {
        black_box(raw_verify(http, url, tx).await.expect("raw verify"));
    }
    let theirs = SEQUENTIAL_CALLS as f64 / started.elapsed().as_secs_f64();
    (ours, theirs)
}

async fn concurrent(
    client: &Client,
    http: &reqwest::Client,
    url: &str,
    tx: &Transaction,
) -> (f64, f64) {
    let started = Instant::now();
    futures_util::stream::iter(0..CONCURRENT_CALLS)
        .map(|_| async { client.transactions().verify(tx).await.expect("verify") })
        .buffer_unordered(IN_FLIGHT)
        .for_each(|r| {
            black_box(r);
            async {}
        })
        .await;
    let ours = CONCURRENT_CALLS as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    futures_util::stream::iter(0..CONCURRENT_CALLS)
        .map(|_| async { raw_verify(http, url, tx).await.expect("raw verify") })
        .buffer_unordered(IN_FLIGHT)
        .for_each(|r| {
            black_box(r);
            async {}
        })
        .await;
    let theirs = CONCURRENT_CALLS as f64 / started.elapsed().as_secs_f64();
    (ours, theirs)
}

/// Median time per call of `f`, in nanoseconds, over batches lasting `budget`.
fn per_call_ns(budget: Duration, mut f: impl FnMut()) -> f64 {
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

fn decode_rounds() -> (Summary, Summary, Summary) {
    let body = RESPONSE.as_bytes();
    let mut ratios = Vec::new();
    let mut plain = Vec::new();
    let mut tracked = Vec::new();
    for _ in 0..ROUNDS {
        let ours = per_call_ns(Duration::from_millis(150), || {
            black_box(
                serde_json::from_slice::<TransactionMonitoringResponse>(black_box(body)).ok(),
            );
        });
        let path = per_call_ns(Duration::from_millis(150), || {
            let mut de = serde_json::Deserializer::from_slice(black_box(body));
            black_box(
                serde_path_to_error::deserialize::<_, TransactionMonitoringResponse>(&mut de).ok(),
            );
        });
        ratios.push(ours / path);
        plain.push(ours);
        tracked.push(path);
    }
    (summary(ratios), summary(plain), summary(tracked))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
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
    let tx = transaction();
    // Warm up both connection pools.
    sequential(&client, &http, &url, &tx).await;

    println!("flagright-api vs hand-written reqwest, {ROUNDS} alternating rounds (median, range):");
    let (mut ratio, mut ours, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let (o, t) = sequential(&client, &http, &url, &tx).await;
        ratio.push(o / t);
        ours.push(o);
        theirs.push(t);
    }
    row(
        &format!("sequential verify ({SEQUENTIAL_CALLS} calls), req/s"),
        summary(ratio),
        summary(ours),
        summary(theirs),
        "req/s",
        ">= 0.95x",
    );
    let (mut ratio, mut ours, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let (o, t) = concurrent(&client, &http, &url, &tx).await;
        ratio.push(o / t);
        ours.push(o);
        theirs.push(t);
    }
    row(
        &format!("{IN_FLIGHT} in flight ({CONCURRENT_CALLS} calls), req/s"),
        summary(ratio),
        summary(ours),
        summary(theirs),
        "req/s",
        ">= 0.95x",
    );
    let (ratio, plain, tracked) = decode_rounds();
    println!(
        "{:<44} {:>6.3}x  ({:.3}–{:.3})   ours {:>9.0} ns      path-tracking {:>6.0} ns   (lower is better)",
        "decode TransactionMonitoringResponse, time",
        ratio.median,
        ratio.low,
        ratio.high,
        plain.median,
        tracked.median
    );
}
