//! Plain `#[derive(Deserialize)]` mirrors of the benchmarked types: what a
//! hand-written client would decode into, and the bar the generated types
//! are held to (issue 14: typed decode <= 1.3x a plain mirror).
//!
//! Plain means: serde's derive and nothing else. No `flatten` (unknown
//! fields are ignored, where the SDK keeps them), no custom impls, payment
//! details as serde's internally tagged enum (`#[serde(tag = "method")]`,
//! the variant structs without the tag). Every field of the generated type
//! is present under its wire name, so field matching costs the same; string
//! enums are `String` (a plain derive keeps unknown values no other way),
//! and fields the benchmark data leaves out are typed loosely
//! (`IgnoredAny`), as their type is never exercised.

// The fields exist to be decoded into, not read.
#![allow(dead_code)]

use serde::Deserialize;
use serde::de::IgnoredAny;

type Absent = Option<IgnoredAny>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionMonitoringResponse {
    transaction_id: String,
    status: String,
    risk_score_details: Absent,
    executed_rules: Vec<ExecutedRulesResult>,
    hit_rules: Vec<HitRulesDetails>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutedRulesResult {
    rule_id: Option<String>,
    rule_instance_id: String,
    rule_name: String,
    rule_description: String,
    rule_action: String,
    rule_hit: bool,
    version_id: Option<String>,
    executed_at: Option<i64>,
    executed_risk_level: Option<String>,
    rule_hit_meta: Absent,
    vars: Absent,
    labels: Option<Vec<String>>,
    nature: Option<String>,
    is_shadow: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HitRulesDetails {
    rule_id: Option<String>,
    rule_instance_id: String,
    rule_name: String,
    rule_description: String,
    version_id: Option<String>,
    executed_at: Option<i64>,
    executed_risk_level: Option<String>,
    rule_action: String,
    rule_hit_meta: Absent,
    labels: Option<Vec<String>>,
    nature: Option<String>,
    is_shadow: Option<bool>,
}

/// Payment details, told apart by `method`; two of the eleven variants are
/// benchmarked, the others are listed so the tag match has their size.
#[derive(Deserialize)]
#[serde(tag = "method")]
pub enum PaymentDetails {
    #[serde(rename = "CARD")]
    Card(CardDetails),
    #[serde(rename = "GENERIC_BANK_ACCOUNT")]
    GenericBankAccount(IgnoredAny),
    #[serde(rename = "IBAN")]
    Iban(IbanDetails),
    #[serde(rename = "ACH")]
    Ach(IgnoredAny),
    #[serde(rename = "SWIFT")]
    Swift(IgnoredAny),
    #[serde(rename = "MPESA")]
    Mpesa(IgnoredAny),
    #[serde(rename = "UPI")]
    Upi(IgnoredAny),
    #[serde(rename = "WALLET")]
    Wallet(IgnoredAny),
    #[serde(rename = "CHECK")]
    Check(IgnoredAny),
    #[serde(rename = "CASH")]
    Cash(IgnoredAny),
    #[serde(rename = "NPP")]
    Npp(IgnoredAny),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDetails {
    counterparty_type: Option<String>,
    card_fingerprint: Option<String>,
    email_id: Option<String>,
    card_status: Option<String>,
    card_issued_country: Option<String>,
    transaction_reference_field: Option<String>,
    #[serde(rename = "3dsDone")]
    three_ds_done: Option<bool>,
    name_on_card: Absent,
    card_expiry: Absent,
    pos_details: Absent,
    card_last4_digits: Option<String>,
    card_first6_digits: Option<String>,
    card_brand: Option<String>,
    card_funding: Option<String>,
    card_authenticated: Option<bool>,
    card_tokenized: Option<bool>,
    card_present: Option<bool>,
    payment_channel: Option<String>,
    card_type: Option<String>,
    card_balance: Absent,
    merchant_details: Absent,
    network_provider_risk_score: Option<f64>,
    address: Absent,
    country_of_nationality: Option<String>,
    country_of_residence: Option<String>,
    bank_address: Absent,
    tags: Absent,
    joint_entity: Absent,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IbanDetails {
    counterparty_type: Option<String>,
    #[serde(rename = "BIC")]
    bic: Option<String>,
    bank_name: Option<String>,
    bank_address: Absent,
    address: Absent,
    country: Option<String>,
    #[serde(rename = "IBAN")]
    iban: Option<String>,
    account_balance: Absent,
    name: Option<String>,
    email_id: Option<String>,
    bank_branch_code: Option<String>,
    beneficiary_name: Option<String>,
    payment_channel: Option<String>,
    country_of_nationality: Option<String>,
    country_of_residence: Option<String>,
    tags: Absent,
    joint_entity: Absent,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionAmountDetails {
    transaction_amount: f64,
    transaction_currency: String,
    country: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    #[serde(rename = "type")]
    type_: String,
    transaction_id: String,
    timestamp: i64,
    origin_user_id: Option<String>,
    destination_user_id: Option<String>,
    transaction_state: Option<String>,
    origin_amount_details: Option<TransactionAmountDetails>,
    destination_amount_details: Option<TransactionAmountDetails>,
    origin_payment_details: Option<PaymentDetails>,
    destination_payment_details: Option<PaymentDetails>,
    origin_funds_info: Absent,
    corporate_entity: Absent,
    related_transaction_ids: Option<Vec<String>>,
    product_type: Option<String>,
    promotion_code_used: Option<bool>,
    reference: Option<String>,
    origin_device_data: Absent,
    destination_device_data: Absent,
    metadata: Absent,
    tags: Absent,
    jurisdiction: Option<String>,
    external_links: Option<Vec<String>>,
    custom_object: Absent,
}
