//! Every webhook in the spec's `x-webhooks`: its example, signed and verified,
//! decodes into its own `WebhookEvent` variant and serializes back losslessly.

use flagright_api::types::WebhookEvent;
use flagright_api::webhooks;
use flagright_tests::spec::spec;
use serde_json::Value;

const SECRET: &str = "whsec_test_5b0e2d9c";

/// The same JSON with every number as an `f64`, so `1` and `1.0` compare equal.
fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), numbers_as_f64(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `(event type, example)` for every entry of `x-webhooks`.
fn webhook_examples(root: &Value) -> Vec<(String, Value)> {
    let hooks = root["x-webhooks"].as_object().expect("x-webhooks");
    hooks
        .iter()
        .map(|(name, item)| {
            let reference = item
                .pointer("/post/requestBody/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{name}: no request body schema"));
            let schema = root
                .pointer(&reference[1..])
                .unwrap_or_else(|| panic!("{name}: {reference} resolves"));
            let example = schema
                .get("example")
                .unwrap_or_else(|| panic!("{name}: {reference} has no example"));
            (name.clone(), example.clone())
        })
        .collect()
}

#[test]
fn every_event_type_has_a_webhook() {
    let root = spec();
    let mut types: Vec<&str> = root["components"]["schemas"]["WebhookEventType"]["enum"]
        .as_array()
        .expect("WebhookEventType values")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut hooks: Vec<&String> = root["x-webhooks"]
        .as_object()
        .expect("x-webhooks")
        .keys()
        .collect();
    types.sort_unstable();
    hooks.sort_unstable();
    assert_eq!(types.len(), 23);
    assert_eq!(hooks, types);
}

#[test]
fn every_webhook_example_decodes_into_its_variant_and_round_trips() {
    let root = spec();
    let examples = webhook_examples(root);
    assert_eq!(examples.len(), 23);
    for (name, example) in examples {
        assert_eq!(example["type"], name.as_str(), "{name}: example type");
        let body = serde_json::to_vec(&example).expect("example serializes");
        let event = webhooks::verify(&body, &webhooks::sign(&body, SECRET), &[SECRET])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !matches!(event, WebhookEvent::UnknownVariant(_)),
            "{name}: decoded as an unknown event"
        );
        assert_eq!(event.tag(), Some(name.as_str()));
        assert_eq!(event.id(), example["id"].as_str(), "{name}: id");
        assert_eq!(
            event.created_timestamp().and_then(|t| t.as_millis()),
            example["createdTimestamp"].as_i64(),
            "{name}: createdTimestamp"
        );
        assert_eq!(
            event.account(),
            example["account"].as_str(),
            "{name}: account"
        );
        let back = serde_json::to_value(&event).expect("event serializes");
        assert_eq!(
            numbers_as_f64(&back),
            numbers_as_f64(&example),
            "{name}: changed on the way back"
        );
    }
}

#[test]
fn the_variant_is_chosen_by_type_even_when_payloads_look_alike() {
    // `AlertOpenedDetails` and `AlertStatusDetails` have the same fields; `type` decides.
    let opened = serde_json::json!({
        "id": "whk-a", "type": "ALERT_OPENED", "triggeredBy": "SYSTEM",
        "createdTimestamp": 1, "data": {"alertId": "A-1"}
    });
    let mut closed = opened.clone();
    closed["type"] = "ALERT_CLOSED".into();
    let opened: WebhookEvent = serde_json::from_value(opened).expect("opened");
    let closed: WebhookEvent = serde_json::from_value(closed).expect("closed");
    assert!(matches!(opened, WebhookEvent::AlertOpened(_)), "{opened:?}");
    assert!(matches!(closed, WebhookEvent::AlertClosed(_)), "{closed:?}");
}
