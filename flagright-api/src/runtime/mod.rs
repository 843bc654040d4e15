//! The hand-written runtime the generated endpoints call: client, builder,
//! errors, retries, per-request options, pagination, bulk import and
//! encoding helpers.
//!
//! Nothing here knows about particular Flagright endpoints; it reaches the
//! generated module only through `Environment`, `AUTH`, `ENV_PREFIX` and
//! `ErrorBody`.

#[cfg(feature = "blocking")]
#[doc(hidden)]
pub mod blocking_client;
mod body;
mod builder;
mod client;
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no structs or no tagged unions"
)]
pub(crate) mod de;
pub(crate) mod encoding;
mod error;
pub(crate) mod error_path;
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no floats"
)]
pub(crate) mod finite;
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no union told apart by format"
)]
pub(crate) mod formats;
mod headers;
mod import;
mod input;
mod json_path;
#[cfg(feature = "mock")]
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no text, binary or form bodies"
)]
pub(crate) mod mocking;
#[cfg(feature = "multipart")]
mod multipart;
mod options;
mod pagination;
#[cfg(feature = "patterns")]
mod pattern;
mod redact;
mod request;
mod retry;
mod send;
pub mod share;
mod timestamp;
mod transport;
mod unconfirmed;
mod validation;

pub use builder::ClientBuilder;
pub use client::Client;
pub use error::{ApiError, Error, ErrorKind, TransportKind, Unconfirmed};
#[doc(hidden)]
pub use import::{BatchEndpoint, ChunkAck};
pub use import::{
    DEFAULT_CHECK_DELAY, DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, Import,
    ImportReport, IntoImportItem, InvalidItem, MAX_CHUNK_SIZE, NotImported, NotImportedReason,
    Progress, Rejected,
};
#[doc(hidden)]
pub use input::{
    bytes_body, check_number, check_range, cookie_header, form_body, json_body, object_header,
    object_path, object_query, path_list, path_segment,
};
#[cfg(feature = "multipart")]
#[doc(hidden)]
pub use multipart::multipart_body;
#[cfg(feature = "multipart")]
pub use multipart::{FilePart, Multipart};
pub use options::RequestOptions;
#[doc(hidden)]
pub use pagination::paginate;
pub use pagination::{ItemStream, Page};
#[cfg(feature = "patterns")]
#[doc(hidden)]
pub use pattern::Pattern;
pub use request::Response;
#[doc(hidden)]
pub use request::{ApiRequest, Auth, RequestBody};
pub use retry::RetryPolicy;
pub use timestamp::{IntoTimestamp, Timestamp};
