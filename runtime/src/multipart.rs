//! `multipart/form-data` request bodies (behind the `multipart` feature):
//! [`FilePart`], the file a caller uploads, and [`Multipart`], the parts of
//! one body, encoded once by reqwest's multipart writer so that retries
//! resend the same bytes.

use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};

use super::error::Error;
use super::finite::to_json;
use super::request::RequestBody;

/// The content type of a file part when neither the caller nor the API
/// description names one.
const OCTET_STREAM: &str = "application/octet-stream";

/// A file sent as one part of a `multipart/form-data` request: its bytes,
/// the file name the server sees, and optionally its content type.
///
/// ```
/// # #[cfg(feature = "multipart")] {
/// use openapi_client_rt::FilePart;
///
/// let photo = FilePart::new("rex.png", vec![0x89, b'P', b'N', b'G']).content_type("image/png");
/// assert_eq!(photo.file_name, "rex.png");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
pub struct FilePart {
    /// The file's contents.
    pub bytes: Bytes,
    /// The file name sent in the part's `Content-Disposition` (`filename="…"`).
    pub file_name: String,
    /// The part's `Content-Type`. `None` sends the type the API documents for
    /// the field, else `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file named `file_name` holding `bytes` (a `Vec<u8>`, `&'static [u8]`,
    /// [`Bytes`], ...), with no content type of its own.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// The same file with `content_type` (`image/png`) as its part's
    /// `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// How a [`FilePart`] is written by serde, for a model that holds one and is
/// stored or logged as JSON: its name, its content type, and its bytes in
/// base64. Multipart requests never use this; they send the raw bytes.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FilePartJson {
    file_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    bytes: String,
}

impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        FilePartJson {
            file_name: self.file_name.clone(),
            content_type: self.content_type.clone(),
            bytes: base64::engine::general_purpose::STANDARD.encode(&self.bytes),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let json = FilePartJson::deserialize(deserializer)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(json.bytes.as_bytes())
            .map_err(serde::de::Error::custom)?;
        Ok(FilePart {
            bytes: Bytes::from(bytes),
            file_name: json.file_name,
            content_type: json.content_type,
        })
    }
}

/// One part of a [`Multipart`] body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// The parts of a `multipart/form-data` request body, in the order they are
/// sent.
///
/// Generated request builders fill one from the fields of the body's model.
/// An operation whose body has no object schema takes a `Multipart` the
/// caller builds:
///
/// ```
/// # #[cfg(feature = "multipart")] {
/// use openapi_client_rt::{FilePart, Multipart};
///
/// let form: Multipart = Multipart::new()
///     .text("title", "Rex")
///     .file("photo", FilePart::new("rex.png", vec![1, 2, 3]).content_type("image/png"));
/// # let _ = form;
/// # }
/// ```
///
/// `B` is the API's error body, the one its fallible methods' errors carry;
/// a generated crate names it in its own `Multipart` alias.
#[cfg_attr(docsrs, doc(cfg(feature = "multipart")))]
pub struct Multipart<B = serde_json::Value> {
    parts: Vec<Part>,
    body: PhantomData<fn() -> B>,
}

// By hand: derives would ask the same of `B`, which only names the error.
impl<B> fmt::Debug for Multipart<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("parts", &self.parts)
            .finish()
    }
}

impl<B> Clone for Multipart<B> {
    fn clone(&self) -> Self {
        Multipart {
            parts: self.parts.clone(),
            body: PhantomData,
        }
    }
}

impl<B> Default for Multipart<B> {
    fn default() -> Self {
        Multipart {
            parts: Vec::new(),
            body: PhantomData,
        }
    }
}

impl<B> PartialEq for Multipart<B> {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl<B> Eq for Multipart<B> {}

impl<B> Multipart<B> {
    /// A body with no parts yet.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text part `name` (no `Content-Type`, which means `text/plain`).
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push_text(name.into(), value.into(), None);
        self
    }

    /// Adds a file part `name`.
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.push_file(&name.into(), &file, None);
        self
    }

    /// Adds a part `name` holding `value` as JSON (`Content-Type:
    /// application/json`).
    pub fn json<T: Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, Error<B>> {
        let name = name.into();
        let bytes = super::input::json_body::<_, B>(value)
            .map_err(|err| part_error(&name, &err.to_string()))?
            .into_bytes();
        self.parts.push(Part {
            name,
            bytes,
            file_name: None,
            content_type: Some(String::from("application/json")),
        });
        Ok(self)
    }

    /// Adds a file part; `documented` is the content type the API documents
    /// for it, used when the file has none of its own.
    #[doc(hidden)]
    pub fn push_file(&mut self, name: &str, file: &FilePart, documented: Option<&str>) {
        let content_type = file
            .content_type
            .clone()
            .or_else(|| documented.map(str::to_owned))
            .unwrap_or_else(|| String::from(OCTET_STREAM));
        self.parts.push(Part {
            name: name.to_owned(),
            bytes: file.bytes.clone(),
            file_name: Some(file.file_name.clone()),
            content_type: Some(content_type),
        });
    }

    /// Adds the parts of a model field: a string, number or boolean is a
    /// text part; a list sends one part per item; an object is a JSON part;
    /// `null` (an absent field) sends nothing. `documented` is the content
    /// type the API documents for the field (its `encoding`), which replaces
    /// the default one.
    #[doc(hidden)]
    pub fn push_value<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        documented: Option<&str>,
    ) -> Result<(), Error<B>> {
        let bytes = to_json(value).map_err(|problem| part_error(name, &format!("it {problem}")))?;
        let json: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|err| part_error(name, &err.to_string()))?;
        match json {
            serde_json::Value::Array(items) => {
                for item in items {
                    self.push_json(name, item, documented);
                }
            }
            // Written from the value itself, so a model keeps its field order.
            serde_json::Value::Object(_) => {
                self.push_json_bytes(name, Bytes::from(bytes), documented);
            }
            json => self.push_json(name, json, documented),
        }
        Ok(())
    }

    /// Adds one part per property of `value` (a model or a map), as
    /// [`push_value`](Self::push_value) does for a field, in the order of
    /// `serde_json`'s maps (by name, unless its `preserve_order` feature is
    /// on); `documented` maps property names to their documented content
    /// types.
    #[doc(hidden)]
    pub fn push_fields<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        documented: &[(&str, &str)],
    ) -> Result<(), Error<B>> {
        let json = to_json(value)
            .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|err| err.to_string()))
            .map_err(|problem| Error::invalid_input(format!("the multipart body {problem}")))?;
        let serde_json::Value::Object(properties) = json else {
            return Err(Error::invalid_input(
                "a multipart body must be an object: its properties are the parts",
            ));
        };
        for (name, value) in properties {
            let content_type = documented
                .iter()
                .find(|(property, _)| *property == name)
                .map(|(_, content_type)| *content_type);
            match value {
                serde_json::Value::Array(items) => {
                    for item in items {
                        self.push_json(&name, item, content_type);
                    }
                }
                value => self.push_json(&name, value, content_type),
            }
        }
        Ok(())
    }

    /// One part for one JSON value: text for a string, number or boolean,
    /// JSON for anything else, nothing for `null`.
    fn push_json(&mut self, name: &str, value: serde_json::Value, documented: Option<&str>) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::String(text) => {
                self.push_text(name.to_owned(), text, documented);
            }
            serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                self.push_text(name.to_owned(), value.to_string(), documented);
            }
            value => self.push_json_bytes(name, Bytes::from(value.to_string()), documented),
        }
    }

    /// A JSON part (`application/json` unless the API documents another type).
    fn push_json_bytes(&mut self, name: &str, bytes: Bytes, documented: Option<&str>) {
        self.parts.push(Part {
            name: name.to_owned(),
            bytes,
            file_name: None,
            content_type: Some(documented.unwrap_or("application/json").to_owned()),
        });
    }

    fn push_text(&mut self, name: String, text: String, content_type: Option<&str>) {
        self.parts.push(Part {
            name,
            bytes: Bytes::from(text),
            file_name: None,
            content_type: content_type.map(str::to_owned),
        });
    }
}

fn part_error<B>(name: &str, message: &str) -> Error<B> {
    Error::invalid_input(format!(
        "the multipart part `{name}` could not be encoded: {message}"
    ))
}

/// Encodes `form` once with reqwest's multipart writer, so retries resend
/// the same bytes; the body carries its own content type, whose `boundary`
/// was chosen by the writer.
///
/// Content types are checked here, before anything is sent. A file name is
/// sent without line breaks, which would end the part's headers.
#[doc(hidden)]
pub async fn multipart_body<B>(form: Multipart<B>) -> Result<RequestBody, Error<B>> {
    let mut writer = reqwest::multipart::Form::new();
    for part in form.parts {
        let length = part.bytes.len() as u64;
        let mut written = reqwest::multipart::Part::stream_with_length(part.bytes, length);
        if let Some(file_name) = part.file_name {
            written = written.file_name(file_name.replace(['\r', '\n'], " "));
        }
        if let Some(content_type) = part.content_type {
            let value = HeaderValue::from_str(&content_type)
                .ok()
                .filter(|_| content_type.contains('/'))
                .ok_or_else(|| {
                    Error::invalid_input(format!(
                        "the multipart part `{}` has the content type `{}`, which is not a media type",
                        part.name,
                        super::input::quote_input(&content_type)
                    ))
                })?;
            written = written.headers(HeaderMap::from_iter([(CONTENT_TYPE, value)]));
        }
        writer = writer.part(part.name, written);
    }
    let content_type = format!("multipart/form-data; boundary={}", writer.boundary());
    let mut bytes = Vec::new();
    let mut stream = Box::pin(writer.into_stream());
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|err| {
            Error::invalid_input(format!("the multipart body could not be written: {err}"))
        })?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(RequestBody::with_content_type(
        Bytes::from(bytes),
        content_type,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(form: Multipart<()>) -> (String, String) {
        let body = futures_util::FutureExt::now_or_never(multipart_body::<()>(form))
            .expect("in-memory parts are ready at once")
            .unwrap();
        let content_type = body.content_type().unwrap().to_owned();
        (
            content_type,
            String::from_utf8(body.into_bytes().to_vec()).unwrap(),
        )
    }

    #[test]
    fn parts_are_written_in_order_with_their_headers() {
        let mut form = Multipart::<()>::new().text("title", "Rex");
        form.push_file(
            "photo",
            &FilePart::new("rex.png", vec![1u8, 2]),
            Some("image/png"),
        );
        form.push_value("age", &3, None).unwrap();
        form.push_value("meta", &serde_json::json!({"a": 1}), None)
            .unwrap();
        let (content_type, body) = encode(form);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nRex\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"rex.png\"\r\ncontent-type: image/png\r\n\r\n\u{1}\u{2}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"age\"\r\n\r\n3\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\ncontent-type: application/json\r\n\r\n{{\"a\":1}}\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(body, expected);
    }

    #[test]
    fn a_bad_content_type_is_refused_before_sending() {
        let form = Multipart::new().file("f", FilePart::new("a", vec![]).content_type("png"));
        let err = futures_util::FutureExt::now_or_never(multipart_body::<()>(form))
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("`png`"), "{err}");
    }

    #[test]
    fn a_file_part_round_trips_through_serde() {
        let file = FilePart::new("a.txt", &b"hi"[..]).content_type("text/plain");
        let json = serde_json::to_value(&file).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"fileName": "a.txt", "contentType": "text/plain", "bytes": "aGk="})
        );
        assert_eq!(serde_json::from_value::<FilePart>(json).unwrap(), file);
    }
}
