// Temporary hand-written stand-in until `cargo xtask generate` produces this module.
//! Code generated from `spec/`.

/// Where requests are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// Sandbox, eu-1.
    #[default]
    SandboxEu1,
}

impl Environment {
    /// Base URL of this environment, without a trailing slash.
    pub fn base_url(&self) -> &'static str {
        match self {
            Environment::SandboxEu1 => "https://sandbox.api.flagright.com",
        }
    }
}

/// How requests are authenticated.
pub(crate) const AUTH: crate::runtime::Auth = crate::runtime::Auth::Header { name: "x-api-key" };
/// Prefix of the environment variables read by `Client::from_env`.
pub(crate) const ENV_PREFIX: &str = "FLAGRIGHT";
/// The body the API documents for its error responses.
pub type ErrorBody = serde_json::Value;
