//! The library importer on an NDJSON file, timed: the baseline that
//! `flagright import` is measured against.
//!
//! ```text
//! cargo run --release -p flagright-cli --example library_import -- BASE_URL FILE [CHUNK_SIZE CONCURRENCY]
//! ```
//!
//! Reads the file line by line, parses each line as a transaction and
//! streams the records through `client.batch().import_transactions(..)`
//! with the same defaults as the tool, then prints the accounting and the
//! time taken.

use std::io::BufRead;
use std::time::Instant;

use flagright_api::Client;
use flagright_api::types::Transaction;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, file, rest @ ..] = args.as_slice() else {
        return Err("usage: library_import BASE_URL FILE [CHUNK_SIZE CONCURRENCY]".into());
    };
    let chunk_size = rest
        .first()
        .map_or(Ok(flagright_api::DEFAULT_CHUNK_SIZE), |s| s.parse())?;
    let concurrency = rest
        .get(1)
        .map_or(Ok(flagright_api::DEFAULT_CONCURRENCY), |s| s.parse())?;
    let started = Instant::now();
    let client = Client::builder()
        .api_key("offline")
        .base_url(base_url.as_str())
        .build()?;
    let reader = std::io::BufReader::new(std::fs::File::open(file)?);
    let records = reader.lines().map(
        |line| -> Result<Transaction, Box<dyn std::error::Error + Send + Sync>> {
            Ok(serde_json::from_str(&line?)?)
        },
    );
    let report = client
        .batch()
        .import_transactions(records)
        .chunk_size(chunk_size)
        .concurrency(concurrency)
        .await?;
    println!("{report}");
    println!("library importer: {:.3} s", started.elapsed().as_secs_f64());
    Ok(())
}
