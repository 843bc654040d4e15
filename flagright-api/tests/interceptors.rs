//! Interceptors against a real HTTP server on 127.0.0.1: they add headers,
//! see every attempt with its status and latency, and never the API key.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flagright_api::{Attempt, AttemptHeaders, Client, Interceptor, Outcome};
use reqwest::header::{HeaderName, HeaderValue};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A key distinctive enough that finding it anywhere is a leak.
const KEY: &str = "sk-LEAKCHECK-interceptor-51d0";

/// One attempt as recorded: its number, status and latency.
type Sample = (u32, Option<u16>, Duration);

/// Per-operation latencies and statuses, and everything the hook was shown.
#[derive(Default)]
struct Metrics {
    latencies: Mutex<BTreeMap<&'static str, Vec<Sample>>>,
    seen: Mutex<Vec<String>>,
}

struct Recorder(Arc<Metrics>);

impl Interceptor for Recorder {
    fn before(&self, attempt: &Attempt<'_>, headers: &mut AttemptHeaders<'_>) {
        let id = format!("corr-{}-{}", attempt.operation, attempt.number);
        let inserted = headers.insert(
            HeaderName::from_static("x-correlation-id"),
            HeaderValue::from_str(&id).unwrap(),
        );
        assert!(inserted);
        // The key's header can be neither read nor replaced.
        assert!(headers.get("x-api-key").is_none());
        assert!(!headers.insert(
            HeaderName::from_static("x-api-key"),
            HeaderValue::from_static("stolen")
        ));
        let shown = format!("{attempt:?} {:?}", headers.get("user-agent"));
        self.0.seen.lock().unwrap().push(shown);
    }

    fn after(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        self.0
            .latencies
            .lock()
            .unwrap()
            .entry(attempt.operation)
            .or_default()
            .push((
                attempt.number,
                outcome.status.map(|s| s.as_u16()),
                outcome.latency,
            ));
        self.0
            .seen
            .lock()
            .unwrap()
            .push(format!("{attempt:?} {outcome:?}"));
    }
}

#[tokio::test]
async fn an_interceptor_exports_per_operation_latency_and_never_sees_the_key() {
    let server = MockServer::start().await;
    // The answer the crate's own mock gives: a body that decodes.
    let Some((content_type, body)) =
        <flagright_api::mock::transactions::Get as flagright_api::mock::Operation>::DEFAULT_BODY
    else {
        panic!("getTransaction has a default body");
    };
    // The first GET is refused with a 503 and retried; the retry succeeds.
    Mock::given(method("GET"))
        .and(path("/transactions/t-1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/transactions/t-1"))
        .and(header("x-correlation-id", "corr-getTransaction-2"))
        .and(header("x-api-key", KEY))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-7")
                .set_body_raw(body.as_bytes(), content_type),
        )
        .mount(&server)
        .await;
    let metrics = Arc::new(Metrics::default());
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_base_delay(Duration::from_millis(1))
        .interceptor(Recorder(Arc::clone(&metrics)))
        .build()
        .unwrap();

    client.transactions().get("t-1").await.unwrap();

    let attempts: Vec<_> = metrics.latencies.lock().unwrap()["getTransaction"]
        .iter()
        .map(|(n, status, _)| (*n, *status))
        .collect();
    assert_eq!(attempts, [(1, Some(503)), (2, Some(200))]);
    let seen = metrics.seen.lock().unwrap().join("\n");
    assert!(seen.contains("req-7"), "{seen}");
    assert!(!seen.contains(KEY), "{seen}");
    // Every request the server received carried the correlation id.
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|r| r.headers.contains_key("x-correlation-id"))
    );
}
