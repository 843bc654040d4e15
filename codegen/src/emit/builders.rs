//! Emitting the builder of a struct: the one way to make a value.
//!
//! `Transaction::builder()` returns a `TransactionBuilder<(), (), ()>`: one type
//! parameter per required field, `()` while the field is unset and its value's type
//! once set. A required field's setter exists only while its parameter is `()`, and
//! `build` only once none is, so a missing required field, or one given twice, does
//! not compile, and every value is named at the call site. Optional fields have
//! setters in every state. Nothing is checked at run time.

use super::rust::{Scope, ident, rust_type, setter_input};
use crate::ir::{Field, Model, Struct, TypeKind, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Whether a type is a one-value enum (so a required field of it fills itself in).
fn is_const_enum(ty: &TypeRef, model: &Model) -> bool {
    match model.resolve(ty) {
        TypeRef::Named(id) => matches!(
            model.types.get(*id).map(|t| &t.kind),
            Some(TypeKind::Enum(e)) if e.values.len() == 1
        ),
        _ => false,
    }
}

/// How a field is filled in by the builder.
enum Role {
    /// A one-value enum: filled in by `build`.
    Constant,
    /// Required: a type-state slot (`nullable` ones hold an `Option`).
    Required,
    /// Optional: an `Option` with a setter in every state.
    Optional,
}

fn role(f: &Field, model: &Model) -> Role {
    if !f.required {
        Role::Optional
    } else if !f.nullable && is_const_enum(&f.ty, model) {
        Role::Constant
    } else {
        Role::Required
    }
}

/// The builder of struct `name`, its `builder()` constructor and, for a struct without
/// required fields, `Default`.
pub(crate) fn builder_tokens(name: &Ident, s: &Struct, model: &Model) -> TokenStream {
    let builder = ident(&s.builder);
    let extra = ident(&s.additional_name);
    let extra_ty = rust_type(&s.additional, model, Scope::Types);
    let roles: Vec<Role> = s.fields.iter().map(|f| role(f, model)).collect();
    let required: Vec<(usize, &Field)> = s
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| matches!(roles[*i], Role::Required))
        .collect();
    let params: Vec<Ident> = (0..required.len()).map(|i| format_ident!("S{i}")).collect();
    // The slot type of each required field once set.
    let set_types: Vec<TokenStream> = required.iter().map(|(_, f)| stored(f, model)).collect();
    let unset: Vec<TokenStream> = required.iter().map(|_| quote!(())).collect();

    // Builder fields: required slots and optional values, in spec order.
    let mut fields = Vec::new();
    let mut starts = Vec::new();
    let mut finals = Vec::new();
    let mut setters = Vec::new();
    let mut moved: Vec<Ident> = Vec::new();
    let mut slot = 0;
    for (f, role) in s.fields.iter().zip(&roles) {
        let field = ident(&f.name);
        match role {
            Role::Constant => {
                finals.push(quote! { #field: ::std::default::Default::default(), });
            }
            Role::Required => {
                let param = &params[slot];
                slot += 1;
                fields.push(quote! { #field: #param, });
                starts.push(quote! { #field: (), });
                finals.push(quote! { #field: self.#field, });
                moved.push(field);
            }
            Role::Optional => {
                let ty = stored(f, model);
                fields.push(quote! { #field: ::std::option::Option<#ty>, });
                starts.push(quote! { #field: ::std::option::Option::None, });
                finals.push(quote! { #field: self.#field, });
                moved.push(field.clone());
                let (input, convert) = setter_input(&f.ty, model, Scope::Types, &ident("value"));
                let value = boxed(f, convert);
                let doc = format!(" Sets [`{name}::{}`].", f.name);
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #field(mut self, value: #input) -> Self {
                        self.#field = ::std::option::Option::Some(#value);
                        self
                    }
                });
            }
        }
    }

    // One impl per required field, for the states where it is unset.
    let required_setters = required.iter().enumerate().map(|(i, (_, f))| {
        let field = ident(&f.name);
        let others: Vec<&Ident> = params
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| p)
            .collect();
        let before: Vec<TokenStream> = params
            .iter()
            .enumerate()
            .map(|(j, p)| if j == i { quote!(()) } else { quote!(#p) })
            .collect();
        let set = &set_types[i];
        let after: Vec<TokenStream> = params
            .iter()
            .enumerate()
            .map(|(j, p)| if j == i { set.clone() } else { quote!(#p) })
            .collect();
        let (input, convert) = if f.nullable {
            let base = rust_type(&f.ty, model, Scope::Types);
            let convert = if f.boxed {
                quote!(value.into().map(::std::boxed::Box::new))
            } else {
                quote!(value.into())
            };
            (
                quote!(impl ::std::convert::Into<::std::option::Option<#base>>),
                convert,
            )
        } else {
            let (input, convert) = setter_input(&f.ty, model, Scope::Types, &ident("value"));
            (input, boxed(f, convert))
        };
        let rest = moved.iter().filter(|m| **m != field);
        let doc = format!(" Sets [`{name}::{}`] (required; once).", f.name);
        quote! {
            impl<#(#others),*> #builder<#(#before),*> {
                #[doc = #doc]
                pub fn #field(self, value: #input) -> #builder<#(#after),*> {
                    #builder {
                        #field: #convert,
                        #(#rest: self.#rest,)*
                        #extra: self.#extra,
                    }
                }
            }
        }
    });
    let required_setters: Vec<TokenStream> = required_setters.collect();

    let wires: Vec<String> = required
        .iter()
        .map(|(_, f)| format!("`{}`", f.wire))
        .collect();
    let builder_fn_doc = if wires.is_empty() {
        format!(" Starts a [`{builder}`]: set any fields, then call `build`.")
    } else {
        format!(
            " Starts a [`{builder}`]: set the required {} (each once, in any order), any optional fields, then call `build`.",
            wires.join(", ")
        )
    };
    let summary =
        format!(" Builds a [`{name}`]: made by [`{name}::builder`], finished by `build`.");
    let builder_doc = if wires.is_empty() {
        quote!(#[doc = #summary])
    } else {
        let states = format!(
            " The type parameters follow the required fields ({}): `()` while a field is unset, so `build` exists only once all are set.",
            wires.join(", ")
        );
        quote!(#[doc = #summary] #[doc = ""] #[doc = #states])
    };
    let default_impl = required.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self { Self::builder().build() }
            }
        }
    });
    let generics = if params.is_empty() {
        TokenStream::new()
    } else {
        quote!(<#(#params),*>)
    };
    let set = if set_types.is_empty() {
        TokenStream::new()
    } else {
        quote!(<#(#set_types),*>)
    };
    let start = if unset.is_empty() {
        TokenStream::new()
    } else {
        quote!(<#(#unset),*>)
    };
    quote! {
        impl #name {
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder #start {
                #builder {
                    #(#starts)*
                    #extra: ::std::collections::BTreeMap::new(),
                }
            }
        }

        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder #generics {
            #(#fields)*
            #extra: ::std::collections::BTreeMap<::std::string::String, #extra_ty>,
        }

        #(#required_setters)*

        impl #generics #builder #generics {
            #(#setters)*
        }

        impl #builder #set {
            /// Makes the value.
            pub fn build(self) -> #name {
                #name {
                    #(#finals)*
                    #extra: self.#extra,
                }
            }
        }

        #default_impl
    }
}

/// The stored type of a field (boxed when it breaks a cycle), without the `Option` of
/// optional fields; a required nullable field stores an `Option`.
fn stored(f: &Field, model: &Model) -> TokenStream {
    let base = rust_type(&f.ty, model, Scope::Types);
    let ty = if f.boxed {
        quote!(::std::boxed::Box<#base>)
    } else {
        base
    };
    if f.required && f.nullable {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    }
}

fn boxed(f: &Field, value: TokenStream) -> TokenStream {
    if f.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}
