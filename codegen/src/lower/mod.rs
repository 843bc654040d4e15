//! Lowering: from the document to the intermediate model ([`crate::ir::Model`]).

mod assemble;
mod batch;
mod boxing;
mod context;
mod error_body;
mod files;
mod formats;
mod media;
mod merged;
mod mock;
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
/// Lowers `spec` into the IR; the second value holds the schemas that were
/// read as any JSON value because the generator cannot express them, each a
/// located warning.
pub fn lower(spec: &Spec) -> Result<(Model, Vec<crate::error::Error>)> {
    let root = &spec.raw;
    let payloads = webhooks::collect(root)?;
    let mut lowerer = context::Lowerer::new(root);
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
    lowerer.drain()?;
    webhooks::lower(&mut lowerer, root, &payloads)?;
    let operations = operation::lower_all(&mut lowerer)?;
    lowerer.drain()?;
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
    let mut warnings = std::mem::take(&mut lowerer.warnings);
    let mut model = assemble::assemble(lowerer, operations, environments, auth, env_prefix, title)?;
    group_docs(root, &mut model);
    warnings.extend(batch::relate(&mut model));
    mock::name_all(&mut model.groups);
    Ok((model, warnings))
}

/// Gives each group the description of the tag of the same name, when the
/// document's `tags` list has one.
fn group_docs(root: &Value, model: &mut Model) {
    let Some(tags) = root.get("tags").and_then(Value::as_array) else {
        return;
    };
    for tag in tags {
        let name = tag.get("name").and_then(Value::as_str);
        let doc = tag
            .get("description")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty());
        if let (Some(name), Some(doc)) = (name, doc)
            && let Some(group) = model.groups.get_mut(&crate::naming::snake_name(name))
            && group.doc.is_none()
        {
            group.doc = Some(doc.to_owned());
        }
    }
}
