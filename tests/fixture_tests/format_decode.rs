//! Runs inside the crate generated from `tests/fixtures/format_union.yaml`
//! (copied there by `tests/tests/format_union.rs`): string variants told
//! apart only by `format` decode as the variant whose format the value is
//! written in, and are written back as sent.

use generated_api::types::{Address, Contact, Lookup, When};
use serde_json::{Value, json};

fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> T {
    let value: T = serde_json::from_str(&format!("{text:?}")).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), Value::from(text));
    value
}

#[test]
fn each_value_decodes_as_the_variant_whose_format_it_is_written_in() {
    assert!(matches!(decode("2024-05-01T12:30:00Z"), When::DateTime(_)));
    assert!(matches!(
        decode("123e4567-e89b-12d3-a456-426614174000"),
        When::Uuid(_)
    ));
    assert!(matches!(decode("192.168.0.1"), Address::Ipv4(_)));
    assert!(matches!(decode("fd00::1"), Address::Ipv6(_)));
    assert!(matches!(decode("ada@example.com"), Contact::Email(_)));
    assert!(matches!(decode("mailto:ada@example.com"), Contact::Uri(_)));
    assert!(matches!(decode("https://example.com/ada"), Contact::Uri(_)));
}

#[test]
fn inside_an_object_each_field_is_told_apart_too() {
    let payload = json!({
        "when": "123e4567-e89b-12d3-a456-426614174000",
        "address": "2001:db8::8a2e:370:7334",
        "contact": "ada@example.com"
    });
    let lookup: Lookup = serde_json::from_value(payload.clone()).unwrap();
    assert!(matches!(lookup.when, Some(When::Uuid(_))));
    assert!(matches!(lookup.address, Some(Address::Ipv6(_))));
    assert_eq!(serde_json::to_value(&lookup).unwrap(), payload);
}

#[test]
fn a_string_in_no_format_names_the_union() {
    let err = serde_json::from_str::<Address>(r#""not an address""#).unwrap_err();
    assert!(err.to_string().contains("Address"), "{err}");
}
