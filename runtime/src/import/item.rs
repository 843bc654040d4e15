//! What an import reads: records, or results that may be errors.

use std::error::Error as StdError;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

/// The error an input gave in place of a record. A struct rather than an
/// alias of the `Arc`: a `dyn` type inside the import's stream type trips
/// the compiler's `Send` check of the import future.
pub struct InputError(pub(crate) Arc<dyn StdError + Send + Sync>);

/// An item of an import's input: a record `R` itself, or a
/// `Result<R, E>` whose error is counted in
/// [`ImportReport::invalid`](super::ImportReport::invalid) with its
/// position instead of being sent.
///
/// `E` is anything that converts into `Box<dyn Error + Send + Sync>`: any
/// error type (`serde_json::Error`, `std::io::Error`, `anyhow::Error`), a
/// `String` or a `&str`. So the lines of an NDJSON file can be imported as
/// they are parsed, and a line that does not parse is accounted for rather
/// than lost:
///
/// ```
/// use std::io::BufRead;
///
/// use openapi_client_rt::IntoImportItem;
///
/// /// What a generated `import_*` method accepts.
/// fn import<I>(records: I) -> usize
/// where
///     I: IntoIterator,
///     I::Item: IntoImportItem<serde_json::Value>,
/// {
///     records.into_iter().count()
/// }
///
/// let file = std::io::BufReader::new(&b"{\"id\": 1}\nnot json\n"[..]);
/// let records = file
///     .lines()
///     .map(|line| -> std::io::Result<serde_json::Value> { Ok(serde_json::from_str(&line?)?) });
/// // The second line is an `Err`: the import reports it as invalid, at its position.
/// assert_eq!(import(records), 2);
/// ```
///
/// It is sealed: only these two forms are items.
pub trait IntoImportItem<R>: sealed::Sealed<R> {}

impl<R> IntoImportItem<R> for R {}

impl<R, E> IntoImportItem<R> for Result<R, E> where E: Into<Box<dyn StdError + Send + Sync>> {}

/// The items of `S` as records or errors.
pub(crate) struct Items<S, R> {
    inner: Pin<Box<S>>,
    record: PhantomData<fn() -> R>,
}

impl<S, R> Items<S, R> {
    pub(crate) fn new(inner: S) -> Self {
        Items {
            inner: Box::pin(inner),
            record: PhantomData,
        }
    }
}

impl<S, R> Stream for Items<S, R>
where
    S: Stream,
    S::Item: IntoImportItem<R>,
{
    type Item = Result<R, InputError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(sealed::Sealed::into_item))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

pub(crate) mod sealed {
    use std::sync::Arc;

    use super::InputError;

    /// The conversion behind [`IntoImportItem`](super::IntoImportItem),
    /// out of reach of other crates.
    pub trait Sealed<R> {
        /// The record, or the error given in its place.
        fn into_item(self) -> Result<R, InputError>;
    }

    impl<R> Sealed<R> for R {
        fn into_item(self) -> Result<R, InputError> {
            Ok(self)
        }
    }

    impl<R, E> Sealed<R> for Result<R, E>
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        fn into_item(self) -> Result<R, InputError> {
            self.map_err(|error| InputError(Arc::from(error.into())))
        }
    }
}
