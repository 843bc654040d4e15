//! The lowering context: the [`Lowerer`], which holds the document and every
//! named type made so far, and what the other lowering modules read through
//! it without lowering anything: `$ref`s followed, an object's merged
//! properties ([`ObjectShape`]), docs and titles, and the component queue.
//!
//! It imports no other lowering module; `schema`, `union` and `merged`
//! build on it.

use crate::error::{Pointer, Result};
use crate::ir::TypeKind;
use crate::naming::type_name;
use crate::spec::resolve;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// How deep `$ref` chains and nesting may go before we call the document cyclic.
pub(crate) const MAX_DEPTH: usize = 64;

/// A named type whose name is not final yet.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    /// The component schema name, for component types.
    pub component: Option<String>,
    /// Names suggested by the places an inline type was seen.
    pub hints: BTreeSet<String>,
    /// The inline schema's own `title`, as a type name: it names the type
    /// before any place does.
    pub title: Option<String>,
    /// Doc text.
    pub doc: Option<String>,
    /// Where it was first seen.
    pub pointer: String,
    /// Its shape; `None` only while it is being lowered.
    pub kind: Option<TypeKind>,
}

/// Lowers every schema it is asked about, remembering the named types it made.
pub(crate) struct Lowerer<'a> {
    pub root: &'a Value,
    pub pending: Vec<Pending>,
    /// Schemas read as any JSON value because they cannot be expressed,
    /// each located.
    pub warnings: Vec<crate::error::Error>,
    by_component: BTreeMap<String, usize>,
    by_shape: BTreeMap<String, usize>,
    /// Component schemas given an id but not lowered yet (see [`Lowerer::component`]).
    queue: VecDeque<Queued<'a>>,
}

/// A component schema given an id and waiting to be lowered: the node and
/// its location, found once by [`Lowerer::component`].
pub(crate) struct Queued<'a> {
    pub id: usize,
    pub node: &'a Value,
    pub at: Pointer,
    /// The name it suggests for its type.
    pub hint: String,
}

/// The properties of an object schema after following `$ref`s and merging `allOf`.
#[derive(Debug, Default)]
pub(crate) struct ObjectShape<'v> {
    pub properties: Vec<(String, &'v Value, Pointer)>,
    pub required: BTreeSet<String>,
    pub additional: Option<(&'v Value, Pointer)>,
}

impl<'a> Lowerer<'a> {
    pub fn new(root: &'a Value) -> Self {
        Lowerer {
            root,
            pending: Vec::new(),
            warnings: Vec::new(),
            by_component: BTreeMap::new(),
            by_shape: BTreeMap::new(),
            queue: VecDeque::new(),
        }
    }

    /// The id of a component schema's type. On first use the schema is only
    /// queued: [`Lowerer::drain`] lowers it later, so a chain of schemas each
    /// referring to the next is walked in a loop, not by recursion, however
    /// long it is.
    pub fn component(&mut self, name: &str) -> Result<usize> {
        if let Some(&id) = self.by_component.get(name) {
            return Ok(id);
        }
        let at = component_pointer(name);
        let node = self
            .root
            .pointer(&at.as_str()[1..])
            .ok_or_else(|| at.error(format!("no component schema named `{name}`")))?;
        let id = self.pending.len();
        self.pending.push(Pending {
            component: Some(name.to_owned()),
            hints: BTreeSet::new(),
            title: None,
            doc: doc_of(node),
            pointer: at.as_str().to_owned(),
            kind: None,
        });
        self.by_component.insert(name.to_owned(), id);
        self.queue.push_back(Queued {
            id,
            node,
            at,
            hint: type_name(name),
        });
        Ok(id)
    }

    /// The next component schema [`Lowerer::component`] queued.
    pub(crate) fn next_queued(&mut self) -> Option<Queued<'a>> {
        self.queue.pop_front()
    }

    /// The type under `key`, made by `kind` on first use; `node`, the
    /// schema it is made from if there is one, gives its doc and title.
    pub(crate) fn keyed(
        &mut self,
        key: String,
        node: Option<&'a Value>,
        at: &Pointer,
        hint: &str,
        kind: impl FnOnce(&mut Self) -> Result<TypeKind>,
    ) -> Result<usize> {
        let title = node.and_then(title_of);
        if let Some(&id) = self.by_shape.get(&key) {
            if let Some(p) = self.pending.get_mut(id) {
                p.hints.insert(hint.to_owned());
                if p.title.is_none() {
                    p.title = title;
                }
            }
            return Ok(id);
        }
        let id = self.pending.len();
        self.pending.push(Pending {
            component: None,
            hints: BTreeSet::from([hint.to_owned()]),
            title,
            doc: node.and_then(doc_of),
            pointer: at.as_str().to_owned(),
            kind: None,
        });
        self.by_shape.insert(key, id);
        let kind = kind(self)?;
        self.set_kind(id, kind);
        Ok(id)
    }

    pub(crate) fn set_kind(&mut self, id: usize, kind: TypeKind) {
        if let Some(p) = self.pending.get_mut(id) {
            p.kind = Some(kind);
        }
    }

    /// Whether a schema (or what it references) is `nullable: true`, also
    /// through an annotation-only `allOf` member (`allOf: [{$ref: X},
    /// {nullable: true}]`, and 3.1's `{type: "null"}` member, normalized to it).
    pub fn is_nullable(&self, node: &Value) -> bool {
        let mut node = node;
        for _ in 0..MAX_DEPTH {
            if node.get("nullable").and_then(Value::as_bool) == Some(true) {
                return true;
            }
            let nullable_member = |member: &Value| {
                !is_substantive(member)
                    && member.get("nullable").and_then(Value::as_bool) == Some(true)
            };
            if node
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|members| members.iter().any(nullable_member))
            {
                return true;
            }
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| resolve(self.root, r))
            {
                Some(target) => node = target,
                None => return false,
            }
        }
        false
    }

    /// Follows `$ref`s to the schema they name.
    pub fn deref(&self, node: &'a Value, at: &Pointer) -> Result<(&'a Value, Pointer)> {
        crate::spec::follow(self.root, node, at)
    }

    /// The merged properties of an object schema, following `$ref` and `allOf`.
    pub fn shape(&self, node: &'a Value, at: &Pointer) -> Result<ObjectShape<'a>> {
        let mut shape = ObjectShape::default();
        self.collect(node, at, &mut shape, 0)?;
        Ok(shape)
    }

    pub(crate) fn collect(
        &self,
        node: &'a Value,
        at: &Pointer,
        shape: &mut ObjectShape<'a>,
        depth: usize,
    ) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(at.error("`allOf` nesting is too deep (a reference cycle?)"));
        }
        let (node, at) = self.deref(node, at)?;
        let obj = node
            .as_object()
            .ok_or_else(|| at.error("expected an object schema"))?;
        for key in ["oneOf", "anyOf"] {
            if obj.contains_key(key) {
                return Err(at.push(key).error(format!(
                    "`{key}` inside an object that is merged with `allOf` is not supported"
                )));
            }
        }
        if let Some(members) = obj.get("allOf") {
            let members = members
                .as_array()
                .ok_or_else(|| at.push("allOf").error("`allOf` must be a list"))?;
            for (i, member) in members.iter().enumerate() {
                self.collect(
                    member,
                    &at.push("allOf").push(i.to_string()),
                    shape,
                    depth + 1,
                )?;
            }
        }
        self.collect_own(obj, &at, shape)
    }

    /// Adds the properties an object schema declares itself (not through
    /// `allOf`) to `shape`.
    pub(crate) fn collect_own(
        &self,
        obj: &'a Map<String, Value>,
        at: &Pointer,
        shape: &mut ObjectShape<'a>,
    ) -> Result<()> {
        if let Some(ty) = obj.get("type").and_then(Value::as_str)
            && ty != "object"
        {
            return Err(at.push("type").error(format!(
                "expected an object schema here, found `type: {ty}`"
            )));
        }
        if let Some(props) = obj.get("properties") {
            let props = props.as_object().ok_or_else(|| {
                at.push("properties")
                    .error("`properties` must be a mapping")
            })?;
            for (wire, schema) in props {
                let pointer = at.push("properties").push(wire);
                match shape.properties.iter_mut().find(|(w, _, _)| w == wire) {
                    Some(slot) => *slot = (wire.clone(), schema, pointer),
                    None => shape.properties.push((wire.clone(), schema, pointer)),
                }
            }
        }
        if let Some(required) = obj.get("required") {
            let required = required
                .as_array()
                .ok_or_else(|| at.push("required").error("`required` must be a list"))?;
            for (i, name) in required.iter().enumerate() {
                let name = name.as_str().ok_or_else(|| {
                    at.push("required")
                        .push(i.to_string())
                        .error("must be a string")
                })?;
                shape.required.insert(name.to_owned());
            }
        }
        if let Some(additional) = obj.get("additionalProperties") {
            shape.additional = Some((additional, at.push("additionalProperties")));
        }
        Ok(())
    }
}

/// `Foo` for `#/components/schemas/Foo`; `None` for any other reference.
/// Where component schema `name` lives.
fn component_pointer(name: &str) -> Pointer {
    Pointer::root()
        .push("components")
        .push("schemas")
        .push(name)
}

pub(crate) fn component_name(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

/// The members of an `allOf` beside which the schema declares no shape of
/// its own (no properties, union, items or additional properties).
pub(crate) fn bare_all_of(obj: &Map<String, Value>) -> Option<&Vec<Value>> {
    let members = obj.get("allOf")?.as_array()?;
    if [
        "properties",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "items",
    ]
    .iter()
    .any(|k| obj.contains_key(*k))
    {
        return None;
    }
    Some(members)
}

/// Whether a schema constrains the shape of a value (rather than only
/// annotating it).
pub(crate) fn is_substantive(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    [
        "$ref",
        "type",
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "items",
        "additionalProperties",
    ]
    .iter()
    .any(|k| obj.contains_key(*k))
}

/// A schema's `title` as a type name, when it has one that makes a name.
fn title_of(node: &Value) -> Option<String> {
    let title = node.get("title")?.as_str()?.trim();
    // A sentence is a description, not a name.
    let starts_well = title.starts_with(|c: char| c.is_ascii_alphabetic());
    (starts_well && title.split_whitespace().count() <= 4).then(|| type_name(title))
}

/// The description (or title) of a schema node.
pub(crate) fn doc_of(node: &Value) -> Option<String> {
    ["description", "title"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .find(|s| !s.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            // An `allOf` without a description of its own: its inline
            // members' descriptions, in order (`allOf: [{$ref: X},
            // {description: ...}]` narrows X and says what it is for).
            let members = node.get("allOf")?.as_array()?;
            let docs: Vec<&str> = members
                .iter()
                .filter(|m| m.get("$ref").is_none())
                .filter_map(|m| m.get("description").and_then(Value::as_str))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            (!docs.is_empty()).then(|| docs.join(" "))
        })
}

/// A canonical text of a schema's shape: keys sorted, docs and examples left out.
pub(crate) fn canonical(node: &Value) -> String {
    let mut out = String::new();
    write_canonical(node, &mut out);
    out
}

fn write_canonical(node: &Value, out: &mut String) {
    match node {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map
                .keys()
                .filter(|k| {
                    !matches!(k.as_str(), "description" | "title" | "example" | "examples")
                        && !k.starts_with("x-")
                })
                .collect();
            keys.sort();
            out.push('{');
            for key in keys {
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                write_canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
