//! The `support` module every generated crate carries: serde helpers for unions.

use crate::ir::{Model, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The helpers this model's types use, and no others (so nothing is dead code).
pub(crate) fn support_file(model: &Model) -> TokenStream {
    let kinds = || model.types.iter().map(|t| &t.kind);
    let untagged = kinds().any(|k| matches!(k, TypeKind::Untagged(_)));
    let adds_tag = kinds()
        .any(|k| matches!(k, TypeKind::Tagged(t) if t.variants.iter().any(|v| !v.declares_tag)));
    let untagged = untagged.then(untagged_helpers);
    let adds_tag = adds_tag.then(add_tag_helper);
    quote! {
        //! Helpers the generated types use to read and write unions.
        #untagged
        #adds_tag
    }
}

fn untagged_helpers() -> TokenStream {
    quote! {
        /// Reads one candidate of an untagged union, naming it on error.
        pub(crate) fn untagged_variant<T: ::serde::de::DeserializeOwned>(
            value: &::serde_json::Value,
            variant: &str,
        ) -> ::std::result::Result<T, ::std::string::String> {
            crate::runtime::de::reread(value).map_err(|e| format!("not a {variant}: {e}"))
        }

        /// Whether an object has every `required` key and, when `known` is given, no other key.
        /// Values that are not objects fit only variants that require nothing.
        pub(crate) fn fits(value: &::serde_json::Value, required: &[&str], known: ::std::option::Option<&[&str]>) -> bool {
            match value.as_object() {
                ::std::option::Option::Some(map) => {
                    required.iter().all(|k| map.contains_key(*k))
                        && known.is_none_or(|known| map.keys().all(|k| known.contains(&k.as_str())))
                }
                ::std::option::Option::None => required.is_empty() && known.is_none(),
            }
        }
    }
}

fn add_tag_helper() -> TokenStream {
    quote! {
        /// Writes a variant whose type does not declare the tag, adding the tag.
        pub(crate) fn serialize_with_tag<T: ::serde::Serialize, S: ::serde::Serializer>(
            value: &T,
            tag: &str,
            tag_value: &str,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            let mut json = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
            if let ::serde_json::Value::Object(map) = &mut json {
                map.entry(tag)
                    .or_insert_with(|| ::serde_json::Value::String(::std::string::String::from(tag_value)));
            }
            ::serde::Serialize::serialize(&json, serializer)
        }
    }
}
