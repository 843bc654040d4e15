//! What a configured client holds: the connection pool and the settings
//! every call reads. The bottom of the client's layers: it imports nothing
//! above it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::interceptor::Interceptor;
use super::redact::Redactor;
use super::request::Auth;
use super::retry::RetryPolicy;

/// Everything a client is configured with; shared by its clones.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Without trailing slash; may hold a user name and password.
    pub(crate) full_base_url: String,
    /// `full_base_url` with any user name and password masked: the only
    /// form ever shown.
    pub(crate) base_url: String,
    /// Header name and sensitive value; `None` when the API needs no key.
    pub(crate) auth: Option<(HeaderName, HeaderValue)>,
    /// How the API authenticates: which header holds the key.
    pub(crate) scheme: Auth,
    /// Masks the API key in anything shown from a response.
    pub(crate) redactor: Redactor,
    /// Client defaults and authentication: the headers of a call without a
    /// body or per-request headers.
    pub(crate) headers: HeaderMap,
    /// `headers` plus `content-type: application/json`.
    pub(crate) json_headers: HeaderMap,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) log_bodies: bool,
    /// Called around every attempt, in the order registered.
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
}
