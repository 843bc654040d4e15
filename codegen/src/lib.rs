//! OpenAPI 3.0 to Rust client generator.
//!
//! A pure library: a spec's text goes in, a list of (relative path, file text)
//! comes out. It reads and writes no files; `xtask` decides where output goes.

pub mod error;
pub mod spec;

pub use error::{Error, Pointer, Result};
pub use spec::{Spec, load};
