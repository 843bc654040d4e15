//! The client: one connection pool and its configuration.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use tracing::field::Empty;

use std::marker::PhantomData;

use super::api::{Api, ApiResult};
use super::config::Inner;
use super::error::Error;
use super::options::RequestOptions;
use super::request::{ApiRequest, Response};
use super::send;

/// An async client for API `A`: one connection pool and its configuration.
///
/// Cloning is cheap: clones share one connection pool and configuration.
/// A generated crate wraps it in its own `Client`, which adds one accessor
/// per group of endpoints; build either with a
/// [`ClientBuilder`](crate::ClientBuilder).
pub struct Client<A> {
    pub(crate) inner: Arc<Inner>,
    api: PhantomData<fn() -> A>,
}

// By hand: a derive would ask for `A: Clone`.
impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            api: PhantomData,
        }
    }
}

impl<A> Client<A> {
    /// Wraps a configured connection pool.
    pub(crate) fn from_inner(inner: Inner) -> Self {
        Client {
            inner: Arc::new(inner),
            api: PhantomData,
        }
    }
}

impl<A: Api> Client<A> {
    /// The base URL requests go to, without trailing slash. A user name and
    /// password in it are shown as `***`.
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
    ) -> ApiResult<Response<T>, A> {
        traced_send(&self.inner, request, options)
            .await?
            .decode(&self.inner, send::json::<T>)
    }

    /// Like [`execute`](Self::execute), returning the 2xx body as bytes.
    #[doc(hidden)]
    pub async fn execute_bytes(
        &self,
        request: ApiRequest,
        options: RequestOptions,
    ) -> ApiResult<Response<Bytes>, A> {
        traced_send(&self.inner, request, options)
            .await?
            .decode(&self.inner, send::bytes)
    }

    /// Like [`execute`](Self::execute), returning the 2xx body as text; a
    /// body that is not UTF-8 is an [`Error::Decode`].
    #[doc(hidden)]
    pub async fn execute_text(
        &self,
        request: ApiRequest,
        options: RequestOptions,
    ) -> ApiResult<Response<String>, A> {
        traced_send(&self.inner, request, options)
            .await?
            .decode(&self.inner, send::text)
    }
}

/// Sends one call inside its tracing span. A free function, not a method, so
/// that `Client`'s inherent methods are exactly its public ones (generated
/// group accessors must not collide with any).
async fn traced_send<B: serde::de::DeserializeOwned>(
    inner: &Inner,
    request: ApiRequest,
    options: RequestOptions,
) -> Result<send::Delivered, Error<B>> {
    let span = tracing::debug_span!(
        "api_request",
        operation_id = request.operation_id,
        method = %request.method,
        path = %request.path,
        status = Empty,
        attempts = Empty,
        latency_ms = Empty,
    );
    send::send(inner, request, options, &span)
        .instrument(span.clone())
        .await
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("api_key", &inner.auth.as_ref().map(|_| "***"))
            .field("timeout", &inner.timeout)
            .field("deadline", &inner.deadline)
            .field("retry", &inner.retry)
            .field("max_response_bytes", &inner.max_response_bytes)
            .field("log_bodies", &inner.log_bodies)
            .field("interceptors", &inner.interceptors.len())
            .finish_non_exhaustive()
    }
}
