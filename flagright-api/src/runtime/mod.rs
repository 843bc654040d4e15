//! The hand-written runtime the generated endpoints call: client, builder,
//! errors, retries, per-request options, pagination and encoding helpers.
//!
//! Nothing here knows about particular Flagright endpoints; it reaches the
//! generated module only through `Environment`, `AUTH`, `ENV_PREFIX` and
//! `ErrorBody`.

mod builder;
mod client;
mod encoding;
mod error;
mod headers;
mod options;
mod pagination;
mod request;
mod retry;

pub use builder::ClientBuilder;
pub use client::Client;
#[doc(hidden)]
pub use encoding::{encode_path_segment, json_body};
pub use error::{ApiError, Error, ErrorKind};
pub use options::RequestOptions;
#[doc(hidden)]
pub use pagination::paginate;
pub use pagination::{ItemStream, Page};
pub use request::Response;
#[doc(hidden)]
pub use request::{ApiRequest, Auth};
pub use retry::RetryPolicy;
