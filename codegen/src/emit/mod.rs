//! Emission: from the intermediate model to formatted Rust files.

mod blocking;
mod builders;
mod docs;
mod environment;
mod examples;
mod importers;
mod operations;
mod registry;
mod rust;
mod support;
mod types;
mod unions;

use crate::error::{Error, Result};
use crate::ir::Model;
use proc_macro2::TokenStream;
use quote::quote;

pub use operations::CLIENT_METHODS;
pub(crate) use operations::{BUILDER_NAMES, client_names, handle_names};
pub(crate) use types::STRUCT_NAMES;

/// Modules of the generated root (`mod.rs`) besides the groups; groups are named around them.
pub(crate) const ROOT_MODULES: &[&str] = &["types", "support", "environment", "blocking"];

/// Names a module in `types/` cannot take (`types/mod.rs` is the folder's own module).
pub(crate) const TYPE_MODULES: &[&str] = &["mod", "support"];

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the generated module's folder, `/`-separated (`types/card_details.rs`).
    pub path: String,
    /// Formatted Rust source, preamble included.
    pub text: String,
}

/// Emits the files of the generated module (`mod.rs` and everything under it).
/// `krate` is the name the crate is used by (`flagright_api`), for the doc examples.
pub fn emit(model: &Model, preamble: &str, krate: &str) -> Result<Vec<File>> {
    let mut files = Vec::new();
    let mut push = |path: String, tokens: TokenStream| -> Result<()> {
        files.push(File {
            text: format_file(&path, tokens, preamble)?,
            path,
        });
        Ok(())
    };

    let group_mods: Vec<_> = model
        .groups
        .values()
        .map(|g| rust::ident(&g.module))
        .collect();
    let root_doc = docs::inner_doc_attrs(&format!(
        "Code generated from the OpenAPI description of the {}: models in [`types`], one module per group of endpoints, and the environments.",
        model.title
    ));
    let constants = environment::constants(model);
    push(
        String::from("mod.rs"),
        quote! {
            #root_doc
            pub mod types;
            #(pub mod #group_mods;)*
            mod environment;
            pub(crate) mod support;
            #[cfg(feature = "blocking")]
            pub mod blocking;

            pub use environment::Environment;

            #constants
        },
    )?;
    push(
        String::from("environment.rs"),
        environment::environment_file(model),
    )?;
    push(String::from("support.rs"), support::support_file(model))?;

    let type_mods: Vec<_> = model.types.iter().map(|t| rust::ident(&t.module)).collect();
    push(
        String::from("types/mod.rs"),
        quote! {
            //! Every model of the API, one module per type, all re-exported here.
            #(mod #type_mods;)*
            #(pub use self::#type_mods::*;)*
        },
    )?;
    for def in &model.types {
        push(
            format!("types/{}.rs", def.module),
            types::type_file(def, model),
        )?;
    }
    for group in model.groups.values() {
        let operations = operations::group_file(group, model, krate);
        let importers = importers::group_importers(group, model);
        push(
            format!("{}.rs", group.module),
            quote! {
                #operations
                #importers
            },
        )?;
        push(
            format!("blocking/{}.rs", group.module),
            blocking::blocking_group(group, model, krate),
        )?;
    }
    push(
        String::from("blocking/mod.rs"),
        blocking::blocking_root(model),
    )?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Emits the type registry module for a crate depending on `crate_name` (see `registry`).
pub fn emit_registry(model: &Model, crate_name: &str, preamble: &str) -> Result<File> {
    let path = String::from("registry.rs");
    let text = format_file(&path, registry::registry_file(model, crate_name), preamble)?;
    Ok(File { path, text })
}

/// Formats tokens with prettyplease and puts the preamble on top.
fn format_file(path: &str, tokens: TokenStream, preamble: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::new(
            "#",
            format!("internal error: generated `{path}` is not valid Rust ({e}); please report this with the spec"),
        )
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{preamble}\n{body}"))
}
