//! Shared by the examples: connects to the Flagright sandbox when
//! `FLAGRIGHT_API_KEY` is set, and otherwise to an offline mock of the API.
//!
//! The mock is the SDK's own typed mock server (`flagright_api::mock`, the
//! `mock` feature) on 127.0.0.1, with a small in-memory imitation of
//! Flagright mounted on the six endpoints the examples call: typed handlers
//! that store what they receive and run three toy rules, so that the results
//! vary the way real ones do. It is not the real rule engine: scores and rule
//! names are made up.

// Each example uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use flagright_api::mock::MockServer;
use flagright_api::types::{
    ApiErrorResponse, BatchResponse, BatchResponseFailedRecord, BatchResponseStatus,
    BatchTransactionMonitoringResult, BatchTransactionMonitoringResults, CountryCode,
    ExecutedRulesResult, HitRulesDetails, PaymentDetails, RiskLevel, RuleAction, RuleHitDirection,
    RuleHitMeta, RuleNature, Transaction, TransactionBatchRequest, TransactionMonitoringResponse,
    TransactionRiskScoringResult, User, UserMonitoringResponse, UserRiskScoreDetails,
};
use flagright_api::{Client, Error, IntoTimestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A client, and the mock server it talks to when running offline.
pub struct Target {
    /// The client the example uses.
    pub client: Client,
    /// The mock server; kept alive for as long as the example runs.
    pub mock: Option<MockServer>,
}

impl Target {
    /// Whether the example is talking to the offline mock.
    pub fn is_offline(&self) -> bool {
        self.mock.is_some()
    }
}

/// Connects to the API named by the environment, or starts the offline mock.
pub async fn connect() -> Result<Target, Error> {
    let key_set = std::env::var("FLAGRIGHT_API_KEY").is_ok_and(|key| !key.trim().is_empty());
    if key_set {
        let client = Client::from_env()?;
        println!(
            "Using the Flagright API at {} (FLAGRIGHT_API_KEY is set).\n",
            client.base_url()
        );
        return Ok(Target { client, mock: None });
    }

    let mock = MockServer::start().await;
    imitate_flagright(&mock).await;
    let client = mock.client_builder().api_key("offline-demo-key").build()?;
    println!("OFFLINE MODE: FLAGRIGHT_API_KEY is not set, so this example talks to a local");
    println!(
        "mock of the Flagright API at {}. Its rules and scores are made up.",
        mock.uri()
    );
    println!("Set FLAGRIGHT_API_KEY to run it against your sandbox account.\n");
    Ok(Target {
        client,
        mock: Some(mock),
    })
}

/// Milliseconds since the Unix epoch, the API's timestamp unit.
pub fn now_millis() -> i64 {
    SystemTime::now().into_unix_millis()
}

/// A short identifier unique to this run, so repeated runs against the
/// sandbox do not collide.
pub fn run_id() -> String {
    format!("{:x}", now_millis() % 0x1_0000_0000)
}

/// Describes payment details in a few words, for printing.
pub fn describe_payment(details: &PaymentDetails) -> String {
    match details {
        PaymentDetails::Card(card) => format!(
            "card {} **** {}",
            card.card_brand
                .as_ref()
                .map_or("card", |brand| brand.as_str()),
            card.card_last4_digits.as_deref().unwrap_or("????")
        ),
        PaymentDetails::Iban(iban) => format!("IBAN {}", iban.iban.as_deref().unwrap_or("?")),
        PaymentDetails::Ach(ach) => format!(
            "ACH account {}",
            ach.account_number.as_deref().unwrap_or("?")
        ),
        PaymentDetails::Upi(upi) => format!("UPI {}", upi.upi_id),
        PaymentDetails::Wallet(wallet) => {
            format!("wallet {}", wallet.wallet_id.as_deref().unwrap_or("?"))
        }
        other => other.tag().unwrap_or("unknown method").to_owned(),
    }
}

/// What the imitation has stored: screened transactions and users, and
/// the results of each batch.
#[derive(Default)]
struct State {
    transactions: BTreeMap<String, (Transaction, TransactionMonitoringResponse)>,
    users: BTreeMap<String, (User, UserMonitoringResponse)>,
    batches: BTreeMap<String, Vec<BatchTransactionMonitoringResult>>,
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Mounts the imitation: one typed handler per endpoint the examples call.
async fn imitate_flagright(mock: &MockServer) {
    let state = Shared::default();
    let shared = state.clone();
    mock.transactions()
        .verify()
        .respond_with_fn(move |call| {
            let result = screen_transaction(&call.body);
            let id = call.body.transaction_id.clone();
            lock(&shared)
                .transactions
                .insert(id, (call.body.clone(), result.clone()));
            Ok(result)
        })
        .mount()
        .await;
    let shared = state.clone();
    mock.transactions()
        .get()
        .respond_with_fn(move |call| {
            let id = &call.params.transaction_id;
            match lock(&shared).transactions.get(id) {
                Some((tx, result)) => merge(tx, result),
                None => Err(error(404, &format!("Transaction {id} not found"), None)),
            }
        })
        .mount()
        .await;
    let shared = state.clone();
    mock.consumer_users()
        .create()
        .respond_with_fn(move |call| {
            let result = screen_user(&call.body);
            let id = call.body.user_id.clone();
            lock(&shared)
                .users
                .insert(id, (call.body.clone(), result.clone()));
            Ok(result)
        })
        .mount()
        .await;
    let shared = state.clone();
    mock.consumer_users()
        .get()
        .respond_with_fn(move |call| {
            let id = &call.params.user_id;
            match lock(&shared).users.get(id) {
                Some((user, result)) => merge(user, result),
                None => Err(error(404, &format!("User {id} not found"), None)),
            }
        })
        .mount()
        .await;
    let shared = state.clone();
    mock.batch()
        .verify_transaction()
        .respond_with_fn(move |call| Ok(import_batch(&mut lock(&shared), &call.body)))
        .mount()
        .await;
    mock.batch()
        .get_transactions()
        .respond_with_fn(move |call| {
            let params = &call.params;
            let (page, size) = (params.page.unwrap_or(1), params.page_size.unwrap_or(20));
            if page < 1 || !(1..=100).contains(&size) {
                return Err(error(
                    400,
                    "Invalid query parameters",
                    Some("page starts at 1; pageSize must be between 1 and 100"),
                ));
            }
            let state = lock(&state);
            let Some(results) = state.batches.get(&params.batch_id) else {
                return Err(error(
                    404,
                    &format!("Batch {} not found", params.batch_id),
                    None,
                ));
            };
            let items: Vec<_> = results
                .iter()
                .skip(((page - 1) * size) as usize)
                .take(size as usize)
                .cloned()
                .collect();
            Ok(BatchTransactionMonitoringResults::builder()
                .transactions(items)
                .total_count(results.len() as f64)
                .build())
        })
        .mount()
        .await;
}

/// Screens a batch like the API: records it cannot take (here: a negative
/// amount) are rejected, the rest imported and screened.
fn import_batch(state: &mut State, batch: &TransactionBatchRequest) -> BatchResponse {
    let batch_id = batch
        .batch_id
        .clone()
        .unwrap_or_else(|| format!("batch-{}", run_id()));
    let (valid, invalid): (Vec<_>, Vec<_>) = batch.data.iter().partition(|tx| {
        tx.origin_amount_details
            .as_ref()
            .is_none_or(|amount| amount.transaction_amount >= 0.0)
    });
    let failed: Vec<_> = invalid
        .iter()
        .map(|tx| {
            BatchResponseFailedRecord::builder()
                .id(tx.transaction_id.clone())
                .reason_code("INVALID_AMOUNT")
                .build()
        })
        .collect();
    let results: Vec<_> = valid
        .into_iter()
        .map(|tx| {
            let r = screen_transaction(tx);
            BatchTransactionMonitoringResult::builder()
                .transaction_id(r.transaction_id)
                .status(r.status)
                .hit_rules(r.hit_rules)
                .risk_score_details(r.risk_score_details.unwrap_or_default())
                .build()
        })
        .collect();
    let accepted = results.len();
    state.batches.insert(batch_id.clone(), results);
    let status = if failed.is_empty() {
        BatchResponseStatus::Success
    } else {
        BatchResponseStatus::PartialFailure
    };
    let mut answer = BatchResponse::builder()
        .status(status)
        .batch_id(batch_id)
        .successful(accepted as f64)
        .failed(failed.len() as f64);
    if !failed.is_empty() {
        answer = answer.failed_records(failed);
    }
    answer.build()
}

/// An error answer the way the API words it.
fn error(status: u16, message: &str, details: Option<&str>) -> (u16, ApiErrorResponse) {
    let mut body = ApiErrorResponse::builder().message(message);
    if let Some(details) = details {
        body = body.validation_errors(details);
    }
    (status, body.build())
}

/// A stored record with its screening result merged in, the shape of the
/// `GET` endpoints (`TransactionWithRulesResult`, `UserWithRulesResult`).
fn merge<T: DeserializeOwned>(
    record: &impl Serialize,
    result: &impl Serialize,
) -> Result<T, (u16, ApiErrorResponse)> {
    let failed = |e: serde_json::Error| {
        error(
            500,
            "The offline mock cannot merge a record",
            Some(&e.to_string()),
        )
    };
    let mut merged = serde_json::to_value(record).map_err(failed)?;
    if let (Some(target), serde_json::Value::Object(extra)) = (
        merged.as_object_mut(),
        serde_json::to_value(result).map_err(failed)?,
    ) {
        target.extend(extra);
    }
    serde_json::from_value(merged).map_err(failed)
}

/// One toy rule: its id, name, action and whether it hit.
struct Rule {
    id: &'static str,
    instance: &'static str,
    name: &'static str,
    description: &'static str,
    action: RuleAction,
    nature: RuleNature,
    hit: bool,
}

impl Rule {
    fn executed(&self, at: i64) -> ExecutedRulesResult {
        let mut result = ExecutedRulesResult::builder()
            .rule_instance_id(self.instance)
            .rule_name(self.name)
            .rule_description(self.description)
            .rule_action(self.action.clone())
            .rule_hit(self.hit)
            .rule_id(self.id)
            .nature(self.nature.clone())
            .executed_at(at);
        if self.hit {
            result = result.rule_hit_meta(
                RuleHitMeta::builder()
                    .hit_directions([RuleHitDirection::Origin])
                    .build(),
            );
        }
        result.build()
    }

    fn hit(&self, at: i64) -> HitRulesDetails {
        HitRulesDetails::builder()
            .rule_instance_id(self.instance)
            .rule_name(self.name)
            .rule_description(self.description)
            .rule_action(self.action.clone())
            .rule_id(self.id)
            .nature(self.nature.clone())
            .executed_at(at)
            .rule_hit_meta(
                RuleHitMeta::builder()
                    .hit_directions(vec![RuleHitDirection::Origin])
                    .build(),
            )
            .build()
    }
}

/// The strictest action among the rules that hit, as the API reports it.
fn strictest(rules: &[Rule]) -> RuleAction {
    let rank = |a: &RuleAction| match a {
        RuleAction::Block => 3,
        RuleAction::Suspend => 2,
        RuleAction::Flag => 1,
        _ => 0,
    };
    rules
        .iter()
        .filter(|r| r.hit)
        .map(|r| r.action.clone())
        .max_by_key(rank)
        .unwrap_or(RuleAction::Allow)
}

fn risk_level(score: f64) -> RiskLevel {
    match score {
        s if s >= 80.0 => RiskLevel::VeryHigh,
        s if s >= 60.0 => RiskLevel::High,
        s if s >= 40.0 => RiskLevel::Medium,
        s if s >= 20.0 => RiskLevel::Low,
        _ => RiskLevel::VeryLow,
    }
}

/// Screens a transaction with three toy rules and a toy risk score.
fn screen_transaction(tx: &Transaction) -> TransactionMonitoringResponse {
    let amount = tx
        .origin_amount_details
        .as_ref()
        .map_or(0.0, |a| a.transaction_amount);
    let card_country = match &tx.origin_payment_details {
        Some(PaymentDetails::Card(card)) => card.card_issued_country.clone(),
        _ => None,
    };
    let ip_country = tx
        .origin_device_data
        .as_ref()
        .and_then(|d| d.ip_country.clone());
    let high_risk = [
        CountryCode::Ir,
        CountryCode::Kp,
        CountryCode::Sy,
        CountryCode::Mm,
    ];
    let rules = [
        Rule {
            id: "R-2",
            instance: "ri-3f8a2c",
            name: "High amount for new user",
            description: "Flags payments above 1,000 sent within 30 days of onboarding.",
            action: RuleAction::Flag,
            nature: RuleNature::Aml,
            hit: amount > 1000.0,
        },
        Rule {
            id: "R-7",
            instance: "ri-52c1e9",
            name: "Card used from another country",
            description: "Flags card payments made from an IP address outside the card's issuing country.",
            action: RuleAction::Flag,
            nature: RuleNature::Fraud,
            hit: matches!((&card_country, &ip_country), (Some(c), Some(ip)) if c != ip),
        },
        Rule {
            id: "R-169",
            instance: "ri-91d0b7",
            name: "High-risk jurisdiction",
            description: "Blocks payments involving a sanctioned or high-risk country.",
            action: RuleAction::Block,
            nature: RuleNature::Screening,
            hit: [&card_country, &ip_country]
                .into_iter()
                .flatten()
                .any(|c| high_risk.contains(c)),
        },
    ];
    let at = now_millis();
    let hits = rules.iter().filter(|r| r.hit).count();
    let score = (5.0 + amount.sqrt() / 2.0 + 15.0 * hits as f64).min(100.0);
    let score = (score * 10.0).round() / 10.0;
    TransactionMonitoringResponse::builder()
        .transaction_id(tx.transaction_id.clone())
        .status(strictest(&rules))
        .executed_rules(rules.iter().map(|r| r.executed(at)).collect::<Vec<_>>())
        .hit_rules(
            rules
                .iter()
                .filter(|r| r.hit)
                .map(|r| r.hit(at))
                .collect::<Vec<_>>(),
        )
        .risk_score_details(
            TransactionRiskScoringResult::builder()
                .trs_score(score)
                .trs_risk_level(risk_level(score))
                .build(),
        )
        .message(format!(
            "Transaction screened; {hits} of {} rules hit.",
            rules.len()
        ))
        .build()
}

/// Screens a consumer user with two toy rules and a toy KYC risk score.
fn screen_user(user: &User) -> UserMonitoringResponse {
    let details = user.user_details.as_ref();
    let nationality = details.and_then(|d| d.country_of_nationality.clone());
    let residence = details.and_then(|d| d.country_of_residence.clone());
    let has_document = user.legal_documents.as_ref().is_some_and(|d| !d.is_empty());
    let rules = [
        Rule {
            id: "R-32",
            instance: "ri-0c77d4",
            name: "Resident abroad",
            description: "Flags users whose country of residence differs from their nationality.",
            action: RuleAction::Flag,
            nature: RuleNature::Aml,
            hit: matches!((&nationality, &residence), (Some(n), Some(r)) if n != r),
        },
        Rule {
            id: "R-45",
            instance: "ri-7b20fa",
            name: "Missing identity document",
            description: "Suspends users onboarded without a legal document.",
            action: RuleAction::Suspend,
            nature: RuleNature::Aml,
            hit: !has_document,
        },
    ];
    let at = now_millis();
    let hits = rules.iter().filter(|r| r.hit).count();
    let kyc = 18.5 + 25.0 * hits as f64;
    let cra = (kyc * 0.8 * 10.0).round() / 10.0;
    UserMonitoringResponse::builder()
        .user_id(user.user_id.clone())
        .executed_rules(rules.iter().map(|r| r.executed(at)).collect::<Vec<_>>())
        .hit_rules(
            rules
                .iter()
                .filter(|r| r.hit)
                .map(|r| r.hit(at))
                .collect::<Vec<_>>(),
        )
        .risk_score_details(
            UserRiskScoreDetails::builder()
                .kyc_risk_score(kyc)
                .kyc_risk_level(risk_level(kyc))
                .cra_risk_score(cra)
                .cra_risk_level(risk_level(cra))
                .build(),
        )
        .message(format!(
            "User screened; {hits} of {} rules hit.",
            rules.len()
        ))
        .build()
}
