//! Emitting the `Environment` enum and the crate-level constants the runtime reads.

use super::docs::doc_attrs;
use super::rust::{Scope, ident, rust_type};
use crate::ir::{Auth, Model};
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn environment_file(model: &Model) -> TokenStream {
    let names: Vec<_> = model.environments.iter().map(|e| ident(&e.name)).collect();
    let urls: Vec<&String> = model.environments.iter().map(|e| &e.url).collect();
    let docs: Vec<TokenStream> = model
        .environments
        .iter()
        .map(|e| doc_attrs([e.doc.as_str()]))
        .collect();
    let default = names.first().map(|_| quote!(#[default]));
    let first = names.first();
    let rest = names.iter().skip(1);
    let first_doc = docs.first();
    let rest_docs = docs.iter().skip(1);
    quote! {
        //! The servers the client can talk to.

        /// Where requests are sent. The default is the first server the spec lists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum Environment {
            #first_doc
            #default
            #first,
            #(#rest_docs #rest,)*
        }

        impl Environment {
            /// Every environment, default first.
            pub const ALL: &'static [Environment] = &[#(Environment::#names),*];

            /// The base URL of this environment, without a trailing slash.
            pub fn base_url(&self) -> &'static str {
                match self {
                    #(Environment::#names => #urls,)*
                }
            }
        }
    }
}

/// The items of `generated/mod.rs` after the module list: auth, env prefix, error body.
pub(crate) fn constants(model: &Model) -> TokenStream {
    let auth = match &model.auth {
        Auth::Header(name) => quote!(crate::runtime::Auth::Header { name: #name }),
        Auth::Bearer => quote!(crate::runtime::Auth::Bearer),
        Auth::Basic => quote!(crate::runtime::Auth::Basic),
        Auth::None => quote!(crate::runtime::Auth::None),
    };
    let prefix = &model.env_prefix;
    let error_body = match &model.error_body {
        Some(ty) => rust_type(ty, model, Scope::Crate),
        None => quote!(::serde_json::Value),
    };
    let prefix_doc = format!(
        " Prefix of the environment variables `Client::from_env` reads (`{prefix}_API_KEY`)."
    );
    quote! {
        /// How every request authenticates, from the spec's `securitySchemes`.
        pub(crate) const AUTH: crate::runtime::Auth = #auth;

        #[doc = #prefix_doc]
        pub(crate) const ENV_PREFIX: &str = #prefix;

        /// The body the API documents for its error responses.
        pub type ErrorBody = #error_body;
    }
}
