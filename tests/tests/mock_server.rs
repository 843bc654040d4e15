//! The typed mock server (`flagright_api::mock`, feature `mock`) through the
//! real client: every default answer decodes, typed matches pick the right
//! expectation, faults give the documented errors, and recorded requests
//! come back typed.

use std::time::{Duration, Instant};

use flagright_api::mock::MockServer;
use flagright_api::samples::numbered_transaction as transaction;
use flagright_api::types::{
    ApiErrorResponse, ExecutedRulesResult, HitRulesDetails, RuleAction,
    TransactionMonitoringResponse,
};
use flagright_api::{Error, ErrorKind, RequestOptions, TransportKind};
use flagright_tests::spec::spec;

/// Every operation of the spec, counted from its paths.
fn operation_count() -> usize {
    spec()["paths"]
        .as_object()
        .map(|paths| {
            paths
                .values()
                .filter_map(|item| item.as_object())
                .flat_map(|item| item.keys())
                .filter(|method| {
                    ["get", "put", "post", "delete", "patch"].contains(&method.as_str())
                })
                .count()
        })
        .unwrap_or_default()
}

fn verdict(id: &str, status: RuleAction) -> TransactionMonitoringResponse {
    TransactionMonitoringResponse::builder()
        .transaction_id(id)
        .status(status)
        .executed_rules(Vec::<ExecutedRulesResult>::new())
        .hit_rules(Vec::<HitRulesDetails>::new())
        .build()
}

#[tokio::test]
async fn every_default_answer_decodes_through_the_client() {
    let mock = MockServer::start().await;
    let checked = mock
        .check_defaults()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(checked, operation_count());
}

#[tokio::test]
async fn a_flow_runs_on_the_defaults() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let result = client
        .transactions()
        .verify(&transaction(0))
        .await
        .expect("the default answer decodes");
    assert!(result.hit_rules.is_empty());
    let stored = client
        .transactions()
        .get("txn-1")
        .await
        .expect("default get");
    let _ = stored;
}

#[tokio::test]
async fn a_typed_match_selects_its_expectation() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let blocked = transaction(1);
    let blocked_id = blocked.transaction_id.clone();
    mock.transactions()
        .verify()
        .matching(move |tx| tx.transaction_id == blocked_id)
        .respond_with(verdict("blocked", RuleAction::Block))
        .expect(1)
        .mount()
        .await;
    mock.transactions()
        .verify()
        .matching_params(|params| params.validate_origin_user_id == Some(false))
        .respond_with(verdict("unvalidated", RuleAction::Flag))
        .expect(1)
        .mount()
        .await;

    let result = client
        .transactions()
        .verify(&blocked)
        .await
        .expect("blocked");
    assert_eq!(result.status, RuleAction::Block);
    assert_eq!(result.transaction_id, "blocked");
    let result = client
        .transactions()
        .verify(&transaction(2))
        .validate_origin_user_id(false)
        .await
        .expect("flagged");
    assert_eq!(result.transaction_id, "unvalidated");
    // Neither predicate holds: the default answer.
    let result = client
        .transactions()
        .verify(&transaction(3))
        .await
        .expect("default");
    assert_eq!(result.transaction_id, "");
}

#[tokio::test]
async fn path_parameters_are_typed_and_percent_decoded() {
    let mock = MockServer::start().await;
    mock.transactions()
        .get()
        .matching_params(|params| params.transaction_id == "tx 1/ä")
        .respond_with_error(
            404,
            ApiErrorResponse::builder()
                .message("no such transaction")
                .build(),
        )
        .expect(1)
        .mount()
        .await;
    let error = mock
        .client()
        .transactions()
        .get("tx 1/ä")
        .await
        .expect_err("404");
    assert!(error.is_not_found(), "{error}");
    let api = error.api_error().expect("an API error");
    assert_eq!(api.message.as_deref(), Some("no such transaction"));
}

#[tokio::test]
async fn received_calls_come_back_typed() {
    let mock = MockServer::start().await;
    let client = mock.client();
    client
        .transactions()
        .verify(&transaction(4))
        .await
        .expect("verify");
    client.transactions().get("txn-x").await.expect("get");
    let received = mock
        .transactions()
        .verify()
        .received()
        .await
        .expect("decodes");
    assert_eq!(received.len(), 1, "screened exactly once: {received:?}");
    assert_eq!(received[0].body, transaction(4));
    let gets = mock.transactions().get().received().await.expect("decodes");
    assert_eq!(gets.len(), 1);
    assert_eq!(gets[0].params.transaction_id, "txn-x");
}

#[tokio::test]
async fn a_delay_hits_the_client_timeout() {
    let mock = MockServer::start().await;
    mock.transactions()
        .get()
        .delay(Duration::from_secs(5))
        .mount()
        .await;
    let started = Instant::now();
    let error = mock
        .client()
        .transactions()
        .get("txn-1")
        .options(
            RequestOptions::new()
                .timeout(Duration::from_millis(200))
                .max_retries(0),
        )
        .await
        .expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried() {
    let mock = MockServer::start().await;
    mock.transactions()
        .verify()
        .rate_limited(Duration::from_secs(1))
        .times(1)
        .expect(1)
        .mount()
        .await;
    let started = Instant::now();
    let result = mock
        .client()
        .transactions()
        .verify(&transaction(5))
        .await
        .expect("retried after the 429");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After honoured"
    );
    assert!(result.hit_rules.is_empty());
    assert_eq!(
        mock.transactions()
            .verify()
            .received()
            .await
            .expect("decodes")
            .len(),
        2
    );

    let error = {
        let mock = MockServer::start().await;
        mock.transactions()
            .verify()
            .rate_limited(Duration::ZERO)
            .mount()
            .await;
        mock.client()
            .transactions()
            .verify(&transaction(5))
            .options(RequestOptions::new().max_retries(1))
            .await
            .expect_err("still limited")
    };
    assert!(error.is_rate_limited(), "{error}");
    assert!(!error.may_have_been_processed());
}

#[tokio::test]
async fn a_5xx_after_processing_is_not_retried_for_a_post() {
    let mock = MockServer::start().await;
    mock.transactions()
        .verify()
        .server_error(502)
        .expect(1)
        .mount()
        .await;
    let error = mock
        .client()
        .transactions()
        .verify(&transaction(6))
        .await
        .expect_err("502");
    assert_eq!(error.kind(), Some(ErrorKind::ServerError));
    assert!(error.may_have_been_processed(), "{error}");
    assert_eq!(
        error.unconfirmed().and_then(|u| u.check_with()),
        Some("GET /transactions/txn-00000006")
    );
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_that_may_have_been_processed() {
    let mock = MockServer::start().await;
    mock.transactions()
        .verify()
        .drop_connection()
        .expect(1)
        .mount()
        .await;
    let error = mock
        .client()
        .transactions()
        .verify(&transaction(7))
        .await
        .expect_err("dropped");
    assert!(
        matches!(
            &error,
            Error::Transport {
                kind: TransportKind::ConnectionClosed | TransportKind::ConnectionReset,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.may_have_been_processed(), "{error}");
}
