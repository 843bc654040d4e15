//! OpenAPI 3.0 to Rust client generator (work in progress).
