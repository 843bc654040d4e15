//! Emitting bulk importers for batch endpoints.
//!
//! Lowering recognises a batch endpoint and records it as an
//! [`Importer`](crate::ir::Importer) on its operation (see `lower/batch.rs`).
//! For each, the group gets `import_<results>(records)` and
//! `import_<results>_stream`, returning the runtime's `Import`, and a marker
//! type describing the endpoint to the runtime's import engine.

use super::docs::doc_attrs;
use super::rust::{Scope, ident, rust_type};
use crate::ir::{FieldAccess, Group, Importer, Model, Operation};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The importers of `group`, appended to the group's file: the `import_*`
/// methods in a second `impl` of the group handle, and each endpoint's
/// marker type. Empty when the group has no batch operation.
pub(crate) fn group_importers(group: &Group, model: &Model) -> TokenStream {
    let mut methods = Vec::new();
    let mut items = Vec::new();
    for op in &group.operations {
        if let Some(importer) = &op.importer {
            let (method, item) = importer_tokens(group, op, importer, model);
            methods.push(method);
            items.push(item);
        }
    }
    if methods.is_empty() {
        return TokenStream::new();
    }
    let handle = ident(&group.handle);
    quote! {
        impl<'a> #handle<'a> {
            #(#methods)*
        }

        #(#items)*
    }
}

/// `record.a.as_deref().or(Some(record.b.as_str()))`-like: the first set id.
fn id_expr(fields: &[FieldAccess], value: &TokenStream) -> TokenStream {
    let parts: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let name = ident(&f.name);
            if f.optional {
                quote!(#value.#name.as_deref())
            } else {
                quote!(::std::option::Option::Some(#value.#name.as_str()))
            }
        })
        .collect();
    match parts.split_first() {
        Some((first, rest)) => quote!(#first #(.or(#rest))*),
        None => quote!(::std::option::Option::None),
    }
}

/// `f64` from a count field.
fn count_expr(f: &FieldAccess, value: &TokenStream) -> TokenStream {
    let name = ident(&f.name);
    if f.float {
        quote!(#value.#name)
    } else {
        quote!(#value.#name as f64)
    }
}

/// `Option<String>` from a field of a failed record.
fn text_expr(f: &FieldAccess, value: &TokenStream) -> TokenStream {
    let name = ident(&f.name);
    if f.optional {
        quote!(#value.#name)
    } else {
        quote!(::std::option::Option::Some(#value.#name))
    }
}

fn importer_tokens(
    group: &Group,
    post: &Operation,
    batch: &Importer,
    model: &Model,
) -> (TokenStream, TokenStream) {
    let endpoint = format!("POST {}", post.path);
    let check = format!("GET {}", batch.get_path);
    let example_flag = batch
        .example_flag
        .as_ref()
        .map(|flag| format!("request.{flag}(false)"))
        .unwrap_or_else(|| String::from("request"));
    let text = Texts {
        endpoint: &endpoint,
        check: &check,
        example_flag: &example_flag,
    };
    (
        import_methods(batch, model, &text),
        endpoint_tokens(group, post, batch, model, &text),
    )
}

/// What the docs of one importer say about its endpoints.
struct Texts<'t> {
    /// `POST /batch/transactions`.
    endpoint: &'t str,
    /// `GET /batch/transactions/{batchId}`.
    check: &'t str,
    /// A `configure` closure body for the docs (`request.validate_origin_user_id(false)`).
    example_flag: &'t str,
}

/// The two `import_*` methods of the group handle.
fn import_methods(batch: &Importer, model: &Model, text: &Texts<'_>) -> TokenStream {
    let Texts {
        endpoint,
        check,
        example_flag,
    } = text;
    let import = ident(&batch.method);
    let import_stream = ident(&batch.stream_method);
    let marker = ident(&batch.marker);
    let record = rust_type(&batch.record, model, Scope::Crate);
    let import_doc = doc_attrs([
        format!("Imports any number of records through `{endpoint}`, in chunks sent concurrently, and accounts for every record.").as_str(),
        format!("Each chunk is one `{endpoint}` with the `batchId` `{{prefix}}-{{chunk index}}`. A chunk whose answer is lost is checked with `{check}` before it is ever sent again, and 429s slow the whole import down. `records` is read lazily; its items are records or `Result`s of records (such as the parsed lines of a file), and an `Err` is counted in the report's `invalid` with its position instead of being sent. Set chunk size, concurrency and the rest on the returned [`Import`](crate::Import), the endpoint's query flags with `.configure(|request| {example_flag})`, then await it for the [`ImportReport`](crate::ImportReport).").as_str(),
    ]);
    let stream_doc =
        format!(" Like [`{import}`](Self::{import}), reading the records from a stream.");
    quote! {
        #import_doc
        pub fn #import<I>(&self, records: I) -> crate::runtime::Import<'a, #marker>
        where
            I: ::std::iter::IntoIterator,
            I::Item: crate::runtime::IntoImportItem<#record>,
            I::IntoIter: ::std::marker::Send + 'a,
        {
            crate::runtime::Import::from_records(self.client, records)
        }
        #[doc = #stream_doc]
        pub fn #import_stream<S>(&self, records: S) -> crate::runtime::Import<'a, #marker>
        where
            S: ::futures_core::Stream + ::std::marker::Send + 'a,
            S::Item: crate::runtime::IntoImportItem<#record>,
        {
            crate::runtime::Import::new(self.client, records)
        }
    }
}

/// The endpoint's marker type, its `BatchEndpoint` impl (how the import
/// engine builds, sends and checks a chunk) and its `configure`.
fn endpoint_tokens(
    group: &Group,
    post: &Operation,
    batch: &Importer,
    model: &Model,
    text: &Texts<'_>,
) -> TokenStream {
    let Texts {
        endpoint, check, ..
    } = text;
    let handle = ident(&group.handle);
    let accessor = ident(&group.module);
    let get_accessor = ident(&batch.get_group);
    let import = ident(&batch.method);
    let marker = ident(&batch.marker);
    let post_method = ident(&post.method_name);
    let get_method = ident(&batch.get_method);
    let builder = ident(&post.builder);
    let record = rust_type(&batch.record, model, Scope::Crate);
    let body = rust_type(&batch.body, model, Scope::Crate);
    let item = rust_type(&batch.result_item, model, Scope::Crate);
    let data = ident(&batch.data);
    let batch_id = ident(&batch.batch_id);
    let record_id = id_expr(&batch.record_id, &quote!(record));
    let result_id = id_expr(&batch.result_id, &quote!(item));
    let successful = count_expr(&batch.successful, &quote!(ack));
    let failed = count_expr(&batch.failed, &quote!(ack));
    let failed_records = ident(&batch.failed_records.name);
    let failed_id = text_expr(&batch.failed_id, &quote!(record));
    let failed_reason = text_expr(&batch.failed_reason, &quote!(record));
    let failed_list = if batch.failed_records.optional {
        quote!(ack.#failed_records)
    } else {
        quote!(::std::option::Option::Some(ack.#failed_records))
    };
    let page_size_setter = ident(&batch.page_size_setter);
    let page_size = batch.check_page_size;
    let marker_doc = format!(
        " Describes `{endpoint}` (checked with `{check}`) to the importer; see [`{handle}::{import}`]."
    );
    let configure = configure_tokens(&marker, &builder, text);
    quote! {
        #[doc = #marker_doc]
        #[derive(Debug, Clone, Copy)]
        pub enum #marker {}

        impl crate::runtime::BatchEndpoint for #marker {
            type Record = #record;
            type Body = #body;
            type Configure = dyn for<'r> ::std::ops::Fn(#builder<'r>) -> #builder<'r>
                + ::std::marker::Send
                + ::std::marker::Sync;
            type ResultItem = #item;
            type Api = crate::generated::ApiDefinition;
            type Client = crate::runtime::Client;

            const ENDPOINT: &'static str = #endpoint;

            fn record_id(record: &Self::Record) -> ::std::option::Option<&str> {
                #record_id
            }

            fn result_id(item: &Self::ResultItem) -> ::std::option::Option<&str> {
                #result_id
            }

            fn body(records: ::std::vec::Vec<Self::Record>, batch_id: ::std::string::String) -> Self::Body {
                #body::builder().#data(records).#batch_id(batch_id).build()
            }

            fn into_records(body: Self::Body) -> ::std::vec::Vec<Self::Record> {
                body.#data
            }

            // Inline for the reason `IntoFuture` of a request is (see `operations`).
            #[inline]
            fn send<'r>(
                client: &'r crate::runtime::Client,
                body: &'r Self::Body,
                options: crate::runtime::RequestOptions,
                configure: ::std::option::Option<&'r Self::Configure>,
            ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::result::Result<crate::runtime::ChunkAck, crate::runtime::Error>> + ::std::marker::Send + 'r>> {
                let request = client.#accessor().#post_method(body).options(options);
                let request = match configure {
                    ::std::option::Option::Some(configure) => configure(request),
                    ::std::option::Option::None => request,
                };
                ::std::boxed::Box::pin(async move {
                    let ack = request.send().await?;
                    ::std::result::Result::Ok(crate::runtime::ChunkAck {
                        successful: #successful,
                        failed: #failed,
                        failed_records: #failed_list.map(|records| {
                            records
                                .into_iter()
                                .map(|record| (#failed_id, #failed_reason))
                                .collect()
                        }),
                    })
                })
            }

            #[inline]
            fn results<'r>(
                client: &'r crate::runtime::Client,
                batch_id: &str,
                options: crate::runtime::RequestOptions,
            ) -> crate::runtime::ItemStream<'r, Self::ResultItem> {
                client
                    .#get_accessor()
                    .#get_method(batch_id)
                    .options(options)
                    .#page_size_setter(#page_size)
                    .stream()
            }
        }

        #configure
    }
}

/// `Import::configure` for this endpoint: its request builder's type, named.
fn configure_tokens(marker: &Ident, builder: &Ident, text: &Texts<'_>) -> TokenStream {
    let Texts {
        endpoint,
        example_flag,
        ..
    } = text;
    let configure_doc = doc_attrs([
        format!("Sets the query flags of every chunk's `{endpoint}`: `configure` receives each chunk's request builder and returns it changed, as in `.configure(|request| {example_flag})`.").as_str(),
    ]);
    quote! {
        impl<'a> crate::runtime::Import<'a, #marker> {
            #configure_doc
            pub fn configure(
                self,
                configure: impl for<'r> ::std::ops::Fn(#builder<'r>) -> #builder<'r>
                    + ::std::marker::Send
                    + ::std::marker::Sync
                    + 'static,
            ) -> Self {
                crate::runtime::Import::from_runtime(self.into_runtime().configured(::std::boxed::Box::new(configure)))
            }
        }
    }
}
