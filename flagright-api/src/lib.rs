//! Typed async client for the [Flagright](https://www.flagright.com) API.
//!
//! The models and endpoint functions in this crate are generated from the
//! OpenAPI description in the repository's `spec/` folder by
//! `cargo xtask generate`; the small runtime around them (client, auth,
//! retries, errors, pagination) is written by hand.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[rustfmt::skip]
mod generated;
mod runtime;

pub use generated::*;
pub use runtime::*;
