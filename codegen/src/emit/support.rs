//! The `support` module every generated crate carries: serde helpers for enums and unions.

use crate::ir::{Model, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The helpers this model's types use, and no others (so nothing is dead code).
pub(crate) fn support_file(model: &Model) -> TokenStream {
    let kinds = || model.types.iter().map(|t| &t.kind);
    let enums = kinds()
        .any(|k| matches!(k, TypeKind::Enum(_)))
        .then(enum_helpers);
    let untagged = kinds().any(|k| matches!(k, TypeKind::Untagged(_)));
    let adds_tag = kinds()
        .any(|k| matches!(k, TypeKind::Tagged(t) if t.variants.iter().any(|v| !v.declares_tag)));
    let untagged = untagged.then(untagged_helpers);
    let adds_tag = adds_tag.then(add_tag_helper);
    quote! {
        //! Helpers the generated types use to read and write enums and unions.
        #enums
        #untagged
        #adds_tag
    }
}

fn enum_helpers() -> TokenStream {
    quote! {
        /// Reads a string enum without allocating for known values.
        pub(crate) fn deserialize_str_enum<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: for<'a> ::std::convert::From<&'a str> + ::std::convert::From<::std::string::String>,
        {
            struct Visitor<T>(::std::marker::PhantomData<T>);
            impl<'de, T> ::serde::de::Visitor<'de> for Visitor<T>
            where
                T: for<'a> ::std::convert::From<&'a str> + ::std::convert::From<::std::string::String>,
            {
                type Value = T;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("a string")
                }
                fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<T, E> {
                    ::std::result::Result::Ok(T::from(value))
                }
                fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<T, E> {
                    ::std::result::Result::Ok(T::from(value))
                }
            }
            deserializer.deserialize_str(Visitor(::std::marker::PhantomData))
        }
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
