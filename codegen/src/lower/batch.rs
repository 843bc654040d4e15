//! Relations between operations, found once the model is complete: the `GET`
//! that reads back what an operation creates, and bulk importers.
//!
//! A batch endpoint is a `POST` whose JSON body is an object with a required
//! `data` array (its only required property) and an optional `batchId`
//! string, whose answer counts `successful` and `failed` records and lists
//! `failedRecords` (`id`, `reasonCode`), and beside which a paginated `GET`
//! at the same path plus `/{batchId}` lists the batch's results. Each gets an
//! [`Importer`]. A `POST` whose body has `data` and `batchId` but misses
//! another part of the shape gets a located warning saying which part, so a
//! drifting document does not lose its importer silently.

use crate::error::Error;
use crate::ir::{
    Field, FieldAccess, HttpMethod, Importer, Model, Operation, ParamType, Struct, TypeKind,
    TypeRef,
};
use crate::naming::reserved::handle_names;
use crate::naming::{Namer, snake_name, type_name};

/// Largest page the batch `GET` is asked for when checking a chunk.
const CHECK_PAGE_SIZE: i64 = 100;

/// Fills in every operation's `read_back` and `importer`; returns a warning
/// for each operation that almost is a batch endpoint.
pub(crate) fn relate(model: &mut Model) -> Vec<Error> {
    let mut warnings = Vec::new();
    let mut found = Vec::new();
    for (module, group) in &model.groups {
        let mut taken: Vec<&str> = handle_names().collect();
        taken.extend(group.operations.iter().map(|o| o.method_name.as_str()));
        let mut methods = Namer::with_reserved(taken);
        let mut markers = Namer::with_reserved(
            std::iter::once(group.handle.as_str())
                .chain(group.operations.iter().map(|o| o.builder.as_str())),
        );
        for (index, op) in group.operations.iter().enumerate() {
            let gets = children(op, model);
            let read_back = gets.first().map(|(_, get)| format!("GET {}", get.path));
            let importer = match recognise(op, &gets, model) {
                Ok(Some(parts)) => Some(parts.into_importer(&mut methods, &mut markers)),
                Ok(None) => None,
                Err(reason) => {
                    warnings.push(Error::new(
                        op.pointer.clone(),
                        format!(
                            "looks like a batch endpoint (its body has `data` and `batchId`) but {reason}; no importer is generated for it"
                        ),
                    ));
                    None
                }
            };
            found.push((module.clone(), index, read_back, importer));
        }
    }
    for (module, index, read_back, importer) in found {
        if let Some(op) = model
            .groups
            .get_mut(&module)
            .and_then(|g| g.operations.get_mut(index))
        {
            op.read_back = read_back;
            op.importer = importer;
        }
    }
    warnings
}

/// The `GET`s at `op`'s path plus one parameter segment, with their group's
/// module, shortest path first. None for a `GET`.
fn children<'m>(op: &Operation, model: &'m Model) -> Vec<(&'m str, &'m Operation)> {
    let prefix = format!("{}/{{", op.path.trim_end_matches('/'));
    let mut gets: Vec<(&str, &Operation)> = if op.http_method == HttpMethod::Get {
        Vec::new()
    } else {
        model
            .groups
            .iter()
            .flat_map(|(module, g)| g.operations.iter().map(move |o| (module.as_str(), o)))
            .filter(|(_, get)| get.http_method == HttpMethod::Get)
            .filter(|(_, get)| {
                get.path
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| rest.ends_with('}') && !rest.contains('/'))
            })
            .collect()
    };
    gets.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    gets
}

/// What recognition found, before the importer's names are made.
struct Parts {
    results: String,
    get_group: String,
    get_method: String,
    get_path: String,
    page_size_setter: String,
    check_page_size: i64,
    body: TypeRef,
    record: TypeRef,
    result_item: TypeRef,
    data: String,
    batch_id: String,
    record_id: Vec<FieldAccess>,
    result_id: Vec<FieldAccess>,
    successful: FieldAccess,
    failed: FieldAccess,
    failed_records: FieldAccess,
    failed_id: FieldAccess,
    failed_reason: FieldAccess,
    example_flag: Option<String>,
}

impl Parts {
    fn into_importer(self, methods: &mut Namer, markers: &mut Namer) -> Importer {
        Importer {
            method: methods.unique(&snake_name(&format!("import {}", self.results))),
            stream_method: methods.unique(&snake_name(&format!("import {} stream", self.results))),
            marker: markers.unique(&type_name(&format!("{} import", self.results))),
            get_group: self.get_group,
            get_method: self.get_method,
            get_path: self.get_path,
            page_size_setter: self.page_size_setter,
            check_page_size: self.check_page_size,
            body: self.body,
            record: self.record,
            result_item: self.result_item,
            data: self.data,
            batch_id: self.batch_id,
            record_id: self.record_id,
            result_id: self.result_id,
            successful: self.successful,
            failed: self.failed,
            failed_records: self.failed_records,
            failed_id: self.failed_id,
            failed_reason: self.failed_reason,
            example_flag: self.example_flag,
        }
    }
}

/// `Ok(None)` when `post` is not a batch endpoint at all, `Err(reason)` when
/// it has a batch body but misses another part of the shape.
/// `gets` are the `GET`s beside `post` ([`children`]).
fn recognise(
    post: &Operation,
    gets: &[(&str, &Operation)],
    model: &Model,
) -> Result<Option<Parts>, String> {
    if post.http_method != HttpMethod::Post {
        return Ok(None);
    }
    let Some(body) = post.body.as_ref().map(|b| &b.ty) else {
        return Ok(None);
    };
    let Some(body_struct) = struct_of(body, model) else {
        return Ok(None);
    };
    let (Some(data), Some(batch_id)) = (field(body_struct, "data"), field(body_struct, "batchId"))
    else {
        return Ok(None);
    };
    // From here on the body says "batch": every miss is worth a warning.
    let TypeRef::List(record) = &data.ty else {
        return Err(String::from("`data` is not an array"));
    };
    if !data.required || data.nullable {
        return Err(String::from("`data` is optional or nullable"));
    }
    if batch_id.required || batch_id.ty != TypeRef::String {
        return Err(String::from("`batchId` is not an optional string"));
    }
    if let Some(other) = body_struct
        .fields
        .iter()
        .find(|f| f.required && f.wire != "data")
    {
        return Err(format!("its body also requires `{}`", other.wire));
    }
    let answer = post
        .success
        .ty
        .as_ref()
        .and_then(|ty| struct_of(ty, model))
        .ok_or("its answer is not a JSON object")?;
    let successful = count(answer, "successful")?;
    let failed = count(answer, "failed")?;
    let failed_records =
        field(answer, "failedRecords").ok_or("its answer has no `failedRecords`")?;
    let failed_record = match &failed_records.ty {
        TypeRef::List(item) => struct_of(item, model),
        _ => None,
    }
    .ok_or("`failedRecords` is not an array of objects")?;
    let failed_id = text(failed_record, "id")?;
    let failed_reason = text(failed_record, "reasonCode")?;

    let (get_group, get) = gets
        .iter()
        .find(|(_, get)| get.pagination.is_some())
        .ok_or_else(|| {
            format!(
                "no paginated `GET {}/{{id}}` reads a batch back",
                post.path.trim_end_matches('/')
            )
        })?;
    let pagination = get
        .pagination
        .as_ref()
        .ok_or("the read-back `GET` does not paginate")?;
    let page_size = get
        .params
        .get(pagination.page_size_param)
        .filter(|p| p.ty == ParamType::Integer)
        .ok_or_else(|| format!("the page size of `GET {}` is not an integer", get.path))?;
    let record_id = struct_of(record, model)
        .map(id_fields)
        .filter(|ids| !ids.is_empty())
        .ok_or("a record has no `…Id` string field to be known by")?;
    let result_id = struct_of(&pagination.item_ty, model)
        .map(id_fields)
        .filter(|ids| !ids.is_empty())
        .ok_or_else(|| {
            format!(
                "an item of `GET {}` has no `…Id` string field to be known by",
                get.path
            )
        })?;
    let results = get
        .method_name
        .strip_prefix("get_")
        .or_else(|| get.method_name.strip_prefix("list_"))
        .unwrap_or(&get.method_name)
        .to_owned();
    let check_page_size = page_size
        .bounds
        .maximum
        .filter(|max| max.is_finite() && *max >= 1.0)
        .map_or(CHECK_PAGE_SIZE, |max| CHECK_PAGE_SIZE.min(max as i64));
    Ok(Some(Parts {
        results,
        get_group: (*get_group).to_owned(),
        get_method: get.method_name.clone(),
        get_path: get.path.clone(),
        page_size_setter: page_size.name.clone(),
        check_page_size,
        body: body.clone(),
        record: (**record).clone(),
        result_item: pagination.item_ty.clone(),
        data: data.name.clone(),
        batch_id: batch_id.name.clone(),
        record_id,
        result_id,
        successful,
        failed,
        failed_records: access(failed_records),
        failed_id,
        failed_reason,
        example_flag: post
            .params
            .iter()
            .find(|p| matches!(p.ty, ParamType::BooleanString | ParamType::Boolean))
            .map(|p| p.name.clone()),
    }))
}

/// The fields a record is known by, most specific first: an `eventId`, then
/// the first required string property whose name ends in `Id`. The API names
/// a rejected record by the first of them that is set.
fn id_fields(record: &Struct) -> Vec<FieldAccess> {
    let is_id = |f: &&Field| f.ty == TypeRef::String && f.wire.ends_with("Id") && !f.nullable;
    let event = record
        .fields
        .iter()
        .filter(is_id)
        .filter(|f| f.wire == "eventId");
    let first_required = record
        .fields
        .iter()
        .filter(is_id)
        .find(|f| f.required && f.wire != "eventId");
    event.chain(first_required).map(access).collect()
}

fn access(f: &Field) -> FieldAccess {
    FieldAccess {
        name: f.name.clone(),
        optional: f.is_optional(),
        float: f.ty == TypeRef::Number,
    }
}

fn count(answer: &Struct, wire: &str) -> Result<FieldAccess, String> {
    field(answer, wire)
        .filter(|f| {
            f.required && !f.nullable && matches!(f.ty, TypeRef::Number | TypeRef::Integer { .. })
        })
        .map(access)
        .ok_or_else(|| format!("its answer has no required number `{wire}`"))
}

fn text(record: &Struct, wire: &str) -> Result<FieldAccess, String> {
    field(record, wire)
        .filter(|f| f.ty == TypeRef::String)
        .map(access)
        .ok_or_else(|| format!("a failed record has no string `{wire}`"))
}

fn struct_of<'m>(ty: &TypeRef, model: &'m Model) -> Option<&'m Struct> {
    let TypeRef::Named(id) = model.resolve(ty) else {
        return None;
    };
    match &model.types.get(*id)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

fn field<'s>(s: &'s Struct, wire: &str) -> Option<&'s Field> {
    s.fields.iter().find(|f| f.wire == wire)
}
