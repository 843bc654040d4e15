//! Payloads as the official SDKs accept them: timestamps are JSON numbers of
//! any form (the official document types them `number`, the official SDKs
//! read floats). Every example of the spec is sent through its generated
//! type with each timestamp rewritten as a fraction, an exponent and an
//! integer: each must decode and be written back as the same number, and
//! with serde_json's `arbitrary_precision` (this crate's
//! `arbitrary-precision` feature, run by `.ci/run`) with the same digits.
//! Integer fields read whole floats; generated enums need one catch-all arm.

use std::collections::BTreeSet;

use flagright_tests::mock::{ExpectedRequest, client, operation};
use flagright_tests::registry;
use flagright_tests::spec::{deref, spec};
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Timestamp forms the API (or a proxy in front of it) may send, as the
/// official SDKs' fixtures use them.
const FORMS: [&str; 6] = [
    "1.1",
    "1641654664000.5",
    "1.641654664e12",
    "1641654664000",
    "-1E3",
    "4102444800000.125",
];

/// Wire names of the spec's timestamp properties (`x-unix-millis`). No
/// other property of the spec has one of these names.
fn timestamp_names() -> BTreeSet<String> {
    fn walk(node: &Value, out: &mut BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (name, schema) in props {
                        if schema.get("x-unix-millis") == Some(&Value::Bool(true)) {
                            out.insert(name.clone());
                        }
                    }
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(spec(), &mut out);
    out
}

/// `example` with every numeric timestamp replaced by `form`; the JSON
/// pointers of the replaced values.
fn with_timestamps(
    example: &Value,
    names: &BTreeSet<String>,
    form: &Value,
    at: &str,
    out: &mut Vec<String>,
) -> Value {
    match example {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let here = format!("{at}/{key}");
                    let value = if names.contains(key) && value.is_number() {
                        out.push(here);
                        form.clone()
                    } else {
                        with_timestamps(value, names, form, &here, out)
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| with_timestamps(v, names, form, &format!("{at}/{i}"), out))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// How serde_json writes the number `form`: with `arbitrary_precision`,
/// the digits as sent (it only spells an exponent as `e+12` for `e12`),
/// else in its own notation.
fn written(form: &str) -> String {
    let value: Value = serde_json::from_str(form).expect("a JSON number");
    let text = value.to_string();
    if cfg!(feature = "arbitrary-precision") {
        let canonical = |s: &str| s.to_ascii_lowercase().replace("e+", "e");
        assert_eq!(
            canonical(&text),
            canonical(form),
            "arbitrary_precision keeps the digits"
        );
    }
    text
}

struct Case {
    label: String,
    operation: Option<String>,
    example: Value,
    round_trip: fn(&str, u16, Value) -> Option<Result<Value, String>>,
    key: String,
    status: u16,
}

/// Every request, response and schema example of the spec.
fn cases() -> Vec<Case> {
    let root = spec();
    let mut cases = Vec::new();
    for (path, item) in root["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if let Some(body) = op.get("requestBody")
                && let Some(example) =
                    deref(root, body).pointer("/content/application~1json/example")
            {
                cases.push(Case {
                    label: format!("{method} {path} request"),
                    operation: None,
                    example: example.clone(),
                    round_trip: |id, _, v| registry::request(id, v),
                    key: id.to_owned(),
                    status: 0,
                });
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                let response = deref(root, response);
                if let Some(example) = response.pointer("/content/application~1json/example") {
                    cases.push(Case {
                        label: format!("{method} {path} {status} response"),
                        operation: status.starts_with('2').then(|| id.to_owned()),
                        example: example.clone(),
                        round_trip: |id, status, v| registry::response(id, status, v),
                        key: id.to_owned(),
                        status: status.parse().expect("numeric status"),
                    });
                }
            }
        }
    }
    for (name, schema) in root["components"]["schemas"].as_object().expect("schemas") {
        if let Some(example) = schema.get("example") {
            cases.push(Case {
                label: format!("schema {name}"),
                operation: None,
                example: example.clone(),
                round_trip: |name, _, v| registry::schema(name, v),
                key: name.clone(),
                status: 0,
            });
        }
    }
    cases
}

#[test]
fn every_example_reads_and_writes_back_timestamps_of_every_form() {
    let names = timestamp_names();
    assert!(names.len() >= 10, "timestamp names: {names:?}");
    let mut failures = Vec::new();
    let mut operations_with_timestamps = BTreeSet::new();
    let mut checked = 0;
    for case in cases() {
        for form in FORMS {
            let form_value: Value = serde_json::from_str(form).expect("a JSON number");
            let mut replaced = Vec::new();
            let example = with_timestamps(&case.example, &names, &form_value, "", &mut replaced);
            if replaced.is_empty() {
                break;
            }
            checked += replaced.len();
            if let Some(id) = &case.operation {
                operations_with_timestamps.insert(id.clone());
            }
            let back = match (case.round_trip)(&case.key, case.status, example) {
                None => {
                    failures.push(format!("{}: no generated type", case.label));
                    continue;
                }
                Some(Err(e)) => {
                    failures.push(format!("{} with timestamps {form}: {e}", case.label));
                    continue;
                }
                Some(Ok(back)) => back,
            };
            for pointer in &replaced {
                let got = back.pointer(pointer).map(Value::to_string);
                if got.as_deref() != Some(written(form).as_str()) {
                    failures.push(format!(
                        "{} at {pointer}: {form} was written back as {got:?}",
                        case.label
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The official SDKs' fixtures reach 17 of the 24 endpoints' answers with
    // such timestamps; the spec's examples reach at least as many.
    assert!(
        operations_with_timestamps.len() >= 17,
        "only {} operations answer with timestamps: {operations_with_timestamps:?}",
        operations_with_timestamps.len()
    );
    assert!(checked >= 500, "only {checked} timestamps checked");
}

/// Through the real client and a real HTTP server: a screening answer with
/// fractional and exponent timestamps decodes, as the official SDKs read it.
#[tokio::test]
async fn the_client_reads_an_answer_with_fractional_timestamps() {
    let names = timestamp_names();
    for id in ["verifyTransaction", "getTransaction", "getConsumerUser"] {
        let op = operation(id);
        let (status, example) = op.success();
        for form in ["1.1", "1.641654664e12", "1641654664000.25"] {
            let form_value: Value = serde_json::from_str(form).expect("a JSON number");
            let mut replaced = Vec::new();
            let body = with_timestamps(&example, &names, &form_value, "", &mut replaced);
            assert!(!replaced.is_empty(), "{id}: no timestamp in the example");
            let server = MockServer::start().await;
            let method = if id == "verifyTransaction" {
                "POST"
            } else {
                "GET"
            };
            let expected = if method == "POST" {
                ExpectedRequest::new(method, op.path_with("")).body(op.request_example())
            } else {
                ExpectedRequest::new(method, op.path_with("id-1"))
            };
            Mock::given(expected.query_any())
                .respond_with(
                    ResponseTemplate::new(status)
                        .set_body_raw(body.to_string(), "application/json"),
                )
                .mount(&server)
                .await;
            let client = client(&server);
            let answer = match id {
                "verifyTransaction" => {
                    let tx = op.request_body::<flagright_api::types::Transaction>();
                    client
                        .transactions()
                        .verify(&tx)
                        .await
                        .map(|r| serde_json::to_value(r).expect("serializes"))
                }
                "getTransaction" => client
                    .transactions()
                    .get("id-1")
                    .await
                    .map(|r| serde_json::to_value(r).expect("serializes")),
                _ => client
                    .consumer_users()
                    .get("id-1")
                    .await
                    .map(|r| serde_json::to_value(r).expect("serializes")),
            };
            let answer = answer.unwrap_or_else(|e| panic!("{id} with {form}: {e}"));
            for pointer in &replaced {
                assert_eq!(
                    answer.pointer(pointer).map(Value::to_string),
                    Some(written(form)),
                    "{id} {pointer}"
                );
            }
        }
    }
}

/// Fields the official document types `number` and the newest SDK `int`
/// (`MCCDetails.code`, `CardExpiry.month`, `Date.*`): whole floats, as a
/// JSON re-encoder writes them, read as the integer; a fraction is refused
/// with the field's path, as the newest official SDK refuses it.
#[test]
fn integer_fields_read_whole_floats() {
    use flagright_api::types::{CardExpiry, Date, MccDetails};
    for raw in ["5411", "5411.0", "5.411e3"] {
        let mcc: MccDetails = serde_json::from_str(&format!(r#"{{"code":{raw}}}"#))
            .unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(mcc.code, 5411);
        // Written back as an integer.
        assert_eq!(serde_json::to_string(&mcc).unwrap(), r#"{"code":5411}"#);
    }
    let expiry: CardExpiry = serde_json::from_str(r#"{"month":12.0,"year":2030}"#).unwrap();
    assert_eq!(expiry.month, Some(12));
    let expiry: CardExpiry = serde_json::from_str(r#"{"month":null}"#).unwrap();
    assert_eq!(expiry.month, None);
    let date: Date = serde_json::from_str(r#"{"day":1.0,"month":2,"year":2.024e3}"#).unwrap();
    assert_eq!((date.day, date.month, date.year), (1, 2, 2024));
    let error = serde_json::from_str::<MccDetails>(r#"{"code":54.5}"#)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("invalid value: 54.5, expected a whole number"),
        "{error}"
    );
}

/// One arm covers every value and variant this version does not know: a
/// `match` naming each known value plus the catch-all compiles without a
/// wildcard (it needed both before).
#[test]
fn one_catch_all_arm_is_enough() {
    use flagright_api::types::{PaymentDetails, RuleAction};
    fn proceed(action: &RuleAction) -> Option<bool> {
        match action {
            RuleAction::Allow | RuleAction::Flag => Some(true),
            RuleAction::Block | RuleAction::Suspend => Some(false),
            RuleAction::UnknownValue(_) => None,
        }
    }
    fn method(details: &PaymentDetails) -> &str {
        match details {
            PaymentDetails::Card(_) => "CARD",
            PaymentDetails::Iban(_) => "IBAN",
            PaymentDetails::GenericBankAccount(_) => "GENERIC_BANK_ACCOUNT",
            PaymentDetails::Ach(_) => "ACH",
            PaymentDetails::Swift(_) => "SWIFT",
            PaymentDetails::Mpesa(_) => "MPESA",
            PaymentDetails::Upi(_) => "UPI",
            PaymentDetails::Wallet(_) => "WALLET",
            PaymentDetails::Check(_) => "CHECK",
            PaymentDetails::Cash(_) => "CASH",
            PaymentDetails::Npp(_) => "NPP",
            PaymentDetails::UnknownVariant(raw) => raw["method"].as_str().unwrap_or("?"),
        }
    }
    let review: RuleAction = serde_json::from_str(r#""REVIEW""#).unwrap();
    assert_eq!(proceed(&review), None);
    assert_eq!(proceed(&RuleAction::Block), Some(false));
    let crypto: PaymentDetails =
        serde_json::from_str(r#"{"method":"CRYPTO_ESCROW","chain":"x"}"#).unwrap();
    assert_eq!(method(&crypto), "CRYPTO_ESCROW");
}
