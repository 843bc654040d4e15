//! Cost of verifying a webhook delivery of about 10 KB.
//!
//! Run with `cargo bench -p flagright-api --bench webhooks`; prints the median
//! time per delivery for the signature check alone (one secret; two secrets
//! during a rotation, matching the second; a forged signature, which tries
//! every secret) and for the check plus reading the typed event.
//! Figures to watch, not assertions.

use flagright_api::webhooks::{self, WebhookVerifier};
use serde_json::json;
use std::hint::black_box;
use std::time::Duration;

mod support;
use support::{per_call, report};

const CURRENT: &str = "whsec_bench_current_51c0";
const PREVIOUS: &str = "whsec_bench_previous_7e2a";

/// A `CASE_OPENED` delivery padded with transaction ids to just over 10 KB.
fn body() -> Vec<u8> {
    let mut ids = Vec::new();
    let mut body = Vec::new();
    while body.len() < 10 * 1024 {
        ids.push(format!("txn-{:06}", ids.len()));
        body = serde_json::to_vec(&json!({
            "id": "whk-bench-0001",
            "type": "CASE_OPENED",
            "triggeredBy": "SYSTEM",
            "createdTimestamp": 1_732_194_000_000_i64,
            "account": "acc-bench",
            "data": {
                "caseId": "C-1043",
                "caseType": "SYSTEM",
                "status": "OPEN",
                "userId": "usr-b-4d20e8f1",
                "userType": "BUSINESS",
                "transactionIds": ids,
            },
        }))
        .expect("serializes");
    }
    body
}

fn main() {
    let budget = Duration::from_millis(500);
    let body = body();
    let one = WebhookVerifier::new(CURRENT);
    let rotating = WebhookVerifier::new(CURRENT).with_secret(PREVIOUS);
    let signed = webhooks::sign(&body, CURRENT);
    let signed_old = webhooks::sign(&body, PREVIOUS);
    let forged = "0".repeat(64);

    let check = |verifier: &WebhookVerifier, header: &str| {
        per_call(budget, || {
            black_box(verifier.verify_signature(black_box(&body), header).ok());
        })
    };
    report("signature, 1 secret", check(&one, &signed), body.len());
    report(
        "signature, 2 secrets (2nd matches)",
        check(&rotating, &signed_old),
        body.len(),
    );
    report(
        "signature, forged (2 secrets tried)",
        check(&rotating, &forged),
        body.len(),
    );
    report(
        "signature + typed event, 1 secret",
        per_call(budget, || {
            black_box(one.verify(black_box(&body), &signed).ok());
        }),
        body.len(),
    );
}
