//! Lowering schemas: JSON Schema nodes in, [`TypeRef`]s and pending named types out.
//!
//! Component schemas become named types under their own names. Inline schemas
//! that need a name (objects, enums, unions) are keyed by their shape, so
//! structurally identical copies share one type; their names are chosen later
//! from every place they were seen (see `names`).

use super::context::{
    Lowerer, MAX_DEPTH, ObjectShape, bare_all_of, canonical, component_name, doc_of, is_substantive,
};
use super::union;
use crate::error::{Pointer, Result};
use crate::ir::{Enum, Field, Struct, TypeKind, TypeRef};
use crate::naming::reserved::STRUCT_NAMES;
use crate::naming::{Namer, is_plain, snake_name, type_name};
use crate::spec::follow_one;
use serde_json::{Map, Value};

impl<'a> Lowerer<'a> {
    /// Lowers every queued component schema, and those they queue in turn.
    pub fn drain(&mut self) -> Result<()> {
        while let Some(queued) = self.next_queued() {
            let kind = self.named_kind(queued.node, &queued.at, &queued.hint)?;
            self.set_kind(queued.id, kind);
        }
        Ok(())
    }

    /// The type of a schema node found at `at`; `hint` names it if it must be named.
    pub fn lower(&mut self, node: &'a Value, at: &Pointer, hint: &str) -> Result<TypeRef> {
        self.lower_depth(node, at, hint, 0)
    }

    fn lower_depth(
        &mut self,
        node: &'a Value,
        at: &Pointer,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef> {
        if depth > MAX_DEPTH {
            return Err(at.error("schema nesting or `$ref` chain is too deep (a reference cycle?)"));
        }
        let obj = match node {
            Value::Object(obj) => obj,
            Value::Bool(true) => return Ok(TypeRef::Any),
            _ => return Err(at.error("a schema must be a mapping")),
        };
        if let Some(reference) = obj.get("$ref") {
            if let Some(name) = reference.as_str().and_then(component_name) {
                return Ok(TypeRef::Named(self.component(name)?));
            }
            let (target, target_at) = follow_one(self.root, reference, at)?;
            return self.lower_depth(target, &target_at, hint, depth + 1);
        }
        if let Some((i, member)) = wrapped(obj) {
            // `allOf: [X]` beside annotations only: X itself.
            return self.lower_depth(
                member,
                &at.push("allOf").push(i.to_string()),
                hint,
                depth + 1,
            );
        }
        if let Some((i, member)) = self.scalar_intersection(obj, at) {
            // `allOf` of scalars (an enum narrowed by a plain string): the
            // most specific member.
            return self.lower_depth(
                member,
                &at.push("allOf").push(i.to_string()),
                hint,
                depth + 1,
            );
        }
        if needs_name(obj) {
            return Ok(TypeRef::Named(self.inline(node, at, hint)?));
        }
        primitive(self, obj, at, hint, depth)
    }

    /// An inline schema that needs a name: one type per distinct shape.
    fn inline(&mut self, node: &'a Value, at: &Pointer, hint: &str) -> Result<usize> {
        self.keyed(canonical(node), Some(node), at, hint, |me| {
            me.named_kind(node, at, hint)
        })
    }

    /// The struct of a `multipart/form-data` body with file properties:
    /// like an inline object, but `format: binary` properties (and lists of
    /// them) are files. Keyed apart from the plain type of the same schema.
    pub fn multipart_struct(
        &mut self,
        node: &'a Value,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef> {
        let key = format!("multipart:{}", canonical(node));
        let id = self.keyed(key, Some(node), at, hint, |me| {
            Ok(TypeKind::Struct(me.object_of(node, at, hint, true)?))
        })?;
        if let Some(pending) = self.pending.get_mut(id)
            && pending.doc.is_none()
        {
            pending.doc = Some(String::from(
                "The parts of a `multipart/form-data` body: one part per field, one per item \
                 of a list, files as file parts.",
            ));
        }
        Ok(TypeRef::Named(id))
    }

    /// The schema of a file (`type: string, format: binary`) when `node` is
    /// one (`false`) or a list of them (`true`), after following `$ref`s.
    pub fn file_schema(&self, node: &'a Value, at: &Pointer) -> Result<Option<(&'a Value, bool)>> {
        let (node, at) = self.deref(node, at)?;
        if node.get("type").and_then(Value::as_str) == Some("array") {
            let Some(items) = node.get("items") else {
                return Ok(None);
            };
            let (items, _) = self.deref(items, &at.push("items"))?;
            return Ok(is_binary(items).then_some((items, true)));
        }
        Ok(is_binary(node).then_some((node, false)))
    }

    /// The shape of a schema that gets a name of its own.
    fn named_kind(&mut self, node: &'a Value, at: &Pointer, hint: &str) -> Result<TypeKind> {
        let Some(obj) = node.as_object() else {
            return Ok(TypeKind::Alias(self.lower(node, at, hint)?));
        };
        if obj.contains_key("$ref") {
            return Ok(TypeKind::Alias(self.lower(node, at, hint)?));
        }
        if let Some((i, member)) = wrapped(obj) {
            let member_at = at.push("allOf").push(i.to_string());
            return Ok(TypeKind::Alias(self.lower(member, &member_at, hint)?));
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = obj.get(key) {
                return union::lower(self, variants, &at.push(key), hint);
            }
        }
        if let Some(values) = obj.get("enum")
            && let Some(kind) = string_enum(values, &at.push("enum"))?
        {
            return Ok(kind);
        }
        if is_object_like(obj) {
            if let Some(union_at) = self.merged_union(node, at, 0) {
                if let Some(merged) = super::merged::lower(self, obj, at, hint)? {
                    return Ok(TypeKind::Struct(merged));
                }
                return Ok(self.inexpressible(
                    at,
                    &union_at,
                    "a `oneOf`/`anyOf` merged into an object with `allOf`",
                ));
            }
            return Ok(TypeKind::Struct(self.object(node, at, hint)?));
        }
        Ok(TypeKind::Alias(primitive(self, obj, at, hint, 0)?))
    }

    /// Where a union is merged into an object through `allOf` (an `allOf`
    /// member, followed through `$ref`s, that holds `oneOf` or `anyOf`).
    pub(crate) fn merged_union(
        &self,
        node: &'a Value,
        at: &Pointer,
        depth: usize,
    ) -> Option<Pointer> {
        if depth > MAX_DEPTH {
            return None;
        }
        let members = node.get("allOf")?.as_array()?;
        members.iter().enumerate().find_map(|(i, member)| {
            let (member, m_at) = self
                .deref(member, &at.push("allOf").push(i.to_string()))
                .ok()?;
            ["oneOf", "anyOf"]
                .iter()
                .find(|key| member.get(**key).is_some())
                .map(|key| m_at.push(key))
                .or_else(|| self.merged_union(member, &m_at, depth + 1))
        })
    }

    /// The type of a schema the generator cannot express: any JSON value,
    /// with a doc note and a located warning, so one schema never costs the
    /// whole document.
    fn inexpressible(&mut self, at: &Pointer, cause: &Pointer, what: &str) -> TypeKind {
        let note = format!(
            "Any JSON value: the generator cannot express {what} (at `{}`) as a Rust type.",
            cause.as_str()
        );
        if let Some(pending) = self
            .pending
            .iter_mut()
            .rev()
            .find(|p| p.pointer == at.as_str())
        {
            pending.doc = Some(match pending.doc.take() {
                Some(doc) => format!("{doc}\n\n{note}"),
                None => note,
            });
        }
        self.warnings.push(cause.error(format!(
            "{what} is not supported; `{}` is read as any JSON value",
            at.as_str()
        )));
        TypeKind::Alias(TypeRef::Any)
    }

    /// Lowers an object schema (with `allOf` merged) into a struct.
    pub fn object(&mut self, node: &'a Value, at: &Pointer, hint: &str) -> Result<Struct> {
        self.object_of(node, at, hint, false)
    }

    /// [`object`](Self::object); with `files`, `format: binary` properties
    /// (and lists of them) are files.
    fn object_of(
        &mut self,
        node: &'a Value,
        at: &Pointer,
        hint: &str,
        files: bool,
    ) -> Result<Struct> {
        let shape = self.shape(node, at)?;
        self.struct_of(shape, hint, files)
    }

    /// The struct of merged properties; with `files`, `format: binary`
    /// properties (and lists of them) are files.
    pub(crate) fn struct_of(
        &mut self,
        shape: ObjectShape<'a>,
        hint: &str,
        files: bool,
    ) -> Result<Struct> {
        let mut namer = Namer::with_reserved(STRUCT_NAMES.iter().copied());
        let mut fields = Vec::with_capacity(shape.properties.len());
        for (wire, schema, pointer) in &shape.properties {
            let child_hint = format!("{hint}{}", type_name(wire));
            let file = match files {
                true => self.file_schema(schema, pointer)?,
                false => None,
            };
            let ty = match file {
                Some((_, true)) => TypeRef::List(Box::new(TypeRef::File)),
                Some((_, false)) => TypeRef::File,
                None => self.lower(schema, pointer, &child_hint)?,
            };
            fields.push(Field {
                wire: wire.clone(),
                name: namer.unique(&snake_name(wire)),
                ty,
                required: shape.required.contains(wire),
                nullable: self.is_nullable(schema),
                boxed: false,
                doc: doc_of(schema),
                flatten: false,
            });
        }
        let additional = match shape.additional {
            Some((schema, pointer)) => match schema {
                Value::Bool(_) => TypeRef::Any,
                _ => self.lower(schema, &pointer, &format!("{hint}Value"))?,
            },
            None => TypeRef::Any,
        };
        Ok(Struct {
            fields,
            additional,
            additional_name: namer.unique("additional_properties"),
            // Named once every type has its name (`names::name_builders`).
            builder: String::new(),
            builder_fields: String::new(),
        })
    }

    /// For an `allOf` whose members are all scalar schemas (strings, numbers,
    /// booleans, enums of them; `$ref`s followed), the member that says the
    /// most: an enum if there is one, else the first. Their intersection is
    /// that member's type (`allOf: [{$ref: Currency}, {type: string}]` is a
    /// `Currency`). `None` for anything else.
    fn scalar_intersection(
        &self,
        obj: &'a Map<String, Value>,
        at: &Pointer,
    ) -> Option<(usize, &'a Value)> {
        let members = bare_all_of(obj)?;
        let mut best: Option<(usize, &'a Value, bool)> = None;
        for (i, member) in members.iter().enumerate() {
            if !is_substantive(member) {
                continue;
            }
            let (target, _) = self
                .deref(member, &at.push("allOf").push(i.to_string()))
                .ok()?;
            let target = target.as_object()?;
            let scalar = matches!(
                target.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            ) || (target.contains_key("enum") && !target.contains_key("type"));
            let structural = ["properties", "allOf", "oneOf", "anyOf", "items"]
                .iter()
                .any(|k| target.contains_key(*k));
            if !scalar || structural {
                return None;
            }
            let is_enum = target.contains_key("enum");
            if best.is_none_or(|(_, _, best_is_enum)| is_enum && !best_is_enum) {
                best = Some((i, member, is_enum));
            }
        }
        best.map(|(i, member, _)| (i, member))
    }
}

/// Whether an inline schema must become a named type.
/// The one substantive member of an `allOf` whose schema adds nothing but
/// annotations (`description`, `nullable`, `example`, ...): `allOf: [X]`
/// is a common way to document a reference or to wrap an enum, a union or a
/// scalar, none of which can be merged as an object.
fn wrapped(obj: &Map<String, Value>) -> Option<(usize, &Value)> {
    let members = bare_all_of(obj)?;
    let mut substantive = members
        .iter()
        .enumerate()
        .filter(|(_, m)| is_substantive(m));
    let only = substantive.next()?;
    substantive.next().is_none().then_some(only)
}

fn needs_name(obj: &Map<String, Value>) -> bool {
    if ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| obj.contains_key(*k))
    {
        return true;
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        return values.iter().any(Value::is_string);
    }
    obj.get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

/// Whether a schema is a file: `type: string, format: binary` (3.1's
/// `contentMediaType` is read as this format by `normalize`).
fn is_binary(node: &Value) -> bool {
    node.get("type").and_then(Value::as_str) == Some("string")
        && node.get("format").and_then(Value::as_str) == Some("binary")
}

/// Whether a schema describes an object with declared properties (directly or through `allOf`).
pub(crate) fn is_object_like(obj: &Map<String, Value>) -> bool {
    obj.contains_key("allOf")
        || obj.contains_key("properties")
        || obj.get("type").and_then(Value::as_str) == Some("object")
}

/// A string enum, or `None` when the values are not strings (then the base type is used).
fn string_enum(values: &Value, at: &Pointer) -> Result<Option<TypeKind>> {
    let values = values
        .as_array()
        .ok_or_else(|| at.error("`enum` must be a list"))?;
    let mut wires = Vec::new();
    for value in values {
        match value {
            Value::String(s) => {
                if !wires.contains(s) {
                    wires.push(s.clone());
                }
            }
            Value::Null => {}
            // Integers, or strings mixed with other values: the base type
            // (or any JSON value) carries them, with the values documented.
            _ => return Ok(None),
        }
    }
    if wires.is_empty() {
        return Ok(None);
    }
    Ok(Some(TypeKind::Enum(enum_names(wires))))
}

/// Names enum variants: plain values first, so `NA` keeps `Na` and `N/A` gets a suffix if needed.
pub(crate) fn enum_names(wires: Vec<String>) -> Enum {
    let mut namer = Namer::default();
    let mut names: Vec<Option<String>> = vec![None; wires.len()];
    for pass_plain in [true, false] {
        for (i, wire) in wires.iter().enumerate() {
            if is_plain(wire) == pass_plain {
                names[i] = Some(namer.unique(&type_name(wire)));
            }
        }
    }
    let other = namer.unique("UnknownValue");
    let values = wires
        .into_iter()
        .zip(names)
        .map(|(wire, name)| {
            let name = name.unwrap_or_else(|| type_name(&wire));
            (wire, name)
        })
        .collect();
    Enum { values, other }
}

/// Types that need no name: strings, numbers, lists, maps, anything.
fn primitive<'a>(
    lowerer: &mut Lowerer<'a>,
    obj: &'a Map<String, Value>,
    at: &Pointer,
    hint: &str,
    depth: usize,
) -> Result<TypeRef> {
    let ty = obj.get("type");
    let ty = match ty {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            return Err(at
                .push("type")
                .error("`type` must be a string in OpenAPI 3.0"));
        }
    };
    match ty {
        Some("string") => Ok(TypeRef::String),
        Some("integer") if obj.get("x-unix-millis") == Some(&Value::Bool(true)) => {
            Ok(TypeRef::UnixMillis)
        }
        Some("integer") => Ok(TypeRef::Integer {
            bits32: obj.get("format").and_then(Value::as_str) == Some("int32"),
        }),
        Some("number") => Ok(TypeRef::Number),
        Some("boolean") => Ok(TypeRef::Boolean),
        Some("array") => match obj.get("items") {
            Some(items) => Ok(TypeRef::List(Box::new(lowerer.lower_depth(
                items,
                &at.push("items"),
                hint,
                depth + 1,
            )?))),
            None => Ok(TypeRef::List(Box::new(TypeRef::Any))),
        },
        Some("object") | None => match obj.get("additionalProperties") {
            Some(Value::Object(schema)) if !schema.is_empty() => {
                let value_hint = format!("{hint}Value");
                let inner = lowerer.lower_depth(
                    obj.get("additionalProperties").unwrap_or(&Value::Null),
                    &at.push("additionalProperties"),
                    &value_hint,
                    depth + 1,
                )?;
                Ok(TypeRef::Map(Box::new(inner)))
            }
            _ if ty == Some("object") => Ok(TypeRef::Map(Box::new(TypeRef::Any))),
            _ => Ok(TypeRef::Any),
        },
        Some(other) => Err(at
            .push("type")
            .error(format!("unknown schema type `{other}`"))),
    }
}
