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
    let client = Client::builder()
        .api_key("key")
        .base_url("http://127.0.0.1:9")
        .build_blocking()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    let clone = client.clone();
    drop(client);
    assert!(format!("{clone:?}").contains("127.0.0.1:9"));
}
