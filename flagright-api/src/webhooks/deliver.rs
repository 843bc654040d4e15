//! Sending signed deliveries to a receiver under test (feature `mock`).

use super::{SIGNATURE_HEADER, sign};
use crate::types::WebhookEvent;

/// The receiver's answer to a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The HTTP status it answered.
    pub status: u16,
    /// The body it answered, as text (lossily decoded).
    pub body: String,
}

/// Why a delivery could not be made: the event does not serialize, or the
/// receiver could not be reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the webhook could not be delivered: {message}")]
pub struct DeliveryError {
    message: String,
}

/// Signs `event` with `secret` exactly as Flagright does (the JSON body, and
/// its HMAC-SHA256 in [`SIGNATURE_HEADER`]) and POSTs it to `url`, your
/// receiver under test; returns its answer.
///
/// ```no_run
/// # async fn run(event: flagright_api::types::WebhookEvent) -> Result<(), flagright_api::webhooks::DeliveryError> {
/// let answer = flagright_api::webhooks::deliver("http://127.0.0.1:3000/hooks", &event, "whsec_test").await?;
/// assert_eq!(answer.status, 204);
/// # Ok(())
/// # }
/// ```
pub async fn deliver(
    url: &str,
    event: &WebhookEvent,
    secret: impl AsRef<[u8]>,
) -> Result<Delivery, DeliveryError> {
    let body = serde_json::to_vec(event).map_err(|error| DeliveryError {
        message: format!("the event does not serialize: {error}"),
    })?;
    let signature = sign(&body, secret);
    deliver_raw(url, &body, Some(&signature)).await
}

/// POSTs `body` to `url` with `signature` (if any) in [`SIGNATURE_HEADER`],
/// as is: to check that a receiver rejects a tampered, unsigned or
/// wrongly signed delivery.
pub async fn deliver_raw(
    url: &str,
    body: &[u8],
    signature: Option<&str>,
) -> Result<Delivery, DeliveryError> {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    let failed = |error: reqwest::Error| DeliveryError {
        message: error.without_url().to_string(),
    };
    let response = request.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(failed)?;
    Ok(Delivery {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
