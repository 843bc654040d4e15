//! Lowering `servers` into environments and `securitySchemes` into the auth header.

use crate::error::{Pointer, Result};
use crate::ir::{Auth, Environment};
use crate::naming::{Namer, type_name};
use serde_json::Value;

/// One environment per server, and per value of its variables (default server first).
pub(crate) fn environments(root: &Value) -> Result<Vec<Environment>> {
    let at = Pointer::root().push("servers");
    let Some(servers) = root.get("servers") else {
        return Ok(vec![Environment {
            name: String::from("Default"),
            url: String::from("/"),
            doc: String::from("The spec names no server; set a base URL on the client builder."),
        }]);
    };
    let servers = servers
        .as_array()
        .ok_or_else(|| at.error("must be a list"))?;
    let mut namer = Namer::default();
    let mut out = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let s_at = at.push(i.to_string());
        let url = server
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| s_at.push("url").error("a server needs a `url` string"))?;
        let description = server
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        let base = server
            .get("x-name")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| (!description.is_empty()).then(|| description.to_owned()))
            .unwrap_or_else(|| format!("server {}", i + 1));
        for (suffix, expanded) in expand(url, server.get("variables"), &s_at)? {
            let name = namer.unique(&type_name(&format!("{base} {suffix}")));
            let what = if description.is_empty() {
                format!("Server {}.", i + 1)
            } else {
                description.to_owned()
            };
            let names: Vec<&String> = server
                .get("variables")
                .and_then(Value::as_object)
                .map(|vars| vars.keys().collect())
                .unwrap_or_default();
            let values: Vec<String> = names
                .iter()
                .zip(suffix.split(' ').filter(|v| !v.is_empty()))
                .map(|(k, v)| format!("{k} `{v}`"))
                .collect();
            let doc = if values.is_empty() {
                format!("{what}\n\nBase URL `{expanded}`.")
            } else {
                format!("{what}\n\nBase URL `{expanded}` ({}).", values.join(", "))
            };
            out.push(Environment {
                name,
                url: expanded.trim_end_matches('/').to_owned(),
                doc,
            });
        }
    }
    if out.is_empty() {
        return Err(at.error("the list of servers is empty"));
    }
    Ok(out)
}

/// Expands server variables: every `enum` value, default first; variables without an enum use their default.
fn expand(url: &str, variables: Option<&Value>, at: &Pointer) -> Result<Vec<(String, String)>> {
    let mut results = vec![(String::new(), url.to_owned())];
    let Some(variables) = variables else {
        return Ok(results);
    };
    let variables = variables
        .as_object()
        .ok_or_else(|| at.push("variables").error("must be a mapping"))?;
    for (name, variable) in variables {
        let v_at = at.push("variables").push(name);
        let default = variable
            .get("default")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                v_at.push("default")
                    .error("a server variable needs a string `default`")
            })?;
        let mut values = vec![default.to_owned()];
        if let Some(list) = variable.get("enum").and_then(Value::as_array) {
            for value in list.iter().filter_map(Value::as_str) {
                if !values.iter().any(|v| v == value) {
                    values.push(value.to_owned());
                }
            }
        }
        let placeholder = format!("{{{name}}}");
        let single = values.len() == 1;
        let placeholder = &placeholder;
        let values = &values;
        results = results
            .into_iter()
            .flat_map(|(suffix, url)| {
                values.iter().map(move |value| {
                    let suffix = match (single, suffix.is_empty()) {
                        (true, _) => suffix.clone(),
                        (false, true) => value.clone(),
                        (false, false) => format!("{suffix} {value}"),
                    };
                    (suffix, url.replace(placeholder.as_str(), value))
                })
            })
            .collect();
    }
    Ok(results)
}

/// The first security scheme the API applies, as the runtime's auth kind.
pub(crate) fn auth(root: &Value) -> Result<Auth> {
    let at = Pointer::root().push("components").push("securitySchemes");
    let Some(schemes) = root
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    else {
        return Ok(Auth::None);
    };
    // The schemes named in the top-level `security` first, in order, then the
    // others as declared; the first one the runtime can send wins. A document
    // whose schemes are all unsupported gets a client without authentication
    // (headers can still be added with `default_header`).
    let preferred: Vec<&str> = root
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(String::as_str))
        .collect();
    let ordered = preferred
        .iter()
        .filter_map(|name| schemes.get_key_value(*name))
        .chain(schemes.iter());
    let mut first_error = None;
    for (name, scheme) in ordered {
        match scheme_auth(scheme, &at.push(name)) {
            Ok(auth) => return Ok(auth),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    // A malformed scheme (not merely an unsupported one) is still an error.
    match first_error {
        Some(err) if !err.message.contains("not supported") => Err(err),
        _ => Ok(Auth::None),
    }
}

/// How one security scheme is sent, if the runtime supports it.
fn scheme_auth(scheme: &Value, s_at: &Pointer) -> Result<Auth> {
    let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "apiKey" => {
            let location = scheme.get("in").and_then(Value::as_str).unwrap_or("");
            if location != "header" {
                return Err(s_at.push("in").error(format!(
                    "API keys in `{location}` are not supported; only `header`"
                )));
            }
            let header = scheme.get("name").and_then(Value::as_str).ok_or_else(|| {
                s_at.push("name")
                    .error("an apiKey scheme needs a header `name`")
            })?;
            Ok(Auth::Header(header.to_owned()))
        }
        "http" => {
            let http = scheme
                .get("scheme")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            match http.as_deref() {
                Some("bearer") => Ok(Auth::Bearer),
                Some("basic") => Ok(Auth::Basic),
                other => Err(s_at.push("scheme").error(format!(
                    "HTTP authentication scheme `{}` is not supported",
                    other.unwrap_or("")
                ))),
            }
        }
        "oauth2" | "openIdConnect" => Ok(Auth::Bearer),
        other => Err(s_at
            .push("type")
            .error(format!("security scheme type `{other}` is not supported"))),
    }
}
