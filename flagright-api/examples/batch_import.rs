//! Backfills 20,000 transactions from an NDJSON file (one JSON transaction
//! per line) through the bulk importer
//! (`client.batch().import_transactions(...)`): chunks of 100 sent 8 at a
//! time, a progress bar with a share done and time left, and an account of
//! every line (accepted, rejected with the API's reason, not imported with
//! the error, or not a transaction at all: one line of the file is cut
//! short). The first run is interrupted halfway, as a crash would, and the
//! second resumes it without sending anything twice. Then it reads one
//! chunk's screening results back with the batch `GET`.
//!
//! ```sh
//! cargo run -p flagright-api --example batch_import                    # offline mock
//! FLAGRIGHT_API_KEY=... cargo run -p flagright-api --example batch_import # sandbox
//! ```

mod support;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use flagright_api::types::{
    AchDetails, CardBrand, CardDetails, CountryCode, CurrencyCode, DeviceData, IbanDetails,
    PaymentDetails, Transaction, TransactionAmountDetails, TransactionState, UpiDetails,
    WalletDetails, WalletNetwork,
};
use flagright_api::{Client, Import, ImportReport, Progress};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Notify;

/// How many lines the file has.
const COUNT: usize = 20_000;
/// The line (from 0) that is cut short, so it does not parse.
const BAD_LINE: usize = 12_344;
/// Records per request.
const CHUNK_SIZE: usize = 100;
/// Requests in flight at once.
const CONCURRENCY: usize = 8;

type AnyError = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), AnyError> {
    let target = support::connect().await?;
    let client = &target.client;
    let run = support::run_id();
    // The same prefix on every run of this backfill is what lets a later
    // run resume it.
    let prefix = format!("backfill-{run}");
    let path = std::env::temp_dir().join(format!("{prefix}.ndjson"));
    write_file(&path, &run)?;
    println!(
        "Wrote {COUNT} transactions to {}, line {} cut short.",
        path.display(),
        BAD_LINE + 1
    );
    println!(
        "Importing them in chunks of {CHUNK_SIZE}, {CONCURRENCY} at a time, \
         as batches {prefix}-0, {prefix}-1, ...\n"
    );

    // The first run stops halfway, as if the process had been killed: the
    // import future is dropped with chunks in flight.
    let halfway = Arc::new(Notify::new());
    let signal = halfway.clone();
    let first = import(client, &path, &prefix)?
        .on_progress(move |progress: &Progress| {
            if progress.settled() >= COUNT as u64 / 2 {
                signal.notify_one();
            }
        })
        .into_future();
    tokio::select! {
        report = first => println!("The first run finished before it could be interrupted: {}", report?),
        () = halfway.notified() => println!("The first run was interrupted after about half of the lines.\n"),
    }

    // The second run reads the same file with the same prefix and chunk
    // size, and resumes: one `GET` per chunk tells which chunks the API
    // already has, and only the others are sent.
    println!("Running again with resume(true):");
    let bar = ProgressBar::new(COUNT as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {percent:>3}% {pos}/{len} lines, {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let report = import(client, &path, &prefix)?
        .resume(true)
        .on_progress(move |progress: &Progress| {
            shown.set_position(progress.settled());
            let left = progress.eta().map_or_else(
                || String::from("?"),
                |eta| format!("{:.0}s", eta.as_secs_f64()),
            );
            shown.set_message(format!(
                "{} left, {} imported earlier, {} in flight, {} rejected",
                left, progress.already_imported, progress.chunks_in_flight, progress.rejected
            ));
        })
        .await?;
    bar.finish();
    std::fs::remove_file(&path)?;
    print_report(&report);

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
                Err(error) => return Err(error.into()),
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

/// The import of the file at `path`: each line parsed as it is read, so a
/// line that does not parse is an `Err` item, counted in the report's
/// `invalid` with its position, not lost.
fn import<'a>(
    client: &'a Client,
    path: &Path,
    prefix: &str,
) -> io::Result<Import<'a, flagright_api::batch::TransactionsImport>> {
    let lines = BufReader::new(File::open(path)?).lines();
    let transactions =
        lines.map(|line| -> io::Result<Transaction> { Ok(serde_json::from_str(&line?)?) });
    Ok(client
        .batch()
        .import_transactions(transactions)
        // Lines do not know how many they are: say it, for the percentage
        // and the time left.
        .expected_total(COUNT as u64)
        .chunk_size(CHUNK_SIZE)
        .concurrency(CONCURRENCY)
        .batch_id_prefix(prefix)
        .configure(|request| {
            request
                .validate_origin_user_id(false)
                .validate_destination_user_id(false)
        }))
}

/// Writes `COUNT` transactions to `path`, one JSON object per line, with
/// line `BAD_LINE` cut short.
fn write_file(path: &Path, run: &str) -> io::Result<()> {
    let mut file = BufWriter::new(File::create(path)?);
    for i in 0..COUNT {
        let line = serde_json::to_string(&transaction(run, i))?;
        let line = if i == BAD_LINE {
            &line[..line.len() / 2]
        } else {
            &line[..]
        };
        writeln!(file, "{line}")?;
    }
    file.flush()
}

fn print_report(report: &ImportReport<Transaction>) {
    println!("\n{report}");
    println!("  accepted:         {:>6}", report.accepted);
    println!("  imported earlier: {:>6}", report.already_imported);
    println!("  rejected:         {:>6}", report.rejected.len());
    println!("  not imported:     {:>6}", report.not_imported.len());
    println!("  invalid lines:    {:>6}", report.invalid.len());
    println!(
        "  accounted:        {:>6} of {} lines read ({:.0} records/s)",
        report.accounted(),
        report.read,
        report.records_per_second()
    );
    assert_eq!(
        report.accounted(),
        report.read,
        "every line is accounted for"
    );
    for invalid in report.invalid.iter().take(5) {
        println!("  line {}: {}", invalid.position + 1, invalid.error);
    }
    for rejected in report.rejected.iter().take(5) {
        println!(
            "  line {}: rejected {} in {}: {}",
            rejected.position + 1,
            rejected.id,
            rejected.batch_id,
            rejected.reason_code.as_deref().unwrap_or("no reason given")
        );
    }
    for failed in report.not_imported.iter().take(5) {
        println!(
            "  line {}: not imported {} ({}): {}",
            failed.position + 1,
            failed.record.transaction_id,
            failed.batch_id,
            failed.reason
        );
    }
    if let Some(error) = &report.stopped {
        println!("  stopped early after {} lines: {error}", report.read);
    }
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
