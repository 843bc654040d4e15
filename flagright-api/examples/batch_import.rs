//! Imports 250 transactions with five payment methods through the batch
//! endpoint, then reads the screening results back page by page with the
//! item stream and prints a summary.
//!
//! ```sh
//! cargo run -p flagright-api --example batch_import                    # offline mock
//! FLAGRIGHT_API_KEY=... cargo run -p flagright-api --example batch_import # sandbox
//! ```

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use flagright_api::Error;
use flagright_api::types::{
    AchDetails, BatchTransactionMonitoringResult, CardBrand, CardDetails, CountryCode,
    CurrencyCode, DeviceData, IbanDetails, PaymentDetails, Transaction, TransactionAmountDetails,
    TransactionBatchRequest, TransactionState, UpiDetails, WalletDetails, WalletNetwork,
};
use futures_util::StreamExt;

/// How many transactions to import.
const COUNT: usize = 250;
/// Results per page when reading them back (the API allows 1 to 100).
const PAGE_SIZE: i64 = 100;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let target = support::connect().await?;
    let client = &target.client;

    let run = support::run_id();
    let batch_id = format!("batch-{run}");
    let transactions: Vec<Transaction> = (0..COUNT).map(|i| transaction(&run, i)).collect();
    let mut methods: BTreeMap<&str, usize> = BTreeMap::new();
    for tx in &transactions {
        let method = tx
            .origin_payment_details
            .as_ref()
            .and_then(PaymentDetails::tag);
        *methods.entry(method.unwrap_or("?")).or_default() += 1;
    }
    println!("Importing {COUNT} transactions as batch {batch_id}");
    println!("  payment methods: {}", counts(&methods));

    let request = TransactionBatchRequest::new(transactions).batch_id(batch_id.clone());
    let ack = client
        .batch()
        .verify_transaction(&request)
        .validate_origin_user_id(false)
        .validate_destination_user_id(false)
        .await?;
    println!(
        "Batch {}: {}, {} accepted, {} rejected",
        ack.batch_id, ack.status, ack.successful, ack.failed
    );
    for failed in ack.failed_records.as_deref().unwrap_or_default() {
        println!(
            "  rejected {}: {}",
            failed.id.as_deref().unwrap_or("?"),
            failed.reason_code.as_deref().unwrap_or("no reason given")
        );
    }

    // The API screens batches in the background: poll until every accepted
    // transaction has a result (at once on the offline mock).
    let expected = ack.successful as usize;
    let mut results = Vec::new();
    for attempt in 1..=10 {
        results = read_results(client, &ack.batch_id).await?;
        if results.len() >= expected {
            break;
        }
        println!(
            "  {} of {expected} results ready; waiting (attempt {attempt} of 10)",
            results.len()
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
    }

    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut scores = Vec::new();
    for result in &results {
        *by_status.entry(result.status.to_string()).or_default() += 1;
        for rule in &result.hit_rules {
            *by_rule.entry(rule.rule_name.clone()).or_default() += 1;
        }
        if let Some(score) = result.risk_score_details.as_ref().and_then(|r| r.trs_score) {
            scores.push(score);
        }
    }
    println!("\nRead {} results", results.len());
    println!(
        "  decisions: {}",
        counts(&by_status.iter().map(|(k, v)| (k.as_str(), *v)).collect())
    );
    for (rule, hits) in &by_rule {
        println!("  rule hit {hits:>3} times: {rule}");
    }
    if !scores.is_empty() {
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        let max = scores.iter().copied().fold(f64::MIN, f64::max);
        println!("  transaction risk score: mean {mean:.1}, max {max:.1}");
    }
    let blocked: Vec<_> = results
        .iter()
        .filter(|r| r.status.as_str() == "BLOCK")
        .take(3)
        .collect();
    if !blocked.is_empty() {
        println!("  first blocked transactions:");
        for result in blocked {
            let rules: Vec<_> = result
                .hit_rules
                .iter()
                .map(|r| r.rule_name.as_str())
                .collect();
            println!("    {} ({})", result.transaction_id, rules.join(", "));
        }
    }

    if target.is_offline() {
        println!("\n(These results came from the offline mock, not from Flagright.)");
    }
    Ok(())
}

/// Reads every result of a batch, `PAGE_SIZE` per request, through the stream.
async fn read_results(
    client: &flagright_api::Client,
    batch_id: &str,
) -> Result<Vec<BatchTransactionMonitoringResult>, Error> {
    let mut stream = client
        .batch()
        .get_transactions(batch_id)
        .page_size(PAGE_SIZE)
        .stream();
    let mut results = Vec::new();
    while let Some(result) = stream.next().await {
        results.push(result?);
        if results.len() % PAGE_SIZE as usize == 1 {
            // The stream fetched a new page to yield this item.
            println!("  page {} received", results.len() / PAGE_SIZE as usize + 1);
        }
    }
    Ok(results)
}

/// The `i`-th transaction of the batch: varied amounts, methods and countries.
fn transaction(run: &str, i: usize) -> Transaction {
    // A cheap deterministic spread of amounts: mostly small, some large.
    let amount = ((i * 7919 + 13) % 1500) as f64 / 10.0
        * match i % 23 {
            0 => 20.0,
            _ => 1.0,
        };
    let origin: PaymentDetails = match i % 5 {
        0 => CardDetails::new()
            .card_fingerprint(format!("fp_{:010x}", i * 104_729))
            .card_brand(match i % 2 {
                0 => CardBrand::Visa,
                _ => CardBrand::Mastercard,
            })
            .card_issued_country(match i % 97 {
                0 => CountryCode::Ir,
                _ => CountryCode::De,
            })
            .card_last4_digits(format!("{:04}", (i * 37) % 10_000))
            .into(),
        1 => IbanDetails::new()
            .iban(format!("DE89370400440532{:06}", i))
            .bic("COBADEFFXXX")
            .name("Jonas Weber")
            .into(),
        2 => AchDetails::new()
            .account_number(format!("{:09}", 120_000_000 + i))
            .routing_number("021000021")
            .bank_name("Example Bank N.A.")
            .into(),
        3 => UpiDetails::new(format!("user{i}@okaxis")).into(),
        _ => WalletDetails::new()
            .wallet_id(format!("0x{:040x}", i * 982_451_653))
            .network(WalletNetwork::Ethereum)
            .into(),
    };
    let currency = match i % 5 {
        2 => CurrencyCode::Usd,
        3 => CurrencyCode::Inr,
        4 => CurrencyCode::Usdc,
        _ => CurrencyCode::Eur,
    };
    let ip_country = match i % 31 {
        0 => CountryCode::Br,
        _ => CountryCode::De,
    };
    Transaction::new(
        "TRANSFER",
        format!("txn-{run}-{i:04}"),
        support::now_millis() - (COUNT - i) as f64 * 60_000.0,
    )
    .origin_user_id(format!("usr-c-{:04}", i % 40))
    .destination_user_id(format!("usr-c-{:04}", (i + 7) % 40))
    .transaction_state(TransactionState::Successful)
    .origin_amount_details(TransactionAmountDetails::new(amount, currency))
    .origin_payment_details(origin)
    .destination_payment_details(
        IbanDetails::new()
            .iban("GB33BUKB20201555555555")
            .bic("BUKBGB22"),
    )
    .origin_device_data(DeviceData::new().ip_country(ip_country))
}

/// `A 12, B 3` from a map of counts.
fn counts(map: &BTreeMap<&str, usize>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
