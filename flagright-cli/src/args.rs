//! Reading the values of a command line: what the generated commands call
//! to turn arguments and body files into the SDK's types.

use std::io::Read;

use clap::ArgMatches;
use serde::de::DeserializeOwned;

use crate::error::CliError;

/// `value`, or a usage error naming the argument `id` when it is missing.
pub(crate) fn required<T>(value: Option<T>, id: &str) -> Result<T, CliError> {
    value.ok_or_else(|| CliError::usage(format!("the argument `{id}` is required")))
}

/// The error for a subcommand the tool does not know.
pub(crate) fn unknown_command(name: &str) -> CliError {
    if name.is_empty() {
        CliError::usage("a subcommand is required; see `flagright --help`")
    } else {
        CliError::usage(format!("unknown command `{name}`; see `flagright --help`"))
    }
}

/// Reads a string enum from its wire value.
#[allow(dead_code)] // Used by generated commands when the spec has enum parameters.
pub(crate) fn enum_value<T: DeserializeOwned>(id: &str, text: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| CliError::usage(format!("invalid value `{text}` for `{id}`: {e}")))
}

/// Reads a value given as JSON text (an object or a list).
#[allow(dead_code)] // Used by generated commands when the spec has object parameters.
pub(crate) fn json_value<T: DeserializeOwned>(id: &str, text: &str) -> Result<T, CliError> {
    serde_json::from_str(text).map_err(|e| CliError::usage(format!("invalid JSON for `{id}`: {e}")))
}

/// The argument `id`, read as text by clap, converted by `convert`.
#[allow(dead_code)] // Used by generated commands for enum and object parameters.
pub(crate) fn converted<T>(
    m: &ArgMatches,
    id: &str,
    convert: fn(&str, &str) -> Result<T, CliError>,
) -> Result<Option<T>, CliError> {
    m.get_one::<String>(id)
        .map(|text| convert(id, text))
        .transpose()
}

/// Every value of the repeated argument `id`, each converted by `convert`.
#[allow(dead_code)] // Used by generated commands for lists of enums.
pub(crate) fn converted_list<T>(
    m: &ArgMatches,
    id: &str,
    convert: fn(&str, &str) -> Result<T, CliError>,
) -> Result<Option<Vec<T>>, CliError> {
    m.get_many::<String>(id)
        .map(|values| values.map(|text| convert(id, text)).collect())
        .transpose()
}

/// The bytes of `--file PATH` (`-` for standard input), if given.
pub(crate) fn body_bytes(m: &ArgMatches) -> Result<Option<Vec<u8>>, CliError> {
    let Some(path) = m.get_one::<String>("file") else {
        return Ok(None);
    };
    read_input(path).map(Some)
}

/// The text of `--file PATH`, if given.
#[allow(dead_code)] // Used by generated commands for `text/*` bodies.
pub(crate) fn body_text(m: &ArgMatches) -> Result<Option<String>, CliError> {
    body_bytes(m)?
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|_| CliError::usage("the body is not UTF-8 text"))
        })
        .transpose()
}

/// The JSON body of `--file PATH`, decoded into the SDK's type, if given.
/// A body that does not fit the type is a usage error naming where it
/// went wrong.
pub(crate) fn body<T: DeserializeOwned>(m: &ArgMatches) -> Result<Option<T>, CliError> {
    let Some(bytes) = body_bytes(m)? else {
        return Ok(None);
    };
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        CliError::usage(format!("the body is not valid: at `{path}`: {}", e.inner()))
    })?;
    de.end()
        .map_err(|e| CliError::usage(format!("the body is not valid: {e}")))?;
    Ok(Some(value))
}

/// The bytes of a file, or of standard input for `-`.
pub(crate) fn read_input(path: &str) -> Result<Vec<u8>, CliError> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))
    }
}
