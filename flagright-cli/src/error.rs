//! What can go wrong, and the exit code each kind of failure gives.

use std::error::Error as StdError;
use std::fmt;
use std::process::ExitCode;

/// The exit codes of `flagright`, by kind of failure.
pub(crate) mod exit {
    /// Success.
    pub(crate) const OK: u8 = 0;
    /// A bad command line, or an input file or body that cannot be read or parsed.
    pub(crate) const USAGE: u8 = 2;
    /// Configuration: no API key, an unreadable key file, an unknown
    /// environment or a bad base URL, a missing webhook secret.
    pub(crate) const CONFIG: u8 = 3;
    /// The API answered with a 4xx status (bad request, unauthorized, not found, ...).
    pub(crate) const API_CLIENT: u8 = 4;
    /// The API answered with a 5xx status, or the request failed on the
    /// way (refused connection, DNS, TLS, timeout).
    pub(crate) const API_SERVER: u8 = 5;
    /// The answer could not be decoded into the SDK's type.
    pub(crate) const DECODE: u8 = 6;
    /// An import ended with records not imported (rejected, failed,
    /// invalid, or interrupted).
    pub(crate) const IMPORT_INCOMPLETE: u8 = 7;
    /// A webhook signature did not verify.
    pub(crate) const WEBHOOK_INVALID: u8 = 8;
}

/// The exit codes, as `--help` and the README show them.
pub(crate) const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  2  usage: bad arguments, or an input file or body that cannot be read or parsed
  3  configuration: no API key, unreadable key file, bad environment or base URL, missing secret
  4  the API answered 4xx (bad request, unauthorized, forbidden, not found, rate limited)
  5  the API answered 5xx, or the request failed on the way (connection, DNS, TLS, timeout)
  6  the answer could not be decoded
  7  import incomplete: records rejected, not imported, invalid, or the import was interrupted
  8  webhook signature not valid";

/// A failure of a command: its exit code, a one-line message, and details
/// shown with `--verbose`. Never holds the API key.
#[derive(Debug)]
pub(crate) struct CliError {
    /// The process exit code (see [`exit`]).
    pub(crate) code: u8,
    /// One line for standard error.
    pub(crate) message: String,
    /// More lines for `--verbose`: the request id, the chain of causes.
    pub(crate) details: Vec<String>,
}

impl CliError {
    /// A failure with `code` and `message`.
    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// A usage error (bad input).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(exit::USAGE, message)
    }

    /// A configuration error.
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(exit::CONFIG, message)
    }

    /// The exit code as a process exit code.
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }

    /// Writes the message (and, when `verbose`, the details) to standard error.
    pub(crate) fn report(&self, verbose: bool) {
        eprintln!("error: {}", self.message);
        if verbose {
            for line in &self.details {
                eprintln!("  {line}");
            }
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit code for an SDK error.
pub(crate) fn code_of(error: &flagright_api::Error) -> u8 {
    use flagright_api::Error;
    match error {
        Error::Api(api) if api.status.is_server_error() => exit::API_SERVER,
        Error::Api(_) | Error::Redirect { .. } => exit::API_CLIENT,
        Error::Timeout { .. } | Error::Transport { .. } | Error::ResponseTooLarge { .. } => {
            exit::API_SERVER
        }
        Error::Decode { .. } | Error::Pagination { .. } => exit::DECODE,
        Error::InvalidInput { .. } => exit::USAGE,
        Error::Config { .. } => exit::CONFIG,
        _ => exit::API_SERVER,
    }
}

/// The `--verbose` lines of an SDK error: request id, attempts, causes.
pub(crate) fn details_of(error: &flagright_api::Error) -> Vec<String> {
    let mut details = Vec::new();
    if let Some(api) = error.api_error() {
        details.push(format!("status: {}", api.status));
        details.push(format!(
            "request id: {}",
            api.request_id().unwrap_or("(none sent)")
        ));
    }
    if let Some(attempts) = error.attempts() {
        details.push(format!("attempts: {attempts}"));
    }
    let mut source = StdError::source(error);
    while let Some(cause) = source {
        details.push(format!("caused by: {cause}"));
        source = cause.source();
    }
    details
}

impl From<flagright_api::Error> for CliError {
    fn from(error: flagright_api::Error) -> Self {
        CliError {
            code: code_of(&error),
            message: error.to_string(),
            details: details_of(&error),
        }
    }
}
