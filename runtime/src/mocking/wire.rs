//! The wire side of the mock: path templates, raw parameters, and the
//! encoding of bodies, for the generated `Operation` impls.

use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::Request;

use super::Operation;

/// A piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Literal(&'static str),
    /// A parameter (its wire name), one non-empty run without `/`.
    Param(&'static str),
}

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
}

/// The raw parameters of a request that matched an operation's method and
/// path: path captures (percent-decoded), query pairs and headers.
#[derive(Debug)]
pub struct RawParams<'r> {
    path: Vec<(&'static str, String)>,
    request: &'r Request,
}

impl<'r> RawParams<'r> {
    /// The parameters of `request` when it is a call of `Op`.
    pub(super) fn of<Op: Operation>(request: &'r Request) -> Option<Self> {
        if request.method.as_str() != Op::METHOD {
            return None;
        }
        let mut path = Vec::new();
        if !match_path(Op::PATH, request.url.path(), &mut path) {
            return None;
        }
        // Another operation's template that fits more specifically wins.
        let mine = specificity(Op::PATH);
        let taken = Op::TEMPLATES.iter().any(|(method, pieces)| {
            *method == Op::METHOD
                && specificity(pieces) > mine
                && match_path(pieces, request.url.path(), &mut Vec::new())
        });
        if taken {
            return None;
        }
        let path = path
            .into_iter()
            .map(|(name, raw)| {
                (
                    name,
                    percent_decode_str(raw).decode_utf8_lossy().into_owned(),
                )
            })
            .collect();
        Some(Self { path, request })
    }

    /// Every raw value of the parameter `name` at `location`.
    fn values(&self, location: Location, name: &str) -> Vec<String> {
        match location {
            Location::Path => self
                .path
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Query => self
                .request
                .url
                .query_pairs()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.into_owned())
                .collect(),
            Location::Header => self
                .request
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// A required parameter.
    pub fn required<T: DeserializeOwned>(
        &self,
        location: Location,
        name: &str,
    ) -> Result<T, String> {
        self.optional(location, name)?
            .ok_or_else(|| format!("the {location:?} parameter `{name}` is missing"))
    }

    /// An optional parameter.
    pub fn optional<T: DeserializeOwned>(
        &self,
        location: Location,
        name: &str,
    ) -> Result<Option<T>, String> {
        self.values(location, name)
            .first()
            .map(|raw| parse_param(raw, name))
            .transpose()
    }

    /// A list parameter: repeated pairs when `explode`, else comma-separated.
    pub fn list<T: DeserializeOwned>(
        &self,
        location: Location,
        name: &str,
        explode: bool,
    ) -> Result<Option<Vec<T>>, String> {
        let values = self.values(location, name);
        if values.is_empty() {
            return Ok(None);
        }
        let items: Vec<&str> = if explode && location == Location::Query {
            values.iter().map(String::as_str).collect()
        } else {
            values.iter().flat_map(|v| v.split(',')).collect()
        };
        items
            .into_iter()
            .map(|raw| parse_param(raw, name))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A required list parameter.
    pub fn required_list<T: DeserializeOwned>(
        &self,
        location: Location,
        name: &str,
        explode: bool,
    ) -> Result<Vec<T>, String> {
        Ok(self.list(location, name, explode)?.unwrap_or_default())
    }
}

/// One parameter value: as a JSON string first (text, enums), then as JSON
/// (numbers, booleans).
fn parse_param<T: DeserializeOwned>(raw: &str, name: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .or_else(|_| serde_json::from_str(raw))
        .map_err(|error| format!("the parameter `{name}` ({raw:?}) does not decode: {error}"))
}

/// How specific a template is: fewer parameters, then more literal text.
fn specificity(pieces: &[Piece]) -> (usize, usize) {
    let params = pieces
        .iter()
        .filter(|piece| matches!(piece, Piece::Param(_)))
        .count();
    let literal = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.len(),
            Piece::Param(_) => 0,
        })
        .sum();
    (usize::MAX - params, literal)
}

/// Whether `path` fits `pieces`, pushing the parameters' raw values.
fn match_path<'p>(pieces: &[Piece], path: &'p str, out: &mut Vec<(&'static str, &'p str)>) -> bool {
    match pieces.split_first() {
        None => path.is_empty(),
        Some((Piece::Literal(text), rest)) => path
            .strip_prefix(text)
            .is_some_and(|tail| match_path(rest, tail, out)),
        Some((Piece::Param(name), rest)) => {
            let segment = path.find('/').unwrap_or(path.len());
            for end in (1..=segment)
                .rev()
                .filter(|end| path.is_char_boundary(*end))
            {
                out.push((name, &path[..end]));
                if match_path(rest, &path[end..], out) {
                    return true;
                }
                out.pop();
            }
            false
        }
    }
}

/// An encoded success body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub(super) content_type: Option<&'static str>,
    pub(super) body: Vec<u8>,
}

/// A JSON success body.
pub fn json_reply<T: Serialize>(value: &T) -> Result<Reply, String> {
    serde_json::to_vec(value)
        .map(|body| Reply {
            content_type: Some("application/json"),
            body,
        })
        .map_err(|error| format!("the response cannot be encoded as JSON: {error}"))
}

/// A text success body.
pub fn text_reply(value: &str) -> Result<Reply, String> {
    Ok(Reply {
        content_type: Some("text/plain; charset=utf-8"),
        body: value.as_bytes().to_vec(),
    })
}

/// A binary success body.
pub fn bytes_reply(value: &bytes::Bytes) -> Result<Reply, String> {
    Ok(Reply {
        content_type: Some("application/octet-stream"),
        body: value.to_vec(),
    })
}

/// No success body.
pub fn empty_reply(_: &()) -> Result<Reply, String> {
    Ok(Reply {
        content_type: None,
        body: Vec::new(),
    })
}

/// A JSON request body.
pub fn json_request<T: DeserializeOwned>(raw: &[u8]) -> Result<T, String> {
    serde_json::from_slice(raw).map_err(|error| format!("the JSON body does not decode: {error}"))
}

/// A form request body.
pub fn form_request<T: DeserializeOwned>(raw: &[u8]) -> Result<T, String> {
    serde_urlencoded::from_bytes(raw)
        .map_err(|error| format!("the form body does not decode: {error}"))
}

/// A text request body.
pub fn text_request(raw: &[u8]) -> Result<String, String> {
    String::from_utf8(raw.to_vec()).map_err(|_| String::from("the text body is not UTF-8"))
}

/// A binary (or multipart) request body, as sent.
pub fn bytes_request(raw: &[u8]) -> Result<bytes::Bytes, String> {
    Ok(bytes::Bytes::copy_from_slice(raw))
}

/// No request body.
pub fn no_request(_: &[u8]) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Piece, match_path};

    #[test]
    fn literal_templates_are_more_specific() {
        let login = [Piece::Literal("/user/login")];
        let by_name = [Piece::Literal("/user/"), Piece::Param("username")];
        assert!(super::specificity(&login) > super::specificity(&by_name));
    }

    #[test]
    fn paths_match_their_template() {
        let pieces = [
            Piece::Literal("/transactions/"),
            Piece::Param("transactionId"),
        ];
        let mut out = Vec::new();
        assert!(match_path(&pieces, "/transactions/t-1", &mut out));
        assert_eq!(out, [("transactionId", "t-1")]);
        out.clear();
        assert!(!match_path(&pieces, "/transactions/", &mut out));
        assert!(!match_path(&pieces, "/transactions/a/b", &mut out));
        let files = [
            Piece::Literal("/files/"),
            Piece::Param("name"),
            Piece::Literal(".json"),
        ];
        out.clear();
        assert!(match_path(&files, "/files/a.b.json", &mut out));
        assert_eq!(out, [("name", "a.b")]);
    }
}
