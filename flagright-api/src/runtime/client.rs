//! The client: one connection pool, authentication, retries and timeouts.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use super::builder::ClientBuilder;
use super::encoding::decode_json;
use super::error::{ApiError, Error, ErrorKind, truncate};
use super::headers::{parse_header, without_secrets};
use super::options::RequestOptions;
use super::request::{ApiRequest, Response};
use super::retry::{RetryPolicy, is_retryable_status};

/// Longest raw error body kept in [`ApiError::raw_body`].
const RAW_ERROR_BODY_BYTES: usize = 8 * 1024;
/// Longest body logged when body logging is on.
const LOGGED_BODY_BYTES: usize = 4 * 1024;

/// An async client for the Flagright API.
///
/// Cloning is cheap: clones share one connection pool and configuration.
/// Endpoints are reached through group accessors such as
/// `client.transactions()`.
///
/// ```no_run
/// # async fn run() -> Result<(), flagright_api::Error> {
/// let client = flagright_api::Client::new("my-api-key")?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Without trailing slash.
    pub(crate) base_url: String,
    /// Header name and sensitive value; `None` when the API needs no key.
    pub(crate) auth: Option<(HeaderName, HeaderValue)>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) log_bodies: bool,
}

impl Client {
    /// A client for the default environment with default settings.
    ///
    /// Fails only if the key cannot be sent in a header or the HTTP client
    /// cannot be created.
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        ClientBuilder::new().api_key(api_key).build()
    }

    /// A client configured from the environment: `FLAGRIGHT_API_KEY`
    /// (required) and `FLAGRIGHT_BASE_URL` (optional).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// A builder for a client with custom settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests go to, without trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request, retrying as configured, and decodes a 2xx body as
    /// `T` (an empty body is read as `null`).
    #[doc(hidden)]
    pub async fn execute<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        options: RequestOptions,
    ) -> Result<Response<T>, Error> {
        let span = tracing::debug_span!(
            "flagright_request",
            operation_id = request.operation_id,
            method = %request.method,
            path = %request.path,
            status = Empty,
            attempts = Empty,
            latency_ms = Empty,
        );
        self.execute_in_span(request, options, span.clone())
            .instrument(span)
            .await
    }

    async fn execute_in_span<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        options: RequestOptions,
        span: tracing::Span,
    ) -> Result<Response<T>, Error> {
        let inner = &*self.inner;
        let operation = request.operation_id;
        let url = self.url(&request, &options)?;
        let headers = self.headers(&request, &options)?;
        let timeout = options.timeout.unwrap_or(inner.timeout);
        if timeout.is_zero() {
            return Err(Error::invalid_input(
                "the request timeout must be greater than zero",
            ));
        }
        let max_retries = options.max_retries.unwrap_or(inner.retry.max_retries);
        if let (true, Some(body)) = (inner.log_bodies, &request.body) {
            tracing::debug!(body = %loggable(body), "request body");
        }

        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let attempt_started = Instant::now();
            let outcome = self
                .attempt(
                    &request.method,
                    &url,
                    &headers,
                    request.body.clone(),
                    timeout,
                )
                .await;
            let latency_ms = millis(attempt_started.elapsed());
            span.record("attempts", attempt);
            span.record("latency_ms", millis(started.elapsed()));

            let failure = match outcome {
                Ok((status, response_headers, body)) => {
                    span.record("status", status.as_u16());
                    tracing::debug!(attempt, status = status.as_u16(), latency_ms, "response");
                    if inner.log_bodies {
                        tracing::debug!(body = %loggable(&body), "response body");
                    }
                    if status.is_success() {
                        let decoded = decode_json(&body, status, operation)?;
                        return Ok(Response::new(status, response_headers, decoded));
                    }
                    Failure::Status {
                        status,
                        headers: response_headers,
                        body,
                    }
                }
                Err(failure) => {
                    tracing::debug!(attempt, latency_ms, error = %failure, "attempt failed");
                    failure
                }
            };

            let retry_wait = if attempt <= max_retries && failure.is_retryable() {
                inner.retry.delay(attempt, failure.headers())
            } else {
                None
            };
            let Some(wait) = retry_wait else {
                let err = failure.into_error(&request, attempt, started.elapsed());
                tracing::debug!(error = %err, "request failed");
                return Err(err);
            };
            tracing::info!(
                attempt,
                wait_ms = millis(wait),
                reason = %failure,
                "retrying request"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: send and read the whole body, within `timeout`.
    async fn attempt(
        &self,
        method: &reqwest::Method,
        url: &Url,
        headers: &HeaderMap,
        body: Option<Bytes>,
        timeout: Duration,
    ) -> Result<(StatusCode, HeaderMap, Bytes), Failure> {
        let mut request = reqwest::Request::new(method.clone(), url.clone());
        *request.headers_mut() = headers.clone();
        if let Some(body) = body {
            *request.body_mut() = Some(body.into());
        }
        let exchange = async {
            let mut response = self.inner.http.execute(request).await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(Ok(exchanged)) => Ok(exchanged),
            Ok(Err(err)) if err.is_timeout() => Err(Failure::Timeout),
            Ok(Err(err)) => Err(Failure::Transport(err)),
            Err(_elapsed) => Err(Failure::Timeout),
        }
    }

    /// Base URL + path + query.
    fn url(&self, request: &ApiRequest, options: &RequestOptions) -> Result<Url, Error> {
        let operation = request.operation_id;
        if !request.path.starts_with('/') {
            return Err(Error::invalid_input(format!(
                "the path `{}` of `{operation}` does not start with `/`",
                request.path
            )));
        }
        let joined = format!("{}{}", self.inner.base_url, request.path);
        let mut url = Url::parse(&joined).map_err(|err| {
            Error::invalid_input(format!(
                "the URL `{joined}` of `{operation}` is invalid: {err}"
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
    /// authentication (which nothing overrides).
    fn headers(&self, request: &ApiRequest, options: &RequestOptions) -> Result<HeaderMap, Error> {
        let mut headers = self.inner.default_headers.clone();
        if request.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &options.headers {
            let context = format!("request option of `{}`", request.operation_id);
            let (name, value) = parse_header(name, value, &context)?;
            headers.insert(name, value);
        }
        if let Some((name, value)) = &self.inner.auth {
            headers.insert(name.clone(), value.clone());
        }
        Ok(headers)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("api_key", &inner.auth.as_ref().map(|_| "***"))
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("log_bodies", &inner.log_bodies)
            .finish_non_exhaustive()
    }
}

/// Why an attempt did not succeed.
enum Failure {
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    },
    Timeout,
    Transport(reqwest::Error),
}

impl Failure {
    fn is_retryable(&self) -> bool {
        match self {
            Failure::Status { status, .. } => is_retryable_status(*status),
            Failure::Timeout => true,
            // Builder and redirect errors would fail the same way again.
            Failure::Transport(err) => !err.is_builder() && !err.is_redirect(),
        }
    }

    /// Headers that may say how long to wait.
    fn headers(&self) -> &HeaderMap {
        static EMPTY: std::sync::OnceLock<HeaderMap> = std::sync::OnceLock::new();
        match self {
            Failure::Status { headers, .. } => headers,
            _ => EMPTY.get_or_init(HeaderMap::new),
        }
    }

    fn into_error(self, request: &ApiRequest, attempts: u32, elapsed: Duration) -> Error {
        let operation = request.operation_id;
        match self {
            Failure::Status {
                status,
                headers,
                body,
            } => Error::Api(Box::new(api_error(
                request, status, &headers, &body, attempts,
            ))),
            Failure::Timeout => Error::Timeout {
                operation,
                attempts,
                elapsed,
            },
            Failure::Transport(source) => Error::Transport {
                operation,
                attempts,
                source,
            },
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status { status, .. } => write!(f, "status {status}"),
            Failure::Timeout => f.write_str("timed out"),
            Failure::Transport(err) => write!(f, "{err}"),
        }
    }
}

fn api_error(
    request: &ApiRequest,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    attempts: u32,
) -> ApiError {
    let parsed: Option<crate::generated::ErrorBody> = serde_json::from_slice(body).ok();
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            ["message", "error"]
                .iter()
                .find_map(|key| value.get(key)?.as_str().map(str::to_owned))
        });
    let raw_body = String::from_utf8_lossy(body);
    ApiError {
        operation: request.operation_id,
        status,
        kind: ErrorKind::from_status(status),
        documented: request.error_statuses.contains(&status.as_u16()),
        body: parsed,
        message,
        raw_body: truncate(&raw_body, RAW_ERROR_BODY_BYTES).to_owned(),
        headers: without_secrets(headers),
        attempts,
    }
}

fn loggable(body: &[u8]) -> String {
    truncate(&String::from_utf8_lossy(body), LOGGED_BODY_BYTES).to_owned()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
