//! Lowering a union merged into an object with `allOf`
//! (`allOf: [{anyOf: [A, B]}, {properties: {id: ...}}]`, an event stream's
//! usual shape): one struct holding the shared properties and a flattened
//! field holding the union, which reads every other property.

use super::context::{Lowerer, ObjectShape};
use crate::error::{Pointer, Result};
use crate::ir::{Field, Struct};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The struct of `obj`, an `allOf` with exactly one member that is a
/// `oneOf`/`anyOf` (followed through `$ref`s); `None` for any other
/// arrangement (two unions, a union nested deeper), which the caller reads
/// as any JSON value.
///
/// A shared property that a variant declares too is left to the variant:
/// the variant needs it to be told apart (a discriminator) or to be whole,
/// and writing it from both places would repeat the key.
pub(crate) fn lower<'a>(
    lowerer: &mut Lowerer<'a>,
    obj: &'a Map<String, Value>,
    at: &Pointer,
    hint: &str,
) -> Result<Option<Struct>> {
    let Some(members) = obj.get("allOf").and_then(Value::as_array) else {
        return Ok(None);
    };
    let mut union: Option<(&'a Value, Pointer, &'a Value, Pointer)> = None;
    let mut shape = ObjectShape::default();
    for (i, member) in members.iter().enumerate() {
        let m_at = at.push("allOf").push(i.to_string());
        let (target, t_at) = lowerer.deref(member, &m_at)?;
        let list = ["oneOf", "anyOf"]
            .iter()
            .find_map(|key| target.get(*key).map(|list| (list, t_at.push(key))));
        match list {
            Some((list, list_at)) => {
                if union.is_some() || target.get("allOf").is_some() {
                    return Ok(None);
                }
                union = Some((member, m_at, list, list_at));
                // Properties declared beside the union are shared too.
                if let Some(own) = target.as_object() {
                    lowerer.collect_own(own, &t_at, &mut shape)?;
                }
            }
            None => {
                if lowerer.merged_union(target, &t_at, 0).is_some() {
                    return Ok(None);
                }
                lowerer.collect(member, &m_at, &mut shape, 1)?;
            }
        }
    }
    let Some((member, m_at, list, list_at)) = union else {
        return Ok(None);
    };
    lowerer.collect_own(obj, at, &mut shape)?;
    let declared = variant_properties(lowerer, list, &list_at);
    shape
        .properties
        .retain(|(wire, _, _)| !declared.contains(wire));
    let union_ty = lowerer.lower(member, &m_at, &format!("{hint}Kind"))?;
    let mut merged = lowerer.struct_of(shape, hint, false)?;
    let taken: BTreeSet<String> = merged.fields.iter().map(|f| f.name.clone()).collect();
    let name = ["kind", "variant", "union_kind"]
        .into_iter()
        .find(|n| !taken.contains(*n) && *n != merged.additional_name)
        .unwrap_or("merged_kind");
    merged.fields.push(Field {
        // Not on the wire; builder docs name the field by it.
        wire: name.to_owned(),
        name: name.to_owned(),
        ty: union_ty,
        required: true,
        nullable: false,
        boxed: false,
        doc: Some(String::from(
            "Which kind of value this is, with the properties of that kind \
             (every property the other fields do not hold).",
        )),
        flatten: true,
    });
    Ok(Some(merged))
}

/// Every property any variant of the union declares.
fn variant_properties<'a>(
    lowerer: &Lowerer<'a>,
    list: &'a Value,
    at: &Pointer,
) -> BTreeSet<String> {
    let Some(variants) = list.as_array() else {
        return BTreeSet::new();
    };
    variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| lowerer.shape(v, &at.push(i.to_string())).ok())
        .flat_map(|shape| shape.properties.into_iter().map(|(wire, _, _)| wire))
        .collect()
}
