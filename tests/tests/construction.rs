//! What a user touches first: building values. Timestamps are integers that
//! read leniently, and list setters take any iterator of convertible items.

use std::time::{Duration, UNIX_EPOCH};

use flagright_api::types::{
    Address, ContactDetails, Transaction, TransactionWithRulesResult, User,
};
use serde_json::json;

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
    assert_eq!(user.activated_timestamp, Some(1_732_190_400_123));
}

#[test]
fn integer_whole_float_and_exponent_timestamps_all_decode() {
    for raw in ["1641654664000", "1641654664000.0", "1.641654664e12"] {
        let text = format!(
            r#"{{"type":"TRANSFER","transactionId":"t","timestamp":{raw},"status":"ALLOW","executedRules":[],"hitRules":[{{"ruleInstanceId":"r","ruleName":"n","ruleDescription":"d","ruleAction":"FLAG","executedAt":{raw}}}]}}"#
        );
        let result: TransactionWithRulesResult =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(result.timestamp, 1_641_654_664_000, "{raw}");
        let executed_at = result.hit_rules.first().and_then(|r| r.executed_at);
        assert_eq!(executed_at, Some(1_641_654_664_000), "{raw}");
        // Written back as an integer, whatever form it was read in.
        let back = serde_json::to_value(&result).unwrap();
        assert_eq!(back["timestamp"], json!(1_641_654_664_000_i64), "{raw}");
    }
}

#[test]
fn a_fractional_timestamp_is_refused_with_its_field() {
    let text = r#"{"type":"TRANSFER","transactionId":"t","timestamp":1641654664000.5}"#;
    let error = serde_json::from_str::<Transaction>(text)
        .unwrap_err()
        .to_string();
    assert!(error.contains("whole number"), "{error}");
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
