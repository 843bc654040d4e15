//! What an error says to check after a request that may have been processed:
//! the `GET` that reads back what it creates, with the real id.
//!
//! The generated code names that `GET` as a template whose last segment is
//! the body field holding the id (`GET /transactions/{transactionId}`). The
//! id is only read from the request body here, when such an error is made,
//! so a request that succeeds pays nothing for it.

use std::borrow::Cow;
use std::fmt;

use reqwest::Method;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::error::Unconfirmed;
use super::input::path_segment;
use super::redact::Redactor;
use super::request::ApiRequest;

/// Longest encoded id put into a path to check with; a longer one would
/// make the message unreadable, so the template is named instead.
const ID_BYTES: usize = 256;

/// Details of `request`, which may have been processed; `resent` says
/// whether it was sent more than once.
pub(crate) fn unconfirmed(redactor: &Redactor, request: &ApiRequest, resent: bool) -> Unconfirmed {
    Unconfirmed {
        method: method_name(&request.method),
        check_with: request.check_with.map(|template| {
            with_id(template, request, redactor)
                .unwrap_or_else(|| template.to_owned())
                .into_boxed_str()
        }),
        resent,
    }
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::POST => "POST",
        Method::PATCH => "PATCH",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::GET => "GET",
        _ => "HTTP",
    }
}

/// `template` (`GET /transactions/{transactionId}`) as the real path: the
/// request's own encoded path, then the body's `transactionId`, encoded as
/// one path segment. `None` when the template does not extend the request's
/// path by one `{field}` segment, the body is not JSON, it has no such
/// string field, or the id is unusable in a message (too long, or holding
/// the API key).
fn with_id(template: &str, request: &ApiRequest, redactor: &Redactor) -> Option<String> {
    let (method, path) = template.split_once(' ')?;
    let (prefix, last) = path.rsplit_once('/')?;
    let field = last.strip_prefix('{')?.strip_suffix('}')?;
    let own = request.path.trim_end_matches('/');
    let (mut wanted, mut have) = (prefix.split('/'), own.split('/'));
    loop {
        match (wanted.next(), have.next()) {
            (None, None) => break,
            (Some(w), Some(_)) if w.starts_with('{') && w.ends_with('}') => {}
            (Some(w), Some(h)) if w == h => {}
            _ => return None,
        }
    }
    let body = request.body.as_ref()?;
    if request.content_type.is_some() || body.content_type().is_some() {
        return None;
    }
    let id = top_level_string(body.bytes(), field)?;
    if let Cow::Owned(_) = redactor.redact_str(&id) {
        return None;
    }
    let segment = path_segment::<()>(field, &id).ok()?;
    if segment.len() > ID_BYTES {
        return None;
    }
    Some(format!("{method} {own}/{segment}"))
}

/// The string value of the top-level field `name` of the JSON object
/// `json`, found without building the rest of the document.
fn top_level_string(json: &[u8], name: &str) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    Field(name).deserialize(&mut deserializer).ok().flatten()
}

/// Reads one field of an object, skipping the others.
struct Field<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for Field<'_> {
    type Value = Option<String>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Field<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // The whole object is read: serde_json fails a map left unfinished.
        let mut found = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if found.is_none() && key == self.0 {
                let value: serde_json::Value = map.next_value()?;
                found = Some(value.as_str().map(str::to_owned));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found.flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::RequestBody;

    fn post(path: &str, body: &str, check_with: &'static str) -> ApiRequest {
        ApiRequest {
            method: Method::POST,
            path: path.to_owned(),
            query: Vec::new(),
            body: Some(RequestBody::new(bytes::Bytes::from(body.to_owned()))),
            content_type: None,
            operation_id: "create",
            error_statuses: &[],
            check_with: Some(check_with),
        }
    }

    fn check(request: &ApiRequest) -> Option<Box<str>> {
        unconfirmed(&Redactor::new(Some("sk-secret-key-1")), request, false).check_with
    }

    #[test]
    fn the_id_comes_from_the_body_encoded_as_a_segment() {
        let template = "GET /transactions/{transactionId}";
        let request = post(
            "/transactions",
            r#"{"type":"T","nested":{"transactionId":"no"},"transactionId":"txn 1/2","n":1}"#,
            template,
        );
        assert_eq!(
            check(&request).as_deref(),
            Some("GET /transactions/txn%201%2F2")
        );
        let request = post(
            "/a/b%20c/items",
            r#"{"itemId":"i-1"}"#,
            "GET /a/{x}/items/{itemId}",
        );
        assert_eq!(check(&request).as_deref(), Some("GET /a/b%20c/items/i-1"));
    }

    #[test]
    fn the_template_stays_when_the_id_is_missing_or_unusable() {
        let template = "GET /transactions/{transactionId}";
        for body in [
            r#"{"type":"T"}"#,
            r#"{"transactionId":42}"#,
            r#"{"transactionId":""}"#,
            r#"{"transactionId":".."}"#,
            r#"{"transactionId":"has sk-secret-key-1 in it"}"#,
            r#"[{"transactionId":"t"}]"#,
            "not json",
        ] {
            let request = post("/transactions", body, template);
            assert_eq!(check(&request).as_deref(), Some(template), "{body}");
        }
        let long = format!(r#"{{"transactionId":"{}"}}"#, "x".repeat(300));
        let request = post("/transactions", &long, template);
        assert_eq!(check(&request).as_deref(), Some(template));
        // A template that does not extend the request's own path.
        let request = post("/other", r#"{"transactionId":"t"}"#, template);
        assert_eq!(check(&request).as_deref(), Some(template));
        let mut form = post("/transactions", r#"{"transactionId":"t"}"#, template);
        form.content_type = Some("application/x-www-form-urlencoded");
        assert_eq!(check(&form).as_deref(), Some(template));
    }
}
