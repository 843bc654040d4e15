//! The crate generated from the newest official spec reads `PaymentDetails` by its tag.
//!
//! `../shared/reference/flagright-openapi-2025-03.yml` is not part of this repository,
//! so the test is ignored by a plain `cargo test`; `.ci/run` runs it with `--ignored`
//! (and builds the crate generated from the same spec).

use std::path::Path;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

const REFERENCE: &str = "../shared/reference/flagright-openapi-2025-03.yml";

/// Whether `tokens` hold a call `read_tag(map, "<key>", ...)` anywhere
/// inside: the runtime reading a tagged union's tag before its variant.
fn reads_tag(tokens: TokenStream, key: &str) -> bool {
    let literal = format!("{key:?}");
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    trees.iter().enumerate().any(|(i, tree)| match tree {
        TokenTree::Ident(ident) if ident == "read_tag" => match trees.get(i + 1) {
            Some(TokenTree::Group(args)) if args.delimiter() == Delimiter::Parenthesis => args
                .stream()
                .into_iter()
                .any(|arg| matches!(&arg, TokenTree::Literal(l) if l.to_string() == literal)),
            _ => false,
        },
        TokenTree::Group(group) => reads_tag(group.stream(), key),
        _ => false,
    })
}

#[test]
#[ignore = "needs ../shared/reference"]
fn payment_details_is_a_tagged_enum_dispatching_on_method() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(REFERENCE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let files = codegen::generate(&text).unwrap_or_else(|e| panic!("{REFERENCE}: {e}"));
    // Types share files, named after the first letters of the types they hold.
    let file = files
        .iter()
        .find(|f| f.path.starts_with("types/p") && f.text.contains("pub enum PaymentDetails "))
        .expect("a `types/p…` file holding `PaymentDetails` in the crate generated from the reference spec");
    let parsed = syn::parse_file(&file.text).expect("generated code parses");
    let mut found_enum = false;
    let mut dispatches = false;
    for item in &parsed.items {
        match item {
            syn::Item::Enum(e) if e.ident == "PaymentDetails" => {
                found_enum = true;
                let untagged = e.attrs.iter().any(|a| {
                    a.path().is_ident("serde")
                        && a.to_token_stream().to_string().contains("untagged")
                });
                assert!(
                    !untagged,
                    "PaymentDetails is #[serde(untagged)]; it must be tagged"
                );
            }
            syn::Item::Impl(block) => {
                let for_payment_details = matches!(block.self_ty.as_ref(),
                    syn::Type::Path(p) if p.path.is_ident("PaymentDetails"));
                let deserialize = block
                    .trait_
                    .as_ref()
                    .and_then(|(_, path, _)| path.segments.last())
                    .is_some_and(|s| s.ident == "Deserialize");
                if for_payment_details && deserialize {
                    dispatches = reads_tag(block.to_token_stream(), "method");
                }
            }
            _ => {}
        }
    }
    assert!(found_enum, "no `enum PaymentDetails` in {}", file.path);
    assert!(
        dispatches,
        "PaymentDetails's Deserialize does not read its `method` tag"
    );
}
