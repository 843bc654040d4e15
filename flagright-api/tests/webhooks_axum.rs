//! The `VerifiedWebhook` extractor, served by axum on 127.0.0.1 and called over HTTP.
//! Run with `cargo test -p flagright-api --features axum --test webhooks_axum`.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use flagright_api::webhooks::{self, SIGNATURE_HEADER, VerifiedWebhook, WebhookVerifier};

const SECRET: &str = "whsec_current_9f2c4e7a1b6d";
const BODY: &str = r#"{"id":"whk-1","type":"ALERT_OPENED","triggeredBy":"SYSTEM","createdTimestamp":1732194000000,"data":{"alertId":"A-1"}}"#;

#[derive(Clone)]
struct App {
    verifier: WebhookVerifier,
    received: Arc<Mutex<Vec<String>>>,
}

impl FromRef<App> for WebhookVerifier {
    fn from_ref(app: &App) -> Self {
        app.verifier.clone()
    }
}

async fn receive(State(app): State<App>, VerifiedWebhook(event): VerifiedWebhook) -> StatusCode {
    let id = event.id().unwrap_or_default().to_owned();
    app.received.lock().expect("lock").push(id);
    StatusCode::NO_CONTENT
}

/// Serves the receiver on a free port; returns its URL and the ids it accepted.
async fn serve(verifier: WebhookVerifier) -> (String, Arc<Mutex<Vec<String>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(App {
            verifier,
            received: received.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn post_body(url: &str, body: &str, headers: &[&str]) -> (u16, String) {
    let mut request = reqwest::Client::new().post(url).body(body.to_owned());
    for value in headers {
        request = request.header(SIGNATURE_HEADER, *value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("text body"))
}

#[tokio::test]
async fn the_extractor_accepts_signed_deliveries_and_rejects_the_rest() {
    let (url, received) = serve(WebhookVerifier::new(SECRET)).await;
    let good = webhooks::sign(BODY.as_bytes(), SECRET);
    let wrong = webhooks::sign(BODY.as_bytes(), "whsec_old");

    assert_eq!(post_body(&url, BODY, &[&good]).await.0, 204);
    // One comma-separated header split by a proxy into two is the same thing.
    assert_eq!(post_body(&url, BODY, &[&wrong, &good]).await.0, 204);
    assert_eq!(
        post_body(&url, BODY, &[&wrong]).await,
        (
            401,
            "no signature in the x-flagright-signature header matches the body".to_owned()
        )
    );
    assert_eq!(
        post_body(&url, BODY, &[]).await,
        (
            401,
            "the x-flagright-signature header is missing or empty".to_owned()
        )
    );
    let tampered = BODY.replace("A-1", "A-2");
    assert_eq!(post_body(&url, &tampered, &[&good]).await.0, 401);
    let not_event = r#"{"type":"ALERT_OPENED"}"#;
    let (status, message) = post_body(
        &url,
        not_event,
        &[&webhooks::sign(not_event.as_bytes(), SECRET)],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        message.starts_with("the webhook body is not a Flagright event: "),
        "{message}"
    );

    assert_eq!(*received.lock().expect("lock"), ["whk-1", "whk-1"]);
}

#[tokio::test]
async fn a_receiver_without_secrets_answers_500() {
    let (url, received) = serve(WebhookVerifier::from_secrets(Vec::<String>::new())).await;
    let good = webhooks::sign(BODY.as_bytes(), SECRET);
    assert_eq!(
        post_body(&url, BODY, &[&good]).await,
        (500, "no webhook signing secret is configured".to_owned())
    );
    assert!(received.lock().expect("lock").is_empty());
}
