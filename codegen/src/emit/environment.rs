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

/// The items of `generated/mod.rs` after the module list: the API's facts
/// for the runtime, the client, the aliases that fix the runtime's generic
/// types to this API, and the `runtime` module generated code names.
pub(crate) fn constants(model: &Model, krate: &str) -> TokenStream {
    let rt = runtime_path();
    let auth = match &model.auth {
        Auth::Header(name) => quote!(#rt::Auth::Header { name: #name }),
        Auth::Bearer => quote!(#rt::Auth::Bearer),
        Auth::Basic => quote!(#rt::Auth::Basic),
        Auth::None => quote!(#rt::Auth::None),
    };
    let prefix = &model.env_prefix;
    let error_body = match &model.error_body {
        Some(ty) => rust_type(ty, model, Scope::Crate),
        None => quote!(::serde_json::Value),
    };
    let client_doc = format!(
        " An async client for the {}.\n\n Cloning is cheap: clones share one connection pool and \
         configuration. Endpoints are reached through one accessor per group.\n\n ```no_run\n \
         # async fn run() -> Result<(), {krate}::Error> {{\n let client = {krate}::Client::new(\"my-api-key\")?;\n \
         # let _ = client;\n # Ok(())\n # }}\n ```",
        model.title
    );
    let from_env_doc = format!(
        " A client configured from the environment: `{prefix}_API_KEY` (required) and \
         `{prefix}_BASE_URL` (optional)."
    );
    quote! {
        /// The facts about this API the runtime needs: servers, authentication,
        /// environment variables, user agent, error body.
        #[doc(hidden)]
        #[derive(Debug, Clone, Copy)]
        pub enum ApiDefinition {}

        impl #rt::Api for ApiDefinition {
            type Environment = Environment;
            type ErrorBody = ErrorBody;
            const AUTH: #rt::Auth = #auth;
            const ENV_VAR_PREFIX: &'static str = #prefix;
            const USER_AGENT: &'static str =
                ::std::concat!(::std::env!("CARGO_PKG_NAME"), "-rust/", ::std::env!("CARGO_PKG_VERSION"));

            fn base_url(environment: Environment) -> &'static str {
                environment.base_url()
            }
        }

        /// The body the API documents for its error responses.
        pub type ErrorBody = #error_body;

        /// Everything that can go wrong when building a client or calling the API.
        pub type Error = #rt::Error<ErrorBody>;

        /// A response with a status outside 2xx.
        pub type ApiError = #rt::ApiError<ErrorBody>;

        /// Boxed stream of items across pages.
        pub type ItemStream<'a, T> = #rt::ItemStream<'a, T, ErrorBody>;

        /// The account of a bulk import.
        pub type ImportReport<R> = #rt::ImportReport<R, ErrorBody>;

        /// A record that was not imported, or may not have been.
        pub type NotImported<R> = #rt::NotImported<R, ErrorBody>;

        /// Why a record was not imported.
        pub type NotImportedReason = #rt::NotImportedReason<ErrorBody>;

        /// Configures a [`Client`]; start with [`Client::builder`].
        pub type ClientBuilder = #rt::ClientBuilder<Client>;

        #[doc = #client_doc]
        #[derive(Clone)]
        pub struct Client(#rt::Client<ApiDefinition>);

        impl Client {
            /// A client for the default environment with default settings.
            ///
            /// Fails only if the key cannot be sent in a header or the HTTP client
            /// cannot be created.
            pub fn new(api_key: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, Error> {
                ClientBuilder::new().api_key(api_key).build()
            }

            #[doc = #from_env_doc]
            pub fn from_env() -> ::std::result::Result<Self, Error> {
                ClientBuilder::from_env()?.build()
            }

            /// A builder for a client with custom settings.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = #rt::Client<ApiDefinition>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl #rt::BuildClient for Client {
            type Api = ApiDefinition;

            fn from_client(client: #rt::Client<ApiDefinition>) -> ::std::result::Result<Self, Error> {
                ::std::result::Result::Ok(Client(client))
            }
        }

        #[cfg(feature = "blocking")]
        impl #rt::HasBlocking for Client {
            type Blocking = blocking::Client;
        }

        /// A bulk import through one batch endpoint; await it (or call
        /// [`run`](Self::run)) to get the [`ImportReport`]. See the runtime's
        /// `Import` for how failures are handled.
        #[must_use = "an import does nothing until it is awaited"]
        pub struct Import<'a, E: #rt::BatchEndpoint>(#rt::Import<'a, E>);

        impl<'a, E: #rt::BatchEndpoint> Import<'a, E> {
            /// An import of `records` (records, or results of records), as a stream.
            #[doc(hidden)]
            pub fn new<S>(client: &'a E::Client, records: S) -> Self
            where
                S: ::futures_core::Stream + ::std::marker::Send + 'a,
                S::Item: #rt::IntoImportItem<E::Record>,
            {
                Import(#rt::Import::new(client, records))
            }

            /// An import of `records` (records, or results of records), from anything iterable.
            #[doc(hidden)]
            pub fn from_records<I>(client: &'a E::Client, records: I) -> Self
            where
                I: ::std::iter::IntoIterator,
                I::Item: #rt::IntoImportItem<E::Record>,
                I::IntoIter: ::std::marker::Send + 'a,
            {
                Import(#rt::Import::from_records(client, records))
            }

            /// Wraps the runtime's import.
            #[doc(hidden)]
            pub fn from_runtime(import: #rt::Import<'a, E>) -> Self {
                Import(import)
            }

            /// The runtime's import.
            #[doc(hidden)]
            pub fn into_runtime(self) -> #rt::Import<'a, E> {
                self.0
            }

            /// Records per chunk (one `POST` each): 1 to `MAX_CHUNK_SIZE`, default `DEFAULT_CHUNK_SIZE`.
            pub fn chunk_size(self, records: usize) -> Self {
                Import(self.0.chunk_size(records))
            }

            /// Chunks in flight at once (default `DEFAULT_CONCURRENCY`).
            pub fn concurrency(self, chunks: usize) -> Self {
                Import(self.0.concurrency(chunks))
            }

            /// The prefix of every chunk's `batchId`, `{prefix}-{chunk index}`; unique to the import.
            pub fn batch_id_prefix(self, prefix: impl ::std::convert::Into<::std::string::String>) -> Self {
                Import(self.0.batch_id_prefix(prefix))
            }

            /// Whether to check, before sending each chunk, whether an earlier run already imported it.
            pub fn resume(self, resume: bool) -> Self {
                Import(self.0.resume(resume))
            }

            /// Attempts per chunk, the first included (default `DEFAULT_MAX_ATTEMPTS`).
            pub fn max_attempts(self, attempts: u32) -> Self {
                Import(self.0.max_attempts(attempts))
            }

            /// Wait before checking a chunk whose answer was lost (default `DEFAULT_CHECK_DELAY`).
            pub fn check_delay(self, delay: ::std::time::Duration) -> Self {
                Import(self.0.check_delay(delay))
            }

            /// How many items the input holds, for progress when the input cannot tell.
            pub fn expected_total(self, items: u64) -> Self {
                Import(self.0.expected_total(items))
            }

            /// Options for every request (timeout, headers, ...).
            pub fn options(self, options: #rt::RequestOptions) -> Self {
                Import(self.0.options(options))
            }

            /// Calls `callback` with a progress snapshot whenever a chunk is sent or settled.
            pub fn on_progress(self, callback: impl ::std::ops::Fn(&#rt::Progress) + ::std::marker::Send + ::std::marker::Sync + 'a) -> Self {
                Import(self.0.on_progress(callback))
            }

            /// Runs the import. Fails only on unusable settings; everything that
            /// goes wrong with records or requests is in the report.
            pub async fn run(self) -> #rt::ImportResult<E> {
                self.0.run().await
            }
        }

        impl<'a, E: #rt::BatchEndpoint> ::std::future::IntoFuture for Import<'a, E>
        where
            E::Record: 'a,
        {
            type Output = #rt::ImportResult<E>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.0)
            }
        }

        impl<E: #rt::BatchEndpoint> ::std::fmt::Debug for Import<'_, E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        /// The runtime as generated code names it (`crate::runtime::…`): the
        /// runtime crate, with this API's client and aliases in place of its
        /// generic types.
        #[allow(unused_imports, reason = "generated code names only some of them")]
        pub(crate) mod runtime {
            pub use #rt::*;
            pub use super::{
                ApiError, Client, ClientBuilder, Error, Import, ImportReport, ItemStream,
                NotImported, NotImportedReason,
            };

            /// A `multipart/form-data` body, part by part.
            #[cfg(feature = "multipart")]
            pub type Multipart = #rt::Multipart<super::ErrorBody>;

            /// The body, encoded once as JSON.
            #[doc(hidden)]
            pub fn json_body<T: ::serde::Serialize + ?::std::marker::Sized>(
                body: &T,
            ) -> ::std::result::Result<RequestBody, Error> {
                #rt::json_body(body)
            }

            /// One path segment, percent-encoded.
            #[doc(hidden)]
            pub fn path_segment(name: &str, value: &str) -> ::std::result::Result<::std::string::String, Error> {
                #rt::path_segment(name, value)
            }

            /// Pages fetched lazily, their items streamed.
            #[doc(hidden)]
            pub fn paginate<'a, T, F, Fut>(first_page: u64, fetch: F) -> ItemStream<'a, T>
            where
                T: ::std::marker::Send + ::std::clone::Clone + ::std::cmp::PartialEq + 'a,
                F: ::std::ops::FnMut(u64) -> Fut + ::std::marker::Send + 'a,
                Fut: ::std::future::Future<Output = ::std::result::Result<Page<T>, Error>> + ::std::marker::Send + 'a,
            {
                #rt::paginate(first_page, fetch)
            }
        }

        pub use runtime::*;
    }
}

/// The path of the runtime crate in generated code.
pub(crate) fn runtime_path() -> TokenStream {
    quote!(::openapi_client_rt)
}
