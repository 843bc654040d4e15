//! Emitting structs, enums and aliases.

use super::builders;
use super::docs::doc_attrs;
use super::merged;
use super::rust::{Scope, holds_bare_floats, ident, rust_type};
use super::unions;
use crate::ir::{Enum, Model, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The items of one named type. `option_taken` says whether a type of the
/// same file is named `Option`, which then shadows the prelude's there.
pub(crate) fn type_tokens(def: &TypeDef, model: &Model, option_taken: bool) -> TokenStream {
    let fallback = format!("The `{}` schema of the API.", def.name);
    let doc = doc_attrs([def.doc.as_deref().unwrap_or(&fallback)]);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => struct_tokens(&name, doc, s, model, option_taken),
        TypeKind::Enum(e) => enum_tokens(&name, doc, e),
        TypeKind::Tagged(t) => unions::tagged_tokens(&name, &def.name, doc, t, model),
        TypeKind::Untagged(u) => unions::untagged_tokens(&name, &def.name, doc, u, model),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, model, Scope::Types);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

/// The doc of a field the spec leaves undescribed: the first sentence of its type's
/// description, a link to its type, or for plain values what kind of value it holds.
fn field_fallback_doc(wire: &str, ty: &TypeRef, model: &Model) -> String {
    match ty {
        TypeRef::Named(id) => match model.types.get(*id).and_then(|t| t.doc.as_deref()) {
            Some(doc) => first_sentence(doc),
            None => format!("{}.", capitalize(&describe(ty, model))),
        },
        TypeRef::List(inner) | TypeRef::Map(inner) if matches!(**inner, TypeRef::Named(_)) => {
            format!("{}.", capitalize(&describe(ty, model)))
        }
        _ => format!("`{wire}`, {}.", describe(ty, model)),
    }
}

/// What kind of value a type holds, in words (`a list of [`Address`](super::Address)`).
fn describe(ty: &TypeRef, model: &Model) -> String {
    match ty {
        TypeRef::Named(id) => {
            let name = model.types.get(*id).map_or("Value", |t| t.name.as_str());
            format!("a [`{name}`](super::{name})")
        }
        TypeRef::String => String::from("text"),
        TypeRef::Integer { .. } => String::from("an integer"),
        TypeRef::UnixMillis => String::from("milliseconds since the Unix epoch"),
        TypeRef::Number => String::from("a number"),
        TypeRef::Boolean => String::from("a flag"),
        TypeRef::Any => String::from("any JSON value"),
        TypeRef::File => String::from("a file to upload ([`FilePart`](crate::FilePart))"),
        TypeRef::List(inner) => format!("a list of {}", plural(inner, model)),
        TypeRef::Map(inner) => format!("a map from keys to {}", plural(inner, model)),
    }
}

fn plural(ty: &TypeRef, model: &Model) -> String {
    match ty {
        TypeRef::Named(_) | TypeRef::List(_) | TypeRef::Map(_) => {
            format!("values, each {}", describe(ty, model))
        }
        TypeRef::String => String::from("text"),
        TypeRef::Integer { .. } => String::from("integers"),
        TypeRef::UnixMillis => String::from("timestamps in milliseconds since the Unix epoch"),
        TypeRef::Number => String::from("numbers"),
        TypeRef::Boolean => String::from("flags"),
        TypeRef::Any => String::from("JSON values"),
        TypeRef::File => String::from("files to upload ([`FilePart`](crate::FilePart)s)"),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// The first sentence of the first paragraph of a description.
fn first_sentence(doc: &str) -> String {
    let paragraph = doc.trim().split("\n\n").next().unwrap_or_default();
    let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.find(". ") {
        Some(end) => line[..=end].to_owned(),
        None => line,
    }
}

fn struct_tokens(
    name: &Ident,
    doc: TokenStream,
    s: &Struct,
    model: &Model,
    option_taken: bool,
) -> TokenStream {
    // The prelude's `Option`, unless a type of this file takes its name.
    let is_none = if option_taken {
        "::std::option::Option::is_none"
    } else {
        "Option::is_none"
    };
    let mut fields = Vec::new();
    for f in &s.fields {
        let field = ident(&f.name);
        let wire = &f.wire;
        let stored = stored_type(f, model);
        let fallback = field_fallback_doc(wire, &f.ty, model);
        let fdoc = doc_attrs([f.doc.as_deref().unwrap_or(&fallback)]);
        if f.flatten {
            fields.push(quote! { #fdoc #[serde(flatten)] pub #field: #stored, });
            continue;
        }
        // Floats are written through the runtime's check, which refuses
        // `NaN` and infinities (serde_json would write `null`).
        let finite = holds_bare_floats(&f.ty, model)
            .then(|| quote!(, serialize_with = "crate::runtime::finite::serialize"));
        fields.push(if f.required {
            // Required (and, when nullable, written as `null` when `None`).
            quote! { #fdoc #[serde(rename = #wire #finite)] pub #field: #stored, }
        } else {
            quote! {
                #fdoc
                #[serde(rename = #wire, skip_serializing_if = #is_none #finite)]
                pub #field: #stored,
            }
        });
    }
    let extra = ident(&s.additional_name);
    let extra_ty = rust_type(&s.additional, model, Scope::Types);
    let extra_finite = holds_bare_floats(&s.additional, model)
        .then(|| quote!(, serialize_with = "crate::runtime::finite::serialize"));
    let deserialize = match merged::has_flattened(s) {
        true => merged::deserialize(name, s, model),
        false => struct_deserialize(name, s),
    };
    let builder = builders::builder_tokens(name, s, model);
    let made = format!(" Made with [`{name}::builder`]; fields are public to read and change.");
    quote! {
        #doc
        ///
        #[doc = #made]
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Properties this version of the SDK does not know, kept so that a value
            /// read from the API and written back loses nothing.
            #[serde(flatten #extra_finite)]
            pub #extra: ::std::collections::BTreeMap<::std::string::String, #extra_ty>,
        }
    }
    .into_iter()
    .chain(deserialize)
    .chain(builder)
    .collect()
}

/// The Rust type a field is stored as: boxed when it closes a cycle, in an
/// `Option` when it may be absent or `null`.
fn stored_type(f: &crate::ir::Field, model: &Model) -> TokenStream {
    let base = rust_type(&f.ty, model, Scope::Types);
    let boxed = if f.boxed {
        quote!(::std::boxed::Box<#base>)
    } else {
        base
    };
    if f.is_optional() {
        quote!(::std::option::Option<#boxed>)
    } else {
        boxed
    }
}

/// A struct's `Deserialize`: a visitor that matches keys against the wire
/// names (see the runtime's `de` module) and keeps unknown keys in the
/// struct's map, reading every value straight from the input. serde's
/// `flatten` would buffer the whole object first.
fn struct_deserialize(name: &Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().enumerate().map(|(i, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let field = ident(&f.name);
        let wire = &f.wire;
        // Integers are read leniently (a whole float such as `12.0` is
        // accepted) through the runtime's `de::Whole`.
        let int = match f.ty {
            TypeRef::Integer { bits32: true } => Some(quote!(i32)),
            TypeRef::Integer { bits32: false } => Some(quote!(i64)),
            _ => None,
        };
        let kind = match (int.is_some(), f.is_optional()) {
            (true, true) => "optional_whole",
            (true, false) => "required_whole",
            (false, true) => "optional",
            (false, false) => "required",
        };
        let kind = ident(kind);
        quote! { #index #wire #field #kind #int; }
    });
    let extra = ident(&s.additional_name);
    quote! { crate::runtime::share::object!(#name, #extra; #(#fields)*); }
}

fn enum_tokens(name: &Ident, doc: TokenStream, e: &Enum) -> TokenStream {
    let other = ident(&e.other);
    let variants: Vec<Ident> = e.values.iter().map(|(_, n)| ident(n)).collect();
    let wires: Vec<&String> = e.values.iter().map(|(w, _)| w).collect();
    let variant_docs: Vec<String> = wires.iter().map(|w| format!(" `{w}`")).collect();
    // A one-value enum (a union tag) defaults to its value, so constructors can fill it in.
    let (default_derive, default_attr) = match variants.len() {
        1 => (quote!(Default,), quote!(#[default])),
        _ => (TokenStream::new(), TokenStream::new()),
    };
    let first = variants.first();
    let rest = variants.iter().skip(1);
    let first_doc = variant_docs.first();
    let rest_docs = variant_docs.iter().skip(1);
    let matching = format!(
        " A value this version of the SDK does not know arrives as [`{}`](Self::{}), \
         so one arm covers them all. A later version may know more values: a `match` \
         that names every value then stops compiling where the new one needs handling.",
        e.other, e.other
    );
    let from_str = enum_from_str(name, e);
    quote! {
        #doc
        ///
        #[doc = #matching]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #default_derive)]
        pub enum #name {
            #[doc = #first_doc]
            #default_attr
            #first,
            #(#[doc = #rest_docs] #rest,)*
            /// A value this version of the SDK does not know, kept as sent.
            #other(::std::string::String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#other(value) => value.as_str(),
                }
            }
        }

        #from_str

        crate::runtime::share::str_enum!(#name, #other);
    }
}

/// `From<&str>`: how a wire value becomes a variant, unknown values kept.
/// (A `match` measured faster than bisecting a sorted table, even for the
/// 250 country codes.)
/// From this many values on, `From<&str>` matches the value's bytes.
const BYTE_MATCH_MIN: usize = 32;

fn enum_from_str(name: &Ident, e: &Enum) -> TokenStream {
    let other = ident(&e.other);
    let variants = e.values.iter().map(|(_, n)| ident(n));
    let body = if e.values.len() >= BYTE_MATCH_MIN {
        // A `match` on text compares the value with each arm in turn (a
        // country code took 60 comparisons); on bytes the compiler branches
        // on the length and then on each byte.
        let patterns = e.values.iter().map(|(wire, _)| {
            let bytes = wire.bytes().map(proc_macro2::Literal::byte_character);
            quote!([#(#bytes),*])
        });
        quote! {
            match value.as_bytes() {
                #(#patterns => Self::#variants,)*
                _ => Self::#other(::std::string::String::from(value)),
            }
        }
    } else {
        let wires = e.values.iter().map(|(w, _)| w);
        quote! {
            match value {
                #(#wires => Self::#variants,)*
                other => Self::#other(::std::string::String::from(other)),
            }
        }
    };
    quote! {
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                #body
            }
        }
    }
}
