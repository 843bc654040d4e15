//! The type registry: which generated type reads each schema and body of the spec.
//!
//! Tests use it to round-trip every example in the spec through the type the
//! SDK uses for it, without a hand-kept list that could drift from the spec.

use super::rust::{Scope, ident, rust_type};
use crate::ir::{Model, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The registry module, for a crate that depends on the generated crate `crate_name`.
pub(crate) fn registry_file(model: &Model, crate_name: &str) -> TokenStream {
    let krate = ident(&crate_name.replace('-', "_"));
    let ty = |t: &TypeRef| rust_type(t, model, Scope::Extern(&krate));
    let mut schema_arms = Vec::new();
    for (id, def) in model.types.iter().enumerate() {
        if let Some(name) = def.pointer.strip_prefix("#/components/schemas/") {
            let name = name.replace("~1", "/").replace("~0", "~");
            let path = ty(&TypeRef::Named(id));
            schema_arms
                .push(quote! { #name => ::std::option::Option::Some(roundtrip::<#path>(value)), });
        }
    }
    let mut request_arms = Vec::new();
    let mut response_arms = Vec::new();
    for group in model.groups.values() {
        for op in &group.operations {
            let id = &op.operation_id;
            if let Some(body) = &op.body {
                let path = ty(&body.ty);
                request_arms.push(
                    quote! { #id => ::std::option::Option::Some(roundtrip::<#path>(value)), },
                );
            }
            if let Some(success) = &op.success.ty {
                let status = op.success.status;
                let path = ty(success);
                response_arms.push(quote! { (#id, #status) => ::std::option::Option::Some(roundtrip::<#path>(value)), });
            }
            for (status, body) in &op.error_bodies {
                let path = ty(body);
                response_arms.push(quote! { (#id, #status) => ::std::option::Option::Some(roundtrip::<#path>(value)), });
            }
        }
    }
    quote! {
        //! Which generated type reads each component schema, request body and response body.

        /// Reads `value` as `T` and writes it back, or says where reading failed.
        fn roundtrip<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
            value: ::serde_json::Value,
        ) -> ::std::result::Result<::serde_json::Value, ::std::string::String> {
            let typed: T = serde_path_to_error::deserialize(value)
                .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
            ::serde_json::to_value(&typed).map_err(|e| e.to_string())
        }

        /// Round-trips `value` through the type of component schema `name`; `None` for an unknown name.
        pub fn schema(name: &str, value: ::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>> {
            match name {
                #(#schema_arms)*
                _ => ::std::option::Option::None,
            }
        }

        /// Round-trips `value` through the request body type of `operation_id`.
        pub fn request(operation_id: &str, value: ::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>> {
            match operation_id {
                #(#request_arms)*
                _ => ::std::option::Option::None,
            }
        }

        /// Round-trips `value` through the response body type of `operation_id` for `status`.
        pub fn response(operation_id: &str, status: u16, value: ::serde_json::Value) -> ::std::option::Option<::std::result::Result<::serde_json::Value, ::std::string::String>> {
            match (operation_id, status) {
                #(#response_arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}
