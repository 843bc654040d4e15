//! Bulk import through the batch endpoints: chunking, bounded concurrency,
//! a back-off shared by all chunks, and an account of every record.
//!
//! The engine is generic; each batch endpoint is described to it by a small
//! generated adapter implementing [`BatchEndpoint`] and reached through a
//! method such as `client.batch().import_transactions(records)`.

mod engine;
mod item;
mod report;

use std::fmt;
use std::future::{Future, IntoFuture};
use std::ops::Deref;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;

use super::api::Api;
use super::client::Client;
use super::error::Error;
use super::options::RequestOptions;
use super::pagination::ItemStream;

pub use item::IntoImportItem;
use item::{InputError, Items};
pub use report::{ImportReport, InvalidItem, NotImported, NotImportedReason, Progress, Rejected};

/// Records per chunk unless set: small enough for any request-size limit
/// (about 100 KB to 300 KB of JSON for typical transactions), and one page
/// of the batch `GET` that checks a chunk whose answer was lost.
pub const DEFAULT_CHUNK_SIZE: usize = 100;
/// Largest chunk accepted. The API does not publish its limit; 1,000 typical
/// records stay below a few megabytes, under common gateway limits.
pub const MAX_CHUNK_SIZE: usize = 1_000;
/// Chunks in flight at once unless set.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Attempts per chunk unless set: sends refused before processing (429,
/// 503, 408, refused connections), and resends after a batch `GET` showed
/// the chunk was not received, together.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// Wait before the batch `GET` that checks a chunk whose answer was lost,
/// unless set: the API processes batches in the background.
pub const DEFAULT_CHECK_DELAY: Duration = Duration::from_secs(2);

/// What the API answered to one chunk, in the importer's terms.
///
/// The counts stay `f64` because the generated answer follows the API's
/// contract (`type: number`); the engine turns them into whole counts and
/// treats any other number as unknown.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct ChunkAck {
    /// The answer's `successful` count.
    pub successful: f64,
    /// The answer's `failed` count.
    pub failed: f64,
    /// The answer's `failedRecords`: id and reason code.
    pub failed_records: Option<Vec<(Option<String>, Option<String>)>>,
}

/// One batch endpoint as the importer needs it: generated for each batch
/// `POST` whose body has a `data` array and a `batchId`, paired with the
/// `GET` of that `batchId`.
#[doc(hidden)]
pub trait BatchEndpoint: Sized + 'static {
    /// One record of `data`.
    type Record: Send;
    /// The request body.
    type Body: Send + Sync;
    /// What changes the generated builder of the `POST` (to set its query
    /// flags): `dyn for<'r> Fn(Builder<'r>) -> Builder<'r> + Send + Sync`.
    type Configure: ?Sized + Send + Sync + 'static;
    /// One result item of the batch `GET`.
    type ResultItem: Send;
    /// The API the endpoint belongs to.
    type Api: Api;
    /// The client that sends the chunks: a generated client, which wraps
    /// the runtime's.
    type Client: Deref<Target = Client<Self::Api>> + Sync + 'static;

    /// `POST /batch/...`, for messages.
    const ENDPOINT: &'static str;

    /// The id the API reports `record` under in `failedRecords`.
    fn record_id(record: &Self::Record) -> Option<&str>;
    /// The id of a result item of the batch `GET`.
    fn result_id(item: &Self::ResultItem) -> Option<&str>;
    /// A body carrying `records` as batch `batch_id`.
    fn body(records: Vec<Self::Record>, batch_id: String) -> Self::Body;
    /// The records back out of a body.
    fn into_records(body: Self::Body) -> Vec<Self::Record>;
    /// Sends one chunk.
    fn send<'r>(
        client: &'r Self::Client,
        body: &'r Self::Body,
        options: RequestOptions,
        configure: Option<&'r Self::Configure>,
    ) -> ChunkFuture<'r, <Self::Api as Api>::ErrorBody>;
    /// Every result of batch `batch_id`, page by page.
    fn results<'r>(
        client: &'r Self::Client,
        batch_id: &str,
        options: RequestOptions,
    ) -> ItemStream<'r, Self::ResultItem, <Self::Api as Api>::ErrorBody>;
}

/// A bulk import through one batch endpoint; await it (or call
/// [`run`](Self::run)) to get the [`ImportReport`].
///
/// Made by the `import_*` methods of `client.batch()`. The input is read
/// lazily, `chunk_size` records at a time, so an input larger than memory
/// can be streamed; at most `concurrency` chunks are in flight. Each chunk
/// is sent as its own batch with the `batchId` `{prefix}-{chunk index}`.
/// The input's items are records, or `Result`s of records (see
/// [`IntoImportItem`]): an `Err` is reported in
/// [`ImportReport::invalid`] with its position, and chunks are made of the
/// records around it.
///
/// Failures are handled by what they say about the chunk:
///
/// - refused before processing (429, 503, 408, a refused connection): the
///   whole importer pauses (for `Retry-After` when the API sends one), then
///   the chunk is sent again, up to `max_attempts` in all;
/// - possibly processed (500, 502, 504, a timeout or a connection cut after
///   sending): after `check_delay` the batch `GET` of the chunk's `batchId`
///   tells whether the API received it. Found: the records it lists are
///   accepted and the chunk is never sent again. Not found (404): the chunk
///   is sent again;
/// - a definite error (400 for the chunk): its records are reported as not
///   imported; a 401, 403, 404 or redirect stops the import, since every
///   chunk would meet it.
///
/// The chunk's `batchId` prefix must be unique to the import: a batch `GET`
/// finding an older batch of the same id counts its records as imported.
///
/// An import that was cut short (the process ended, the future was
/// dropped) can be run again with the same prefix, chunk size and input and
/// [`resume(true)`](Self::resume): chunks the API already has are then
/// counted, not sent again.
#[must_use = "an import does nothing until it is awaited"]
pub struct Import<'a, E: BatchEndpoint> {
    client: &'a E::Client,
    records: Pin<Box<dyn Stream<Item = Result<E::Record, InputError>> + Send + 'a>>,
    settings: Settings,
    configure: Option<Box<E::Configure>>,
    progress: Option<Box<OnProgress<'a>>>,
}

/// A progress callback.
pub(crate) type OnProgress<'a> = dyn Fn(&Progress) + Send + Sync + 'a;

/// Settings of an [`Import`].
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) chunk_size: usize,
    pub(crate) concurrency: usize,
    pub(crate) prefix: String,
    pub(crate) max_attempts: u32,
    pub(crate) check_delay: Duration,
    pub(crate) options: RequestOptions,
    pub(crate) expected_total: Option<u64>,
    pub(crate) resume: bool,
}

impl<'a, E: BatchEndpoint> Import<'a, E> {
    /// An import of `records` (records, or results of records), as a
    /// stream.
    #[doc(hidden)]
    pub fn new<S>(client: &'a E::Client, records: S) -> Self
    where
        S: Stream + Send + 'a,
        S::Item: IntoImportItem<E::Record>,
    {
        // An input that knows its exact length gives progress a total.
        let expected_total = match records.size_hint() {
            (low, Some(high)) if low == high => u64::try_from(low).ok(),
            _ => None,
        };
        Import {
            client,
            records: Box::pin(Items::new(records)),
            settings: Settings {
                chunk_size: DEFAULT_CHUNK_SIZE,
                concurrency: DEFAULT_CONCURRENCY,
                prefix: default_prefix(),
                max_attempts: DEFAULT_MAX_ATTEMPTS,
                check_delay: DEFAULT_CHECK_DELAY,
                options: RequestOptions::default(),
                expected_total,
                resume: false,
            },
            configure: None,
            progress: None,
        }
    }

    /// An import of `records` (records, or results of records), from
    /// anything iterable.
    #[doc(hidden)]
    pub fn from_records<I>(client: &'a E::Client, records: I) -> Self
    where
        I: IntoIterator,
        I::Item: IntoImportItem<E::Record>,
        I::IntoIter: Send + 'a,
    {
        Self::new(client, futures_util::stream::iter(records))
    }

    /// Records per chunk (one `POST` each): 1 to [`MAX_CHUNK_SIZE`],
    /// default [`DEFAULT_CHUNK_SIZE`].
    pub fn chunk_size(mut self, records: usize) -> Self {
        self.settings.chunk_size = records;
        self
    }

    /// Chunks in flight at once, at least 1; default
    /// [`DEFAULT_CONCURRENCY`].
    pub fn concurrency(mut self, chunks: usize) -> Self {
        self.settings.concurrency = chunks;
        self
    }

    /// Prefix of the chunks' `batchId`s (`{prefix}-0`, `{prefix}-1`, ...).
    /// Default: `import-` followed by the start time and a random suffix.
    /// Set one to be able to [`resume`](Self::resume) the import; reuse it
    /// only for the same input.
    pub fn batch_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.settings.prefix = prefix.into();
        self
    }

    /// Resumes an earlier run of this import (default `false`): before a
    /// chunk is sent, the batch `GET` of its `batchId` asks whether an
    /// earlier run's chunk already reached the API.
    ///
    /// - The API does not know the batch (404): the chunk is sent.
    /// - The batch exists: the chunk is not sent. The records its results
    ///   list count as [`ImportReport::already_imported`]; the others are
    ///   [`NotImportedReason::NotInEarlierBatch`] (the earlier run's answer,
    ///   now lost, rejected them, or the API is still processing them).
    /// - The `GET` fails: the chunk is not sent, and its records are
    ///   [`NotImportedReason::ResumeUnchecked`].
    ///
    /// It costs one `GET` per chunk, and is only right when the run repeats
    /// the earlier one: the same [`batch_id_prefix`](Self::batch_id_prefix),
    /// [`chunk_size`](Self::chunk_size) and input in the same order (errors
    /// in the input may stay; they take no place in chunks), since chunk `n`
    /// is matched with batch `{prefix}-{n}` by its number alone.
    pub fn resume(mut self, resume: bool) -> Self {
        self.settings.resume = resume;
        self
    }

    /// Attempts per chunk, at least 1; default [`DEFAULT_MAX_ATTEMPTS`].
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.settings.max_attempts = attempts;
        self
    }

    /// Wait before checking, with the batch `GET`, a chunk whose answer was
    /// lost; default [`DEFAULT_CHECK_DELAY`].
    pub fn check_delay(mut self, delay: Duration) -> Self {
        self.settings.check_delay = delay;
        self
    }

    /// How many items (records and errors alike) the input is expected to
    /// hold, such as the line count of a file: reported as
    /// [`Progress::total`], so a progress bar can show a share done
    /// ([`Progress::fraction`]) and the time left ([`Progress::eta`]).
    ///
    /// Only a hint: the input is read to its end whatever it says. Without
    /// it, the total is the input's length when its iterator or stream
    /// knows it exactly (a `Vec`, a mapped range), and otherwise unknown.
    pub fn expected_total(mut self, items: u64) -> Self {
        self.settings.expected_total = Some(items);
        self
    }

    /// Options for every request (timeout, headers, ...). Retries are the
    /// importer's own: `max_retries` is ignored.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.settings.options = options;
        self
    }

    /// Sets what changes every chunk's request builder; the generated
    /// `configure` method of each endpoint's import calls this.
    #[doc(hidden)]
    pub fn configured(mut self, configure: Box<E::Configure>) -> Self {
        self.configure = Some(configure);
        self
    }

    /// Calls `callback` with a [`Progress`] snapshot whenever a chunk is sent
    /// or settled. Keep it quick: it runs on the importer's task.
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'a) -> Self {
        self.progress = Some(Box::new(callback));
        self
    }

    /// Runs the import. Fails only on unusable settings; everything that
    /// goes wrong with records or requests is in the report.
    pub async fn run(self) -> ImportResult<E> {
        engine::run(self).await
    }
}

impl<'a, E: BatchEndpoint> IntoFuture for Import<'a, E>
where
    E::Record: 'a,
{
    type Output = ImportResult<E>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl<E: BatchEndpoint> fmt::Debug for Import<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Import")
            .field("endpoint", &E::ENDPOINT)
            .field("settings", &self.settings)
            .field("configure", &self.configure.is_some())
            .field("on_progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

/// The answer to one chunk, on its way.
#[doc(hidden)]
pub type ChunkFuture<'r, B> = Pin<Box<dyn Future<Output = Result<ChunkAck, Error<B>>> + Send + 'r>>;

/// What an import of endpoint `E` returns.
pub type ImportResult<E> =
    Result<ImportReport<<E as BatchEndpoint>::Record, BodyOf<E>>, Error<BodyOf<E>>>;

/// The error body of endpoint `E`'s API.
#[doc(hidden)]
pub type BodyOf<E> = <<E as BatchEndpoint>::Api as Api>::ErrorBody;

/// `import-<unix millis>-<random>`: unique to one run.
fn default_prefix() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis());
    format!("import-{millis}-{:06x}", fastrand::u32(..0x100_0000))
}
