//! Emitting the builder of a struct: the one way to make a value.
//!
//! `Transaction::builder()` returns a `TransactionBuilder<S>` whose one type
//! parameter, the state, holds the required fields (the runtime's `share`
//! module): a balanced tree of pairs with one leaf per required field, `Unset`
//! until its setter stores the value there. A required field's setter is written
//! once, generic over the state, and exists only while its leaf is `Unset`;
//! `build` exists only for the state where every leaf holds its value. So a missing
//! required field, or one given twice, does not compile, every value is named at
//! the call site, and nothing is checked at run time. Optional fields live in a
//! private struct of `Option`s, with setters in every state. A setter names its
//! leaf by a path of a few steps, so the builder grows linearly with its fields.

use super::rust::{Scope, ident, rust_type};
use crate::ir::{Field, Model, Struct, TypeKind, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

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
    /// Required: a leaf of the state (`nullable` ones hold an `Option`).
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
    let required: Vec<&Field> = s
        .fields
        .iter()
        .zip(&roles)
        .filter(|(_, r)| matches!(r, Role::Required))
        .map(|(f, _)| f)
        .collect();
    // Without required fields the builder is the struct of optional values itself.
    let stateless = required.is_empty();
    let holder = if stateless {
        quote!(self)
    } else {
        quote!(self.fields)
    };

    let mut optional = Vec::new();
    let mut finals = Vec::new();
    let mut setters = Vec::new();
    for (f, role) in s.fields.iter().zip(&roles) {
        let field = ident(&f.name);
        match role {
            Role::Constant => finals.push(quote! { #field: ::std::default::Default::default(), }),
            Role::Required => finals.push(quote! { #field, }),
            Role::Optional => {
                let ty = stored(f, model);
                optional.push(quote! { #field: ::std::option::Option<#ty>, });
                finals.push(quote! { #field: #holder.#field, });
                let (kind, ty) = kind(f, model);
                let doc = format!(" Sets [`{name}::{}`].", f.name);
                setters.push(quote! { #doc #field #kind #ty; });
            }
        }
    }
    let extra_field =
        quote! { #extra: ::std::collections::BTreeMap<::std::string::String, #extra_ty>, };

    let wires: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
    let builder_fn_doc = if stateless {
        format!(" Starts a [`{builder}`]: set any fields, then call `build`.")
    } else {
        format!(
            " Starts a [`{builder}`]: set the required {} (each once, in any order), any optional fields, then call `build`.",
            wires.join(", ")
        )
    };
    let summary =
        format!(" Builds a [`{name}`]: made by [`{name}::builder`], finished by `build`.");
    let holder_arg = if stateless {
        TokenStream::new()
    } else {
        quote!(fields)
    };
    // Paths are written out in full: several types share a file, and one
    // `use` per type would clash.
    let setters = (!setters.is_empty())
        .then(|| quote!(crate::runtime::share::setters!(#holder_arg; #(#setters)*);));
    let must_use = quote!(#[must_use = "a builder does nothing until `build` is called"]);

    if stateless {
        return quote! {
            impl #name {
                #[doc = #builder_fn_doc]
                pub fn builder() -> #builder {
                    ::std::default::Default::default()
                }
            }

            #[doc = #summary]
            #[derive(Debug, Clone, Default)]
            #must_use
            pub struct #builder {
                #(#optional)*
                #extra_field
            }

            impl #builder {
                #setters

                /// Makes the value.
                pub fn build(self) -> #name {
                    #name {
                        #(#finals)*
                        #extra: self.#extra,
                    }
                }
            }

            impl ::std::default::Default for #name {
                fn default() -> Self { Self::builder().build() }
            }
        };
    }

    let fields_name = ident(&s.builder_fields);
    let paths = paths(required.len());
    let required_setters = required.iter().zip(&paths).map(|(f, path)| {
        let field = ident(&f.name);
        let set = stored(f, model);
        let (kind, ty) = kind(f, model);
        let doc = format!(" Sets [`{name}::{}`] (required; once).", f.name);
        quote! { #doc #field #kind #ty => #set [#path]; }
    });
    let required_setters: Vec<TokenStream> = required_setters.collect();
    let required_setters =
        quote!(crate::runtime::share::required!(#builder; #(#required_setters)*););
    let unset: Vec<TokenStream> = required
        .iter()
        .map(|_| quote!(crate::runtime::share::Unset))
        .collect();
    let set: Vec<TokenStream> = required.iter().map(|f| stored(f, model)).collect();
    let names: Vec<TokenStream> = required
        .iter()
        .map(|f| {
            let field = ident(&f.name);
            quote!(#field)
        })
        .collect();
    let unset = tree(&unset);
    let set = tree(&set);
    let pattern = tree(&names);
    let states = format!(
        " The type parameter holds the required fields ({}): each `Unset` until set, so `build` exists only once all are set.",
        wires.join(", ")
    );
    quote! {
        impl #name {
            #[doc = #builder_fn_doc]
            pub fn builder() -> #builder {
                #builder {
                    state: ::std::default::Default::default(),
                    fields: ::std::default::Default::default(),
                }
            }
        }

        #[doc = #summary]
        #[doc = ""]
        #[doc = #states]
        #[derive(Debug, Clone)]
        #must_use
        pub struct #builder<S = #unset> {
            state: S,
            fields: #fields_name,
        }

        /// The optional fields of the builder.
        #[derive(Debug, Clone, Default)]
        struct #fields_name {
            #(#optional)*
            #extra_field
        }

        #required_setters

        impl<S> #builder<S> {
            #setters
        }

        impl #builder<#set> {
            /// Makes the value.
            pub fn build(self) -> #name {
                let #pattern = self.state;
                #name {
                    #(#finals)*
                    #extra: self.fields.#extra,
                }
            }
        }
    }
}

/// A balanced tree of pairs over `leaves` (one leaf is itself), as the state of a
/// builder holds its required fields.
fn tree(leaves: &[TokenStream]) -> TokenStream {
    match leaves {
        [leaf] => leaf.clone(),
        _ => {
            let (left, right) = leaves.split_at(leaves.len().div_ceil(2));
            let (left, right) = (tree(left), tree(right));
            quote!((#left, #right))
        }
    }
}

/// The steps to each leaf of a `tree` over `n` leaves (`L`/`R`, as the runtime's
/// `share::steps` reads them).
fn paths(n: usize) -> Vec<TokenStream> {
    if n <= 1 {
        return vec![TokenStream::new()];
    }
    let left = n.div_ceil(2);
    let mut all: Vec<TokenStream> = paths(left).into_iter().map(|p| quote!(L #p)).collect();
    all.extend(paths(n - left).into_iter().map(|p| quote!(R #p)));
    all
}

/// The kind of setter a field takes (see the runtime's `share::arg`) and the type it
/// names: the item type of lists and maps, the value type of the rest.
fn kind(f: &Field, model: &Model) -> (Ident, TokenStream) {
    let (kind, ty) = match &f.ty {
        _ if f.required && f.nullable => {
            let kind = if f.boxed {
                "nullable_boxed"
            } else {
                "nullable"
            };
            (kind, &f.ty)
        }
        TypeRef::List(inner) => ("list", &**inner),
        TypeRef::Map(inner) => ("map", &**inner),
        TypeRef::UnixMillis => ("timestamp", &f.ty),
        ty if f.boxed => ("boxed", ty),
        ty => ("into", ty),
    };
    (ident(kind), rust_type(ty, model, Scope::Types))
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
