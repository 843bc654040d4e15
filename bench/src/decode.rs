//! Decoding: the client's success path (`serde_json::from_slice` into the
//! generated type) against a plain `#[derive(Deserialize)]` mirror of the
//! same data (`mirror.rs`), and against a decode that tracks the field path
//! (what every call paid before), on the same bytes, in alternating rounds.

use std::hint::black_box;
use std::time::Duration;

use flagright_api::types;
use serde::de::DeserializeOwned;

use crate::mirror;
use crate::stats::{Rounds, Unit, per_call_ns};

const ROUNDS: usize = 7;
const BUDGET: Duration = Duration::from_millis(150);

/// A card payment, 141 bytes, as in issue 14.
pub const CARD: &str = r#"{"method":"CARD","cardFingerprint":"fp_9c1e4b7d2a6f4e0b","cardIssuedCountry":"DE","cardLast4Digits":"4242","cardBrand":"VISA","3dsDone":true}"#;

/// A transfer from a card to an IBAN: a transaction carrying two payment details.
pub const TRANSACTION: &str = r#"{"type":"TRANSFER","transactionId":"txn-000187","timestamp":1732190400000,"originUserId":"usr-c-7f3c2a91","destinationUserId":"usr-c-2b81e0d4","transactionState":"SUCCESSFUL","originAmountDetails":{"transactionAmount":1250.0,"transactionCurrency":"EUR","country":"DE"},"destinationAmountDetails":{"transactionAmount":1072.5,"transactionCurrency":"GBP","country":"GB"},"originPaymentDetails":{"method":"CARD","cardFingerprint":"fp_9c1e4b7d2a6f4e0b","cardIssuedCountry":"DE","cardLast4Digits":"4242","cardBrand":"VISA","3dsDone":true},"destinationPaymentDetails":{"method":"IBAN","IBAN":"GB33BUKB20201555555555","BIC":"BUKBGB22","country":"GB","name":"Amara Okafor"},"reference":"invoice 2024-0187"}"#;

/// Prints the decode rows.
pub fn bench(response: &str) -> Result<(), String> {
    against_mirror::<types::TransactionMonitoringResponse, mirror::TransactionMonitoringResponse>(
        "decode TransactionMonitoringResponse vs derive",
        response,
    )?;
    against_mirror::<types::PaymentDetails, mirror::PaymentDetails>(
        "decode PaymentDetails (CARD, 141 B) vs derive",
        CARD,
    )?;
    against_mirror::<types::Transaction, mirror::Transaction>(
        "decode Transaction (CARD + IBAN) vs derive",
        TRANSACTION,
    )?;
    against_path_tracking::<types::TransactionMonitoringResponse>(
        "decode TransactionMonitoringResponse vs path",
        response,
    )
}

/// Fails unless `json` decodes into `T`, so no timed decode is a failure.
fn check<T: DeserializeOwned>(json: &str, what: &str) -> Result<(), String> {
    serde_json::from_str::<T>(json)
        .map(drop)
        .map_err(|e| format!("the benchmark data does not decode into {what}: {e}"))
}

fn against_mirror<Ours: DeserializeOwned, Mirror: DeserializeOwned>(
    label: &str,
    json: &str,
) -> Result<(), String> {
    check::<Ours>(json, std::any::type_name::<Ours>())?;
    check::<Mirror>(json, std::any::type_name::<Mirror>())?;
    let bytes = json.as_bytes();
    let mut rounds = Rounds::default();
    for _ in 0..ROUNDS {
        let ours = per_call_ns(BUDGET, || {
            black_box(serde_json::from_slice::<Ours>(black_box(bytes)).ok());
        });
        let theirs = per_call_ns(BUDGET, || {
            black_box(serde_json::from_slice::<Mirror>(black_box(bytes)).ok());
        });
        rounds.push(ours, theirs);
    }
    rounds.print(label, Unit::Nanoseconds, "derive", "<= 1.3x");
    Ok(())
}

fn against_path_tracking<T: DeserializeOwned>(label: &str, json: &str) -> Result<(), String> {
    check::<T>(json, std::any::type_name::<T>())?;
    let bytes = json.as_bytes();
    let mut rounds = Rounds::default();
    for _ in 0..ROUNDS {
        let ours = per_call_ns(BUDGET, || {
            black_box(serde_json::from_slice::<T>(black_box(bytes)).ok());
        });
        let theirs = per_call_ns(BUDGET, || {
            let mut de = serde_json::Deserializer::from_slice(black_box(bytes));
            black_box(serde_path_to_error::deserialize::<_, T>(&mut de).ok());
        });
        rounds.push(ours, theirs);
    }
    rounds.print(label, Unit::Nanoseconds, "path", "(lower is better)");
    Ok(())
}
