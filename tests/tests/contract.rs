//! Contract tests: every endpoint called through `flagright-api` against a
//! Prism mock of `spec/flagright.yaml`.
//!
//! Prism checks each request against the spec (run it with `--errors`, so a
//! request that violates the spec is answered with an error instead of a
//! warning) and answers with the spec's examples, which must decode into our
//! types. Every test is `#[ignore]`d, so `cargo test --workspace` needs no
//! Prism and reports them as ignored, not passed. `.ci/run` starts Prism and
//! runs them with `--ignored`; a run without `PRISM_URL` fails:
//!
//! ```sh
//! prism mock spec/flagright.yaml --host 127.0.0.1 --port 4010 --errors &
//! PRISM_URL=http://127.0.0.1:4010 cargo test -p flagright-tests --test contract -- --ignored
//! ```

use std::fmt::Debug;

use flagright_api::types::{
    AchDetails, Address, Amount, BusinessBatchRequest, BusinessOptional, BusinessUserEvent,
    BusinessUserEventBatchRequest, CardBrand, CardDetails, CardExpiry, CardFunding,
    CompanyGeneralDetails, CompanyRegistrationDetails, ConsumerName, ConsumerUserEvent,
    ConsumerUserEventBatchRequest, ContactDetails, CountryCode, CurrencyCode,
    GenericBankAccountDetails, IbanDetails, KycStatus, KycStatusDetails, LegalDocument,
    LegalEntity, MpesaDetails, MpesaTransactionType, PaymentDetails, PepStatus, Person,
    PersonOrLegalEntity, SwiftDetails, Transaction, TransactionBatchRequest, TransactionEvent,
    TransactionEventBatchRequest, TransactionState, TransactionUpdatable, UpiDetails, User,
    UserBatchRequest, UserDetails, UserOptional, UserState, UserStateDetails, UserTag,
    WalletDetails, WalletNetwork,
};
use flagright_api::{Client, Error, ItemStream};
use futures_util::StreamExt;

/// A client pointed at Prism (`PRISM_URL`); fails the test when it is not set.
fn prism() -> Client {
    let url = std::env::var("PRISM_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .expect("PRISM_URL must point at a running Prism (`.ci/run` starts one)");
    Client::builder()
        // Prism only checks that the security header is present.
        .api_key("contract-test-key")
        .base_url(url)
        .max_retries(0)
        .build()
        .expect("a client for Prism")
}

/// Unwraps a call's result; on failure names the operation and prints the
/// spec violations Prism reported in its `sl-violations` header.
fn ok<T>(what: &str, result: Result<T, Error>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => {
            let violations = error
                .api_error()
                .and_then(|api| api.headers.get("sl-violations"))
                .and_then(|v| v.to_str().ok())
                .unwrap_or("(none reported)")
                .to_owned();
            panic!(
                "{what} failed: {error}\nPrism's violations: {violations}\nfull error: {error:?}"
            );
        }
    }
}

/// Drains a paginated stream, failing on the first error.
async fn collect<T: Debug>(what: &str, mut stream: ItemStream<'_, T>) -> Vec<T> {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(ok(what, item));
    }
    items
}

const NOW: i64 = 1_732_190_400_000;

fn card() -> PaymentDetails {
    PaymentDetails::Card(
        CardDetails::builder()
            .card_fingerprint("fp_9c1e4b7d2a6f4e0b8d3c5a1f")
            .card_brand(CardBrand::Visa)
            .card_funding(CardFunding::Debit)
            .card_issued_country(CountryCode::De)
            .card_first6_digits("424242")
            .card_last4_digits("4242")
            .card_present(false)
            .n3ds_done(true)
            .name_on_card(
                ConsumerName::builder()
                    .first_name("Lena")
                    .last_name("Hoffmann")
                    .build(),
            )
            .card_expiry(CardExpiry::builder().month(9).year(2028).build())
            .build(),
    )
}

fn iban() -> PaymentDetails {
    IbanDetails::builder()
        .iban("GB33BUKB20201555555555")
        .bic("BUKBGB22")
        .bank_name("Bukbank plc")
        .country(CountryCode::Gb)
        .name("Amara Okafor")
        .build()
        .into()
}

/// A transaction; the payment methods vary with `n`.
fn transaction(n: usize) -> Transaction {
    let (origin, destination): (PaymentDetails, PaymentDetails) = match n % 4 {
        0 => (card(), iban()),
        1 => (
            AchDetails::builder()
                .account_number("000123456789")
                .routing_number("021000021")
                .bank_name("Example Bank N.A.")
                .build()
                .into(),
            SwiftDetails::builder()
                .swift_code("DEUTDEFF")
                .account_number("0532013000")
                .bank_name("Deutsche Bank")
                .build()
                .into(),
        ),
        2 => (
            UpiDetails::builder()
                .upi_id("amara@okaxis")
                .bank_provider("Axis Bank")
                .build()
                .into(),
            MpesaDetails::builder()
                .business_short_code("174379")
                .transaction_type(MpesaTransactionType::CustomerPayBillOnline)
                .phone_number("254708374149")
                .build()
                .into(),
        ),
        _ => (
            WalletDetails::builder()
                .wallet_id("0x52908400098527886E0F7030069857D2E4169EE7")
                .network(WalletNetwork::Ethereum)
                .build()
                .into(),
            GenericBankAccountDetails::builder()
                .account_number("12345678")
                .bank_code("040004")
                .account_type("CHECKING")
                .build()
                .into(),
        ),
    };
    // The shared sample, with its own id, time and payment methods.
    let mut tx = flagright_api::samples::transaction();
    tx.transaction_id = format!("txn-20241121-{n:06}");
    tx.timestamp = (NOW + n as i64).into();
    tx.origin_payment_details = Some(origin);
    tx.destination_payment_details = Some(destination);
    tx
}

fn transaction_event(n: usize) -> TransactionEvent {
    TransactionEvent::builder()
        .transaction_state(TransactionState::Successful)
        .timestamp(NOW + 60_000)
        .transaction_id(format!("txn-20241121-{n:06}"))
        .event_id(format!("evt-txn-{n:06}"))
        .reason("Settled by the card network")
        .updated_transaction_attributes(
            TransactionUpdatable::builder()
                .destination_payment_details(iban())
                .build(),
        )
        .build()
}

fn person() -> Person {
    Person::builder()
        .general_details(
            UserDetails::builder()
                .name(
                    ConsumerName::builder()
                        .first_name("Lena")
                        .last_name("Hoffmann")
                        .build(),
                )
                .date_of_birth("1987-02-11")
                .country_of_nationality(CountryCode::De)
                .build(),
        )
        .pep_status(vec![PepStatus::builder().is_pep_hit(false).build()])
        .build()
}

fn consumer_user(n: usize) -> User {
    User::builder()
        .user_id(format!("usr-c-{n:08x}"))
        .created_timestamp(NOW)
        .user_details(
            UserDetails::builder()
                .name(
                    ConsumerName::builder()
                        .first_name("Amara")
                        .last_name("Okafor")
                        .build(),
                )
                .date_of_birth("1991-04-17")
                .country_of_nationality(CountryCode::Ng)
                .country_of_residence(CountryCode::Gb)
                .build(),
        )
        .contact_details(
            ContactDetails::builder()
                .email_ids(vec!["amara.okafor@example.com".to_owned()])
                .addresses(vec![
                    Address::builder()
                        .address_lines(vec!["14 Camden Road".to_owned()])
                        .city("London")
                        .postcode("NW1 9DP")
                        .country("GB")
                        .build(),
                ])
                .build(),
        )
        .legal_documents(vec![
            LegalDocument::builder()
                .document_type("PASSPORT")
                .document_number("A09876543")
                .document_issued_country(CountryCode::Ng)
                .build(),
        ])
        .kyc_status_details(
            KycStatusDetails::builder()
                .status(KycStatus::Successful)
                .build(),
        )
        .user_state_details(UserStateDetails::builder().state(UserState::Active).build())
        .saved_payment_details(vec![
            card(),
            UpiDetails::builder().upi_id("amara@okaxis").build().into(),
        ])
        .tags(vec![
            UserTag::builder().key("plan").value("premium").build(),
        ])
        .build()
}

fn business(n: usize) -> flagright_api::types::Business {
    let company = LegalEntity::builder()
        .company_general_details(
            CompanyGeneralDetails::builder()
                .legal_name("Nordwind Electronics GmbH")
                .business_industry(vec!["Retail".to_owned()])
                .main_products_services_sold(vec!["Consumer electronics".to_owned()])
                .build(),
        )
        .company_registration_details(
            CompanyRegistrationDetails::builder()
                .registration_identifier("HRB 123456")
                .registration_country(CountryCode::De)
                .build(),
        )
        .build();
    let holding = LegalEntity::builder()
        .company_general_details(
            CompanyGeneralDetails::builder()
                .legal_name("Nordwind Holding AG")
                .build(),
        )
        .build();
    flagright_api::types::Business::builder()
        .user_id(format!("usr-b-{n:08x}"))
        .created_timestamp(NOW)
        .legal_entity(company)
        // Shareholders are a union: a person or a company.
        .share_holders(vec![
            PersonOrLegalEntity::from(person()),
            PersonOrLegalEntity::from(holding),
        ])
        .directors([person()])
        .saved_payment_details(vec![iban()])
        .transaction_limits(
            flagright_api::types::TransactionLimits::builder()
                .maximum_daily_transaction_limit(
                    Amount::builder()
                        .amount_value(50_000.0)
                        .amount_currency(CurrencyCode::Eur)
                        .build(),
                )
                .build(),
        )
        .build()
}

fn consumer_user_event(n: usize) -> ConsumerUserEvent {
    ConsumerUserEvent::builder()
        .timestamp(NOW + 3_600_000)
        .user_id(format!("usr-c-{n:08x}"))
        .event_id(format!("evt-usr-c-{n:06}"))
        .reason("Moved to a new address")
        .updated_consumer_user_attributes(
            UserOptional::builder()
                .user_state_details(UserStateDetails::builder().state(UserState::Active).build())
                .contact_details(
                    ContactDetails::builder()
                        .addresses(vec![
                            Address::builder()
                                .address_lines(vec!["3 Elm Row".to_owned()])
                                .city("Edinburgh")
                                .country("GB")
                                .build(),
                        ])
                        .build(),
                )
                .build(),
        )
        .build()
}

fn business_user_event(n: usize) -> BusinessUserEvent {
    BusinessUserEvent::builder()
        .timestamp(NOW + 3_600_000)
        .user_id(format!("usr-b-{n:08x}"))
        .event_id(format!("evt-usr-b-{n:06}"))
        .reason("New shareholder")
        .updated_business_user_attributes(
            BusinessOptional::builder()
                .share_holders(vec![PersonOrLegalEntity::from(person())])
                .build(),
        )
        .build()
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn transactions_verify() {
    let client = prism();
    for n in 0..4 {
        let tx = transaction(n);
        let result = ok(
            "POST /transactions",
            client
                .transactions()
                .verify(&tx)
                .validate_origin_user_id(false)
                .validate_destination_user_id(true)
                .await,
        );
        assert!(!result.transaction_id.is_empty());
        assert!(!result.executed_rules.is_empty());
    }
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn transactions_get() {
    let client = prism();
    let tx = ok(
        "GET /transactions/{id}",
        client.transactions().get("txn-20241121-000187").await,
    );
    assert!(!tx.transaction_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn transaction_events_create() {
    let client = prism();
    let result = ok(
        "POST /events/transaction",
        client
            .transaction_events()
            .create(&transaction_event(0))
            .await,
    );
    assert!(!result.event_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn transaction_events_get() {
    let client = prism();
    let event = ok(
        "GET /events/transaction/{id}",
        client.transaction_events().get("evt-txn-000000").await,
    );
    assert!(!event.transaction_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn consumer_users_create() {
    let client = prism();
    let result = ok(
        "POST /consumer/users",
        client
            .consumer_users()
            .create(&consumer_user(1))
            .lock_cra_risk_level(false)
            .lock_kyc_risk_level(true)
            .validate_user_id(true)
            .await,
    );
    assert!(!result.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn consumer_users_get() {
    let client = prism();
    let user = ok(
        "GET /consumer/users/{id}",
        client.consumer_users().get("usr-c-00000001").await,
    );
    assert!(!user.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn business_users_create() {
    let client = prism();
    let result = ok(
        "POST /business/users",
        client
            .business_users()
            .create(&business(1))
            .lock_kyc_risk_level(false)
            .await,
    );
    assert!(!result.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn business_users_get() {
    let client = prism();
    let user = ok(
        "GET /business/users/{id}",
        client.business_users().get("usr-b-00000001").await,
    );
    assert!(!user.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn consumer_user_events_create() {
    let client = prism();
    let user = ok(
        "POST /events/consumer/user",
        client
            .consumer_user_events()
            .create(&consumer_user_event(1))
            .allow_user_type_conversion(false)
            .lock_kyc_risk_level(false)
            .await,
    );
    assert!(!user.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn consumer_user_events_get() {
    let client = prism();
    let event = ok(
        "GET /events/consumer/user/{id}",
        client.consumer_user_events().get("evt-usr-c-000001").await,
    );
    assert!(!event.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn business_user_events_create() {
    let client = prism();
    let user = ok(
        "POST /events/business/user",
        client
            .business_user_events()
            .create(&business_user_event(1))
            .lock_cra_risk_level(true)
            .await,
    );
    assert!(!user.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn business_user_events_get() {
    let client = prism();
    let event = ok(
        "GET /events/business/user/{id}",
        client.business_user_events().get("evt-usr-b-000001").await,
    );
    assert!(!event.user_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_verify_transaction() {
    let client = prism();
    let request = TransactionBatchRequest::builder()
        .data((0..8).map(transaction).collect::<Vec<_>>())
        .batch_id("batch-tx-1")
        .build();
    let ack = ok(
        "POST /batch/transactions",
        client
            .batch()
            .verify_transaction(&request)
            .validate_origin_user_id(false)
            .await,
    );
    assert!(!ack.batch_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_get_transactions() {
    let client = prism();
    let page = ok(
        "GET /batch/transactions/{id}",
        client
            .batch()
            .get_transactions("batch-tx-1")
            .page(1)
            .page_size(50)
            .await,
    );
    let items = collect(
        "GET /batch/transactions/{id} (stream)",
        client
            .batch()
            .get_transactions("batch-tx-1")
            .page_size(100)
            .stream(),
    )
    .await;
    assert_eq!(items.len(), page.transactions.len());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_create_transaction_events() {
    let client = prism();
    let request = TransactionEventBatchRequest::builder()
        .data((0..4).map(transaction_event).collect::<Vec<_>>())
        .build();
    let ack = ok(
        "POST /batch/events/transaction",
        client.batch().create_transaction_events(&request).await,
    );
    assert!(!ack.batch_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_get_transaction_events() {
    let client = prism();
    let page = ok(
        "GET /batch/events/transaction/{id}",
        client
            .batch()
            .get_transaction_events("batch-txe-1")
            .page(1)
            .await,
    );
    let items = collect(
        "GET /batch/events/transaction/{id} (stream)",
        client
            .batch()
            .get_transaction_events("batch-txe-1")
            .page_size(100)
            .stream(),
    )
    .await;
    assert_eq!(items.len(), page.transaction_events.len());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_create_consumer_users() {
    let client = prism();
    let request = UserBatchRequest::builder()
        .data((0..3).map(consumer_user).collect::<Vec<_>>())
        .batch_id("batch-cu-1")
        .build();
    let ack = ok(
        "POST /batch/consumer/users",
        client
            .batch()
            .create_consumer_users(&request)
            .lock_cra_risk_level(false)
            .await,
    );
    assert!(!ack.batch_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_get_consumer_users() {
    let client = prism();
    let page = ok(
        "GET /batch/consumer/users/{id}",
        client
            .batch()
            .get_consumer_users("batch-cu-1")
            .page_size(20)
            .await,
    );
    let items = collect(
        "GET /batch/consumer/users/{id} (stream)",
        client.batch().get_consumer_users("batch-cu-1").stream(),
    )
    .await;
    assert_eq!(items.len(), page.consumer_users.len());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_create_business_users() {
    let client = prism();
    let request = BusinessBatchRequest::builder()
        .data((0..3).map(business).collect::<Vec<_>>())
        .build();
    let ack = ok(
        "POST /batch/business/users",
        client
            .batch()
            .create_business_users(&request)
            .lock_kyc_risk_level(true)
            .await,
    );
    assert!(!ack.batch_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_get_business_users() {
    let client = prism();
    let page = ok(
        "GET /batch/business/users/{id}",
        client.batch().get_business_users("batch-bu-1").await,
    );
    let items = collect(
        "GET /batch/business/users/{id} (stream)",
        client
            .batch()
            .get_business_users("batch-bu-1")
            .page_size(100)
            .stream(),
    )
    .await;
    assert_eq!(items.len(), page.business_users.len());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_create_consumer_user_events() {
    let client = prism();
    let request = ConsumerUserEventBatchRequest::builder()
        .data((0..3).map(consumer_user_event).collect::<Vec<_>>())
        .build();
    let ack = ok(
        "POST /batch/events/consumer/user",
        client
            .batch()
            .create_consumer_user_events(&request)
            .lock_kyc_risk_level(false)
            .await,
    );
    assert!(!ack.batch_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_get_consumer_user_events() {
    let client = prism();
    let page = ok(
        "GET /batch/events/consumer/user/{id}",
        client.batch().get_consumer_user_events("batch-cue-1").await,
    );
    let items = collect(
        "GET /batch/events/consumer/user/{id} (stream)",
        client
            .batch()
            .get_consumer_user_events("batch-cue-1")
            .page_size(100)
            .stream(),
    )
    .await;
    assert_eq!(items.len(), page.consumer_user_events.len());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_create_business_user_events() {
    let client = prism();
    let request = BusinessUserEventBatchRequest::builder()
        .data((0..3).map(business_user_event).collect::<Vec<_>>())
        .build();
    let ack = ok(
        "POST /batch/events/business/user",
        client
            .batch()
            .create_business_user_events(&request)
            .lock_cra_risk_level(true)
            .await,
    );
    assert!(!ack.batch_id.is_empty());
}

#[tokio::test]
#[ignore = "needs PRISM_URL"]
async fn batch_get_business_user_events() {
    let client = prism();
    let page = ok(
        "GET /batch/events/business/user/{id}",
        client.batch().get_business_user_events("batch-bue-1").await,
    );
    let items = collect(
        "GET /batch/events/business/user/{id} (stream)",
        client
            .batch()
            .get_business_user_events("batch-bue-1")
            .page_size(100)
            .stream(),
    )
    .await;
    assert_eq!(items.len(), page.business_user_events.len());
}
