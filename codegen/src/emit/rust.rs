//! What every emitter shares: identifiers, and the Rust type of a [`TypeRef`] seen from
//! a given module. The emitters import this module and never each other's.

use crate::ir::{Body, Media, Model, Operation, ParamType, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier from a name made by `naming` (always valid).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where generated code refers to types from.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Inside `types/<module>.rs`: siblings are `super::X`.
    Types,
    /// Anywhere else in the crate.
    Crate,
    /// In another crate that depends on the generated one (named here).
    Extern(&'a Ident),
}

/// The Rust type for a [`TypeRef`].
pub(crate) fn rust_type(ty: &TypeRef, model: &Model, scope: Scope<'_>) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(model.types.get(*id).map_or("Value", |t| t.name.as_str()));
            match scope {
                Scope::Types => quote!(super::#name),
                Scope::Crate => quote!(crate::generated::types::#name),
                Scope::Extern(krate) => quote!(::#krate::types::#name),
            }
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer { bits32: true } => quote!(i32),
        TypeRef::Integer { bits32: false } => quote!(i64),
        TypeRef::UnixMillis => runtime_type("Timestamp", scope),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::List(inner) => {
            let inner = rust_type(inner, model, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, model, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::File => runtime_type("FilePart", scope),
    }
}

/// Whether values of `ty` hold floats that no generated type checks: a
/// number, a list or map of them, or an alias of one. Such values are
/// serialized through the runtime's `finite` check (generated types check
/// their own fields).
pub(crate) fn holds_bare_floats(ty: &TypeRef, model: &Model) -> bool {
    match model.resolve(ty) {
        TypeRef::Number => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => holds_bare_floats(inner, model),
        _ => false,
    }
}

/// `reference` (an expression of type `&T`, `T` being `ty`'s Rust type) as
/// it is handed to serialization: wrapped in the runtime's `finite::Checked`
/// when `ty` holds bare floats, as is otherwise.
pub(crate) fn float_checked(ty: &TypeRef, model: &Model, reference: TokenStream) -> TokenStream {
    if holds_bare_floats(ty, model) {
        quote!(&crate::runtime::finite::Checked(#reference))
    } else {
        reference
    }
}

/// A public type of the runtime, seen from `scope`.
fn runtime_type(name: &str, scope: Scope<'_>) -> TokenStream {
    let name = ident(name);
    match scope {
        Scope::Types | Scope::Crate => quote!(crate::runtime::#name),
        Scope::Extern(krate) => quote!(::#krate::#name),
    }
}

/// The Rust type a user passes for a parameter, and how it becomes query/path text.
pub(crate) fn param_rust_type(ty: &ParamType, model: &Model) -> TokenStream {
    match ty {
        ParamType::String => quote!(::std::string::String),
        ParamType::BooleanString | ParamType::Boolean => quote!(bool),
        ParamType::Integer => quote!(i64),
        ParamType::Number => quote!(f64),
        ParamType::Enum(id) => rust_type(&TypeRef::Named(*id), model, Scope::Crate),
        ParamType::List(inner) => {
            let inner = param_rust_type(inner, model);
            quote!(::std::vec::Vec<#inner>)
        }
        ParamType::Object(ty) => rust_type(ty, model, Scope::Crate),
    }
}

/// The type of a request body, as the builder borrows it.
pub(crate) fn body_type(body: &Body, model: &Model) -> TokenStream {
    body_type_in(body, model, Scope::Crate)
}

/// [`body_type`] seen from `scope`.
pub(crate) fn body_type_in(body: &Body, model: &Model, scope: Scope<'_>) -> TokenStream {
    match body.media {
        Media::Json | Media::Form => rust_type(&body.ty, model, scope),
        // No object schema: the caller builds the parts.
        Media::Multipart if body.ty == TypeRef::Any => runtime_type("Multipart", scope),
        Media::Multipart => rust_type(&body.ty, model, scope),
        Media::Bytes => quote!([u8]),
        Media::Text => quote!(str),
    }
}

/// The type of an operation's success body.
pub(crate) fn response_type(op: &Operation, model: &Model) -> TokenStream {
    match (op.success.media, &op.success.ty) {
        (Media::Bytes | Media::Multipart, _) => quote!(::bytes::Bytes),
        (Media::Text, _) => quote!(::std::string::String),
        (_, Some(ty)) => rust_type(ty, model, Scope::Crate),
        (_, None) => quote!(()),
    }
}

/// `impl Deserialize for name`, reading a JSON object: a visitor whose
/// `visit_map` binds the map access as `map` (mutable when `mutable`) and
/// runs `body`, which returns `Result<name, A::Error>`.
pub(crate) fn map_deserialize(
    name: &Ident,
    expecting: &str,
    mutable: bool,
    body: TokenStream,
) -> TokenStream {
    let map = if mutable {
        quote!(mut map)
    } else {
        quote!(map)
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, #map: __A) -> ::std::result::Result<#name, __A::Error> {
                        #body
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}
