//! The last lowering step: final type names, boxes for recursion, groups, pagination.

use super::operation::RawOperation;
use super::schema::{Lowerer, Pending};
use crate::emit::{ROOT_MODULES, TYPE_MODULES, client_names, handle_names};
use crate::error::{Error, Pointer, Result};
use crate::ir::{
    Auth, Environment, Group, Model, Pagination, ParamLocation, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{Namer, snake_name, type_name};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn finish(
    lowerer: Lowerer<'_>,
    operations: Vec<RawOperation>,
    environments: Vec<Environment>,
    auth: Auth,
    env_prefix: String,
    title: String,
) -> Result<Model> {
    let pending = lowerer.pending;
    let names = type_names(&pending);
    let mut modules = Namer::with_reserved(TYPE_MODULES.iter().copied());
    let mut types = Vec::with_capacity(pending.len());
    for (id, p) in pending.into_iter().enumerate() {
        let kind = p.kind.ok_or_else(|| {
            Error::new(
                p.pointer.clone(),
                "type was never completed (internal cycle)",
            )
        })?;
        let name = names.get(id).cloned().unwrap_or_default();
        types.push(TypeDef {
            module: modules.unique(&snake_name(&name)),
            name,
            doc: p.doc,
            pointer: p.pointer,
            kind,
        });
    }
    check_alias_cycles(&types)?;
    name_untagged_variants(&mut types);
    add_boxes(&mut types);

    let error_body = error_body(&operations);
    let groups = group_operations(operations, &types)?;
    let mut model = Model {
        types,
        groups,
        environments,
        auth,
        env_prefix,
        error_body,
        title,
    };
    // Emit types sorted by name, remapping ids.
    sort_types(&mut model);
    Ok(model)
}

/// Final names: component names as given; inline types from what their uses have in common.
fn type_names(pending: &[Pending]) -> Vec<String> {
    let mut namer = Namer::default();
    let mut names = vec![String::new(); pending.len()];
    let mut components: Vec<(usize, &String)> = pending
        .iter()
        .enumerate()
        .filter_map(|(id, p)| p.component.as_ref().map(|c| (id, c)))
        .collect();
    components.sort_by(|a, b| a.1.cmp(b.1));
    for (id, component) in components {
        names[id] = namer.unique(&type_name(component));
    }
    let mut inline: Vec<(usize, String)> = pending
        .iter()
        .enumerate()
        .filter(|(_, p)| p.component.is_none())
        .map(|(id, p)| {
            let name = common_suffix(&p.hints)
                .or_else(|| union_name(p, pending))
                .unwrap_or_else(|| {
                    p.hints
                        .iter()
                        .next()
                        .cloned()
                        .unwrap_or_else(|| String::from("Inline"))
                });
            (id, name)
        })
        .collect();
    inline.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    for (id, candidate) in inline {
        names[id] = namer.unique(&candidate);
    }
    names
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

/// A schema that is only a `$ref` to itself (directly or around a loop) describes nothing.
fn check_alias_cycles(types: &[TypeDef]) -> Result<()> {
    for (start, def) in types.iter().enumerate() {
        let mut current = start;
        for _ in 0..types.len() {
            match types.get(current).map(|t| &t.kind) {
                Some(TypeKind::Alias(TypeRef::Named(next))) => current = *next,
                _ => break,
            }
            if current == start {
                return Err(Error::new(
                    def.pointer.clone(),
                    "this schema only refers to itself through `$ref`s and never says what it is",
                ));
            }
        }
    }
    Ok(())
}

/// Untagged variants are named after their types (`Person`, `LegalEntity`, `String`).
fn name_untagged_variants(types: &mut [TypeDef]) {
    let type_names: Vec<String> = types.iter().map(|t| t.name.clone()).collect();
    for def in types.iter_mut() {
        if let TypeKind::Untagged(union) = &mut def.kind {
            let mut namer = Namer::default();
            for variant in &mut union.variants {
                let candidate = describe(&variant.ty, &type_names);
                variant.name = namer.unique(&candidate);
            }
        }
    }
}

fn describe(ty: &TypeRef, names: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => names.get(*id).cloned().unwrap_or_default(),
        TypeRef::String => String::from("String"),
        TypeRef::Integer { .. } => String::from("Integer"),
        TypeRef::Number => String::from("Number"),
        TypeRef::Boolean => String::from("Boolean"),
        TypeRef::Any => String::from("Any"),
        TypeRef::List(inner) => format!("{}List", describe(inner, names)),
        TypeRef::Map(inner) => format!("{}Map", describe(inner, names)),
    }
}

/// The named types a type holds by value (not behind a `Vec` or map).
fn by_value(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

fn edges(def: &TypeDef) -> Vec<usize> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
        TypeKind::Tagged(t) => t.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Untagged(u) => u.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Alias(ty) => by_value(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Whether `to` can reach `from` through by-value containment.
fn reaches(graph: &[Vec<usize>], start: usize, target: usize) -> bool {
    let mut seen = vec![false; graph.len()];
    let mut stack = vec![start];
    while let Some(node) = stack.pop() {
        if node == target {
            return true;
        }
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        stack.extend(graph.get(node).into_iter().flatten().copied());
    }
    false
}

/// Boxes every by-value edge that lies on a cycle, so every type has a finite size.
fn add_boxes(types: &mut [TypeDef]) {
    let graph: Vec<Vec<usize>> = types.iter().map(edges).collect();
    for (id, def) in types.iter_mut().enumerate() {
        let cyclic = |ty: &TypeRef| by_value(ty).is_some_and(|to| reaches(&graph, to, id));
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.boxed = cyclic(&f.ty)),
            TypeKind::Tagged(t) => t.variants.iter_mut().for_each(|v| v.boxed = cyclic(&v.ty)),
            TypeKind::Untagged(u) => u.variants.iter_mut().for_each(|v| v.boxed = cyclic(&v.ty)),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
}

/// The shared error body type, if every documented error uses the same one.
fn error_body(operations: &[RawOperation]) -> Option<TypeRef> {
    let all: BTreeSet<&TypeRef> = operations
        .iter()
        .flat_map(|o| o.error_types.iter())
        .collect();
    match all.len() {
        1 => all.into_iter().next().cloned(),
        _ => None,
    }
}

fn group_operations(
    operations: Vec<RawOperation>,
    types: &[TypeDef],
) -> Result<BTreeMap<String, Group>> {
    let mut modules = Namer::with_reserved(client_names().chain(ROOT_MODULES.iter().copied()));
    let mut by_group: BTreeMap<String, Vec<RawOperation>> = BTreeMap::new();
    for op in operations {
        by_group.entry(op.group.clone()).or_default().push(op);
    }
    let mut groups = BTreeMap::new();
    for (group, ops) in by_group {
        let module = modules.unique(&snake_name(&group));
        let mut methods = Namer::with_reserved(handle_names());
        let mut builders = Namer::with_reserved([type_name(&group).as_str()]);
        let mut list = Vec::with_capacity(ops.len());
        for raw in ops {
            let mut op = raw.op;
            op.method_name = methods.unique(&op.method_name);
            op.builder = builders.unique(&op.builder);
            op.pagination = pagination(&op, raw.pagination_ext.as_ref(), types)?;
            list.push(op);
        }
        list.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        groups.insert(
            module.clone(),
            Group {
                handle: type_name(&group),
                module,
                operations: list,
            },
        );
    }
    Ok(groups)
}

/// Pagination from `x-pagination`, or inferred from `page`/`pageSize` and a total count.
fn pagination(
    op: &crate::ir::Operation,
    ext: Option<&Value>,
    types: &[TypeDef],
) -> Result<Option<Pagination>> {
    let at = Pointer::from_ref(&op.pointer).push("x-pagination");
    let get = |key: &str| ext.and_then(|e| e.get(key)).and_then(Value::as_str);
    let page_wire = get("pageParam").unwrap_or("page");
    let size_wire = get("pageSizeParam").unwrap_or("pageSize");
    let find = |wire: &str| {
        op.params
            .iter()
            .position(|p| p.location == ParamLocation::Query && p.wire == wire)
    };
    let (Some(page_param), Some(page_size_param)) = (find(page_wire), find(size_wire)) else {
        return match ext {
            Some(_) => Err(at.error(format!(
                "query parameters `{page_wire}` and `{size_wire}` are required for pagination"
            ))),
            None => Ok(None),
        };
    };
    let response = match &op.success.ty {
        Some(TypeRef::Named(id)) => types.get(*id),
        _ => None,
    };
    let Some(TypeKind::Struct(body)) = response.map(|t| &t.kind) else {
        return match ext {
            Some(_) => Err(at.error("a paginated operation must return an object")),
            None => Ok(None),
        };
    };
    let total = match get("totalProperty") {
        Some(wire) => Some(body.fields.iter().find(|f| f.wire == wire).ok_or_else(|| {
            at.push("totalProperty")
                .error(format!("the response has no `{wire}` property"))
        })?),
        None => body
            .fields
            .iter()
            .find(|f| matches!(f.wire.as_str(), "totalCount" | "total" | "total_count")),
    };
    let items = match get("itemsProperty") {
        Some(wire) => Some(body.fields.iter().find(|f| f.wire == wire).ok_or_else(|| {
            at.push("itemsProperty")
                .error(format!("the response has no `{wire}` property"))
        })?),
        None => {
            let lists: Vec<_> = body
                .fields
                .iter()
                .filter(|f| matches!(f.ty, TypeRef::List(_)))
                .collect();
            match lists.as_slice() {
                [only] if total.is_some() => Some(*only),
                _ => None,
            }
        }
    };
    let Some(items) = items else {
        return Ok(None);
    };
    let TypeRef::List(item_ty) = &items.ty else {
        return Err(at
            .push("itemsProperty")
            .error(format!("`{}` is not a list", items.wire)));
    };
    if let Some(total) = total
        && !matches!(total.ty, TypeRef::Integer { .. } | TypeRef::Number)
    {
        return Err(at
            .push("totalProperty")
            .error(format!("`{}` is not a number", total.wire)));
    }
    Ok(Some(Pagination {
        page_param,
        page_size_param,
        items_field: items.name.clone(),
        items_optional: items.is_optional(),
        item_ty: (**item_ty).clone(),
        total_field: total.map(|t| t.name.clone()),
        total_optional: total.is_some_and(|t| t.is_optional()),
        total_is_number: total.is_some_and(|t| matches!(t.ty, TypeRef::Number)),
    }))
}

/// Sorts types by name and rewrites every `TypeId` to match.
fn sort_types(model: &mut Model) {
    let mut order: Vec<usize> = (0..model.types.len()).collect();
    order.sort_by(|a, b| model.types[*a].name.cmp(&model.types[*b].name));
    let mut new_id = vec![0; order.len()];
    for (new, old) in order.iter().enumerate() {
        new_id[*old] = new;
    }
    let remap = |ty: &mut TypeRef| remap_ref(ty, &new_id);
    let old = std::mem::take(&mut model.types);
    let mut slots: Vec<Option<TypeDef>> = old.into_iter().map(Some).collect();
    for old_id in &order {
        if let Some(def) = slots.get_mut(*old_id).and_then(Option::take) {
            model.types.push(def);
        }
    }
    for def in &mut model.types {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| remap(&mut f.ty));
                remap(&mut s.additional);
            }
            TypeKind::Tagged(t) => t.variants.iter_mut().for_each(|v| remap(&mut v.ty)),
            TypeKind::Untagged(u) => u.variants.iter_mut().for_each(|v| remap(&mut v.ty)),
            TypeKind::Alias(ty) => remap(ty),
            TypeKind::Enum(_) => {}
        }
    }
    if let Some(ty) = &mut model.error_body {
        remap(ty);
    }
    for group in model.groups.values_mut() {
        for op in &mut group.operations {
            for p in &mut op.params {
                remap_param(&mut p.ty, &new_id);
            }
            if let Some(body) = &mut op.body {
                remap(&mut body.ty);
            }
            if let Some(ty) = &mut op.success.ty {
                remap(ty);
            }
            if let Some(p) = &mut op.pagination {
                remap(&mut p.item_ty);
            }
            for (_, ty) in &mut op.error_bodies {
                remap(ty);
            }
        }
    }
}

fn remap_ref(ty: &mut TypeRef, new_id: &[usize]) {
    match ty {
        TypeRef::Named(id) => *id = new_id.get(*id).copied().unwrap_or(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) => remap_ref(inner, new_id),
        _ => {}
    }
}

fn remap_param(ty: &mut crate::ir::ParamType, new_id: &[usize]) {
    match ty {
        crate::ir::ParamType::Enum(id) => *id = new_id.get(*id).copied().unwrap_or(*id),
        crate::ir::ParamType::List(inner) => remap_param(inner, new_id),
        _ => {}
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
