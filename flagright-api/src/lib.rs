//! Typed async (and, with the `blocking` feature, blocking) client for the [Flagright](https://www.flagright.com) API:
//! send every transaction and user to Flagright's transaction monitoring and
//! AML screening, and get back rule results and risk scores.
//!
//! The models ([`types`]) and endpoint builders (one module per group, such
//! as [`transactions`] and [`batch`]) are generated from the OpenAPI
//! description in the repository's `spec/` folder by `cargo xtask generate`;
//! the small runtime around them ([`Client`], [`ClientBuilder`], [`Error`],
//! [`RequestOptions`], [`RetryPolicy`], pagination) is written by hand.
//!
//! # Quickstart
//!
//! Create one [`Client`] and share it; clones are cheap. [`Client::new`] talks
//! to the default environment ([`Environment::SandboxEu1`]);
//! [`Client::from_env`] reads `FLAGRIGHT_API_KEY` and, optionally,
//! `FLAGRIGHT_BASE_URL`.
//!
//! ```no_run
//! # async fn run() -> Result<(), flagright_api::Error> {
//! use flagright_api::Client;
//! use flagright_api::types::{
//!     CardBrand, CardDetails, CountryCode, CurrencyCode, IbanDetails, PaymentDetails, RuleAction,
//!     Transaction, TransactionAmountDetails,
//! };
//!
//! let client = Client::new("your-api-key")?;
//!
//! // Every field is named where it is set; `build` exists only once the
//! // required ones (here `type`, `transactionId`, `timestamp`) are all set.
//! let transaction = Transaction::builder()
//!     .transaction_id("txn-000187")
//!     .type_("TRANSFER")
//!     .timestamp(1_732_190_400_000) // ms since the epoch, or a `SystemTime`
//!     .origin_user_id("usr-c-7f3c2a91")
//!     .origin_amount_details(
//!         TransactionAmountDetails::builder()
//!             .transaction_amount(1250.0)
//!             .transaction_currency(CurrencyCode::Eur)
//!             .build(),
//!     )
//!     // Payment details are a tagged union: one variant per payment method.
//!     .origin_payment_details(PaymentDetails::Card(
//!         CardDetails::builder()
//!             .card_fingerprint("fp_9c1e4b7d2a6f4e0b")
//!             .card_brand(CardBrand::Visa)
//!             .card_issued_country(CountryCode::De)
//!             .build(),
//!     ))
//!     // Every variant also converts with `into()`.
//!     .destination_payment_details(IbanDetails::builder().iban("GB33BUKB20201555555555").build())
//!     .build();
//!
//! // Await the request builder, or call `.send()` / `.send_raw()`.
//! let result = client
//!     .transactions()
//!     .verify(&transaction)
//!     .validate_origin_user_id(false)
//!     .await?;
//!
//! if result.status == RuleAction::Block {
//!     println!("blocked by {} rule(s)", result.hit_rules.len());
//! }
//! for rule in &result.hit_rules {
//!     println!("{}: {}", rule.rule_name, rule.rule_action);
//! }
//! if let Some(score) = result.risk_score_details.as_ref().and_then(|r| r.trs_score) {
//!     println!("transaction risk score {score}");
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Users
//!
//! ```no_run
//! # async fn run(client: flagright_api::Client) -> Result<(), flagright_api::Error> {
//! use std::time::SystemTime;
//!
//! use flagright_api::types::{ConsumerName, CountryCode, User, UserDetails};
//!
//! let user = User::builder()
//!     .user_id("usr-c-7f3c2a91")
//!     .created_timestamp(SystemTime::now())
//!     .user_details(
//!         UserDetails::builder()
//!             .name(ConsumerName::builder().first_name("Lena").last_name("Hoffmann").build())
//!             .country_of_residence(CountryCode::De)
//!             .build(),
//!     )
//!     .build();
//! let outcome = client.consumer_users().create(&user).await?;
//! let kyc = outcome.risk_score_details.and_then(|r| r.kyc_risk_level);
//! println!("{} created, KYC risk level {kyc:?}", outcome.user_id);
//! # Ok(())
//! # }
//! ```
//!
//! # Batches and pagination
//!
//! Batch imports are screened in the background; their results are read page
//! by page. `.stream()` fetches the pages lazily and yields one item at a time.
//!
//! ```no_run
//! # async fn run(client: flagright_api::Client, transactions: Vec<flagright_api::types::Transaction>) -> Result<(), flagright_api::Error> {
//! use flagright_api::types::TransactionBatchRequest;
//! use futures_util::StreamExt;
//!
//! let request = TransactionBatchRequest::builder()
//!     .data(transactions)
//!     .batch_id("batch-2024-11-21")
//!     .build();
//! let ack = client.batch().verify_transaction(&request).await?;
//! println!("{} accepted, {} rejected", ack.successful, ack.failed);
//!
//! let mut results = client.batch().get_transactions(&ack.batch_id).page_size(100).stream();
//! while let Some(result) = results.next().await {
//!     let result = result?;
//!     println!("{}: {}", result.transaction_id, result.status);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Without async: the blocking client
//!
//! With the `blocking` feature (off by default), `blocking::Client` has the
//! same groups, methods and builders, and `send` returns the result directly;
//! it runs the async client on a private single-threaded runtime, so requests,
//! retries and errors are the same code. Inside an async runtime its calls
//! return [`Error::Config`] instead of blocking that runtime.
//! `blocking::Client::builder()` takes the same settings as
//! [`ClientBuilder`] and builds the blocking client. Its documentation shows
//! a synchronous `verify`.
//!
//! ```toml
//! flagright-api = { path = "flagright-api", features = ["blocking"] }
//! ```
//!
//! # Errors, retries and timeouts
//!
//! Every call returns [`Result<T, Error>`](Error). A non-2xx answer is
//! [`Error::Api`], with the status, the API's message and the parsed error
//! body; timeouts, connection failures, redirects (never followed), oversized
//! and undecodable bodies have their own variants.
//!
//! Retries depend on whether a failed request may have been processed:
//!
//! | failure | the request... | `GET` | `POST` |
//! | --- | --- | --- | --- |
//! | connection refused, DNS, TLS, connect timeout | was not sent | retried | retried |
//! | 408, 429, 503 | was refused before processing | retried | retried |
//! | 500, 502, 504, other 5xx | may have been processed | retried | not retried |
//! | timeout after connecting, connection or body cut | may have been processed | retried | not retried |
//! | 3xx, other 4xx, oversized or undecodable body | got a definite answer | error | error |
//!
//! So a transaction is never screened twice by accident: a `POST` that failed
//! ambiguously is an error for which [`Error::may_have_been_processed`] is
//! true, naming the endpoint to check with before sending it again.
//! [`RetryPolicy::retry_non_idempotent`] opts in to retrying those anyway.
//! Waits honour `Retry-After`, and every call has an overall deadline
//! (default 90 s) besides the per-attempt timeout (default 60 s); see
//! [`RetryPolicy`] and [`ClientBuilder::deadline`].
//!
//! ```no_run
//! # async fn run() -> Result<(), flagright_api::Error> {
//! use std::time::Duration;
//!
//! use flagright_api::{Client, Environment, Error, ErrorKind, RequestOptions};
//!
//! let client = Client::builder()
//!     .api_key("your-api-key")
//!     .environment(Environment::ProductionEu1)
//!     .timeout(Duration::from_secs(20)) // per attempt
//!     .deadline(Duration::from_secs(45)) // the whole call, waits included
//!     .max_retries(3)
//!     .build()?;
//!
//! match client.transactions().get("txn-000187").await {
//!     Ok(transaction) => println!("status {}", transaction.status),
//!     Err(error) if error.may_have_been_processed() => {
//!         // Never for a GET; shown here for the shape of the check.
//!         println!("check before sending again: {error}");
//!     }
//!     Err(Error::Api(api)) if api.kind == ErrorKind::TooManyRequests => {
//!         println!("rate limited even after {} attempts", api.attempts);
//!     }
//!     Err(error) if error.is_timeout() => println!("timed out: {error}"),
//!     Err(error) => return Err(error),
//! }
//!
//! // Per-call overrides.
//! let transaction = client
//!     .transactions()
//!     .get("txn-000187")
//!     .options(RequestOptions::new().timeout(Duration::from_secs(5)).max_retries(0))
//!     .await?;
//! # let _ = transaction;
//! # Ok(())
//! # }
//! ```
//!
//! # Testing your integration
//!
//! With the `mock` feature (off by default; it adds `wiremock`),
//! `flagright_api::mock` serves the whole API on `127.0.0.1` for your own tests. Every operation
//! answers out of the box with a response that decodes, so a whole flow runs
//! without setup; typed expectations, reached like the client's groups,
//! match on the typed body and parameters, answer a typed value or error, and
//! count calls (checked when the mock is dropped). Faults (`delay`,
//! `rate_limited`, `server_error`, `drop_connection`) make the client return
//! the errors it documents, and `received()` returns what the client sent,
//! decoded. `webhooks::deliver` signs a typed event as Flagright does and
//! posts it to your receiver.
//!
//! ```toml
//! [dev-dependencies]
//! flagright-api = { path = "flagright-api", features = ["mock"] }
//! ```
//!
//! ```rust
//! # #[cfg(feature = "mock")]
//! # mod tests {
//! use flagright_api::mock::MockServer;
//! use flagright_api::types::{
//!     ExecutedRulesResult, HitRulesDetails, RuleAction, Transaction, TransactionMonitoringResponse,
//! };
//! use flagright_api::{Client, Error, samples};
//!
//! /// The code under test: a payment goes ahead unless Flagright blocks it.
//! async fn checkout(client: &Client, tx: &Transaction) -> Result<bool, Error> {
//!     let verdict = client.transactions().verify(tx).await?;
//!     Ok(verdict.status != RuleAction::Block)
//! }
//!
//! // Each test is a `#[tokio::test]` in your test suite.
//! pub async fn a_blocked_payment_is_held_and_screened_once() -> Result<(), Box<dyn std::error::Error>> {
//!     let mock = MockServer::start().await;
//!     let client = mock.client();
//!     let tx = samples::transaction();
//!
//!     let blocked = TransactionMonitoringResponse::builder()
//!         .transaction_id("txn-000187")
//!         .status(RuleAction::Block)
//!         .executed_rules(Vec::<ExecutedRulesResult>::new())
//!         .hit_rules(Vec::<HitRulesDetails>::new())
//!         .build();
//!     mock.transactions()
//!         .verify()
//!         .matching(|tx: &Transaction| tx.transaction_id == "txn-000187")
//!         .respond_with(blocked)
//!         .expect(1)
//!         .mount()
//!         .await;
//!     assert!(!checkout(&client, &tx).await?);
//!
//!     // Screened exactly once, with the payload we built.
//!     let calls = mock.transactions().verify().received().await?;
//!     assert_eq!(calls.len(), 1);
//!     assert_eq!(calls[0].body, tx);
//!     Ok(())
//! }
//!
//! pub async fn an_ambiguous_failure_is_not_sent_again() {
//!     let mock = MockServer::start().await;
//!     mock.transactions().verify().server_error(502).expect(1).mount().await;
//!
//!     let outcome = checkout(&mock.client(), &samples::transaction()).await;
//!     // A 5xx after processing: not retried, and the error says so.
//!     assert!(outcome.is_err_and(|error| error.may_have_been_processed()));
//! }
//! # }
//! # #[cfg(feature = "mock")]
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! #     tests::a_blocked_payment_is_held_and_screened_once().await?;
//! #     tests::an_ambiguous_failure_is_not_sent_again().await;
//! #     Ok(())
//! # }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
//!
//! # Payment details on the wire
//!
//! [`types::PaymentDetails`] is read by its `method` tag, straight into the
//! variant the tag names (nothing is buffered when the tag comes first), and
//! unknown methods are kept rather than rejected. A mismatch read with plain
//! `serde_json` says where it is by line and column; the client's
//! [`Error::Decode`] names the field path too
//! (`originPaymentDetails.cardPresent`):
//!
//! ```
//! use flagright_api::types::PaymentDetails;
//!
//! # fn main() -> Result<(), serde_json::Error> {
//! let card: PaymentDetails =
//!     serde_json::from_str(r#"{"method": "CARD", "cardLast4Digits": "4242"}"#)?;
//! match &card {
//!     PaymentDetails::Card(card) => assert_eq!(card.card_last4_digits.as_deref(), Some("4242")),
//!     other => panic!("expected a card, got {other:?}"),
//! }
//!
//! let future: PaymentDetails =
//!     serde_json::from_str(r#"{"method": "PIX", "pixKey": "+5511999999999"}"#)?;
//! assert_eq!(future.tag(), Some("PIX"));
//!
//! let error = serde_json::from_str::<PaymentDetails>(r#"{"method": "CARD", "cardPresent": "yes"}"#)
//!     .unwrap_err();
//! assert!(error.to_string().contains("expected a boolean at line 1 column 39"), "{error}");
//! # Ok(())
//! # }
//! ```
//!
//! # Forward compatibility
//!
//! The API adds enum values and payment methods over time. Generated enums and
//! tagged unions keep what this version does not know, as sent, in one
//! catch-all variant (`UnknownValue`, `UnknownVariant`), so one arm handles
//! every value this version does not know: name each variant you care
//! about and the catch-all, or use a wildcard.
//!
//! ```
//! use flagright_api::types::{PaymentDetails, RuleAction};
//!
//! fn describe(details: &PaymentDetails) -> String {
//!     match details {
//!         PaymentDetails::Card(_) => "card".to_owned(),
//!         PaymentDetails::Iban(_) => "IBAN".to_owned(),
//!         PaymentDetails::GenericBankAccount(_) => "bank account".to_owned(),
//!         PaymentDetails::Ach(_) => "ACH".to_owned(),
//!         PaymentDetails::Swift(_) => "SWIFT".to_owned(),
//!         PaymentDetails::Mpesa(_) => "M-Pesa".to_owned(),
//!         PaymentDetails::Upi(_) => "UPI".to_owned(),
//!         PaymentDetails::Wallet(_) => "wallet".to_owned(),
//!         PaymentDetails::Check(_) => "check".to_owned(),
//!         PaymentDetails::Cash(_) => "cash".to_owned(),
//!         PaymentDetails::Npp(_) => "NPP".to_owned(),
//!         // A method added to the API after this SDK was generated.
//!         PaymentDetails::UnknownVariant(raw) => format!("{:?}", raw.get("method")),
//!     }
//! }
//!
//! fn proceed(action: &RuleAction) -> bool {
//!     match action {
//!         RuleAction::Allow | RuleAction::Flag => true,
//!         RuleAction::Block | RuleAction::Suspend => false,
//!         RuleAction::UnknownValue(_) => false,
//!     }
//! }
//! # let _ = (describe, proceed);
//! ```
//!
//! A match that names every variant is checked by the compiler: when a later
//! version of the SDK knows a new value, such a match stops compiling where
//! the new value needs handling. A match without the catch-all (or a
//! wildcard) does not compile today:
//!
//! ```compile_fail
//! use flagright_api::types::RuleAction;
//!
//! // Error: non-exhaustive patterns, `UnknownValue(_)` not covered.
//! fn proceed(action: &RuleAction) -> bool {
//!     match action {
//!         RuleAction::Allow | RuleAction::Flag => true,
//!         RuleAction::Block | RuleAction::Suspend => false,
//!     }
//! }
//! ```
//!
//! # Required fields are checked by the compiler
//!
//! Every type is made with its builder, `X::builder()`, finished by `build()`.
//! Each value is named where it is set, so two strings cannot be swapped
//! silently, and `build` exists only once every required field is set: a
//! missing one does not compile (rather than failing at run time).
//!
//! ```compile_fail
//! use flagright_api::types::TransactionAmountDetails;
//!
//! // Error: no method `build`: the currency is not set.
//! let amount = TransactionAmountDetails::builder().transaction_amount(100.0).build();
//! ```
//!
//! Nor does setting a required field twice (its setter is gone once it is set):
//!
//! ```compile_fail
//! use flagright_api::types::{CurrencyCode, TransactionAmountDetails};
//!
//! // Error: no method `transaction_amount` on a builder that has one.
//! let amount = TransactionAmountDetails::builder()
//!     .transaction_amount(100.0)
//!     .transaction_currency(CurrencyCode::Eur)
//!     .transaction_amount(200.0)
//!     .build();
//! ```
//!
//! ```
//! use flagright_api::types::{ContactDetails, CurrencyCode, TransactionAmountDetails};
//!
//! let amount = TransactionAmountDetails::builder()
//!     .transaction_currency(CurrencyCode::Eur)
//!     .transaction_amount(100.0)
//!     .build();
//! assert_eq!(amount.transaction_currency.as_str(), "EUR");
//!
//! // List setters take any iterator of convertible items.
//! let contact = ContactDetails::builder()
//!     .email_ids(["amara@example.com"])
//!     .contact_numbers(vec!["+44 20 7946 0000"])
//!     .build();
//! assert_eq!(contact.email_ids.as_deref(), Some(&["amara@example.com".to_owned()][..]));
//! ```
//!
//! Values read from the API are plain structs with public fields, to read or
//! change in place. They are `#[non_exhaustive]`, so fields the API adds later
//! are not a breaking change, and a literal `Transaction { .. }` does not
//! compile outside the crate: the builder is the one way to make a value.
//!
//! The `examples/` folder has complete programs that run offline against a
//! local mock: `cargo run -p flagright-api --example verify_transaction`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[rustfmt::skip]
mod generated;
pub mod samples;
pub mod webhooks;

pub use generated::*;
