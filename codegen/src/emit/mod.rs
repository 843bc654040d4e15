//! Emission: from the intermediate model to formatted Rust files.

mod blocking;
mod builders;
mod cli;
mod docs;
mod environment;
mod examples;
mod importers;
mod merged;
mod mock;
mod operations;
mod path_params;
mod registry;
mod rust;
mod support;
mod types;
mod unions;

use crate::error::{Error, Result};
use crate::ir::{Group, Model, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

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
///
/// Few files, each of a useful size: a new file costs more to write than
/// many lines do. Types share files (`types/c.rs`, see `lower::files`), the
/// blocking client is one file with a module per group, and the environment
/// and the union helpers live inside `mod.rs`.
pub fn emit(model: &Model, preamble: &str, krate: &str) -> Result<Vec<File>> {
    let mut by_file: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for def in &model.types {
        by_file.entry(def.module.as_str()).or_default().push(def);
    }
    // Every file is made and formatted on its own, on every core. The
    // largest come first so that no core is left with one at the end; files
    // are sorted by path afterwards, so output does not depend on scheduling.
    let modules: Vec<&str> = by_file.keys().copied().collect();
    let mut jobs = vec![
        Job::Mock,
        Job::Blocking,
        Job::Root,
        Job::TypesIndex(modules),
    ];
    jobs.extend(model.groups.values().map(Job::Group));
    jobs.extend(
        by_file
            .into_iter()
            .map(|(module, defs)| Job::Types(module, defs)),
    );
    let mut files = run_jobs(&jobs, model, preamble, krate)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A generated file that can be made on its own.
enum Job<'a> {
    /// `mod.rs`: the module's root, with the environments and the helpers
    /// the generated types use.
    Root,
    /// `mock.rs`.
    Mock,
    /// `blocking.rs`: the blocking client, a module per group.
    Blocking,
    /// `types/mod.rs`: the files of `types/` (their modules, in order),
    /// everything re-exported.
    TypesIndex(Vec<&'a str>),
    /// One file of `types/` and the types it holds.
    Types(&'a str, Vec<&'a TypeDef>),
    /// A group's operations and importers.
    Group(&'a Group),
}

impl Job<'_> {
    /// Makes and formats the file. Tokens never leave the thread that made
    /// them (`proc_macro2` token streams are not `Send`).
    fn run(&self, model: &Model, preamble: &str, krate: &str) -> Result<File> {
        let (path, tokens) = match self {
            Job::Root => (String::from("mod.rs"), root_tokens(model, krate)),
            Job::Mock => (String::from("mock.rs"), mock::mock_file(model)),
            Job::Blocking => (
                String::from("blocking.rs"),
                blocking::blocking_file(model, krate),
            ),
            Job::TypesIndex(modules) => (String::from("types/mod.rs"), types_index(modules)),
            // Owned streams are moved in with `extend`; interpolating them
            // in `quote!` would copy every token once more.
            Job::Types(module, defs) => {
                let option_taken = defs.iter().any(|def| def.name == "Option");
                let mut tokens = TokenStream::new();
                tokens.extend(
                    defs.iter()
                        .map(|def| types::type_tokens(def, model, option_taken)),
                );
                (format!("types/{module}.rs"), tokens)
            }
            Job::Group(group) => {
                let mut tokens = operations::group_file(group, model, krate);
                tokens.extend(importers::group_importers(group, model));
                (format!("{}.rs", group.module), tokens)
            }
        };
        let text = format_file(&path, tokens, preamble)?;
        Ok(File { path, text })
    }
}

/// `mod.rs`: the module's doc, its modules, and the constants.
fn root_tokens(model: &Model, krate: &str) -> TokenStream {
    let group_mods: Vec<_> = model
        .groups
        .values()
        .map(|g| rust::ident(&g.module))
        .collect();
    let root_doc = docs::inner_doc_attrs(&format!(
        "Code generated from the OpenAPI description of the {}: models in [`types`], one module per group of endpoints, and the environments.",
        model.title
    ));
    let constants = environment::constants(model, krate);
    let multipart = model.uses_multipart().then(|| {
        quote! {
            #[cfg(not(feature = "multipart"))]
            compile_error!("this API sends `multipart/form-data` bodies: enable the `multipart` feature");
        }
    });
    let patterns = model.uses_patterns().then(|| {
        quote! {
            #[cfg(not(feature = "patterns"))]
            compile_error!("this API tells union variants apart by `pattern`: enable the `patterns` feature");
        }
    });
    let environment = environment::environment_file(model);
    let support = support::support_file(model);
    quote! {
        #root_doc
        #multipart
        #patterns
        pub mod types;
        #(pub mod #group_mods;)*
        #[cfg(feature = "blocking")]
        #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
        pub mod blocking;
        #[cfg(feature = "mock")]
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        pub mod mock;

        pub use environment::Environment;

        #constants

        mod environment {
            #environment
        }

        pub(crate) mod support {
            #support
        }
    }
}

/// `types/mod.rs`: every file of `types/`, all re-exported.
fn types_index(modules: &[&str]) -> TokenStream {
    let modules: Vec<_> = modules.iter().map(|m| rust::ident(m)).collect();
    quote! {
        //! Every model of the API, all re-exported here; each file holds the
        //! types whose names start with its letters.
        #(mod #modules;)*
        #(pub use self::#modules::*;)*
    }
}

/// Runs `jobs` on up to one thread per core; the first error (in job
/// order) wins.
fn run_jobs(jobs: &[Job<'_>], model: &Model, preamble: &str, krate: &str) -> Result<Vec<File>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(jobs.len().max(1));
    if threads == 1 {
        return jobs
            .iter()
            .map(|job| job.run(model, preamble, krate))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<File>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(index) else { break };
                        done.push((index, job.run(model, preamble, krate)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker.join().unwrap_or_else(|_| {
                    vec![(
                        usize::MAX,
                        Err(Error::new(
                            "#",
                            "internal error: a code generation thread panicked",
                        )),
                    )]
                })
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, file)| file).collect()
}

/// Emits the type registry module for a crate depending on `crate_name` (see `registry`).
pub fn emit_registry(model: &Model, crate_name: &str, preamble: &str) -> Result<File> {
    let path = String::from("registry.rs");
    let text = format_file(&path, registry::registry_file(model, crate_name), preamble)?;
    Ok(File { path, text })
}

/// Emits `commands.rs` of the command-line tool, which calls the SDK crate
/// `krate` (see `cli`).
pub fn emit_cli(model: &Model, krate: &str, preamble: &str) -> Result<File> {
    let path = String::from("commands.rs");
    let text = format_file(&path, cli::commands_file(model, krate), preamble)?;
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
