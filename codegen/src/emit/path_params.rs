//! Operations with two or more path parameters take them by name: one
//! struct per operation (`TaskOutputDownloadPath { task, output }`) in
//! place of positional arguments, so two ids of the same type cannot be
//! swapped without the swap showing at the call site. Operations with one
//! path parameter keep it positional (nothing to swap it with).

use super::docs::doc_attrs;
use super::rust::{ident, param_rust_type};
use crate::ir::{Group, Model, Operation, Param, ParamLocation, ParamType};
use proc_macro2::TokenStream;
use quote::quote;

/// Whether `p` is passed inside the operation's path struct.
pub(crate) fn by_name(op: &Operation, p: &Param) -> bool {
    op.path_struct.is_some() && p.location == ParamLocation::Path
}

/// The path parameters of an operation that takes them by name.
fn fields(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| by_name(op, p))
}

/// Whether the struct borrows (a text parameter is a `&'p str`).
fn borrows(op: &Operation) -> bool {
    fields(op).any(|p| p.ty == ParamType::String)
}

/// The struct's type as an argument, `path` inside `module` (`quote!(crate::tasks)`),
/// or `None` when the operation takes its path parameters positionally.
pub(crate) fn arg_type(op: &Operation, module: TokenStream) -> Option<TokenStream> {
    let name = ident(op.path_struct.as_deref()?);
    Some(match borrows(op) {
        true => quote!(#module::#name<'_>),
        false => quote!(#module::#name),
    })
}

/// The builder's field `p` filled from the struct argument `path`.
pub(crate) fn init(p: &Param) -> TokenStream {
    let name = ident(&p.name);
    match p.ty {
        ParamType::String => quote! { #name: ::std::string::String::from(path.#name), },
        _ => quote! { #name: path.#name, },
    }
}

/// The struct, emitted beside the operation's builder.
pub(crate) fn struct_tokens(group: &Group, op: &Operation, model: &Model) -> TokenStream {
    let Some(name) = op.path_struct.as_deref() else {
        return TokenStream::new();
    };
    let doc = format!(
        " The path parameters of [`{}::{}`] (`{}`), by name: two of them cannot be \
         swapped without the swap showing where the call is written.",
        group.handle, op.method_name, op.path
    );
    let fields = fields(op).map(|p| {
        let field = ident(&p.name);
        let fallback = format!("The `{}` path parameter.", p.wire);
        let fdoc = doc_attrs([p.doc.as_deref().unwrap_or(&fallback)]);
        let ty = match p.ty {
            ParamType::String => quote!(&'p str),
            _ => param_rust_type(&p.ty, model),
        };
        quote! { #fdoc pub #field: #ty, }
    });
    let name = ident(name);
    let generics = borrows(op).then(|| quote!(<'p>));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name #generics {
            #(#fields)*
        }
    }
}
