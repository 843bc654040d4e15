//! Loading a document: YAML or JSON text in, a checked OpenAPI model out.
//!
//! Loading happens in three steps, each of which reports problems with a JSON
//! pointer: the text is parsed as YAML (JSON is YAML), every local `$ref` is
//! resolved against the raw tree, and the tree is then validated by reading it
//! into `openapiv3`'s typed model. That model is dropped: lowering reads the raw
//! tree, which keeps the extensions (`x-…`) and exact node locations.

use crate::error::{Error, Pointer, Result};
use serde_json::Value;

/// A loaded, reference-checked and validated OpenAPI document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The document as a plain JSON tree, for lookups by pointer.
    pub(crate) raw: Value,
    /// What was accepted with a change (a schema `$ref` to nothing became
    /// any JSON value), each located; `xtask generate --strict` refuses them.
    pub(crate) warnings: Vec<Error>,
}

/// Parses `text` (JSON when it starts with `{`, else YAML) and checks every
/// `$ref` (3.1 is normalized first). Validation as OpenAPI 3.0 is the
/// caller's next step, [`validate`], run beside lowering, which reads only
/// what these checks guarantee.
pub fn read(text: &str) -> Result<Spec> {
    let mut raw = parse(text)?;
    if !raw.is_object() {
        return Err(Error::new(
            "#",
            "the document must be a mapping at the top level",
        ));
    }
    check_version(&mut raw)?;
    let mut warnings = Vec::new();
    degrade_dangling_schema_refs(&mut raw, &mut warnings);
    check_refs(&raw, &raw, &Pointer::root())?;
    check_discriminator_mappings(&raw, &raw, &Pointer::root())?;
    warn_duplicate_operation_ids(&raw, &mut warnings);
    Ok(Spec { raw, warnings })
}

/// Validates the document by reading it into `openapiv3`'s typed model,
/// which is then dropped.
pub fn validate(raw: &Value) -> Result<()> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw).map_err(|e| {
        // `openapiv3` flattens some maps, which hides the failing entry from the path;
        // reading the entries one by one finds it.
        refine(raw).unwrap_or_else(|| {
            let pointer = path_to_pointer(e.path());
            Error::new(
                pointer,
                format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
            )
        })
    })?;
    Ok(())
}

/// The document's tree. JSON is read as JSON (YAML 1.2 is a superset of
/// JSON, but YAML parsers refuse some valid JSON, such as an escaped
/// surrogate pair `"\ud83d\udc36"`, which Python's `json.dump` writes).
fn parse(text: &str) -> Result<Value> {
    if text.trim_start().starts_with('{') {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = serde::Deserialize::deserialize(&mut deserializer)
            .and_then(|Document(value)| deserializer.end().map(|()| value))
            .map_err(|e| {
                Error::new(
                    "#",
                    format!(
                        "the document is not valid JSON (line {}, column {}): {e}",
                        e.line(),
                        e.column()
                    ),
                )
            })?;
        return Ok(value);
    }
    let Document(raw) = serde_yaml::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Error::new(
            "#",
            format!("the document is not valid YAML{location}: {e}"),
        )
    })?;
    Ok(raw)
}

/// Accepts OpenAPI 3.0.x, and 3.1.x normalized to 3.0; says what else is.
fn check_version(raw: &mut Value) -> Result<()> {
    match raw.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(Value::String(v)) if crate::normalize::is_3_1(v) => {
            crate::normalize::to_3_0(raw);
            Ok(())
        }
        Some(Value::String(v)) => Err(Error::new(
            "#/openapi",
            format!("OpenAPI version {v} is not supported; expected 3.0.x or 3.1.x"),
        )),
        Some(Value::Number(n)) => Err(Error::new(
            "#/openapi",
            format!(
                "`openapi` must be a version string such as \"3.0.3\", found the number {n}; \
                 write the full version as text (`openapi: \"3.0.3\"`)"
            ),
        )),
        Some(other) => Err(Error::new(
            "#/openapi",
            format!("`openapi` must be a version string such as \"3.0.3\", found {other}"),
        )),
        None if raw.get("swagger").is_some() => Err(Error::new(
            "#/swagger",
            format!(
                "this is a Swagger {} (OpenAPI 2) document; only OpenAPI 3.0 and 3.1 are \
                 supported. Convert it first (for example with swagger2openapi, or the \
                 Swagger Editor's \"Convert to OpenAPI 3\")",
                raw.get("swagger").and_then(Value::as_str).unwrap_or("2.0")
            ),
        )),
        None => Err(Error::new(
            "#/openapi",
            "missing the `openapi` version string",
        )),
    }
}

/// Where a schema is expected, a `$ref` to a component schema that does not
/// exist becomes a schema of any JSON value (with a description saying so)
/// and a warning: real documents ship with such dangling references, and
/// one property should not cost the whole document.
fn degrade_dangling_schema_refs(raw: &mut Value, warnings: &mut Vec<Error>) {
    let mut dangling = Vec::new();
    find_dangling(raw, raw, &Pointer::root(), false, &mut dangling);
    for (at, reference) in dangling {
        let note = format!(
            "Any JSON value: the document refers to `{reference}`, which it does not define."
        );
        if let Some(node) = raw.pointer_mut(at.as_str().trim_start_matches('#')) {
            *node = serde_json::json!({ "description": note });
        }
        warnings.push(at.push("$ref").error(format!(
            "`{reference}` does not resolve; the schema is read as any JSON value"
        )));
    }
}

/// The schema nodes whose `$ref` names a missing `#/components/schemas/…`.
fn find_dangling(
    root: &Value,
    node: &Value,
    at: &Pointer,
    names: bool,
    out: &mut Vec<(Pointer, String)>,
) {
    match node {
        Value::Object(map) => {
            if let (false, Some(Value::String(reference))) = (names, map.get("$ref"))
                && reference.starts_with("#/components/schemas/")
                && resolve(root, reference).is_none()
            {
                out.push((at.clone(), reference.clone()));
                return;
            }
            for (key, value) in map {
                if !names && (crate::normalize::is_data_key(key) || key == "value") {
                    continue;
                }
                let child_names = !names
                    && matches!(
                        key.as_str(),
                        "properties" | "patternProperties" | "$defs" | "definitions"
                    );
                find_dangling(root, value, &at.push(key), child_names, out);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                find_dangling(root, value, &at.push(index.to_string()), false, out);
            }
        }
        _ => {}
    }
}

/// A document read as a JSON tree. Unlike `serde_json::Value`'s own
/// `Deserialize`, integers beyond the 64-bit range (in examples or bounds)
/// become floating-point numbers instead of failing the whole document, and
/// non-text mapping keys (`200:` unquoted, `true:`) are written out as text.
struct Document(Value);

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor).map(Document)
    }
}

struct DocumentVisitor;

impl<'de> serde::de::Visitor<'de> for DocumentVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Document(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((Document(key), Document(value))) = map.next_entry()? {
            let key = match key {
                Value::String(text) => text,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            if object.contains_key(&key) {
                // serde_json keeps the last and YAML parsers differ: which one
                // the author meant cannot be known.
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate key `{key}` in one mapping"
                )));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A float as JSON; `null` for the non-finite ones JSON cannot hold.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Reads each path item and component on its own, returning the first failure, located.
fn refine(raw: &Value) -> Option<Error> {
    use openapiv3::{Parameter, PathItem, RequestBody, Response, Schema};
    fn check<T: serde::de::DeserializeOwned>(at: &Pointer, node: &Value) -> Option<Error> {
        let error = serde_path_to_error::deserialize::<_, T>(node).err()?;
        let mut pointer = at.clone();
        for segment in error.path().iter() {
            use serde_path_to_error::Segment;
            pointer = match segment {
                Segment::Seq { index } => pointer.push(index.to_string()),
                Segment::Map { key } => pointer.push(key),
                Segment::Enum { variant } => pointer.push(variant),
                Segment::Unknown => pointer,
            };
        }
        Some(pointer.error(format!("not a valid OpenAPI 3.0 node: {}", error.inner())))
    }
    /// Reads a `$ref` or the item itself (not `ReferenceOr<T>`, whose untagged errors have no path).
    fn either<T: serde::de::DeserializeOwned>(at: &Pointer, node: &Value) -> Option<Error> {
        if node.get("$ref").is_some() {
            check::<openapiv3::ReferenceOr<T>>(at, node)
        } else {
            check::<T>(at, node)
        }
    }
    fn first<T: serde::de::DeserializeOwned>(raw: &Value, section: &[&str]) -> Option<Error> {
        let mut at = Pointer::root();
        let mut node = raw;
        for key in section {
            node = node.get(*key)?;
            at = at.push(key);
        }
        node.as_object()?
            .iter()
            .find_map(|(key, child)| either::<T>(&at.push(key), child))
    }
    first::<PathItem>(raw, &["paths"])
        .or_else(|| first::<Schema>(raw, &["components", "schemas"]))
        .or_else(|| first::<Response>(raw, &["components", "responses"]))
        .or_else(|| first::<Parameter>(raw, &["components", "parameters"]))
        .or_else(|| first::<RequestBody>(raw, &["components", "requestBodies"]))
}

/// Looks up a local reference (`#/components/schemas/Foo`) in the raw tree.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() {
        return Some(root);
    }
    root.pointer(fragment)
}

/// How many `$ref`s in a row [`follow`] takes before calling it a cycle.
const MAX_REF_CHAIN: usize = 64;

/// Resolves the `$ref` string of the node at `at`, with the target's location.
pub(crate) fn follow_one<'a>(
    root: &'a Value,
    reference: &Value,
    at: &Pointer,
) -> Result<(&'a Value, Pointer)> {
    let reference = reference
        .as_str()
        .ok_or_else(|| at.push("$ref").error("`$ref` must be a string"))?;
    let target = resolve(root, reference).ok_or_else(|| {
        at.push("$ref")
            .error(format!("`{reference}` does not resolve"))
    })?;
    Ok((target, Pointer::from_ref(reference)))
}

/// The one `$ref` follower: from `node` at `at`, follows `$ref`s (in a loop)
/// to the node they finally name, with its location.
pub(crate) fn follow<'a>(
    root: &'a Value,
    node: &'a Value,
    at: &Pointer,
) -> Result<(&'a Value, Pointer)> {
    let mut node = node;
    let mut at = at.clone();
    for _ in 0..MAX_REF_CHAIN {
        match node.get("$ref") {
            Some(reference) => (node, at) = follow_one(root, reference, &at)?,
            None => return Ok((node, at)),
        }
    }
    Err(at.error("`$ref` chain is too long (a reference cycle?)"))
}

/// Walks the tree and fails on the first `$ref` that does not resolve.
///
/// A `$ref` key is a reference only where a schema or a reference object can
/// stand: inside example values, defaults, enums and extensions it is data,
/// and in a `properties` map it is a property's name.
fn check_refs(root: &Value, node: &Value, at: &Pointer) -> Result<()> {
    check_refs_in(root, node, at, false)
}

fn check_refs_in(root: &Value, node: &Value, at: &Pointer, names: bool) -> Result<()> {
    match node {
        Value::Object(map) => {
            if let (false, Some(reference)) = (names, map.get("$ref")) {
                let here = at.push("$ref");
                let Some(reference) = reference.as_str() else {
                    return Err(here.error("`$ref` must be a string"));
                };
                if !reference.starts_with('#') {
                    return Err(here.error(format!(
                        "`{reference}` points outside this document; only local references (`#/...`) are supported"
                    )));
                }
                if reference == "#" || reference == "#/" {
                    return Err(here.error(format!(
                        "`{reference}` refers to the whole document, which is not a schema"
                    )));
                }
                if resolve(root, reference).is_none() {
                    return Err(here.error(format!("`{reference}` does not resolve to anything")));
                }
            }
            for (key, value) in map {
                if !names && (crate::normalize::is_data_key(key) || key == "value") {
                    continue;
                }
                if !names && key == "examples" && value.is_array() {
                    continue;
                }
                let child_names = !names
                    && matches!(
                        key.as_str(),
                        "properties" | "patternProperties" | "$defs" | "definitions"
                    );
                check_refs_in(root, value, &at.push(key), child_names)?;
            }
            Ok(())
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                check_refs_in(root, value, &at.push(index.to_string()), false)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Fails on a `discriminator.mapping` entry that names no schema: a value
/// with that tag could never be read as anything.
fn check_discriminator_mappings(root: &Value, node: &Value, at: &Pointer) -> Result<()> {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
            {
                let m_at = at.push("discriminator").push("mapping");
                for (tag, target) in mapping {
                    let Some(target) = target.as_str() else {
                        return Err(m_at.push(tag).error("a mapping value must be a string"));
                    };
                    // A bare name stands for `#/components/schemas/<name>`.
                    let reference = if target.starts_with('#') {
                        target.to_owned()
                    } else {
                        format!("#/components/schemas/{target}")
                    };
                    if resolve(root, &reference).is_none() {
                        return Err(m_at.push(tag).error(format!(
                            "the `{tag}` mapping names `{target}`, which the document does not define"
                        )));
                    }
                }
            }
            for (key, value) in map {
                if crate::normalize::is_data_key(key) || key == "value" {
                    continue;
                }
                check_discriminator_mappings(root, value, &at.push(key))?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().enumerate().try_for_each(|(index, value)| {
            check_discriminator_mappings(root, value, &at.push(index.to_string()))
        }),
        _ => Ok(()),
    }
}

/// Warns for every operation whose `operationId` an earlier one (in path
/// and method order) already has: the generator keeps both, the later with
/// a numbered method name, which its caller should know.
fn warn_duplicate_operation_ids(raw: &Value, warnings: &mut Vec<Error>) {
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut seen: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let here = format!("{} {path}", method.to_ascii_uppercase());
            match seen.get(id) {
                Some(first) => warnings.push(
                    Pointer::root()
                        .push("paths")
                        .push(path)
                        .push(method)
                        .push("operationId")
                        .error(format!(
                            "operationId `{id}` is also the id of {first}; \
                             this operation's method gets a numbered name"
                        )),
                ),
                None => {
                    seen.insert(id, here);
                }
            }
        }
    }
}

/// Turns a serde path (`paths./x.get.responses`) into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        use serde_path_to_error::Segment;
        pointer = match segment {
            Segment::Seq { index } => pointer.push(index.to_string()),
            Segment::Map { key } => pointer.push(key),
            Segment::Enum { variant } => pointer.push(variant),
            Segment::Unknown => pointer,
        };
    }
    pointer.as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole of loading: [`read`], then [`validate`].
    fn load(text: &str) -> Result<Spec> {
        let spec = read(text)?;
        validate(&spec.raw)?;
        Ok(spec)
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn a_dangling_schema_ref_is_any_value_and_a_located_warning() {
        let text = format!(
            "{HEAD}components:\n  schemas:\n    Foo:\n      type: object\n      properties:\n        bar: {{$ref: '#/components/schemas/Baz'}}\n"
        );
        let spec = load(&text).unwrap();
        let [warning] = spec.warnings.as_slice() else {
            panic!("{:?}", spec.warnings);
        };
        assert_eq!(
            warning.pointer,
            "#/components/schemas/Foo/properties/bar/$ref"
        );
        assert!(
            warning
                .message
                .contains("`#/components/schemas/Baz` does not resolve"),
            "{warning}"
        );
        let bar = &spec.raw["components"]["schemas"]["Foo"]["properties"]["bar"];
        assert!(bar.get("$ref").is_none(), "{bar}");
        assert!(
            bar["description"]
                .as_str()
                .unwrap()
                .contains("does not define")
        );
    }

    #[test]
    fn a_dangling_ref_elsewhere_is_an_error_with_its_pointer() {
        let text = format!(
            "{HEAD}components:\n  responses:\n    Ok: {{$ref: '#/components/responses/Missing'}}\n"
        );
        let err = load(&text).unwrap_err();
        assert_eq!(err.pointer, "#/components/responses/Ok/$ref");
        assert!(err.message.contains("does not resolve"), "{err}");
    }

    #[test]
    fn a_ref_to_the_whole_document_is_refused() {
        let text = format!("{HEAD}components:\n  schemas:\n    Foo: {{$ref: '#'}}\n");
        let err = load(&text).unwrap_err();
        assert_eq!(err.pointer, "#/components/schemas/Foo/$ref");
        assert!(err.message.contains("the whole document"), "{err}");
    }

    #[test]
    fn json_is_read_as_json_with_escaped_surrogate_pairs() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "Dogs \ud83d\udc36", "version": "1"}, "paths": {}}"#;
        let spec = load(text).unwrap();
        assert_eq!(spec.raw["info"]["title"], "Dogs \u{1f436}");
        let err = load(r#"{"openapi": "3.0.3", "info": }"#).unwrap_err();
        assert!(
            err.message
                .starts_with("the document is not valid JSON (line 1, column 30)"),
            "{err}"
        );
    }

    #[test]
    fn swagger_2_and_a_numeric_version_are_named() {
        let err = load("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.pointer, "#/swagger");
        assert!(
            err.message.contains("Swagger 2.0 (OpenAPI 2) document"),
            "{err}"
        );
        assert!(err.message.contains("Convert it first"), "{err}");
        let err = load("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(err.pointer, "#/openapi");
        assert!(err.message.contains("found the number 3.0"), "{err}");
    }

    #[test]
    fn a_mapping_to_a_missing_schema_is_refused_where_it_stands() {
        let text = format!(
            "{HEAD}components:\n  schemas:\n    Pet:\n      oneOf: [{{$ref: '#/components/schemas/Cat'}}]\n      discriminator:\n        propertyName: kind\n        mapping: {{cat: Cat, dog: '#/components/schemas/Dog'}}\n    Cat: {{type: object, properties: {{kind: {{type: string}}}}}}\n"
        );
        let err = load(&text).unwrap_err();
        assert_eq!(
            err.pointer,
            "#/components/schemas/Pet/discriminator/mapping/dog"
        );
        assert!(err.message.contains("`#/components/schemas/Dog`"), "{err}");
    }

    #[test]
    fn a_duplicate_operation_id_is_a_located_warning() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: list, responses: {'200': {description: ok}}}\n";
        let spec = load(text).unwrap();
        let [warning] = spec.warnings.as_slice() else {
            panic!("{:?}", spec.warnings);
        };
        assert_eq!(warning.pointer, "#/paths/~1b/get/operationId");
        assert!(
            warning.message.contains("also the id of GET /a"),
            "{warning}"
        );
    }

    #[test]
    fn duplicate_keys_are_refused_in_yaml_and_json() {
        let err = load(&format!("{HEAD}paths: {{}}\n")).unwrap_err();
        assert!(err.message.contains("duplicate"), "{err}");
        let err = load(r#"{"openapi": "3.0.3", "info": {"title": "a", "title": "b", "version": "1"}, "paths": {}}"#)
            .unwrap_err();
        assert!(err.message.contains("duplicate key `title`"), "{err}");
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let p = Pointer::root().push("paths").push("/a/{b}").push("x~y");
        assert_eq!(p.as_str(), "#/paths/~1a~1{b}/x~0y");
    }

    #[test]
    fn malformed_yaml_is_an_error_not_a_panic() {
        let err = load("openapi: [unclosed").unwrap_err();
        assert_eq!(err.pointer, "#");
        assert!(err.message.contains("not valid YAML"));
    }
}
