//! Writing answers to standard output: JSON, pretty on a terminal and
//! compact otherwise; item streams as NDJSON.

use std::io::{IsTerminal, Write};

use futures_util::StreamExt;
use serde::Serialize;

use crate::error::CliError;

/// Where answers go, and how they look.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    pretty: bool,
}

impl Output {
    /// Pretty JSON when standard output is a terminal, compact otherwise.
    pub(crate) fn detect() -> Self {
        Output {
            pretty: std::io::stdout().is_terminal(),
        }
    }

    /// Writes `value` as JSON and a newline.
    pub(crate) fn json<T: Serialize>(&self, value: &T) -> Result<(), CliError> {
        let text = if self.pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(|e| {
            CliError::new(
                crate::error::exit::DECODE,
                format!("cannot write the answer as JSON: {e}"),
            )
        })?;
        write_line(text.as_bytes())
    }

    /// Writes every item of `stream` as one line of compact JSON, stopping
    /// after `max_items` when set.
    pub(crate) async fn stream<T: Serialize>(
        &self,
        stream: flagright_api::ItemStream<'_, T>,
        max_items: Option<u64>,
    ) -> Result<(), CliError> {
        let mut stream = stream;
        let mut written = 0u64;
        while max_items.is_none_or(|max| written < max) {
            let Some(item) = stream.next().await else {
                break;
            };
            let text = serde_json::to_string(&item?).map_err(|e| {
                CliError::new(
                    crate::error::exit::DECODE,
                    format!("cannot write an item as JSON: {e}"),
                )
            })?;
            write_line(text.as_bytes())?;
            written += 1;
        }
        Ok(())
    }

    /// Writes raw bytes as they are.
    #[allow(dead_code)] // Used by generated commands for binary answers.
    pub(crate) fn bytes(&self, bytes: &[u8]) -> Result<(), CliError> {
        write_all(bytes)
    }

    /// Writes text and a newline.
    #[allow(dead_code)] // Used by generated commands for `text/*` answers.
    pub(crate) fn text(&self, text: &str) -> Result<(), CliError> {
        write_line(text.as_bytes())
    }
}

/// Writes `bytes` and a newline to standard output.
pub(crate) fn write_line(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    finish(out.write_all(bytes).and_then(|()| out.write_all(b"\n")))
}

fn write_all(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    finish(out.write_all(bytes).and_then(|()| out.flush()))
}

/// A closed pipe (`flagright ... | head`) is not a failure: the reader has
/// what it wanted, so the process ends quietly, as it would on `SIGPIPE`.
fn finish(result: std::io::Result<()>) -> Result<(), CliError> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::process::exit(i32::from(crate::error::exit::OK))
        }
        Err(e) => Err(CliError::usage(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}
