//! `flagright webhooks verify|sign`: check or make the signature of a
//! delivery body, with the secret read from an environment variable (so it
//! stays out of shell history).

use clap::{Arg, ArgMatches, Command};
use flagright_api::webhooks::{self, SIGNATURE_HEADER};

use crate::args;
use crate::error::{CliError, exit};

/// The `webhooks` command.
pub(crate) fn command() -> Command {
    let secret = || {
        Arg::new("secret_env")
            .long("secret-env")
            .value_name("NAME")
            .required(true)
            .help("Environment variable holding the webhook's signing secret")
    };
    let file = || {
        Arg::new("file")
            .long("file")
            .short('f')
            .value_name("PATH")
            .default_value("-")
            .help("The raw delivery body (default: standard input)")
    };
    Command::new("webhooks")
        .about("Verify or sign webhook deliveries (the x-flagright-signature header)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("verify")
                .about("Check a delivery's signature and event; exit 0 when valid, 8 when not")
                .arg(secret())
                .arg(
                    Arg::new("signature")
                        .long("signature")
                        .value_name("SIG")
                        .required(true)
                        .help(format!(
                            "The value of the {SIGNATURE_HEADER} header as received"
                        )),
                )
                .arg(file()),
        )
        .subcommand(
            Command::new("sign")
                .about(format!(
                    "Print the {SIGNATURE_HEADER} header value Flagright would send with a body"
                ))
                .arg(secret())
                .arg(file()),
        )
}

/// Runs `webhooks verify` or `webhooks sign`.
pub(crate) fn run(matches: &ArgMatches) -> Result<u8, CliError> {
    let Some((verb, m)) = matches.subcommand() else {
        return Err(args::unknown_command(""));
    };
    let secret = secret(m)?;
    let path = m.get_one::<String>("file").map_or("-", String::as_str);
    let body = args::read_input(path)?;
    match verb {
        "sign" => {
            crate::output::write_line(webhooks::sign(&body, &secret).as_bytes())?;
            Ok(exit::OK)
        }
        "verify" => {
            let signature = args::required(m.get_one::<String>("signature"), "signature")?;
            match webhooks::verify(&body, signature, &[&secret]) {
                Ok(event) => {
                    let line = format!(
                        "valid: {} event {}",
                        event.tag().unwrap_or("unknown"),
                        event.id().unwrap_or("(no id)")
                    );
                    crate::output::write_line(line.as_bytes())?;
                    Ok(exit::OK)
                }
                Err(e) => Err(CliError::new(
                    exit::WEBHOOK_INVALID,
                    format!("not valid: {e}"),
                )),
            }
        }
        other => Err(args::unknown_command(other)),
    }
}

/// The secret from the environment variable named by `--secret-env`.
fn secret(m: &ArgMatches) -> Result<String, CliError> {
    let name = args::required(m.get_one::<String>("secret_env"), "secret-env")?;
    match std::env::var(name) {
        Ok(secret) if !secret.is_empty() => Ok(secret),
        Ok(_) => Err(CliError::config(format!(
            "the environment variable {name} is empty"
        ))),
        Err(_) => Err(CliError::config(format!(
            "the environment variable {name} is not set (it should hold the webhook secret)"
        ))),
    }
}
