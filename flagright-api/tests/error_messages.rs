//! Errors that tell the whole story in one line: the exact `Display` text of
//! each kind of failure, against real listeners on 127.0.0.1.

mod support;

use std::time::Duration;

use flagright_api::types::{ApiErrorResponse, CurrencyCode, Transaction, TransactionAmountDetails};
use flagright_api::{Client, ClientBuilder, Error, RequestOptions, TransportKind};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A key distinctive enough that finding it anywhere is a leak.
const KEY: &str = "sk-ONELINE-5b0d7e21c3";

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_base_delay(Duration::from_millis(5))
        .retry_max_delay(Duration::from_millis(20))
        .timeout(Duration::from_secs(5))
}

fn transaction(id: &str) -> Transaction {
    Transaction::builder()
        .type_("TRANSFER")
        .transaction_id(id)
        .timestamp(1_732_190_400_000)
        .origin_amount_details(
            TransactionAmountDetails::builder()
                .transaction_amount(1250.0)
                .transaction_currency(CurrencyCode::Eur)
                .build(),
        )
        .build()
}

/// A server that answers every request with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The error of screening `txn-000187` through a client of the server at
/// `uri` (a wiremock server's or the typed mock's).
async fn verify_failing(uri: &str) -> Error {
    let client = builder(uri).build().unwrap();
    client
        .transactions()
        .verify(&transaction("txn-000187"))
        .await
        .unwrap_err()
}

// ------------------------------------------------- requests that cannot be built

#[tokio::test]
async fn a_request_that_cannot_be_built_is_invalid_input_and_never_sent() {
    let server = answering(ResponseTemplate::new(200)).await;
    let client = builder(&server.uri()).max_retries(2).build().unwrap();
    let huge = "x".repeat(1 << 20);

    // A GET by id: retried on transport failures, but not on this.
    let err = client.transactions().get(&huge).await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    let length = format!("{}/transactions/{huge}", server.uri()).len();
    assert_eq!(
        err.to_string(),
        format!(
            "invalid input: request `getTransaction` could not be built, so nothing was sent: \
             Parsed Url is not a valid Uri (its URL is {length} bytes long)"
        )
    );
    assert!(!err.may_have_been_processed());
    assert_eq!(err.attempts(), None);

    // A POST whose URL is too long: not "may have been processed".
    let err = client
        .transactions()
        .verify(&transaction("txn-000187"))
        .options(RequestOptions::new().query("note", &huge))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(!err.may_have_been_processed(), "{err}");
    assert!(
        err.to_string().starts_with(
            "invalid input: request `verifyTransaction` could not be built, so nothing was sent: "
        ),
        "{err}"
    );
    assert!(err.to_string().len() < 300, "{err}");

    assert_eq!(received(&server).await, 0);
}

// ------------------------------------------------------------ transport errors

/// The `Display` text of `err` and of each of its sources, in order.
fn chain(err: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut texts = Vec::new();
    let mut cause = Some(err);
    while let Some(error) = cause {
        texts.push(error.to_string());
        cause = error.source();
    }
    texts
}

/// Asserts that a report printing every source in turn says nothing twice:
/// no layer's text contains another's.
#[track_caller]
fn assert_nothing_repeated(err: &Error) {
    let texts = chain(err);
    for (i, outer) in texts.iter().enumerate() {
        for (j, inner) in texts.iter().enumerate() {
            assert!(
                i == j || !outer.contains(inner.as_str()),
                "layer {i} repeats layer {j}: {texts:#?}"
            );
        }
    }
}

/// A port on 127.0.0.1 nothing listens on.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_names_the_cause_and_the_host() {
    let port = free_port();
    // A user name, password and path in the base URL: none of them is shown.
    let client = builder(&format!("http://user:hunter2secret@127.0.0.1:{port}/v1"))
        .max_retries(2)
        .build()
        .unwrap();
    let err = client.transactions().get("txn-000187").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "request `getTransaction` to 127.0.0.1:{port} failed after 3 attempts: \
             connection refused"
        )
    );
    assert!(
        matches!(
            &err,
            Error::Transport { kind: TransportKind::ConnectionRefused, host, .. }
                if *host == format!("127.0.0.1:{port}")
        ),
        "{err:?}"
    );
    assert_nothing_repeated(&err);
    let report = format!("{} {err:?}", chain(&err).join(": "));
    for secret in ["hunter2secret", "user", "/v1", "txn-000187", KEY] {
        assert!(!report.contains(secret), "{secret} in {report}");
    }

    // A POST refused the same way was not processed.
    let err = client
        .transactions()
        .verify(&transaction("txn-000187"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "request `verifyTransaction` to 127.0.0.1:{port} failed after 3 attempts: \
             connection refused"
        )
    );
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn a_failed_dns_lookup_says_so() {
    // `.invalid` never resolves (RFC 6761).
    let client = builder("https://api.no-such-host.invalid")
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.transactions().get("txn-000187").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "request `getTransaction` to api.no-such-host.invalid:443 failed after 1 attempt: \
         DNS lookup failed"
    );
    assert_nothing_repeated(&err);
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_fails_the_handshake() {
    // Answers plain HTTP to whatever it is sent, TLS hellos included.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let _ = stream
                    .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                    .await;
                let mut sink = [0u8; 1024];
                let _ = stream.read(&mut sink).await;
            });
        }
    });
    let client = builder(&format!("https://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.transactions().get("txn-000187").await.unwrap_err();
    server.abort();
    assert_eq!(
        err.to_string(),
        format!(
            "request `getTransaction` to 127.0.0.1:{port} failed after 1 attempt: \
             TLS handshake failed"
        )
    );
    assert_nothing_repeated(&err);
}

#[tokio::test]
async fn a_connection_closed_or_cut_mid_body_says_which() {
    use support::{Action, RawServer};

    let closed = RawServer::start(|_, _| Action::Close).await;
    let client = builder(&closed.url).max_retries(0).build().unwrap();
    let err = client.transactions().get("txn-000187").await.unwrap_err();
    let host = closed.url.trim_start_matches("http://");
    assert_eq!(
        err.to_string(),
        format!(
            "request `getTransaction` to {host} failed after 1 attempt: \
             connection closed before the answer was complete"
        )
    );
    assert_nothing_repeated(&err);

    let cut = RawServer::start(|_, _| {
        Action::Reply(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"transactionId\":\"tx"
                .to_vec(),
        )
    })
    .await;
    let client = builder(&cut.url).max_retries(0).build().unwrap();
    let err = client.transactions().get("txn-000187").await.unwrap_err();
    let host = cut.url.trim_start_matches("http://");
    assert_eq!(
        err.to_string(),
        format!(
            "request `getTransaction` to {host} failed after 1 attempt: \
             the response body broke off"
        )
    );
    assert_nothing_repeated(&err);
}

// ------------------------------------------------------ 4xx validation errors

#[tokio::test]
async fn a_400_names_the_validation_errors() {
    // The documented body: `validationErrors` is one string.
    let mock = flagright_api::mock::MockServer::start().await;
    mock.transactions()
        .verify()
        .respond_with_error(
            400,
            ApiErrorResponse::builder()
                .message("Invalid request body")
                .validation_errors(
                    "timestamp: must be a number; \
                     originAmountDetails.transactionCurrency: unknown currency code \"EURO\"",
                )
                .build(),
        )
        .header("x-request-id", "req-7f3c")
        .expect(1)
        .mount()
        .await;
    let err = verify_failing(&mock.uri()).await;
    assert_eq!(
        err.to_string(),
        "the API answered `verifyTransaction` with 400 Bad Request after 1 attempt: \
         Invalid request body (2 validation errors: timestamp: must be a number; \
         originAmountDetails.transactionCurrency: unknown currency code \"EURO\") \
         (request id req-7f3c)"
    );
    let api = err.api_error().unwrap();
    assert!(api.body.is_some(), "the documented body still parses");
    assert_eq!(api.validation_errors.len(), 2);
}

#[tokio::test]
async fn many_validation_errors_in_another_shape_are_cut_and_counted() {
    // Not the documented shape (a list of objects), so `body` is `None`;
    // one entry echoes the key, which stays masked.
    let long = "y".repeat(300);
    let server = answering(ResponseTemplate::new(422).set_body_json(serde_json::json!({
        "message": "Invalid request body",
        "validationErrors": [
            {"field": "timestamp", "message": "must be a number"},
            {"field": "apiKey", "message": format!("{KEY} may not be sent in the body")},
            {"field": "originUserId", "message": long},
            {"field": "type", "message": "is required"},
            {"field": "transactionId", "message": "is required"},
        ]
    })))
    .await;
    let err = verify_failing(&server.uri()).await;
    assert_eq!(
        err.to_string(),
        format!(
            "the API answered `verifyTransaction` with 422 Unprocessable Entity \
             (a status not documented for this operation) after 1 attempt: \
             Invalid request body (5 validation errors: timestamp: must be a number; \
             apiKey: *** may not be sent in the body; originUserId: {}…; and 2 more)",
            &long[..106]
        )
    );
    assert!(err.api_error().unwrap().body.is_none());

    // No message: the validation errors alone, not the raw body.
    let server = answering(ResponseTemplate::new(400).set_body_json(serde_json::json!({
        "validationErrors": {"timestamp": "must be a number"}
    })))
    .await;
    let client = builder(&server.uri()).build().unwrap();
    let err = client.transactions().get("txn-000187").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the API answered `getTransaction` with 400 Bad Request after 1 attempt: \
         1 validation error: timestamp: must be a number"
    );
}

// ------------------------------------------------------------- ambiguous POSTs

#[tokio::test]
async fn an_ambiguous_post_names_the_real_path_to_check() {
    let mock = flagright_api::mock::MockServer::start().await;
    mock.transactions()
        .verify()
        .respond_with_status(502)
        .expect(1)
        .mount()
        .await;
    let err = verify_failing(&mock.uri()).await;
    assert_eq!(
        err.to_string(),
        "the API answered `verifyTransaction` with 502 Bad Gateway \
         (a status not documented for this operation) after 1 attempt \
         (the API may have processed this POST request; it was not sent again. \
         Check with `GET /transactions/txn-000187` whether it took effect before \
         sending it again)"
    );
    assert_eq!(
        err.unconfirmed().and_then(|u| u.check_with()),
        Some("GET /transactions/txn-000187")
    );

    // Percent-encoded as the client would send it.
    let mock = flagright_api::mock::MockServer::start().await;
    mock.transactions()
        .verify()
        .respond_with_error(500, ApiErrorResponse::builder().message("internal").build())
        .mount()
        .await;
    let client = builder(&mock.uri()).build().unwrap();
    let err = client
        .transactions()
        .verify(&transaction("txn 1/2"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the API answered `verifyTransaction` with 500 Internal Server Error \
         (a status not documented for this operation) after 1 attempt: internal \
         (the API may have processed this POST request; it was not sent again. \
         Check with `GET /transactions/txn%201%2F2` whether it took effect before \
         sending it again)"
    );
    let sent = mock.transactions().verify().received().await.unwrap();
    assert_eq!(sent.len(), 1, "not sent again");
    assert_eq!(sent[0].body.transaction_id, "txn 1/2");
}

#[tokio::test]
async fn an_unreadable_answer_to_a_post_names_the_real_path_too() {
    let server = answering(
        ResponseTemplate::new(200).set_body_raw(r#"{"transactionId": 7}"#, "application/json"),
    )
    .await;
    let err = verify_failing(&server.uri()).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(
        err.unconfirmed().and_then(|u| u.check_with()),
        Some("GET /transactions/txn-000187")
    );
    // One line tells the whole story, and a report of the source chain does
    // not say serde's message a second time.
    assert!(
        err.to_string().starts_with(
            "could not decode the 200 OK response of `verifyTransaction`: at `transactionId`: \
             invalid type: integer `7`, expected a string"
        ),
        "{err}"
    );
    assert_nothing_repeated(&err);
    assert!(std::error::Error::source(&err).is_none());
}
