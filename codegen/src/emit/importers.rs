//! Emitting bulk importers for batch endpoints.
//!
//! A batch operation is a `POST` whose JSON body is an object with a required
//! `data` array (its only required property) and an optional `batchId`
//! string, whose answer counts `successful` and `failed` records and lists
//! `failedRecords` (`id`, `reasonCode`), and beside which a paginated `GET`
//! at the same path plus `/{batchId}` lists the batch's results. For each,
//! the group gets `import_<results>(records)` and `import_<results>_stream`
//! (`<results>` is the `GET`'s method name without `get_`), returning the
//! runtime's `Import`, and a marker type describing the endpoint to the
//! runtime's import engine. Operations that do not fit get no importer.

use super::docs::doc_attrs;
use super::rust::{Scope, ident, rust_type};
use crate::ir::{Field, Group, Model, Operation, Pagination, ParamType, Struct, TypeKind, TypeRef};
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::quote;

/// Largest page the batch `GET` is asked for when checking a chunk.
const CHECK_PAGE_SIZE: i64 = 100;

/// The importers of `group`, appended to the group's file: the `import_*`
/// methods in a second `impl` of the group handle, and each endpoint's
/// marker type. Empty when the group has no batch operation.
pub(crate) fn group_importers(group: &Group, model: &Model) -> TokenStream {
    let mut methods = Vec::new();
    let mut items = Vec::new();
    for op in &group.operations {
        if let Some(batch) = recognise(op, model) {
            let (method, item) = importer_tokens(group, &batch, model);
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

/// A batch operation and what the importer needs to know about it.
struct BatchOp<'m> {
    post: &'m Operation,
    get: &'m Operation,
    pagination: &'m Pagination,
    body: &'m TypeRef,
    data: &'m Field,
    batch_id: &'m Field,
    record: &'m TypeRef,
    record_id: Vec<&'m Field>,
    result_id: Vec<&'m Field>,
    successful: &'m Field,
    failed: &'m Field,
    failed_records: &'m Field,
    failed_id: &'m Field,
    failed_reason: &'m Field,
}

fn recognise<'m>(post: &'m Operation, model: &'m Model) -> Option<BatchOp<'m>> {
    if post.http_method != "POST" {
        return None;
    }
    let body = &post.body.as_ref()?.ty;
    let body_struct = struct_of(body, model)?;
    let data = field(body_struct, "data").filter(|f| f.required && !f.nullable)?;
    let TypeRef::List(record) = &data.ty else {
        return None;
    };
    let batch_id =
        field(body_struct, "batchId").filter(|f| !f.required && f.ty == TypeRef::String)?;
    if body_struct
        .fields
        .iter()
        .any(|f| f.required && f.wire != "data")
    {
        return None;
    }
    let answer = struct_of(post.success.ty.as_ref()?, model)?;
    let successful = field(answer, "successful").filter(|f| is_count(f))?;
    let failed = field(answer, "failed").filter(|f| is_count(f))?;
    let failed_records = field(answer, "failedRecords")?;
    let TypeRef::List(failed_record) = &failed_records.ty else {
        return None;
    };
    let failed_record = struct_of(failed_record, model)?;
    let failed_id = field(failed_record, "id").filter(|f| f.ty == TypeRef::String)?;
    let failed_reason = field(failed_record, "reasonCode").filter(|f| f.ty == TypeRef::String)?;

    let get = batch_get(post, model)?;
    let pagination = get.pagination.as_ref()?;
    let page_size = get.params.get(pagination.page_size_param)?;
    if page_size.ty != ParamType::Integer {
        return None;
    }
    let record_id = id_fields(struct_of(record, model)?);
    let result_id = id_fields(struct_of(&pagination.item_ty, model)?);
    if record_id.is_empty() || result_id.is_empty() {
        return None;
    }
    Some(BatchOp {
        post,
        get,
        pagination,
        body,
        data,
        batch_id,
        record,
        record_id,
        result_id,
        successful,
        failed,
        failed_records,
        failed_id,
        failed_reason,
    })
}

/// The paginated `GET` at the `POST`'s path plus one parameter segment.
fn batch_get<'m>(post: &Operation, model: &'m Model) -> Option<&'m Operation> {
    let prefix = format!("{}/{{", post.path.trim_end_matches('/'));
    model
        .groups
        .values()
        .flat_map(|group| &group.operations)
        .filter(|get| get.http_method == "GET" && get.pagination.is_some())
        .filter(|get| {
            get.path
                .strip_prefix(&prefix)
                .is_some_and(|rest| rest.ends_with('}') && !rest.contains('/'))
        })
        .min_by(|a, b| a.path.cmp(&b.path))
}

/// The fields a record is known by, most specific first: an `eventId`, then
/// the first required string property whose name ends in `Id`. The API names
/// a rejected record by the first of them that is set.
fn id_fields(record: &Struct) -> Vec<&Field> {
    let is_id = |f: &&Field| f.ty == TypeRef::String && f.wire.ends_with("Id") && !f.nullable;
    let mut ids: Vec<&Field> = record
        .fields
        .iter()
        .filter(is_id)
        .filter(|f| f.wire == "eventId")
        .collect();
    ids.extend(
        record
            .fields
            .iter()
            .filter(is_id)
            .find(|f| f.required && f.wire != "eventId"),
    );
    ids
}

fn struct_of<'m>(ty: &TypeRef, model: &'m Model) -> Option<&'m Struct> {
    let TypeRef::Named(id) = ty else {
        return None;
    };
    match &model.types.get(*id)?.kind {
        TypeKind::Struct(s) => Some(s),
        TypeKind::Alias(inner) => struct_of(inner, model),
        _ => None,
    }
}

fn field<'s>(s: &'s Struct, wire: &str) -> Option<&'s Field> {
    s.fields.iter().find(|f| f.wire == wire)
}

fn is_count(f: &Field) -> bool {
    f.required && !f.nullable && matches!(f.ty, TypeRef::Number | TypeRef::Integer { .. })
}

/// `record.a.as_deref().or(Some(record.b.as_str()))`-like: the first set id.
fn id_expr(fields: &[&Field], value: &TokenStream) -> TokenStream {
    let parts: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let name = ident(&f.name);
            if f.is_optional() {
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
fn count_expr(f: &Field, value: &TokenStream) -> TokenStream {
    let name = ident(&f.name);
    match f.ty {
        TypeRef::Number => quote!(#value.#name),
        _ => quote!(#value.#name as f64),
    }
}

/// `Option<String>` from a field of a failed record.
fn text_expr(f: &Field, value: &TokenStream) -> TokenStream {
    let name = ident(&f.name);
    if f.is_optional() {
        quote!(#value.#name)
    } else {
        quote!(::std::option::Option::Some(#value.#name))
    }
}

fn importer_tokens(
    group: &Group,
    batch: &BatchOp<'_>,
    model: &Model,
) -> (TokenStream, TokenStream) {
    let handle = ident(&group.handle);
    let accessor = ident(&group.module);
    let results = batch
        .get
        .method_name
        .strip_prefix("get_")
        .or_else(|| batch.get.method_name.strip_prefix("list_"))
        .unwrap_or(&batch.get.method_name);
    let import = ident(&format!("import_{results}"));
    let import_stream = ident(&format!("import_{results}_stream"));
    let marker = ident(&format!("{}Import", results.to_upper_camel_case()));
    let post_method = ident(&batch.post.method_name);
    let get_method = ident(&batch.get.method_name);
    let builder = ident(&batch.post.builder);
    let endpoint = format!("POST {}", batch.post.path);
    let check = format!("GET {}", batch.get.path);

    let record = rust_type(batch.record, model, Scope::Crate);
    let body = rust_type(batch.body, model, Scope::Crate);
    let item = rust_type(&batch.pagination.item_ty, model, Scope::Crate);
    let data = ident(&batch.data.name);
    let batch_id = ident(&batch.batch_id.name);
    let record_id = id_expr(&batch.record_id, &quote!(record));
    let result_id = id_expr(&batch.result_id, &quote!(item));
    let successful = count_expr(batch.successful, &quote!(ack));
    let failed = count_expr(batch.failed, &quote!(ack));
    let failed_records = ident(&batch.failed_records.name);
    let failed_id = text_expr(batch.failed_id, &quote!(record));
    let failed_reason = text_expr(batch.failed_reason, &quote!(record));
    let failed_list = if batch.failed_records.is_optional() {
        quote!(ack.#failed_records)
    } else {
        quote!(::std::option::Option::Some(ack.#failed_records))
    };
    let page_size_param = &batch.get.params[batch.pagination.page_size_param];
    let page_size_setter = ident(&page_size_param.name);
    let page_size = page_size_param
        .bounds
        .maximum
        .filter(|max| max.is_finite() && *max >= 1.0)
        .map_or(CHECK_PAGE_SIZE, |max| CHECK_PAGE_SIZE.min(max as i64));
    let example_flag = batch
        .post
        .params
        .iter()
        .find(|p| matches!(p.ty, ParamType::BooleanString | ParamType::Boolean))
        .map(|p| format!("request.{}(false)", p.name))
        .unwrap_or_else(|| String::from("request"));

    let import_doc = doc_attrs([
        format!("Imports any number of records through `{endpoint}`, in chunks sent concurrently, and accounts for every record.").as_str(),
        format!("Each chunk is one `{endpoint}` with the `batchId` `{{prefix}}-{{chunk index}}`. A chunk whose answer is lost is checked with `{check}` before it is ever sent again, and 429s slow the whole import down. `records` is read lazily; its items are records or `Result`s of records (such as the parsed lines of a file), and an `Err` is counted in the report's `invalid` with its position instead of being sent. Set chunk size, concurrency and the rest on the returned [`Import`](crate::Import), the endpoint's query flags with `.configure(|request| {example_flag})`, then await it for the [`ImportReport`](crate::ImportReport).").as_str(),
    ]);
    let stream_doc =
        format!(" Like [`{import}`](Self::{import}), reading the records from a stream.");
    let marker_doc = format!(
        " Describes `{endpoint}` (checked with `{check}`) to the importer; see [`{handle}::{import}`]."
    );
    let configure_doc = doc_attrs([
        format!("Sets the query flags of every chunk's `{endpoint}`: `configure` receives each chunk's request builder and returns it changed, as in `.configure(|request| {example_flag})`.").as_str(),
    ]);

    let method = quote! {
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
    };
    let item_tokens = quote! {
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

            fn results<'r>(
                client: &'r crate::runtime::Client,
                batch_id: &str,
                options: crate::runtime::RequestOptions,
            ) -> crate::runtime::ItemStream<'r, Self::ResultItem> {
                client
                    .#accessor()
                    .#get_method(batch_id)
                    .options(options)
                    .#page_size_setter(#page_size)
                    .stream()
            }
        }


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
    };
    (method, item_tokens)
}
