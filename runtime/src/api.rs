//! What a generated crate tells the runtime about its API.
//!
//! The runtime names no API: every fact that differs from one API to the
//! next (servers, authentication, environment variables, user agent, the
//! error body) comes in through [`Api`], which a generated crate implements
//! on a marker type, and [`BuildClient`](crate::BuildClient), which its
//! client types implement.

use std::fmt;

use serde::de::DeserializeOwned;

use super::error::Error;
use super::request::Auth;

/// The facts about one API that the runtime needs.
pub trait Api: Send + Sync + 'static {
    /// The servers the API is served from; `Default` is the one used when
    /// no other is chosen.
    type Environment: Copy + Default + fmt::Debug + Send + Sync + 'static;
    /// The body the API documents for its error responses.
    type ErrorBody: DeserializeOwned + fmt::Debug + Send + Sync + 'static;
    /// How every request authenticates.
    const AUTH: Auth;
    /// Prefix of the environment variables `from_env` reads
    /// (`{PREFIX}_API_KEY`, `{PREFIX}_BASE_URL`).
    const ENV_VAR_PREFIX: &'static str;
    /// The `user-agent` sent with every request, before any suffix.
    const USER_AGENT: &'static str;

    /// The base URL of `environment`, without a trailing slash.
    fn base_url(environment: Self::Environment) -> &'static str;
}

/// The error type of calls to API `A`.
pub type ApiResult<T, A> = Result<T, Error<<A as Api>::ErrorBody>>;

/// An API for the runtime's own tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Api, Auth};

    /// One server, a key in `x-api-key`.
    pub(crate) enum TestApi {}

    impl Api for TestApi {
        type Environment = ();
        type ErrorBody = serde_json::Value;
        const AUTH: Auth = Auth::Header { name: "x-api-key" };
        const ENV_VAR_PREFIX: &'static str = "TEST_API";
        const USER_AGENT: &'static str = "test-api-rust/1";

        fn base_url((): ()) -> &'static str {
            "https://api.example"
        }
    }

    /// The runtime's client for [`TestApi`].
    pub(crate) type TestClient = crate::Client<TestApi>;
}
