//! `webhooks::deliver` against an axum receiver that uses `VerifiedWebhook`:
//! a signed typed event is accepted, a tampered one rejected.
//! Run with `cargo test -p flagright-api --features axum,mock --test mock_webhooks`.
#![cfg(all(feature = "axum", feature = "mock"))]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use flagright_api::types::WebhookEvent;
use flagright_api::webhooks::{self, VerifiedWebhook, WebhookVerifier};

const SECRET: &str = "whsec_current_9f2c4e7a1b6d";

#[derive(Clone)]
struct App {
    verifier: WebhookVerifier,
    received: Arc<Mutex<Vec<WebhookEvent>>>,
}

impl FromRef<App> for WebhookVerifier {
    fn from_ref(app: &App) -> Self {
        app.verifier.clone()
    }
}

async fn receive(State(app): State<App>, VerifiedWebhook(event): VerifiedWebhook) -> StatusCode {
    app.received.lock().expect("lock").push(event);
    StatusCode::NO_CONTENT
}

/// The receiver under test on a free port: its URL and what it accepted.
async fn serve() -> (String, Arc<Mutex<Vec<WebhookEvent>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(App {
            verifier: WebhookVerifier::new(SECRET),
            received: received.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

fn event() -> WebhookEvent {
    serde_json::from_str(
        r#"{"id":"whk-7","type":"CASE_CLOSED","triggeredBy":"MANUAL","createdTimestamp":1732194000000,"data":{"caseId":"C-1042","status":"CLOSED"}}"#,
    )
    .expect("a webhook event")
}

#[tokio::test]
async fn a_signed_event_is_accepted_and_a_tampered_one_rejected() {
    let (url, received) = serve().await;
    let event = event();

    let answer = webhooks::deliver(&url, &event, SECRET)
        .await
        .expect("delivered");
    assert_eq!(answer.status, 204, "{}", answer.body);
    assert_eq!(
        received.lock().expect("lock").as_slice(),
        std::slice::from_ref(&event)
    );

    let body = serde_json::to_vec(&event).expect("serializes");
    let signature = webhooks::sign(&body, SECRET);
    let tampered = String::from_utf8(body)
        .expect("UTF-8")
        .replace("C-1042", "C-9999");
    let answer = webhooks::deliver_raw(&url, tampered.as_bytes(), Some(&signature))
        .await
        .expect("delivered");
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.body,
        "no signature in the x-flagright-signature header matches the body"
    );
    let answer = webhooks::deliver(&url, &event, "whsec_someone_else")
        .await
        .expect("delivered");
    assert_eq!(answer.status, 401);
    assert_eq!(received.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn an_unreachable_receiver_is_an_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
    drop(listener);
    let error = webhooks::deliver(&url, &event(), SECRET)
        .await
        .expect_err("nothing listens");
    assert!(
        error
            .to_string()
            .starts_with("the webhook could not be delivered"),
        "{error}"
    );
}
