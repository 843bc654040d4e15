//! Interceptors: hooks a user registers on the builder, called around every
//! attempt of every call, for metrics, audit logs and trace propagation.
//!
//! They see what is safe to show and nothing else: never the API key (its
//! header can be neither read nor written) nor a body, and they cannot change
//! whether or when an attempt is retried.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::headers::is_sensitive_header;
use super::request::Auth;

/// A hook called around every attempt; register it with
/// [`ClientBuilder::interceptor`](crate::ClientBuilder::interceptor).
///
/// Both methods run on the task that makes the call: keep them quick.
pub trait Interceptor: Send + Sync + 'static {
    /// Called before an attempt is sent; may read and add headers, such as
    /// a correlation id.
    fn before(&self, attempt: &Attempt<'_>, headers: &mut AttemptHeaders<'_>) {
        let _ = (attempt, headers);
    }

    /// Called once an attempt has an outcome: a status, or a failure on the
    /// way.
    fn after(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        let _ = (attempt, outcome);
    }
}

/// The attempt an interceptor is called for.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// HTTP method.
    pub method: &'a Method,
    /// The operation called (the OpenAPI `operationId`).
    pub operation: &'static str,
    /// The attempt's number, 1 for the first.
    pub number: u32,
}

/// The headers of an attempt, as an interceptor may see them: without the
/// API key's header or any other credential.
#[derive(Debug)]
pub struct AttemptHeaders<'a> {
    map: &'a mut HeaderMap,
    scheme: Auth,
}

impl<'a> AttemptHeaders<'a> {
    pub(crate) fn new(map: &'a mut HeaderMap, scheme: Auth) -> Self {
        AttemptHeaders { map, scheme }
    }

    /// The value of header `name`; `None` when it is absent or may carry a
    /// credential.
    pub fn get(&self, name: &str) -> Option<&HeaderValue> {
        if is_sensitive_header(self.scheme, name) {
            return None;
        }
        self.map.get(name)
    }

    /// Sets header `name`, replacing any value; returns `false`, setting
    /// nothing, for a header that may carry a credential.
    pub fn insert(&mut self, name: HeaderName, value: HeaderValue) -> bool {
        if is_sensitive_header(self.scheme, name.as_str()) {
            return false;
        }
        self.map.insert(name, value);
        true
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Outcome<'a> {
    /// The status, when a response arrived.
    pub status: Option<StatusCode>,
    /// What went wrong on the way, when no usable response arrived.
    pub failure: Option<AttemptFailure>,
    /// Time from sending to the outcome.
    pub latency: Duration,
    /// The request id the server assigned, when it sent one.
    pub request_id: Option<&'a str>,
}

/// Why an attempt got no usable response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptFailure {
    /// The attempt's timeout (or the call's deadline) ran out.
    Timeout,
    /// No connection could be opened.
    Connect,
    /// The connection failed or was cut.
    Transport,
    /// The response body was larger than allowed.
    TooLarge,
    /// The request could not be built or was answered from elsewhere.
    Other,
}
