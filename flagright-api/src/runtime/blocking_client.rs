//! The blocking client: the async [`Client`](super::Client) driven by a
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

/// A blocking Flagright client: the same groups and methods as the async
/// [`Client`](crate::Client), returning results directly.
///
/// ```no_run
/// use std::time::SystemTime;
///
/// use flagright_api::blocking::Client;
/// use flagright_api::types::{CurrencyCode, RuleAction, Transaction, TransactionAmountDetails};
///
/// fn main() -> Result<(), flagright_api::Error> {
///     let client = Client::new("your-api-key")?;
///     let transaction = Transaction::builder()
///         .transaction_id("txn-000187")
///         .type_("TRANSFER")
///         .timestamp(SystemTime::now())
///         .origin_user_id("usr-c-7f3c2a91")
///         .origin_amount_details(
///             TransactionAmountDetails::builder()
///                 .transaction_amount(1250.0)
///                 .transaction_currency(CurrencyCode::Eur)
///                 .build(),
///         )
///         .build();
///
///     // No runtime, no `.await`: `send` waits for the answer.
///     let result = client.transactions().verify(&transaction).send()?;
///     if result.status == RuleAction::Block {
///         println!("blocked by {} rule(s)", result.hit_rules.len());
///     }
///
///     // Paginated listings are plain iterators.
///     for item in client.batch().get_transactions("batch-2024-11-21").stream() {
///         println!("{}", item?.transaction_id);
///     }
///     Ok(())
/// }
/// ```
///
/// Cloning is cheap and shares the connection pool and the runtime.
#[derive(Clone)]
pub struct Client {
    inner: super::client::Client,
    runtime: Arc<Runtime>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("base_url", &self.inner.base_url())
            .finish_non_exhaustive()
    }
}

/// Configures a blocking [`Client`]; start with [`Client::builder`].
///
/// The same builder, with the same settings, as the async client's
/// ([`crate::ClientBuilder`]); only `build` differs,
/// returning the blocking client.
///
/// ```no_run
/// use std::time::Duration;
///
/// use flagright_api::blocking::Client;
///
/// # fn main() -> Result<(), flagright_api::Error> {
/// let client: Client = Client::builder()
///     .api_key("my-api-key")
///     .timeout(Duration::from_secs(20))
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub type ClientBuilder = super::builder::ClientBuilder<Client>;

impl Client {
    /// A client for the default environment with this API key; see
    /// [`Client::new`](crate::Client::new).
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from the environment; see
    /// [`Client::from_env`](crate::Client::from_env).
    pub fn from_env() -> Result<Self, Error> {
        super::builder::ClientBuilder::from_env()?.build_blocking()
    }

    /// A builder for a blocking client: the async client's settings, and a
    /// `build` that returns this client.
    pub fn builder() -> ClientBuilder {
        super::builder::ClientBuilder::new().for_client()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }
}

/// Wraps a configured async client.
fn wrap(inner: super::client::Client) -> Result<Client, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::config(format!("cannot start the blocking client's runtime: {e}")))?;
    Ok(Client {
        inner,
        runtime: Arc::new(Runtime(Some(runtime))),
    })
}

// The generated blocking builders reach the client through these free
// functions, so `blocking::Client` has no inherent method a group could
// need as its accessor name.

/// The async client the generated blocking builders wrap.
#[doc(hidden)]
pub fn async_client(client: &Client) -> &super::client::Client {
    &client.inner
}

/// Runs `future` to completion on the client's runtime, or refuses when
/// called from inside an async runtime.
#[doc(hidden)]
pub fn block_on<T>(
    client: &Client,
    future: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::config(
            "the blocking client was called from inside an async runtime, where it would \
             stall the runtime; use the async `Client` there, or call it from \
             `tokio::task::spawn_blocking`",
        ));
    }
    match &client.runtime.0 {
        Some(runtime) => runtime.block_on(future),
        None => Err(Error::config("the blocking client's runtime has shut down")),
    }
}

/// Every item of a paginated listing, fetched lazily page by page.
#[doc(hidden)]
pub fn items<'a, T>(client: &'a Client, stream: ItemStream<'a, T>) -> Items<'a, T> {
    Items {
        client,
        stream,
        done: false,
    }
}

impl ClientBuilder {
    /// Checks the settings and builds the blocking client.
    pub fn build(self) -> Result<Client, Error> {
        wrap(self.build_client()?)
    }
}

impl<C> super::builder::ClientBuilder<C> {
    /// Builds a [`blocking::Client`](crate::blocking::Client) with these
    /// settings, from either builder (needs the `blocking` feature).
    pub fn build_blocking(self) -> Result<Client, Error> {
        wrap(self.build_client()?)
    }
}

/// Every item of a paginated listing, one page fetched at a time: the
/// blocking counterpart of [`ItemStream`]. Made by a blocking builder's
/// `stream`.
#[must_use = "an iterator does nothing until it is read"]
pub struct Items<'a, T> {
    client: &'a Client,
    stream: ItemStream<'a, T>,
    done: bool,
}

impl<T> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

impl<T> Iterator for Items<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let stream = &mut self.stream;
        match block_on(self.client, async { Ok(stream.next().await) }) {
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
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
