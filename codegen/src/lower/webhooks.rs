//! Webhooks: the payloads an API sends to its users, read from `webhooks`
//! (OpenAPI 3.1) or `x-webhooks` (the same shape as a 3.0 extension).
//!
//! Each payload schema becomes a type (an inline one is named after its
//! webhook). When there are several distinct payloads and each has a
//! one-value tag property, a tagged union of all of them is generated too,
//! named `Webhook` (or after `x-webhook-union-name` at the document's top
//! level), unless a component schema already is that union.

use super::context::Lowerer;
use super::union;
use crate::error::{Pointer, Result};
use crate::naming::type_name;
use crate::spec::follow;
use serde_json::Value;

/// One webhook's payload: its name and where its schema is.
pub(crate) struct Payload {
    name: String,
    /// JSON pointer of the payload schema.
    at: Pointer,
}

/// The payload of every webhook, in document order.
pub(crate) fn collect(root: &Value) -> Result<Vec<Payload>> {
    let mut payloads = Vec::new();
    for section in ["webhooks", "x-webhooks"] {
        let Some(hooks) = root.get(section) else {
            continue;
        };
        let at = Pointer::root().push(section);
        let hooks = hooks
            .as_object()
            .ok_or_else(|| at.error("must be a mapping of webhook names to path items"))?;
        for (name, item) in hooks {
            let item_at = at.push(name);
            let item = follow(root, item, &item_at)?;
            let Some(item) = item.0.as_object() else {
                return Err(item_at.error("a webhook must be a path item"));
            };
            for (method, operation) in item {
                let Some(body) = operation.get("requestBody") else {
                    continue;
                };
                let body_at = item_at.push(method).push("requestBody");
                let (body, body_at) = follow(root, body, &body_at)?;
                let Some(content) = body.get("content").and_then(Value::as_object) else {
                    continue;
                };
                let json = content
                    .iter()
                    .find(|(media, _)| {
                        let media = media.split(';').next().unwrap_or("").trim();
                        media == "application/json" || media.ends_with("+json")
                    })
                    .filter(|(_, media)| media.get("schema").is_some());
                if let Some((media, _)) = json {
                    payloads.push(Payload {
                        name: name.clone(),
                        at: body_at.push("content").push(media).push("schema"),
                    });
                }
            }
        }
    }
    Ok(payloads)
}

/// The indexes of the payloads a union of all of them is made of, one per
/// distinct schema,
/// when such a union is worth generating: at least two distinct payload
/// schemas, and no component schema that is already their union.
fn union_members(root: &Value, payloads: &[Payload]) -> Option<Vec<usize>> {
    let mut targets: Vec<String> = Vec::new();
    let mut members = Vec::new();
    for (index, payload) in payloads.iter().enumerate() {
        let target = resolved_ref(root, &payload.at);
        if !targets.contains(&target) {
            targets.push(target);
            members.push(index);
        }
    }
    if targets.len() < 2 {
        return None;
    }
    let mut sorted = targets.clone();
    sorted.sort();
    let existing = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .any(|(_, schema)| {
            ["oneOf", "anyOf"].iter().any(|key| {
                let mut refs: Vec<String> = schema
                    .get(*key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.get("$ref")?.as_str().map(str::to_owned))
                    .collect();
                refs.sort();
                refs == sorted
            })
        });
    (!existing).then_some(members)
}

/// Lowers every payload, then their union straight into a tagged type (only
/// when each payload has a one-value tag property).
pub(crate) fn lower<'a>(
    lowerer: &mut Lowerer<'a>,
    root: &'a Value,
    payloads: &[Payload],
) -> Result<()> {
    let mut nodes = Vec::with_capacity(payloads.len());
    for payload in payloads {
        let node = root
            .pointer(payload.at.as_str().trim_start_matches('#'))
            .ok_or_else(|| payload.at.error("the webhook payload schema is missing"))?;
        lowerer.lower(node, &payload.at, &type_name(&payload.name))?;
        nodes.push(node);
    }
    let Some(members) = union_members(root, payloads) else {
        return Ok(());
    };
    let members: Vec<union::Member<'a>> = members
        .into_iter()
        .filter_map(|index| Some((*nodes.get(index)?, payloads.get(index)?.at.clone())))
        .collect();
    let Some((tag, values)) = union::infer_tag(lowerer, &members) else {
        return Ok(());
    };
    let at = Pointer::root().push(if root.get("webhooks").is_some() {
        "webhooks"
    } else {
        "x-webhooks"
    });
    let name = type_name(
        root.get("x-webhook-union-name")
            .and_then(Value::as_str)
            .unwrap_or("Webhook"),
    );
    let key = members
        .iter()
        .fold(String::from("webhooks"), |key, (_, at)| {
            format!("{key} {}", at.as_str())
        });
    lowerer.keyed(key, None, &at, &name, |lowerer| {
        union::tagged(lowerer, &members, &name, tag, values)
    })?;
    Ok(())
}

/// The reference a payload schema stands for: its own `$ref` when it is
/// one, else its location.
fn resolved_ref(root: &Value, at: &Pointer) -> String {
    root.pointer(at.as_str().trim_start_matches('#'))
        .and_then(|node| node.get("$ref"))
        .and_then(Value::as_str)
        .map_or_else(|| at.as_str().to_owned(), str::to_owned)
}
