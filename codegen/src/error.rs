//! The one error type of the generator: what went wrong and where in the spec.

use std::fmt;

/// A problem found in the input document, located by a JSON pointer.
///
/// The pointer is an RFC 6901 fragment into the document (`#/components/schemas/Foo`),
/// so the message can be pasted straight into an editor search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// JSON pointer of the offending node, always starting with `#`.
    pub pointer: String,
    /// What is wrong with it, as a sentence fragment.
    pub message: String,
}

impl Error {
    /// Makes an error at `pointer` (with or without the leading `#`).
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let pointer = pointer.into();
        let pointer = if pointer.starts_with('#') {
            pointer
        } else {
            format!("#{pointer}")
        };
        Error {
            pointer,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// Result of every fallible generator step.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds JSON pointers one segment at a time, escaping `~` and `/` as RFC 6901 requires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer(String::from("#"))
    }

    /// Parses a local reference such as `#/components/schemas/Foo`.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.to_owned())
    }

    /// This pointer extended by one segment.
    pub fn push(&self, segment: impl AsRef<str>) -> Self {
        let escaped = segment.as_ref().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
    }

    /// The pointer one segment up (the root stays the root).
    pub fn parent(&self) -> Self {
        match self.0.rfind('/') {
            Some(cut) => Pointer(self.0[..cut].to_owned()),
            None => self.clone(),
        }
    }

    /// The pointer as text, `#/a/b`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An error located at this pointer.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::new(self.0.clone(), message)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
