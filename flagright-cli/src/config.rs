//! The client's configuration: API key, environment or base URL, timeout
//! and retries, from global flags and the environment.

use std::time::Duration;

use clap::{Arg, ArgMatches};
use flagright_api::Client;

use crate::error::CliError;
use crate::generated::commands::ENVIRONMENTS;

/// The environment variable holding the API key.
pub(crate) const API_KEY_VAR: &str = "FLAGRIGHT_API_KEY";

/// The flags every API command takes.
pub(crate) fn global_args() -> Vec<Arg> {
    let names: Vec<&str> = ENVIRONMENTS.iter().map(|(name, _)| *name).collect();
    let default = names
        .first()
        .copied()
        .unwrap_or("the first server of the spec");
    vec![
        Arg::new("api_key_file")
            .long("api-key-file")
            .value_name("PATH")
            .global(true)
            .help_heading("Global options")
            .help(format!(
                "Read the API key from this file (default: the {API_KEY_VAR} environment variable)"
            )),
        Arg::new("env")
            .long("env")
            .value_name("NAME")
            .global(true)
            .help_heading("Global options")
            .value_parser(clap::builder::PossibleValuesParser::new(names.clone()))
            .help(format!("Environment (server) to call; default {default}")),
        Arg::new("base_url")
            .long("base-url")
            .value_name("URL")
            .global(true)
            .help_heading("Global options")
            .conflicts_with("env")
            .help("Base URL to call instead of an environment (a proxy, a mock server)"),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .global(true)
            .help_heading("Global options")
            .value_parser(clap::value_parser!(f64))
            .help("Timeout of each attempt, in seconds"),
        Arg::new("retries")
            .long("retries")
            .value_name("N")
            .global(true)
            .help_heading("Global options")
            .value_parser(clap::value_parser!(u32))
            .help("Retries of a failed request that is safe to retry"),
    ]
}

/// A client configured from the global flags and the environment.
pub(crate) fn client(matches: &ArgMatches) -> Result<Client, CliError> {
    let key = api_key(
        matches
            .get_one::<String>("api_key_file")
            .map(String::as_str),
    )?;
    let mut builder = Client::builder().api_key(key);
    if let Some(url) = matches.get_one::<String>("base_url") {
        builder = builder.base_url(url.as_str());
    } else if let Some(name) = matches.get_one::<String>("env") {
        let environment = ENVIRONMENTS
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, environment)| *environment)
            .ok_or_else(|| CliError::config(format!("unknown environment `{name}`")))?;
        builder = builder.environment(environment);
    }
    if let Some(seconds) = matches.get_one::<f64>("timeout").copied() {
        let timeout = Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|t| !t.is_zero())
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--timeout must be a positive number of seconds, not {seconds}"
                ))
            })?;
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = matches.get_one::<u32>("retries").copied() {
        builder = builder.max_retries(retries);
    }
    builder.build().map_err(|e| CliError::config(e.to_string()))
}

/// The API key: from the file when one is named, else from the environment.
fn api_key(file: Option<&str>) -> Result<String, CliError> {
    let key = match file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::config(format!("cannot read the API key file {path}: {e}")))?
            .trim()
            .to_owned(),
        None => std::env::var(API_KEY_VAR)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    };
    if key.is_empty() {
        let source = file.map_or_else(
            || format!("set {API_KEY_VAR} or pass --api-key-file PATH"),
            |path| format!("the file {path} is empty"),
        );
        return Err(CliError::config(format!("no API key: {source}")));
    }
    Ok(key)
}
