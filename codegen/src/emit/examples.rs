//! The compiled usage example in the docs of every endpoint method.
//!
//! Each example is a `no_run` doctest that calls the method the way a user does: the
//! client, the required parameters and the body come in as arguments of the hidden
//! wrapper function (named and typed as the method takes them), and the call is awaited
//! (or sent, for the blocking client). A renamed method or a changed parameter type makes
//! `cargo test --doc` fail.

use super::rust::{Scope, body_type_in, ident, rust_type};
use crate::ir::{Group, Model, Operation, ParamType, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` lines of the example for `op`, for a crate named `krate` (`flagright_api`).
pub(crate) fn call_example(
    group: &Group,
    op: &Operation,
    model: &Model,
    krate: &str,
    blocking: bool,
) -> TokenStream {
    let krate_ident = ident(krate);
    let scope = Scope::Extern(&krate_ident);
    let mut inputs = Vec::new();
    let mut args = Vec::new();
    let mut by_name = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let ty = match super::path_params::by_name(op, p) {
            true if p.ty == ParamType::String => quote!(&str),
            _ => param_type(&p.ty, model, scope),
        };
        let name = &p.name;
        inputs.push(format!("{name}: {}", tokens(&ty)));
        match super::path_params::by_name(op, p) {
            true => by_name.push(name.clone()),
            false => args.push(name.clone()),
        }
    }
    if let Some(path) = &op.path_struct {
        // Path parameters by name, in a struct literal.
        let literal = format!(
            "{krate}::{}::{path} {{ {} }}",
            group.module,
            by_name.join(", ")
        );
        args.insert(0, literal);
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = body_type_in(body, model, scope);
        inputs.push(format!("body: &{}", tokens(&ty)));
        args.push(String::from("body"));
    }
    // A flag the caller may set, to show the setters (`.validate_user_id(false)`).
    let flag = op
        .params
        .iter()
        .find(|p| !p.required && matches!(p.ty, ParamType::BooleanString | ParamType::Boolean))
        .map(|p| format!(".{}(false)", p.name))
        .unwrap_or_default();
    let client = if blocking {
        format!("{krate}::blocking::Client")
    } else {
        format!("{krate}::Client")
    };
    let (asyncness, finish) = if blocking {
        ("", ".send()?")
    } else {
        ("async ", ".await?")
    };
    let lines = [
        String::new(),
        String::from("# Example"),
        String::new(),
        String::from("```no_run"),
        format!(
            "# {asyncness}fn example(client: &{client}{}) -> Result<(), {krate}::Error> {{",
            inputs.iter().map(|i| format!(", {i}")).collect::<String>()
        ),
        format!(
            "let response = client.{}().{}({}){flag}{finish};",
            group.module,
            op.method_name,
            args.join(", ")
        ),
        String::from("# let _ = response;"),
        String::from("# Ok(())"),
        String::from("# }"),
        String::from("```"),
    ];
    let lines = lines.iter().map(|l| format!(" {l}").trim_end().to_owned());
    quote! { #(#[doc = #lines])* }
}

/// The type a parameter is passed as, named from outside the crate.
fn param_type(ty: &ParamType, model: &Model, scope: Scope<'_>) -> TokenStream {
    match ty {
        ParamType::String => quote!(String),
        ParamType::BooleanString | ParamType::Boolean => quote!(bool),
        ParamType::Integer => quote!(i64),
        ParamType::Number => quote!(f64),
        ParamType::Enum(id) => rust_type(&TypeRef::Named(*id), model, scope),
        ParamType::List(inner) => {
            let inner = param_type(inner, model, scope);
            quote!(Vec<#inner>)
        }
        ParamType::Object(ty) => rust_type(ty, model, scope),
    }
}

/// Tokens as source text without the spaces `TokenStream` puts around `::` and `<>`.
fn tokens(ty: &TokenStream) -> String {
    ty.to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}
