//! Lowering: from the document to the intermediate model ([`crate::ir::Model`]).

mod assemble;
mod boxing;
mod error_body;
mod media;
mod names;
mod operation;
mod pagination;
mod schema;
mod server;
mod union;
mod webhooks;

use crate::error::{Pointer, Result};
use crate::ir::Model;
use crate::spec::Spec;
use serde_json::Value;

/// Lowers a loaded spec into the model the emitters use.
pub fn lower(spec: &Spec) -> Result<Model> {
    let root = &spec.raw;
    let payloads = webhooks::collect(root)?;
    let webhook_union = webhooks::union_schema(root, &payloads);
    let mut lowerer = schema::Lowerer::new(root);
    // Every component schema becomes a type, used or not.
    if let Some(schemas) = root.pointer("/components/schemas") {
        let schemas = schemas.as_object().ok_or_else(|| {
            Pointer::root()
                .push("components")
                .push("schemas")
                .error("must be a mapping")
        })?;
        for name in schemas.keys() {
            lowerer.component(name)?;
        }
    }
    webhooks::lower(&mut lowerer, root, &payloads, webhook_union.as_ref())?;
    let operations = operation::lower_all(&mut lowerer)?;
    let title = root
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API")
        .to_owned();
    let env_prefix = root
        .pointer("/info/x-env-prefix")
        .and_then(Value::as_str)
        .map(crate::naming::shouty_name)
        .unwrap_or_else(|| {
            let first_word = title.split_whitespace().next().unwrap_or("API");
            crate::naming::shouty_name(first_word)
        });
    let environments = server::environments(root)?;
    let auth = server::auth(root)?;
    assemble::assemble(lowerer, operations, environments, auth, env_prefix, title)
}
