//! Webhook signatures: checked against values computed outside Rust
//! (`tests/data/webhooks/signatures.txt` says how), and every way a delivery
//! is rejected, with its exact message.

use flagright_api::Timestamp;
use flagright_api::types::WebhookEvent;
use flagright_api::webhooks::{self, WebhookError, WebhookVerifier};

const CURRENT: &str = "whsec_current_9f2c4e7a1b6d";
const PREVIOUS: &str = "whsec_previous_3a8d5c0e7f14";

fn data(file: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/webhooks/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `(body file, secret, signature)` from the file of signatures made with openssl.
fn external_signatures() -> Vec<(String, String, String)> {
    let text = String::from_utf8(data("signatures.txt")).expect("UTF-8");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "bad line {l:?}");
            (parts[0].into(), parts[1].into(), parts[2].into())
        })
        .collect()
}

fn signature(file: &str, secret: &str) -> String {
    external_signatures()
        .into_iter()
        .find(|(f, s, _)| f == file && s == secret)
        .map(|(_, _, sig)| sig)
        .unwrap_or_else(|| panic!("no signature for {file} under {secret}"))
}

#[test]
fn signatures_match_the_ones_computed_with_openssl() {
    let cases = external_signatures();
    assert_eq!(cases.len(), 8);
    for (file, secret, expected) in cases {
        let body = data(&file);
        assert_eq!(
            webhooks::sign(&body, &secret),
            expected,
            "{file} under {secret}"
        );
        webhooks::verify_signature(&body, &expected, &[&secret])
            .unwrap_or_else(|e| panic!("{file} under {secret}: {e}"));
    }
}

#[test]
fn a_signed_delivery_is_read_as_its_event() {
    let body = data("case_closed.json");
    let event = webhooks::verify(&body, &signature("case_closed.json", CURRENT), &[CURRENT])
        .expect("verified");
    let WebhookEvent::CaseClosed(closed) = &event else {
        panic!("expected CASE_CLOSED, got {event:?}");
    };
    assert_eq!(closed.data.case_id.as_deref(), Some("C-1042"));
    assert_eq!(event.id(), Some("whk-case-closed-05e1"));
    assert_eq!(
        event.created_timestamp(),
        Some(Timestamp::from_millis(1_732_194_000_000))
    );
    assert_eq!(event.account(), Some("acc-nordbank-eu"));
    assert_eq!(event.tag(), Some("CASE_CLOSED"));
}

#[test]
fn a_tampered_body_is_rejected() {
    let mut body = data("case_closed.json");
    let header = signature("case_closed.json", CURRENT);
    let at = body
        .windows(6)
        .position(|w| w == b"CLOSED")
        .expect("status");
    body[at..at + 6].copy_from_slice(b"OPENED");
    assert_eq!(
        webhooks::verify(&body, &header, &[CURRENT]),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn the_wrong_secret_is_rejected() {
    let body = data("case_closed.json");
    let header = signature("case_closed.json", CURRENT);
    assert_eq!(
        webhooks::verify(&body, &header, &["whsec_someone_else"]),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_truncated_or_non_hex_signature_is_malformed() {
    let body = data("case_closed.json");
    let header = signature("case_closed.json", CURRENT);
    assert!(matches!(
        webhooks::verify(&body, &header[..63], &[CURRENT]),
        Err(WebhookError::MalformedSignature { position: 1, .. })
    ));
    let not_hex = format!("{}g", &header[..63]);
    assert!(matches!(
        webhooks::verify(&body, &not_hex, &[CURRENT]),
        Err(WebhookError::MalformedSignature { position: 1, .. })
    ));
}

#[test]
fn uppercase_hex_and_surrounding_whitespace_are_accepted() {
    let body = data("case_closed.json");
    let header = format!(
        " \t{} \r\n",
        signature("case_closed.json", CURRENT).to_uppercase()
    );
    webhooks::verify(&body, &header, &[CURRENT]).expect("verified");
}

#[test]
fn any_of_two_signatures_may_match() {
    let body = data("user_state_updated.json");
    let old = signature("user_state_updated.json", PREVIOUS);
    let new = signature("user_state_updated.json", CURRENT);
    for header in [format!("{old},{new}"), format!("{new}, {old}")] {
        let event = webhooks::verify(&body, &header, &[CURRENT]).expect("verified");
        assert_eq!(event.tag(), Some("USER_STATE_UPDATED"));
    }
}

#[test]
fn any_of_two_secrets_may_match() {
    let body = data("user_state_updated.json");
    for secret in [CURRENT, PREVIOUS] {
        let header = signature("user_state_updated.json", secret);
        webhooks::verify(&body, &header, &[CURRENT, PREVIOUS]).expect("free function");
        let verifier = WebhookVerifier::new(PREVIOUS).with_secret(CURRENT);
        verifier.verify(&body, &header).expect("verifier");
    }
}

#[test]
fn no_secret_rejects_everything() {
    let body = data("case_closed.json");
    let header = signature("case_closed.json", CURRENT);
    let none: [&str; 0] = [];
    assert_eq!(
        webhooks::verify(&body, &header, &none),
        Err(WebhookError::NoSecrets)
    );
    // An empty secret would let anyone sign, so it counts as none.
    let empty_signed = webhooks::sign(&body, "");
    assert_eq!(
        webhooks::verify(&body, &empty_signed, &[""]),
        Err(WebhookError::NoSecrets)
    );
    assert_eq!(WebhookVerifier::new("").secret_count(), 0);
}

#[test]
fn the_signature_covers_the_exact_bytes() {
    let plain = signature("case_closed.json", CURRENT);
    for file in ["case_closed_newline.json", "case_closed_bom.json"] {
        let body = data(file);
        // Signed as sent (BOM or trailing newline included): accepted and parsed.
        let event = webhooks::verify(&body, &signature(file, CURRENT), &[CURRENT])
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(event.tag(), Some("CASE_CLOSED"), "{file}");
        // The signature of the body without those bytes does not match.
        assert_eq!(
            webhooks::verify(&body, &plain, &[CURRENT]),
            Err(WebhookError::SignatureMismatch),
            "{file}"
        );
    }
}

#[test]
fn a_signed_body_that_is_not_an_event_names_the_field() {
    let not_json = b"{\"id\": ";
    let error = webhooks::verify(not_json, &webhooks::sign(not_json, CURRENT), &[CURRENT])
        .expect_err("not JSON");
    assert!(matches!(error, WebhookError::NotJson { .. }), "{error}");

    let wrong = br#"{"id":"whk-9","type":"CASE_CLOSED","triggeredBy":"SYSTEM","createdTimestamp":1,"data":{"caseTags":[{"key":"team","value":7}]}}"#;
    let error = webhooks::verify(wrong, &webhooks::sign(wrong, CURRENT), &[CURRENT])
        .expect_err("not an event");
    assert!(matches!(error, WebhookError::NotAnEvent { .. }), "{error}");
    assert!(
        error.to_string().contains("data.caseTags[0].value"),
        "{error}"
    );
    assert_eq!(error.http_status(), 400);
}

#[test]
fn an_unknown_event_type_is_kept_as_sent() {
    let body = br#"{"id":"whk-new-1","type":"RISK_MODEL_RETRAINED","triggeredBy":"SYSTEM","createdTimestamp":1732194000000,"data":{"model":"v7"}}"#;
    let event = webhooks::verify(body, &webhooks::sign(body, CURRENT), &[CURRENT]).expect("kept");
    let WebhookEvent::UnknownVariant(raw) = &event else {
        panic!("expected the unknown variant, got {event:?}");
    };
    assert_eq!(raw["data"]["model"], "v7");
    assert_eq!(event.tag(), Some("RISK_MODEL_RETRAINED"));
    assert_eq!(event.id(), Some("whk-new-1"));
    assert_eq!(
        event.created_timestamp(),
        Some(Timestamp::from_millis(1_732_194_000_000))
    );
    let back = serde_json::to_vec(&event).expect("serializes");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&back).expect("JSON"),
        serde_json::from_slice::<serde_json::Value>(body).expect("JSON")
    );
}

/// Every rejection with its exact message; none shows a secret or the expected signature.
#[test]
fn rejections_have_safe_exact_messages() {
    let body = data("case_closed.json");
    let good = signature("case_closed.json", CURRENT);
    let other = webhooks::sign(&body, "whsec_someone_else");
    let none: [&str; 0] = [];
    let cases: Vec<(Result<WebhookEvent, WebhookError>, &str, u16)> = vec![
        (
            webhooks::verify(&body, &good, &none),
            "no webhook signing secret is configured",
            500,
        ),
        (
            webhooks::verify(&body, "  ", &[CURRENT]),
            "the x-flagright-signature header is missing or empty",
            401,
        ),
        (
            webhooks::verify(&body, &good[..40], &[CURRENT]),
            "signature 1 in the x-flagright-signature header is malformed: \
             expected 64 hex digits (an HMAC-SHA256)",
            401,
        ),
        (
            webhooks::verify(&body, &format!("{other},sha256={good}"), &[CURRENT]),
            "signature 2 in the x-flagright-signature header is malformed: \
             expected 64 hex digits (an HMAC-SHA256)",
            401,
        ),
        (
            webhooks::verify(&body, &format!("{}zz", &good[..62]), &[CURRENT]),
            "signature 1 in the x-flagright-signature header is malformed: \
             it contains a character that is not a hex digit",
            401,
        ),
        (
            webhooks::verify(&body, &other, &[CURRENT, PREVIOUS]),
            "no signature in the x-flagright-signature header matches the body",
            401,
        ),
        (
            webhooks::verify(b"hello", &webhooks::sign(b"hello", CURRENT), &[CURRENT]),
            "the webhook body is not JSON: expected value at line 1 column 1",
            400,
        ),
        (
            webhooks::verify(b"[1]", &webhooks::sign(b"[1]", CURRENT), &[CURRENT]),
            "the webhook body is not a Flagright event: invalid type: sequence, \
             expected a WebhookEvent (an object with a string `type` property) at line 1 column 0",
            400,
        ),
    ];
    for (result, message, status) in cases {
        let error = result.expect_err(message);
        let shown = format!("{error} {error:?}");
        assert_eq!(error.to_string(), message);
        assert_eq!(error.http_status(), status, "{message}");
        for secret in [CURRENT, PREVIOUS] {
            assert!(!shown.contains(secret), "{shown}");
            assert!(!shown.contains(&webhooks::sign(&body, secret)), "{shown}");
        }
    }
    let verifier = WebhookVerifier::from_secrets([CURRENT, PREVIOUS]);
    assert_eq!(format!("{verifier:?}"), "WebhookVerifier { secrets: 2 }");
}
