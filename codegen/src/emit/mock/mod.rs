//! The typed mock server (`mock.rs`, behind the `mock` feature): for every
//! operation a marker type implementing the runtime's `mocking::Operation`
//! (types, path template, default answer), a struct of its decoded
//! parameters, and an accessor per group on `MockServer`, reached like the
//! client's groups (`mock.transactions().verify()`).
//!
//! The generic work (matching, answering, faults, recording) is the
//! runtime's (`runtime/mocking.rs`); this only names the types.

mod values;

use super::docs::inner_doc_attrs;
use super::rust::{Scope, ident, param_rust_type, response_type, rust_type};
use crate::ir::{
    Body, Group, Media, Model, Operation, Param, ParamLocation, ParamType, PathSegment, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime's mock module, as generated code names it.
fn runtime() -> TokenStream {
    quote!(crate::runtime::mocking)
}

/// The whole `mock.rs` file.
pub(crate) fn mock_file(model: &Model) -> TokenStream {
    let doc = inner_doc_attrs(&format!(
        "A typed mock of the {} for tests (feature `mock`): start a `MockServer`, \
         get a client pointed at it, and set typed expectations per operation, reached \
         like the client's groups. Every operation answers out of the box.",
        model.title
    ));
    let rt = runtime();
    let groups: Vec<_> = model
        .groups
        .values()
        .map(|g| group_tokens(g, model))
        .collect();
    let defaults = mount_defaults(model);
    let templates = templates(model);
    let check = check_defaults(model);
    quote! {
        #doc

        pub use #rt::{
            Expectation, Location, MockError, Operation, Piece, RawParams, Received, Reply,
            TEST_API_KEY,
        };

        /// A local mock of the API, on `127.0.0.1` and a free port, for tests.
        ///
        /// Every operation answers out of the box: with no expectation set, it
        /// answers its documented success status and a body built from the spec
        /// that decodes into the operation's response type. Expectations, reached
        /// like the client's groups, choose other answers, faults, or count calls;
        /// those with `expect` are checked when the mock is dropped, failing the
        /// test. The server's own methods (`client`, `client_builder`, `uri`,
        /// `wiremock`) come from the runtime's server it wraps.
        #[derive(Debug)]
        pub struct MockServer(#rt::MockServer<crate::Client>);

        impl MockServer {
            /// Starts a mock server with a default answer for every operation.
            ///
            /// Needs a Tokio runtime (`#[tokio::test]`).
            pub async fn start() -> Self {
                let server = MockServer(#rt::MockServer::start_empty().await);
                mount_defaults(&server).await;
                server
            }
        }

        impl ::std::ops::Deref for MockServer {
            type Target = #rt::MockServer<crate::Client>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        #(#groups)*
        #templates
        #defaults
        #check
    }
}

/// A group's handle, accessor, and module of marker types.
fn group_tokens(group: &Group, model: &Model) -> TokenStream {
    let module = ident(&group.module);
    let handle = ident(&group.mock.handle);
    let accessor = ident(&group.mock.accessor);
    let accessor_doc = format!(" Expectations on the `{}` operations.", group.module);
    let handle_doc = format!(
        " Expectations on the `{}` operations, one method per operation.",
        group.module
    );
    let module_doc = format!(
        " The operations of the `{}` group, as the mock sees them.",
        group.module
    );
    let names = &group.mock.markers;
    let mut methods = Vec::new();
    let mut items = Vec::new();
    for (op, (marker, params)) in group.operations.iter().zip(names) {
        let method = ident(&op.method_name);
        let marker_ident = ident(marker);
        let doc = format!(
            " An expectation on `{} {}`: match calls, choose the answer, count calls.",
            op.http_method, op.path
        );
        methods.push(quote! {
            #[doc = #doc]
            pub fn #method(&self) -> Expectation<'m, #module::#marker_ident> {
                self.server.expectation()
            }
        });
        items.push(operation_tokens(group, op, model, marker, params));
    }
    quote! {
        impl MockServer {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { server: self }
            }
        }

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'m> {
            server: &'m MockServer,
        }

        impl<'m> #handle<'m> {
            #(#methods)*
        }

        #[doc = #module_doc]
        pub mod #module {
            #(#items)*
        }
    }
}

/// One operation's marker type, parameter struct and `Operation` impl.
fn operation_tokens(
    group: &Group,
    op: &Operation,
    model: &Model,
    marker: &str,
    params: &str,
) -> TokenStream {
    let rt = runtime();
    let marker = ident(marker);
    let params_ident = ident(params);
    let id = format!("{}.{}", group.module, op.method_name);
    let marker_doc = format!(" `{} {}` (`{id}`).", op.http_method, op.path);
    let params_doc = format!(
        " The path, query and header parameters of a `{id}` call (object-valued \
         parameters and cookies are not decoded)."
    );
    let decoded: Vec<&Param> = op.params.iter().filter(|p| decodable(p)).collect();
    let unused = decoded.is_empty().then(|| quote!(let _ = raw;));
    let fields = decoded.iter().map(|p| {
        let name = ident(&p.name);
        let ty = param_rust_type(&p.ty, model);
        let ty = if p.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        let doc = format!(" The `{}` parameter.", p.wire);
        quote! { #[doc = #doc] pub #name: #ty, }
    });
    let reads = decoded.iter().map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        let location = match p.location {
            ParamLocation::Path => quote!(#rt::Location::Path),
            ParamLocation::Query => quote!(#rt::Location::Query),
            _ => quote!(#rt::Location::Header),
        };
        let explode = p.explode;
        let read = match (&p.ty, p.required) {
            (ParamType::List(_), true) => quote!(raw.required_list(#location, #wire, #explode)?),
            (ParamType::List(_), false) => quote!(raw.list(#location, #wire, #explode)?),
            (_, true) => quote!(raw.required(#location, #wire)?),
            (_, false) => quote!(raw.optional(#location, #wire)?),
        };
        quote! { #name: #read, }
    });
    let method = op.http_method.as_str();
    let pieces = op.path_segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(#rt::Piece::Literal(#text)),
        PathSegment::Param(index) => {
            let wire = op.params.get(*index).map_or("", |p| p.wire.as_str());
            quote!(#rt::Piece::Param(#wire))
        }
    });
    let status = op.success.status;
    let (body_ty, body_fn) = request_body(op.body.as_ref(), model);
    let response = response_type(op, model);
    let reply = reply_fn(op);
    let default_body = match default_body(op, model) {
        Some((content_type, body)) => quote!(::std::option::Option::Some((#content_type, #body))),
        None => quote!(::std::option::Option::None),
    };
    let (error_ty, error_body) = error_body(model);
    quote! {
        #[doc = #marker_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #marker;

        #[doc = #params_doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #params_ident {
            #(#fields)*
        }

        impl #rt::Operation for #marker {
            type Params = #params_ident;
            type Body = #body_ty;
            type Response = #response;
            type ErrorBody = #error_ty;
            const ID: &'static str = #id;
            const METHOD: &'static str = #method;
            const PATH: &'static [#rt::Piece] = &[#(#pieces),*];
            const TEMPLATES: &'static [(&'static str, &'static [#rt::Piece])] = crate::generated::mock::TEMPLATES;
            const STATUS: u16 = #status;
            const DEFAULT_BODY: ::std::option::Option<(&'static str, &'static str)> = #default_body;
            const ERROR_BODY: &'static str = #error_body;
            fn params(raw: &#rt::RawParams<'_>) -> ::std::result::Result<#params_ident, ::std::string::String> {
                #unused
                ::std::result::Result::Ok(#params_ident { #(#reads)* })
            }
            fn body(raw: &[u8]) -> ::std::result::Result<#body_ty, ::std::string::String> {
                #body_fn
            }
            fn reply(value: &#response) -> ::std::result::Result<#rt::Reply, ::std::string::String> {
                #reply(value)
            }
        }
    }
}

/// Whether the mock decodes `p`: path, query and header parameters that are
/// not objects.
fn decodable(p: &Param) -> bool {
    p.location != ParamLocation::Cookie
        && !matches!(&p.ty, ParamType::Object(_))
        && !matches!(&p.ty, ParamType::List(inner) if matches!(**inner, ParamType::Object(_) | ParamType::List(_)))
}

/// The decoded request body's type and the body of the function decoding it.
fn request_body(body: Option<&Body>, model: &Model) -> (TokenStream, TokenStream) {
    let rt = runtime();
    let Some(body) = body else {
        return (quote!(()), quote!(#rt::no_request(raw)));
    };
    let (ty, decode) = match body.media {
        Media::Json => (
            rust_type(&body.ty, model, Scope::Crate),
            quote!(#rt::json_request(raw)),
        ),
        Media::Form => (
            rust_type(&body.ty, model, Scope::Crate),
            quote!(#rt::form_request(raw)),
        ),
        Media::Text => (
            quote!(::std::string::String),
            quote!(#rt::text_request(raw)),
        ),
        Media::Bytes | Media::Multipart => {
            (quote!(::bytes::Bytes), quote!(#rt::bytes_request(raw)))
        }
    };
    if body.required {
        (ty, decode)
    } else {
        (
            quote!(::std::option::Option<#ty>),
            quote! {
                if raw.is_empty() {
                    ::std::result::Result::Ok(::std::option::Option::None)
                } else {
                    #decode.map(::std::option::Option::Some)
                }
            },
        )
    }
}

/// The runtime function encoding the success body.
fn reply_fn(op: &Operation) -> TokenStream {
    let rt = runtime();
    match (op.success.media, &op.success.ty) {
        (Media::Bytes | Media::Multipart, _) => quote!(#rt::bytes_reply),
        (Media::Text, _) => quote!(#rt::text_reply),
        (_, Some(_)) => quote!(#rt::json_reply),
        (_, None) => quote!(#rt::empty_reply),
    }
}

/// The default success body: content type and text.
fn default_body(op: &Operation, model: &Model) -> Option<(&'static str, String)> {
    match (op.success.media, &op.success.ty) {
        (Media::Bytes | Media::Multipart, _) => Some(("application/octet-stream", String::new())),
        (Media::Text, _) => Some(("text/plain; charset=utf-8", String::new())),
        (_, Some(ty)) => Some(("application/json", values::minimal_json(ty, model))),
        (_, None) => None,
    }
}

/// The error body type and a minimal error body.
fn error_body(model: &Model) -> (TokenStream, String) {
    match &model.error_body {
        Some(ty) => (
            rust_type(ty, model, Scope::Crate),
            values::minimal_json(ty, model),
        ),
        None => (quote!(::serde_json::Value), String::from("{}")),
    }
}

/// `mount_defaults`: the default answer of every operation.
fn mount_defaults(model: &Model) -> TokenStream {
    let mounts: Vec<_> = each_operation(model)
        .map(|(group, marker, _)| {
            let module = ident(&group.module);
            let marker = ident(&marker);
            quote! { server.mount_default::<#module::#marker>().await; }
        })
        .collect();
    let unused = mounts.is_empty().then(|| quote!(let _ = server;));
    quote! {
        /// Mounts the default answer of every operation.
        async fn mount_defaults(server: &MockServer) {
            #unused
            #(#mounts)*
        }
    }
}

/// `TEMPLATES`: the method and path template of every operation, so a
/// request is taken for the operation whose template fits it most
/// specifically (`/user/login` is not `/user/{username}`).
fn templates(model: &Model) -> TokenStream {
    let rt = runtime();
    let unused = each_operation(model).next().is_none().then(|| {
        quote!(#[allow(dead_code, reason = "read by the operations' markers; this API has none")])
    });
    let entries = each_operation(model).map(|(group, marker, _)| {
        let module = ident(&group.module);
        let marker = ident(&marker);
        quote! {
            (
                <#module::#marker as #rt::Operation>::METHOD,
                <#module::#marker as #rt::Operation>::PATH,
            )
        }
    });
    quote! {
        /// The method and path template of every operation.
        #unused
        pub(crate) const TEMPLATES: &[(&str, &[#rt::Piece])] = &[#(#entries),*];
    }
}

/// Every operation with its group and marker name.
fn each_operation(model: &Model) -> impl Iterator<Item = (&Group, String, &Operation)> {
    model.groups.values().flat_map(|group| {
        group
            .mock
            .markers
            .iter()
            .zip(&group.operations)
            .map(move |((marker, _), op)| (group, marker.clone(), op))
    })
}

/// `MockServer::check_defaults`: every operation called once through the
/// client with minimal arguments.
fn check_defaults(model: &Model) -> TokenStream {
    let rt = runtime();
    let mut count = 0usize;
    let calls: Vec<TokenStream> = each_operation(model)
        .filter(|(_, _, op)| op.body.as_ref().is_none_or(|b| b.media != Media::Multipart))
        .map(|(group, _, op)| {
            count += 1;
            call(group, op, model)
        })
        .collect();
    let prelude = if calls.is_empty() {
        quote! {
            let _ = self;
            let failures: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
        }
    } else {
        quote! {
            let client = self.client();
            let mut failures: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
        }
    };
    quote! {
        impl MockServer {
            /// Calls every operation once through its `client`,
            /// with minimal arguments, and checks that its default answer
            /// decodes; returns how many operations were called. Operations
            /// that send `multipart/form-data` are left out. Meant for a fresh
            /// mock: expectations already mounted answer instead.
            pub async fn check_defaults(&self) -> ::std::result::Result<usize, MockError> {
                #prelude
                #(#calls)*
                if failures.is_empty() {
                    ::std::result::Result::Ok(#count)
                } else {
                    ::std::result::Result::Err(#rt::MockError::defaults(failures))
                }
            }
        }
    }
}

/// One operation's call in `check_defaults`.
fn call(group: &Group, op: &Operation, model: &Model) -> TokenStream {
    let rt = runtime();
    let id = format!("{}.{}", group.module, op.method_name);
    let accessor = ident(&group.module);
    let method = ident(&op.method_name);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut path_fields = Vec::new();
    for (index, p) in op.params.iter().filter(|p| p.required).enumerate() {
        let arg = ident(&format!("arg{index}"));
        let value = param_value(&p.ty, p, model);
        lets.push(quote! { let #arg = #value; });
        if super::path_params::by_name(op, p) {
            // Path parameters by name (see `path_params`): text as `&str`.
            let field = ident(&p.name);
            path_fields.push(match p.ty {
                ParamType::String => quote!(#field: #arg),
                _ => quote!(#field: ::std::convert::Into::into(#arg)),
            });
        } else {
            args.push(quote!(#arg));
        }
    }
    if let Some(path) = &op.path_struct {
        let path = ident(path);
        args.insert(0, quote!(crate::#accessor::#path { #(#path_fields),* }));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let value = match body.media {
            Media::Bytes => quote!(&[][..]),
            Media::Text => quote!(""),
            _ => {
                let ty = rust_type(&body.ty, model, Scope::Crate);
                let json = values::minimal_json(&body.ty, model);
                lets.push(quote! { let body: #ty = #rt::minimal(#json)?; });
                quote!(&body)
            }
        };
        args.push(value);
    }
    quote! {
        {
            let result = async {
                #(#lets)*
                client.#accessor().#method(#(#args),*).send().await.map_err(|error| error.to_string())
            }
            .await;
            #rt::outcome(&mut failures, #id, result);
        }
    }
}

/// A minimal value of type `ty` for the required parameter `p` (a list
/// has one item, so a list in the path is not an empty segment).
fn param_value(ty: &ParamType, p: &Param, model: &Model) -> TokenStream {
    let rt = runtime();
    match ty {
        ParamType::String => quote!("x"),
        ParamType::BooleanString | ParamType::Boolean => quote!(false),
        ParamType::Integer => {
            let value = match (p.bounds.minimum, p.bounds.maximum) {
                (Some(minimum), _) => minimum.ceil() as i64,
                (None, Some(maximum)) if maximum < 0.0 => maximum.floor() as i64,
                _ => 0,
            };
            quote!(#value)
        }
        ParamType::Number => {
            let value = match (p.bounds.minimum, p.bounds.maximum) {
                (Some(minimum), _) => minimum,
                (None, Some(maximum)) if maximum < 0.0 => maximum,
                _ => 0.0,
            };
            quote!(#value)
        }
        ParamType::List(inner) => {
            let item = param_value(inner, p, model);
            quote!(::std::vec![#item])
        }
        ParamType::Enum(id) => {
            let ty = TypeRef::Named(*id);
            let rust = rust_type(&ty, model, Scope::Crate);
            let json = values::minimal_json(&ty, model);
            quote!(#rt::minimal::<#rust>(#json)?)
        }
        ParamType::Object(ty) => {
            let rust = rust_type(ty, model, Scope::Crate);
            let json = values::minimal_json(ty, model);
            quote!(#rt::minimal::<#rust>(#json)?)
        }
    }
}
