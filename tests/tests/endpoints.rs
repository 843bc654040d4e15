//! Every endpoint, end to end against a mock server on loopback.
//!
//! Each test sends the spec's own request example through the generated
//! method, with typed query parameters and a path parameter that needs
//! percent-encoding. The server answers the spec's success example only if
//! the method, encoded path, complete query, headers and JSON body are exactly
//! as expected; the test then checks the status, a few typed fields, and that
//! the typed body serializes back to the JSON the server sent.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use flagright_api::types::{
    BatchResponseStatus, Business, BusinessBatchRequest, BusinessUserEvent,
    BusinessUserEventBatchRequest, ConsumerUserEvent, ConsumerUserEventBatchRequest, KycStatus,
    RuleAction, Transaction, TransactionBatchRequest, TransactionEvent,
    TransactionEventBatchRequest, TransactionState, User, UserBatchRequest, UserState,
};
use flagright_tests::mock::{ENCODED_ID, EndpointCase, ExpectedRequest, RAW_ID, client, operation};
use flagright_tests::spec::operation_ids;
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The string at `pointer` in `value`.
#[track_caller]
fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer}"))
}

/// The number at `pointer` in `value`.
#[track_caller]
fn integer(value: &Value, pointer: &str) -> i64 {
    value
        .pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("no integer at {pointer}"))
}

fn number(value: &Value, pointer: &str) -> f64 {
    value
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer}"))
}

/// Which client a shared endpoint test calls through.
#[derive(Debug, Clone, Copy)]
enum Flavour {
    /// `flagright_api::Client`, awaited.
    Async,
    /// `flagright_api::blocking::Client`, on a thread of its own (it refuses to
    /// run inside the test's async runtime, which serves the mock).
    Blocking,
}

/// Sends the request `$request` built from client `$c` through the case's
/// async client, or through a blocking client for the same server: the same
/// tokens, so both clients run the same test.
macro_rules! send {
    ($case:expr, $flavour:expr, |$c:ident| $request:expr) => {
        match $flavour {
            Flavour::Async => {
                let $c = &$case.client;
                $request.await
            }
            Flavour::Blocking => {
                let $c = &$case.blocking_client();
                tokio::task::block_in_place(|| {
                    std::thread::scope(|scope| scope.spawn(|| $request).join())
                })
                .expect("the blocking call does not panic")
            }
        }
    };
}

/// Two tests per shared endpoint test: one per client.
macro_rules! with_both_clients {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::Flavour;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn async_client() {
                    super::$name(Flavour::Async).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn blocking_client() {
                    super::$name(Flavour::Blocking).await;
                }
            }
        )*
    };
}

with_both_clients!(
    verify_transaction,
    get_transaction,
    create_transaction_event,
    get_transaction_event,
    create_consumer_user,
    get_consumer_user,
    create_consumer_user_event,
    get_consumer_user_event,
    create_business_user,
    get_business_user,
    create_business_user_event,
    get_business_user_event,
    verify_transaction_batch,
    create_transaction_event_batch,
    create_consumer_user_batch,
    create_business_user_batch,
    create_consumer_user_event_batch,
    create_business_user_event_batch,
    get_transaction_batch,
    get_transaction_event_batch,
    get_consumer_user_batch,
    get_business_user_batch,
    get_consumer_user_event_batch,
    get_business_user_event_batch,
);

/// Query pairs of the paginated batch reads.
const PAGE_2_OF_50: &[(&str, &str)] = &[("page", "2"), ("pageSize", "50")];

/// The operations this file tests: the `operationId` of every `EndpointCase::start`
/// call in its own source. The mock behind each case answers only the request the
/// spec describes for that id, so a case cannot claim an operation it does not call.
fn tested_operations() -> BTreeSet<String> {
    // Split, so that this line is not a call itself.
    const CALL: &str = concat!("EndpointCase::", "start(");
    let source = include_str!("endpoints.rs");
    source
        .match_indices(CALL)
        .filter_map(|(at, _)| {
            let rest = source[at + CALL.len()..].trim_start().strip_prefix('"')?;
            let (id, _) = rest.split_once('"')?;
            id.chars()
                .all(|c| c.is_ascii_alphanumeric())
                .then(|| id.to_owned())
        })
        .collect()
}

#[test]
fn every_operation_in_the_spec_has_a_test() {
    let spec: BTreeSet<String> = operation_ids().into_iter().collect();
    let tested = tested_operations();
    let untested: Vec<_> = spec.difference(&tested).collect();
    let unknown: Vec<_> = tested.difference(&spec).collect();
    assert!(
        untested.is_empty() && unknown.is_empty(),
        "operations without a test: {untested:?}; tests of operations not in the spec: {unknown:?}"
    );
}

// Transactions.

async fn verify_transaction(flavour: Flavour) {
    let case = EndpointCase::start(
        "verifyTransaction",
        &[
            ("validateOriginUserId", "false"),
            ("validateDestinationUserId", "true"),
        ],
    )
    .await;
    let tx: Transaction = case.body();
    let result = send!(case, flavour, |c| c
        .transactions()
        .verify(&tx)
        .validate_origin_user_id(false)
        .validate_destination_user_id(true)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.transaction_id, text(ex, "/transactionId"));
    assert_eq!(body.status, RuleAction::Flag);
    assert_eq!(
        body.hit_rules.len(),
        ex["hitRules"].as_array().unwrap().len()
    );
    assert!(!body.executed_rules.is_empty());
}

async fn get_transaction(flavour: Flavour) {
    let case = EndpointCase::start("getTransaction", &[]).await;
    let result = send!(case, flavour, |c| c.transactions().get(RAW_ID).send());
    let tx = case.check(result).await;
    let ex = case.example();
    assert_eq!(tx.transaction_id, text(ex, "/transactionId"));
    assert_eq!(tx.type_, text(ex, "/type"));
    assert_eq!(tx.timestamp, integer(ex, "/timestamp"));
    assert_eq!(tx.transaction_state, Some(TransactionState::Created));
    assert_eq!(
        tx.origin_payment_details.as_ref().and_then(|p| p.tag()),
        ex.pointer("/originPaymentDetails/method")
            .and_then(Value::as_str)
    );
}

// Transaction events.

async fn create_transaction_event(flavour: Flavour) {
    let case = EndpointCase::start("createTransactionEvent", &[]).await;
    let event: TransactionEvent = case.body();
    let result = send!(case, flavour, |c| c
        .transaction_events()
        .create(&event)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.event_id, text(ex, "/eventId"));
    assert_eq!(body.status, Some(RuleAction::Allow));
    assert_eq!(
        body.transaction.transaction_id,
        text(ex, "/transaction/transactionId")
    );
}

async fn get_transaction_event(flavour: Flavour) {
    let case = EndpointCase::start("getTransactionEvent", &[]).await;
    let result = send!(case, flavour, |c| c
        .transaction_events()
        .get(RAW_ID)
        .send_raw());
    let event = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(event.transaction_id, text(ex, "/transactionId"));
    assert_eq!(event.event_id.as_deref(), Some(text(ex, "/eventId")));
    assert_eq!(event.transaction_state, TransactionState::Successful);
}

// Consumer users.

async fn create_consumer_user(flavour: Flavour) {
    let case = EndpointCase::start(
        "createConsumerUser",
        &[
            ("lockCraRiskLevel", "true"),
            ("lockKycRiskLevel", "false"),
            ("validateUserId", "false"),
        ],
    )
    .await;
    let user: User = case.body();
    let result = send!(case, flavour, |c| c
        .consumer_users()
        .create(&user)
        .lock_cra_risk_level(true)
        .lock_kyc_risk_level(false)
        .validate_user_id(false)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.user_id, text(ex, "/userId"));
    let risk = body.risk_score_details.expect("riskScoreDetails");
    assert_eq!(
        risk.kyc_risk_score,
        Some(number(ex, "/riskScoreDetails/kycRiskScore"))
    );
}

async fn get_consumer_user(flavour: Flavour) {
    let case = EndpointCase::start("getConsumerUser", &[]).await;
    let result = send!(case, flavour, |c| c.consumer_users().get(RAW_ID).send());
    let user = case.check(result).await;
    let ex = case.example();
    assert_eq!(user.user_id, text(ex, "/userId"));
    assert_eq!(user.created_timestamp, integer(ex, "/createdTimestamp"));
    assert_eq!(
        user.user_state_details.as_ref().map(|s| &s.state),
        Some(&UserState::Active)
    );
    assert_eq!(
        user.kyc_status_details
            .as_ref()
            .and_then(|k| k.status.as_ref()),
        Some(&KycStatus::Successful)
    );
}

// Consumer user events.

async fn create_consumer_user_event(flavour: Flavour) {
    let case = EndpointCase::start(
        "createConsumerUserEvent",
        &[
            ("allowUserTypeConversion", "true"),
            ("lockKycRiskLevel", "false"),
            ("lockCraRiskLevel", "true"),
            ("changeUserId", "false"),
        ],
    )
    .await;
    let event: ConsumerUserEvent = case.body();
    let result = send!(case, flavour, |c| c
        .consumer_user_events()
        .create(&event)
        .allow_user_type_conversion(true)
        .lock_kyc_risk_level(false)
        .lock_cra_risk_level(true)
        .change_user_id(false)
        .send_raw());
    let user = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(user.user_id, text(ex, "/userId"));
    assert_eq!(
        user.user_state_details.as_ref().map(|s| &s.state),
        Some(&UserState::Suspended)
    );
}

async fn get_consumer_user_event(flavour: Flavour) {
    let case = EndpointCase::start("getConsumerUserEvent", &[]).await;
    let result = send!(case, flavour, |c| c
        .consumer_user_events()
        .get(RAW_ID)
        .send_raw());
    let event = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(event.user_id, text(ex, "/userId"));
    assert_eq!(event.event_id.as_deref(), Some(text(ex, "/eventId")));
    assert_eq!(event.timestamp, integer(ex, "/timestamp"));
}

// Business users.

async fn create_business_user(flavour: Flavour) {
    let case = EndpointCase::start(
        "createBusinessUser",
        &[
            ("lockCraRiskLevel", "false"),
            ("lockKycRiskLevel", "true"),
            ("validateUserId", "true"),
        ],
    )
    .await;
    let business: Business = case.body();
    let result = send!(case, flavour, |c| c
        .business_users()
        .create(&business)
        .lock_cra_risk_level(false)
        .lock_kyc_risk_level(true)
        .validate_user_id(true)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.user_id, text(ex, "/userId"));
    assert_eq!(
        body.executed_rules.as_ref().map(Vec::len),
        ex["executedRules"].as_array().map(Vec::len)
    );
}

async fn get_business_user(flavour: Flavour) {
    let case = EndpointCase::start("getBusinessUser", &[]).await;
    let result = send!(case, flavour, |c| c.business_users().get(RAW_ID).send_raw());
    let business = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(business.user_id, text(ex, "/userId"));
    assert_eq!(business.created_timestamp, integer(ex, "/createdTimestamp"));
    assert_eq!(
        business
            .legal_entity
            .company_general_details
            .legal_name
            .as_deref(),
        Some(text(ex, "/legalEntity/companyGeneralDetails/legalName"))
    );
}

// Business user events.

async fn create_business_user_event(flavour: Flavour) {
    let case = EndpointCase::start(
        "createBusinessUserEvent",
        &[
            ("allowUserTypeConversion", "false"),
            ("lockKycRiskLevel", "true"),
            ("lockCraRiskLevel", "false"),
            ("changeUserId", "true"),
        ],
    )
    .await;
    let event: BusinessUserEvent = case.body();
    let result = send!(case, flavour, |c| c
        .business_user_events()
        .create(&event)
        .allow_user_type_conversion(false)
        .lock_kyc_risk_level(true)
        .lock_cra_risk_level(false)
        .change_user_id(true)
        .send_raw());
    let business = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(business.user_id, text(ex, "/userId"));
    assert_eq!(business.created_timestamp, integer(ex, "/createdTimestamp"));
}

async fn get_business_user_event(flavour: Flavour) {
    let case = EndpointCase::start("getBusinessUserEvent", &[]).await;
    let result = send!(case, flavour, |c| c
        .business_user_events()
        .get(RAW_ID)
        .send());
    let event = case.check(result).await;
    let ex = case.example();
    assert_eq!(event.user_id, text(ex, "/userId"));
    assert_eq!(event.event_id.as_deref(), Some(text(ex, "/eventId")));
    assert_eq!(event.reason.as_deref(), Some(text(ex, "/reason")));
}

// Batches: create.

async fn verify_transaction_batch(flavour: Flavour) {
    let case = EndpointCase::start(
        "verifyTransactionBatch",
        &[
            ("validateOriginUserId", "true"),
            ("validateDestinationUserId", "false"),
        ],
    )
    .await;
    let batch: TransactionBatchRequest = case.body();
    let result = send!(case, flavour, |c| c
        .batch()
        .verify_transaction(&batch)
        .validate_origin_user_id(true)
        .validate_destination_user_id(false)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.batch_id, text(ex, "/batchId"));
    assert_eq!(body.status, BatchResponseStatus::Success);
    assert_eq!(body.successful, number(ex, "/successful"));
}

async fn create_transaction_event_batch(flavour: Flavour) {
    let case = EndpointCase::start("createTransactionEventBatch", &[]).await;
    let batch: TransactionEventBatchRequest = case.body();
    let result = send!(case, flavour, |c| c
        .batch()
        .create_transaction_events(&batch)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.batch_id, text(ex, "/batchId"));
    assert_eq!(body.status, BatchResponseStatus::PartialFailure);
    let failed = body.failed_records.expect("failedRecords");
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].id.as_deref(),
        Some(text(ex, "/failedRecords/0/id"))
    );
}

async fn create_consumer_user_batch(flavour: Flavour) {
    let case = EndpointCase::start(
        "createConsumerUserBatch",
        &[("lockCraRiskLevel", "true"), ("lockKycRiskLevel", "true")],
    )
    .await;
    let batch: UserBatchRequest = case.body();
    let result = send!(case, flavour, |c| c
        .batch()
        .create_consumer_users(&batch)
        .lock_cra_risk_level(true)
        .lock_kyc_risk_level(true)
        .send_raw());
    let body = case.check_raw(result).await;
    assert_eq!(body.batch_id, text(case.example(), "/batchId"));
    assert_eq!(body.status, BatchResponseStatus::Success);
}

async fn create_business_user_batch(flavour: Flavour) {
    let case = EndpointCase::start(
        "createBusinessUserBatch",
        &[("lockCraRiskLevel", "false"), ("lockKycRiskLevel", "false")],
    )
    .await;
    let batch: BusinessBatchRequest = case.body();
    let result = send!(case, flavour, |c| c
        .batch()
        .create_business_users(&batch)
        .lock_cra_risk_level(false)
        .lock_kyc_risk_level(false)
        .send_raw());
    let body = case.check_raw(result).await;
    assert_eq!(body.batch_id, text(case.example(), "/batchId"));
    assert_eq!(body.status, BatchResponseStatus::Success);
}

async fn create_consumer_user_event_batch(flavour: Flavour) {
    let case = EndpointCase::start(
        "createConsumerUserEventBatch",
        &[("lockCraRiskLevel", "true"), ("lockKycRiskLevel", "false")],
    )
    .await;
    let batch: ConsumerUserEventBatchRequest = case.body();
    let result = send!(case, flavour, |c| c
        .batch()
        .create_consumer_user_events(&batch)
        .lock_cra_risk_level(true)
        .lock_kyc_risk_level(false)
        .send_raw());
    let body = case.check_raw(result).await;
    assert_eq!(body.batch_id, text(case.example(), "/batchId"));
    assert_eq!(body.status, BatchResponseStatus::Success);
}

async fn create_business_user_event_batch(flavour: Flavour) {
    let case = EndpointCase::start(
        "createBusinessUserEventBatch",
        &[("lockCraRiskLevel", "false"), ("lockKycRiskLevel", "true")],
    )
    .await;
    let batch: BusinessUserEventBatchRequest = case.body();
    let result = send!(case, flavour, |c| c
        .batch()
        .create_business_user_events(&batch)
        .lock_cra_risk_level(false)
        .lock_kyc_risk_level(true)
        .send_raw());
    let body = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(body.batch_id, text(ex, "/batchId"));
    assert_eq!(body.status, BatchResponseStatus::Failure);
    assert_eq!(body.failed, number(ex, "/failed"));
    assert_eq!(body.failed_records.map(|r| r.len()), Some(2));
}

// Batches: read one page.

async fn get_transaction_batch(flavour: Flavour) {
    let case = EndpointCase::start("getTransactionBatch", PAGE_2_OF_50).await;
    let result = send!(case, flavour, |c| c
        .batch()
        .get_transactions(RAW_ID)
        .page(2)
        .page_size(50)
        .send_raw());
    let page = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(page.total_count, number(ex, "/totalCount"));
    assert_eq!(
        page.transactions[0].transaction_id,
        text(ex, "/transactions/0/transactionId")
    );
    assert_eq!(page.transactions[0].status, RuleAction::Flag);
}

async fn get_transaction_event_batch(flavour: Flavour) {
    let case = EndpointCase::start("getTransactionEventBatch", PAGE_2_OF_50).await;
    let result = send!(case, flavour, |c| c
        .batch()
        .get_transaction_events(RAW_ID)
        .page(2)
        .page_size(50)
        .send_raw());
    let page = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(page.total_count, number(ex, "/totalCount"));
    assert_eq!(
        page.transaction_events[0].event_id.as_deref(),
        Some(text(ex, "/transactionEvents/0/eventId"))
    );
}

async fn get_consumer_user_batch(flavour: Flavour) {
    let case = EndpointCase::start("getConsumerUserBatch", PAGE_2_OF_50).await;
    let result = send!(case, flavour, |c| c
        .batch()
        .get_consumer_users(RAW_ID)
        .page(2)
        .page_size(50)
        .send_raw());
    let page = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(page.total_count, number(ex, "/totalCount"));
    assert_eq!(
        page.consumer_users[0].user_id,
        text(ex, "/consumerUsers/0/userId")
    );
}

async fn get_business_user_batch(flavour: Flavour) {
    let case = EndpointCase::start("getBusinessUserBatch", PAGE_2_OF_50).await;
    let result = send!(case, flavour, |c| c
        .batch()
        .get_business_users(RAW_ID)
        .page(2)
        .page_size(50)
        .send_raw());
    let page = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(page.total_count, number(ex, "/totalCount"));
    assert_eq!(
        page.business_users[0].user_id,
        text(ex, "/businessUsers/0/userId")
    );
}

async fn get_consumer_user_event_batch(flavour: Flavour) {
    let case = EndpointCase::start("getConsumerUserEventBatch", PAGE_2_OF_50).await;
    let result = send!(case, flavour, |c| c
        .batch()
        .get_consumer_user_events(RAW_ID)
        .page(2)
        .page_size(50)
        .send_raw());
    let page = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(page.total_count, number(ex, "/totalCount"));
    assert_eq!(
        page.consumer_user_events[0].user_id,
        text(ex, "/consumerUserEvents/0/userId")
    );
}

async fn get_business_user_event_batch(flavour: Flavour) {
    let case = EndpointCase::start("getBusinessUserEventBatch", PAGE_2_OF_50).await;
    let result = send!(case, flavour, |c| c
        .batch()
        .get_business_user_events(RAW_ID)
        .page(2)
        .page_size(50)
        .send_raw());
    let page = case.check_raw(result).await;
    let ex = case.example();
    assert_eq!(page.total_count, number(ex, "/totalCount"));
    assert_eq!(
        page.business_user_events[0].event_id.as_deref(),
        Some(text(ex, "/businessUserEvents/0/eventId"))
    );
}

// Pagination.

/// Decoded query pairs of one request.
type Query = Vec<(String, String)>;

/// Serves a batch of `total` transactions, `pageSize` at a time, choosing the
/// page by the `page` query parameter, and records the queries it saw.
struct TransactionPages {
    total: usize,
    template: Value,
    seen: Arc<Mutex<Vec<Query>>>,
}

impl Respond for TransactionPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: Query = request.url.query_pairs().into_owned().collect();
        self.seen.lock().unwrap().push(query.clone());
        let get = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let (Some(page), Some(size)) = (get("page"), get("pageSize")) else {
            return ResponseTemplate::new(400).set_body_json(json!({ "message": "page?" }));
        };
        let start = (page - 1) * size;
        let transactions: Vec<Value> = (start..self.total.min(start + size))
            .map(|i| {
                let mut item = self.template.clone();
                item["transactionId"] = json!(format!("txn-{i:04}"));
                item
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "transactions": transactions,
            "totalCount": self.total,
        }))
    }
}

#[tokio::test]
async fn transaction_batch_stream_yields_every_item_once_and_stops() {
    let (_, example) = operation("getTransactionBatch").success();
    let template = example["transactions"][0].clone();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = MockServer::start().await;
    let path = operation("getTransactionBatch").path_with(ENCODED_ID);
    Mock::given(ExpectedRequest::new("GET", path).query_any())
        .respond_with(TransactionPages {
            total: 250,
            template,
            seen: seen.clone(),
        })
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);

    let ids: Vec<String> = client
        .batch()
        .get_transactions(RAW_ID)
        .page(1)
        .page_size(100)
        .stream()
        .map(|item| item.expect("every page decodes").transaction_id)
        .collect()
        .await;

    assert_eq!(ids.len(), 250, "items yielded");
    let unique: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let expected: BTreeSet<String> = (0..250).map(|i| format!("txn-{i:04}")).collect();
    assert_eq!(unique.len(), 250, "no item twice");
    assert!(
        expected.iter().all(|id| unique.contains(id.as_str())),
        "every item"
    );
    assert_eq!(
        ids.first().map(String::as_str),
        Some("txn-0000"),
        "in order"
    );
    assert_eq!(ids.last().map(String::as_str), Some("txn-0249"), "in order");
    let queries = seen.lock().unwrap().clone();
    let pages: Vec<Query> = (1..=3)
        .map(|page| {
            let mut q = vec![
                ("page".to_owned(), page.to_string()),
                ("pageSize".to_owned(), "100".to_owned()),
            ];
            q.sort();
            q
        })
        .collect();
    let sorted: Vec<Query> = queries
        .into_iter()
        .map(|mut q| {
            q.sort();
            q
        })
        .collect();
    assert_eq!(sorted, pages, "three requests, pages 1 to 3 of 100");
}

/// Starting the stream at page 2 of a 250-item batch in pages of 100 should
/// fetch pages 2 and 3 only; the items of the skipped first page count
/// toward `totalCount` too.
#[tokio::test]
async fn transaction_batch_stream_from_page_two_stops_at_the_last_page() {
    let (_, example) = operation("getTransactionBatch").success();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = MockServer::start().await;
    let path = operation("getTransactionBatch").path_with(ENCODED_ID);
    Mock::given(ExpectedRequest::new("GET", path).query_any())
        .respond_with(TransactionPages {
            total: 250,
            template: example["transactions"][0].clone(),
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let ids: Vec<String> = client
        .batch()
        .get_transactions(RAW_ID)
        .page(2)
        .page_size(100)
        .stream()
        .map(|item| item.expect("every page decodes").transaction_id)
        .collect()
        .await;
    assert_eq!(ids.len(), 150);
    assert_eq!(ids.first().map(String::as_str), Some("txn-0100"));
    let pages: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|q| q.iter().find(|(k, _)| k == "page").map(|(_, v)| v.clone()))
        .collect();
    assert_eq!(pages, ["2", "3"], "pages requested");
}
