//! Emitting the blocking client (`blocking.rs`, behind the `blocking` feature): per group,
//! a module with a handle and one builder per operation that wraps the async builder and
//! waits for it.
//!
//! Nothing about a request is emitted twice: a blocking setter calls the async setter, and
//! `send` runs the async `send` on the blocking client's runtime
//! (`crate::runtime::blocking_client::block_on`).

use super::docs::doc_attrs;
use super::examples;
use super::rust::{Scope, body_type, ident, param_rust_type, response_type, rust_type};
use crate::ir::{Group, Model, Operation};
use proc_macro2::TokenStream;
use quote::quote;

/// `blocking.rs`: the client, its builder and the iterator from the runtime, and one
/// module per group.
pub(crate) fn blocking_file(model: &Model, krate: &str) -> TokenStream {
    let rt = super::environment::runtime_path();
    let mods = model.groups.values().map(|g| {
        let module = ident(&g.module);
        let items = blocking_group(g, model, krate);
        quote! {
            pub mod #module {
                #items
            }
        }
    });
    quote! {
        //! The blocking client: the same groups, methods and builders as the async client,
        //! returning results directly. Needs the `blocking` feature.
        //!
        //! Each call runs the async request on the client's own single-threaded runtime. From
        //! inside an async runtime a call returns [`Error::Config`](crate::Error::Config)
        //! rather than stalling (or panicking) that runtime.

        /// A blocking client: the same groups and methods as the async
        /// [`Client`](crate::Client), returning results directly.
        ///
        /// Cloning is cheap and shares the connection pool and the runtime.
        #[derive(Clone, Debug)]
        pub struct Client(#rt::blocking_client::Client<crate::Client>);

        /// Configures a blocking [`Client`]: the async client's settings, and a
        /// `build` that returns the blocking client.
        pub type ClientBuilder = #rt::ClientBuilder<Client>;

        /// Every item of a paginated listing, one page fetched at a time.
        pub type Items<'a, T> = #rt::blocking_client::Items<'a, T, crate::ErrorBody>;

        impl Client {
            /// A client for the default environment with this API key; see
            /// [`Client::new`](crate::Client::new).
            pub fn new(api_key: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, crate::Error> {
                ClientBuilder::new().api_key(api_key).build()
            }

            /// A client configured from the environment; see
            /// [`Client::from_env`](crate::Client::from_env).
            pub fn from_env() -> ::std::result::Result<Self, crate::Error> {
                ClientBuilder::from_env()?.build()
            }

            /// A builder for a blocking client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                #rt::blocking_client::async_client(&self.0).base_url()
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = #rt::blocking_client::Client<crate::Client>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl #rt::BuildClient for Client {
            type Api = crate::generated::ApiDefinition;

            fn from_client(
                client: #rt::Client<crate::generated::ApiDefinition>,
            ) -> ::std::result::Result<Self, crate::Error> {
                let client = <crate::Client as #rt::BuildClient>::from_client(client)?;
                ::std::result::Result::Ok(Client(#rt::blocking_client::Client::new(client)?))
            }
        }

        impl #rt::HasBlocking for Client {
            type Blocking = Client;
        }

        #(#mods)*
    }
}

/// The module of one group in `blocking.rs`.
fn blocking_group(group: &Group, model: &Model, krate: &str) -> TokenStream {
    let handle = ident(&group.handle);
    let accessor = ident(&group.module);
    let module_doc = format!(
        " Blocking operations of the `{}` group, reached through [`Client::{}`](super::Client::{}).",
        group.module, group.module, group.module
    );
    let handle_doc = format!(
        " The blocking `{}` operations. Get one from [`Client::{}`](super::Client::{}).",
        group.module, group.module, group.module
    );
    let accessor_doc = format!(" The `{}` operations.", group.module);
    let (methods, builders): (Vec<_>, Vec<_>) = group
        .operations
        .iter()
        .map(|op| operation(group, op, model, krate))
        .unzip();
    quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a super::Client,
        }

        impl super::Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl<'a> #handle<'a> {
            #(#methods)*
        }

        #(#builders)*
    }
}

fn operation(
    group: &Group,
    op: &Operation,
    model: &Model,
    krate: &str,
) -> (TokenStream, TokenStream) {
    let module = ident(&group.module);
    let method = ident(&op.method_name);
    let builder = ident(&op.builder);
    let http = format!("{} {}", op.http_method, op.path);
    let fallback = format!("Calls `{http}`.");
    let summary = op.summary.as_deref().unwrap_or(&fallback);
    let method_doc = doc_attrs([summary]);
    let same = format!(
        " Blocking form of [`{}::{}`](crate::{}::{}::{}): `{http}`.",
        group.handle, op.method_name, group.module, group.handle, op.method_name
    );
    let builder_doc = format!(
        " Blocking request builder for `{http}`, made by [`{}::{}`]; call `send` to make the call. Wraps [`crate::{}::{}`].",
        group.handle, op.method_name, group.module, op.builder
    );

    let mut args = Vec::new();
    let mut pass = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let ty = param_rust_type(&p.ty, model);
        if p.required && super::path_params::by_name(op, p) {
            continue;
        } else if p.required {
            args.push(quote! { #name: impl ::std::convert::Into<#ty> });
            pass.push(quote!(#name));
        } else {
            let doc = format!(" Sets the `{}` parameter.", p.wire);
            setters.push(quote! {
                #[doc = #doc]
                pub fn #name(self, value: impl ::std::convert::Into<#ty>) -> Self {
                    #builder { client: self.client, inner: self.inner.#name(value) }
                }
            });
        }
    }
    if let Some(ty) = super::path_params::arg_type(op, quote!(crate::#module)) {
        args.insert(0, quote! { path: #ty });
        pass.insert(0, quote!(path));
    }
    if let Some(body) = &op.body {
        let ty = body_type(body, model);
        if body.required {
            args.push(quote! { body: &'a #ty });
            pass.push(quote!(body));
        } else {
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(self, body: &'a #ty) -> Self {
                    #builder { client: self.client, inner: self.inner.body(body) }
                }
            });
        }
    }
    let response = response_type(op, model);
    let example = examples::call_example(group, op, model, krate, true);
    let stream = op.pagination.as_ref().map(|p| {
        let item = rust_type(&p.item_ty, model, Scope::Crate);
        quote! {
            /// Every item across all pages, fetched lazily one page at a time.
            #[inline]
            pub fn stream(self) -> super::Items<'a, #item> {
                crate::runtime::blocking_client::items(self.client, self.inner.stream())
            }

            /// Like [`stream`](Self::stream), with `page_size` items per request.
            #[inline]
            pub fn stream_with_page_size(self, page_size: i64) -> super::Items<'a, #item> {
                crate::runtime::blocking_client::items(self.client, self.inner.stream_with_page_size(page_size))
            }
        }
    });
    let method_tokens = quote! {
        #method_doc
        ///
        #[doc = #same]
        #example
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self.client,
                inner: crate::runtime::blocking_client::async_client(self.client).#module().#method(#(#pass),*),
            }
        }
    };
    let builder_tokens = quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<'a> {
            client: &'a super::Client,
            inner: crate::generated::#module::#builder<'a>,
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Per-request options (timeout, retries, extra headers and query parameters).
            pub fn options(self, options: crate::runtime::RequestOptions) -> Self {
                #builder { client: self.client, inner: self.inner.options(options) }
            }

            /// Sends the request and returns the response body.
            #[inline]
            pub fn send(self) -> ::std::result::Result<#response, crate::runtime::Error> {
                crate::runtime::blocking_client::block_on(self.client, self.inner.send())
            }

            /// Sends the request and returns the status, headers and body.
            #[inline]
            pub fn send_raw(self) -> ::std::result::Result<crate::runtime::Response<#response>, crate::runtime::Error> {
                crate::runtime::blocking_client::block_on(self.client, self.inner.send_raw())
            }

            #stream
        }
    };
    (method_tokens, builder_tokens)
}
