//! Pagination: from `x-pagination`, or inferred from `page`/`pageSize` parameters and a
//! response with one list and a total count.

use crate::error::{Pointer, Result};
use crate::ir::{Operation, Pagination, ParamLocation, TypeDef, TypeKind, TypeRef};
use serde_json::Value;

/// Pagination from `x-pagination`, or inferred from `page`/`pageSize` and a total count.
pub(super) fn pagination(
    op: &Operation,
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
