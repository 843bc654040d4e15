//! The one error type returned by every call, and the API error it wraps.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong when building a client or calling the API.
///
/// The API key never appears in the `Display` or `Debug` output of any
/// variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status outside 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// No complete response arrived within the per-attempt timeout, on every
    /// attempt made.
    #[error(
        "request `{operation}` timed out after {attempts} {} ({:.1} s in total)",
        plural(*attempts),
        elapsed.as_secs_f64()
    )]
    #[non_exhaustive]
    Timeout {
        /// Operation that was called (the OpenAPI `operationId`).
        operation: &'static str,
        /// Number of attempts made, including the first.
        attempts: u32,
        /// Time from the start of the first attempt to giving up.
        elapsed: Duration,
    },

    /// The request could not be sent or the response could not be read
    /// (DNS, connection refused or reset, TLS, broken body stream).
    #[error(
        "request `{operation}` failed to reach the API after {attempts} {}: {source}",
        plural(*attempts)
    )]
    #[non_exhaustive]
    Transport {
        /// Operation that was called.
        operation: &'static str,
        /// Number of attempts made, including the first.
        attempts: u32,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// A successful response's body did not match the expected type.
    ///
    /// `Display` names the failing field but leaves the body out, since
    /// bodies can hold personal data; the start of the body is kept in the
    /// `body_snippet` field for debugging.
    #[error("could not decode the {status} response of `{operation}`: at `{path}`: {source}")]
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
        /// What serde reported.
        #[source]
        source: serde_json::Error,
    },

    /// Something the caller supplied is not usable: a request body that does
    /// not serialize, an invalid header name or value, a malformed URL.
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

impl Error {
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
    pub fn api_error(&self) -> Option<&ApiError> {
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

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
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
pub struct ApiError {
    /// Operation that was called (the OpenAPI `operationId`).
    pub operation: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// Category of the status.
    pub kind: ErrorKind,
    /// Whether the API description documents this status for the operation.
    pub documented: bool,
    /// The body parsed as the API's error type, when it parses.
    pub body: Option<crate::generated::ErrorBody>,
    /// The `message` field of a JSON body, when there is one.
    pub message: Option<String>,
    /// The body as text (lossy UTF-8), cut to at most 8 KiB.
    pub raw_body: String,
    /// Response headers, without cookies and authentication headers.
    pub headers: HeaderMap,
    /// Number of attempts made, including the first.
    pub attempts: u32,
}

/// Request-id headers tried, in order, by [`ApiError::request_id`].
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "x-amzn-requestid", "x-amz-apigw-id"];

impl ApiError {
    /// The request id the server assigned, if it sent one; quote it when
    /// contacting support.
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.headers.get(*name)?.to_str().ok())
    }
}

impl fmt::Display for ApiError {
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
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if !self.raw_body.trim().is_empty() {
            write!(f, ": {}", truncate(self.raw_body.trim(), 200))?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

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
        assert!(std::mem::size_of::<Error>() <= 128);
    }
}
