//! The client on a hostile network: redirects, faults after the request was
//! sent, oversized bodies and servers that never finish. Every server is a
//! real listener on 127.0.0.1; assertions are on what each one received.

mod support;

use std::time::{Duration, Instant};

use flagright_api::types::{CurrencyCode, Transaction, TransactionAmountDetails};
use flagright_api::{Client, ClientBuilder, Error, RequestOptions};
use support::{Action, RawServer, json_reply};

const KEY: &str = "sk-HOSTILE-3f9c2e71aa";

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_base_delay(Duration::from_millis(5))
        .retry_max_delay(Duration::from_millis(20))
        .timeout(Duration::from_secs(5))
}

fn transaction() -> Transaction {
    Transaction::builder()
        .type_("TRANSFER")
        .transaction_id("txn-hostile-1")
        .timestamp(1_732_190_400_000)
        .origin_amount_details(
            TransactionAmountDetails::builder()
                .transaction_amount(1250.0)
                .transaction_currency(CurrencyCode::Eur)
                .build(),
        )
        .build()
}

const VERIFIED: &str =
    r#"{"transactionId":"txn-hostile-1","executedRules":[],"hitRules":[],"status":"ALLOW"}"#;

async fn verify(client: &Client) -> Result<(), Error> {
    client.transactions().verify(&transaction()).await.map(drop)
}

// ---------------------------------------------------------------- redirects

#[tokio::test]
async fn no_redirect_is_followed_and_the_second_host_receives_nothing() {
    for status in [301u16, 302, 303, 307, 308] {
        let elsewhere = RawServer::start(|_, _| json_reply(200, "", VERIFIED)).await;
        let location = format!("{}/transactions", elsewhere.url);
        let api = RawServer::start(move |_, _| {
            Action::Reply(
                format!(
                    "HTTP/1.1 {status} Moved\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                )
                .into_bytes(),
            )
        })
        .await;
        let client = builder(&api.url).build().unwrap();
        let err = verify(&client).await.unwrap_err();
        match &err {
            Error::Redirect {
                status: got,
                location: Some(location),
                ..
            } => {
                assert_eq!(got.as_u16(), status);
                assert!(location.starts_with(&elsewhere.url), "{location}");
            }
            other => panic!("{status}: expected Error::Redirect, got {other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.contains(&status.to_string()) && text.contains(&elsewhere.url),
            "{text}"
        );
        assert_eq!(api.count("POST"), 1, "{status}: redirects are not retried");
        assert_eq!(
            elsewhere.connections(),
            0,
            "{status}: the second host was contacted"
        );
    }
}

#[tokio::test]
async fn a_caller_client_that_follows_redirects_is_caught() {
    let elsewhere = RawServer::start(|_, _| json_reply(200, "", VERIFIED)).await;
    let location = format!("{}/transactions", elsewhere.url);
    let api = RawServer::start(move |_, _| {
        Action::Reply(
            format!("HTTP/1.1 307 Moved\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n")
                .into_bytes(),
        )
    })
    .await;
    let client = builder(&api.url)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let err = verify(&client).await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("Policy::none()"), "{err}");
}

// ---------------------------------------------------- idempotency-aware retries

/// A named way for the server to fail.
type Fault = (&'static str, fn() -> Action);

/// Faults that come after the request may have reached the server.
fn ambiguous_faults() -> Vec<Fault> {
    vec![
        ("connection cut after the request", || Action::Close),
        ("no answer until the timeout", || Action::Hang),
        ("500", || json_reply(500, "", r#"{"message":"internal"}"#)),
        ("502", || json_reply(502, "", "")),
        ("504", || json_reply(504, "", "")),
        ("201 with its body cut", || {
            Action::Reply(
                b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"transactionId\":\"tx"
                    .to_vec(),
            )
        }),
    ]
}

#[tokio::test]
async fn an_ambiguous_failure_of_a_post_is_not_resent_and_says_how_to_check() {
    for (name, fault) in ambiguous_faults() {
        let server = RawServer::start(move |_, _| fault()).await;
        let client = builder(&server.url)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let err = verify(&client).await.unwrap_err();
        assert_eq!(server.count("POST"), 1, "{name}: the POST was sent again");
        assert!(err.may_have_been_processed(), "{name}: {err:?}");
        assert_eq!(
            err.unconfirmed().and_then(|u| u.check_with()),
            Some("GET /transactions/txn-hostile-1"),
            "{name}"
        );
        let text = err.to_string();
        assert!(
            text.contains("may have processed") && text.contains("GET /transactions/txn-hostile-1"),
            "{name}: {text}"
        );
    }
}

#[tokio::test]
async fn with_the_opt_in_an_ambiguous_post_is_retried_up_to_the_limit() {
    for (name, fault) in ambiguous_faults() {
        let server = RawServer::start(move |_, _| fault()).await;
        let client = builder(&server.url)
            .timeout(Duration::from_millis(300))
            .max_retries(2)
            .retry_non_idempotent(true)
            .build()
            .unwrap();
        let err = verify(&client).await.unwrap_err();
        assert_eq!(server.count("POST"), 3, "{name}");
        let unconfirmed = err.unconfirmed().cloned();
        assert!(unconfirmed.is_some_and(|u| u.resent), "{name}: {err:?}");
    }
    // Per request, too.
    let server = RawServer::start(|_, _| json_reply(500, "", "")).await;
    let client = builder(&server.url).max_retries(1).build().unwrap();
    let err = client
        .transactions()
        .verify(&transaction())
        .options(RequestOptions::new().retry_non_idempotent(true))
        .await
        .unwrap_err();
    assert_eq!(server.count("POST"), 2, "{err}");
}

#[tokio::test]
async fn a_post_refused_before_processing_is_retried() {
    for status in [429u16, 503, 408] {
        let server = RawServer::start(move |n, _| {
            if n == 0 {
                json_reply(status, "retry-after: 0\r\n", r#"{"message":"slow down"}"#)
            } else {
                json_reply(200, "", VERIFIED)
            }
        })
        .await;
        let client = builder(&server.url).build().unwrap();
        verify(&client).await.unwrap();
        assert_eq!(server.count("POST"), 2, "{status}");
    }
}

#[tokio::test]
async fn a_definite_answer_is_not_retried_and_was_not_processed() {
    let server = RawServer::start(|_, _| json_reply(400, "", r#"{"message":"bad amount"}"#)).await;
    let client = builder(&server.url).build().unwrap();
    let err = verify(&client).await.unwrap_err();
    assert_eq!(server.count("POST"), 1);
    assert!(!err.may_have_been_processed(), "{err:?}");
}

#[tokio::test]
async fn a_get_is_retried_after_every_kind_of_fault() {
    for (name, fault) in ambiguous_faults() {
        let server = RawServer::start(move |_, _| fault()).await;
        let client = builder(&server.url)
            .timeout(Duration::from_millis(300))
            .max_retries(2)
            .build()
            .unwrap();
        let err = client.transactions().get("txn-1").await.unwrap_err();
        assert_eq!(server.count("GET"), 3, "{name}");
        assert!(
            !err.may_have_been_processed(),
            "{name}: GETs change nothing"
        );
    }
}

// ------------------------------------------------------------- bounded bodies

#[tokio::test]
async fn an_announced_body_over_the_limit_is_refused_before_reading() {
    for status in [200u16, 500] {
        let server = RawServer::start(move |_, _| Action::Drip {
            head: format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: 2147483648\r\n\r\n["
            )
            .into_bytes(),
            chunk: vec![b' '; 64 * 1024],
            every: Duration::from_millis(1),
        })
        .await;
        let client = builder(&server.url)
            .max_response_bytes(1024 * 1024)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.transactions().get("txn-1").await.unwrap_err();
        match &err {
            Error::ResponseTooLarge {
                status: got,
                limit,
                announced,
                ..
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(*limit, 1024 * 1024);
                assert_eq!(*announced, Some(2_147_483_648));
            }
            other => panic!("expected ResponseTooLarge, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(server.count("GET"), 1, "an oversized body is not retried");
    }
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit() {
    for head in [
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        "HTTP/1.1 502 Bad Gateway\r\ntransfer-encoding: chunked\r\n\r\n",
    ] {
        let piece = vec![b' '; 32 * 1024];
        let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
        chunk.extend_from_slice(&piece);
        chunk.extend_from_slice(b"\r\n");
        let server = RawServer::start(move |_, _| Action::Drip {
            head: head.as_bytes().to_vec(),
            chunk: chunk.clone(),
            every: Duration::from_micros(100),
        })
        .await;
        let client = builder(&server.url)
            .max_response_bytes(512 * 1024)
            .build()
            .unwrap();
        let err = verify(&client).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::ResponseTooLarge {
                    announced: None,
                    limit: 524_288,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(server.count("POST"), 1);
    }
}

#[tokio::test]
async fn a_lying_content_length_cannot_get_past_the_limit() {
    // Announces a small length but sends a chunked body without end.
    let piece = vec![b' '; 32 * 1024];
    let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
    chunk.extend_from_slice(&piece);
    chunk.extend_from_slice(b"\r\n");
    let server = RawServer::start(move |_, _| Action::Drip {
        head: b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec(),
        chunk: chunk.clone(),
        every: Duration::from_micros(100),
    })
    .await;
    let client = builder(&server.url)
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let err = client.transactions().get("txn-1").await.unwrap_err();
    // hyper refuses a message with both headers, or reads it as chunked and
    // the limit stops it; either way it ends, with nothing decoded.
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge { .. } | Error::Transport { .. }
        ),
        "{err:?}"
    );
}

// ----------------------------------------------------------------------- time

#[tokio::test]
async fn the_deadline_bounds_a_call_against_a_dripping_server() {
    // Sends the head and then one byte every 50 ms, forever.
    let server = RawServer::start(|_, _| Action::Drip {
        head: b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec(),
        chunk: b"1\r\n \r\n".to_vec(),
        every: Duration::from_millis(50),
    })
    .await;
    let client = builder(&server.url)
        .timeout(Duration::from_millis(400))
        .max_retries(10)
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.transactions().get("txn-1").await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(err, Error::Timeout { deadline: true, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("overall deadline"), "{err}");
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1600), "{elapsed:?}");
    assert!(server.count("GET") <= 3, "{}", server.count("GET"));

    // A per-request deadline overrides the client's.
    let started = Instant::now();
    let err = client
        .transactions()
        .get("txn-1")
        .options(RequestOptions::new().deadline(Duration::from_millis(250)))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(700));
}

#[tokio::test]
async fn no_retry_starts_that_the_deadline_would_cut() {
    let server = RawServer::start(|_, _| json_reply(503, "retry-after: 5\r\n", "")).await;
    let client = builder(&server.url)
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.transactions().get("txn-1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.count("GET"), 1);
}

#[tokio::test]
async fn a_listing_that_ignores_the_page_number_ends_with_an_error() {
    use flagright_api::types::{BatchTransactionMonitoringResult, HitRulesDetails, RuleAction};
    use futures_util::StreamExt;

    let items: Vec<BatchTransactionMonitoringResult> = (0..100)
        .map(|i| {
            BatchTransactionMonitoringResult::builder()
                .transaction_id(format!("t-{i}"))
                .status(RuleAction::Allow)
                .hit_rules(Vec::<HitRulesDetails>::new())
                .build()
        })
        .collect();
    let page = serde_json::json!({ "batchId": "b-1", "transactions": items, "totalCount": 250 })
        .to_string();
    let server = RawServer::start(move |_, _| json_reply(200, "", &page)).await;
    let client = builder(&server.url).build().unwrap();
    let results: Vec<_> = client
        .batch()
        .get_transactions("b-1")
        .page_size(100)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 101);
    let err = results[100].as_ref().unwrap_err();
    assert!(matches!(err, Error::Pagination { page: 2, .. }), "{err:?}");
    assert_eq!(server.count("GET"), 2);
}
