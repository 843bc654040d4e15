//! The shapes exchanged between generated endpoint code and the client.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// What a generated endpoint function hands to [`Client::execute`](crate::Client::execute).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// HTTP method.
    pub method: reqwest::Method,
    /// Path after the base URL, starting with `/`, already percent-encoded.
    pub path: String,
    /// Query parameters, already rendered to strings.
    pub query: Vec<(&'static str, String)>,
    /// The body, encoded once (by [`json_body`](crate::json_body) for JSON).
    pub body: Option<RequestBody>,
    /// The body's `content-type`; `None` means `application/json`.
    pub content_type: Option<&'static str>,
    /// The OpenAPI `operationId`, for tracing and error messages.
    pub operation_id: &'static str,
    /// Error statuses the API description documents for this operation.
    pub error_statuses: &'static [u16],
    /// For a request that creates something, the endpoint that reads it back
    /// (`GET /transactions/{transactionId}`), named in errors when the
    /// request may have been processed. When it is this request's path plus
    /// one `{field}` segment and the JSON body has that string field, errors
    /// name the real path (`GET /transactions/txn-000187`); the body is only
    /// read then.
    pub check_with: Option<&'static str>,
}

/// A request body, encoded once so that retries resend the same bytes.
///
/// Made by the encoders the generated code calls (`json_body`, `form_body`,
/// `bytes_body` and, with the `multipart` feature, `multipart_body`).
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBody {
    bytes: bytes::Bytes,
    /// A content type only known once the body is encoded (a multipart
    /// boundary); it replaces [`ApiRequest::content_type`].
    content_type: Option<String>,
}

impl RequestBody {
    /// A body sent with the content type of its [`ApiRequest`].
    pub fn new(bytes: bytes::Bytes) -> Self {
        RequestBody {
            bytes,
            content_type: None,
        }
    }

    /// A body that decides its own content type.
    pub fn with_content_type(bytes: bytes::Bytes, content_type: String) -> Self {
        RequestBody {
            bytes,
            content_type: Some(content_type),
        }
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> &bytes::Bytes {
        &self.bytes
    }

    /// The encoded bytes, owned.
    pub fn into_bytes(self) -> bytes::Bytes {
        self.bytes
    }

    /// The content type the body decided for itself, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<bytes::Bytes> for RequestBody {
    fn from(bytes: bytes::Bytes) -> Self {
        RequestBody::new(bytes)
    }
}

/// How the API authenticates; the generated code declares one constant of
/// this type.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The API key is sent as-is in the named header.
    Header {
        /// Header name, such as `x-api-key`.
        name: &'static str,
    },
    /// The API key is sent as `Authorization: Bearer <key>`.
    Bearer,
    /// The API key, `user:password`, is sent as `Authorization: Basic`
    /// with its base64 encoding.
    Basic,
    /// No authentication.
    None,
}

/// Status, headers and typed body of a successful call.
///
/// Endpoint builders return the body alone from `.send()`; `.send_raw()`
/// returns this.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// HTTP status (always 2xx).
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }

    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }
}
