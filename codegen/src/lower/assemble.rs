//! Putting the model together: final type names and modules, recursion checked and
//! boxed, operations grouped (with pagination), the error body, and types in name order.

use super::context::Lowerer;
use super::operation::RawOperation;
use super::{boxing, error_body, files, names, pagination};
use crate::error::{Error, Result};
use crate::ir::{Auth, Environment, Group, Model, ParamType, TypeDef, TypeKind, TypeRef};
use crate::naming::reserved::{ROOT_MODULES, client_names, handle_names};
use crate::naming::{Namer, snake_name, type_name};
use std::collections::BTreeMap;

/// The last lowering step: turns the lowered types and operations into the [`Model`].
pub(crate) fn assemble(
    lowerer: Lowerer<'_>,
    operations: Vec<RawOperation>,
    environments: Vec<Environment>,
    auth: Auth,
    env_prefix: String,
    title: String,
) -> Result<Model> {
    let pending = lowerer.pending;
    let names = names::type_names(&pending);
    let mut types = Vec::with_capacity(pending.len());
    for (id, p) in pending.into_iter().enumerate() {
        let kind = p.kind.ok_or_else(|| {
            Error::new(
                p.pointer.clone(),
                "type was never completed (internal cycle)",
            )
        })?;
        let (name, origin) = names
            .get(id)
            .cloned()
            .unwrap_or_else(|| (String::new(), crate::ir::NameOrigin::Numbered));
        types.push(TypeDef {
            origin,
            module: String::new(),
            name,
            doc: p.doc,
            pointer: p.pointer,
            kind,
        });
    }
    boxing::check_alias_cycles(&types)?;
    names::name_untagged_variants(&mut types);
    names::name_builders(&mut types);
    files::assign_files(&mut types);
    boxing::add_boxes(&mut types);

    let error_body = error_body::error_body(&operations);
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
            let path_params = op
                .params
                .iter()
                .filter(|p| p.location == crate::ir::ParamLocation::Path)
                .count();
            if path_params >= 2 {
                let candidate = type_name(&format!("{} Path", op.operation_id));
                op.path_struct = Some(builders.unique(&candidate));
            }
            op.pagination = pagination::pagination(&op, raw.pagination_ext.as_ref(), types)?;
            list.push(op);
        }
        list.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        groups.insert(
            module.clone(),
            Group {
                handle: type_name(&group),
                module,
                operations: list,
                doc: None,
                mock: Default::default(),
            },
        );
    }
    Ok(groups)
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

fn remap_param(ty: &mut ParamType, new_id: &[usize]) {
    match ty {
        ParamType::Enum(id) => *id = new_id.get(*id).copied().unwrap_or(*id),
        ParamType::List(inner) => remap_param(inner, new_id),
        ParamType::Object(ty) => remap_ref(ty, new_id),
        _ => {}
    }
}
