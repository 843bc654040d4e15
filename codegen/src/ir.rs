//! The intermediate model: what the generator understood of a spec.
//!
//! Lowering (`lower`) fills it from the document; emission (`emit`) turns it
//! into Rust. Types refer to each other by [`TypeId`], and every name in here
//! is already a final, unique Rust identifier.

use std::collections::BTreeMap;

/// Index of a type in [`Model::types`].
pub type TypeId = usize;

/// Everything the emitters need.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Named types, in emission order (sorted by name).
    pub types: Vec<TypeDef>,
    /// Operations grouped by SDK group (module name), each group sorted by method name.
    pub groups: BTreeMap<String, Group>,
    /// Servers the client can talk to, default first.
    pub environments: Vec<Environment>,
    /// How requests authenticate.
    pub auth: Auth,
    /// Prefix of the environment variables the client reads (`FLAGRIGHT`).
    pub env_prefix: String,
    /// Type of documented error bodies, when every operation documents the same one.
    pub error_body: Option<TypeRef>,
    /// Title of the API, for docs.
    pub title: String,
}

/// A reference to a type as it appears in a field or parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A generated named type.
    Named(TypeId),
    /// `String`.
    String,
    /// `i64` (or `i32` when the spec says `int32`).
    Integer { bits32: bool },
    /// `i64` milliseconds since the Unix epoch (`x-unix-millis: true`): read leniently,
    /// set from anything `IntoTimestamp`.
    UnixMillis,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// Any JSON value, `serde_json::Value`.
    Any,
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A file to upload, the runtime's `FilePart`: a `format: binary`
    /// property of a `multipart/form-data` body (and nowhere else).
    File,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name, unique in the types module.
    pub name: String,
    /// The module (file of `types/`) it is emitted into, which it shares
    /// with other types (see `lower::files`).
    pub module: String,
    /// Doc text from the spec, if any.
    pub doc: Option<String>,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
    /// What it is.
    pub kind: TypeKind,
    /// Where its name came from.
    pub origin: NameOrigin,
}

/// Where a type's name came from (for the names report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameOrigin {
    /// A component schema's own name, as written in the document.
    Schema(String),
    /// The places an inline schema was used (an operation and its role, a
    /// property path, a `title`).
    Context,
    /// A number was added because nothing else told it apart from another
    /// type of the same name.
    Numbered,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object.
    Struct(Struct),
    /// A string enum with a catch-all for unknown values.
    Enum(Enum),
    /// A `oneOf` told apart by a tag property.
    Tagged(Tagged),
    /// A `oneOf` without a tag.
    Untagged(Untagged),
    /// A name for another type (`pub type X = Y;`).
    Alias(TypeRef),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Declared properties, in spec order.
    pub fields: Vec<Field>,
    /// Type of the values of undeclared properties (`Any` unless `additionalProperties` says otherwise).
    pub additional: TypeRef,
    /// Rust name of the field holding undeclared properties.
    pub additional_name: String,
    /// Name of its builder type (`TransactionBuilder`), unique among type names.
    pub builder: String,
    /// Name of the builder's private holder of optional fields
    /// (`TransactionBuilderFields`), unique among type names and builders:
    /// several types share a file, so private names must not collide either.
    pub builder_fields: String,
}

/// One property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire, kept exactly.
    pub wire: String,
    /// Rust field name.
    pub name: String,
    /// Value type (without the `Option` of optional fields).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Needs a `Box` to break a cycle of by-value containment.
    pub boxed: bool,
    /// Doc text.
    pub doc: Option<String>,
    /// A union whose properties sit beside the others in the same object
    /// (an `allOf` member that is a `oneOf`/`anyOf`): its `wire` is only its
    /// Rust name, and it reads every property the struct does not declare
    /// itself.
    pub flatten: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Known values: (wire value, variant name).
    pub values: Vec<(String, String)>,
    /// Name of the catch-all variant holding unknown values.
    pub other: String,
}

/// A union with a tag property.
#[derive(Debug, Clone)]
pub struct Tagged {
    /// Wire name of the tag property (`method`).
    pub tag: String,
    /// Variants, in spec order.
    pub variants: Vec<TaggedVariant>,
    /// Name of the variant keeping unknown tags as raw JSON.
    pub other: String,
}

/// One variant of a tagged union.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// Tag value on the wire (`CARD`).
    pub tag_value: String,
    /// Rust variant name (`Card`).
    pub name: String,
    /// The variant's type (always an object).
    pub ty: TypeRef,
    /// Whether the variant's struct declares the tag property itself.
    pub declares_tag: bool,
    /// Needs a `Box` to break a cycle.
    pub boxed: bool,
}

/// A union without a tag, tried variant by variant.
#[derive(Debug, Clone)]
pub struct Untagged {
    /// Variants in the order they are tried.
    pub variants: Vec<UntaggedVariant>,
}

/// One variant of an untagged union.
#[derive(Debug, Clone)]
pub struct UntaggedVariant {
    /// Rust variant name.
    pub name: String,
    /// The variant's type.
    pub ty: TypeRef,
    /// For object variants: properties that must be present.
    pub required: Vec<String>,
    /// For object variants: every declared property (`None` when not an object).
    pub known: Option<Vec<String>>,
    /// Needs a `Box` to break a cycle.
    pub boxed: bool,
    /// For a string variant with a `pattern` (followed through `$ref`s and
    /// one-member `allOf`s): the ECMAScript regular expression a value must
    /// match to be read as this variant.
    pub pattern: Option<String>,
    /// For a string variant told apart from another string variant by its
    /// `format` (`date-time`, `uuid`, `ipv4`, ...; see `lower::formats`): the
    /// format a value must be written in to be read as this variant.
    pub format: Option<String>,
}

/// One SDK group: a module with a handle type (`client.transactions()`).
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Module and accessor name (`transactions`).
    pub module: String,
    /// Handle type name (`Transactions`).
    pub handle: String,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Description of the tag of the same name, if the spec has one.
    pub doc: Option<String>,
    /// Names of the group's items in the generated mock.
    pub mock: MockNames,
}

/// Names of a group's items in the generated mock (`mock.rs`).
#[derive(Debug, Clone, Default)]
pub struct MockNames {
    /// The group's handle type (`TransactionsMock`).
    pub handle: String,
    /// The handle's accessor on `MockServer`.
    pub accessor: String,
    /// Per operation, in order: its marker type and its parameters' type.
    pub markers: Vec<(String, String)>,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or a made-up one.
    pub operation_id: String,
    /// Method name on the group handle.
    pub method_name: String,
    /// Name of the request builder type.
    pub builder: String,
    /// With two or more path parameters: the name of the struct that takes
    /// them by name (`TaskOutputDownloadPath`), so that two cannot be
    /// swapped silently; the method takes it in place of the positional
    /// path arguments.
    pub path_struct: Option<String>,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Path template as written in the spec (`/transactions/{transactionId}`).
    pub path: String,
    /// Path template split into literal text and parameters.
    pub path_segments: Vec<PathSegment>,
    /// Summary line.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Path, query and header parameters.
    pub params: Vec<Param>,
    /// JSON request body.
    pub body: Option<Body>,
    /// Success status and body type (`None` for no body).
    pub success: Success,
    /// Documented error statuses.
    pub error_statuses: Vec<u16>,
    /// Documented error statuses that have a JSON body, with its type.
    pub error_bodies: Vec<(u16, TypeRef)>,
    /// Pagination, when the operation pages through a list.
    pub pagination: Option<Pagination>,
    /// For an operation that creates something: the `GET` that reads it back
    /// (`GET /transactions/{transactionId}` for `POST /transactions`), named in
    /// errors when the request may have been processed.
    pub read_back: Option<String>,
    /// The bulk importer built on this operation, when it is a batch endpoint.
    pub importer: Option<Importer>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

/// The HTTP methods an OpenAPI path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item's keys are read.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method's key in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The method as sent on the wire, upper case (`GET`); also the name of
    /// its constant on `reqwest::Method`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A parameter, by index into [`Operation::params`].
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (argument or setter).
    pub name: String,
    /// Location.
    pub location: ParamLocation,
    /// Required (path parameters always are).
    pub required: bool,
    /// Rust type and how it is rendered.
    pub ty: ParamType,
    /// For a list in the query: one `name=value` pair per item (`true`, the
    /// form style's default) or one pair with the items comma-joined; for an
    /// object, `key=value` pieces rather than `key,value` (the simple
    /// style's default, in a path or header, is `false`).
    pub explode: bool,
    /// An object parameter in the `deepObject` style.
    pub deep_object: bool,
    /// Documented inclusive bounds of a numeric parameter (or of each item
    /// of a list of numbers), checked before the request is sent.
    pub bounds: Bounds,
    /// Doc text.
    pub doc: Option<String>,
}

/// Inclusive bounds from a schema's `minimum`/`maximum` (an exclusive bound
/// of an integer becomes the next integer in).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bounds {
    /// Smallest allowed value.
    pub minimum: Option<f64>,
    /// Largest allowed value.
    pub maximum: Option<f64>,
}

/// Type of a parameter as the user passes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// Text.
    String,
    /// A `"true"`/`"false"` string the user passes as `bool`.
    BooleanString,
    /// A boolean.
    Boolean,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A generated string enum.
    Enum(TypeId),
    /// A list, sent as repeated query parameters.
    List(Box<ParamType>),
    /// An object in the query: its properties become pairs (`deepObject`:
    /// `name[key]=value`; form: `key=value`, or `name=k1,v1,...` unexploded).
    Object(TypeRef),
}

/// How a body travels: its media type and how it is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/json` or `*+json`, (de)serialized with serde.
    Json,
    /// `application/x-www-form-urlencoded`, serialized from a typed struct.
    Form,
    /// Any other media type, as raw bytes.
    Bytes,
    /// `text/*`, as a string.
    Text,
    /// `multipart/form-data`, one part per property of the body (request
    /// bodies only).
    Multipart,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Body type (for [`Media::Json`], [`Media::Form`] and
    /// [`Media::Multipart`], where [`TypeRef::Any`] means the caller builds
    /// the parts).
    pub ty: TypeRef,
    /// How it is encoded.
    pub media: Media,
    /// The `content-type` it is sent with.
    pub content_type: String,
    /// Whether the spec requires it.
    pub required: bool,
    /// Doc text.
    pub doc: Option<String>,
    /// For [`Media::Multipart`]: the content type the document gives a part
    /// (wire name → type), from the media type's `encoding` or a file
    /// property's `contentMediaType`.
    pub part_types: BTreeMap<String, String>,
}

/// The success response.
#[derive(Debug, Clone)]
pub struct Success {
    /// Status code.
    pub status: u16,
    /// Body type (for [`Media::Json`]), `None` when the response has none.
    pub ty: Option<TypeRef>,
    /// How the body is read ([`Media::Json`], [`Media::Bytes`] or
    /// [`Media::Text`]).
    pub media: Media,
}

impl Model {
    /// The type `ty` finally is, through any chain of aliases, in a loop (a
    /// chain may be as long as the document; alias cycles were refused while
    /// lowering, and the walk is bounded by the number of types regardless).
    pub fn resolve<'m>(&'m self, ty: &'m TypeRef) -> &'m TypeRef {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Named(id) => match self.types.get(*id).map(|t| &t.kind) {
                    Some(TypeKind::Alias(target)) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// Whether an untagged union tells string variants apart by `pattern`
    /// (the runtime's `patterns` feature is then needed).
    pub fn uses_patterns(&self) -> bool {
        self.types.iter().any(|t| match &t.kind {
            TypeKind::Untagged(u) => u.variants.iter().any(|v| v.pattern.is_some()),
            _ => false,
        })
    }

    /// Whether any operation sends a `multipart/form-data` body (the
    /// runtime's `multipart` feature is then needed).
    pub fn uses_multipart(&self) -> bool {
        self.groups
            .values()
            .flat_map(|group| &group.operations)
            .any(|op| {
                op.body
                    .as_ref()
                    .is_some_and(|b| b.media == Media::Multipart)
            })
    }
}

/// How a list operation pages.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Index of the page-number query parameter.
    pub page_param: usize,
    /// Index of the page-size query parameter.
    pub page_size_param: usize,
    /// Rust field of the response holding the items.
    pub items_field: String,
    /// Whether the items field is optional.
    pub items_optional: bool,
    /// Item type.
    pub item_ty: TypeRef,
    /// Rust field of the response holding the total count, if any.
    pub total_field: Option<String>,
    /// Whether the total field is optional.
    pub total_optional: bool,
    /// Whether the total is a float (`number`) rather than an integer.
    pub total_is_number: bool,
}

/// A bulk importer: a batch `POST` (its body a list of records and a batch
/// id, its answer counting the failed ones) and the paginated `GET` that
/// reads a batch's results back.
#[derive(Debug, Clone)]
pub struct Importer {
    /// Method on the group handle taking an iterator of records (`import_transactions`).
    pub method: String,
    /// Method taking a stream of records (`import_transactions_stream`).
    pub stream_method: String,
    /// Marker type describing the endpoint to the runtime (`TransactionsImport`).
    pub marker: String,
    /// The read-back `GET`: module of its group.
    pub get_group: String,
    /// The read-back `GET`: its method on that group's handle.
    pub get_method: String,
    /// The read-back `GET`: its path template.
    pub get_path: String,
    /// Setter of the `GET`'s page-size parameter.
    pub page_size_setter: String,
    /// Page size the `GET` is asked for when checking a chunk.
    pub check_page_size: i64,
    /// The `POST`'s body type.
    pub body: TypeRef,
    /// Type of one record.
    pub record: TypeRef,
    /// Type of one item the `GET` lists.
    pub result_item: TypeRef,
    /// The body's list of records.
    pub data: String,
    /// The body's batch id.
    pub batch_id: String,
    /// Fields a record is known by, most specific first.
    pub record_id: Vec<FieldAccess>,
    /// Fields a listed result is known by, most specific first.
    pub result_id: Vec<FieldAccess>,
    /// The answer's count of records taken.
    pub successful: FieldAccess,
    /// The answer's count of records refused.
    pub failed: FieldAccess,
    /// The answer's list of refused records.
    pub failed_records: FieldAccess,
    /// A refused record's id.
    pub failed_id: FieldAccess,
    /// A refused record's reason.
    pub failed_reason: FieldAccess,
    /// A boolean query flag of the `POST`, shown in the docs' `configure` example.
    pub example_flag: Option<String>,
}

/// How generated code reads one field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldAccess {
    /// Rust field name.
    pub name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field is a float (`number`), for counts.
    pub float: bool,
}

/// One server the client can use.
#[derive(Debug, Clone)]
pub struct Environment {
    /// Variant name.
    pub name: String,
    /// Base URL with variables substituted.
    pub url: String,
    /// Doc text.
    pub doc: String,
}

/// How requests authenticate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// An API key in a header.
    Header(String),
    /// `Authorization: Bearer`.
    Bearer,
    /// `Authorization: Basic`, the key being `user:password`.
    Basic,
    /// No authentication.
    #[default]
    None,
}
