//! The `flagright` command-line tool's subcommands: one per SDK group, each
//! with one per operation (`flagright transactions get ID`).
//!
//! The emitted file builds the `clap` commands (path parameters positional,
//! the others `--flags`, a JSON body from `--file`, `--max-items` for
//! paginated operations, the spec's text as help) and runs the matched
//! operation through the typed SDK method, handing the response to the
//! tool's hand-written `output` module. It names the SDK crate (`krate`) and
//! the tool's own modules `args` (reading values) and `output`.
//!
//! Operations whose body is `multipart/form-data` are left out: the tool has
//! no way to name files for its parts.

use super::rust::{Scope, ident, rust_type};
use crate::ir::{Group, Media, Model, Operation, Param, ParamLocation, ParamType, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Names of the tool's own arguments (global flags, `--file`,
/// `--max-items`): a parameter whose name or flag would take one gets a
/// `-param` suffix instead.
const RESERVED: &[&str] = &[
    "file",
    "max_items",
    "api_key_file",
    "env",
    "base_url",
    "timeout",
    "retries",
    "verbose",
    "help",
    "version",
];

/// The file `commands.rs` of the tool, for the SDK crate named `krate`.
pub(crate) fn commands_file(model: &Model, krate: &str) -> TokenStream {
    let krate = ident(krate);
    let groups: Vec<&Group> = model.groups.values().collect();
    let modules: Vec<Ident> = groups.iter().map(|g| ident(&g.module)).collect();
    let names: Vec<String> = groups.iter().map(|g| command_name(&g.module)).collect();
    let group_mods = groups.iter().map(|g| group_module(g, model, &krate));
    let env_names: Vec<String> = model
        .environments
        .iter()
        .map(|e| environment_name(&e.name))
        .collect();
    let env_variants: Vec<Ident> = model.environments.iter().map(|e| ident(&e.name)).collect();
    quote! {
        //! Every operation of the API as a subcommand, grouped as in the SDK.
        #![allow(clippy::too_many_lines)]

        /// One command per SDK group, each with one subcommand per operation.
        pub(crate) fn groups() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![#(#modules::command()),*]
        }

        /// Runs the operation named by `group` and its `matches`.
        pub(crate) async fn run(
            client: &::#krate::Client,
            group: &str,
            matches: &::clap::ArgMatches,
            out: &crate::output::Output,
        ) -> ::std::result::Result<(), crate::error::CliError> {
            match group {
                #(#names => #modules::run(client, matches, out).await,)*
                other => ::std::result::Result::Err(crate::args::unknown_command(other)),
            }
        }

        /// The servers of the spec, by the name `--env` takes, default first.
        pub(crate) const ENVIRONMENTS: &[(&str, ::#krate::Environment)] = &[
            #((#env_names, ::#krate::Environment::#env_variants),)*
        ];

        #(#group_mods)*
    }
}

/// The `--env` name of an environment variant: kebab case, with a dash
/// before each number (`SandboxEu1` → `sandbox-eu-1`).
fn environment_name(variant: &str) -> String {
    let mut name = String::new();
    let mut previous: Option<char> = None;
    for c in variant.chars() {
        if let Some(p) = previous
            && ((c.is_uppercase() && !p.is_uppercase())
                || (c.is_ascii_digit() && !p.is_ascii_digit()))
        {
            name.push('-');
        }
        name.extend(c.to_lowercase());
        previous = Some(c);
    }
    name
}

/// The command name of a module or method: kebab case.
fn command_name(name: &str) -> String {
    name.trim_start_matches("r#").replace('_', "-")
}

/// The operations the tool offers.
fn offered(group: &Group) -> impl Iterator<Item = &Operation> {
    group
        .operations
        .iter()
        .filter(|op| op.body.as_ref().is_none_or(|b| b.media != Media::Multipart))
}

/// One group's module: its command and the runner of each operation.
fn group_module(group: &Group, model: &Model, krate: &Ident) -> TokenStream {
    let module = ident(&group.module);
    let name = command_name(&group.module);
    let alias = (name != group.module).then(|| {
        let raw = group.module.as_str();
        quote!(.alias(#raw))
    });
    let fallback = format!("The `{}` operations.", group.module);
    let about = first_paragraph(group.doc.as_deref().unwrap_or(&fallback));
    let ops: Vec<&Operation> = offered(group).collect();
    let verbs: Vec<String> = ops.iter().map(|op| command_name(&op.method_name)).collect();
    let builders: Vec<Ident> = ops
        .iter()
        .map(|op| format_ident!("command_{}", op.method_name.trim_start_matches("r#")))
        .collect();
    let callers: Vec<Ident> = ops
        .iter()
        .map(|op| format_ident!("call_{}", op.method_name.trim_start_matches("r#")))
        .collect();
    let op_fns = ops
        .iter()
        .zip(builders.iter().zip(&callers))
        .map(|(op, (b, c))| {
            let command = operation_command(op, model, b);
            let call = operation_call(group, op, model, krate, c);
            quote!(#command #call)
        });
    quote! {
        mod #module {
            /// The group's command.
            pub(super) fn command() -> ::clap::Command {
                ::clap::Command::new(#name)
                    #alias
                    .about(#about)
                    .subcommand_required(true)
                    .arg_required_else_help(true)
                    #(.subcommand(#builders()))*
            }

            /// Runs the operation `matches` names.
            pub(super) async fn run(
                client: &::#krate::Client,
                matches: &::clap::ArgMatches,
                out: &crate::output::Output,
            ) -> ::std::result::Result<(), crate::error::CliError> {
                match matches.subcommand() {
                    #(::std::option::Option::Some((#verbs, m)) => #callers(client, m, out).await,)*
                    ::std::option::Option::Some((other, _)) => ::std::result::Result::Err(crate::args::unknown_command(other)),
                    ::std::option::Option::None => ::std::result::Result::Err(crate::args::unknown_command("")),
                }
            }

            #(#op_fns)*
        }
    }
}

/// The first paragraph of spec text, on one line.
fn first_paragraph(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Plain help text: the paragraphs that are not empty, trimmed.
fn paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The argument id (and flag) of a parameter, clear of the tool's own.
fn arg_name(param: &Param) -> String {
    let name = param.name.trim_start_matches("r#");
    if RESERVED.contains(&name) {
        format!("{name}_param")
    } else {
        name.to_owned()
    }
}

/// The `clap::Command` of one operation.
fn operation_command(op: &Operation, model: &Model, builder: &Ident) -> TokenStream {
    let verb = command_name(&op.method_name);
    let alias = (verb != op.method_name).then(|| {
        let raw = op.method_name.as_str();
        quote!(.alias(#raw))
    });
    let http = format!("{} {}", op.http_method, op.path);
    let fallback = format!("Calls `{http}`.");
    let summary = first_paragraph(op.summary.as_deref().unwrap_or(&fallback));
    let http_line = format!("`{http}`");
    let long = paragraphs([
        summary.as_str(),
        op.description.as_deref().unwrap_or(""),
        &http_line,
    ]);
    let params = op.params.iter().map(|p| param_arg(p, model));
    let body = op.body.as_ref().map(|body| {
        let help = paragraphs([
            "File with the request body (`-` for standard input).",
            body.doc.as_deref().unwrap_or(""),
        ]);
        let required = body.required;
        quote! {
            .arg(
                ::clap::Arg::new("file")
                    .long("file")
                    .short('f')
                    .value_name("PATH")
                    .required(#required)
                    .help(#help)
            )
        }
    });
    let max_items = op.pagination.as_ref().map(|_| {
        quote! {
            .arg(
                ::clap::Arg::new("max_items")
                    .long("max-items")
                    .value_name("N")
                    .value_parser(::clap::value_parser!(u64))
                    .help("Stop after this many items (default: every item of every page).")
            )
        }
    });
    quote! {
        fn #builder() -> ::clap::Command {
            ::clap::Command::new(#verb)
                #alias
                .about(#summary)
                .long_about(#long)
                #(.arg(#params))*
                #body
                #max_items
        }
    }
}

/// The type a parameter is converted to after clap read it as text
/// (enums, objects, lists that are not repeated flags), or `None` when
/// clap's own value parser gives the SDK's type.
fn converted_type(ty: &ParamType, model: &Model, krate: &Ident) -> Option<TokenStream> {
    match ty {
        ParamType::String
        | ParamType::BooleanString
        | ParamType::Boolean
        | ParamType::Integer
        | ParamType::Number => None,
        ParamType::Enum(_) | ParamType::Object(_) | ParamType::List(_) => {
            Some(param_type(ty, model, krate))
        }
    }
}

/// The Rust type of a parameter, as the SDK takes it.
fn param_type(ty: &ParamType, model: &Model, krate: &Ident) -> TokenStream {
    match ty {
        ParamType::String => quote!(::std::string::String),
        ParamType::BooleanString | ParamType::Boolean => quote!(bool),
        ParamType::Integer => quote!(i64),
        ParamType::Number => quote!(f64),
        ParamType::Enum(id) => rust_type(&TypeRef::Named(*id), model, Scope::Extern(krate)),
        ParamType::Object(ty) => rust_type(ty, model, Scope::Extern(krate)),
        ParamType::List(inner) => {
            let inner = param_type(inner, model, krate);
            quote!(::std::vec::Vec<#inner>)
        }
    }
}

/// A list of scalars is a repeated flag; other lists are one JSON value.
fn repeated_scalar(ty: &ParamType) -> Option<&ParamType> {
    match ty {
        ParamType::List(inner) if !matches!(**inner, ParamType::List(_) | ParamType::Object(_)) => {
            Some(inner)
        }
        _ => None,
    }
}

/// The `clap::Arg` of one parameter.
fn param_arg(p: &Param, model: &Model) -> TokenStream {
    let id = arg_name(p);
    let fallback = format!("The `{}` parameter.", p.wire);
    let mut help = paragraphs([p.doc.as_deref().unwrap_or(&fallback)]);
    if let ParamType::Enum(type_id) = &p.ty
        && let Some(crate::ir::TypeKind::Enum(e)) = model.types.get(*type_id).map(|t| &t.kind)
    {
        let values: Vec<&str> = e.values.iter().map(|(wire, _)| wire.as_str()).collect();
        help = format!("{help} Known values: {}.", values.join(", "));
    }
    let (parser, action) = match repeated_scalar(&p.ty) {
        Some(inner) => (
            scalar_parser(inner),
            Some(quote!(.action(::clap::ArgAction::Append))),
        ),
        None => (scalar_parser(&p.ty), None),
    };
    let required = p.required;
    let value_name = id.to_uppercase();
    let place = if p.location == ParamLocation::Path {
        quote!()
    } else {
        let long = id.replace('_', "-");
        quote!(.long(#long))
    };
    quote! {
        ::clap::Arg::new(#id)
            #place
            .value_name(#value_name)
            .required(#required)
            .value_parser(#parser)
            #action
            .help(#help)
    }
}

/// The value parser of a scalar parameter (text for the ones converted afterwards).
fn scalar_parser(ty: &ParamType) -> TokenStream {
    match ty {
        ParamType::BooleanString | ParamType::Boolean => quote!(::clap::value_parser!(bool)),
        ParamType::Integer => quote!(::clap::value_parser!(i64)),
        ParamType::Number => quote!(::clap::value_parser!(f64)),
        _ => quote!(::clap::value_parser!(::std::string::String)),
    }
}

/// An expression of type `Option<T>` (`T` the SDK's type of the parameter)
/// reading it from the matches `m`; it may use `?`.
fn param_value(p: &Param, model: &Model, krate: &Ident) -> TokenStream {
    let id = arg_name(p);
    if let Some(inner) = repeated_scalar(&p.ty) {
        return match converted_type(inner, model, krate) {
            None => {
                let ty = param_type(inner, model, krate);
                quote!(m.get_many::<#ty>(#id).map(|values| values.cloned().collect::<::std::vec::Vec<_>>()))
            }
            Some(ty) => quote! {
                crate::args::converted_list::<#ty>(m, #id, crate::args::enum_value)?
            },
        };
    }
    match (converted_type(&p.ty, model, krate), &p.ty) {
        (None, ty) => {
            let ty = param_type(ty, model, krate);
            quote!(m.get_one::<#ty>(#id).cloned())
        }
        (Some(ty), ParamType::Enum(_)) => {
            quote!(crate::args::converted::<#ty>(m, #id, crate::args::enum_value)?)
        }
        (Some(ty), _) => quote!(crate::args::converted::<#ty>(m, #id, crate::args::json_value)?),
    }
}

/// The runner of one operation: reads the arguments, calls the SDK method,
/// prints the answer.
fn operation_call(
    group: &Group,
    op: &Operation,
    model: &Model,
    krate: &Ident,
    caller: &Ident,
) -> TokenStream {
    let accessor = ident(&group.module);
    let method = ident(&op.method_name);
    let mut reads = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    let mut path_fields = Vec::new();
    for p in &op.params {
        let name = format_ident!("arg_{}", p.name.trim_start_matches("r#"));
        let value = param_value(p, model, krate);
        let id = arg_name(p);
        let setter = ident(&p.name);
        if p.required && super::path_params::by_name(op, p) {
            reads.push(quote!(let #name = crate::args::required(#value, #id)?;));
            let field = ident(&p.name);
            path_fields.push(match p.ty {
                crate::ir::ParamType::String => quote!(#field: &#name),
                _ => quote!(#field: #name),
            });
        } else if p.required {
            reads.push(quote!(let #name = crate::args::required(#value, #id)?;));
            args.push(quote!(#name));
        } else {
            reads.push(quote!(let #name = #value;));
            setters.push(quote! {
                if let ::std::option::Option::Some(value) = #name {
                    request = request.#setter(value);
                }
            });
        }
    }
    if let Some(path) = &op.path_struct {
        // Path parameters by name (see `path_params`).
        let path = ident(path);
        args.insert(0, quote!(#krate::#accessor::#path { #(#path_fields),* }));
    }
    if let Some(body) = &op.body {
        let read = match body.media {
            Media::Bytes => quote!(crate::args::body_bytes(m)?),
            Media::Text => quote!(crate::args::body_text(m)?),
            _ => {
                let ty = rust_type(&body.ty, model, Scope::Extern(krate));
                quote!(crate::args::body::<#ty>(m)?)
            }
        };
        reads.push(quote!(let body = #read;));
        if body.required {
            reads.push(quote!(let body = crate::args::required(body, "file")?;));
            args.push(quote!(&body));
        } else {
            setters.push(quote! {
                if let ::std::option::Option::Some(body) = &body {
                    request = request.body(body);
                }
            });
        }
    }
    let mutable = if setters.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let finish = if op.pagination.is_some() {
        quote!(
            out.stream(request.stream(), m.get_one::<u64>("max_items").copied())
                .await
        )
    } else {
        match (op.success.media, &op.success.ty) {
            (Media::Bytes | Media::Multipart, _) => quote!(out.bytes(&request.send().await?)),
            (Media::Text, _) => quote!(out.text(&request.send().await?)),
            (_, Some(_)) => quote!(out.json(&request.send().await?)),
            (_, None) => quote! {
                request.send().await?;
                ::std::result::Result::Ok(())
            },
        }
    };
    quote! {
        async fn #caller(
            client: &::#krate::Client,
            m: &::clap::ArgMatches,
            out: &crate::output::Output,
        ) -> ::std::result::Result<(), crate::error::CliError> {
            #(#reads)*
            let #mutable request = client.#accessor().#method(#(#args),*);
            #(#setters)*
            #finish
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_names_split_words_and_numbers() {
        assert_eq!(environment_name("SandboxEu1"), "sandbox-eu-1");
        assert_eq!(environment_name("ProductionAsia2"), "production-asia-2");
        assert_eq!(environment_name("Default"), "default");
    }

    #[test]
    fn reserved_names_get_a_suffix() {
        let param = |name: &str| Param {
            wire: name.to_owned(),
            name: name.to_owned(),
            location: ParamLocation::Query,
            required: false,
            ty: ParamType::String,
            explode: true,
            deep_object: false,
            bounds: crate::ir::Bounds::default(),
            doc: None,
        };
        assert_eq!(arg_name(&param("file")), "file_param");
        assert_eq!(arg_name(&param("page_size")), "page_size");
    }
}
