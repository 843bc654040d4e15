//! Recursion: a `$ref` loop that never says what it is is an error, and every by-value
//! field on a cycle is boxed so that every type has a finite size.

use crate::error::{Error, Result};
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// A schema that is only a `$ref` to itself (directly or around a loop) describes nothing.
pub(super) fn check_alias_cycles(types: &[TypeDef]) -> Result<()> {
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
pub(super) fn add_boxes(types: &mut [TypeDef]) {
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
