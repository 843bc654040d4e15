//! Lowering `oneOf`/`anyOf`: tagged when a tag can be found, untagged otherwise.
//!
//! A union is tagged when it has a `discriminator`, or when every variant
//! (following `$ref`s and `allOf`) has a property whose schema (following
//! `$ref`s) is a one-value string enum, with a different value per variant.

use super::context::{Lowerer, component_name};
use crate::error::{Pointer, Result};
use crate::ir::{Tagged, TaggedVariant, TypeKind, TypeRef, Untagged, UntaggedVariant};
use crate::naming::{Namer, type_name};
use serde_json::Value;
use std::collections::BTreeSet;

/// Lowers the variant list found at `at` (the `oneOf`/`anyOf` node).
pub(crate) fn lower<'a>(
    lowerer: &mut Lowerer<'a>,
    variants: &'a Value,
    at: &Pointer,
    hint: &str,
) -> Result<TypeKind> {
    let list = variants
        .as_array()
        .ok_or_else(|| at.error("must be a list of schemas"))?;
    if list.is_empty() {
        return Err(at.error("a union needs at least one variant"));
    }
    if list.len() == 1 {
        return Ok(TypeKind::Alias(lowerer.lower(
            &list[0],
            &at.push("0"),
            hint,
        )?));
    }
    let members: Vec<Member<'a>> = list
        .iter()
        .enumerate()
        .map(|(i, node)| (node, at.push(i.to_string())))
        .collect();
    let parent = parent_of(lowerer.root, at);
    let discriminator = parent
        .and_then(|p| p.get("discriminator"))
        .or_else(|| merged_discriminator(lowerer.root, at));
    // A discriminator that cannot be honoured (variants sharing a tag value,
    // variants that are unions themselves) is a hint, not a contract: the
    // union is then read by trying each variant.
    let tag = match discriminator {
        Some(d) => by_discriminator(lowerer, d, list, at)
            .ok()
            .or_else(|| infer_tag(lowerer, &members)),
        None => infer_tag(lowerer, &members),
    };
    match tag {
        Some((tag, values)) => match tagged(lowerer, &members, hint, tag, values) {
            Ok(kind) => Ok(kind),
            Err(_) if discriminator.is_some() => untagged(lowerer, list, at, hint),
            Err(err) => Err(err),
        },
        None => untagged(lowerer, list, at, hint),
    }
}

/// A union member: its schema and where it is.
pub(crate) type Member<'a> = (&'a Value, Pointer);

/// The mapping node that holds the `oneOf` at `at`.
fn parent_of<'a>(root: &'a Value, at: &Pointer) -> Option<&'a Value> {
    let parent = at.parent();
    root.pointer(parent.as_str().strip_prefix('#')?)
}

/// For a union that is an inline `allOf` member (`X: {allOf: [{oneOf:
/// [...]}, ...], discriminator: ...}`, see `merged`): the `discriminator`
/// written beside that `allOf`, which can only be about this union.
fn merged_discriminator<'a>(root: &'a Value, at: &Pointer) -> Option<&'a Value> {
    let member = at.parent();
    let list = member.parent();
    if !list.as_str().ends_with("/allOf") {
        return None;
    }
    parent_of(root, &list)?.get("discriminator")
}

/// Tag values from a `discriminator`: its mapping, else the variant's one-value enum, else the schema name.
fn by_discriminator<'a>(
    lowerer: &Lowerer<'a>,
    discriminator: &Value,
    list: &'a [Value],
    at: &Pointer,
) -> Result<(String, Vec<String>)> {
    let d_at = at.parent().push("discriminator");
    let tag = discriminator
        .get("propertyName")
        .and_then(Value::as_str)
        .ok_or_else(|| d_at.error("`discriminator` needs a `propertyName`"))?;
    let mapping = discriminator.get("mapping").and_then(Value::as_object);
    let mut values = Vec::with_capacity(list.len());
    for (i, variant) in list.iter().enumerate() {
        let v_at = at.push(i.to_string());
        let reference = variant.get("$ref").and_then(Value::as_str);
        let from_mapping = mapping.and_then(|m| {
            m.iter().find_map(|(value, target)| {
                let target = target.as_str()?;
                let matches =
                    Some(target) == reference || reference.and_then(component_name) == Some(target);
                matches.then(|| value.clone())
            })
        });
        let value = match from_mapping {
            Some(v) => v,
            None => match one_value(lowerer, variant, &v_at, tag)? {
                Some(v) => v,
                None => reference
                    .and_then(component_name)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        v_at.error(format!(
                            "cannot tell this variant's `{tag}` value: no mapping entry, no one-value enum, and not a named schema"
                        ))
                    })?,
            },
        };
        if values.contains(&value) {
            return Err(v_at.error(format!("two variants share the `{tag}` value `{value}`")));
        }
        values.push(value);
    }
    Ok((tag.to_owned(), values))
}

/// A property every variant has as a distinct one-value string enum (required ones preferred).
pub(crate) fn infer_tag<'a>(
    lowerer: &Lowerer<'a>,
    members: &[Member<'a>],
) -> Option<(String, Vec<String>)> {
    let mut shapes = Vec::with_capacity(members.len());
    for (variant, v_at) in members {
        shapes.push(lowerer.shape(variant, v_at).ok()?);
    }
    let first = shapes.first()?;
    let mut candidates: Vec<(bool, String, Vec<String>)> = Vec::new();
    for (name, _, _) in &first.properties {
        let mut values = Vec::with_capacity(members.len());
        let mut all_required = true;
        for (i, (variant, v_at)) in members.iter().enumerate() {
            let Ok(Some(value)) = one_value(lowerer, variant, v_at, name) else {
                break;
            };
            all_required &= shapes[i].required.contains(name);
            values.push(value);
        }
        let distinct: BTreeSet<&String> = values.iter().collect();
        if values.len() == members.len() && distinct.len() == values.len() {
            candidates.push((!all_required, name.clone(), values));
        }
    }
    candidates.sort();
    candidates
        .into_iter()
        .next()
        .map(|(_, name, values)| (name, values))
}

/// The single value of `property` in a variant, when its schema is a one-value string enum.
fn one_value<'a>(
    lowerer: &Lowerer<'a>,
    variant: &'a Value,
    at: &Pointer,
    property: &str,
) -> Result<Option<String>> {
    let shape = lowerer.shape(variant, at)?;
    let Some((_, schema, p_at)) = shape.properties.iter().find(|(w, _, _)| w == property) else {
        return Ok(None);
    };
    let (schema, _) = lowerer.deref(schema, p_at)?;
    let values = schema.get("enum").and_then(Value::as_array);
    Ok(match values.map(Vec::as_slice) {
        Some([Value::String(only)]) => Some(only.clone()),
        _ => None,
    })
}

pub(crate) fn tagged<'a>(
    lowerer: &mut Lowerer<'a>,
    members: &[Member<'a>],
    hint: &str,
    tag: String,
    values: Vec<String>,
) -> Result<TypeKind> {
    let mut namer = Namer::default();
    let names: Vec<String> = values.iter().map(|v| namer.unique(&type_name(v))).collect();
    let other = namer.unique("UnknownVariant");
    let mut variants = Vec::with_capacity(members.len());
    for (((variant, v_at), value), name) in members.iter().zip(values).zip(names) {
        let declares_tag = lowerer
            .shape(variant, v_at)?
            .properties
            .iter()
            .any(|(w, _, _)| *w == tag);
        let ty = lowerer.lower(variant, v_at, &format!("{hint}{name}"))?;
        if !matches!(ty, TypeRef::Named(_)) {
            return Err(v_at.error("a variant of a tagged union must be an object schema"));
        }
        variants.push(TaggedVariant {
            tag_value: value,
            name,
            ty,
            declares_tag,
            boxed: false,
        });
    }
    Ok(TypeKind::Tagged(Tagged {
        tag,
        variants,
        other,
    }))
}

fn untagged<'a>(
    lowerer: &mut Lowerer<'a>,
    list: &'a [Value],
    at: &Pointer,
    hint: &str,
) -> Result<TypeKind> {
    let mut variants = Vec::with_capacity(list.len());
    let mut strings = Vec::with_capacity(list.len());
    for (i, variant) in list.iter().enumerate() {
        let v_at = at.push(i.to_string());
        let ty = lowerer.lower(variant, &v_at, &format!("{hint}Variant{i}"))?;
        let is_object = match &ty {
            TypeRef::Named(id) => {
                matches!(
                    lowerer.pending.get(*id).and_then(|p| p.kind.as_ref()),
                    Some(TypeKind::Struct(_)) | None
                ) && lowerer.shape(variant, &v_at).is_ok()
            }
            _ => false,
        };
        let (required, known) = if is_object {
            let shape = lowerer.shape(variant, &v_at)?;
            (
                shape.required.iter().cloned().collect(),
                Some(
                    shape
                        .properties
                        .iter()
                        .map(|(w, _, _)| w.clone())
                        .collect::<Vec<_>>(),
                ),
            )
        } else {
            (Vec::new(), None)
        };
        let string = string_schema(lowerer, variant, &v_at);
        strings.push(string.is_some());
        let pattern = string.and_then(|s| s.get("pattern")?.as_str().map(str::to_owned));
        variants.push(UntaggedVariant {
            name: String::new(),
            ty,
            required,
            known,
            boxed: false,
            pattern,
            format: string.and_then(|s| s.get("format")?.as_str().map(str::to_owned)),
        });
    }
    super::formats::keep_telling_formats(&mut variants, &strings);
    // Most specific first: objects before other values, more required properties
    // before fewer, more declared properties before fewer, integers before numbers.
    variants.sort_by_key(|v| {
        let rank = match (&v.ty, &v.known) {
            (_, Some(_)) => 0,
            (TypeRef::Boolean, _) => 1,
            (TypeRef::Integer { .. } | TypeRef::UnixMillis, _) => 2,
            (TypeRef::Number, _) => 3,
            (TypeRef::String | TypeRef::File, _) => 4,
            (TypeRef::Named(_), _) => 5,
            (TypeRef::List(_), _) => 6,
            (TypeRef::Map(_), _) => 7,
            (TypeRef::Any, _) => 8,
        };
        let known = v.known.as_ref().map_or(0, Vec::len);
        // A string variant that checks its value goes before one that
        // would take any string.
        let unchecked = v.pattern.is_none() && v.format.is_none();
        (
            rank,
            usize::MAX - v.required.len(),
            usize::MAX - known,
            unchecked,
        )
    });
    Ok(TypeKind::Untagged(Untagged { variants }))
}

/// A string schema (`type: string`), following `$ref`s and one-member
/// `allOf` wrappers (`allOf: [{$ref: Ipv4Net}]`); `None` for anything else.
fn string_schema<'a>(lowerer: &Lowerer<'a>, node: &'a Value, at: &Pointer) -> Option<&'a Value> {
    let mut node = node;
    let mut at = at.clone();
    for _ in 0..64 {
        let (target, target_at) = lowerer.deref(node, &at).ok()?;
        match target.get("allOf").and_then(Value::as_array) {
            Some(members) if members.len() == 1 => {
                node = members.first()?;
                at = target_at.push("allOf").push("0");
            }
            Some(_) => return None,
            None => {
                let is_string = target.get("type").and_then(Value::as_str) == Some("string");
                return is_string.then_some(target);
            }
        }
    }
    None
}
