//! `flagright`: the Flagright API from the command line.
//!
//! Every operation of the API is a subcommand, generated from the spec
//! (`generated/commands.rs`, written by `cargo xtask generate`) and calling
//! the typed methods of `flagright-api`; `import` streams files through the
//! SDK's bulk importer; `webhooks` signs and verifies deliveries;
//! `completions` prints shell completions.

mod args;
mod config;
mod error;
mod import;
mod output;
mod webhooks;

#[rustfmt::skip]
mod generated {
    pub(crate) mod commands;
}

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::error::{CliError, EXIT_CODES_HELP, exit};
use crate::output::Output;

#[tokio::main]
async fn main() -> ExitCode {
    let matches = match root_command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            // Help and version go to stdout with 0; mistakes to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let verbose = matches.get_flag("verbose");
    match run(&matches).await {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            error.report(verbose);
            error.exit_code()
        }
    }
}

/// Runs the command; returns the exit code of a run that completed.
async fn run(matches: &ArgMatches) -> Result<u8, CliError> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(args::unknown_command(""));
    };
    match name {
        "completions" => completions(sub),
        "webhooks" => webhooks::run(sub),
        "import" => {
            let client = config::client(matches)?;
            import::run(&client, sub).await
        }
        group => {
            let client = config::client(matches)?;
            generated::commands::run(&client, group, sub, &Output::detect()).await?;
            Ok(exit::OK)
        }
    }
}

/// The whole command tree.
fn root_command() -> Command {
    let mut root = Command::new("flagright")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Flagright API from the command line: every operation, bulk imports, webhook signatures.")
        .long_about(
            "The Flagright API from the command line: every operation, bulk imports from \
             NDJSON or JSON files, webhook signatures.\n\n\
             The API key is read from FLAGRIGHT_API_KEY or from the file named by \
             --api-key-file; it is never printed. Answers are JSON on standard output \
             (pretty on a terminal), listings one item per line (NDJSON); errors are one \
             line on standard error (--verbose adds the request id and the causes).",
        )
        .after_help(EXIT_CODES_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(config::global_args())
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .help("On failure, also print the request id and the chain of causes"),
        );
    for group in generated::commands::groups() {
        root = root.subcommand(group);
    }
    root.subcommand(import::command())
        .subcommand(webhooks::command())
        .subcommand(
            Command::new("completions")
                .about(
                    "Print the shell completion script for bash, zsh, fish, elvish or powershell",
                )
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

/// `flagright completions SHELL`.
fn completions(matches: &ArgMatches) -> Result<u8, CliError> {
    let shell = args::required(
        matches.get_one::<clap_complete::Shell>("shell").copied(),
        "shell",
    )?;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut root_command(), "flagright", &mut script);
    output::write_line(script.trim_ascii_end())?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        root_command().debug_assert();
    }
}
