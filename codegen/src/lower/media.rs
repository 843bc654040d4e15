//! Media types: which one a client sends or reads, and lowering a request
//! body (JSON, form, multipart, text or bytes).

use super::context::Lowerer;
use super::schema::is_object_like;
use crate::error::{Pointer, Result};
use crate::ir::{Body, Media, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// The media type chosen for a request body or response, and its schema.
pub(crate) struct Content<'a> {
    pub media: Media,
    pub content_type: String,
    pub schema: Option<(&'a Value, Pointer)>,
    /// The media type object (for its `encoding`).
    pub node: &'a Value,
    pub at: Pointer,
}

/// Lowers the `requestBody` of the operation at `op_at`; `hint` names an
/// inline body type.
pub(crate) fn request_body<'a>(
    lowerer: &mut Lowerer<'a>,
    body: &'a Value,
    op_at: &Pointer,
    hint: &str,
) -> Result<Body> {
    let (body, body_at) = lowerer.deref(body, &op_at.push("requestBody"))?;
    let content = choose_content(body, &body_at, true)?.ok_or_else(|| {
        body_at
            .push("content")
            .error("a request body needs at least one media type under `content`")
    })?;
    let mut part_types = BTreeMap::new();
    let ty = match (content.media, content.schema) {
        (Media::Json | Media::Form, Some((schema, schema_at))) => {
            lowerer.lower(schema, &schema_at, &format!("{hint}Request"))?
        }
        (Media::Form, None) => {
            return Err(content.at.error(format!(
                "the `{}` body needs a `schema` to be sent as a form",
                content.content_type
            )));
        }
        (Media::Multipart, Some((schema, schema_at))) => multipart_type(
            lowerer,
            schema,
            &schema_at,
            &format!("{hint}Request"),
            &mut part_types,
        )?,
        _ => TypeRef::Any,
    };
    if content.media == Media::Multipart {
        encoding_types(content.node, &content.at, &mut part_types)?;
    }
    Ok(Body {
        ty,
        media: content.media,
        content_type: content.content_type,
        required: body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        doc: super::context::doc_of(body),
        part_types,
    })
}

/// The type of a `multipart/form-data` body: a struct whose properties are
/// the parts, with files (`format: binary`) as `FilePart`s; the schema's own
/// type when it has no file; [`TypeRef::Any`] (the caller builds the parts)
/// when it is not an object. Records the `contentMediaType` of file
/// properties in `part_types`.
fn multipart_type<'a>(
    lowerer: &mut Lowerer<'a>,
    schema: &'a Value,
    at: &Pointer,
    hint: &str,
    part_types: &mut BTreeMap<String, String>,
) -> Result<TypeRef> {
    let (resolved, _) = lowerer.deref(schema, at)?;
    let Some(obj) = resolved.as_object() else {
        return Ok(TypeRef::Any);
    };
    if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
        return lowerer.lower(schema, at, hint);
    }
    if !is_object_like(obj) {
        return Ok(TypeRef::Any);
    }
    let shape = lowerer.shape(schema, at)?;
    let mut has_file = false;
    for (wire, property, property_at) in &shape.properties {
        if let Some((file, _)) = lowerer.file_schema(property, property_at)? {
            has_file = true;
            if let Some(content_type) = file.get("x-content-media-type").and_then(Value::as_str) {
                part_types.insert(wire.clone(), content_type.to_owned());
            }
        }
    }
    if has_file {
        lowerer.multipart_struct(schema, at, hint)
    } else {
        lowerer.lower(schema, at, hint)
    }
}

/// The `contentType` of each property in a media type's `encoding`: the
/// first type of a list, unless it is a range (`image/*`).
fn encoding_types(
    media: &Value,
    at: &Pointer,
    part_types: &mut BTreeMap<String, String>,
) -> Result<()> {
    let Some(encoding) = media.get("encoding") else {
        return Ok(());
    };
    let e_at = at.push("encoding");
    let encoding = encoding
        .as_object()
        .ok_or_else(|| e_at.error("must be a mapping"))?;
    for (property, entry) in encoding {
        let Some(content_type) = entry.get("contentType").and_then(Value::as_str) else {
            continue;
        };
        let first = content_type.split(',').next().unwrap_or("").trim();
        if first.contains('/') && !first.contains('*') {
            part_types.insert(property.clone(), first.to_owned());
        }
    }
    Ok(())
}

/// Picks the media type a client sends or reads for a request body
/// (`request`) or response: JSON when offered (`application/json`, then
/// `*+json`, then `*/*`), else a form, else `multipart/form-data`, else
/// text, else the first binary type. `None` when there is no `content`.
///
/// A request body offering only another `multipart/*` type is an error; a
/// response in one is read as bytes.
pub(crate) fn choose_content<'a>(
    node: &'a Value,
    at: &Pointer,
    request: bool,
) -> Result<Option<Content<'a>>> {
    let Some(content) = node.get("content") else {
        return Ok(None);
    };
    let c_at = at.push("content");
    let content = content
        .as_object()
        .ok_or_else(|| c_at.error("must be a mapping"))?;
    let essence = |media: &str| {
        media
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let rank = |media: &str| -> u8 {
        let media = essence(media);
        match media.as_str() {
            "application/json" => 0,
            m if m.ends_with("+json") => 1,
            "*/*" => 2,
            "application/x-www-form-urlencoded" => 3,
            "multipart/form-data" => 4,
            m if m.starts_with("text/") => 5,
            m if m.starts_with("multipart/") => 7,
            _ => 6,
        }
    };
    let Some((media, media_node)) = content.iter().min_by_key(|(media, _)| rank(media)) else {
        return Ok(None);
    };
    let kind = match rank(media) {
        0..=2 => Media::Json,
        3 => Media::Form,
        4 => Media::Multipart,
        5 => Media::Text,
        7 if request => {
            return Err(c_at.push(media).error(format!(
                "`{media}` request bodies are not supported: of the multipart types only \
                 `multipart/form-data` is (one named part per property); offered media types: {}",
                media_types(node)
            )));
        }
        _ => Media::Bytes,
    };
    let m_at = c_at.push(media);
    let content_type = match essence(media).as_str() {
        "*/*" => "application/json".to_owned(),
        _ => media.clone(),
    };
    Ok(Some(Content {
        media: kind,
        content_type,
        schema: media_node.get("schema").map(|s| (s, m_at.push("schema"))),
        node: media_node,
        at: m_at,
    }))
}

fn media_types(node: &Value) -> String {
    let types: Vec<String> = node
        .get("content")
        .and_then(Value::as_object)
        .map(|c| c.keys().map(|k| format!("`{k}`")).collect())
        .unwrap_or_default();
    if types.is_empty() {
        String::from("(none)")
    } else {
        types.join(", ")
    }
}
