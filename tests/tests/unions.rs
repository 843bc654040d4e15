//! Unions and enums of the generated SDK: tags, unknown values, and safe variant order.

use flagright_api::types::{
    CardDetails, CardPaymentMethod, CompanyGeneralDetails, CurrencyCode, IbanDetails, LegalEntity,
    PaymentDetails, Person, PersonOrLegalEntity, Transaction, TransactionAmountDetails,
    UserDetails,
};
use serde_json::{Value, json};

#[test]
fn a_card_payment_is_written_with_its_method_tag() {
    let card = CardDetails::builder()
        .card_fingerprint("fp-123")
        .n3ds_done(true)
        .build();
    let details = PaymentDetails::from(card);
    assert_eq!(details.tag(), Some("CARD"));
    let json = serde_json::to_value(&details).unwrap();
    assert_eq!(
        json,
        json!({"method": "CARD", "cardFingerprint": "fp-123", "3dsDone": true})
    );
    let back: PaymentDetails = serde_json::from_value(json).unwrap();
    assert_eq!(back, details);
}

#[test]
fn the_tag_selects_the_variant() {
    let iban: PaymentDetails =
        serde_json::from_value(json!({"method": "IBAN", "IBAN": "DE89370400440532013000"}))
            .unwrap();
    match iban {
        PaymentDetails::Iban(IbanDetails { iban, .. }) => {
            assert_eq!(iban.as_deref(), Some("DE89370400440532013000"))
        }
        other => panic!("read as {other:?}"),
    }
}

#[test]
fn an_unknown_tag_is_kept_and_written_back_unchanged() {
    let raw = json!({"method": "CRYPTO_VOUCHER", "voucherId": "v-1", "nested": {"a": [1, 2]}});
    let details: PaymentDetails = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(details, PaymentDetails::UnknownVariant(_)));
    assert_eq!(details.tag(), Some("CRYPTO_VOUCHER"));
    assert_eq!(serde_json::to_value(&details).unwrap(), raw);
}

#[test]
fn a_malformed_known_variant_is_an_error_where_it_is() {
    // Read straight from the input, the variant reports where it failed like
    // any serde type (the client's `Error::Decode` adds the field path).
    let err =
        serde_json::from_str::<PaymentDetails>(r#"{"method": "CARD", "cardFingerprint": 42}"#)
            .unwrap_err()
            .to_string();
    assert_eq!(
        err,
        "invalid type: integer `42`, expected a string at line 1 column 40"
    );
    // An entry before the tag is buffered; its error names its key.
    let err =
        serde_json::from_str::<PaymentDetails>(r#"{"cardFingerprint": 42, "method": "CARD"}"#)
            .unwrap_err()
            .to_string();
    assert!(err.contains("`cardFingerprint`"), "{err}");
    let err = serde_json::from_value::<PaymentDetails>(json!({"cardFingerprint": "x"}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`method`"), "{err}");
}

#[test]
fn unknown_fields_and_enum_values_survive_a_round_trip() {
    let raw = json!({
        "type": "DEPOSIT",
        "transactionId": "T-1",
        "timestamp": 1732190400000.0,
        "originAmountDetails": {"transactionAmount": 10.5, "transactionCurrency": "ZZZ", "rate": 3},
        "originPaymentDetails": {"method": "CARD", "cardStatus": "MELTED", "futureFlag": true},
        "someFutureField": {"x": [1, "two", null]}
    });
    let tx: Transaction = serde_json::from_value(raw.clone()).unwrap();
    let amount = tx.origin_amount_details.as_ref().unwrap();
    assert_eq!(
        amount.transaction_currency,
        CurrencyCode::UnknownValue("ZZZ".into())
    );
    assert_eq!(amount.transaction_currency.as_str(), "ZZZ");
    assert!(tx.additional_properties.contains_key("someFutureField"));
    let back = serde_json::to_value(&tx).unwrap();
    assert_eq!(normalize(back), normalize(raw));
}

#[test]
fn a_legal_entity_is_never_read_as_a_person() {
    let company = json!({"companyGeneralDetails": {"legalName": "Acme GmbH"}, "tags": []});
    let read: PersonOrLegalEntity = serde_json::from_value(company).unwrap();
    assert!(
        matches!(read, PersonOrLegalEntity::LegalEntity(_)),
        "{read:?}"
    );

    let person = json!({"generalDetails": {"countryOfResidence": "DE"}, "userId": "U-1"});
    let read: PersonOrLegalEntity = serde_json::from_value(person).unwrap();
    assert!(matches!(read, PersonOrLegalEntity::Person(_)), "{read:?}");

    // With fields this SDK does not know, the required properties still decide.
    let future_company = json!({"companyGeneralDetails": {}, "futureField": 1});
    let read: PersonOrLegalEntity = serde_json::from_value(future_company.clone()).unwrap();
    assert!(
        matches!(read, PersonOrLegalEntity::LegalEntity(_)),
        "{read:?}"
    );
    assert_eq!(serde_json::to_value(&read).unwrap(), future_company);
}

#[test]
fn typed_values_of_both_variants_round_trip() {
    for holder in [
        PersonOrLegalEntity::from(
            Person::builder()
                .general_details(UserDetails::builder().build())
                .build(),
        ),
        PersonOrLegalEntity::from(
            LegalEntity::builder()
                .company_general_details(
                    CompanyGeneralDetails::builder().legal_name("Acme").build(),
                )
                .build(),
        ),
    ] {
        let json = serde_json::to_value(&holder).unwrap();
        let back: PersonOrLegalEntity = serde_json::from_value(json).unwrap();
        assert_eq!(back, holder);
    }
}

#[test]
fn a_value_matching_no_variant_is_a_clear_error() {
    let err = serde_json::from_value::<PersonOrLegalEntity>(json!({"neither": true}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("PersonOrLegalEntity"), "{err}");
}

#[test]
fn an_untagged_failure_names_the_closest_variant_only() {
    // Fits `Person` three levels down and `LegalEntity` only two.
    let value = json!({
        "generalDetails": {"name": {"firstName": 5}},
        "companyGeneralDetails": {"legalName": 7},
    });
    let err = serde_json::from_value::<PersonOrLegalEntity>(value)
        .unwrap_err()
        .to_string();
    assert!(err.contains("PersonOrLegalEntity::Person"), "{err}");
    assert!(err.contains("generalDetails.name.firstName"), "{err}");
    assert!(!err.contains("legalName"), "{err}");
}

#[test]
fn required_fields_are_constructor_arguments_and_one_value_tags_fill_themselves() {
    let amount = TransactionAmountDetails::builder()
        .transaction_amount(100.0)
        .transaction_currency(CurrencyCode::Eur)
        .build();
    assert_eq!(
        serde_json::to_value(&amount).unwrap(),
        json!({"transactionAmount": 100.0, "transactionCurrency": "EUR"})
    );
    assert_eq!(
        CardDetails::builder().build().method,
        CardPaymentMethod::Card
    );
    let tx = Transaction::builder()
        .type_("TRANSFER")
        .transaction_id("T-9")
        .timestamp(1_732_190_400_000)
        .origin_payment_details(CardDetails::builder().build())
        .build();
    let json = serde_json::to_value(&tx).unwrap();
    assert_eq!(json["originPaymentDetails"]["method"], "CARD");
}

#[test]
fn enum_values_keep_their_exact_wire_text() {
    for wire in ["USD", "TD-USD", "1INCH"] {
        let code: CurrencyCode = serde_json::from_value(Value::String(wire.into())).unwrap();
        assert!(
            !matches!(code, CurrencyCode::UnknownValue(_)),
            "{wire} is a known currency"
        );
        assert_eq!(
            serde_json::to_value(&code).unwrap(),
            Value::String(wire.into())
        );
    }
}

/// Numbers compared as floats: `number` fields are `f64` and write `3` as `3.0`.
fn normalize(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, normalize(v))).collect())
        }
        other => other,
    }
}

/// Every value a large enum lists comes back as itself, and others stay
/// unknown.
#[test]
fn every_value_of_a_large_enum_is_read_back() {
    let spec = flagright_tests::spec::spec();
    let schemas = &spec["components"]["schemas"];
    for (name, check) in [
        (
            "CountryCode",
            check::<flagright_api::types::CountryCode> as fn(&str) -> bool,
        ),
        ("CurrencyCode", check::<flagright_api::types::CurrencyCode>),
    ] {
        let values = schemas[name]["enum"].as_array().expect("an enum");
        assert!(values.len() > 16, "{name} is small");
        for value in values {
            let value = value.as_str().expect("string values");
            assert!(check(value), "{name}: {value}");
        }
        assert!(!check("Q1?"), "{name}");
        assert!(!check(""), "{name}");
    }
}

/// Whether `value` reads as a known variant (also from JSON) that writes
/// back as `value`.
fn check<T>(value: &str) -> bool
where
    T: for<'a> From<&'a str> + AsRef<str> + std::fmt::Debug + serde::de::DeserializeOwned,
{
    let read = T::from(value);
    let json: T = serde_json::from_value(Value::String(value.to_owned())).expect("a string");
    let known = !format!("{read:?}").starts_with("UnknownValue(");
    known && read.as_ref() == value && json.as_ref() == value
}
