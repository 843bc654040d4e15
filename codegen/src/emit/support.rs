//! The `support` module every generated crate carries: serde helpers for enums and unions.

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn support_file() -> TokenStream {
    quote! {
        //! Helpers the generated types use to read and write enums and unions.

        use ::serde::de::DeserializeOwned;

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

        /// Where a failure happened inside a variant, as `a.b[2].c` (empty at the top).
        fn located(error: serde_path_to_error::Error<::serde_json::Error>) -> ::std::string::String {
            let path = error.path().to_string();
            if path == "." {
                error.into_inner().to_string()
            } else {
                format!("at `{}`: {}", path, error.into_inner())
            }
        }

        /// Reads the variant a tag selected, naming the variant and the failing field on error.
        pub(crate) fn tagged_variant<T: DeserializeOwned>(
            value: ::serde_json::Value,
            variant: &str,
            tag: &str,
            tag_value: &str,
        ) -> ::std::result::Result<T, ::std::string::String> {
            serde_path_to_error::deserialize(value)
                .map_err(|e| format!("invalid {variant} (`{tag}` is \"{tag_value}\"): {}", located(e)))
        }

        /// Reads one candidate of an untagged union, naming it on error.
        pub(crate) fn untagged_variant<T: DeserializeOwned>(
            value: ::serde_json::Value,
            variant: &str,
        ) -> ::std::result::Result<T, ::std::string::String> {
            serde_path_to_error::deserialize(value).map_err(|e| format!("not a {variant}: {}", located(e)))
        }

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

        /// The error when no variant of an untagged union fits.
        pub(crate) fn no_variant(what: &str, errors: &[::std::string::String]) -> ::std::string::String {
            if errors.is_empty() {
                format!("{what}: it lacks the required properties of every variant")
            } else {
                format!("{what} ({})", errors.join("; "))
            }
        }
    }
}
