//! Receiving Flagright webhooks: check the signature, then read the event.
//!
//! Flagright posts each event to your endpoint as JSON and signs it: the
//! [`SIGNATURE_HEADER`] (`x-flagright-signature`) holds the hex-encoded
//! HMAC-SHA256 of the raw request body, keyed with the webhook's signing
//! secret. While a secret is being rotated the header holds several
//! signatures separated by commas, and your server may know several secrets;
//! a delivery is genuine when any signature matches under any secret.
//!
//! Verify the bytes exactly as they arrived, before parsing them: JSON that
//! was parsed and written again has different bytes and no longer matches.
//! [`verify`] (or a [`WebhookVerifier`] that holds the secrets) does both
//! steps and returns the typed [`WebhookEvent`]; with the `axum` feature,
//! `VerifiedWebhook` does it as an extractor. [`WebhookError::http_status`]
//! tells any other server what to answer.
//!
//! Flagright retries a delivery that did not get a 2xx answer within about
//! ten seconds, for up to three days, with the same event id: answer at once,
//! do the work in the background, and drop ids you have already handled
//! ([`WebhookEvent::id`]).
//!
//! ```
//! use flagright_api::types::WebhookEvent;
//! use flagright_api::webhooks::{self, WebhookError};
//!
//! let secret = "whsec_current_9f2c4e7a1b6d";
//! let body = br#"{"id":"whk-1","type":"CASE_CLOSED","triggeredBy":"MANUAL","createdTimestamp":1732194000000,"data":{"caseId":"C-1042","status":"CLOSED"}}"#;
//! let header = webhooks::sign(body, secret); // what Flagright sends
//!
//! match webhooks::verify(body, &header, &[secret])? {
//!     WebhookEvent::CaseClosed(event) => assert_eq!(event.data.case_id.as_deref(), Some("C-1042")),
//!     other => println!("not handled: {:?}", other.tag()),
//! }
//!
//! // A body changed on the way is rejected, without saying what was expected.
//! let error = webhooks::verify(b"{}", &header, &[secret]).unwrap_err();
//! assert!(matches!(error, WebhookError::SignatureMismatch));
//! # Ok::<(), WebhookError>(())
//! ```

#[cfg(feature = "mock")]
mod deliver;
#[cfg(feature = "axum")]
mod extract;

use std::fmt;
use std::sync::Arc;

use hmac::digest::CtOutput;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::types::WebhookEvent;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub use deliver::{Delivery, DeliveryError, deliver, deliver_raw};
#[cfg(feature = "axum")]
pub use extract::{VerifiedWebhook, WebhookRejection};

/// The request header that carries the signatures: `x-flagright-signature`.
pub const SIGNATURE_HEADER: &str = "x-flagright-signature";

/// At most this many signatures are read from one header.
const MAX_SIGNATURES: usize = 16;

/// Length of a hex-encoded HMAC-SHA256.
const HEX_LEN: usize = 64;

type HmacSha256 = Hmac<Sha256>;

/// Why a webhook delivery was rejected.
///
/// Every message is safe to log: none contains a secret or the signature
/// that was expected, and a mismatch does not say which secret was tried or
/// how close the signature came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// No signing secret is configured (the list is empty, or every secret
    /// in it is empty), so no delivery can be verified.
    #[error("no webhook signing secret is configured")]
    NoSecrets,
    /// The signature header is absent, empty or only whitespace and commas.
    #[error("the {SIGNATURE_HEADER} header is missing or empty")]
    MissingSignature,
    /// A signature in the header is not 64 hex digits.
    #[error("signature {position} in the {SIGNATURE_HEADER} header is malformed: {problem}")]
    MalformedSignature {
        /// Which signature, counting from 1 in the comma-separated list.
        position: usize,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// No signature in the header matches the body under any configured secret.
    #[error("no signature in the {SIGNATURE_HEADER} header matches the body")]
    SignatureMismatch,
    /// The body is correctly signed but is not JSON.
    #[error("the webhook body is not JSON: {message}")]
    NotJson {
        /// The parser's message, with line and column.
        message: String,
    },
    /// The body is correctly signed JSON but not a webhook event; the message
    /// names the variant and the field path (`data.caseTags[0].key`).
    #[error("the webhook body is not a Flagright event: {message}")]
    NotAnEvent {
        /// What is wrong, with the field path.
        message: String,
    },
}

impl WebhookError {
    /// The HTTP status to answer with: 500 when no secret is configured (the
    /// receiver's fault), 401 for a missing, malformed or wrong signature,
    /// 400 for a signed body that cannot be read.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::NoSecrets => 500,
            Self::MissingSignature | Self::MalformedSignature { .. } | Self::SignatureMismatch => {
                401
            }
            Self::NotJson { .. } | Self::NotAnEvent { .. } => 400,
        }
    }
}

/// The signature Flagright puts in [`SIGNATURE_HEADER`] for `raw_body`:
/// lowercase hex HMAC-SHA256 keyed with `secret`.
///
/// For tests: sign a body the way Flagright does, then send it to your own
/// receiver.
pub fn sign(raw_body: &[u8], secret: impl AsRef<[u8]>) -> String {
    let Some(mut mac) = keyed(secret.as_ref()) else {
        return String::new();
    };
    mac.update(raw_body);
    let tag = mac.finalize().into_bytes();
    let mut out = String::with_capacity(HEX_LEN);
    for byte in tag {
        out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Checks the signature header against `raw_body` under each of `secrets`,
/// then reads the body as a [`WebhookEvent`].
///
/// `signature_header` is the value of [`SIGNATURE_HEADER`]: one or more
/// comma-separated signatures, hex in either case, surrounding whitespace
/// ignored. Any signature matching under any non-empty secret is enough.
/// Signatures are compared in constant time.
///
/// A leading UTF-8 byte-order mark is skipped when parsing (the signature
/// still covers it). An event type this version does not know becomes
/// [`WebhookEvent::UnknownVariant`] with the JSON as sent.
pub fn verify<S: AsRef<[u8]>>(
    raw_body: &[u8],
    signature_header: &str,
    secrets: &[S],
) -> Result<WebhookEvent, WebhookError> {
    check(raw_body, signature_header, &keys_of(secrets))?;
    parse_event(raw_body)
}

/// Checks the signature header like [`verify`], without reading the body.
pub fn verify_signature<S: AsRef<[u8]>>(
    raw_body: &[u8],
    signature_header: &str,
    secrets: &[S],
) -> Result<(), WebhookError> {
    check(raw_body, signature_header, &keys_of(secrets))
}

/// Reads a body as a [`WebhookEvent`] without checking any signature: only
/// for bodies whose signature was already verified.
pub fn parse_event(raw_body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let body = raw_body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw_body);
    match serde_json::from_slice(body) {
        Ok(event) => Ok(event),
        Err(error) if error.is_data() => {
            let message = match crate::runtime::encoding::failure_path(body, &error) {
                path if path == "." => error.to_string(),
                path => format!("{path}: {error}"),
            };
            Err(WebhookError::NotAnEvent { message })
        }
        Err(error) => Err(WebhookError::NotJson {
            message: error.to_string(),
        }),
    }
}

/// The signing secrets of one webhook endpoint, ready to verify deliveries.
///
/// Cheap to clone (the keys are shared), so it can live in a server's state.
/// During a rotation, hold the new and the old secret: deliveries signed with
/// either are accepted. `Debug` shows how many secrets there are, never them.
///
/// ```
/// use flagright_api::webhooks::{self, WebhookVerifier};
///
/// let verifier = WebhookVerifier::new("whsec_current_9f2c4e7a1b6d")
///     .with_secret("whsec_previous_3a8d5c0e7f14"); // until the rotation is over
/// let body = br#"{"id":"whk-2","type":"SOMETHING_NEW","triggeredBy":"SYSTEM","createdTimestamp":1}"#;
/// let header = webhooks::sign(body, "whsec_previous_3a8d5c0e7f14");
/// let event = verifier.verify(body, &header).unwrap();
/// assert_eq!(event.tag(), Some("SOMETHING_NEW")); // unknown types are kept
/// assert_eq!(format!("{verifier:?}"), "WebhookVerifier { secrets: 2 }");
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    keys: Arc<[HmacSha256]>,
}

impl WebhookVerifier {
    /// A verifier with one secret. An empty secret is ignored (it would let
    /// anyone sign), so a verifier with only empty secrets rejects every
    /// delivery with [`WebhookError::NoSecrets`].
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self::from_secrets([secret])
    }

    /// A verifier with every secret of `secrets` (empty ones are ignored).
    pub fn from_secrets<S: AsRef<[u8]>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let secrets: Vec<S> = secrets.into_iter().collect();
        Self {
            keys: keys_of(&secrets).into(),
        }
    }

    /// Adds a secret, for example the previous one while a rotation is under way.
    pub fn with_secret(self, secret: impl AsRef<[u8]>) -> Self {
        let mut keys = self.keys.to_vec();
        keys.extend(keys_of(&[secret]));
        Self { keys: keys.into() }
    }

    /// How many (non-empty) secrets the verifier holds.
    pub fn secret_count(&self) -> usize {
        self.keys.len()
    }

    /// Checks the signature header against `raw_body` and reads the event; see [`verify`].
    pub fn verify(
        &self,
        raw_body: &[u8],
        signature_header: &str,
    ) -> Result<WebhookEvent, WebhookError> {
        check(raw_body, signature_header, &self.keys)?;
        parse_event(raw_body)
    }

    /// Checks the signature header only; see [`verify_signature`].
    pub fn verify_signature(
        &self,
        raw_body: &[u8],
        signature_header: &str,
    ) -> Result<(), WebhookError> {
        check(raw_body, signature_header, &self.keys)
    }
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secrets", &self.keys.len())
            .finish()
    }
}

/// The fields every event has, for the variants this version knows; the
/// unknown variant answers from its raw JSON.
macro_rules! common_field {
    ($event:expr, $known:ident => $get:expr, $raw:ident => $unknown:expr) => {
        match $event {
            WebhookEvent::CaseClosed($known) => $get,
            WebhookEvent::UserStateUpdated($known) => $get,
            WebhookEvent::AlertClosed($known) => $get,
            WebhookEvent::TransactionStatusUpdated($known) => $get,
            WebhookEvent::KycStatusUpdated($known) => $get,
            WebhookEvent::CaseOpened($known) => $get,
            WebhookEvent::AlertOpened($known) => $get,
            WebhookEvent::PepStatusUpdated($known) => $get,
            WebhookEvent::UserTagsUpdated($known) => $get,
            WebhookEvent::UserTagsDeleted($known) => $get,
            WebhookEvent::CaseTagsUpdated($known) => $get,
            WebhookEvent::CaseTagsDeleted($known) => $get,
            WebhookEvent::AlertTagsUpdated($known) => $get,
            WebhookEvent::AlertTagsDeleted($known) => $get,
            WebhookEvent::CraRiskLevelUpdated($known) => $get,
            WebhookEvent::ListUpdated($known) => $get,
            WebhookEvent::SanctionsStatusUpdated($known) => $get,
            WebhookEvent::AdverseMediaStatusUpdated($known) => $get,
            WebhookEvent::CaseEscalated($known) => $get,
            WebhookEvent::AlertEscalated($known) => $get,
            WebhookEvent::BatchCompleted($known) => $get,
            WebhookEvent::CaseInterimStatusUpdate($known) => $get,
            WebhookEvent::AlertInterimStatusUpdate($known) => $get,
            WebhookEvent::UnknownVariant($raw) => $unknown,
        }
    };
}

/// Accessors for the fields every webhook event carries.
impl WebhookEvent {
    /// The event id, the same on every retry of a delivery: use it to drop
    /// duplicates. `None` only for an unknown event type without a string `id`.
    pub fn id(&self) -> Option<&str> {
        common_field!(self, e => Some(e.id.as_str()), raw => raw.get("id").and_then(serde_json::Value::as_str))
    }

    /// When the event happened, in milliseconds since the Unix epoch. `None`
    /// only for an unknown event type without a numeric `createdTimestamp`.
    pub fn created_timestamp(&self) -> Option<crate::runtime::Timestamp> {
        common_field!(self, e => Some(e.created_timestamp.clone()), raw => raw.get("createdTimestamp").and_then(|v| <crate::runtime::Timestamp as serde::Deserialize>::deserialize(v).ok()))
    }

    /// Your Flagright account (tenant) the event belongs to, when sent.
    pub fn account(&self) -> Option<&str> {
        common_field!(self, e => e.account.as_deref(), raw => raw.get("account").and_then(serde_json::Value::as_str))
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The HMAC state keyed with `secret`. HMAC takes keys of any length, so this
/// is `None` only in theory; such a key verifies nothing and signs as `""`.
fn keyed(secret: &[u8]) -> Option<HmacSha256> {
    <HmacSha256 as Mac>::new_from_slice(secret).ok()
}

/// The keys of the non-empty secrets (an empty secret would let anyone sign).
fn keys_of<S: AsRef<[u8]>>(secrets: &[S]) -> Vec<HmacSha256> {
    secrets
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| !s.is_empty())
        .filter_map(keyed)
        .collect()
}

/// The signature check shared by [`verify`] and [`WebhookVerifier`].
fn check(raw_body: &[u8], header: &str, keys: &[HmacSha256]) -> Result<(), WebhookError> {
    if keys.is_empty() {
        return Err(WebhookError::NoSecrets);
    }
    let signatures = parse_header(header)?;
    for key in keys {
        let mut mac = key.clone();
        mac.update(raw_body);
        let expected = mac.finalize();
        // `CtOutput` compares in constant time.
        if signatures
            .iter()
            .any(|s| expected == CtOutput::new((*s).into()))
        {
            return Ok(());
        }
    }
    Err(WebhookError::SignatureMismatch)
}

/// The signatures of a header value: comma-separated, each 64 hex digits.
fn parse_header(header: &str) -> Result<Vec<[u8; 32]>, WebhookError> {
    let mut signatures = Vec::new();
    for (i, part) in header.split(',').enumerate() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let malformed = |problem| WebhookError::MalformedSignature {
            position: i + 1,
            problem,
        };
        if signatures.len() == MAX_SIGNATURES {
            return Err(malformed("the header holds more than 16 signatures"));
        }
        signatures.push(decode_hex(part).map_err(malformed)?);
    }
    if signatures.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    Ok(signatures)
}

fn decode_hex(text: &str) -> Result<[u8; 32], &'static str> {
    let bytes = text.as_bytes();
    if bytes.len() != HEX_LEN {
        return Err("expected 64 hex digits (an HMAC-SHA256)");
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let (Some(high), Some(low)) = (hex_value(pair[0]), hex_value(pair[1])) else {
            return Err("it contains a character that is not a hex digit");
        };
        *slot = high << 4 | low;
    }
    Ok(out)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_in_both_cases() {
        let signature = sign(b"body", "secret");
        let decoded = decode_hex(&signature).unwrap();
        assert_eq!(decode_hex(&signature.to_uppercase()).unwrap(), decoded);
        assert_eq!(signature.len(), 64);
        assert!(signature.bytes().all(|c| HEX_DIGITS.contains(&c)));
    }

    #[test]
    fn header_parsing_skips_blanks_and_counts_positions() {
        let s = sign(b"x", "k");
        assert_eq!(parse_header(&format!(" ,{s} , ")).unwrap().len(), 1);
        assert_eq!(
            parse_header(" , ").unwrap_err(),
            WebhookError::MissingSignature
        );
        let error = parse_header(&format!("{s},{s}x")).unwrap_err();
        assert!(matches!(
            error,
            WebhookError::MalformedSignature { position: 2, .. }
        ));
        let many = vec![s.as_str(); 17].join(",");
        assert!(matches!(
            parse_header(&many).unwrap_err(),
            WebhookError::MalformedSignature { position: 17, .. }
        ));
    }
}
