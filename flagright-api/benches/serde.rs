//! JSON speed of the generated models: a screened transaction, written and read.
//!
//! Run with `cargo bench -p flagright-api`; prints the median time per operation
//! and throughput for a card-paid transaction and for its tagged payment details.
//! Figures to watch, not assertions.

use flagright_api::types::{PaymentDetails, Transaction};
use std::hint::black_box;
use std::time::Duration;

mod support;
use support::{per_call, report};

/// The payload every benchmark and test shares.
fn transaction() -> Transaction {
    flagright_api::samples::transaction()
}

fn main() {
    let budget = Duration::from_millis(700);
    let tx = transaction();
    let json = serde_json::to_vec(&tx).expect("serializes");
    report(
        "Transaction -> JSON",
        per_call(budget, || {
            black_box(serde_json::to_vec(black_box(&tx)).ok());
        }),
        json.len(),
    );
    report(
        "JSON -> Transaction",
        per_call(budget, || {
            black_box(serde_json::from_slice::<Transaction>(black_box(&json)).ok());
        }),
        json.len(),
    );

    report(
        "JSON -> Transaction, tracking the path",
        per_call(budget, || {
            let mut de = serde_json::Deserializer::from_slice(black_box(&json));
            black_box(serde_path_to_error::deserialize::<_, Transaction>(&mut de).ok());
        }),
        json.len(),
    );

    let card: PaymentDetails = tx.origin_payment_details.clone().expect("set above");
    let card_json = serde_json::to_vec(&card).expect("serializes");
    report(
        "PaymentDetails::Card -> JSON",
        per_call(budget, || {
            black_box(serde_json::to_vec(black_box(&card)).ok());
        }),
        card_json.len(),
    );
    report(
        "JSON -> PaymentDetails (by tag)",
        per_call(budget, || {
            black_box(serde_json::from_slice::<PaymentDetails>(black_box(&card_json)).ok());
        }),
        card_json.len(),
    );
}
