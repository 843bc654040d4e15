//! Runs inside the crate generated from `tests/fixtures/merged_union.yaml`
//! (copied there by `tests/tests/merged_union.rs`): a union merged into an
//! object with `allOf` reads the shared properties into fields and every
//! other property into the union's variant, and writes the same JSON back.

use generated_api::types::{Alert, AlertKind, Event, EventKind, Notification, NotificationKind};
use serde_json::{Value, json};

/// Decodes `payload` as `T`, encodes it again and checks nothing changed.
fn round_trip<T>(payload: Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let text = payload.to_string();
    let decoded: T = serde_json::from_str(&text).unwrap();
    let written: Value = serde_json::to_value(&decoded).unwrap();
    assert_eq!(written, payload);
    decoded
}

#[test]
fn each_untagged_variant_decodes_beside_the_shared_fields() {
    let created: Event = round_trip(json!({
        "id": "evt_1", "sequence": 7, "created": "2024-05-01", "by": "ada", "region": "eu"
    }));
    assert_eq!(created.id, "evt_1");
    assert_eq!(created.sequence, Some(7));
    let EventKind::Created(inner) = &created.kind else {
        panic!("{created:?}");
    };
    assert_eq!(inner.by.as_deref(), Some("ada"));
    // An unknown property is kept, by the variant.
    assert_eq!(inner.additional_properties["region"], json!("eu"));

    let deleted: Event = round_trip(json!({"id": "evt_2", "deleted": true}));
    assert!(matches!(&deleted.kind, EventKind::Deleted(d) if d.deleted), "{deleted:?}");
    assert_eq!(deleted.sequence, None);
    // A whole float where an integer is expected is read, as in every struct.
    let lenient: Event =
        serde_json::from_value(json!({"id": "e", "sequence": 3.0, "deleted": false})).unwrap();
    assert_eq!(lenient.sequence, Some(3));
}

#[test]
fn each_tagged_variant_decodes_by_its_discriminator() {
    let email: Notification = round_trip(json!({
        "id": "n1", "channel": "email", "address": "a@example.com"
    }));
    let unsent: Notification = serde_json::from_value(json!({
        "id": "n1", "channel": "email", "address": "a@example.com", "sentAt": null
    }))
    .unwrap();
    assert_eq!(unsent, email);
    assert!(matches!(&email.kind, NotificationKind::Email(e) if e.address == "a@example.com"));
    let sms: Notification = round_trip(json!({
        "id": "n2", "channel": "sms", "phone": "+441234", "sentAt": "2024-05-01T00:00:00Z"
    }));
    assert_eq!(sms.sent_at.as_deref(), Some("2024-05-01T00:00:00Z"));
    assert_eq!(sms.kind.tag(), Some("sms"));
    // A channel this version does not know is kept whole.
    let pigeon: Notification = round_trip(json!({"id": "n3", "channel": "pigeon", "loft": 4}));
    assert!(matches!(pigeon.kind, NotificationKind::UnknownVariant(_)));
}

#[test]
fn a_discriminator_beside_all_of_tags_the_union() {
    let alert: Alert = round_trip(json!({
        "id": "a1", "urgent": true, "channel": "sms", "phone": "+44"
    }));
    assert_eq!(alert.urgent, Some(true));
    assert!(matches!(&alert.kind, AlertKind::Sms(s) if s.phone == "+44"), "{alert:?}");
    assert_eq!(alert.kind.tag(), Some("sms"));
}

#[test]
fn a_missing_shared_field_or_variant_is_an_error_that_names_it() {
    let err = serde_json::from_value::<Event>(json!({"deleted": true})).unwrap_err();
    assert!(err.to_string().contains("`id`"), "{err}");
    let err = serde_json::from_value::<Event>(json!({"id": "e", "other": 1})).unwrap_err();
    assert!(err.to_string().contains("EventKind"), "{err}");
    let err = serde_json::from_value::<Event>(json!({"id": 5, "deleted": true})).unwrap_err();
    assert!(err.to_string().contains("`id`"), "{err}");
}

#[test]
fn a_value_built_in_code_is_written_with_the_variant_properties_inline() {
    let sms = generated_api::types::Sms::builder()
        .channel("sms")
        .phone("+44")
        .build();
    let notification = Notification::builder()
        .id("n4")
        .kind(NotificationKind::Sms(sms))
        .build();
    assert_eq!(
        serde_json::to_value(&notification).unwrap(),
        json!({"id": "n4", "channel": "sms", "phone": "+44"})
    );
}
