//! The blocking client inside an async runtime: it refuses with an error
//! instead of stalling (or panicking) the runtime, and dropping it there is
//! safe. Its endpoint behaviour is tested by the shared suite in
//! `endpoints.rs`, which runs every endpoint test against both clients.

use flagright_api::Error;
use flagright_api::blocking::Client;
use flagright_tests::mock::blocking_client;
use wiremock::MockServer;

#[tokio::test]
async fn a_call_inside_an_async_runtime_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let client = blocking_client(&server);
    let error = client.transactions().get("txn-1").send().unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(
        error.to_string().contains("inside an async runtime"),
        "{error}"
    );

    // A listing says so once, then ends, so a `for` loop cannot spin.
    let mut items = client.batch().get_transactions("batch-1").stream();
    assert!(matches!(items.next(), Some(Err(Error::Config { .. }))));
    assert!(items.next().is_none());
    drop(items);

    // Dropping the last clone here does not panic either.
    drop(client);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}

#[test]
fn it_is_built_and_dropped_outside_any_runtime() {
    // The blocking client's builder builds the blocking client.
    let client: Client = Client::builder()
        .api_key("key")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    let clone = client.clone();
    drop(client);
    assert!(format!("{clone:?}").contains("127.0.0.1:9"));
}

#[test]
fn its_builder_has_every_setting_of_the_async_builder() {
    use std::time::Duration;

    use flagright_api::{RetryPolicy, blocking};

    // The settings are the async builder's own, so they cannot drift apart.
    let builder: blocking::ClientBuilder = Client::builder()
        .api_key("key")
        .base_url("http://127.0.0.1:9/")
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(8))
        .connect_timeout(Duration::from_secs(1))
        .max_response_bytes(1 << 20)
        .max_retries(1)
        .retry_base_delay(Duration::from_millis(5))
        .retry_max_delay(Duration::from_millis(20))
        .max_retry_after(Duration::from_secs(1))
        .retry_non_idempotent(false)
        .user_agent_suffix("cli/1.0")
        .default_header("x-team", "risk")
        .default_headers([("x-a", "1")])
        .log_bodies(false);
    let debug = format!("{builder:?}");
    assert!(
        debug.contains("x-team") && !debug.contains("key\""),
        "{debug}"
    );
    let client: blocking::Client = builder.clone().build().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    let other: blocking::Client = builder
        .retry_policy(RetryPolicy::none())
        .build_blocking()
        .unwrap();
    assert_eq!(other.base_url(), "http://127.0.0.1:9");

    // Settings are checked the same way.
    let err = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");

    // The async builder still finishes with `build_blocking`.
    let from_async: blocking::Client = flagright_api::Client::builder()
        .api_key("key")
        .base_url("http://127.0.0.1:9")
        .build_blocking()
        .unwrap();
    assert_eq!(from_async.base_url(), "http://127.0.0.1:9");
}
