//! Sending one call: attempts, retries within the deadline, and turning what
//! went wrong into an [`Error`].

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::body::{BodyError, read_limited};
use super::config::Inner;
use super::encoding::{DecodeFailure, decode_json, decode_text, snippet};
use super::error::{ApiError, Error, ErrorKind, TransportKind, Unconfirmed, request_id, truncate};
use super::headers::{parse_header, shown_headers};
use super::input::quote_input;
use super::interceptor::{Attempt, AttemptFailure, AttemptHeaders, Outcome};
use super::options::RequestOptions;
use super::redact::{Redactor, redact_url, shorten};
use super::request::{ApiRequest, Response};
use super::retry::{Delivery, is_idempotent, status_delivery};
use super::transport;
use super::unconfirmed::unconfirmed;
use super::validation::validation_errors;

/// Longest raw error body kept in [`ApiError::raw_body`].
const RAW_ERROR_BODY_BYTES: usize = 8 * 1024;
/// Longest body logged when body logging is on.
const LOGGED_BODY_BYTES: usize = 4 * 1024;
/// Longest `Location` kept in [`Error::Redirect`].
const LOCATION_BYTES: usize = 512;

/// How a 2xx body becomes the response value.
pub(crate) type Decode<T> = fn(&Bytes) -> Result<T, DecodeFailure>;

/// Reads a 2xx body as JSON.
pub(crate) fn json<T: DeserializeOwned>(body: &Bytes) -> Result<T, DecodeFailure> {
    decode_json(body)
}

/// Reads a 2xx body as UTF-8 text.
pub(crate) fn text(body: &Bytes) -> Result<String, DecodeFailure> {
    decode_text(body)
}

/// Hands over a 2xx body as it came.
pub(crate) fn bytes(body: &Bytes) -> Result<Bytes, DecodeFailure> {
    Ok(body.clone())
}

/// A 2xx answer, not decoded yet.
pub(crate) struct Delivered {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    operation: &'static str,
    /// For a non-idempotent call, the request and whether it was sent more
    /// than once: what to check if the body cannot be read, worked out only
    /// then.
    sent: Option<(ApiRequest, bool)>,
}

impl Delivered {
    /// The one place an [`Error::Decode`] is built: the failure with the
    /// operation and status, the key masked in its message, path and body
    /// snippet, and, for a call that may have been processed, what to check.
    #[cold]
    fn decode_error<B>(self, inner: &Inner, failure: DecodeFailure) -> Error<B> {
        let redactor = &inner.redactor;
        let message = failure.error.to_string();
        let error = match redactor.redact_str(&message) {
            Cow::Borrowed(_) => failure.error,
            Cow::Owned(masked) => <serde_json::Error as serde::de::Error>::custom(masked),
        };
        Error::Decode {
            operation: self.operation,
            status: self.status,
            path: redactor.redact_str(&failure.path).into_owned(),
            body_snippet: snippet(&redactor.redact(&self.body)),
            error,
            unconfirmed: self
                .sent
                .map(|(request, resent)| unconfirmed(redactor, &request, resent)),
        }
    }

    /// Decodes the body with `decode`. Kept apart from [`send`], so the
    /// retry loop is compiled once, not once per response type.
    pub(crate) fn decode<T, B>(
        self,
        inner: &Inner,
        decode: Decode<T>,
    ) -> Result<Response<T>, Error<B>> {
        match decode(&self.body) {
            Ok(decoded) => Ok(Response::new(self.status, self.headers, decoded)),
            Err(failure) => Err(self.decode_error(inner, failure)),
        }
    }
}

/// Sends `request`, retrying as the client and `options` allow, until a
/// 2xx answer (to decode with [`Delivered::decode`]) or an error.
pub(crate) async fn send<B: DeserializeOwned>(
    inner: &Inner,
    request: ApiRequest,
    options: RequestOptions,
    span: &tracing::Span,
) -> Result<Delivered, Error<B>> {
    let url = url(inner, &request, &options)?;
    let headers = headers(inner, &request, &options)?;
    let headers: &HeaderMap = match &headers {
        Cow::Borrowed(map) => map,
        Cow::Owned(map) => map,
    };
    let timeout = options.timeout.unwrap_or(inner.timeout);
    if timeout.is_zero() {
        return Err(Error::invalid_input(
            "the request timeout must be greater than zero",
        ));
    }
    let deadline = options.deadline.unwrap_or(inner.deadline);
    if deadline.is_zero() {
        return Err(Error::invalid_input(
            "the request deadline must be greater than zero",
        ));
    }
    let max_retries = options.max_retries.unwrap_or(inner.retry.max_retries);
    let idempotent = is_idempotent(&request.method);
    let retry_unknown = idempotent
        || options
            .retry_non_idempotent
            .unwrap_or(inner.retry.retry_non_idempotent);
    if let (true, Some(body)) = (inner.log_bodies, &request.body) {
        tracing::debug!(body = %loggable(&inner.redactor, body.bytes()), "request body");
    }

    let started = Instant::now();
    // A deadline too far away to represent is no deadline.
    let ends = started.checked_add(deadline);
    let mut attempt: u32 = 0;
    // Whether an attempt so far may have been processed.
    let mut unknown_so_far = false;
    loop {
        attempt += 1;
        let remaining = ends.map(|ends| ends.saturating_duration_since(Instant::now()));
        let (attempt_timeout, by_deadline) = match remaining {
            Some(remaining) if remaining <= timeout => (remaining, true),
            _ => (timeout, false),
        };
        let attempt_started = Instant::now();
        let info = Attempt {
            method: &request.method,
            operation: request.operation_id,
            number: attempt,
        };
        let outcome = attempt_once(
            inner,
            &info,
            &url,
            headers,
            request.body.as_ref().map(|body| body.bytes().clone()),
            attempt_timeout,
            by_deadline,
        )
        .await;
        if !inner.interceptors.is_empty() {
            intercept_after(inner, &info, &outcome, attempt_started.elapsed());
        }
        let latency_ms = millis(attempt_started.elapsed());
        span.record("attempts", attempt);
        span.record("latency_ms", millis(started.elapsed()));

        let failure = match outcome {
            Ok(exchange) => {
                span.record("status", exchange.status.as_u16());
                tracing::debug!(
                    attempt,
                    status = exchange.status.as_u16(),
                    latency_ms,
                    "response"
                );
                if inner.log_bodies {
                    let body = loggable(&inner.redactor, &exchange.body);
                    tracing::debug!(body = %body, "response body");
                }
                if exchange.status.is_success() {
                    return Ok(Delivered {
                        status: exchange.status,
                        headers: exchange.headers,
                        body: exchange.body,
                        operation: request.operation_id,
                        sent: (!idempotent).then_some((request, unknown_so_far)),
                    });
                }
                if exchange.status.is_redirection() {
                    Failure::Redirect {
                        status: exchange.status,
                        location: exchange.headers.get(LOCATION).cloned(),
                    }
                } else {
                    Failure::Status(exchange)
                }
            }
            Err(failure) => {
                tracing::debug!(attempt, latency_ms, error = %failure, "attempt failed");
                failure
            }
        };

        let delivery = failure.delivery();
        let unknown_now = delivery == Delivery::Unknown || failure.processed();
        let retryable = match delivery {
            Delivery::NotProcessed => true,
            Delivery::Unknown => retry_unknown,
            Delivery::Final => false,
        };
        let wait = if attempt <= max_retries && retryable {
            inner.retry.delay(attempt, failure.headers())
        } else {
            None
        };
        // Waiting only makes sense if time for another attempt is left.
        let wait = wait.filter(|wait| {
            ends.is_none_or(|ends| Instant::now().checked_add(*wait).is_some_and(|t| t < ends))
        });
        let Some(wait) = wait else {
            let unconfirmed = (!idempotent && (unknown_so_far || unknown_now))
                .then(|| unconfirmed(&inner.redactor, &request, unknown_so_far));
            let err = failure.into_error(
                inner,
                &request,
                &url,
                attempt,
                started.elapsed(),
                unconfirmed,
            );
            tracing::debug!(error = %err, "request failed");
            return Err(err);
        };
        unknown_so_far |= unknown_now;
        tracing::info!(
            attempt,
            wait_ms = millis(wait),
            reason = %failure,
            "retrying request"
        );
        tokio::time::sleep(wait).await;
    }
}

/// A status, its headers and the whole body.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// One attempt: send and read the whole body, within `timeout`.
async fn attempt_once(
    inner: &Inner,
    info: &Attempt<'_>,
    url: &Url,
    headers: &HeaderMap,
    body: Option<Bytes>,
    timeout: Duration,
    by_deadline: bool,
) -> Result<Exchange, Failure> {
    let mut request = reqwest::Request::new(info.method.clone(), url.clone());
    *request.headers_mut() = headers.clone();
    if !inner.interceptors.is_empty() {
        let mut shown = AttemptHeaders::new(request.headers_mut(), inner.scheme);
        for interceptor in &inner.interceptors {
            interceptor.before(info, &mut shown);
        }
    }
    if let Some(body) = body {
        *request.body_mut() = Some(body.into());
    }
    // reqwest's own timeout runs from connecting until the body has been
    // read, so no extra timer wraps the attempt.
    *request.timeout_mut() = Some(timeout);
    let timed_out = |err: &reqwest::Error| err.is_timeout() && !err.is_connect();
    let exchange = async {
        let mut response = inner.http.execute(request).await.map_err(|err| {
            if timed_out(&err) {
                Failure::Timeout { by_deadline }
            } else {
                Failure::from_send(err)
            }
        })?;
        // A caller-supplied HTTP client may follow redirects itself; never
        // take an answer from somewhere else as the API's.
        if response.url() != url {
            return Err(Failure::Followed(response.url().clone()));
        }
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if status.is_redirection() {
            return Ok(Exchange {
                status,
                headers,
                body: Bytes::new(),
            });
        }
        let body = read_limited(&mut response, inner.max_response_bytes)
            .await
            .map_err(|err| match err {
                BodyError::TooLarge { announced } => Failure::TooLarge { status, announced },
                BodyError::Transport(source) if timed_out(&source) => {
                    Failure::Timeout { by_deadline }
                }
                BodyError::Transport(source) => Failure::BodyCut {
                    status,
                    source: source.without_url(),
                },
            })?;
        Ok(Exchange {
            status,
            headers,
            body,
        })
    };
    exchange.await
}

/// Tells the interceptors how an attempt ended.
fn intercept_after(
    inner: &Inner,
    info: &Attempt<'_>,
    outcome: &Result<Exchange, Failure>,
    latency: Duration,
) {
    let (status, failure, headers) = match outcome {
        Ok(exchange) => (Some(exchange.status), None, Some(&exchange.headers)),
        Err(Failure::Status(exchange)) => (Some(exchange.status), None, Some(&exchange.headers)),
        Err(Failure::Redirect { status, .. }) => (Some(*status), None, None),
        Err(Failure::Timeout { .. }) => (None, Some(AttemptFailure::Timeout), None),
        Err(Failure::Connect(_)) => (None, Some(AttemptFailure::Connect), None),
        Err(Failure::Transport(_)) => (None, Some(AttemptFailure::Transport), None),
        Err(Failure::BodyCut { status, .. }) => {
            (Some(*status), Some(AttemptFailure::Transport), None)
        }
        Err(Failure::TooLarge { status, .. }) => {
            (Some(*status), Some(AttemptFailure::TooLarge), None)
        }
        Err(Failure::Unbuildable(_) | Failure::Followed(_)) => {
            (None, Some(AttemptFailure::Other), None)
        }
    };
    let outcome = Outcome {
        status,
        failure,
        latency,
        request_id: headers.and_then(request_id),
    };
    for interceptor in &inner.interceptors {
        interceptor.after(info, &outcome);
    }
}

/// Why an attempt did not succeed.
enum Failure {
    /// An error status with its body.
    Status(Exchange),
    /// A 3xx.
    Redirect {
        status: StatusCode,
        location: Option<HeaderValue>,
    },
    /// The attempt ran out of time.
    Timeout { by_deadline: bool },
    /// The request could not be built from what the caller gave (a URL
    /// too long to be a valid URI): nothing was sent, and sending it again
    /// would fail the same way.
    Unbuildable(reqwest::Error),
    /// The connection could not be made: nothing was sent.
    Connect(reqwest::Error),
    /// Sending or waiting for the answer failed.
    Transport(reqwest::Error),
    /// The status arrived, the body broke off.
    BodyCut {
        status: StatusCode,
        source: reqwest::Error,
    },
    /// The body is larger than the client accepts.
    TooLarge {
        status: StatusCode,
        announced: Option<u64>,
    },
    /// A caller-supplied HTTP client followed a redirect to this URL.
    Followed(Url),
}

impl Failure {
    /// Classifies a failure to send. The error loses its URL here, once:
    /// the URL holds ids (possibly megabytes of them) and can hold a
    /// password, and the operation name says enough.
    fn from_send(err: reqwest::Error) -> Self {
        let err = err.without_url();
        if err.is_builder() {
            Failure::Unbuildable(err)
        } else if err.is_connect() {
            Failure::Connect(err)
        } else if err.is_timeout() {
            // The caller's own client timed out after connecting.
            Failure::Timeout { by_deadline: false }
        } else {
            Failure::Transport(err)
        }
    }

    /// Whether the request may have been processed, judging by this failure.
    fn delivery(&self) -> Delivery {
        match self {
            Failure::Status(exchange) => status_delivery(exchange.status),
            Failure::Connect(_) => Delivery::NotProcessed,
            Failure::Timeout { .. } | Failure::Transport(_) => Delivery::Unknown,
            Failure::BodyCut { status, .. } if status.is_success() => Delivery::Unknown,
            Failure::BodyCut { status, .. } => match status_delivery(*status) {
                Delivery::Final => Delivery::Final,
                _ => Delivery::Unknown,
            },
            Failure::Unbuildable(_)
            | Failure::Redirect { .. }
            | Failure::TooLarge { .. }
            | Failure::Followed(_) => Delivery::Final,
        }
    }

    /// Whether the API answered with success, although the client refuses
    /// the answer: the request was processed.
    fn processed(&self) -> bool {
        matches!(self, Failure::TooLarge { status, .. } if status.is_success())
    }

    /// Headers that may say how long to wait.
    fn headers(&self) -> &HeaderMap {
        static EMPTY: std::sync::OnceLock<HeaderMap> = std::sync::OnceLock::new();
        match self {
            Failure::Status(exchange) => &exchange.headers,
            _ => EMPTY.get_or_init(HeaderMap::new),
        }
    }

    fn into_error<B: DeserializeOwned>(
        self,
        inner: &Inner,
        request: &ApiRequest,
        url: &Url,
        attempts: u32,
        elapsed: Duration,
        unconfirmed: Option<Unconfirmed>,
    ) -> Error<B> {
        let operation = request.operation_id;
        match self {
            Failure::Unbuildable(source) => unbuildable(operation, url, &source),
            Failure::Status(exchange) => Error::Api(Box::new(api_error(
                inner.scheme,
                &inner.redactor,
                request,
                exchange,
                attempts,
                unconfirmed,
            ))),
            Failure::Redirect { status, location } => Error::Redirect {
                operation,
                status,
                location: location.map(|value| {
                    let text = String::from_utf8_lossy(value.as_bytes());
                    let text = inner.redactor.redact_str(&text);
                    shorten(&redact_url(&text), LOCATION_BYTES).into_owned()
                }),
            },
            Failure::Timeout { by_deadline } => Error::Timeout {
                operation,
                attempts,
                elapsed,
                deadline: by_deadline,
                unconfirmed,
            },
            Failure::Connect(source) | Failure::Transport(source) => Error::Transport {
                operation,
                host: transport::host(url),
                kind: transport::kind(&source, url.scheme() == "https"),
                attempts,
                // Already without its URL (see `from_send`).
                source,
                unconfirmed,
            },
            Failure::BodyCut { source, .. } => Error::Transport {
                operation,
                host: transport::host(url),
                kind: TransportKind::Body,
                attempts,
                source,
                unconfirmed,
            },
            Failure::TooLarge { status, announced } => Error::ResponseTooLarge {
                operation,
                status,
                limit: inner.max_response_bytes,
                announced,
                unconfirmed,
            },
            Failure::Followed(url) => Error::config(format!(
                "the HTTP client passed to `http_client` followed a redirect to `{}` for `{operation}`; \
                 build it with `reqwest::redirect::Policy::none()` so the API key cannot leave \
                 the API's host",
                shorten(&redact_url(url.as_str()), LOCATION_BYTES)
            )),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(exchange) => write!(f, "status {}", exchange.status),
            Failure::Redirect { status, .. } => write!(f, "redirect {status}"),
            Failure::Timeout { .. } => f.write_str("timed out"),
            Failure::Unbuildable(err)
            | Failure::Connect(err)
            | Failure::Transport(err)
            | Failure::BodyCut { source: err, .. } => {
                write!(f, "{err}")
            }
            Failure::TooLarge { status, .. } => write!(f, "{status} response too large"),
            Failure::Followed(_) => f.write_str("followed a redirect"),
        }
    }
}

/// URLs longer than this are named with their length when a request cannot
/// be built: a length that large is usually the reason.
const LONG_URL_BYTES: usize = 8 * 1024;

/// [`Error::InvalidInput`] for a request the HTTP client could not build.
/// The reason is the text of the error's sources (its own text, "builder
/// error", says nothing more); the URL itself is never shown.
fn unbuildable<B>(operation: &'static str, url: &Url, err: &reqwest::Error) -> Error<B> {
    let mut reasons = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        reasons.push(shorten(&cause.to_string(), REASON_BYTES).into_owned());
        source = cause.source();
    }
    let mut message = format!("request `{operation}` could not be built, so nothing was sent");
    if reasons.is_empty() {
        message.push_str(": ");
        message.push_str(&err.to_string());
    }
    for reason in &reasons {
        message.push_str(": ");
        message.push_str(reason);
    }
    let length = url.as_str().len();
    if length > LONG_URL_BYTES {
        message.push_str(&format!(" (its URL is {length} bytes long)"));
    }
    Error::invalid_input(message)
}

/// Longest text of one cause quoted in an error message.
const REASON_BYTES: usize = 200;

fn api_error<B: DeserializeOwned>(
    scheme: super::request::Auth,
    redactor: &Redactor,
    request: &ApiRequest,
    exchange: Exchange,
    attempts: u32,
    unconfirmed: Option<Unconfirmed>,
) -> ApiError<B> {
    let status = exchange.status;
    let body = redactor.redact(&exchange.body);
    let parsed: Option<B> = serde_json::from_slice(&body).ok();
    let value = serde_json::from_slice::<serde_json::Value>(&body).ok();
    let message = value.as_ref().and_then(|value| {
        ["message", "error"]
            .iter()
            .find_map(|key| value.get(key)?.as_str().map(str::to_owned))
    });
    let validation_errors = value.as_ref().map_or_else(Vec::new, validation_errors);
    let raw_body = String::from_utf8_lossy(&body);
    ApiError {
        operation: request.operation_id,
        status,
        kind: ErrorKind::from_status(status),
        documented: request.error_statuses.contains(&status.as_u16()),
        body: parsed,
        message,
        validation_errors,
        raw_body: truncate(&raw_body, RAW_ERROR_BODY_BYTES).to_owned(),
        headers: shown_headers(scheme, &exchange.headers, redactor),
        attempts,
        unconfirmed,
    }
}

/// Base URL + path + query.
fn url<B>(inner: &Inner, request: &ApiRequest, options: &RequestOptions) -> Result<Url, Error<B>> {
    let operation = request.operation_id;
    if !request.path.starts_with('/') {
        return Err(Error::invalid_input(format!(
            "the path `{}` of `{operation}` does not start with `/`",
            quote_input(&request.path)
        )));
    }
    let joined = format!("{}{}", inner.full_base_url, request.path);
    let mut url = Url::parse(&joined).map_err(|err| {
        let shown = format!("{}{}", inner.base_url, request.path);
        Error::invalid_input(format!(
            "the URL `{}` of `{operation}` is invalid: {err}",
            quote_input(&shown)
        ))
    })?;
    if !request.query.is_empty() || !options.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &request.query {
            pairs.append_pair(name, value);
        }
        for (name, value) in &options.query {
            pairs.append_pair(name, value);
        }
    }
    Ok(url)
}

/// Client defaults, then content type, then per-request headers, then
/// authentication (which nothing overrides). Without per-request headers the
/// client's prepared maps are used as they are, with no copy.
fn headers<'a, B>(
    inner: &'a Inner,
    request: &ApiRequest,
    options: &RequestOptions,
) -> Result<Cow<'a, HeaderMap>, Error<B>> {
    // A content type the body chose when it was encoded (a multipart
    // boundary) wins over the one the operation documents.
    if let Some(content_type) = request.body.as_ref().and_then(|body| body.content_type()) {
        let value = HeaderValue::from_str(content_type).map_err(|_| {
            Error::invalid_input(format!(
                "the body of `{}` has an invalid content type `{}`",
                request.operation_id,
                quote_input(content_type)
            ))
        })?;
        let mut headers = inner.headers.clone();
        headers.insert(CONTENT_TYPE, value);
        return with_options(inner, headers, request, options).map(Cow::Owned);
    }
    let base = match (&request.body, request.content_type) {
        (None, _) => &inner.headers,
        (Some(_), None) => &inner.json_headers,
        (Some(_), Some(content_type)) => {
            let mut headers = inner.headers.clone();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            return with_options(inner, headers, request, options).map(Cow::Owned);
        }
    };
    if options.headers.is_empty() {
        return Ok(Cow::Borrowed(base));
    }
    with_options(inner, base.clone(), request, options).map(Cow::Owned)
}

/// `headers` with the per-request headers, then authentication again.
fn with_options<B>(
    inner: &Inner,
    mut headers: HeaderMap,
    request: &ApiRequest,
    options: &RequestOptions,
) -> Result<HeaderMap, Error<B>> {
    for (name, value) in &options.headers {
        let context = format!("request option of `{}`", request.operation_id);
        let (name, value) = parse_header(inner.scheme, name, value, &context)?;
        headers.insert(name, value);
    }
    if let Some((name, value)) = &inner.auth {
        headers.insert(name.clone(), value.clone());
    }
    Ok(headers)
}

fn loggable(redactor: &Redactor, body: &[u8]) -> String {
    let body = redactor.redact(body);
    truncate(&String::from_utf8_lossy(&body), LOGGED_BODY_BYTES).to_owned()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
