//! Shared by the examples: connects to the Flagright sandbox when
//! `FLAGRIGHT_API_KEY` is set, and otherwise to an offline mock of the API.
//!
//! The mock is a small in-memory imitation of Flagright served by `wiremock`
//! on 127.0.0.1 (a free port). It answers the six endpoints the examples call
//! with responses built from the crate's own types, and runs three toy rules
//! so that the results vary the way real ones do. It is not the real rule
//! engine: scores and rule names are made up.

// Each example uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use flagright_api::types::{
    ApiErrorResponse, BatchResponse, BatchResponseFailedRecord, BatchResponseStatus,
    BatchTransactionMonitoringResult, BatchTransactionMonitoringResults, CountryCode,
    ExecutedRulesResult, HitRulesDetails, PaymentDetails, RiskLevel, RuleAction, RuleHitDirection,
    RuleHitMeta, RuleNature, Transaction, TransactionMonitoringResponse,
    TransactionRiskScoringResult, User, UserMonitoringResponse, UserRiskScoreDetails,
};
use flagright_api::{Client, Error, IntoTimestamp};
use serde::Serialize;
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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

    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a port on 127.0.0.1");
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(MockApi::default())
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("offline-demo-key")
        .base_url(server.uri())
        .build()?;
    println!("OFFLINE MODE: FLAGRIGHT_API_KEY is not set, so this example talks to a local");
    println!(
        "mock of the Flagright API at {}. Its rules and scores are made up.",
        server.uri()
    );
    println!("Set FLAGRIGHT_API_KEY to run it against your sandbox account.\n");
    Ok(Target {
        client,
        mock: Some(server),
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

/// The mock API: state shared by every request the mock server receives.
#[derive(Clone, Default)]
struct MockApi {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    transactions: BTreeMap<String, (Transaction, TransactionMonitoringResponse)>,
    users: BTreeMap<String, (User, UserMonitoringResponse)>,
    batches: BTreeMap<String, Vec<BatchTransactionMonitoringResult>>,
}

impl Respond for MockApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if !request.headers.contains_key("x-api-key") {
            return error(401, "Missing x-api-key header", None);
        }
        let path = request.url.path();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut state = self.state.lock().expect("mock state poisoned");
        match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["transactions"]) => match parse::<Transaction>(request) {
                Ok(tx) => {
                    let result = screen_transaction(&tx);
                    state
                        .transactions
                        .insert(tx.transaction_id.clone(), (tx, result.clone()));
                    json(201, &result)
                }
                Err(response) => *response,
            },
            ("GET", ["transactions", id]) => match state.transactions.get(*id) {
                Some((tx, result)) => json(200, &merge(tx, result)),
                None => error(404, &format!("Transaction {id} not found"), None),
            },
            ("POST", ["consumer", "users"]) => match parse::<User>(request) {
                Ok(user) => {
                    let result = screen_user(&user);
                    state
                        .users
                        .insert(user.user_id.clone(), (user, result.clone()));
                    json(201, &result)
                }
                Err(response) => *response,
            },
            ("GET", ["consumer", "users", id]) => match state.users.get(*id) {
                Some((user, result)) => json(200, &merge(user, result)),
                None => error(404, &format!("User {id} not found"), None),
            },
            ("POST", ["batch", "transactions"]) => {
                match parse::<flagright_api::types::TransactionBatchRequest>(request) {
                    Ok(batch) => {
                        let batch_id = batch
                            .batch_id
                            .clone()
                            .unwrap_or_else(|| format!("batch-{}", run_id()));
                        // Like the API, reject records it cannot take (here: a
                        // negative amount) and import the rest.
                        let (valid, invalid): (Vec<_>, Vec<_>) =
                            batch.data.iter().partition(|tx| {
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
                        json(201, &answer.build())
                    }
                    Err(response) => *response,
                }
            }
            ("GET", ["batch", "transactions", id]) => {
                let Some(results) = state.batches.get(*id) else {
                    return error(404, &format!("Batch {id} not found"), None);
                };
                let query: BTreeMap<String, String> =
                    request.url.query_pairs().into_owned().collect();
                let number = |name: &str, default: usize| {
                    query
                        .get(name)
                        .map_or(Some(default), |v| v.parse::<usize>().ok())
                };
                let (Some(page), Some(size)) = (number("page", 1), number("pageSize", 20)) else {
                    return error(400, "page and pageSize must be whole numbers", None);
                };
                if page == 0 || !(1..=100).contains(&size) {
                    return error(
                        400,
                        "Invalid query parameters",
                        Some("page starts at 1; pageSize must be between 1 and 100"),
                    );
                }
                let items: Vec<_> = results
                    .iter()
                    .skip((page - 1) * size)
                    .take(size)
                    .cloned()
                    .collect();
                json(
                    200,
                    &BatchTransactionMonitoringResults::builder()
                        .transactions(items)
                        .total_count(results.len() as f64)
                        .build(),
                )
            }
            _ => error(
                404,
                &format!(
                    "{} {path} is not served by the offline mock",
                    request.method
                ),
                None,
            ),
        }
    }
}

/// Reads a JSON request body as `T`, or answers 400 the way the API does.
fn parse<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, Box<ResponseTemplate>> {
    serde_json::from_slice(&request.body)
        .map_err(|e| Box::new(error(400, "Invalid request body", Some(&e.to_string()))))
}

fn json(status: u16, body: &impl Serialize) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn error(status: u16, message: &str, details: Option<&str>) -> ResponseTemplate {
    let mut body = ApiErrorResponse::builder().message(message);
    if let Some(details) = details {
        body = body.validation_errors(details);
    }
    json(status, &body.build())
}

/// A stored record with its screening result merged in, the shape of the
/// `GET` endpoints (`TransactionWithRulesResult`, `UserWithRulesResult`).
fn merge(record: &impl Serialize, result: &impl Serialize) -> Value {
    let mut merged = serde_json::to_value(record).expect("records serialize");
    if let (Some(target), Value::Object(extra)) = (
        merged.as_object_mut(),
        serde_json::to_value(result).expect("results serialize"),
    ) {
        target.extend(extra);
    }
    merged
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
