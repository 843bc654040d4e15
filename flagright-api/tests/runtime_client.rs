//! The runtime against a real HTTP server on 127.0.0.1: headers, errors,
//! decoding and secrecy of the API key.

use std::time::Duration;

use flagright_api::{
    ApiRequest, Client, ClientBuilder, Error, ErrorKind, RequestOptions, json_body, path_segment,
};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A key distinctive enough that finding it anywhere is a leak.
const KEY: &str = "sk-LEAKCHECK-7c1e9a24f0";

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
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
        error_statuses: &[400, 401, 404, 409, 429],
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

#[tokio::test]
async fn sends_auth_user_agent_and_json_headers() {
    let server = MockServer::start().await;
    let user_agent = format!(
        "flagright-api-rust/{} my-app/1.0",
        env!("CARGO_PKG_VERSION")
    );
    Mock::given(method("POST"))
        .and(path("/consumer/transactions"))
        .and(header("x-api-key", KEY))
        .and(header("user-agent", user_agent.as_str()))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header("x-team", "risk"))
        .and(header("x-call", "one"))
        .and(query_param("validateOriginUserId", "true"))
        .and(query_param("extra", "a b&c"))
        .and(body_json(json!({"transactionId": "t-1", "amount": 12.5})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .user_agent_suffix("my-app/1.0")
        .default_header("x-team", "risk")
        .build()
        .unwrap();
    let request = ApiRequest {
        method: Method::POST,
        path: "/consumer/transactions".to_owned(),
        query: vec![("validateOriginUserId", "true".to_owned())],
        body: Some(json_body(&json!({"transactionId": "t-1", "amount": 12.5})).unwrap()),
        operation_id: "postConsumerTransaction",
        error_statuses: &[400, 401],
        check_with: None,
        content_type: None,
    };
    let options = RequestOptions::new()
        .header("x-call", "one")
        .query("extra", "a b&c");
    let response = client.execute::<Value>(request, options).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_body(), json!({"ok": true}));
}

#[tokio::test]
async fn get_has_no_content_type_and_paths_stay_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    // A trailing slash on the base URL must not double the slash.
    let client = builder(&server)
        .base_url(format!("{}/", server.uri()))
        .build()
        .unwrap();
    let id = path_segment("id", "a/b c?#").unwrap();
    call(&client, get(&format!("/users/{id}"))).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].url.path(), "/users/a%2Fb%20c%3F%23");
    assert!(received[0].headers.get("content-type").is_none());
    assert_eq!(received[0].headers["x-api-key"], KEY);
}

#[tokio::test]
async fn error_statuses_become_typed_kinds_with_parsed_bodies() {
    let server = MockServer::start().await;
    let cases = [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Unauthorized),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (429, ErrorKind::TooManyRequests),
    ];
    for (status, _) in cases {
        Mock::given(path(format!("/status/{status}")))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"message": format!("failed with {status}"), "validationErrors": "amount"}))
                    .insert_header("x-amzn-requestid", "req-123")
                    .insert_header("set-cookie", "session=abc"),
            )
            .mount(&server)
            .await;
    }
    let client = builder(&server).max_retries(0).build().unwrap();
    for (status, kind) in cases {
        let err = call(&client, get(&format!("/status/{status}")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), Some(kind));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.attempts(), Some(1));
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_rate_limited(), status == 429);
        let api = err.api_error().unwrap();
        assert!(api.documented);
        assert_eq!(
            api.message.as_deref(),
            Some(format!("failed with {status}").as_str())
        );
        let body = api.body.as_ref().unwrap();
        assert_eq!(body.message, format!("failed with {status}"));
        assert_eq!(body.validation_errors.as_deref(), Some("amount"));
        assert_eq!(api.request_id(), Some("req-123"));
        assert!(!api.headers.contains_key("set-cookie"));
        let text = err.to_string();
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(text.contains(&format!("failed with {status}")), "{text}");
        assert!(
            text.contains("getThing") && text.contains("req-123"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn undocumented_status_and_non_json_body_still_give_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(path("/teapot"))
        .respond_with(
            ResponseTemplate::new(418).set_body_raw("<html>I am a teapot</html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/gateway"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(0).build().unwrap();

    let err = call(&client, get("/teapot")).await.unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.kind, ErrorKind::Other);
    assert!(!api.documented);
    assert!(api.body.is_none());
    assert_eq!(api.raw_body, "<html>I am a teapot</html>");
    let text = err.to_string();
    assert!(
        text.contains("418") && text.contains("not documented") && text.contains("teapot"),
        "{text}"
    );

    let err = call(&client, get("/gateway")).await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::ServerError));
    assert!(err.to_string().contains("Bad Gateway"), "{err}");
}

#[tokio::test]
async fn empty_success_body_decodes_as_unit() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let mut request = get("/things/1");
    request.method = Method::DELETE;
    let response = client
        .execute::<()>(request, RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status, 204);
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
    amount: f64,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct ItemList {
    items: Vec<Item>,
}

#[tokio::test]
async fn mismatched_body_gives_decode_error_with_field_path() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "a", "amount": 1.0}, {"id": "b", "amount": "lots"}]
        })))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = client
        .execute::<ItemList>(get("/items"), RequestOptions::default())
        .await
        .unwrap_err();
    let Error::Decode {
        path,
        body_snippet,
        status,
        ..
    } = &err
    else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(path, "items[1].amount");
    assert_eq!(*status, 200);
    assert!(body_snippet.contains("lots"));
    assert!(err.to_string().contains("items[1].amount"), "{err}");
}

#[tokio::test]
async fn bad_per_request_header_is_invalid_input() {
    let server = MockServer::start().await;
    let client = builder(&server).build().unwrap();
    let options = RequestOptions::new().header("x-ok", "line\nbreak");
    let err = client
        .execute::<Value>(get("/x"), options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert!(err.to_string().contains("x-ok"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn api_key_never_appears_in_debug_or_display() {
    let server = MockServer::start().await;
    // A server that echoes the key back in a header.
    Mock::given(path("/unauthorized"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("x-api-key", KEY)
                .set_body_json(json!({"message": "Unauthorized"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/bad-body"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": 3})))
        .mount(&server)
        .await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;

    let builder = builder(&server)
        .max_retries(0)
        .timeout(Duration::from_millis(200));
    let client = builder.clone().build().unwrap();
    let mut shown = vec![format!("{builder:?}"), format!("{client:?}")];

    let mut errors = vec![
        call(&client, get("/unauthorized")).await.unwrap_err(),
        client
            .execute::<ItemList>(get("/bad-body"), RequestOptions::default())
            .await
            .unwrap_err(),
        call(&client, get("/slow")).await.unwrap_err(),
        client
            .execute::<Value>(
                get("/x"),
                RequestOptions::new().header("x-api-key", format!("{KEY}\n")),
            )
            .await
            .unwrap_err(),
        Client::builder()
            .api_key(format!("{KEY}\r\nx"))
            .build()
            .unwrap_err(),
    ];
    // Connection refused: bind a port, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    errors.push(call(&refused, get("/x")).await.unwrap_err());

    let variants: Vec<&str> = errors
        .iter()
        .map(|err| match err {
            Error::Api(_) => "Api",
            Error::Decode { .. } => "Decode",
            Error::Timeout { .. } => "Timeout",
            Error::InvalidInput { .. } => "InvalidInput",
            Error::Config { .. } => "Config",
            Error::Transport { .. } => "Transport",
            _ => "other",
        })
        .collect();
    assert_eq!(
        variants,
        [
            "Api",
            "Decode",
            "Timeout",
            "InvalidInput",
            "Config",
            "Transport"
        ]
    );
    for err in &errors {
        shown.push(format!("{err}"));
        shown.push(format!("{err:?}"));
        shown.push(format!("{err:#?}"));
    }
    for text in &shown {
        assert!(!text.contains(KEY), "API key leaked: {text}");
        assert!(!text.contains("LEAKCHECK"), "API key leaked: {text}");
    }
}

#[test]
fn client_futures_streams_and_errors_are_thread_safe() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_send_sync_static<T: Send + Sync + 'static>() {}
    assert_send_sync_static::<Client>();
    assert_send_sync_static::<Error>();
    assert_send_sync_static::<RequestOptions>();
    let client = Client::new(KEY).unwrap();
    // Generated builders box `send()` as `Send` futures; this must compile.
    let future = client.execute::<Value>(get("/x"), RequestOptions::default());
    assert_send(&future);
    let stream = flagright_api::paginate(1, |_| async {
        Ok(flagright_api::Page::<u8> {
            items: Vec::new(),
            total: None,
        })
    });
    assert_send(&stream);
}

#[tokio::test]
async fn bytes_and_text_bodies_travel_as_they_are() {
    let server = MockServer::start().await;
    Mock::given(path("/photo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "image/png"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/note"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<p>hé</p>", "text/html"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let mut request = get("/photo");
    request.method = Method::PUT;
    request.body = Some(flagright_api::bytes_body(&[1, 2, 3]));
    request.content_type = Some("application/octet-stream");
    let photo = client
        .execute_bytes(request, RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(&photo.body[..], &[0u8, 159, 146, 150]);
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].body, vec![1, 2, 3]);
    assert_eq!(
        received[0].headers["content-type"],
        "application/octet-stream"
    );

    let note = client
        .execute_text(get("/note"), RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(note.body, "<p>hé</p>");
    // Bytes that are not UTF-8 are a decode error, not a panic.
    let err = client
        .execute_text(get("/photo"), RequestOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}
