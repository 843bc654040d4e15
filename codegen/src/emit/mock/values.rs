//! Minimal JSON values that decode into a type: the default answers of the
//! mock server, and the arguments of its self-check.

use crate::ir::{Model, TypeId, TypeKind, TypeRef};
use serde_json::{Map, Value};

/// The smallest value of `ty` that its generated `Deserialize` accepts:
/// required fields only, the first enum value, the first union variant.
pub(super) fn minimal(ty: &TypeRef, model: &Model) -> Value {
    value(ty, model, &mut Vec::new())
}

/// [`minimal`] as JSON text.
pub(super) fn minimal_json(ty: &TypeRef, model: &Model) -> String {
    minimal(ty, model).to_string()
}

fn value(ty: &TypeRef, model: &Model, visiting: &mut Vec<TypeId>) -> Value {
    match model.resolve(ty) {
        TypeRef::Named(id) => named(*id, model, visiting),
        TypeRef::String => Value::String(String::new()),
        TypeRef::Integer { .. } | TypeRef::UnixMillis | TypeRef::Number => Value::from(0),
        TypeRef::Boolean => Value::Bool(false),
        TypeRef::Any | TypeRef::Map(_) => Value::Object(Map::new()),
        TypeRef::List(_) => Value::Array(Vec::new()),
        TypeRef::File => Value::Null,
    }
}

/// A named type's value; a type met again inside itself (a required
/// recursive field, which no finite value has) is `null`.
fn named(id: TypeId, model: &Model, visiting: &mut Vec<TypeId>) -> Value {
    let Some(def) = model.types.get(id) else {
        return Value::Null;
    };
    if visiting.contains(&id) {
        return Value::Null;
    }
    visiting.push(id);
    let result = match &def.kind {
        TypeKind::Struct(s) => {
            let mut object = Map::new();
            for f in s.fields.iter().filter(|f| f.required) {
                match (f.flatten, value(&f.ty, model, visiting)) {
                    // A flattened union's properties sit in the same object.
                    (true, Value::Object(fields)) => object.extend(fields),
                    (true, _) => {}
                    (false, field) => {
                        object.insert(f.wire.clone(), field);
                    }
                }
            }
            Value::Object(object)
        }
        TypeKind::Enum(e) => Value::String(
            e.values
                .first()
                .map(|(wire, _)| wire.clone())
                .unwrap_or_default(),
        ),
        TypeKind::Tagged(t) => match t.variants.first() {
            Some(variant) => {
                let mut object = Map::new();
                object.insert(t.tag.clone(), Value::String(variant.tag_value.clone()));
                if let Value::Object(fields) = value(&variant.ty, model, visiting) {
                    for (key, field) in fields {
                        if key != t.tag {
                            object.insert(key, field);
                        }
                    }
                }
                Value::Object(object)
            }
            None => Value::Object(Map::new()),
        },
        TypeKind::Untagged(u) => u
            .variants
            .first()
            .map_or(Value::Null, |variant| value(&variant.ty, model, visiting)),
        TypeKind::Alias(target) => value(target, model, visiting),
    };
    visiting.pop();
    result
}
