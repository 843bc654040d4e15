//! Names the generated code already uses, so names made from the spec go around them.
//!
//! Each list belongs to one scope of the generated crate; lowering seeds a
//! [`Namer`](super::Namer) of that scope with it, and emission writes the items
//! these names stand for. Both read them from here.

/// The methods of a generated `Client`: its constructors, and the public inherent
/// methods of the runtime's `Client` (`runtime/src/client.rs`) it dereferences to.
///
/// Every group gets an accessor in its own `impl Client` block, so a group cannot be named
/// like one of these. `tests/tests/reserved_names.rs` compares this list with the runtime's
/// source, so it cannot drift.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "base_url",
    "execute",
    "execute_bytes",
    "execute_text",
];

/// Methods of the traits `Client` and the group handles implement (`Clone`, `Debug`).
const TRAIT_METHODS: &[&str] = &["clone", "fmt", "deref"];

/// Names a group accessor on `Client` cannot take: [`CLIENT_METHODS`] and trait methods.
pub(crate) fn client_names() -> impl Iterator<Item = &'static str> {
    CLIENT_METHODS.iter().chain(TRAIT_METHODS).copied()
}

/// Names a group handle already uses: its `client` field and trait methods.
/// Operations (its methods) are named around them.
pub(crate) fn handle_names() -> impl Iterator<Item = &'static str> {
    ["client"].iter().chain(TRAIT_METHODS).copied()
}

/// Names a request builder already uses: its fields (`client`, `options`, `body`), its own
/// methods, and those of the traits it implements. Parameters (fields and setters) are
/// named around them.
pub(crate) const BUILDER_NAMES: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_raw",
    "stream",
    "stream_with_page_size",
    "into_future",
    "clone",
    "fmt",
];

/// Names a model struct and its builder already use: `builder`, `build`, the methods of
/// the traits they implement, and `new` (the constructor of earlier versions, so fields keep
/// their names). Every field gets a builder setter of its own name, so fields are named
/// around these.
pub(crate) const STRUCT_NAMES: &[&str] = &[
    "new",
    "builder",
    "build",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "serialize",
    "deserialize",
    "default",
    "into",
    "to_owned",
    "type_id",
];

/// Modules of the generated root (`mod.rs`) besides the groups; groups are named around them.
pub(crate) const ROOT_MODULES: &[&str] = &["types", "support", "environment", "blocking", "mock"];

/// Names a module in `types/` cannot take (`types/mod.rs` is the folder's own module).
pub(crate) const TYPE_MODULES: &[&str] = &["mod", "support"];

/// The inherent methods of the runtime's `MockServer` (and the generated
/// `check_defaults`); a group's accessor on the mock is named around them.
pub(crate) const MOCK_SERVER_METHODS: &[&str] = &[
    "start",
    "start_empty",
    "deref",
    "uri",
    "client",
    "client_builder",
    "wiremock",
    "expectation",
    "mount_default",
    "check_defaults",
    "fmt",
];
