//! Emitting one module per SDK group: a handle type and a request builder per operation.

use super::docs::doc_attrs;
use super::examples;
use super::path_params;
use super::rust::{
    Scope, body_type, float_checked, ident, param_rust_type, response_type, rust_type,
};
use crate::ir::{
    Body, Group, Media, Model, Operation, Param, ParamLocation, ParamType, PathSegment, TypeKind,
    TypeRef,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

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
        let (method, builder) = operation_tokens(group, op, model, op.read_back.clone(), example);
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
    let method_doc = method_doc(op, &http);
    // Our own text, with an intra-doc link: not passed through the spec-text sanitizer.
    let builder_doc = format!(
        " Request builder for `{http}`, made by [`{}::{}`]. Await it, or call `send`, to make the call.",
        group.handle, op.method_name
    );
    let builder_doc = quote!(#[doc = #builder_doc]);
    let mut parts = param_parts(op, model);
    let (body_expr, content_type) = body_parts(op, model, &mut parts);
    let Parts {
        args,
        inits,
        fields,
        setters,
    } = parts;

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
    let http_method = ident(op.http_method.as_str());
    let operation_id = &op.operation_id;
    let statuses = &op.error_statuses;
    let stream = op
        .pagination
        .as_ref()
        .map(|p| pagination_tokens(op, p, model));

    let into_future = into_future_tokens(&builder, &response);
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
    let path_struct = path_params::struct_tokens(group, op, model);
    let builder_tokens = quote! {
        #path_struct

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

        #into_future
    };
    (method_tokens, builder_tokens)
}

/// `IntoFuture` for a request builder, so that awaiting it sends it.
///
/// `#[inline]` keeps `into_future` from being a codegen root of the
/// generated crate: boxing the `send` future as `dyn Future` needs its
/// `poll`, which pulls in the whole request path and the response type's
/// `Deserialize` for `serde_json`. Without it the crate compiled that path
/// for every operation (about 80% of its LLVM IR); with it, as with any
/// `async fn`, a program compiles the path of the operations it awaits.
fn into_future_tokens(builder: &Ident, response: &TokenStream) -> TokenStream {
    quote! {
        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#response, crate::runtime::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

/// The doc of an operation's method on its group handle: summary,
/// description, each required argument with its description, the HTTP line
/// and the documented error statuses.
fn method_doc(op: &Operation, http: &str) -> TokenStream {
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
    doc_attrs([
        summary,
        op.description.as_deref().unwrap_or(""),
        &arguments,
        &http_line,
        &errors,
    ])
}

/// The pieces of a request builder that its parameters and body add.
#[derive(Default)]
struct Parts {
    /// Arguments of the handle's method: required parameters, then the body.
    args: Vec<TokenStream>,
    /// Field initialisers in the method.
    inits: Vec<TokenStream>,
    /// Fields of the builder.
    fields: Vec<TokenStream>,
    /// Setters of the optional ones.
    setters: Vec<TokenStream>,
}

/// What the parameters add to the builder.
fn param_parts(op: &Operation, model: &Model) -> Parts {
    // Constructor arguments: required parameters, then the body.
    let Parts {
        mut args,
        mut inits,
        mut fields,
        mut setters,
    } = Parts::default();
    for p in &op.params {
        let name = ident(&p.name);
        let ty = param_rust_type(&p.ty, model);
        let pdoc = doc_attrs([p
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` parameter.", p.wire))]);
        if p.required && path_params::by_name(op, p) {
            fields.push(quote! { #name: #ty, });
            inits.push(path_params::init(p));
        } else if p.required {
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
    if let Some(ty) = path_params::arg_type(op, quote!(self)) {
        args.insert(0, quote! { path: #ty });
    }
    Parts {
        args,
        inits,
        fields,
        setters,
    }
}

/// What the body adds to the builder, and the expressions of the encoded
/// body and its content type for the request.
fn body_parts(op: &Operation, model: &Model, parts: &mut Parts) -> (TokenStream, TokenStream) {
    let Parts {
        args,
        inits,
        fields,
        setters,
    } = parts;
    match &op.body {
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
    }
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
        #[inline]
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
        #[inline]
        pub fn stream_with_page_size(self, page_size: i64) -> crate::runtime::ItemStream<'a, #item> {
            self.#size(page_size).stream()
        }
    }
}
