//! What the runtime writes to `tracing`: the request span and its fields,
//! retries, and never the API key; bodies only when asked for.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flagright_api::{ApiRequest, Client, RequestOptions, json_body};
use reqwest::Method;
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-TRACECHECK-55aa01";

/// A subscriber that writes every span, field record and event as a line.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!(
            "span {} {}",
            span.metadata().level(),
            span.metadata().name()
        );
        span.record(&mut Fields(&mut line));
        self.push(line);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = format!("event {}", event.metadata().level());
        event.record(&mut Fields(&mut line));
        self.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn post() -> ApiRequest {
    ApiRequest {
        method: Method::POST,
        path: "/things".to_owned(),
        query: Vec::new(),
        body: Some(json_body(&json!({"note": "REQUEST-BODY-MARKER"})).unwrap()),
        operation_id: "postThing",
        error_statuses: &[400],
        check_with: None,
        content_type: None,
    }
}

/// Runs one POST that fails once with 503 and then succeeds, and returns
/// everything traced meanwhile.
async fn traced_call(log_bodies: bool) -> String {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"note": "RESPONSE-BODY-MARKER"})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(5))
        .log_bodies(log_bodies)
        .build()
        .unwrap();

    let capture = Capture::default();
    // The test runs on a current-thread runtime, so a thread-local default
    // subscriber sees everything the request does.
    let guard = tracing::subscriber::set_default(capture.clone());
    client
        .execute::<Value>(post(), RequestOptions::default())
        .await
        .unwrap();
    drop(guard);
    capture.text()
}

#[tokio::test]
async fn request_span_has_operation_status_attempts_and_latency() {
    let text = traced_call(false).await;
    assert!(text.contains("span DEBUG api_request"), "{text}");
    assert!(text.contains("operation_id=\"postThing\""), "{text}");
    assert!(text.contains("method=POST"), "{text}");
    assert!(text.contains("path=/things"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
    assert!(text.contains("latency_ms="), "{text}");
    assert!(text.contains("retrying request"), "{text}");
    assert!(
        !text.contains(KEY) && !text.contains("TRACECHECK"),
        "{text}"
    );
    assert!(
        !text.contains("BODY-MARKER"),
        "bodies logged without opt-in: {text}"
    );
}

#[tokio::test]
async fn bodies_are_logged_only_when_asked_and_never_the_key() {
    let text = traced_call(true).await;
    assert!(text.contains("REQUEST-BODY-MARKER"), "{text}");
    assert!(text.contains("RESPONSE-BODY-MARKER"), "{text}");
    assert!(
        !text.contains(KEY) && !text.contains("TRACECHECK"),
        "{text}"
    );
}

#[tokio::test]
async fn a_key_echoed_in_a_logged_body_is_masked() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"note": format!("you sent {KEY}")})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .log_bodies(true)
        .build()
        .unwrap();
    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    client
        .execute::<Value>(post(), RequestOptions::default())
        .await
        .unwrap();
    drop(guard);
    let text = capture.text();
    assert!(text.contains("you sent ***"), "{text}");
    assert!(
        !text.contains(KEY) && !text.contains("TRACECHECK"),
        "{text}"
    );
}
