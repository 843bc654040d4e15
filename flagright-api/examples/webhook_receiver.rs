//! Receives Flagright webhooks with axum: verifies each delivery, answers 2xx
//! at once, drops retries of events already seen, and handles every event
//! type in the background.
//!
//! ```sh
//! # Offline: posts signed (and a few forged) deliveries to itself.
//! cargo run -p flagright-api --features axum --example webhook_receiver
//! # Listens on 127.0.0.1:$PORT (default 3000) for real deliveries, e.g. through a tunnel.
//! FLAGRIGHT_WEBHOOK_SECRET=... [FLAGRIGHT_WEBHOOK_PREVIOUS_SECRET=...] \
//!     cargo run -p flagright-api --features axum --example webhook_receiver
//! ```

use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use flagright_api::types::WebhookEvent;
use flagright_api::webhooks::{self, SIGNATURE_HEADER, VerifiedWebhook, WebhookVerifier};
use serde_json::json;

/// What the handlers share.
#[derive(Clone)]
struct AppState {
    verifier: WebhookVerifier,
    /// Ids of the events already accepted. Flagright retries for up to three
    /// days, so production code should persist these (a table with a unique
    /// key on the id, say) rather than keep them in memory.
    seen: Arc<Mutex<HashSet<String>>>,
    /// The background worker's queue; `None` asks it to stop.
    work: mpsc::Sender<Option<WebhookEvent>>,
}

impl FromRef<AppState> for WebhookVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

/// The endpoint: `VerifiedWebhook` has already checked the signature (401/400
/// otherwise). Answer at once; Flagright waits about 10 seconds at most.
async fn receive(
    State(state): State<AppState>,
    VerifiedWebhook(event): VerifiedWebhook,
) -> StatusCode {
    let first_time = match event.id() {
        Some(id) => state
            .seen
            .lock()
            .map(|mut seen| seen.insert(id.to_owned()))
            .unwrap_or(true),
        None => true,
    };
    if first_time && state.work.send(Some(event)).is_err() {
        // The worker is gone: let Flagright retry later.
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    StatusCode::NO_CONTENT
}

/// The work done for each event, off the request path. Returns one line per event.
fn handle(event: &WebhookEvent) -> String {
    match event {
        WebhookEvent::CaseOpened(e) => format!("case {} opened", opt(&e.data.case_id)),
        WebhookEvent::CaseClosed(e) => format!(
            "case {} closed ({})",
            opt(&e.data.case_id),
            e.data.reasons.as_deref().unwrap_or_default().join(", ")
        ),
        WebhookEvent::CaseEscalated(e) => format!("case {} escalated", opt(&e.data.case_id)),
        WebhookEvent::CaseInterimStatusUpdate(e) => {
            format!(
                "case {} is now {}",
                opt(&e.data.case_id),
                opt(&e.data.status)
            )
        }
        WebhookEvent::CaseTagsUpdated(e) => format!("case {} tags set", opt(&e.data.case_id)),
        WebhookEvent::CaseTagsDeleted(e) => format!("case {} tags removed", opt(&e.data.case_id)),
        WebhookEvent::AlertOpened(e) => format!(
            "alert {} opened by rule {}",
            opt(&e.data.alert_id),
            opt(&e.data.rule_id)
        ),
        WebhookEvent::AlertClosed(e) => format!("alert {} closed", opt(&e.data.alert_id)),
        WebhookEvent::AlertEscalated(e) => format!("alert {} escalated", opt(&e.data.alert_id)),
        WebhookEvent::AlertInterimStatusUpdate(e) => {
            format!(
                "alert {} is now {}",
                opt(&e.data.alert_id),
                opt(&e.data.status)
            )
        }
        WebhookEvent::AlertTagsUpdated(e) => format!("alert {} tags set", opt(&e.data.alert_id)),
        WebhookEvent::AlertTagsDeleted(e) => {
            format!("alert {} tags removed", opt(&e.data.alert_id))
        }
        WebhookEvent::UserStateUpdated(e) => {
            format!(
                "user {} is now {}: freeze or release the account",
                e.data.user_id, e.data.state
            )
        }
        WebhookEvent::KycStatusUpdated(e) => {
            format!("user {} KYC status {}", e.data.user_id, opt(&e.data.status))
        }
        WebhookEvent::PepStatusUpdated(e) => format!(
            "user {} PEP hits: {}",
            e.data.user_id,
            e.data.pep_status.iter().filter(|p| p.is_pep_hit).count()
        ),
        WebhookEvent::SanctionsStatusUpdated(e) => {
            format!(
                "user {} sanctions hit: {}",
                e.data.user_id, e.data.sanctions_status
            )
        }
        WebhookEvent::AdverseMediaStatusUpdated(e) => format!(
            "user {} adverse media: {}",
            e.data.user_id, e.data.adverse_media_status
        ),
        WebhookEvent::CraRiskLevelUpdated(e) => format!(
            "user {} CRA risk level {}",
            opt(&e.data.user_id),
            opt(&e.data.risk_level)
        ),
        WebhookEvent::UserTagsUpdated(e) => format!("user {} tags set", opt(&e.data.user_id)),
        WebhookEvent::UserTagsDeleted(e) => format!("user {} tags removed", opt(&e.data.user_id)),
        WebhookEvent::TransactionStatusUpdated(e) => format!(
            "transaction {} is now {}",
            e.data.transaction_id, e.data.status
        ),
        WebhookEvent::ListUpdated(e) => format!(
            "list {} {}: {} item(s)",
            e.data.list_id,
            e.data.action,
            e.data.items.len()
        ),
        WebhookEvent::BatchCompleted(e) => format!(
            "batch {} done: {}/{} processed, fetch the results",
            e.data.batch_id, e.data.processed_count, e.data.total_count
        ),
        // A type newer than this SDK: the JSON is kept as sent.
        other => format!(
            "event type {} not handled yet, logged",
            other.tag().unwrap_or("(none)")
        ),
    }
}

/// An optional field for display: its value, or `-`.
fn opt<T: std::fmt::Display>(value: &Option<T>) -> String {
    value.as_ref().map_or_else(|| "-".to_owned(), T::to_string)
}

/// Handles queued events until asked to stop; returns what it did.
fn worker(queue: mpsc::Receiver<Option<WebhookEvent>>, print: bool) -> Vec<String> {
    let mut done = Vec::new();
    while let Ok(Some(event)) = queue.recv() {
        let line = format!("{}: {}", event.id().unwrap_or("(no id)"), handle(&event));
        if print {
            println!("handled {line}");
        }
        done.push(line);
    }
    done
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live_secret = std::env::var("FLAGRIGHT_WEBHOOK_SECRET")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let (secrets, port) = match &live_secret {
        Some(secret) => {
            let previous = std::env::var("FLAGRIGHT_WEBHOOK_PREVIOUS_SECRET").unwrap_or_default();
            let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
            (vec![secret.clone(), previous], port)
        }
        None => (
            vec![CURRENT.to_owned(), PREVIOUS.to_owned()],
            "0".to_owned(),
        ),
    };
    let (work, queue) = mpsc::channel();
    let worker = thread::spawn({
        let print = live_secret.is_some();
        move || worker(queue, print)
    });
    let state = AppState {
        verifier: WebhookVerifier::from_secrets(&secrets),
        seen: Arc::default(),
        work: work.clone(),
    };
    let app = Router::new()
        .route("/webhooks/flagright", post(receive))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    let url = format!("http://{}/webhooks/flagright", listener.local_addr()?);

    if live_secret.is_some() {
        println!("Listening for Flagright webhooks on {url} (Ctrl-C to stop).");
        axum::serve(listener, app).await?;
        return Ok(());
    }

    println!("OFFLINE MODE: FLAGRIGHT_WEBHOOK_SECRET is not set, so this example posts");
    println!("signed and forged deliveries to its own receiver at {url}.");
    println!("Set FLAGRIGHT_WEBHOOK_SECRET to receive real deliveries instead.\n");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let (accepted, rejected) = simulate_flagright(&url).await?;
    // Every accepted event is queued before its answer, so the worker has them all.
    work.send(None)?;
    let handled = worker.join().map_err(|_| "the worker panicked")?;
    server.abort();

    println!("\nHandled in the background:");
    for line in &handled {
        println!("  {line}");
    }
    println!(
        "\n{accepted} deliveries accepted ({} handled, {} duplicate), {rejected} rejected.",
        handled.len(),
        accepted - handled.len()
    );
    Ok(())
}

const CURRENT: &str = "whsec_demo_current_4f8a1c";
const PREVIOUS: &str = "whsec_demo_previous_92be07";

/// Plays Flagright: posts deliveries, some genuine and some not. Returns
/// how many were accepted and rejected.
async fn simulate_flagright(url: &str) -> Result<(usize, usize), reqwest::Error> {
    let case_closed = event(
        "whk-demo-0001",
        "CASE_CLOSED",
        json!({"caseId": "C-1042", "status": "CLOSED", "reasons": ["False positive"]}),
    );
    let user_blocked = event(
        "whk-demo-0002",
        "USER_STATE_UPDATED",
        json!({"userId": "usr-c-7f3c2a91", "state": "BLOCKED", "reason": "Sanctions match"}),
    );
    let kyc = event(
        "whk-demo-0003",
        "KYC_STATUS_UPDATED",
        json!({"userId": "usr-c-7f3c2a91", "status": "MANUAL_REVIEW"}),
    );
    let batch = event(
        "whk-demo-0004",
        "BATCH_COMPLETED",
        json!({"batchId": "batch-2024-11-21", "type": "TRANSACTION_BATCH", "totalCount": 3,
               "processedCount": 3, "createdAt": 1_732_190_400_000_i64, "completedAt": 1_732_190_452_000_i64}),
    );
    let unknown = event(
        "whk-demo-0005",
        "RISK_MODEL_RETRAINED",
        json!({"model": "v7"}),
    );
    let alert = event(
        "whk-demo-0006",
        "ALERT_OPENED",
        json!({"alertId": "A-7790", "ruleId": "R-30"}),
    );
    let tampered = alert.replace("A-7790", "A-0001");
    let both = format!("{},{}", sign(&kyc, CURRENT), sign(&kyc, PREVIOUS));

    let deliveries: Vec<(&str, &String, Option<String>)> = vec![
        (
            "CASE_CLOSED, current secret",
            &case_closed,
            Some(sign(&case_closed, CURRENT)),
        ),
        (
            "USER_STATE_UPDATED, previous secret (rotation)",
            &user_blocked,
            Some(sign(&user_blocked, PREVIOUS)),
        ),
        ("KYC_STATUS_UPDATED, two signatures", &kyc, Some(both)),
        (
            "BATCH_COMPLETED, uppercase hex",
            &batch,
            Some(sign(&batch, CURRENT).to_uppercase()),
        ),
        (
            "unknown type RISK_MODEL_RETRAINED",
            &unknown,
            Some(sign(&unknown, CURRENT)),
        ),
        (
            "CASE_CLOSED again (a retry)",
            &case_closed,
            Some(sign(&case_closed, CURRENT)),
        ),
        (
            "ALERT_OPENED, body changed after signing",
            &tampered,
            Some(sign(&alert, CURRENT)),
        ),
        (
            "ALERT_OPENED, retired secret",
            &alert,
            Some(sign(&alert, "whsec_demo_retired_0a11")),
        ),
        ("ALERT_OPENED, no signature header", &alert, None),
        (
            "ALERT_OPENED, truncated signature",
            &alert,
            Some(sign(&alert, CURRENT)[..40].to_owned()),
        ),
    ];

    let client = reqwest::Client::new();
    let (mut accepted, mut rejected) = (0, 0);
    for (label, body, signature) in deliveries {
        let mut request = client
            .post(url)
            .header("content-type", "application/json")
            .body((*body).clone());
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        if status.is_success() {
            accepted += 1;
            println!("ACCEPTED {status:<16} {label}");
        } else {
            rejected += 1;
            println!("REJECTED {status:<16} {label}: {text}");
        }
    }
    Ok((accepted, rejected))
}

/// The signature Flagright would send for `body`.
fn sign(body: &str, secret: &str) -> String {
    webhooks::sign(body.as_bytes(), secret)
}

/// A delivery body as Flagright would send it.
fn event(id: &str, kind: &str, data: serde_json::Value) -> String {
    json!({
        "id": id,
        "type": kind,
        "triggeredBy": "SYSTEM",
        "createdTimestamp": 1_732_194_000_000_i64,
        "account": "acc-demo",
        "data": data,
    })
    .to_string()
}
