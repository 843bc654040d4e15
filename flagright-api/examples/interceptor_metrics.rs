//! Per-operation latency through an interceptor, with a correlation id on
//! every attempt. Runs offline against the crate's mock server:
//! `cargo run -p flagright-api --example interceptor_metrics`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flagright_api::mock::MockServer;
use flagright_api::{Attempt, AttemptHeaders, Interceptor, Outcome, samples};
use reqwest::header::{HeaderName, HeaderValue};

/// Latencies by operation: what a metrics exporter would publish.
#[derive(Default)]
struct Latencies(Mutex<BTreeMap<&'static str, Vec<Duration>>>);

struct Metrics(Arc<Latencies>);

impl Interceptor for Metrics {
    fn before(&self, attempt: &Attempt<'_>, headers: &mut AttemptHeaders<'_>) {
        let id = format!("{}-{}", attempt.operation, attempt.number);
        if let Ok(value) = HeaderValue::from_str(&id) {
            headers.insert(HeaderName::from_static("x-correlation-id"), value);
        }
    }

    fn after(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        if let Ok(mut latencies) = (self.0).0.lock() {
            latencies
                .entry(attempt.operation)
                .or_default()
                .push(outcome.latency);
        }
        println!(
            "{} {} attempt {}: {:?} in {:?}",
            attempt.method, attempt.operation, attempt.number, outcome.status, outcome.latency
        );
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("OFFLINE MODE: requests go to a local mock server");
    let mock = MockServer::start().await;
    let latencies = Arc::new(Latencies::default());
    let client = mock
        .client_builder()
        .interceptor(Metrics(Arc::clone(&latencies)))
        .build()?;

    let transaction = samples::transaction();
    client.transactions().verify(&transaction).await?;
    client
        .transactions()
        .get(&transaction.transaction_id)
        .await?;

    let latencies = latencies.0.lock().map_err(|_| "poisoned")?;
    for (operation, samples) in latencies.iter() {
        let total: Duration = samples.iter().sum();
        println!("{operation}: {} call(s), {total:?} in all", samples.len());
    }
    Ok(())
}
