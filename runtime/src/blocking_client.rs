//! The blocking client: the async client driven by a
//! private single-threaded Tokio runtime, so a CLI, a script or a synchronous
//! web framework needs no runtime of its own.
//!
//! It shares everything with the async client: the generated blocking
//! request builders wrap the async ones and only wait for them, so requests,
//! retries, timeouts and errors are the same code.
//!
//! Called from inside an async runtime (where waiting would stall the
//! runtime's thread, and Tokio would panic), a blocking call returns
//! [`Error::Config`] instead of waiting; use the async client there, or move
//! the call to a thread of its own (`tokio::task::spawn_blocking`).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures_util::StreamExt;

use super::error::Error;
use super::pagination::ItemStream;

/// A blocking client: the async client `C` (a generated client) driven by a
/// private single-threaded runtime. A generated crate wraps it in its own
/// `blocking::Client`, with the same groups and methods as its async client.
///
/// Cloning is cheap and shares the connection pool and the runtime.
pub struct Client<C> {
    inner: C,
    runtime: Arc<Runtime>,
}

// By hand: a derive would ask for `C: Clone` in the bounds of every use.
impl<C: Clone> Clone for Client<C> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            runtime: Arc::clone(&self.runtime),
        }
    }
}

impl<C: fmt::Debug> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("client", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<C> Client<C> {
    /// Starts the runtime that drives `inner`.
    pub fn new<B>(inner: C) -> Result<Self, Error<B>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                Error::config(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        Ok(Client {
            inner,
            runtime: Arc::new(Runtime(Some(runtime))),
        })
    }
}

// The generated blocking builders reach the client through these free
// functions, so `blocking::Client` has no inherent method a group could
// need as its accessor name.

/// The async client the generated blocking builders wrap.
#[doc(hidden)]
pub fn async_client<C>(client: &Client<C>) -> &C {
    &client.inner
}

/// Runs `future` to completion on the client's runtime, or refuses when
/// called from inside an async runtime.
#[doc(hidden)]
pub fn block_on<C, T, B>(
    client: &Client<C>,
    future: impl Future<Output = Result<T, Error<B>>>,
) -> Result<T, Error<B>> {
    run(&client.runtime, future)
}

/// Runs `future` to completion on `runtime`, or refuses when called from
/// inside an async runtime.
fn run<T, B>(
    runtime: &Runtime,
    future: impl Future<Output = Result<T, Error<B>>>,
) -> Result<T, Error<B>> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::config(
            "the blocking client was called from inside an async runtime, where it would \
             stall the runtime; use the async `Client` there, or call it from \
             `tokio::task::spawn_blocking`",
        ));
    }
    match &runtime.0 {
        Some(runtime) => runtime.block_on(future),
        None => Err(Error::config("the blocking client's runtime has shut down")),
    }
}

/// Every item of a paginated listing, fetched lazily page by page.
#[doc(hidden)]
pub fn items<'a, C, T, B>(client: &'a Client<C>, stream: ItemStream<'a, T, B>) -> Items<'a, T, B> {
    Items {
        runtime: &client.runtime,
        stream,
        done: false,
    }
}

/// Every item of a paginated listing, one page fetched at a time: the
/// blocking counterpart of [`ItemStream`]. Made by a blocking builder's
/// `stream`.
#[must_use = "an iterator does nothing until it is read"]
pub struct Items<'a, T, B = serde_json::Value> {
    runtime: &'a Runtime,
    stream: ItemStream<'a, T, B>,
    done: bool,
}

impl<T, B> fmt::Debug for Items<'_, T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl<T, B> Iterator for Items<'_, T, B> {
    type Item = Result<T, Error<B>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let stream = &mut self.stream;
        match run(self.runtime, async { Ok(stream.next().await) }) {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                None
            }
            // Refused (inside an async runtime): said once, then the end.
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }
}

/// The runtime, shut down without waiting when dropped, so dropping the last
/// clone of a client inside an async runtime does not panic.
#[doc(hidden)]
pub struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
