//! Endpoint tests against a loopback mock server: the spec's own examples per
//! operation, a client pointed at the server, and a matcher that checks a whole
//! request and reports every difference.

use std::sync::{Arc, Mutex};

use flagright_api::{Client, Error, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use crate::json::{assert_json_eq, json_diff, to_json};
use crate::spec::{deref, spec};

/// The API key every test client sends; it must never show up in an error.
pub const API_KEY: &str = "fr-test-key-7Qx9SECRETzz";

/// A path parameter with a space, a slash, a non-ASCII letter, `?` and `#`.
pub const RAW_ID: &str = "tx 1/ä?#";

/// [`RAW_ID`] as one percent-encoded path segment.
pub const ENCODED_ID: &str = "tx%201%2F%C3%A4%3F%23";

/// One operation of the spec, found by `operationId`.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template such as `/transactions/{transactionId}`.
    pub template: String,
    /// The operation object.
    pub object: Value,
}

/// The operation with this `operationId`; panics if the spec has none.
pub fn operation(id: &'static str) -> Operation {
    let paths = spec()["paths"].as_object().expect("spec has paths");
    for (template, item) in paths {
        for (method, object) in item.as_object().expect("path item is an object") {
            if object.get("operationId").and_then(Value::as_str) == Some(id) {
                return Operation {
                    id,
                    method: method.to_ascii_uppercase(),
                    template: template.clone(),
                    object: object.clone(),
                };
            }
        }
    }
    panic!("the spec has no operation `{id}`")
}

/// Follows a local `$ref` in the spec if `node` is one.
fn resolve(node: &Value) -> &Value {
    deref(spec(), node)
}

impl Operation {
    /// `requestBody.content.application/json.example`.
    pub fn request_example(&self) -> Value {
        self.object
            .pointer("/requestBody/content/application~1json/example")
            .unwrap_or_else(|| panic!("{}: no request example", self.id))
            .clone()
    }

    /// The request example read as the generated body type.
    pub fn request_body<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.request_example()).unwrap_or_else(|e| {
            panic!(
                "{}: the request example does not fit the generated body type: {e}",
                self.id
            )
        })
    }

    /// The documented 2xx status and its example body.
    pub fn success(&self) -> (u16, Value) {
        let responses = self.object["responses"].as_object().expect("responses");
        let (status, response) = responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .unwrap_or_else(|| panic!("{}: no 2xx response", self.id));
        let example = resolve(response)
            .pointer("/content/application~1json/example")
            .unwrap_or_else(|| panic!("{}: no example for {status}", self.id))
            .clone();
        (status.parse().expect("numeric status"), example)
    }

    /// The documented error statuses (4xx and 5xx), ascending.
    pub fn error_statuses(&self) -> Vec<u16> {
        let mut statuses: Vec<u16> = self.object["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .filter_map(|status| status.parse().ok())
            .filter(|status| *status >= 400)
            .collect();
        statuses.sort_unstable();
        statuses
    }

    /// The example body documented for an error status.
    pub fn error_example(&self, status: u16) -> Value {
        let response = self.object["responses"]
            .get(status.to_string())
            .unwrap_or_else(|| panic!("{}: {status} is not documented", self.id));
        resolve(response)
            .pointer("/content/application~1json/example")
            .unwrap_or_else(|| panic!("{}: no example for {status}", self.id))
            .clone()
    }

    /// The path with every `{parameter}` replaced by `segment`.
    pub fn path_with(&self, segment: &str) -> String {
        let mut path = String::new();
        let mut rest = self.template.as_str();
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').expect("closed parameter") + start;
            path.push_str(&rest[..start]);
            path.push_str(segment);
            rest = &rest[end + 1..];
        }
        path.push_str(rest);
        path
    }
}

/// A client for `server` that never retries.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// A blocking client for `server`, configured like [`client`].
pub fn blocking_client(server: &MockServer) -> flagright_api::blocking::Client {
    flagright_api::blocking::Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("blocking client builds")
}

/// Everything a request must carry, checked as one wiremock matcher that
/// records why a request did not match.
#[derive(Debug, Clone)]
pub struct ExpectedRequest {
    /// Upper-case method.
    pub method: String,
    /// Encoded path, compared byte for byte.
    pub path: String,
    /// The complete set of decoded query pairs, in any order; `None` accepts
    /// any query.
    pub query: Option<Vec<(String, String)>>,
    /// The JSON body, or `None` for a request without body.
    pub body: Option<Value>,
    /// Why earlier requests did not match.
    pub mismatches: Arc<Mutex<Vec<String>>>,
}

impl ExpectedRequest {
    /// A request for `operation` on `path`, with no query and no body yet.
    pub fn new(method: &str, path: impl Into<String>) -> Self {
        ExpectedRequest {
            method: method.to_owned(),
            path: path.into(),
            query: Some(Vec::new()),
            body: None,
            mismatches: Arc::default(),
        }
    }

    /// Requires exactly these query pairs.
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        self.query = Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        self
    }

    /// Accepts any query string (the responder checks it).
    pub fn query_any(mut self) -> Self {
        self.query = None;
        self
    }

    /// Requires this JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Everything about `request` that differs from what is expected.
    pub fn problems(&self, request: &Request) -> Vec<String> {
        let mut problems = Vec::new();
        if request.method.as_str() != self.method {
            problems.push(format!(
                "method: expected {}, got {}",
                self.method, request.method
            ));
        }
        if request.url.path() != self.path {
            problems.push(format!(
                "path: expected `{}`, got `{}`",
                self.path,
                request.url.path()
            ));
        }
        let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        query.sort();
        if let Some(mut expected_query) = self.query.clone() {
            expected_query.sort();
            if query != expected_query {
                problems.push(format!(
                    "query: expected {expected_query:?}, got {query:?} (raw {:?})",
                    request.url.query()
                ));
            }
        }
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .map(|v| v.to_str().unwrap_or("<non-ASCII>").to_owned())
        };
        if header("x-api-key").as_deref() != Some(API_KEY) {
            problems.push("header x-api-key: missing or wrong".to_owned());
        }
        if header("accept").as_deref() != Some("application/json") {
            problems.push(format!(
                "header accept: expected application/json, got {:?}",
                header("accept")
            ));
        }
        let agent = header("user-agent").unwrap_or_default();
        if !agent.starts_with("flagright-api-rust/") {
            problems.push(format!(
                "header user-agent: expected flagright-api-rust/..., got {agent:?}"
            ));
        }
        match &self.body {
            Some(expected) => {
                if header("content-type").as_deref() != Some("application/json") {
                    problems.push(format!(
                        "header content-type: expected application/json, got {:?}",
                        header("content-type")
                    ));
                }
                match serde_json::from_slice::<Value>(&request.body) {
                    Ok(body) => {
                        for line in json_diff(expected, &body) {
                            problems.push(format!("body {line}"));
                        }
                    }
                    Err(e) => problems.push(format!("body: not JSON: {e}")),
                }
            }
            None => {
                if !request.body.is_empty() {
                    problems.push(format!(
                        "body: expected none, got {} bytes",
                        request.body.len()
                    ));
                }
                if let Some(content_type) = header("content-type") {
                    problems.push(format!(
                        "header content-type: expected none on a request without body, got {content_type}"
                    ));
                }
            }
        }
        problems
    }
}

impl Match for ExpectedRequest {
    fn matches(&self, request: &Request) -> bool {
        let problems = self.problems(request);
        if problems.is_empty() {
            return true;
        }
        let mut log = self.mismatches.lock().expect("mismatch log");
        log.push(format!(
            "{} {}:\n    {}",
            request.method,
            request.url,
            problems.join("\n    ")
        ));
        false
    }
}

/// One endpoint under test: a mock server that answers the spec's success
/// example only to the exact expected request, and a client pointed at it.
pub struct EndpointCase {
    /// The operation from the spec.
    pub op: Operation,
    /// The server.
    pub server: MockServer,
    /// A client for the server, without retries.
    pub client: Client,
    status: u16,
    example: Value,
    mismatches: Arc<Mutex<Vec<String>>>,
}

impl EndpointCase {
    /// Starts a server for `id` that expects the spec's method, the path with
    /// [`ENCODED_ID`] for every path parameter, exactly `query`, the standard
    /// headers and, when the operation has one, the request example as body.
    pub async fn start(id: &'static str, query: &[(&str, &str)]) -> Self {
        let op = operation(id);
        let mut expected = ExpectedRequest::new(&op.method, op.path_with(ENCODED_ID)).query(query);
        if op.object.get("requestBody").is_some() {
            expected = expected.body(op.request_example());
        }
        let mismatches = expected.mismatches.clone();
        let (status, example) = op.success();
        let server = MockServer::start().await;
        Mock::given(expected)
            .respond_with(ResponseTemplate::new(status).set_body_json(&example))
            .named(id)
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server);
        EndpointCase {
            op,
            server,
            client,
            status,
            example,
            mismatches,
        }
    }

    /// The request example as the generated body type.
    pub fn body<T: DeserializeOwned>(&self) -> T {
        self.op.request_body()
    }

    /// A blocking client for the case's server, configured like `client`.
    pub fn blocking_client(&self) -> flagright_api::blocking::Client {
        blocking_client(&self.server)
    }

    /// The success example the server answers with.
    pub fn example(&self) -> &Value {
        &self.example
    }

    /// Unwraps the result of a call made with `send_raw`, checking the status
    /// and that the typed body serializes back to the server's JSON.
    pub async fn check_raw<T: Serialize>(&self, result: Result<Response<T>, Error>) -> T {
        let response = self.unwrap(result);
        assert_eq!(
            response.status.as_u16(),
            self.status,
            "{}: status passed through send_raw",
            self.op.id
        );
        self.verify(&response.body).await;
        response.body
    }

    /// Unwraps the result of a call made with `send` or `.await`, checking
    /// that the typed body serializes back to the server's JSON.
    pub async fn check<T: Serialize>(&self, result: Result<T, Error>) -> T {
        let body = self.unwrap(result);
        self.verify(&body).await;
        body
    }

    /// The value, or a panic naming the endpoint, the error and every way
    /// the requests the server saw differed from the expected one.
    fn unwrap<R>(&self, result: Result<R, Error>) -> R {
        result.unwrap_or_else(|err| {
            let mismatches = self.mismatches.lock().expect("mismatch log").join("\n  ");
            panic!(
                "{}: the call failed: {err}\n  requests that did not match:\n  {mismatches}",
                self.op.id
            )
        })
    }

    async fn verify<T: Serialize>(&self, body: &T) {
        let id = self.op.id;
        let received = self.server.received_requests().await.expect("recording on");
        assert_eq!(received.len(), 1, "{id}: exactly one request");
        assert_json_eq(
            &format!("{id}: typed response serialized back"),
            &self.example,
            &to_json(body),
        );
    }
}

/// Panics if the API key appears in the `Debug` or `Display` output of `err`
/// or of any error in its source chain.
#[track_caller]
pub fn assert_no_secret(err: &Error) {
    let debug = format!("{err:?}");
    let display = err.to_string();
    assert!(!debug.contains(API_KEY), "API key in Debug: {debug}");
    assert!(!display.contains(API_KEY), "API key in Display: {display}");
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        let text = format!("{inner} {inner:?}");
        assert!(!text.contains(API_KEY), "API key in a source: {text}");
        source = inner.source();
    }
}
