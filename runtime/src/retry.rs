//! When to retry, and how long to wait in between.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How failed attempts are retried.
///
/// Each failed attempt is classified by whether the request may have reached
/// the API and been processed:
///
/// | failure | the request... | `GET`, `PUT`, `DELETE` | `POST`, `PATCH` |
/// | --- | --- | --- | --- |
/// | connection refused, DNS, TLS, connect timeout | was not sent | retried | retried |
/// | 408, 429, 503 | was refused before processing | retried | retried |
/// | 500, 502, 504 and other 5xx | may have been processed | retried | not retried¹ |
/// | timeout after connecting, connection cut, body cut | may have been processed | retried | not retried¹ |
/// | 3xx (redirects are never followed) | was not processed here | error | error |
/// | other 4xx, response too large, undecodable 2xx | got a definite answer | error | error |
///
/// ¹ Unless [`retry_non_idempotent`](Self::retry_non_idempotent) is set. The
/// error then answers `true` to
/// [`Error::may_have_been_processed`](crate::Error::may_have_been_processed)
/// and names the endpoint to check with: resending a `POST /transactions`
/// blindly would screen the transaction twice.
///
/// Before each retry the client waits for the time the server asked for, if
/// it asked (`retry-after-ms`, then `Retry-After`, then
/// `X-RateLimit-Reset`); otherwise for an exponential backoff with full
/// jitter: a random time between zero and `min(max_delay, base_delay × 2^(n-1))`
/// before retry `n`. When the server asks for more than `max_retry_after`,
/// or the wait would pass the call's deadline, the client does not retry and
/// returns the error at once.
///
/// ```
/// use std::time::Duration;
/// use openapi_client_rt::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(4)
///     .base_delay(Duration::from_millis(200));
/// assert_eq!(policy.max_retries, 4);
/// assert!(!policy.retry_non_idempotent);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt; `0` disables retrying. Default 2.
    pub max_retries: u32,
    /// Backoff before the first retry, doubled for each further one (before
    /// jitter). Default 500 ms.
    pub base_delay: Duration,
    /// Upper bound of the backoff. Default 8 s.
    pub max_delay: Duration,
    /// Longest wait the server may ask for through `Retry-After` and similar
    /// headers; asking for more ends retrying. Default 60 s.
    pub max_retry_after: Duration,
    /// Whether requests that are not idempotent (`POST`, `PATCH`) are also
    /// retried after failures that may have come after the API processed
    /// them. Default `false`: a retry could duplicate the request's effect.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy::default().max_retries(0)
    }

    /// Sets the number of retries after the first attempt.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the backoff before the first retry.
    pub fn base_delay(mut self, base_delay: Duration) -> Self {
        self.base_delay = base_delay;
        self
    }

    /// Sets the upper bound of the backoff.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// Sets the longest wait the server may ask for.
    pub fn max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Sets whether requests that are not idempotent are retried after
    /// failures that may have come after the API processed them.
    pub fn retry_non_idempotent(mut self, allowed: bool) -> Self {
        self.retry_non_idempotent = allowed;
        self
    }

    /// Backoff before retry number `retry` (1 for the first retry), with
    /// full jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// `min(max_delay, base_delay × 2^(retry-1))`, without overflow.
    pub(crate) fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .map_or(self.max_delay, |delay| delay.min(self.max_delay))
    }

    /// How long to wait before retry number `retry`, given the headers of the
    /// failed response (empty when there was none). `None` means the server
    /// asked for longer than `max_retry_after`, so there is no retry.
    pub(crate) fn delay(&self, retry: u32, headers: &HeaderMap) -> Option<Duration> {
        match server_requested_wait(headers, SystemTime::now()) {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry)),
        }
    }
}

/// Whether a request could have been processed, judging by how it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// It never reached the API, or the API refused it before processing
    /// (408, 429, 503): safe to send again.
    NotProcessed,
    /// It may have been processed: safe to resend only if idempotent.
    Unknown,
    /// The API gave a definite answer, or the client refuses the answer;
    /// sending again would fail the same way.
    Final,
}

/// How an error status classifies.
pub(crate) fn status_delivery(status: StatusCode) -> Delivery {
    match status.as_u16() {
        408 | 429 | 503 => Delivery::NotProcessed,
        500..=599 => Delivery::Unknown,
        _ => Delivery::Final,
    }
}

/// Whether a request with this method can be repeated without changing the
/// result beyond the first time (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// The wait the server asked for, reading in order of precision:
///
/// 1. `retry-after-ms`: milliseconds, possibly fractional.
/// 2. `Retry-After`: delta seconds or an HTTP date.
/// 3. `X-RateLimit-Reset`: a number of seconds. Values of at least
///    1 000 000 000 (September 2001 as a Unix time, or 31 years as a delta)
///    are read as the Unix time at which the limit resets; smaller values as
///    seconds from now.
///
/// Times in the past give a zero wait; unparsable values are ignored.
pub(crate) fn server_requested_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(wait) = text("retry-after-ms").and_then(parse_retry_after_ms) {
        return Some(wait);
    }
    if let Some(wait) = text("retry-after").and_then(|value| parse_retry_after(value, now)) {
        return Some(wait);
    }
    text("x-ratelimit-reset").and_then(|value| parse_rate_limit_reset(value, now))
}

/// Parses `retry-after-ms`: non-negative, finite milliseconds.
pub(crate) fn parse_retry_after_ms(value: &str) -> Option<Duration> {
    let millis: f64 = value.parse().ok()?;
    if !millis.is_finite() || millis < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(millis / 1000.0).ok()
}

/// Parses `Retry-After`: delta seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Values at or above this are Unix times rather than deltas.
const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// Parses `X-RateLimit-Reset`; see [`server_requested_wait`].
pub(crate) fn parse_rate_limit_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let seconds: u64 = value.parse().ok()?;
    if seconds < EPOCH_THRESHOLD {
        return Some(Duration::from_secs(seconds));
    }
    let reset = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))?;
    Some(reset.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn at(unix: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn retry_after_ms_accepts_fractions_and_rejects_garbage() {
        assert_eq!(
            parse_retry_after_ms("1500"),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after_ms("2.5"),
            Some(Duration::from_micros(2500))
        );
        assert_eq!(parse_retry_after_ms("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after_ms("-1"), None);
        assert_eq!(parse_retry_after_ms("NaN"), None);
        assert_eq!(parse_retry_after_ms("inf"), None);
        assert_eq!(parse_retry_after_ms("soon"), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        // 1994-11-06T08:49:37Z is Unix time 784111777.
        let now = at(784_111_777);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        // Obsolete RFC 850 and asctime forms are accepted too.
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:40 GMT", now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:38 1994", now),
            Some(Duration::from_secs(1))
        );
        // A date in the past means "now".
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("tomorrow", now), None);
    }

    #[test]
    fn rate_limit_reset_reads_epoch_or_delta() {
        let now = at(1_700_000_000);
        assert_eq!(
            parse_rate_limit_reset("1700000005", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_rate_limit_reset("1699999000", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_rate_limit_reset("30", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_rate_limit_reset("x", now), None);
    }

    #[test]
    fn header_precedence_and_max_wait() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("9"));
        let now = SystemTime::now();
        assert_eq!(
            server_requested_wait(&headers, now),
            Some(Duration::from_secs(9))
        );
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(
            server_requested_wait(&headers, now),
            Some(Duration::from_secs(3))
        );
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(
            server_requested_wait(&headers, now),
            Some(Duration::from_millis(250))
        );

        let policy = RetryPolicy::default().max_retry_after(Duration::from_millis(100));
        assert_eq!(policy.delay(1, &headers), None);
        let policy = policy.max_retry_after(Duration::from_secs(1));
        assert_eq!(policy.delay(1, &headers), Some(Duration::from_millis(250)));
    }

    #[test]
    fn backoff_is_jittered_under_an_exponential_cap() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(policy.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(350));
        assert_eq!(policy.backoff_ceiling(200), Duration::from_millis(350));
        for retry in 1..10 {
            assert!(policy.backoff(retry) <= policy.backoff_ceiling(retry));
        }
        let empty = HeaderMap::new();
        assert!(
            policy
                .delay(1, &empty)
                .is_some_and(|d| d <= Duration::from_millis(100))
        );
    }

    #[test]
    fn statuses_classify_by_whether_the_request_was_processed() {
        let delivery = |code| status_delivery(StatusCode::from_u16(code).unwrap());
        for code in [408, 429, 503] {
            assert_eq!(delivery(code), Delivery::NotProcessed, "{code}");
        }
        for code in [500, 502, 504, 599] {
            assert_eq!(delivery(code), Delivery::Unknown, "{code}");
        }
        for code in [301, 400, 401, 404, 409, 422] {
            assert_eq!(delivery(code), Delivery::Final, "{code}");
        }
        assert!(is_idempotent(&reqwest::Method::GET));
        assert!(is_idempotent(&reqwest::Method::PUT));
        assert!(!is_idempotent(&reqwest::Method::POST));
        assert!(!is_idempotent(&reqwest::Method::PATCH));
    }
}
