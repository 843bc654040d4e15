//! An imitation of Flagright's batch endpoints on 127.0.0.1 (a free port),
//! for the tool's tests, the CI's offline import and the timing example.
//!
//! Every `POST /batch/...` is answered like the API: 201 with the count of
//! its `data` and, for the records whose id is in the reject list,
//! `failedRecords` with the reason `INVALID_RECORD`. `GET /batch/.../{id}`
//! answers 404 (no batch is known), so a resumed import sends every chunk.
//! Requests are not recorded, so a large import keeps memory flat.
#![allow(dead_code)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The server, and how many records it received.
pub struct BatchMock {
    /// The running server.
    pub server: MockServer,
    /// Records received in every `POST` so far.
    pub received: Arc<AtomicU64>,
}

/// The id fields a record may carry, in the order they are tried.
const ID_FIELDS: &[&str] = &["transactionId", "userId", "eventId"];

struct Answer {
    reject: HashSet<String>,
    received: Arc<AtomicU64>,
    delay: Duration,
}

impl Respond for Answer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return ResponseTemplate::new(400).set_body_json(json!({ "message": "not JSON" }));
        };
        let data = body
            .get("data")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.received
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        let failed: Vec<Value> = data
            .iter()
            .filter_map(|record| ID_FIELDS.iter().find_map(|f| record.get(*f)?.as_str()))
            .filter(|id| self.reject.contains(*id))
            .map(|id| json!({ "id": id, "reasonCode": "INVALID_RECORD" }))
            .collect();
        let status = if failed.is_empty() {
            "SUCCESS"
        } else {
            "PARTIAL_FAILURE"
        };
        ResponseTemplate::new(201)
            .set_delay(self.delay)
            .set_body_json(json!({
                "status": status,
                "batchId": body.get("batchId").cloned().unwrap_or(Value::Null),
                "successful": data.len() - failed.len(),
                "failed": failed.len(),
                "failedRecords": failed,
            }))
    }
}

/// Starts the server; records with an id in `reject` are rejected.
pub async fn start(reject: &[&str]) -> BatchMock {
    start_with_delay(reject, Duration::ZERO).await
}

/// Like [`start`], answering each `POST` after `delay`.
pub async fn start_with_delay(reject: &[&str], delay: Duration) -> BatchMock {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let received = Arc::new(AtomicU64::new(0));
    Mock::given(method("POST"))
        .and(path_regex("^/batch/"))
        .respond_with(Answer {
            reject: reject.iter().map(|id| (*id).to_owned()).collect(),
            received: received.clone(),
            delay,
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/batch/"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "message": "batch not found" })),
        )
        .mount(&server)
        .await;
    BatchMock { server, received }
}

/// `count` NDJSON lines of transactions made from `template` (a
/// transaction), with ids `txn-000000`, `txn-000001`, ...
pub fn transaction_lines(template: &Value, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let mut record = template.clone();
            record["transactionId"] = json!(format!("txn-{i:06}"));
            record.to_string()
        })
        .collect()
}
