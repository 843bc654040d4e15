//! Retries, backoff, `Retry-After` and timeouts against real servers on
//! 127.0.0.1.

use std::time::{Duration, Instant};

use flagright_api::{
    ApiRequest, Client, ClientBuilder, Error, ErrorKind, RequestOptions, json_body,
};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_key("test-key")
        .base_url(base_url)
        .retry_base_delay(Duration::from_millis(5))
        .retry_max_delay(Duration::from_millis(20))
}

fn get(path: &str) -> ApiRequest {
    ApiRequest {
        method: Method::GET,
        path: path.to_owned(),
        query: Vec::new(),
        body: None,
        operation_id: "getThing",
        error_statuses: &[400, 429],
        check_with: None,
        content_type: None,
    }
}

async fn call(client: &Client, request: ApiRequest) -> Result<Value, Error> {
    client
        .execute::<Value>(request, RequestOptions::default())
        .await
        .map(|response| response.into_body())
}

/// Answers `first` for the first `times` requests to `route`, then 200.
async fn flaky(server: &MockServer, route: &str, first: ResponseTemplate, times: u64) {
    Mock::given(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(2)
        .mount(server)
        .await;
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn honours_retry_after_seconds_then_succeeds() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "1");
    flaky(&server, "/limited", limited, 1).await;
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    let body = call(&client, get("/limited")).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(request_count(&server).await, 2);
    assert!(
        elapsed >= Duration::from_millis(900),
        "retried too early: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(2500),
        "waited too long: {elapsed:?}"
    );
}

#[tokio::test]
async fn honours_retry_after_ms() {
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("retry-after-ms", "300.5");
    flaky(&server, "/busy", busy, 1).await;
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    call(&client, get("/busy")).await.unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(290), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_maximum_is_not_waited_for() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "120");
    flaky(&server, "/limited", limited, 1).await;
    let client = builder(&server.uri())
        .max_retry_after(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call(&client, get("/limited")).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(request_count(&server).await, 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let server = MockServer::start().await;
    flaky(&server, "/flaky", ResponseTemplate::new(503), 2).await;
    let client = builder(&server.uri()).build().unwrap();
    let body = call(&client, get("/flaky")).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn the_body_is_resent_unchanged_on_retry() {
    // 503: the server refused the POST before processing it, so it is safe
    // to send again.
    let server = MockServer::start().await;
    flaky(&server, "/create", ResponseTemplate::new(503), 1).await;
    let client = builder(&server.uri()).build().unwrap();
    let mut request = get("/create");
    request.method = Method::POST;
    request.body = Some(json_body(&json!({"transactionId": "t-9"})).unwrap());
    call(&client, request).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, br#"{"transactionId":"t-9"}"#);
    assert_eq!(received[0].body, received[1].body);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    flaky(&server, "/bad", ResponseTemplate::new(400), 5).await;
    let client = builder(&server.uri()).max_retries(3).build().unwrap();
    let err = call(&client, get("/bad")).await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::BadRequest));
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn max_retries_is_respected_and_reported() {
    let server = MockServer::start().await;
    flaky(&server, "/down", ResponseTemplate::new(500), 100).await;
    let client = builder(&server.uri()).max_retries(3).build().unwrap();
    let err = call(&client, get("/down")).await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::ServerError));
    assert_eq!(err.attempts(), Some(4));
    assert_eq!(request_count(&server).await, 4);
    assert!(err.to_string().contains("after 4 attempts"), "{err}");

    // Per-request options override the client's setting.
    let options = RequestOptions::new().max_retries(0);
    let err = client
        .execute::<Value>(get("/down"), options)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(request_count(&server).await, 5);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = MockServer::start().await;
    Mock::given(path("/hang"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = call(&client, get("/hang")).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert!(elapsed >= Duration::from_millis(290), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");

    // Timed-out attempts are retried: two attempts of 300 ms each.
    let options = RequestOptions::new().max_retries(1);
    let started = Instant::now();
    let err = client
        .execute::<Value>(get("/hang"), options)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout { attempts: 2, .. }), "{err:?}");
    assert!(err.to_string().contains("2 attempts"), "{err}");
    assert!(elapsed >= Duration::from_millis(590), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");

    // A per-request timeout overrides the client's.
    let options = RequestOptions::new().timeout(Duration::from_millis(100));
    let started = Instant::now();
    let err = client
        .execute::<Value>(get("/hang"), options)
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_millis(1000));
}

/// Reads one HTTP request head (these tests send no bodies).
async fn read_head(stream: &mut tokio::net::TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.unwrap();
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        // First connection: read the request, then hang up without a word.
        let (mut first, _) = listener.accept().await.unwrap();
        read_head(&mut first).await;
        first.set_zero_linger().unwrap();
        drop(first);
        // Second connection: answer properly.
        let (mut second, _) = listener.accept().await.unwrap();
        read_head(&mut second).await;
        let body = r#"{"ok":true}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        second.write_all(response.as_bytes()).await.unwrap();
        second.shutdown().await.unwrap();
    });
    let client = builder(&format!("http://{address}")).build().unwrap();
    let body = call(&client, get("/reset")).await.unwrap();
    assert_eq!(body, json!({"ok": true}));
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = builder(&format!("http://127.0.0.1:{port}"))
        .max_retries(2)
        .build()
        .unwrap();
    let err = call(&client, get("/x")).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}
