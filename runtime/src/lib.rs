//! The runtime of typed HTTP clients generated from OpenAPI documents:
//! client and builder, retries and deadlines, errors, per-request options,
//! pagination, bulk import, encoding and decoding helpers, a blocking
//! wrapper and a typed mock server.
//!
//! It names no API. A generated crate implements [`Api`] on a marker type
//! (servers, authentication, environment variables, user agent, error body)
//! and wraps [`Client`] in its own client with one accessor per group of
//! endpoints. Items marked `#[doc(hidden)]` are called by generated code and
//! are not part of the stable API.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api;
#[cfg(feature = "blocking")]
#[doc(hidden)]
pub mod blocking_client;
mod body;
mod builder;
mod client;
mod config;
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no structs or no tagged unions"
)]
#[doc(hidden)]
pub mod de;
#[doc(hidden)]
pub mod encoding;
mod error;
#[doc(hidden)]
pub mod error_path;
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no floats"
)]
#[doc(hidden)]
pub mod finite;
#[doc(hidden)]
pub mod formats;
mod headers;
mod import;
mod input;
mod interceptor;
mod json_path;
#[cfg(feature = "mock")]
#[allow(
    dead_code,
    reason = "called by generated code; a spec may have no text, binary or form bodies"
)]
#[doc(hidden)]
pub mod mocking;
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
#[doc(hidden)]
pub mod share;
mod timestamp;
mod transport;
mod unconfirmed;
mod validation;

pub use api::{Api, ApiResult};
pub use builder::BuildClient;
pub use builder::ClientBuilder;
#[cfg(feature = "blocking")]
pub use builder::HasBlocking;
pub use client::Client;
pub use error::{ApiError, Error, ErrorKind, TransportKind, Unconfirmed};
#[doc(hidden)]
pub use import::{BatchEndpoint, BodyOf, ChunkAck, ImportResult};
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
pub use interceptor::{Attempt, AttemptFailure, AttemptHeaders, Interceptor, Outcome};
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
