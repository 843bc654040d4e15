//! The `Deserialize` of a struct with a flattened union (see
//! `lower::merged`): the object is read once into a JSON map, the struct's
//! own properties are taken out of it, and the rest is the union's to read.

use super::rust::{Scope, ident, map_deserialize, rust_type};
use crate::ir::{Model, Struct, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Whether a struct holds a flattened union.
pub(crate) fn has_flattened(s: &Struct) -> bool {
    s.fields.iter().any(|f| f.flatten)
}

/// The `Deserialize` impl of struct `name`, which has a flattened union.
pub(crate) fn deserialize(name: &Ident, s: &Struct, model: &Model) -> TokenStream {
    let mut reads = Vec::new();
    let mut finish = Vec::new();
    for f in &s.fields {
        let field = ident(&f.name);
        let base = rust_type(&f.ty, model, Scope::Types);
        let stored = if f.boxed {
            quote!(::std::boxed::Box<#base>)
        } else {
            base
        };
        if f.flatten {
            // Read last, from what the other fields left.
            finish.push(quote! {
                #field: de::reread::<#stored>(&::serde_json::Value::Object(rest))
                    .map_err(<__A::Error as ::serde::de::Error>::custom)?,
            });
            continue;
        }
        let wire = &f.wire;
        // Integers are read leniently (`12.0`), as in every struct.
        let (read_ty, unwrap) = match f.ty {
            TypeRef::Integer { bits32: true } => (quote!(de::Whole<i32>), quote!(.0)),
            TypeRef::Integer { bits32: false } => (quote!(de::Whole<i64>), quote!(.0)),
            _ => (stored, TokenStream::new()),
        };
        let located = format!("`{wire}`: {{e}}");
        let read = |ty: TokenStream| {
            quote! {
                de::reread::<#ty>(&value).map_err(|e| {
                    <__A::Error as ::serde::de::Error>::custom(format!(#located))
                })?
            }
        };
        let value = if f.is_optional() {
            let read = read(quote!(::std::option::Option<#read_ty>));
            quote! {
                match rest.remove(#wire) {
                    ::std::option::Option::Some(value) => #read.map(|v| v #unwrap),
                    ::std::option::Option::None => ::std::option::Option::None,
                }
            }
        } else {
            let read = read(read_ty);
            quote! {
                match rest.remove(#wire) {
                    ::std::option::Option::Some(value) => #read #unwrap,
                    ::std::option::Option::None => {
                        return ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(#wire));
                    }
                }
            }
        };
        let slot = quote::format_ident!("field_{}", f.name);
        reads.push(quote! { let #slot = #value; });
        finish.push(quote! { #field: #slot, });
    }
    let extra = ident(&s.additional_name);
    let expecting = format!("struct {name}");
    let body = quote! {
        use crate::runtime::de;
        let mut rest = ::serde_json::Map::new();
        while let ::std::option::Option::Some((key, value)) =
            map.next_entry::<::std::string::String, ::serde_json::Value>()?
        {
            rest.insert(key, value);
        }
        #(#reads)*
        ::std::result::Result::Ok(#name {
            #(#finish)*
            // Properties nobody declares are kept by the union's variant.
            #extra: ::std::collections::BTreeMap::new(),
        })
    };
    map_deserialize(name, &expecting, true, body)
}
