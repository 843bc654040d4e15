//! Lowering `paths` into operations grouped by SDK group.

use super::context::Lowerer;
use super::media::{self, Content};
use crate::error::{Pointer, Result};
use crate::ir::{
    Bounds, HttpMethod, Media, Param, ParamLocation, ParamType, PathSegment, Success, TypeKind,
    TypeRef,
};
use crate::naming::reserved::BUILDER_NAMES;
use crate::naming::{Namer, snake_name, type_name};
use serde_json::Value;

/// An operation before pagination and names are settled.
#[derive(Debug, Clone)]
pub(crate) struct RawOperation {
    pub group: String,
    pub op: crate::ir::Operation,
    /// Types of the documented error bodies.
    pub error_types: Vec<TypeRef>,
    /// The `x-pagination` extension, if any.
    pub pagination_ext: Option<Value>,
}

/// Every operation of the document, in document order.
pub(crate) fn lower_all<'a>(lowerer: &mut Lowerer<'a>) -> Result<Vec<RawOperation>> {
    let root = lowerer.root;
    let at = Pointer::root().push("paths");
    let Some(paths) = root.get("paths") else {
        return Ok(Vec::new());
    };
    let paths = paths
        .as_object()
        .ok_or_else(|| at.error("must be a mapping"))?;
    let mut out = Vec::new();
    for (path, item) in paths {
        let p_at = at.push(path);
        let (item, p_at) = lowerer.deref(item, &p_at)?;
        let shared_params = item.get("parameters");
        for method in HttpMethod::ALL {
            if let Some(op) = item.get(method.key()) {
                out.push(lower_one(lowerer, path, method, op, shared_params, &p_at)?);
            }
        }
    }
    Ok(out)
}

/// The start of the names of an operation's inline types: its group and
/// method (`PetsCreate`), the group once when the method already starts
/// with it (`enterprise_admin_update_user` in `enterprise-admin` is
/// `EnterpriseAdminUpdateUser`, not `EnterpriseAdminEnterpriseAdmin…`).
fn operation_hint(group: &str, method_name: &str) -> String {
    let group = type_name(group);
    let method = type_name(method_name);
    let repeats = method
        .strip_prefix(&group)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase()));
    match repeats {
        true => method,
        false => format!("{group}{method}"),
    }
}

fn lower_one<'a>(
    lowerer: &mut Lowerer<'a>,
    path: &str,
    method: HttpMethod,
    op: &'a Value,
    shared_params: Option<&'a Value>,
    p_at: &Pointer,
) -> Result<RawOperation> {
    let at = p_at.push(method.key());
    let text = |key: &str| text_of(op, key);
    let operation_id = text("operationId")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{} {path}", method.key()));
    // An operation without a tag is grouped by the first literal segment of
    // its path (`/pets/{petId}` → `pets`), as a reader of the URL would.
    let group = text("x-fern-sdk-group-name")
        .or_else(|| op.pointer("/tags/0").and_then(Value::as_str))
        .or_else(|| {
            path.split('/')
                .find(|segment| !segment.is_empty() && !segment.starts_with('{'))
        })
        .unwrap_or("default")
        .to_owned();
    let method_name = snake_name(text("x-fern-sdk-method-name").unwrap_or(&operation_id));
    let hint = operation_hint(&group, &method_name);

    let op_params = op.get("parameters").map(|p| (p, at.push("parameters")));
    let shared = shared_params.map(|p| (p, p_at.push("parameters")));
    let mut params = lower_params(lowerer, [op_params, shared], &hint)?;
    in_url_order(&mut params, path);
    let path_segments = parse_template(path, &params, p_at)?;

    let body = match op.get("requestBody") {
        None => None,
        Some(body) => Some(media::request_body(lowerer, body, &at, &hint)?),
    };
    let responses = lower_responses(lowerer, op, &at, &hint)?;

    // Named after the operation, not the method: `get` is in every group.
    // Cased as one name, so an operationId that is a keyword (`self`) does
    // not leave its escape inside (`Self_Request`).
    let builder = type_name(&format!("{operation_id} Request"));
    Ok(RawOperation {
        group,
        op: crate::ir::Operation {
            operation_id,
            method_name,
            builder,
            // Named with the builders (`assemble`).
            path_struct: None,
            http_method: method,
            path: path.to_owned(),
            path_segments,
            summary: text("summary").map(str::to_owned),
            description: text("description").map(str::to_owned),
            params,
            body,
            success: responses.success,
            error_statuses: responses.error_statuses,
            error_bodies: responses.error_bodies,
            pagination: None,
            read_back: None,
            importer: None,
            pointer: at.as_str().to_owned(),
        },
        error_types: responses.error_types,
        pagination_ext: op.get("x-pagination").cloned(),
    })
}

/// A non-empty text field of `node`, trimmed.
fn text_of<'a>(node: &'a Value, key: &str) -> Option<&'a str> {
    node.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The parameters of an operation: its own list, then the path item's
/// (an operation-level parameter overrides a path-level one with the same
/// name and location). Each list comes with its location.
fn lower_params<'a>(
    lowerer: &mut Lowerer<'a>,
    lists: [Option<(&'a Value, Pointer)>; 2],
    hint: &str,
) -> Result<Vec<Param>> {
    let mut namer = Namer::with_reserved(BUILDER_NAMES.iter().copied());
    let mut params: Vec<Param> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (list, list_at) in lists.into_iter().flatten() {
        let list = list
            .as_array()
            .ok_or_else(|| list_at.error("must be a list"))?;
        for (i, param) in list.iter().enumerate() {
            let (param, param_at) = lowerer.deref(param, &list_at.push(i.to_string()))?;
            let wire = param
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| param_at.push("name").error("a parameter needs a `name`"))?;
            let location = param.get("in").and_then(Value::as_str).unwrap_or("");
            let key = (wire.to_owned(), location.to_owned());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let mut lowered = lower_param(lowerer, param, &param_at, wire, location, hint)?;
            lowered.name = namer.unique(&snake_name(wire));
            params.push(lowered);
        }
    }
    Ok(params)
}

/// One parameter object (already followed through `$ref`s); its Rust name
/// is given by the caller, which knows the names taken.
fn lower_param<'a>(
    lowerer: &mut Lowerer<'a>,
    param: &'a Value,
    param_at: &Pointer,
    wire: &str,
    location: &str,
    hint: &str,
) -> Result<Param> {
    let location = match location {
        "path" => ParamLocation::Path,
        "query" => ParamLocation::Query,
        "header" => ParamLocation::Header,
        "cookie" => ParamLocation::Cookie,
        other => {
            return Err(param_at
                .push("in")
                .error(format!("parameters in `{other}` are not supported")));
        }
    };
    let schema = param.get("schema").ok_or_else(|| {
        param_at.error("parameters described by `content` instead of `schema` are not supported")
    })?;
    let ty = param_type(
        lowerer,
        schema,
        &param_at.push("schema"),
        &format!("{hint}{}", type_name(wire)),
    )?;
    if matches!(ty, ParamType::Object(_)) && location == ParamLocation::Cookie {
        return Err(param_at.push("schema").error(
            "object parameters are supported in the query, a path or a header, not in \
             a cookie",
        ));
    }
    let bounds = param_bounds(lowerer, schema, &ty);
    let required = location == ParamLocation::Path
        || param
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    Ok(Param {
        wire: wire.to_owned(),
        name: String::new(),
        location,
        required,
        // `form` (query, cookie) explodes by default, `simple` (path, header) not.
        explode: param
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(matches!(
                location,
                ParamLocation::Query | ParamLocation::Cookie
            )),
        deep_object: param.get("style").and_then(Value::as_str) == Some("deepObject"),
        ty,
        bounds,
        doc: super::context::doc_of(param).or_else(|| super::context::doc_of(schema)),
    })
}

/// What an operation's `responses` say.
struct Responses {
    /// The first 2xx response (bytes of whatever 2xx comes when none is declared).
    success: Success,
    /// Documented error statuses.
    error_statuses: Vec<u16>,
    /// The JSON body types of documented errors.
    error_types: Vec<TypeRef>,
    /// The same, with their status.
    error_bodies: Vec<(u16, TypeRef)>,
}

fn lower_responses<'a>(
    lowerer: &mut Lowerer<'a>,
    op: &'a Value,
    at: &Pointer,
    hint: &str,
) -> Result<Responses> {
    let r_at = at.push("responses");
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| r_at.error("an operation needs a `responses` mapping"))?;
    let mut success: Option<Success> = None;
    let mut error_statuses = Vec::new();
    let mut error_types = Vec::new();
    let mut error_bodies = Vec::new();
    let mut codes: Vec<&String> = responses.keys().collect();
    codes.sort();
    for code in codes {
        let Some(response) = responses.get(code) else {
            continue;
        };
        let (response, resp_at) = lowerer.deref(response, &r_at.push(code))?;
        let status = match code.as_str() {
            "2XX" => Some(200),
            "4XX" | "5XX" | "default" => None,
            other => Some(
                other
                    .parse::<u16>()
                    .map_err(|_| resp_at.error(format!("`{other}` is not a status code")))?,
            ),
        };
        let content = media::choose_content(response, &resp_at, false)?;
        match status {
            Some(s) if (200..300).contains(&s) => {
                if success.is_some() {
                    continue;
                }
                // No declared content: whatever comes is handed over as
                // bytes (a file download is often declared so), except for
                // the statuses that have no body.
                let no_body = matches!(s, 204 | 205);
                let nothing = if no_body { Media::Json } else { Media::Bytes };
                let media = content.as_ref().map_or(nothing, |c| match c.media {
                    // A form is not a response format; read it as text.
                    Media::Form => Media::Text,
                    // Nor are multipart bodies; the caller gets the bytes.
                    Media::Multipart => Media::Bytes,
                    media => media,
                });
                let ty = match content {
                    Some(Content {
                        media: Media::Json,
                        schema: Some((schema, s_at)),
                        ..
                    }) => Some(lowerer.lower(schema, &s_at, &format!("{hint}Response"))?),
                    // JSON with only examples: any JSON value.
                    Some(Content {
                        media: Media::Json,
                        schema: None,
                        ..
                    }) => Some(TypeRef::Any),
                    _ => None,
                };
                success = Some(Success {
                    status: s,
                    ty,
                    media,
                });
            }
            Some(s) if s >= 400 => {
                error_statuses.push(s);
                if let Some(Content {
                    media: Media::Json,
                    schema: Some((schema, s_at)),
                    ..
                }) = content
                {
                    let ty = lowerer.lower(schema, &s_at, &format!("{hint}Error"))?;
                    error_bodies.push((s, ty.clone()));
                    error_types.push(ty);
                }
            }
            _ => {}
        }
    }
    // No success response declared at all: the bytes of whatever 2xx comes.
    let success = success.unwrap_or(Success {
        status: 200,
        ty: None,
        media: Media::Bytes,
    });

    Ok(Responses {
        success,
        error_statuses,
        error_types,
        error_bodies,
    })
}

/// The documented bounds of a numeric parameter (or of the items of a list).
///
/// OpenAPI 3.0 writes `exclusiveMinimum: true` beside `minimum`; 3.1 writes
/// the bound itself as `exclusiveMinimum`. For integers an exclusive bound
/// becomes the next integer in; for numbers it is kept as an inclusive one
/// (the difference is one ulp).
fn param_bounds<'a>(lowerer: &Lowerer<'a>, schema: &'a Value, ty: &ParamType) -> Bounds {
    let resolve = |node: &'a Value| {
        lowerer
            .deref(node, &Pointer::root())
            .map_or(node, |(node, _)| node)
    };
    let mut schema = resolve(schema);
    let ty = match ty {
        ParamType::List(inner) => {
            schema = schema.get("items").map_or(schema, resolve);
            inner.as_ref()
        }
        ty => ty,
    };
    let integer = match ty {
        ParamType::Integer => true,
        ParamType::Number => false,
        _ => return Bounds::default(),
    };
    let bound = |inclusive: &str, exclusive: &str, step: f64| {
        let step = if integer { step } else { 0.0 };
        match schema.get(exclusive) {
            Some(Value::Number(n)) => n.as_f64().map(|n| n + step),
            Some(Value::Bool(true)) => schema.get(inclusive)?.as_f64().map(|n| n + step),
            _ => schema.get(inclusive)?.as_f64(),
        }
        .filter(|n| n.is_finite())
    };
    Bounds {
        minimum: bound("minimum", "exclusiveMinimum", 1.0),
        maximum: bound("maximum", "exclusiveMaximum", -1.0),
    }
}

/// How a parameter's schema is passed by the user.
fn param_type<'a>(
    lowerer: &mut Lowerer<'a>,
    schema: &'a Value,
    at: &Pointer,
    hint: &str,
) -> Result<ParamType> {
    let (resolved, r_at) = lowerer.deref(schema, at)?;
    if let Some(values) = resolved.get("enum").and_then(Value::as_array) {
        let mut strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        strings.sort_unstable();
        if strings == ["false", "true"] {
            return Ok(ParamType::BooleanString);
        }
    }
    match resolved.get("type").and_then(Value::as_str) {
        Some("boolean") => Ok(ParamType::Boolean),
        Some("integer") => Ok(ParamType::Integer),
        Some("number") => Ok(ParamType::Number),
        Some("string") | None if resolved.get("enum").is_some() => {
            match lowerer.lower(schema, at, hint)? {
                TypeRef::Named(id) if is_enum(lowerer, id) => Ok(ParamType::Enum(id)),
                _ => Ok(ParamType::String),
            }
        }
        Some("string") => Ok(ParamType::String),
        Some("array") => {
            let items = resolved
                .get("items")
                .ok_or_else(|| r_at.push("items").error("an array parameter needs `items`"))?;
            let inner = param_type(lowerer, items, &r_at.push("items"), hint)?;
            if matches!(inner, ParamType::List(_)) {
                return Err(r_at.error("nested list parameters are not supported"));
            }
            Ok(ParamType::List(Box::new(inner)))
        }
        Some("object") => Ok(ParamType::Object(lowerer.lower(schema, at, hint)?)),
        Some(other) => Err(r_at
            .push("type")
            .error(format!("parameters of type `{other}` are not supported"))),
        None if resolved.get("properties").is_some() => {
            Ok(ParamType::Object(lowerer.lower(schema, at, hint)?))
        }
        // `oneOf`/`anyOf` of scalars, or no type at all: the caller passes
        // the text to send.
        None => Ok(ParamType::String),
    }
}

fn is_enum(lowerer: &Lowerer<'_>, id: usize) -> bool {
    let mut id = id;
    // A loop, not recursion: an alias chain may be as long as the document.
    for _ in 0..=lowerer.pending.len() {
        match lowerer.pending.get(id).and_then(|p| p.kind.as_ref()) {
            Some(TypeKind::Enum(_)) => return true,
            Some(TypeKind::Alias(TypeRef::Named(inner))) => id = *inner,
            _ => return false,
        }
    }
    false
}

/// Splits `/a/{b}/c` into literals and parameter references.
pub(crate) fn parse_template(
    path: &str,
    params: &[Param],
    p_at: &Pointer,
) -> Result<Vec<PathSegment>> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| p_at.error(format!("path template `{path}` has an unclosed `{{`")))?;
        let name = &after[..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire == name)
            .ok_or_else(|| p_at.error(format!("path parameter `{name}` is not declared")))?;
        segments.push(PathSegment::Param(index));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(p_at.error(format!("path template `{path}` has a stray `}}`")));
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    Ok(segments)
}

/// Puts the path parameters in the order they appear in the URL, in the
/// slots path parameters hold, so `/tasks/{task}/outputs/{output}` takes
/// `(task, output)` whatever order the document declares them in: two ids
/// of one type cannot be swapped by following the declaration.
fn in_url_order(params: &mut [Param], path: &str) {
    let slots: Vec<usize> = params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Path)
        .map(|(i, _)| i)
        .collect();
    let mut path_params: Vec<Param> = slots.iter().map(|&i| params[i].clone()).collect();
    path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));
    for (slot, param) in slots.into_iter().zip(path_params) {
        params[slot] = param;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_param(wire: &str) -> Param {
        Param {
            wire: wire.to_owned(),
            name: snake_name(wire),
            location: ParamLocation::Path,
            required: true,
            ty: ParamType::String,
            explode: true,
            deep_object: false,
            bounds: Bounds::default(),
            doc: None,
        }
    }

    #[test]
    fn templates_split_into_literals_and_params() {
        let params = [path_param("batchId")];
        let segments =
            parse_template("/batch/transactions/{batchId}", &params, &Pointer::root()).unwrap();
        assert_eq!(
            segments,
            vec![
                PathSegment::Literal("/batch/transactions/".into()),
                PathSegment::Param(0)
            ]
        );
    }

    #[test]
    fn undeclared_and_unclosed_parameters_are_errors() {
        let err = parse_template("/a/{b}", &[], &Pointer::root().push("paths").push("/a/{b}"))
            .unwrap_err();
        assert_eq!(err.pointer, "#/paths/~1a~1{b}");
        assert!(err.message.contains("`b` is not declared"));
        let err = parse_template("/a/{b", &[path_param("b")], &Pointer::root()).unwrap_err();
        assert!(err.message.contains("unclosed"));
    }

    #[test]
    fn the_group_is_not_repeated_in_inline_names() {
        assert_eq!(operation_hint("pets", "create_pet"), "PetsCreatePet");
        assert_eq!(
            operation_hint("enterprise-admin", "enterprise_admin_update_user"),
            "EnterpriseAdminUpdateUser"
        );
        // A longer word that only starts with the group is not the group.
        assert_eq!(operation_hint("user", "users_list"), "UserUsersList");
    }
}
