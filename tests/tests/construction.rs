//! What a user touches first: building values. Timestamps are set from
//! integers or `SystemTime`s and read whatever number the API sends, and list setters take any iterator of convertible items.

use std::time::{Duration, UNIX_EPOCH};

use flagright_api::Timestamp;
use flagright_api::types::{
    Address, ContactDetails, Transaction, TransactionWithRulesResult, User,
};

const AT: i64 = 1_732_190_400_000;

#[test]
fn an_i64_timestamp_is_written_as_an_integer() {
    let tx = Transaction::builder()
        .type_("TRANSFER")
        .transaction_id("txn-1")
        .timestamp(AT)
        .build();
    let json = serde_json::to_string(&tx).unwrap();
    assert!(json.contains(r#""timestamp":1732190400000"#), "{json}");
    assert!(!json.contains("1732190400000.0"), "{json}");
}

#[test]
fn a_system_time_is_a_timestamp() {
    let at = UNIX_EPOCH + Duration::from_millis(1_732_190_400_123);
    let tx = Transaction::builder()
        .type_("TRANSFER")
        .transaction_id("txn-1")
        .timestamp(at)
        .build();
    assert_eq!(tx.timestamp, 1_732_190_400_123);
    let user = User::builder()
        .user_id("usr-1")
        .created_timestamp(at)
        .activated_timestamp(at)
        .build();
    assert_eq!(
        user.activated_timestamp,
        Some(Timestamp::from_millis(1_732_190_400_123))
    );
}

/// A screening result whose `timestamp` and `executedAt` are `raw`, as the
/// API may write them (keys in the order the SDK writes them).
fn screened_at(raw: &str) -> String {
    format!(
        r#"{{"type":"TRANSFER","transactionId":"t","timestamp":{raw},"executedRules":[],"hitRules":[{{"ruleInstanceId":"r","ruleName":"n","ruleDescription":"d","executedAt":{raw},"ruleAction":"FLAG"}}],"status":"ALLOW"}}"#
    )
}

#[test]
fn integer_whole_float_and_exponent_timestamps_all_decode() {
    for raw in ["1641654664000", "1641654664000.0", "1.641654664e12"] {
        let result: TransactionWithRulesResult =
            serde_json::from_str(&screened_at(raw)).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(result.timestamp, 1_641_654_664_000, "{raw}");
        let executed_at = result.hit_rules.first().and_then(|r| r.executed_at.clone());
        assert_eq!(
            executed_at.and_then(|t| t.as_millis()),
            Some(1_641_654_664_000),
            "{raw}"
        );
    }
}

#[test]
fn fractional_and_out_of_range_timestamps_decode_and_are_written_back_as_sent() {
    // The official SDKs read these fields as floats and accept any number:
    // so does this one, and writing gives back the same text.
    for raw in [
        "1.1",
        "1641654664000.5",
        "-3",
        "99999999999999999",
        "0",
        "0.001",
    ] {
        let text = screened_at(raw);
        let result: TransactionWithRulesResult =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(result.timestamp.to_string(), raw);
        assert_eq!(serde_json::to_string(&result).unwrap(), text, "{raw}");
    }
    // Exponents are read as the same number; serde_json writes its own
    // notation for them unless its `arbitrary_precision` feature keeps the
    // text (tests/arbitrary-precision checks that case).
    for (raw, written) in [("1e300", "1e+300"), ("1.5e12", "1500000000000.0")] {
        let result: TransactionWithRulesResult = serde_json::from_str(&screened_at(raw)).unwrap();
        let back: TransactionWithRulesResult =
            serde_json::from_str(&serde_json::to_string(&result).unwrap()).unwrap();
        assert_eq!(back.timestamp, result.timestamp, "{raw}");
        if !cfg!(feature = "arbitrary-precision") {
            assert_eq!(result.timestamp.to_string(), written);
        }
    }
    let result: TransactionWithRulesResult = serde_json::from_str(&screened_at("1.1")).unwrap();
    assert_eq!(result.timestamp.as_millis(), None);
    assert_eq!(result.timestamp.as_millis_floor(), Some(1));
    assert_eq!(result.timestamp.as_f64(), 1.1);
}

#[test]
fn a_timestamp_that_is_not_a_number_is_refused_with_its_field() {
    let text = r#"{"type":"TRANSFER","transactionId":"t","timestamp":"1641654664000"}"#;
    let error = serde_json::from_str::<Transaction>(text)
        .unwrap_err()
        .to_string();
    assert!(error.contains("invalid type: string"), "{error}");
}

#[test]
fn list_setters_take_str_vectors_arrays_and_string_iterators() {
    let from_vec = ContactDetails::builder()
        .email_ids(vec!["a@example.com", "b@example.com"])
        .build();
    let from_array = ContactDetails::builder()
        .email_ids(["a@example.com", "b@example.com"])
        .build();
    let from_iter = ContactDetails::builder()
        .email_ids(["a", "b"].iter().map(|user| format!("{user}@example.com")))
        .build();
    assert_eq!(from_vec, from_array);
    assert_eq!(from_vec, from_iter);
    assert_eq!(
        from_vec.email_ids.as_deref(),
        Some(&["a@example.com".to_owned(), "b@example.com".to_owned()][..])
    );

    let address = Address::builder()
        .address_lines(vec!["221B Baker Street"])
        .city("London")
        .build();
    assert_eq!(address.address_lines, ["221B Baker Street"]);
}
