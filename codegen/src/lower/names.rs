//! Final type names: components keep theirs, inline types are named after their uses,
//! and untagged variants after their types.

use super::context::Pending;
use crate::ir::{NameOrigin, TypeDef, TypeKind, TypeRef};
use crate::naming::{Namer, type_name};
use std::collections::{BTreeMap, BTreeSet};

/// Final names and where each came from: component names as given; inline
/// types from their `title`, else from what their uses have in common, else
/// from one use (the first in name order).
///
/// A candidate two inline types would both take (`Request` for two bodies
/// of different shapes) goes to neither: each takes its next candidate, so
/// a number is added only when every candidate of a type is taken.
pub(super) fn type_names(pending: &[Pending]) -> Vec<(String, NameOrigin)> {
    let mut namer = Namer::default();
    let mut names = vec![(String::new(), NameOrigin::Context); pending.len()];
    let mut components: Vec<(usize, &String)> = pending
        .iter()
        .enumerate()
        .filter_map(|(id, p)| p.component.as_ref().map(|c| (id, c)))
        .collect();
    components.sort_by(|a, b| a.1.cmp(b.1));
    for (id, component) in components {
        let name = namer.unique(&type_name(component));
        let origin = match name == type_name(component) {
            true => NameOrigin::Schema(component.clone()),
            false => NameOrigin::Numbered,
        };
        names[id] = (name, origin);
    }
    let mut inline: Vec<(usize, Vec<String>)> = pending
        .iter()
        .enumerate()
        .filter(|(_, p)| p.component.is_none())
        .map(|(id, p)| (id, candidates(p, pending)))
        .collect();
    let mut firsts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, list) in &inline {
        if let Some(first) = list.first() {
            *firsts.entry(first.as_str()).or_default() += 1;
        }
    }
    let contested: BTreeSet<String> = firsts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name.to_owned())
        .collect();
    inline.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    for (id, list) in inline {
        let free = list
            .iter()
            .find(|c| !contested.contains(*c) && !namer.is_taken(c));
        names[id] = match free {
            Some(name) => (namer.unique(name), NameOrigin::Context),
            None => {
                let first = list.first().map_or("Inline", String::as_str);
                let name = namer.unique(first);
                let origin = match name == first {
                    true => NameOrigin::Context,
                    false => NameOrigin::Numbered,
                };
                (name, origin)
            }
        };
    }
    names
}

/// Words that say only what role a type plays, not what it is: alone they
/// are no name for a type shared by unrelated places.
const ROLE_WORDS: &[&str] = &[
    "Request", "Response", "Error", "Value", "Item", "Kind", "Body",
];

/// The names an inline type could take, best first.
fn candidates(p: &Pending, pending: &[Pending]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(p.title.clone());
    if let Some(common) = common_suffix(&p.hints)
        && (p.hints.len() < 2 || !ROLE_WORDS.contains(&common.as_str()))
    {
        out.push(common);
    }
    out.extend(union_name(p, pending));
    out.extend(p.hints.iter().cloned());
    if out.is_empty() {
        out.push(String::from("Inline"));
    }
    let mut seen = BTreeSet::new();
    out.retain(|name| seen.insert(name.clone()));
    out
}

/// A union used in places with nothing in common is named after its variants: `CatOrDog`.
fn union_name(p: &Pending, pending: &[Pending]) -> Option<String> {
    let variants: Vec<&TypeRef> = match p.kind.as_ref()? {
        TypeKind::Tagged(t) => t.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Untagged(u) => u.variants.iter().map(|v| &v.ty).collect(),
        _ => return None,
    };
    if variants.len() > 3 {
        return None;
    }
    let names: Option<Vec<String>> = variants
        .iter()
        .map(|ty| match ty {
            TypeRef::Named(id) => pending.get(*id)?.component.as_deref().map(type_name),
            _ => None,
        })
        .collect();
    names.map(|n| n.join("Or"))
}

/// The one hint, or the longest run of trailing words shared by all hints.
fn common_suffix(hints: &BTreeSet<String>) -> Option<String> {
    let first = hints.iter().next().cloned()?;
    if hints.len() < 2 {
        return Some(first);
    }
    let split: Vec<Vec<&str>> = hints.iter().map(|h| camel_words(h)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    while common < shortest {
        let word = split[0][split[0].len() - 1 - common];
        if split.iter().all(|w| w[w.len() - 1 - common] == word) {
            common += 1;
        } else {
            break;
        }
    }
    if common == 0 {
        return None;
    }
    Some(split[0][split[0].len() - common..].concat())
}

/// Splits `UpperCamelCase` into its words.
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// Every struct's builder is named after it (`TransactionBuilder`), and so
/// is the private holder of its optional fields (`TransactionBuilderFields`):
/// all unique among type names, builders and holders, since several types
/// share a file. Only the private name takes a number when taken.
pub(super) fn name_builders(types: &mut [TypeDef]) {
    let mut namer = Namer::with_reserved(types.iter().map(|t| t.name.as_str()));
    let mut order: Vec<usize> = (0..types.len()).collect();
    order.sort_by(|a, b| types[*a].name.cmp(&types[*b].name));
    for id in order {
        let candidate = type_name(&format!("{} builder", types[id].name));
        if let TypeKind::Struct(s) = &mut types[id].kind {
            s.builder = namer.unique(&candidate);
            s.builder_fields = namer.unique(&type_name(&format!("{} fields", s.builder)));
        }
    }
}

/// Untagged variants are named after their types (`Person`, `LegalEntity`, `String`).
pub(super) fn name_untagged_variants(types: &mut [TypeDef]) {
    let type_names: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
    for def in types.iter_mut() {
        if let TypeKind::Untagged(union) = &mut def.kind {
            let mut namer = Namer::default();
            for variant in &mut union.variants {
                // A plain string told apart by its format is named after it (`DateTime`).
                let candidate = match (&variant.ty, &variant.format) {
                    (TypeRef::String, Some(format)) => type_name(format),
                    (ty, _) => describe(ty, &type_names),
                };
                variant.name = namer.unique(&candidate);
            }
        }
    }
}

fn describe(ty: &TypeRef, names: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => names.get(*id).cloned().unwrap_or_default(),
        TypeRef::String => String::from("String"),
        TypeRef::Integer { .. } | TypeRef::UnixMillis => String::from("Integer"),
        TypeRef::Number => String::from("Number"),
        TypeRef::Boolean => String::from("Boolean"),
        TypeRef::Any => String::from("Any"),
        TypeRef::File => String::from("File"),
        TypeRef::List(inner) => format!("{}List", describe(inner, names)),
        TypeRef::Map(inner) => format!("{}Map", describe(inner, names)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_inline_types_are_named_after_common_words() {
        let hints: BTreeSet<String> = [
            "TransactionOriginPaymentDetails",
            "UserSavedPaymentDetails",
            "TransactionDestinationPaymentDetails",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(common_suffix(&hints).as_deref(), Some("PaymentDetails"));
        let one: BTreeSet<String> = [String::from("FooBar")].into();
        assert_eq!(common_suffix(&one).as_deref(), Some("FooBar"));
        let unrelated: BTreeSet<String> =
            [String::from("OrderOrigin"), String::from("OrderSaved")].into();
        assert_eq!(common_suffix(&unrelated), None);
    }
}
