//! Per-request settings that override the client's.

use std::fmt;
use std::time::Duration;

use super::headers::is_sensitive_header;

/// Settings for one call, overriding the client's defaults.
///
/// Every setting is optional; `RequestOptions::default()` changes nothing.
///
/// ```
/// use std::time::Duration;
/// use openapi_client_rt::RequestOptions;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-correlation-id", "order-42");
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: Option<bool>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the per-attempt timeout for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the overall deadline of this call: every attempt and every wait
    /// between attempts must fit in it.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the number of retries after the first attempt for this call.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Allows (or forbids) retrying this call after a failure that may have
    /// come after the API processed it, even though the method is not
    /// idempotent; see [`RetryPolicy::retry_non_idempotent`](crate::RetryPolicy::retry_non_idempotent).
    pub fn retry_non_idempotent(mut self, allowed: bool) -> Self {
        self.retry_non_idempotent = Some(allowed);
        self
    }

    /// Adds a header, replacing a client default of the same name.
    ///
    /// The authentication header cannot be replaced this way. Invalid names
    /// or values make the call fail with [`Error::InvalidInput`](crate::Error::InvalidInput).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter after the ones the operation sets.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if is_sensitive_header(super::request::Auth::None, name) {
                    "***"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("headers", &headers)
            .field("query", &self.query)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secret_headers() {
        let options = RequestOptions::new()
            .header("Authorization", "Bearer hunter2")
            .header("x-trace", "visible");
        let debug = format!("{options:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("visible"), "{debug}");
    }
}
