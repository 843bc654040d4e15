//! Backfills 100,000 transactions through the bulk importer
//! (`client.batch().import_transactions(...)`): chunks of 100 sent 8 at a
//! time, a progress bar, and an account of every record (accepted,
//! rejected with the API's reason, or not imported with the error). Then it
//! reads one chunk's screening results back with the batch `GET`.
//!
//! ```sh
//! cargo run -p flagright-api --example batch_import                    # offline mock
//! FLAGRIGHT_API_KEY=... cargo run -p flagright-api --example batch_import # sandbox
//! ```

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use flagright_api::types::{
    AchDetails, CardBrand, CardDetails, CountryCode, CurrencyCode, DeviceData, IbanDetails,
    PaymentDetails, Transaction, TransactionAmountDetails, TransactionState, UpiDetails,
    WalletDetails, WalletNetwork,
};
use flagright_api::{Error, Progress};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};

/// How many transactions to import.
const COUNT: usize = 100_000;
/// Records per request.
const CHUNK_SIZE: usize = 100;
/// Requests in flight at once.
const CONCURRENCY: usize = 8;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let target = support::connect().await?;
    let client = &target.client;
    let run = support::run_id();
    let prefix = format!("backfill-{run}");

    println!(
        "Importing {COUNT} transactions in chunks of {CHUNK_SIZE}, {CONCURRENCY} at a time, \
         as batches {prefix}-0, {prefix}-1, ..."
    );
    let bar = ProgressBar::new(COUNT as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} records, {per_sec}, {elapsed_precise} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    // The records are made as the importer reads them: nothing holds all
    // 100,000 in memory.
    let report = client
        .batch()
        .import_transactions((0..COUNT).map(|i| transaction(&run, i)))
        .chunk_size(CHUNK_SIZE)
        .concurrency(CONCURRENCY)
        .batch_id_prefix(prefix.clone())
        .configure(|request| {
            request
                .validate_origin_user_id(false)
                .validate_destination_user_id(false)
        })
        .on_progress(move |progress: &Progress| {
            shown.set_position(progress.settled());
            shown.set_message(format!(
                "({} in flight, {} rejected, {} throttled)",
                progress.chunks_in_flight, progress.rejected, progress.throttled
            ));
        })
        .await?;
    bar.finish();

    println!("\n{report}");
    println!("  accepted:     {:>7}", report.accepted);
    println!("  rejected:     {:>7}", report.rejected.len());
    println!("  not imported: {:>7}", report.not_imported.len());
    println!(
        "  accounted:    {:>7} of {} read ({:.0} records/s)",
        report.accounted(),
        report.read,
        report.records_per_second()
    );
    assert_eq!(
        report.accounted(),
        report.read,
        "every record is accounted for"
    );
    for rejected in report.rejected.iter().take(5) {
        println!(
            "  rejected {} in {}: {}",
            rejected.id,
            rejected.batch_id,
            rejected.reason_code.as_deref().unwrap_or("no reason given")
        );
    }
    for failed in report.not_imported.iter().take(5) {
        println!(
            "  not imported {} ({}): {}",
            failed.record.transaction_id, failed.batch_id, failed.reason
        );
    }
    if let Some(error) = &report.stopped {
        println!("  stopped early after {} records: {error}", report.read);
    }

    // The API screens batches in the background: read the first chunk's
    // results back (at once on the offline mock; poll on the sandbox).
    let first = format!("{prefix}-0");
    let mut decisions: BTreeMap<String, usize> = BTreeMap::new();
    for attempt in 1..=10 {
        decisions.clear();
        let mut results = client
            .batch()
            .get_transactions(&first)
            .page_size(100)
            .stream();
        while let Some(result) = results.next().await {
            match result {
                Ok(result) => *decisions.entry(result.status.to_string()).or_default() += 1,
                Err(error) if error.is_not_found() => break,
                Err(error) => return Err(error),
            }
        }
        if decisions.values().sum::<usize>() > 0 || attempt == 10 {
            break;
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    println!(
        "\nScreening results of batch {first}: {}",
        counts(&decisions)
    );
    if target.is_offline() {
        println!("(These results came from the offline mock, not from Flagright.)");
    }
    Ok(())
}

/// The `i`-th transaction: varied amounts, methods and countries; one in
/// 20,000 has a negative amount, which the API rejects.
fn transaction(run: &str, i: usize) -> Transaction {
    // A cheap deterministic spread of amounts: mostly small, some large.
    let amount = ((i * 7919 + 13) % 1500) as f64 / 10.0
        * match (i % 20_000, i % 23) {
            (19_999, _) => -1.0,
            (_, 0) => 20.0,
            _ => 1.0,
        };
    let origin: PaymentDetails = match i % 5 {
        0 => CardDetails::builder()
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
            .build()
            .into(),
        1 => IbanDetails::builder()
            .iban(format!("DE89370400440532{:06}", i))
            .bic("COBADEFFXXX")
            .name("Jonas Weber")
            .build()
            .into(),
        2 => AchDetails::builder()
            .account_number(format!("{:09}", 120_000_000 + i))
            .routing_number("021000021")
            .bank_name("Example Bank N.A.")
            .build()
            .into(),
        3 => UpiDetails::builder()
            .upi_id(format!("user{i}@okaxis"))
            .build()
            .into(),
        _ => WalletDetails::builder()
            .wallet_id(format!("0x{:040x}", i * 982_451_653))
            .network(WalletNetwork::Ethereum)
            .build()
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
    Transaction::builder()
        .type_("TRANSFER")
        .transaction_id(format!("txn-{run}-{i:04}"))
        .timestamp(support::now_millis() - (COUNT - i) as i64 * 60_000)
        .origin_user_id(format!("usr-c-{:04}", i % 40))
        .destination_user_id(format!("usr-c-{:04}", (i + 7) % 40))
        .transaction_state(TransactionState::Successful)
        .origin_amount_details(
            TransactionAmountDetails::builder()
                .transaction_amount(amount)
                .transaction_currency(currency)
                .build(),
        )
        .origin_payment_details(origin)
        .destination_payment_details(
            IbanDetails::builder()
                .iban("GB33BUKB20201555555555")
                .bic("BUKBGB22")
                .build(),
        )
        .origin_device_data(DeviceData::builder().ip_country(ip_country).build())
        .build()
}

/// `A 12, B 3` from a map of counts.
fn counts(map: &BTreeMap<String, usize>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
