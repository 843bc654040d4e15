//! Errors that tell the whole story in one line: the exact `Display` text of
//! each kind of failure, against real listeners on 127.0.0.1.

use std::time::Duration;

use flagright_api::types::{CurrencyCode, Transaction, TransactionAmountDetails};
use flagright_api::{Client, ClientBuilder, Error, RequestOptions};
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
