//! The one error type returned by every call, and the API error it wraps.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong when building a client or calling the API.
///
/// The API key never appears in the `Display` or `Debug` output of any
/// variant.
///
/// `B` is the body the API documents for its error responses; a generated
/// crate names it in its own `Error` alias.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<B = serde_json::Value> {
    /// The API answered with a status outside 2xx.
    #[error(transparent)]
    Api(Box<ApiError<B>>),

    /// No complete response arrived in time: the per-attempt timeout ran out
    /// on every attempt made, or the call's overall deadline ran out.
    #[error(
        "request `{operation}` timed out {} after {attempts} {} ({:.1} s in total){}",
        if *deadline { "at its overall deadline" } else { "on its per-attempt timeout" },
        plural(*attempts),
        elapsed.as_secs_f64(),
        note(unconfirmed)
    )]
    #[non_exhaustive]
    Timeout {
        /// Operation that was called (the OpenAPI `operationId`).
        operation: &'static str,
        /// Number of attempts made, including the first.
        attempts: u32,
        /// Time from the start of the first attempt to giving up.
        elapsed: Duration,
        /// Whether the overall deadline, rather than the per-attempt
        /// timeout, ended the call.
        deadline: bool,
        /// Set when the request may have been processed; see
        /// [`Error::may_have_been_processed`].
        unconfirmed: Option<Unconfirmed>,
    },

    /// The request could not be sent or the response could not be read
    /// (DNS, connection refused or reset, TLS, broken body stream).
    ///
    /// `Display` names the host and port and the [`TransportKind`], such as
    /// "request `getTransaction` to 127.0.0.1:8080 failed after 3 attempts:
    /// connection refused"; the HTTP client's own error is the
    /// [`source`](std::error::Error::source), so a report that prints each
    /// source in turn says every cause once. Neither carries the URL, so no
    /// id or credential in it reaches a log.
    #[error(
        "request `{operation}` to {host} failed after {attempts} {}: {kind}{}",
        plural(*attempts),
        note(unconfirmed)
    )]
    #[non_exhaustive]
    Transport {
        /// Operation that was called.
        operation: &'static str,
        /// The host and port the request went to, such as
        /// `api.example.com:443`: never a path, query, user name or
        /// password.
        host: String,
        /// What went wrong.
        kind: TransportKind,
        /// Number of attempts made, including the first.
        attempts: u32,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
        /// Set when the request may have been processed; see
        /// [`Error::may_have_been_processed`].
        unconfirmed: Option<Unconfirmed>,
    },

    /// The server answered with a redirect (3xx). The client follows no
    /// redirects: following one would send the API key, and for 307/308
    /// the request body, to wherever the `Location` points. A redirect
    /// usually means a wrong base URL or a misconfigured proxy.
    #[error(
        "request `{operation}` was answered with the redirect {status} to {}; \
         redirects are not followed (check the base URL)",
        location.as_deref().map_or("no location".to_owned(), |l| format!("`{l}`"))
    )]
    #[non_exhaustive]
    Redirect {
        /// Operation that was called.
        operation: &'static str,
        /// The 3xx status.
        status: StatusCode,
        /// The `Location` header, with any user name and password masked and
        /// cut to at most 512 bytes; `None` when absent or not text.
        location: Option<String>,
    },

    /// The response body was larger than the client accepts (see
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    /// Reading stopped at the limit, or before reading when the announced
    /// `Content-Length` was already too large.
    #[error(
        "the {status} response of `{operation}` is larger than the {limit}-byte limit{}{}",
        announced.map_or(String::new(), |n| format!(" (it announced {n} bytes)")),
        note(unconfirmed)
    )]
    #[non_exhaustive]
    ResponseTooLarge {
        /// Operation that was called.
        operation: &'static str,
        /// Status of the response.
        status: StatusCode,
        /// The limit in bytes.
        limit: u64,
        /// The `Content-Length` the server announced, if any.
        announced: Option<u64>,
        /// Set when the request may have been processed; see
        /// [`Error::may_have_been_processed`].
        unconfirmed: Option<Unconfirmed>,
    },

    /// Pages of a listing did not add up: the server sent a page identical
    /// to the previous one (it ignored the page number), or more pages than
    /// its own total count allows. The stream ends with this error rather
    /// than yielding the same items again or never ending.
    #[error("pagination stopped at page {page}: {reason}")]
    #[non_exhaustive]
    Pagination {
        /// The page that was rejected.
        page: u64,
        /// What was wrong.
        reason: String,
    },

    /// A successful response's body did not match the expected type.
    ///
    /// `Display` names the failing field and what serde reported, but leaves
    /// the body out, since bodies can hold personal data; the start of the
    /// body is kept in the `body_snippet` field for debugging. serde's error
    /// is the `error` field, not a [`source`](std::error::Error::source):
    /// the message already says all it says, and a report that prints each
    /// source in turn would say it twice.
    #[error(
        "could not decode the {status} response of `{operation}`: at `{path}`: {error}{}",
        note(unconfirmed)
    )]
    #[non_exhaustive]
    Decode {
        /// Operation that was called.
        operation: &'static str,
        /// Status of the response.
        status: StatusCode,
        /// JSON path of the field that failed, such as `items[1].amount`
        /// (`.` for the document root).
        path: String,
        /// The first bytes of the body (at most 512), cut on a character
        /// boundary.
        body_snippet: String,
        /// What serde reported (with the API key masked, should the body
        /// have echoed it).
        error: serde_json::Error,
        /// Set when the request was processed although its answer could not
        /// be read; see [`Error::may_have_been_processed`].
        unconfirmed: Option<Unconfirmed>,
    },

    /// Something the caller supplied is not usable: a request body that does
    /// not serialize, an invalid header name or value, a malformed URL, or a
    /// request the HTTP client cannot build (a URL too long to send). It is
    /// raised before anything is sent, so it is never retried and the
    /// request was never processed.
    #[error("invalid input: {message}")]
    #[non_exhaustive]
    InvalidInput {
        /// What was wrong and where.
        message: String,
    },

    /// The client could not be configured (missing API key or environment
    /// variable, bad base URL, HTTP client that failed to build).
    #[error("invalid client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What was wrong.
        message: String,
    },
}

impl<B> Error<B> {
    /// HTTP status of the response, for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Kind of API error, for [`Error::Api`] only.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.api_error().map(|api| api.kind)
    }

    /// The API error, if this is one.
    pub fn api_error(&self) -> Option<&ApiError<B>> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// Number of attempts made, for errors raised while talking to the API.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(api) => Some(api.attempts),
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Whether the API answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.kind() == Some(ErrorKind::NotFound)
    }

    /// Whether the API answered 429 Too Many Requests (after any retries).
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == Some(ErrorKind::TooManyRequests)
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the failed request may nevertheless have been processed by
    /// the API, so that sending it again could duplicate its effect (screen
    /// a transaction twice, for example).
    ///
    /// Only requests that are not idempotent (`POST`, `PATCH`) can be in
    /// this state. It arises when a failure came after the request may have
    /// reached the server: a timeout after connecting, a connection cut
    /// while waiting for the answer, a 500/502/504, or a success whose body
    /// could not be read. Such requests are not retried automatically
    /// unless [`RetryPolicy::retry_non_idempotent`](crate::RetryPolicy::retry_non_idempotent)
    /// allows it. Before sending one again, check whether it took effect
    /// with the endpoint [`Unconfirmed::check_with`] names.
    pub fn may_have_been_processed(&self) -> bool {
        self.unconfirmed().is_some()
    }

    /// Details of a request that may have been processed; see
    /// [`may_have_been_processed`](Self::may_have_been_processed).
    pub fn unconfirmed(&self) -> Option<&Unconfirmed> {
        match self {
            Error::Api(api) => api.unconfirmed.as_ref(),
            Error::Timeout { unconfirmed, .. }
            | Error::Transport { unconfirmed, .. }
            | Error::Decode { unconfirmed, .. }
            | Error::ResponseTooLarge { unconfirmed, .. } => unconfirmed.as_ref(),
            _ => None,
        }
    }

    #[doc(hidden)]
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    #[doc(hidden)]
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

/// A failed request that may have taken effect on the server.
///
/// Found through [`Error::unconfirmed`]. `Display` says what to do, for
/// example "the API may have processed this POST request; it was not sent
/// again. Check with `GET /transactions/txn-000187` whether it took effect
/// before sending it again".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unconfirmed {
    /// The HTTP method of the request.
    pub method: &'static str,
    /// An endpoint that reads back what the request creates, when the API
    /// has one: with the real id when the request body holds it, such as
    /// `GET /transactions/txn-000187` (percent-encoded as the client would
    /// send it), and otherwise as a template, such as
    /// `GET /transactions/{transactionId}`. (A boxed `str`, not a
    /// `String`, so that [`Error`] stays small.)
    pub check_with: Option<Box<str>>,
    /// Whether the request was sent more than once (retries of requests
    /// that are not idempotent were allowed).
    pub resent: bool,
}

impl Unconfirmed {
    /// An endpoint that reads back what the request creates, if the API has
    /// one: the field of the same name, borrowed.
    pub fn check_with(&self) -> Option<&str> {
        self.check_with.as_deref()
    }
}

impl fmt::Display for Unconfirmed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API may have processed this {} request", self.method)?;
        if self.resent {
            f.write_str(", possibly more than once")?;
        } else {
            f.write_str("; it was not sent again")?;
        }
        match &self.check_with {
            Some(endpoint) => write!(
                f,
                ". Check with `{endpoint}` whether it took effect before sending it again"
            ),
            None => f.write_str(". Check whether it took effect before sending it again"),
        }
    }
}

/// What went wrong on the wire, for [`Error::Transport`]; its `Display` is
/// the short phrase the error ends with ("connection refused").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host name could not be resolved: nothing was sent.
    Dns,
    /// Nothing accepted a connection on the host and port: nothing was sent.
    ConnectionRefused,
    /// No connection was made within the connect timeout: nothing was sent.
    ConnectTimeout,
    /// The TLS handshake failed (a certificate that is not trusted, or a
    /// server that does not speak TLS on that port): nothing was sent.
    Tls,
    /// Another failure to connect: nothing was sent.
    Connect,
    /// The connection was reset while the request was sent or answered.
    ConnectionReset,
    /// The connection was closed before the answer was complete.
    ConnectionClosed,
    /// The status arrived, but the response body broke off.
    Body,
    /// Another failure while sending the request or waiting for the answer.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Dns => "DNS lookup failed",
            TransportKind::ConnectionRefused => "connection refused",
            TransportKind::ConnectTimeout => "timed out while connecting",
            TransportKind::Tls => "TLS handshake failed",
            TransportKind::Connect => "could not connect",
            TransportKind::ConnectionReset => "connection reset",
            TransportKind::ConnectionClosed => "connection closed before the answer was complete",
            TransportKind::Body => "the response body broke off",
            TransportKind::Other => "the request could not be sent",
        })
    }
}

/// `" (note)"` for an unconfirmed request, empty otherwise.
fn note(unconfirmed: &Option<Unconfirmed>) -> String {
    unconfirmed
        .as_ref()
        .map_or(String::new(), |u| format!(" ({u})"))
}

/// Broad category of an API error, derived from the status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the request was malformed or failed validation.
    BadRequest,
    /// 401: the API key is missing or wrong.
    Unauthorized,
    /// 403: the API key may not do this.
    Forbidden,
    /// 404: the resource does not exist.
    NotFound,
    /// 409: the request conflicts with the resource's current state.
    Conflict,
    /// 422: the request was well formed but not acceptable.
    UnprocessableEntity,
    /// 429: rate limited.
    TooManyRequests,
    /// Any 5xx status.
    ServerError,
    /// Any other status outside 2xx.
    Other,
}

impl ErrorKind {
    /// Category of `status`.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            422 => ErrorKind::UnprocessableEntity,
            429 => ErrorKind::TooManyRequests,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::Other,
        }
    }
}

/// A response with a status outside 2xx.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<B = serde_json::Value> {
    /// Operation that was called (the OpenAPI `operationId`).
    pub operation: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// Category of the status.
    pub kind: ErrorKind,
    /// Whether the API description documents this status for the operation.
    pub documented: bool,
    /// The body parsed as the API's error type, when it parses.
    pub body: Option<B>,
    /// The `message` field of a JSON body, when there is one.
    pub message: Option<String>,
    /// The validation errors of a JSON body, one entry each (`field:
    /// message` where the body names the field), shown by `Display`.
    ///
    /// Read from the body's `validationErrors` (or `errors`) field in any of
    /// the usual shapes: one string with entries separated by `; ` or line
    /// breaks (the documented shape), a list of strings or of objects with
    /// a field and a message, or an object from field to message. Empty
    /// when there is no such field.
    pub validation_errors: Vec<String>,
    /// The body as text (lossy UTF-8), cut to at most 8 KiB.
    ///
    /// The API key is masked as `***` here, in `message` and in `body`,
    /// should the server have echoed it.
    pub raw_body: String,
    /// Response headers, without cookies and authentication headers.
    pub headers: HeaderMap,
    /// Number of attempts made, including the first.
    pub attempts: u32,
    /// Set when the request may have been processed (a 500, 502 or 504 to
    /// a `POST`); see [`Error::may_have_been_processed`].
    pub unconfirmed: Option<Unconfirmed>,
}

/// The request id in `headers`, if the server sent one.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

/// Request-id headers tried, in order, by [`ApiError::request_id`].
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "x-amzn-requestid", "x-amz-apigw-id"];

impl<B> ApiError<B> {
    /// The request id the server assigned, if it sent one; quote it when
    /// contacting support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the API answered `{}` with {}",
            self.operation, self.status
        )?;
        if !self.documented {
            f.write_str(" (a status not documented for this operation)")?;
        }
        write!(f, " after {} {}", self.attempts, plural(self.attempts))?;
        // Validation errors the message already quotes in full are not
        // repeated.
        let joined = self.validation_errors.join("; ");
        let errors = match &self.message {
            Some(message) if message.contains(&joined) => &[][..],
            _ => &self.validation_errors[..],
        };
        match (&self.message, errors.is_empty()) {
            (Some(message), true) => write!(f, ": {message}")?,
            (Some(message), false) => write!(f, ": {message} ({})", Listed(errors))?,
            (None, false) => write!(f, ": {}", Listed(errors))?,
            (None, true) if !self.raw_body.trim().is_empty() => {
                write!(f, ": {}", truncate(self.raw_body.trim(), 200))?;
            }
            (None, true) => {}
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if let Some(unconfirmed) = &self.unconfirmed {
            write!(f, " ({unconfirmed})")?;
        }
        Ok(())
    }
}

impl<B: fmt::Debug> std::error::Error for ApiError<B> {}

/// Validation errors shown by [`ApiError`]'s `Display`.
const SHOWN_VALIDATION_ERRORS: usize = 3;
/// Longest validation error shown, in bytes.
const VALIDATION_ERROR_BYTES: usize = 120;

/// `"2 validation errors: a: x; b: y"`, with the first few entries, each cut
/// to a readable length, and how many more there are.
struct Listed<'a>(&'a [String]);

impl fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        let noun = if count == 1 { "error" } else { "errors" };
        write!(f, "{count} validation {noun}: ")?;
        for (index, entry) in self.0.iter().take(SHOWN_VALIDATION_ERRORS).enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            let cut = truncate(entry, VALIDATION_ERROR_BYTES);
            f.write_str(cut)?;
            if cut.len() < entry.len() {
                f.write_str("…")?;
            }
        }
        if count > SHOWN_VALIDATION_ERRORS {
            write!(f, "; and {} more", count - SHOWN_VALIDATION_ERRORS)?;
        }
        Ok(())
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "attempt" } else { "attempts" }
}

/// The longest prefix of `text` with at most `max` bytes that ends on a
/// character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("abc", 10), "abc");
        assert_eq!(truncate("abcdef", 3), "abc");
        // 'é' is two bytes; cutting inside it backs off to before it.
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("€€", 4), "€");
    }

    #[test]
    fn kinds_follow_status() {
        let kind = |code| ErrorKind::from_status(StatusCode::from_u16(code).unwrap());
        assert_eq!(kind(400), ErrorKind::BadRequest);
        assert_eq!(kind(401), ErrorKind::Unauthorized);
        assert_eq!(kind(404), ErrorKind::NotFound);
        assert_eq!(kind(409), ErrorKind::Conflict);
        assert_eq!(kind(429), ErrorKind::TooManyRequests);
        assert_eq!(kind(503), ErrorKind::ServerError);
        assert_eq!(kind(418), ErrorKind::Other);
    }

    #[test]
    fn error_stays_small() {
        // Clippy's `result_large_err` starts at 128 bytes.
        assert!(std::mem::size_of::<Error>() < 128);
    }
}
