//! Emitting one module per SDK group: a handle type and a request builder per operation.

use super::docs::doc_attrs;
use super::examples;
use super::rust::{
    Scope, body_type, float_checked, ident, param_rust_type, response_type, rust_type,
};
use crate::ir::{
    Body, Group, Media, Model, Operation, Param, ParamLocation, ParamType, PathSegment, TypeKind,
    TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The methods of a generated `Client`: its constructors, and the public inherent
/// methods of the runtime's `Client` (`runtime/src/client.rs`) it dereferences to.
///
/// Every group gets an accessor in its own `impl Client` block, so a group cannot be named
/// like one of these. `tests/tests/reserved_names.rs` compares this list with the runtime's
/// source, so it cannot drift.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "base_url",
    "execute",
    "execute_bytes",
    "execute_text",
];

/// Methods of the traits `Client` and the group handles implement (`Clone`, `Debug`).
const TRAIT_METHODS: &[&str] = &["clone", "fmt", "deref"];

/// Names a group accessor on `Client` cannot take: [`CLIENT_METHODS`] and trait methods.
pub(crate) fn client_names() -> impl Iterator<Item = &'static str> {
    CLIENT_METHODS.iter().chain(TRAIT_METHODS).copied()
}

/// Names a group handle already uses: its `client` field and trait methods.
/// Operations (its methods) are named around them.
pub(crate) fn handle_names() -> impl Iterator<Item = &'static str> {
    ["client"].iter().chain(TRAIT_METHODS).copied()
}

/// Names a request builder already uses: its fields (`client`, `options`, `body`), its own
/// methods, and those of the traits it implements. Parameters (fields and setters) are
/// named around them.
pub(crate) const BUILDER_NAMES: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_raw",
    "stream",
    "stream_with_page_size",
    "into_future",
    "clone",
    "fmt",
];

pub(crate) fn group_file(group: &Group, model: &Model, krate: &str) -> TokenStream {
    let handle = ident(&group.handle);
    let accessor = ident(&group.module);
    let module_doc = format!(
        " Operations of the `{}` group, reached through [`Client::{}`](crate::Client::{}).",
        group.module, group.module, group.module
    );
    let handle_doc = format!(
        " The `{}` operations. Get one from [`Client::{}`](crate::Client::{}).",
        group.module, group.module, group.module
    );
    let accessor_doc = format!(" The `{}` operations.", group.module);
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    for op in &group.operations {
        let example = examples::call_example(group, op, model, krate, false);
        let (method, builder) = operation_tokens(group, op, model, check_with(op, model), example);
        methods.push(method);
        builders.push(builder);
    }
    quote! {
        #![doc = #module_doc]

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a crate::runtime::Client,
        }

        impl crate::runtime::Client {
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

fn render(ty: &ParamType, value: TokenStream) -> TokenStream {
    match ty {
        ParamType::String => quote!(::std::string::String::from(#value.as_str())),
        ParamType::Enum(_) => quote!(::std::string::String::from(#value.as_str())),
        // The simple and non-exploded form styles: items joined by commas.
        ParamType::List(inner) => {
            let item = render(inner, quote!(item));
            quote!(#value.iter().map(|item| #item).collect::<::std::vec::Vec<::std::string::String>>().join(","))
        }
        _ => quote!(#value.to_string()),
    }
}

/// For an operation that is not a `GET`, the `GET` that reads back what it
/// creates: the one whose path is this path plus one parameter segment
/// (`POST /transactions` → `GET /transactions/{transactionId}`). Errors name
/// it when the request may have been processed.
fn check_with(op: &Operation, model: &Model) -> Option<String> {
    if op.http_method == "GET" {
        return None;
    }
    let prefix = format!("{}/{{", op.path.trim_end_matches('/'));
    model
        .groups
        .values()
        .flat_map(|group| &group.operations)
        .filter(|other| other.http_method == "GET")
        .map(|other| &other.path)
        .filter(|path| {
            path.strip_prefix(&prefix)
                .is_some_and(|rest| rest.ends_with('}') && !rest.contains('/'))
        })
        .min()
        .map(|path| format!("GET {path}"))
}

fn operation_tokens(
    group: &Group,
    op: &Operation,
    model: &Model,
    check_with: Option<String>,
    example: TokenStream,
) -> (TokenStream, TokenStream) {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder);
    let http = format!("{} {}", op.http_method, op.path);
    let fallback = format!("Calls `{http}`.");
    let summary = op.summary.as_deref().unwrap_or(&fallback);
    let errors = if op.error_statuses.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = op.error_statuses.iter().map(u16::to_string).collect();
        format!("Documented error statuses: {}.", list.join(", "))
    };
    let http_line = format!("`{http}`");
    // The arguments, in order, each with the spec's description of it.
    let arguments: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| {
            let doc = p.doc.as_deref()?.trim();
            (!doc.is_empty()).then(|| format!("- `{}`: {}", p.name, doc.replace('\n', " ")))
        })
        .collect();
    let arguments = if arguments.is_empty() {
        String::new()
    } else {
        format!("Arguments:\n{}", arguments.join("\n"))
    };
    let method_doc = doc_attrs([
        summary,
        op.description.as_deref().unwrap_or(""),
        &arguments,
        &http_line,
        &errors,
    ]);
    // Our own text, with an intra-doc link: not passed through the spec-text sanitizer.
    let builder_doc = format!(
        " Request builder for `{http}`, made by [`{}::{}`]. Await it, or call `send`, to make the call.",
        group.handle, op.method_name
    );
    let builder_doc = quote!(#[doc = #builder_doc]);

    // Constructor arguments: required parameters, then the body.
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let ty = param_rust_type(&p.ty, model);
        let pdoc = doc_attrs([p
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` parameter.", p.wire))]);
        if p.required {
            fields.push(quote! { #name: #ty, });
            args.push(quote! { #name: impl ::std::convert::Into<#ty> });
            inits.push(quote! { #name: #name.into(), });
        } else {
            fields.push(quote! { #name: ::std::option::Option<#ty>, });
            inits.push(quote! { #name: ::std::option::Option::None, });
            setters.push(quote! {
                #pdoc
                pub fn #name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#name = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
    }
    let (body_expr, content_type) = match &op.body {
        Some(body) => {
            let ty = body_type(body, model);
            // Floats held bare (a body that is a number or a list of them)
            // are checked as they are written; models check their own.
            let encode = |value: TokenStream| match body.media {
                Media::Json => {
                    let value = float_checked(&body.ty, model, value);
                    quote!(crate::runtime::json_body(#value)?)
                }
                Media::Form => {
                    let value = float_checked(&body.ty, model, value);
                    quote!(crate::runtime::form_body(#value)?)
                }
                Media::Bytes => quote!(crate::runtime::bytes_body(#value)),
                Media::Text => quote!(crate::runtime::bytes_body(#value.as_bytes())),
                Media::Multipart => multipart_tokens(body, model, value),
            };
            let content_type = match body.content_type.as_str() {
                "application/json" => quote!(::std::option::Option::None),
                other => quote!(::std::option::Option::Some(#other)),
            };
            let expr = if body.required {
                fields.push(quote! { body: &'a #ty, });
                args.push(quote! { body: &'a #ty });
                inits.push(quote! { body, });
                let encoded = encode(quote!(self.body));
                quote!(::std::option::Option::Some(#encoded))
            } else {
                fields.push(quote! { body: ::std::option::Option<&'a #ty>, });
                inits.push(quote! { body: ::std::option::Option::None, });
                let bdoc = doc_attrs([body.doc.as_deref().unwrap_or("Sets the request body.")]);
                setters.push(quote! {
                    #bdoc
                    pub fn body(mut self, body: &'a #ty) -> Self {
                        self.body = ::std::option::Option::Some(body);
                        self
                    }
                });
                let encoded = encode(quote!(body));
                quote! {
                    match self.body {
                        ::std::option::Option::Some(body) => ::std::option::Option::Some(#encoded),
                        ::std::option::Option::None => ::std::option::Option::None,
                    }
                }
            };
            (expr, content_type)
        }
        None => (
            quote!(::std::option::Option::None),
            quote!(::std::option::Option::None),
        ),
    };

    let path_expr = path_tokens(op);
    let checks = check_tokens(&op.params);
    let check_with = match check_with {
        Some(endpoint) => quote!(::std::option::Option::Some(#endpoint)),
        None => quote!(::std::option::Option::None),
    };
    let query = query_tokens(&op.params);
    let headers = header_tokens(&op.params);
    let objects = object_query_tokens(&op.params);
    let response = response_type(op, model);
    let execute = match op.success.media {
        Media::Bytes | Media::Multipart => quote!(execute_bytes),
        Media::Text => quote!(execute_text),
        _ => quote!(execute),
    };
    let http_method = ident(&op.http_method);
    let operation_id = &op.operation_id;
    let statuses = &op.error_statuses;
    let stream = op
        .pagination
        .as_ref()
        .map(|p| pagination_tokens(op, p, model));

    let method_tokens = quote! {
        #method_doc
        #example
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits)*
                options: crate::runtime::RequestOptions::default(),
            }
        }
    };
    let builder_tokens = quote! {
        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder<'a> {
            client: &'a crate::runtime::Client,
            #(#fields)*
            options: crate::runtime::RequestOptions,
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Per-request options (timeout, retries, extra headers and query parameters).
            pub fn options(mut self, options: crate::runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and returns the response body.
            pub async fn send(self) -> ::std::result::Result<#response, crate::runtime::Error> {
                ::std::result::Result::Ok(self.send_raw().await?.body)
            }

            /// Sends the request and returns the status, headers and body.
            pub async fn send_raw(self) -> ::std::result::Result<crate::runtime::Response<#response>, crate::runtime::Error> {
                #checks
                #[allow(unused_mut)]
                let mut query: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
                #query
                #[allow(unused_mut)]
                let mut options = self.options;
                #headers
                #objects
                let request = crate::runtime::ApiRequest {
                    method: ::reqwest::Method::#http_method,
                    path: #path_expr,
                    query,
                    body: #body_expr,
                    content_type: #content_type,
                    operation_id: #operation_id,
                    error_statuses: &[#(#statuses),*],
                    check_with: #check_with,
                };
                self.client.#execute(request, options).await
            }

            #stream
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#response, crate::runtime::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
    (method_tokens, builder_tokens)
}

/// Encodes the `multipart/form-data` body `value` (a reference to the body):
/// a model with files part by part (files as file parts, every other field
/// by the runtime's rules: text for scalars, one part per list item, JSON
/// for objects), a model without files property by property, and a
/// caller-built `Multipart` as it is. Absent fields send no part.
fn multipart_tokens(body: &Body, model: &Model, value: TokenStream) -> TokenStream {
    let documented = |wire: &str| match body.part_types.get(wire) {
        Some(content_type) => quote!(::std::option::Option::Some(#content_type)),
        None => quote!(::std::option::Option::None),
    };
    let fields = match &body.ty {
        TypeRef::Any => {
            return quote!(crate::runtime::multipart_body(::std::clone::Clone::clone(#value)).await?);
        }
        TypeRef::Named(id) => match model.types.get(*id).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) if s.fields.iter().any(|f| has_file(&f.ty)) => Some(s),
            _ => None,
        },
        _ => None,
    };
    let Some(s) = fields else {
        let types = body
            .part_types
            .iter()
            .map(|(wire, ty)| quote!((#wire, #ty)));
        return quote! {{
            let mut form = crate::runtime::Multipart::new();
            form.push_fields(#value, &[#(#types),*])?;
            crate::runtime::multipart_body(form).await?
        }};
    };
    let parts = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        let wire = &f.wire;
        let documented = documented(wire);
        match (&f.ty, f.is_optional()) {
            (TypeRef::File, false) => quote!(form.push_file(#wire, &body.#name, #documented);),
            (TypeRef::File, true) => quote! {
                if let ::std::option::Option::Some(file) = &body.#name {
                    form.push_file(#wire, file, #documented);
                }
            },
            (ty, optional) if has_file(ty) => {
                let files = match optional {
                    true => quote!(body.#name.iter().flatten()),
                    false => quote!(&body.#name),
                };
                quote! { for file in #files { form.push_file(#wire, file, #documented); } }
            }
            (ty, _) => {
                let value = float_checked(ty, model, quote!(&body.#name));
                quote!(form.push_value(#wire, #value, #documented)?;)
            }
        }
    });
    let extra = ident(&s.additional_name);
    let extra_value = float_checked(&s.additional, model, quote!(&body.#extra));
    quote! {{
        let body = #value;
        let mut form = crate::runtime::Multipart::new();
        #(#parts)*
        form.push_fields(#extra_value, &[])?;
        crate::runtime::multipart_body(form).await?
    }}
}

/// Whether a field holds a file or a list of files.
fn has_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::File => true,
        TypeRef::List(inner) => **inner == TypeRef::File,
        _ => false,
    }
}

fn path_tokens(op: &Operation) -> TokenStream {
    let mut pieces = Vec::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => pieces.push(quote!(path.push_str(#text);)),
            PathSegment::Param(i) => {
                if let Some(p) = op.params.get(*i) {
                    let name = ident(&p.name);
                    let wire = &p.wire;
                    if matches!(p.ty, ParamType::Object(_)) {
                        let explode = p.explode;
                        pieces.push(quote! {
                            path.push_str(&crate::runtime::object_path(#wire, &self.#name, #explode)?);
                        });
                    } else if let ParamType::List(inner) = &p.ty {
                        // Each item encoded on its own, joined by literal commas.
                        let item = render(inner, quote!(item));
                        pieces.push(quote! {
                            path.push_str(&crate::runtime::path_list(#wire, self.#name.iter().map(|item| #item))?);
                        });
                    } else {
                        let text = render(&p.ty, quote!(self.#name));
                        pieces.push(
                            quote!(path.push_str(&crate::runtime::path_segment(#wire, &#text)?);),
                        );
                    }
                }
            }
        }
    }
    quote! {{
        let mut path = ::std::string::String::new();
        #(#pieces)*
        path
    }}
}

/// Checks of numeric parameters against their documented bounds (and, for
/// numbers, that they are finite), run before anything is sent.
fn check_tokens(params: &[Param]) -> TokenStream {
    let checks = params.iter().filter_map(|p| {
        let (inner, list) = match &p.ty {
            ParamType::List(inner) => (inner.as_ref(), true),
            ty => (ty, false),
        };
        let wire = &p.wire;
        let check = match inner {
            ParamType::Integer => {
                let bound = |b: Option<f64>| match b.and_then(integer_bound) {
                    Some(n) => quote!(::std::option::Option::Some(#n)),
                    None => quote!(::std::option::Option::None),
                };
                if p.bounds.minimum.is_none() && p.bounds.maximum.is_none() {
                    return None;
                }
                let (min, max) = (bound(p.bounds.minimum), bound(p.bounds.maximum));
                quote!(crate::runtime::check_range(#wire, *value, #min, #max)?;)
            }
            ParamType::Number => {
                let bound = |b: Option<f64>| match b {
                    Some(n) => quote!(::std::option::Option::Some(#n)),
                    None => quote!(::std::option::Option::None),
                };
                let (min, max) = (bound(p.bounds.minimum), bound(p.bounds.maximum));
                quote!(crate::runtime::check_number(#wire, *value, #min, #max)?;)
            }
            _ => return None,
        };
        let name = ident(&p.name);
        let (binding, each) = if list {
            (quote!(values), quote!(for value in values { #check }))
        } else {
            (quote!(value), check)
        };
        Some(if p.required {
            quote! { { let #binding = &self.#name; #each } }
        } else {
            quote! { if let ::std::option::Option::Some(#binding) = &self.#name { #each } }
        })
    });
    quote! { #(#checks)* }
}

/// A bound as an `i64` literal, when it is a whole number in range.
fn integer_bound(bound: f64) -> Option<i64> {
    // `i64::MAX as f64` rounds up to 2^63, which is out of range.
    let in_range = bound >= -(2f64.powi(63)) && bound < 2f64.powi(63);
    (bound.fract() == 0.0 && in_range).then_some(bound as i64)
}

/// Object query parameters: their pairs have names made at run time, so they
/// travel as per-request query options.
fn object_query_tokens(params: &[Param]) -> TokenStream {
    let sets = params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && matches!(p.ty, ParamType::Object(_)))
        .map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            let deep = p.deep_object;
            let explode = p.explode;
            let add = quote! {
                for (key, text) in crate::runtime::object_query(#wire, value, #deep, #explode)? {
                    options = options.query(key, text);
                }
            };
            if p.required {
                quote! { { let value = &self.#name; #add } }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.#name { #add } }
            }
        });
    quote! { #(#sets)* }
}

fn query_tokens(params: &[Param]) -> TokenStream {
    let pushes = params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && !matches!(p.ty, ParamType::Object(_)))
        .map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            let push_one = |value: TokenStream, ty: &ParamType| {
                let text = render(ty, value);
                quote!(query.push((#wire, #text));)
            };
            let body = match &p.ty {
                ParamType::List(inner) if p.explode => {
                    let one = push_one(quote!(item), inner);
                    quote! { for item in values { #one } }
                }
                ty => push_one(quote!(values), ty),
            };
            if p.required {
                quote! { { let values = &self.#name; #body } }
            } else {
                quote! { if let ::std::option::Option::Some(values) = &self.#name { #body } }
            }
        });
    quote! { #(#pushes)* }
}

fn header_tokens(params: &[Param]) -> TokenStream {
    let sets = params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        let text = match &p.ty {
            ParamType::Object(_) => {
                let explode = p.explode;
                quote!(crate::runtime::object_header(#wire, value, #explode)?)
            }
            ty => render(ty, quote!(value)),
        };
        if p.required {
            quote! { { let value = &self.#name; options = options.header(#wire, #text); } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#name { options = options.header(#wire, #text); } }
        }
    });
    let cookies: Vec<TokenStream> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            let text = render(&p.ty, quote!(value));
            if p.required {
                quote! { { let value = &self.#name; cookies.push((#wire, #text)); } }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.#name { cookies.push((#wire, #text)); } }
            }
        })
        .collect();
    let cookies = (!cookies.is_empty()).then(|| {
        quote! {
            let mut cookies: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
            #(#cookies)*
            if let ::std::option::Option::Some(cookie) = crate::runtime::cookie_header(&cookies) {
                options = options.header("cookie", cookie);
            }
        }
    });
    quote! { #(#sets)* #cookies }
}

fn pagination_tokens(op: &Operation, p: &crate::ir::Pagination, model: &Model) -> TokenStream {
    let (Some(page), Some(size)) = (
        op.params.get(p.page_param),
        op.params.get(p.page_size_param),
    ) else {
        return TokenStream::new();
    };
    let page = ident(&page.name);
    let size = ident(&size.name);
    let item = rust_type(&p.item_ty, model, Scope::Crate);
    let items = ident(&p.items_field);
    let items = if p.items_optional {
        quote!(body.#items.unwrap_or_default())
    } else {
        quote!(body.#items)
    };
    let to_u64 = |v: TokenStream, number: bool| {
        if number {
            quote!(if #v.is_finite() && #v >= 0.0 { #v as u64 } else { 0 })
        } else {
            quote!(u64::try_from(#v).unwrap_or(0))
        }
    };
    let total = match &p.total_field {
        Some(field) => {
            let field = ident(field);
            let convert = to_u64(quote!(total), p.total_is_number);
            if p.total_optional {
                quote!(body.#field.map(|total| #convert))
            } else {
                quote!({ let total = body.#field; ::std::option::Option::Some(#convert) })
            }
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        /// Every item across all pages, fetched lazily one page at a time.
        ///
        /// Starts at the page set with the page setter (default 1) and uses the page size
        /// set on this builder (the server's default otherwise); stops after the last item
        /// the server counts, or at an empty page.
        pub fn stream(self) -> crate::runtime::ItemStream<'a, #item> {
            let first = self.#page.and_then(|p| u64::try_from(p).ok()).unwrap_or(1).max(1);
            crate::runtime::paginate(first, move |page| {
                let request = self.clone().#page(i64::try_from(page).unwrap_or(i64::MAX));
                async move {
                    let body = request.send().await?;
                    ::std::result::Result::Ok(crate::runtime::Page {
                        total: #total,
                        items: #items,
                    })
                }
            })
        }

        /// Like [`stream`](Self::stream), with `page_size` items per request.
        pub fn stream_with_page_size(self, page_size: i64) -> crate::runtime::ItemStream<'a, #item> {
            self.#size(page_size).stream()
        }
    }
}
