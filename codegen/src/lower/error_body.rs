//! The error body: the one type every documented error response uses, if there is one.

use super::operation::RawOperation;
use crate::ir::TypeRef;
use std::collections::BTreeSet;

/// The shared error body type, if every documented error uses the same one.
pub(super) fn error_body(operations: &[RawOperation]) -> Option<TypeRef> {
    let all: BTreeSet<&TypeRef> = operations
        .iter()
        .flat_map(|o| o.error_types.iter())
        .collect();
    match all.len() {
        1 => all.into_iter().next().cloned(),
        _ => None,
    }
}
