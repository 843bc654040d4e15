//! The axum extractor (feature `axum`): a verified event, or a 4xx/5xx answer.

use std::fmt;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{SIGNATURE_HEADER, WebhookError, WebhookVerifier};
use crate::types::WebhookEvent;

/// An axum extractor for a Flagright delivery whose signature checked out.
///
/// It reads the raw body, verifies [`SIGNATURE_HEADER`] with the
/// [`WebhookVerifier`] taken from the router state (through [`FromRef`](https://docs.rs/axum/0.8/axum/extract/trait.FromRef.html), so
/// the state can be the verifier itself or hold one), and parses the event.
/// Otherwise it rejects with [`WebhookRejection`]: 401 for a missing or wrong
/// signature, 400 for a signed body that is not an event, 500 when no secret
/// is configured. It consumes the body, so it must be the last extractor.
///
/// ```no_run
/// use axum::{Router, http::StatusCode, routing::post};
/// use flagright_api::types::WebhookEvent;
/// use flagright_api::webhooks::{VerifiedWebhook, WebhookVerifier};
///
/// async fn receive(VerifiedWebhook(event): VerifiedWebhook) -> StatusCode {
///     if let WebhookEvent::CaseClosed(closed) = &event {
///         println!("case {:?} closed", closed.data.case_id);
///     }
///     StatusCode::NO_CONTENT
/// }
///
/// let verifier = WebhookVerifier::new(std::env::var("FLAGRIGHT_WEBHOOK_SECRET").unwrap_or_default());
/// let app: Router = Router::new().route("/flagright", post(receive)).with_state(verifier);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub struct VerifiedWebhook(pub WebhookEvent);

/// Why [`VerifiedWebhook`] refused a request; answers with the matching status
/// and a message that is safe to show and log.
#[derive(Debug)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub enum WebhookRejection {
    /// The signature or the body did not check out.
    Invalid(WebhookError),
    /// The body could not be read (for example it exceeds the body limit).
    Body(BytesRejection),
}

impl WebhookRejection {
    /// The HTTP status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(error) => StatusCode::from_u16(error.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Self::Body(rejection) => rejection.status(),
        }
    }
}

impl fmt::Display for WebhookRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(error) => error.fmt(f),
            Self::Body(rejection) => write!(f, "cannot read the webhook body: {rejection}"),
        }
    }
}

impl std::error::Error for WebhookRejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(error) => Some(error),
            Self::Body(rejection) => Some(rejection),
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        (self.status(), self.to_string()).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    S: Send + Sync,
    WebhookVerifier: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = WebhookVerifier::from_ref(state);
        let header = signature_header(&request).map_err(reject)?;
        let body = Bytes::from_request(request, state)
            .await
            .map_err(WebhookRejection::Body)?;
        verifier
            .verify(&body, &header)
            .map(VerifiedWebhook)
            .map_err(reject)
    }
}

/// Every value of the signature header, joined with commas (a proxy may have
/// split one comma-separated header into several).
fn signature_header(request: &Request) -> Result<String, WebhookError> {
    let mut joined = String::new();
    for (i, value) in request
        .headers()
        .get_all(SIGNATURE_HEADER)
        .iter()
        .enumerate()
    {
        let text = value
            .to_str()
            .map_err(|_| WebhookError::MalformedSignature {
                position: i + 1,
                problem: "the header value is not ASCII text",
            })?;
        if !joined.is_empty() {
            joined.push(',');
        }
        joined.push_str(text);
    }
    Ok(joined)
}

fn reject(error: WebhookError) -> WebhookRejection {
    if matches!(error, WebhookError::NoSecrets) {
        tracing::error!(%error, "webhook delivery rejected");
    } else {
        tracing::warn!(%error, "webhook delivery rejected");
    }
    WebhookRejection::Invalid(error)
}
