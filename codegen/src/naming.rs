//! The one place where identifiers are made.
//!
//! Every Rust identifier the generator emits comes from a function here:
//! wire names are cased with `heck`, made valid (a leading digit gets a
//! prefix, punctuation is dropped), keywords are escaped, and [`Namer`] makes
//! names unique within a scope. Wire names themselves are never changed; they
//! travel beside the identifier into `#[serde(rename)]` and `as_str`.

pub(crate) mod reserved;

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords (strict and reserved, all editions) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names a type or an enum variant: `UpperCamelCase`, never empty, never a keyword.
pub fn type_name(raw: &str) -> String {
    let cased = words(raw).to_upper_camel_case();
    let cased = if cased.is_empty() {
        String::from("Value")
    } else {
        cased
    };
    let name = if cased.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{cased}")
    } else {
        cased
    };
    escape(name)
}

/// Names a field, method, module or parameter: `snake_case`, never empty, never a keyword.
pub fn snake_name(raw: &str) -> String {
    let cased = words(raw).to_snake_case();
    let cased = if cased.is_empty() {
        String::from("value")
    } else {
        cased
    };
    let name = if cased.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{cased}")
    } else {
        cased
    };
    escape(name)
}

/// Names a file's module from the start of snake-case names (`c`, `ca`,
/// `as` → `as_`): kept as it is when it is already a snake-case
/// identifier, else cased like [`snake_name`]; never a keyword.
pub fn file_module_name(prefix: &str) -> String {
    let plain = prefix.starts_with(|c: char| c.is_ascii_lowercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        escape(prefix.to_owned())
    } else {
        snake_name(prefix)
    }
}

/// Names a constant or environment variable prefix: `SHOUTY_SNAKE_CASE`.
pub fn shouty_name(raw: &str) -> String {
    snake_name(raw).trim_end_matches('_').to_ascii_uppercase()
}

/// Whether `raw` is already a plain alphanumeric word (so its name loses nothing).
pub fn is_plain(raw: &str) -> bool {
    !raw.is_empty() && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Splits on anything that cannot be in an identifier, so heck sees word boundaries.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

/// Appends `_` to keywords (and to `_`-only names); `r#` cannot express `self` or `crate`.
fn escape(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) || name.chars().all(|c| c == '_') {
        format!("{name}_")
    } else {
        name
    }
}

/// Hands out names unique within one scope (a module, a struct's fields, an enum's variants).
#[derive(Debug, Clone, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Namer {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Whether `name` is taken in this scope.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `candidate`, or `candidate2`, `candidate3`, ... if it is taken.
    ///
    /// Suffixes keep the name's case style: `Foo2` for types, `foo_2` for snake names.
    pub fn unique(&mut self, candidate: &str) -> String {
        if self.taken.insert(candidate.to_owned()) {
            return candidate.to_owned();
        }
        let snake = candidate.starts_with(|c: char| c.is_ascii_lowercase());
        let base = candidate.trim_end_matches('_');
        let mut n = 2usize;
        loop {
            let next = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if self.taken.insert(next.clone()) {
                return next;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_modules_keep_plain_prefixes_and_escape_keywords() {
        assert_eq!(file_module_name("c"), "c");
        assert_eq!(file_module_name("co"), "co");
        assert_eq!(file_module_name("a_b"), "a_b");
        assert_eq!(file_module_name("as"), "as_");
        assert_eq!(file_module_name("fn"), "fn_");
    }

    #[test]
    fn odd_wire_values_become_valid_identifiers() {
        assert_eq!(type_name("1INCH"), "V1inch");
        assert_eq!(type_name("N/A"), "NA");
        assert_eq!(type_name("Investments/Deposits"), "InvestmentsDeposits");
        assert_eq!(type_name("0"), "V0");
        assert_eq!(type_name("TD-USD"), "TdUsd");
        assert_eq!(type_name("Real Estate Sale"), "RealEstateSale");
        assert_eq!(type_name("GENERIC_BANK_ACCOUNT"), "GenericBankAccount");
        assert_eq!(type_name(""), "Value");
        assert_eq!(type_name("self"), "Self_");
    }

    #[test]
    fn snake_names_escape_keywords_and_digits() {
        assert_eq!(snake_name("3dsDone"), "n3ds_done");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("cardFingerprint"), "card_fingerprint");
        assert_eq!(snake_name("x-api-key"), "x_api_key");
        assert_eq!(snake_name("_"), "value");
    }

    #[test]
    fn collisions_get_numbered() {
        let mut namer = Namer::with_reserved(["UnknownValue"]);
        assert_eq!(namer.unique("Na"), "Na");
        assert_eq!(namer.unique("Na"), "Na2");
        assert_eq!(namer.unique("UnknownValue"), "UnknownValue2");
        let mut fields = Namer::default();
        assert_eq!(fields.unique("type_"), "type_");
        assert_eq!(fields.unique("type_"), "type_2");
    }
}
