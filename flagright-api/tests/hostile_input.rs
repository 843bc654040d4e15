//! Caller input the client must refuse before sending, and secrets it must
//! not show even when a server echoes them. Servers are real listeners on
//! 127.0.0.1; assertions are on what they received.

mod support;

use std::time::Duration;

use flagright_api::types::{CurrencyCode, DeviceData, Transaction, TransactionAmountDetails};
use flagright_api::{Client, ClientBuilder, Error};
use support::{RawServer, json_reply};

const KEY: &str = "sk-ECHOCHECK-91b7d3c0e2";

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_base_delay(Duration::from_millis(5))
        .retry_max_delay(Duration::from_millis(20))
}

async fn silent_server() -> RawServer {
    RawServer::start(|_, _| json_reply(200, "", "{}")).await
}

fn invalid_input(err: &Error) -> &str {
    match err {
        Error::InvalidInput { message, .. } => message,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn non_finite_numbers_are_refused_naming_the_field() {
    let server = silent_server().await;
    let client = builder(&server.url).build().unwrap();
    let cases = [
        (
            Transaction::builder()
                .type_("TRANSFER")
                .transaction_id("t-1")
                .timestamp(1_732_190_400_000)
                .origin_amount_details(
                    TransactionAmountDetails::builder()
                        .transaction_amount(f64::NAN)
                        .transaction_currency(CurrencyCode::Eur)
                        .build(),
                )
                .build(),
            "originAmountDetails.transactionAmount",
        ),
        (
            Transaction::builder()
                .type_("TRANSFER")
                .transaction_id("t-1")
                .timestamp(1_732_190_400_000)
                .origin_device_data(DeviceData::builder().device_latitude(f64::INFINITY).build())
                .build(),
            "originDeviceData.deviceLatitude",
        ),
        (
            Transaction::builder()
                .type_("TRANSFER")
                .transaction_id("t-1")
                .timestamp(1)
                .destination_amount_details(
                    TransactionAmountDetails::builder()
                        .transaction_amount(f64::NEG_INFINITY)
                        .transaction_currency(CurrencyCode::Usd)
                        .build(),
                )
                .build(),
            "destinationAmountDetails.transactionAmount",
        ),
    ];
    for (transaction, path) in cases {
        let err = client
            .transactions()
            .verify(&transaction)
            .await
            .unwrap_err();
        let message = invalid_input(&err);
        assert!(message.contains(&format!("`{path}`")), "{message}");
    }
    assert_eq!(server.connections(), 0, "nothing may be sent");
}

#[tokio::test]
async fn ids_that_would_leave_their_path_segment_are_refused() {
    let server = silent_server().await;
    let client = builder(&server.url).build().unwrap();
    for id in ["", ".", ".."] {
        let err = client.transactions().get(id).await.unwrap_err();
        assert!(invalid_input(&err).contains("`transactionId`"), "{err}");
        let err = client.consumer_users().get(id).await.unwrap_err();
        assert!(invalid_input(&err).contains("`userId`"), "{err}");
    }
    assert_eq!(server.connections(), 0);
    // Dots inside an id are fine and stay literal.
    client.transactions().get("a..b").await.ok();
    assert_eq!(server.received()[0].target, "/transactions/a..b");
}

#[tokio::test]
async fn page_and_page_size_are_checked_against_the_spec() {
    let server = silent_server().await;
    let client = builder(&server.url).build().unwrap();
    let batch = client.batch();
    for (request, name) in [
        (batch.get_transactions("b").page_size(0), "pageSize"),
        (batch.get_transactions("b").page_size(101), "pageSize"),
        (batch.get_transactions("b").page(0), "page"),
        (batch.get_transactions("b").page(-3), "page"),
    ] {
        let err = request.await.unwrap_err();
        assert!(invalid_input(&err).contains(&format!("`{name}`")), "{err}");
    }
    assert_eq!(server.connections(), 0);
    batch
        .get_transactions("b")
        .page_size(100)
        .page(7)
        .await
        .ok();
    assert_eq!(server.count("GET"), 1);
}

#[tokio::test]
async fn a_one_megabyte_id_gives_a_short_error() {
    // The server hangs up on anything, as a proxy would on a huge URL.
    let server = RawServer::start(|_, _| support::Action::Close).await;
    let client = builder(&server.url).max_retries(0).build().unwrap();
    let id = "x".repeat(1024 * 1024);
    let err = client.transactions().get(id).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        shown.len() < 2048,
        "{} bytes: {}",
        shown.len(),
        &shown[..300]
    );
    assert!(!shown.contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));

    let err = Client::builder()
        .api_key(KEY)
        .default_header("x-long", "é\n".repeat(500_000))
        .build()
        .unwrap_err();
    assert!(err.to_string().len() < 512, "{}", err.to_string().len());
}

#[tokio::test]
async fn an_echoed_key_is_masked_everywhere_the_error_shows() {
    let body =
        format!(r#"{{"error":"Forbidden","message":"The key {KEY} may not call this endpoint"}}"#);
    let server = RawServer::start(move |_, _| {
        json_reply(
            403,
            &format!("x-echo: key={KEY}\r\nx-request-id: r-7\r\n"),
            &body,
        )
    })
    .await;
    let client = builder(&server.url).build().unwrap();
    let err = client.transactions().get("t-1").await.unwrap_err();
    let api = err.api_error().expect("an API error");
    let shown = format!(
        "{err}\n{err:?}\n{}\n{:?}\n{:?}\n{:?}",
        api.raw_body, api.message, api.body, api.headers
    );
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("ECHOCHECK"), "{shown}");
    assert!(shown.contains("The key *** may not"), "{shown}");
    assert_eq!(api.request_id(), Some("r-7"));
    assert_eq!(server.received()[0].header("x-api-key"), Some(KEY));

    // A 2xx that echoes it into a field the decoder rejects.
    let server = RawServer::start(move |_, _| {
        json_reply(
            200,
            "",
            &format!(r#"{{"transactionId": 5, "note": "{KEY}"}}"#),
        )
    })
    .await;
    let client = builder(&server.url).build().unwrap();
    let err = client.transactions().get("t-1").await.unwrap_err();
    let shown = format!("{err}\n{err:?}");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(!shown.contains(KEY), "{shown}");
}

#[tokio::test]
async fn a_password_in_the_base_url_is_never_shown() {
    let server = silent_server().await;
    let with_password = server.url.replace("http://", "http://user:hunter2secret@");
    let builder = builder(&with_password);
    let client = builder.clone().build().unwrap();
    let shown = format!("{} {client:?} {builder:?}", client.base_url());
    assert!(!shown.contains("hunter2secret"), "{shown}");
    assert!(
        client.base_url().starts_with("http://***@127.0.0.1"),
        "{shown}"
    );

    let err = Client::builder()
        .api_key(KEY)
        .base_url("https://user:hunter2secret@proxy.example/?query=1")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }));
    assert!(!format!("{err} {err:?}").contains("hunter2secret"), "{err}");

    // A transport error (nothing listens there) does not show it either.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://user:hunter2secret@127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = refused.transactions().get("t-1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        !format!("{err} {err:?}").contains("hunter2secret"),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_key_given_to_the_builder_is_trimmed() {
    let server = silent_server().await;
    let client = Client::builder()
        .api_key(format!("  {KEY}\n"))
        .base_url(&server.url)
        .build()
        .unwrap();
    client.transactions().get("t-1").await.ok();
    assert_eq!(server.received()[0].header("x-api-key"), Some(KEY));
}
