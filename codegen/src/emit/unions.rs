//! Emitting unions: tagged ones dispatch on their tag, untagged ones try variants in a safe order.

use super::docs::doc_attrs;
use super::rust::{Scope, holds_bare_floats, ident, map_deserialize, rust_type};
use crate::ir::{Model, Tagged, TypeRef, Untagged};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// `From<Variant>` impls for variant types that appear once in the union.
fn from_impls<'a>(
    name: &Ident,
    variants: impl Iterator<Item = (&'a str, &'a TypeRef, bool)> + Clone,
    model: &Model,
) -> Vec<TokenStream> {
    // Counted by the Rust type they finally are: two aliases of `String`
    // (`Ipv4Net`, `Ipv6Net`) would otherwise get two `From<String>` impls.
    let mut uses: BTreeMap<&TypeRef, usize> = BTreeMap::new();
    for (_, ty, _) in variants.clone() {
        *uses.entry(model.resolve(ty)).or_default() += 1;
    }
    variants
        .filter(|(_, ty, _)| {
            uses.get(model.resolve(ty)) == Some(&1) && matches!(ty, TypeRef::Named(_))
        })
        .map(|(variant, ty, boxed)| {
            let variant = ident(variant);
            let ty = rust_type(ty, model, Scope::Types);
            let value = if boxed {
                quote!(::std::boxed::Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self { Self::#variant(#value) }
                }
            }
        })
        .collect()
}

pub(crate) fn tagged_tokens(
    name: &Ident,
    type_name: &str,
    doc: TokenStream,
    t: &Tagged,
    model: &Model,
) -> TokenStream {
    let tag = &t.tag;
    let other = ident(&t.other);
    let mut variants = Vec::new();
    let mut de_arms = Vec::new();
    let mut ser_arms = Vec::new();
    let mut tag_arms = Vec::new();
    for v in &t.variants {
        let variant = ident(&v.name);
        let value = &v.tag_value;
        let base = rust_type(&v.ty, model, Scope::Types);
        let stored = if v.boxed {
            quote!(::std::boxed::Box<#base>)
        } else {
            base.clone()
        };
        let vdoc = doc_attrs([format!("`{tag}` is `{value}`.").as_str()]);
        variants.push(quote! { #vdoc #variant(#stored), });
        let wrap = if v.boxed {
            quote!(|v| #name::#variant(::std::boxed::Box::new(v)))
        } else {
            quote!(#name::#variant)
        };
        de_arms.push(quote! {
            #value => rest.variant::<#base>().map(#wrap),
        });
        let inner = if v.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        ser_arms.push(if v.declares_tag {
            variant_serialize(&variant, &inner, &v.ty, model)
        } else {
            quote! { Self::#variant(value) => crate::generated::support::serialize_with_tag(#inner, #tag, #value, serializer), }
        });
        tag_arms.push(quote! { Self::#variant(_) => ::std::option::Option::Some(#value), });
    }
    let expecting = format!("a {type_name} (an object with a string `{tag}` property)");
    let froms = from_impls(
        name,
        t.variants.iter().map(|v| (v.name.as_str(), &v.ty, v.boxed)),
        model,
    );
    let told_apart =
        format!(" Told apart by the `{tag}` property; unknown values are kept as raw JSON.");
    let tag_doc = format!(
        " The `{tag}` value of this variant (`None` only when an unknown variant has none)."
    );
    let matching = format!(
        " A `{tag}` this version of the SDK does not know arrives as [`{}`](Self::{}), \
         so one arm covers them all. A later version may know more variants: a `match` \
         that names every variant then stops compiling where the new one needs handling.",
        t.other, t.other
    );
    let deserialize = map_deserialize(
        name,
        &expecting,
        false,
        quote! {
            let rest = crate::runtime::de::read_tag(map, #tag, #type_name)?;
            match rest.tag() {
                #(#de_arms)*
                _ => rest.variant::<::serde_json::Value>().map(#name::#other),
            }
        },
    );
    quote! {
        #doc
        ///
        #[doc = #told_apart]
        ///
        #[doc = #matching]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A variant this version of the SDK does not know, kept as sent.
            #other(::serde_json::Value),
        }

        impl #name {
            #[doc = #tag_doc]
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#tag_arms)*
                    Self::#other(value) => value.get(#tag).and_then(::serde_json::Value::as_str),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        // The variant reads the object straight from the input: the tag
        // and what came before it are replayed (see the runtime's `de`).
        #deserialize

        #(#froms)*
    }
}

pub(crate) fn untagged_tokens(
    name: &Ident,
    type_name: &str,
    doc: TokenStream,
    u: &Untagged,
    model: &Model,
) -> TokenStream {
    let mut variants = Vec::new();
    let mut strict = Vec::new();
    let mut lenient = Vec::new();
    let mut ser_arms = Vec::new();
    for v in &u.variants {
        let variant = ident(&v.name);
        let base = rust_type(&v.ty, model, Scope::Types);
        let stored = if v.boxed {
            quote!(::std::boxed::Box<#base>)
        } else {
            base.clone()
        };
        let vdoc = format!(" A `{}` value.", v.name);
        let label = format!("{type_name}::{}", v.name);
        variants.push(quote! { #[doc = #vdoc] #variant(#stored), });
        let wrap = if v.boxed {
            quote!(Self::#variant(::std::boxed::Box::new(v)))
        } else {
            quote!(Self::#variant(v))
        };
        let inner = if v.boxed {
            quote!(value.as_ref())
        } else {
            quote!(value)
        };
        ser_arms.push(variant_serialize(&variant, &inner, &v.ty, model));
        let required = &v.required;
        if let Some(known) = &v.known {
            strict.push(quote! {
                if crate::generated::support::fits(&value, &[#(#required),*], ::std::option::Option::Some(&[#(#known),*]))
                    && let ::std::result::Result::Ok(v) = crate::generated::support::untagged_variant::<#base>(&value, #label)
                {
                    return ::std::result::Result::Ok(#wrap);
                }
            });
        }
        // A variant told apart by its `pattern` takes only strings that match it.
        let pattern = v.pattern.as_ref().map(|source| {
            quote! {
                && {
                    static PATTERN: crate::runtime::Pattern = crate::runtime::Pattern::new(#source);
                    PATTERN.matches(&value)
                }
            }
        });
        // One told apart by its `format` only strings written in it.
        let format = v
            .format
            .as_ref()
            .map(|format| quote!(&& crate::runtime::formats::matches(#format, &value)));
        lenient.push(quote! {
            if crate::generated::support::fits(&value, &[#(#required),*], ::std::option::Option::None) #pattern #format {
                match crate::generated::support::untagged_variant::<#base>(&value, #label) {
                    ::std::result::Result::Ok(v) => return ::std::result::Result::Ok(#wrap),
                    ::std::result::Result::Err(e) => errors.push(e),
                }
            }
        });
    }
    let none = format!("{type_name}: the value matches no variant");
    let froms = from_impls(
        name,
        u.variants.iter().map(|v| (v.name.as_str(), &v.ty, v.boxed)),
        model,
    );
    quote! {
        #doc
        ///
        /// Variants are tried most specific first: an object must carry every required
        /// property of a variant, and a variant whose declared properties cover the whole
        /// object wins over one that would only tolerate it.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    #(#ser_arms)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::de::from_buffered(deserializer, |value| {
                    #(#strict)*
                    let mut errors: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                    #(#lenient)*
                    ::std::result::Result::Err(crate::runtime::error_path::no_variant(#none, &errors))
                })
            }
        }

        #(#froms)*
    }
}

/// The arm of a union's `Serialize` for one variant; floats held bare go
/// through the runtime's check, which refuses `NaN` and infinities.
fn variant_serialize(
    variant: &Ident,
    inner: &TokenStream,
    ty: &TypeRef,
    model: &Model,
) -> TokenStream {
    if holds_bare_floats(ty, model) {
        quote! { Self::#variant(value) => crate::runtime::finite::serialize(#inner, serializer), }
    } else {
        quote! { Self::#variant(value) => ::serde::Serialize::serialize(#inner, serializer), }
    }
}
