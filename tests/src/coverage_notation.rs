//! The type notation of `api-surface.json` (`type_notation`): a parser and a
//! normalized form that the spec's schemas can be compared with.

use std::collections::BTreeSet;
use std::fmt;

/// One parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notation {
    /// A bare name: a primitive (`string`, `any`, `null`...) or a model or alias.
    Name(String),
    /// `literal["A", "B"]`.
    Literal(Vec<String>),
    /// `list[T]`.
    List(Box<Notation>),
    /// `map[K, V]`.
    Map(Box<Notation>, Box<Notation>),
    /// `union[A, B, ...]`.
    Union(Vec<Notation>),
}

/// Parses one type expression such as `union[list[Tag], null]`.
pub fn parse(text: &str) -> Result<Notation, String> {
    let mut parser = Parser { text, pos: 0 };
    let node = parser.node()?;
    parser.skip_ws();
    if parser.pos != text.len() {
        return Err(format!("trailing text at {} in `{text}`", parser.pos));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with(' ') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(format!("expected `{c}` at {} in `{}`", self.pos, self.text))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let rest = &self.text[self.pos..];
        let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
        let value = de
            .next()
            .ok_or_else(|| format!("expected a string at {}", self.pos))?
            .map_err(|e| format!("bad string literal at {}: {e}", self.pos))?;
        self.pos += de.byte_offset();
        Ok(value)
    }

    fn args<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            out.push(item(self)?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(out);
                }
                _ => {
                    return Err(format!(
                        "expected `,` or `]` at {} in `{}`",
                        self.pos, self.text
                    ));
                }
            }
        }
    }

    fn node(&mut self) -> Result<Notation, String> {
        self.skip_ws();
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        let name = &self.text[start..self.pos];
        if name.is_empty() {
            return Err(format!("expected a type at {start} in `{}`", self.text));
        }
        if self.peek() != Some('[') {
            return Ok(Notation::Name(name.to_owned()));
        }
        self.expect('[')?;
        match name {
            "literal" => Ok(Notation::Literal(self.args(Self::string)?)),
            "list" => {
                let mut args = self.args(Self::node)?;
                if args.len() != 1 {
                    return Err(format!("list takes one argument in `{}`", self.text));
                }
                Ok(Notation::List(Box::new(args.remove(0))))
            }
            "map" => {
                let mut args = self.args(Self::node)?;
                if args.len() != 2 {
                    return Err(format!("map takes two arguments in `{}`", self.text));
                }
                let value = args.remove(1);
                Ok(Notation::Map(Box::new(args.remove(0)), Box::new(value)))
            }
            "union" => Ok(Notation::Union(self.args(Self::node)?)),
            other => Err(format!(
                "unknown type constructor `{other}` in `{}`",
                self.text
            )),
        }
    }
}

/// A type as both sides can express it, for comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// `string`, `number`, `integer` or `boolean`.
    Primitive(String),
    /// Anything (`any`, `{}`).
    Any,
    /// A closed set of string values.
    Enum(BTreeSet<String>),
    /// A named object schema (spec name).
    Model(String),
    /// One of several named object schemas (spec names).
    Union(BTreeSet<String>),
    /// An array.
    List(Box<Shape>),
    /// A string-keyed map.
    Map(Box<Shape>),
    /// Something the comparison does not understand.
    Unknown(String),
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Primitive(p) => write!(f, "{p}"),
            Shape::Any => write!(f, "any"),
            Shape::Enum(values) if values.len() > 4 => write!(f, "enum({} values)", values.len()),
            Shape::Enum(values) => write!(f, "enum{values:?}"),
            Shape::Model(name) => write!(f, "{name}"),
            Shape::Union(names) => write!(f, "oneOf{names:?}"),
            Shape::List(item) => write!(f, "list[{item}]"),
            Shape::Map(value) => write!(f, "map[{value}]"),
            Shape::Unknown(what) => write!(f, "?{what}"),
        }
    }
}

/// Every `literal[...]` value set inside `node`.
pub fn literal_sets(node: &Notation, out: &mut Vec<BTreeSet<String>>) {
    match node {
        Notation::Name(_) => {}
        Notation::Literal(values) => out.push(values.iter().cloned().collect()),
        Notation::List(item) => literal_sets(item, out),
        Notation::Map(key, value) => {
            literal_sets(key, out);
            literal_sets(value, out);
        }
        Notation::Union(items) => items.iter().for_each(|i| literal_sets(i, out)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_types() {
        let t = parse(r#"union[list[union[literal["A", "B/C", "N/A"], any]], null]"#).unwrap();
        let Notation::Union(items) = t else { panic!() };
        assert_eq!(items[1], Notation::Name("null".into()));
        let mut sets = Vec::new();
        literal_sets(&items[0], &mut sets);
        assert_eq!(sets[0].len(), 3);
    }

    #[test]
    fn parses_maps() {
        let t = parse("map[string, union[any, null]]").unwrap();
        assert!(matches!(t, Notation::Map(..)));
    }
}
