//! What callers get when the API answers with an error, with a body that
//! does not match the schema, or with fields and values this SDK does not
//! know; and that the API key never shows in an error.
//!
//! Every client here is built with `max_retries(0)`, so a 429 or 5xx is
//! returned after one attempt.

use flagright_api::types::{
    ApiErrorResponse, ConsumerUserEvent, PaymentDetails, RiskLevel, RuleAction, Transaction,
};
use flagright_api::{Client, Error, ErrorKind};
use flagright_tests::json::{assert_json_eq, to_json};
use flagright_tests::mock::{
    API_KEY, ENCODED_ID, ExpectedRequest, Operation, RAW_ID, assert_no_secret, client, operation,
};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server on which `expected` is answered with `response`, exactly once.
async fn serve(expected: ExpectedRequest, response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(expected)
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    (server, client)
}

/// The request `op` makes in these tests: path parameters set to
/// [`RAW_ID`], the given query, and the request example as body if any.
fn expected(op: &Operation, query: &[(&str, &str)]) -> ExpectedRequest {
    let request = ExpectedRequest::new(&op.method, op.path_with(ENCODED_ID)).query(query);
    if op.object.get("requestBody").is_some() {
        request.body(op.request_example())
    } else {
        request
    }
}

/// The kind each documented status must map to.
fn kind_of(status: u16) -> ErrorKind {
    match status {
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::Unauthorized,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::TooManyRequests,
        other => panic!("no kind expected for {other}"),
    }
}

/// Checks an error answered with the spec's example for a documented status.
#[track_caller]
fn assert_documented_error(op: &Operation, status: u16, err: &Error) {
    let id = op.id;
    let example = op.error_example(status);
    let Error::Api(api) = err else {
        panic!("{id} {status}: expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), status, "{id} {status}: status");
    assert_eq!(api.kind, kind_of(status), "{id} {status}: kind");
    assert_eq!(
        err.kind(),
        Some(kind_of(status)),
        "{id} {status}: Error::kind"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    assert_eq!(api.operation, id, "{id} {status}: operation");
    assert!(api.documented, "{id} {status}: documented");
    assert_eq!(api.attempts, 1, "{id} {status}: not retried");
    assert_eq!(err.is_rate_limited(), status == 429);
    assert_eq!(err.is_not_found(), status == 404);

    let expected: ApiErrorResponse = serde_json::from_value(example.clone()).unwrap();
    let body = api
        .body
        .as_ref()
        .unwrap_or_else(|| panic!("{id} {status}: body not parsed: {}", api.raw_body));
    assert_eq!(body, &expected, "{id} {status}: parsed body");
    assert_eq!(body.message, example["message"].as_str().unwrap());
    assert_eq!(
        body.validation_errors.as_deref(),
        example.get("validationErrors").and_then(Value::as_str),
        "{id} {status}: validationErrors"
    );
    assert_eq!(api.message.as_deref(), Some(body.message.as_str()));

    let shown = err.to_string();
    assert!(shown.contains(id), "{shown}");
    assert!(shown.contains(&status.to_string()), "{shown}");
    assert!(shown.contains(&body.message), "{shown}");
    assert!(!shown.contains("not documented"), "{shown}");
    assert_no_secret(err);
}

// Documented error statuses.

#[tokio::test]
async fn verify_transaction_documented_errors() {
    let op = operation("verifyTransaction");
    assert_eq!(op.error_statuses(), [400, 401, 429]);
    let tx: Transaction = op.request_body();
    for status in op.error_statuses() {
        let response = ResponseTemplate::new(status)
            .set_body_json(op.error_example(status))
            .insert_header("retry-after", "0");
        let (server, client) = serve(
            expected(&op, &[("validateOriginUserId", "false")]),
            response,
        )
        .await;
        let err = client
            .transactions()
            .verify(&tx)
            .validate_origin_user_id(false)
            .await
            .expect_err("an error status");
        assert_documented_error(&op, status, &err);
        let requests = server.received_requests().await.unwrap();
        assert_eq!(
            requests.len(),
            1,
            "{status}: one attempt with max_retries(0)"
        );
    }
}

#[tokio::test]
async fn create_consumer_user_event_documented_errors() {
    let op = operation("createConsumerUserEvent");
    assert_eq!(op.error_statuses(), [400, 401, 404, 409, 429]);
    let event: ConsumerUserEvent = op.request_body();
    for status in op.error_statuses() {
        let response = ResponseTemplate::new(status).set_body_json(op.error_example(status));
        let (_server, client) = serve(expected(&op, &[("changeUserId", "true")]), response).await;
        let err = client
            .consumer_user_events()
            .create(&event)
            .change_user_id(true)
            .send_raw()
            .await
            .expect_err("an error status");
        assert_documented_error(&op, status, &err);
    }
}

#[tokio::test]
async fn get_transaction_batch_documented_errors() {
    let op = operation("getTransactionBatch");
    assert_eq!(op.error_statuses(), [401, 404, 429]);
    for status in op.error_statuses() {
        let response = ResponseTemplate::new(status).set_body_json(op.error_example(status));
        let (_server, client) = serve(expected(&op, &[("page", "3")]), response).await;
        let err = client
            .batch()
            .get_transactions(RAW_ID)
            .page(3)
            .send()
            .await
            .expect_err("an error status");
        assert_documented_error(&op, status, &err);
    }
}

#[tokio::test]
async fn a_documented_error_ends_a_stream() {
    let op = operation("getTransactionBatch");
    let response = ResponseTemplate::new(404).set_body_json(op.error_example(404));
    let (_server, client) = serve(expected(&op, &[("page", "1")]), response).await;
    use futures_util::StreamExt;
    let results: Vec<_> = client
        .batch()
        .get_transactions(RAW_ID)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 1, "one error, then the end");
    let err = results.into_iter().next().unwrap().expect_err("404");
    assert_documented_error(&op, 404, &err);
}

/// An unknown id on a get-by-id endpoint is answered 404. The official error
/// tables leave that status out; the spec documents it (spec/README.md), so it
/// is a documented `NotFound`, not an undocumented status.
#[tokio::test]
async fn unknown_id_on_a_get_by_id_is_a_documented_not_found() {
    for id in [
        "getTransaction",
        "getConsumerUser",
        "getBusinessUser",
        "getTransactionEvent",
        "getConsumerUserEvent",
        "getBusinessUserEvent",
    ] {
        let op = operation(id);
        assert_eq!(op.error_statuses(), [400, 401, 404, 429], "{id}");
        let response = ResponseTemplate::new(404).set_body_json(op.error_example(404));
        let (_server, client) = serve(expected(&op, &[]), response).await;
        let err = match id {
            "getTransaction" => client.transactions().get(RAW_ID).await.map(drop),
            "getConsumerUser" => client.consumer_users().get(RAW_ID).await.map(drop),
            "getBusinessUser" => client.business_users().get(RAW_ID).await.map(drop),
            "getTransactionEvent" => client.transaction_events().get(RAW_ID).await.map(drop),
            "getConsumerUserEvent" => client.consumer_user_events().get(RAW_ID).await.map(drop),
            _ => client.business_user_events().get(RAW_ID).await.map(drop),
        }
        .expect_err("404");
        assert_documented_error(&op, 404, &err);
    }
}

// Undocumented statuses and bodies that are not the error type.

#[tokio::test]
async fn undocumented_status_is_a_clear_error() {
    let op = operation("getTransaction");
    let response = ResponseTemplate::new(418).set_body_json(json!({ "message": "I'm a teapot" }));
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().get(RAW_ID).await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.status.as_u16(), 418);
    assert_eq!(api.kind, ErrorKind::Other);
    assert!(!api.documented);
    assert_eq!(
        api.body.as_ref().map(|b| b.message.as_str()),
        Some("I'm a teapot")
    );
    let shown = err.to_string();
    assert!(shown.contains("418"), "{shown}");
    assert!(shown.contains("not documented"), "{shown}");
    assert!(shown.contains("I'm a teapot"), "{shown}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn non_json_error_body_is_kept_as_text() {
    let op = operation("verifyTransaction");
    let tx: Transaction = op.request_body();
    let html = "<html><body><h1>400 Bad Request</h1>upstream said no</body></html>";
    let response = ResponseTemplate::new(400).set_body_raw(html, "text/html");
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().verify(&tx).await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.kind, ErrorKind::BadRequest);
    assert!(api.documented);
    assert!(api.body.is_none(), "HTML is not an ApiErrorResponse");
    assert!(api.message.is_none());
    assert_eq!(api.raw_body, html);
    let shown = err.to_string();
    assert!(shown.contains("upstream said no"), "{shown}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn non_json_server_error_is_not_retried_with_max_retries_zero() {
    let op = operation("getConsumerUser");
    let response = ResponseTemplate::new(502).set_body_string("Bad Gateway");
    let (server, client) = serve(expected(&op, &[]), response).await;
    let err = client.consumer_users().get(RAW_ID).await.unwrap_err();
    assert_eq!(err.kind(), Some(ErrorKind::ServerError));
    assert_eq!(err.attempts(), Some(1));
    assert!(!err.api_error().unwrap().documented);
    assert!(err.to_string().contains("Bad Gateway"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn empty_and_foreign_error_bodies() {
    let op = operation("getBusinessUser");

    let (_server, client) = serve(expected(&op, &[]), ResponseTemplate::new(401)).await;
    let err = client.business_users().get(RAW_ID).await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.kind, ErrorKind::Unauthorized);
    assert!(api.body.is_none() && api.message.is_none() && api.raw_body.is_empty());
    assert!(err.to_string().contains("401"), "{err}");
    assert_no_secret(&err);

    // JSON, but not the documented error type: `message` is missing.
    let response = ResponseTemplate::new(400).set_body_json(json!({ "error": "quota exceeded" }));
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.business_users().get(RAW_ID).await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert!(api.body.is_none());
    assert_eq!(api.message.as_deref(), Some("quota exceeded"));
    assert!(err.to_string().contains("quota exceeded"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn echoed_credentials_are_not_kept_in_errors() {
    let op = operation("getTransaction");
    let response = ResponseTemplate::new(401)
        .set_body_json(op.error_example(401))
        .insert_header("x-api-key", API_KEY)
        .insert_header("authorization", format!("Bearer {API_KEY}"))
        .insert_header("x-request-id", "req-123");
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().get(RAW_ID).await.unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert!(api.headers.get("x-api-key").is_none());
    assert!(api.headers.get("authorization").is_none());
    assert_eq!(api.request_id(), Some("req-123"));
    assert!(err.to_string().contains("req-123"), "{err}");
    assert_no_secret(&err);
}

// Success bodies that do not match the schema.

/// The success example of `id` with `edit` applied, and the expected request.
fn success_with(id: &'static str, edit: impl FnOnce(&mut Value)) -> (Operation, u16, Value) {
    let op = operation(id);
    let (status, mut body) = op.success();
    edit(&mut body);
    (op, status, body)
}

/// Checks a decode error and returns its `Display`.
#[track_caller]
fn assert_decode(err: &Error, operation: &str, status: u16, expected_path: &str) -> String {
    let Error::Decode {
        operation: op,
        status: got_status,
        path,
        body_snippet,
        ..
    } = err
    else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(*op, operation);
    assert_eq!(got_status.as_u16(), status);
    assert_eq!(path, expected_path, "decode path");
    assert!(!body_snippet.is_empty());
    assert!(body_snippet.len() <= 512);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    assert_no_secret(err);
    let shown = err.to_string();
    assert!(shown.contains(operation), "{shown}");
    shown
}

#[tokio::test]
async fn wrong_type_at_top_level_is_a_decode_error() {
    let (op, status, body) = success_with("verifyTransaction", |b| b["transactionId"] = json!(42));
    let tx: Transaction = op.request_body();
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().verify(&tx).await.unwrap_err();
    let shown = assert_decode(&err, "verifyTransaction", 201, "transactionId");
    assert!(shown.contains("transactionId"), "{shown}");
    assert!(shown.contains("42"), "{shown}");
}

#[tokio::test]
async fn missing_required_field_is_a_decode_error() {
    let (op, status, body) = success_with("verifyTransaction", |b| {
        b.as_object_mut().unwrap().remove("status");
    });
    let tx: Transaction = op.request_body();
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().verify(&tx).await.unwrap_err();
    let shown = assert_decode(&err, "verifyTransaction", 201, ".");
    assert!(shown.contains("missing field `status`"), "{shown}");
}

#[tokio::test]
async fn wrong_type_in_an_array_element_names_the_index() {
    let (op, status, body) = success_with("getTransactionBatch", |b| {
        let first = b["transactions"][0].clone();
        let mut second = first.clone();
        second["hitRules"] = json!([{ "ruleInstanceId": "ri-1", "ruleAction": 5 }]);
        b["transactions"] = json!([first, second]);
    });
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client
        .batch()
        .get_transactions(RAW_ID)
        .await
        .expect_err("decode error");
    assert_decode(
        &err,
        "getTransactionBatch",
        200,
        "transactions[1].hitRules[0].ruleAction",
    );
}

/// A CARD payment-details object with a number where `cardFingerprint` is a
/// string.
fn bad_card(body: &mut Value) {
    body["originPaymentDetails"] = json!({
        "method": "CARD",
        "cardFingerprint": 12345,
        "cardBrand": "VISA",
    });
}

#[tokio::test]
async fn wrong_type_inside_a_tagged_union_names_the_field() {
    let (op, status, body) = success_with("getTransaction", bad_card);
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().get(RAW_ID).await.unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert!(
        path.starts_with("originPaymentDetails"),
        "path names the union field: {path}"
    );
    let shown = err.to_string();
    assert!(shown.contains("originPaymentDetails"), "{shown}");
    assert!(shown.contains("cardFingerprint"), "{shown}");
    assert!(shown.contains("expected a string"), "{shown}");
    assert_no_secret(&err);
}

/// The structured `path` reaches into the union, as it does for plain structs.
#[tokio::test]
async fn decode_path_reaches_into_a_tagged_union() {
    let (op, status, body) = success_with("getTransaction", bad_card);
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transactions().get(RAW_ID).await.unwrap_err();
    assert_decode(
        &err,
        "getTransaction",
        200,
        "originPaymentDetails.cardFingerprint",
    );
}

/// The same failure read straight from the input (the tag first, as the API
/// writes it), and again as the object's last member, inside a list.
#[tokio::test]
async fn decode_path_reaches_into_a_streamed_tagged_union() {
    for (card, path) in [
        (
            r#"{"method":"CARD","cardBrand":"VISA","cardFingerprint":12345}"#,
            "originPaymentDetails.cardFingerprint",
        ),
        (
            r#"{"method":"CARD","nameOnCard":{"firstName":7},"cardBrand":"VISA"}"#,
            "originPaymentDetails.nameOnCard.firstName",
        ),
        (
            r#"{"cardBrand":"VISA","nameOnCard":{"firstName":7},"method":"CARD"}"#,
            "originPaymentDetails.nameOnCard.firstName",
        ),
    ] {
        let (op, status, body) = success_with("getTransaction", |body| {
            body.as_object_mut().unwrap().remove("originPaymentDetails");
        });
        let mut text = serde_json::to_string(&body).unwrap();
        assert!(text.ends_with('}'));
        text.pop();
        text.push_str(&format!(r#","originPaymentDetails":{card}}}"#));
        let response = ResponseTemplate::new(status).set_body_raw(text, "application/json");
        let (_server, client) = serve(expected(&op, &[]), response).await;
        let err = client.transactions().get(RAW_ID).await.unwrap_err();
        assert_decode(&err, "getTransaction", 200, path);
    }
}

/// A director that partly fits both `Person` (a number as first name, three levels
/// down) and `LegalEntity` (a number as legal name, two levels down).
fn ambiguous_director(body: &mut Value) {
    body["directors"] = json!([{
        "generalDetails": {"name": {"firstName": 5}},
        "companyGeneralDetails": {"legalName": 7},
    }]);
}

/// An untagged union's failure names the path in the closest variant only, never a
/// chain of paths from two variants.
#[tokio::test]
async fn decode_path_of_an_untagged_union_is_the_closest_variants() {
    let (op, status, body) = success_with("getBusinessUser", ambiguous_director);
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.business_users().get(RAW_ID).await.unwrap_err();
    let shown = assert_decode(
        &err,
        "getBusinessUser",
        200,
        "directors[0].generalDetails.name.firstName",
    );
    assert!(!shown.contains("legalName"), "{shown}");
}

#[tokio::test]
async fn non_json_success_body_is_a_decode_error() {
    let op = operation("getTransactionEvent");
    let response = ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html");
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let err = client.transaction_events().get(RAW_ID).await.unwrap_err();
    assert_decode(&err, "getTransactionEvent", 200, ".");
}

// Fields and values this SDK does not know.

#[tokio::test]
async fn unknown_fields_and_enum_values_survive_a_round_trip() {
    let (op, status, body) = success_with("verifyTransaction", |b| {
        b["status"] = json!("QUARANTINE");
        b["futureTopLevel"] = json!({ "nested": [1, "two", null, { "x": 1.5 }] });
        b["riskScoreDetails"]["trsRiskLevel"] = json!("EXTREME");
        b["riskScoreDetails"]["futureScore"] = json!(7);
        b["hitRules"][0]["ruleAction"] = json!("ESCALATE");
        b["hitRules"][0]["futureRuleField"] = json!(true);
    });
    let tx: Transaction = op.request_body();
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let result = client.transactions().verify(&tx).await.expect("decodes");

    assert_eq!(result.status, RuleAction::UnknownValue("QUARANTINE".into()));
    assert_eq!(result.status.as_str(), "QUARANTINE");
    assert_eq!(
        result.additional_properties.get("futureTopLevel"),
        Some(&body["futureTopLevel"])
    );
    let risk = result.risk_score_details.as_ref().unwrap();
    assert_eq!(
        risk.trs_risk_level,
        Some(RiskLevel::UnknownValue("EXTREME".into()))
    );
    assert_eq!(
        result.hit_rules[0].rule_action,
        RuleAction::UnknownValue("ESCALATE".into())
    );
    assert_json_eq("verifyTransaction round trip", &body, &to_json(&result));
}

#[tokio::test]
async fn unknown_union_tags_and_variant_fields_survive_a_round_trip() {
    let (op, status, body) = success_with("getTransaction", |b| {
        b["originPaymentDetails"] = json!({
            "method": "CRYPTO_VOUCHER",
            "voucherCode": "CV-123",
            "denomination": { "amount": 50, "currency": "EUR" },
        });
        let dest = &mut b["destinationPaymentDetails"];
        *dest = json!({ "method": "CARD", "cardFingerprint": "fp-1", "cardBrand": "NEWBRAND" });
        dest["futureCardField"] = json!(["a", "b"]);
    });
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let tx = client.transactions().get(RAW_ID).await.expect("decodes");

    let origin = tx.origin_payment_details.as_ref().unwrap();
    assert!(
        matches!(origin, PaymentDetails::UnknownVariant(v) if v == &body["originPaymentDetails"]),
        "{origin:?}"
    );
    assert_eq!(origin.tag(), Some("CRYPTO_VOUCHER"));
    let Some(PaymentDetails::Card(card)) = &tx.destination_payment_details else {
        panic!("CARD variant: {:?}", tx.destination_payment_details);
    };
    assert_eq!(card.card_fingerprint.as_deref(), Some("fp-1"));
    assert_eq!(
        card.card_brand.as_ref().map(|b| b.as_str()),
        Some("NEWBRAND")
    );
    assert_eq!(
        card.additional_properties.get("futureCardField"),
        Some(&json!(["a", "b"]))
    );
    assert_json_eq("getTransaction round trip", &body, &to_json(&tx));
}

#[tokio::test]
async fn unknown_fields_inside_an_untagged_union_survive_a_round_trip() {
    let (op, status, body) = success_with("getBusinessUser", |b| {
        b["directors"][0]["futureDirectorField"] = json!({ "since": 2019 });
        b["directors"][0]["generalDetails"]["futureName"] = json!("x");
    });
    let response = ResponseTemplate::new(status).set_body_json(&body);
    let (_server, client) = serve(expected(&op, &[]), response).await;
    let business = client.business_users().get(RAW_ID).await.expect("decodes");
    assert_json_eq("getBusinessUser round trip", &body, &to_json(&business));
}

// Errors raised before or instead of a response.

#[tokio::test]
async fn transport_timeout_and_input_errors_hide_the_key() {
    let op = operation("getTransaction");

    // Nothing listens on the port once the listener is dropped.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = refused.transactions().get(RAW_ID).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_no_secret(&err);

    let slow = ResponseTemplate::new(200)
        .set_body_json(op.success().1)
        .set_delay(std::time::Duration::from_secs(5));
    let (server, _) = serve(expected(&op, &[]), slow).await;
    let impatient = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .max_retries(0)
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .unwrap();
    let err = impatient.transactions().get(RAW_ID).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_no_secret(&err);

    // A per-request header value that cannot be sent, echoing the key.
    let options = flagright_api::RequestOptions::new().header("x-api-key", format!("{API_KEY}\n"));
    let err = client(&server)
        .transactions()
        .get(RAW_ID)
        .options(options)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_no_secret(&err);
}
