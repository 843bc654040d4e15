//! A local imitation of the batch endpoints, for trying `flagright import`
//! offline (and for `.ci/run`).
//!
//! ```text
//! cargo run -p flagright-cli --example batch_server -- [--lifetime SECONDS] [--lines N FILE]
//! ```
//!
//! Prints its base URL (`http://127.0.0.1:PORT`, a free port) as the first
//! line on standard output, then serves until standard input closes or
//! `--lifetime` seconds (default 600) have passed, whichever comes first.
//! With `--lines N FILE` it first writes `N` NDJSON transactions to `FILE`.

#[path = "support/batch_mock.rs"]
mod batch_mock;

use std::io::Write;
use std::time::Duration;

use tokio::io::AsyncReadExt;

/// A transaction with the required fields and a few more, as a template.
fn template() -> serde_json::Value {
    serde_json::json!({
        "type": "TRANSFER",
        "transactionId": "txn-000000",
        "timestamp": 1732190400000u64,
        "originUserId": "user-1",
        "destinationUserId": "user-2",
        "originAmountDetails": { "transactionAmount": 125.5, "transactionCurrency": "EUR", "country": "DE" },
        "destinationAmountDetails": { "transactionAmount": 125.5, "transactionCurrency": "EUR", "country": "FR" }
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut lifetime = 600u64;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--lifetime" => lifetime = iter.next().ok_or("--lifetime needs seconds")?.parse()?,
            "--lines" => {
                let count: usize = iter.next().ok_or("--lines needs a count")?.parse()?;
                let path = iter.next().ok_or("--lines needs a file")?;
                let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
                for line in batch_mock::transaction_lines(&template(), count) {
                    writeln!(out, "{line}")?;
                }
                out.flush()?;
            }
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    let mock = batch_mock::start(&[]).await;
    println!("{}", mock.server.uri());
    std::io::stdout().flush()?;
    let stdin_closed = async {
        let mut sink = [0u8; 64];
        let mut stdin = tokio::io::stdin();
        while matches!(stdin.read(&mut sink).await, Ok(n) if n > 0) {}
    };
    tokio::select! {
        () = stdin_closed => {}
        () = tokio::time::sleep(Duration::from_secs(lifetime)) => {}
    }
    eprintln!(
        "batch_server: received {} records",
        mock.received.load(std::sync::atomic::Ordering::Relaxed)
    );
    Ok(())
}
