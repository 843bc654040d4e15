//! The typed mock server behind the `mock` feature: the generic half.
//!
//! The generated `mock` module gives every operation a marker type that
//! implements [`Operation`] (its method, path template, parameter, body and
//! response types, and its default answer) and reaches it through one
//! accessor per group on [`MockServer`]. Everything that does not depend on a
//! particular operation is here: starting the server, matching requests,
//! building answers and faults, and decoding what the client sent.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::{Match, Mock, Request, Respond, ResponseTemplate, Times};

mod wire;

#[allow(
    unused_imports,
    reason = "called by generated code; a spec may have no text, binary or form bodies"
)]
pub use wire::{
    Location, Piece, RawParams, Reply, bytes_reply, bytes_request, empty_reply, form_request,
    json_reply, json_request, no_request, text_reply, text_request,
};

use super::{BuildClient, ClientBuilder};

/// The API key of the clients made by [`MockServer::client`].
pub const TEST_API_KEY: &str = "test-api-key";

/// Priority of the default answers: after every expectation (wiremock's
/// default priority is 5; lower numbers win).
const DEFAULT_PRIORITY: u8 = 200;

/// A local mock of the API, on `127.0.0.1` and a free port, for tests.
///
/// Every operation answers out of the box: with no expectation set, it
/// answers its documented success status and a body built from the spec
/// that decodes into the operation's response type. Expectations (reached
/// like the client's groups, `mock.transactions().verify()`) choose other
/// answers, faults, or count calls; those with `expect` are checked when the
/// mock is dropped, failing the test.
///
/// `C` is the client [`client`](Self::client) builds. A generated crate wraps
/// this server in its own `mock::MockServer`, which mounts the default
/// answers and adds the expectation accessors.
pub struct MockServer<C> {
    server: wiremock::MockServer,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for MockServer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl<C: BuildClient> MockServer<C> {
    /// Starts a mock server with no answer mounted; the generated `start`
    /// mounts every operation's default answer with
    /// [`mount_default`](Self::mount_default).
    ///
    /// Needs a Tokio runtime (`#[tokio::test]`).
    pub async fn start_empty() -> Self {
        Self {
            server: wiremock::MockServer::start().await,
            client: PhantomData,
        }
    }

    /// The base URL of the server (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client that talks to this server with the key [`TEST_API_KEY`].
    ///
    /// It is [`client_builder`](Self::client_builder)'s client: retries wait
    /// milliseconds rather than seconds. Building it fails only when no HTTP
    /// client can be made on this machine, which panics with that reason.
    pub fn client(&self) -> C {
        self.client_builder()
            .build()
            .unwrap_or_else(|error| panic!("the mock server's client cannot be built: {error}"))
    }

    /// The settings of [`client`](Self::client), to change before building:
    /// the server's URL, [`TEST_API_KEY`], and retry waits of 1 to 50 ms (a
    /// `Retry-After` is still honoured).
    pub fn client_builder(&self) -> ClientBuilder<C> {
        ClientBuilder::new()
            .api_key(TEST_API_KEY)
            .base_url(self.uri())
            .retry_base_delay(Duration::from_millis(1))
            .retry_max_delay(Duration::from_millis(50))
    }

    /// The underlying `wiremock` server, to mount untyped mocks on.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// An expectation on operation `Op`; generated accessors call this.
    #[doc(hidden)]
    pub fn expectation<Op: Operation>(&self) -> Expectation<'_, Op> {
        Expectation {
            server: &self.server,
            params: Vec::new(),
            bodies: Vec::new(),
            answer: Answer::Default,
            handler: None,
            headers: Vec::new(),
            delay: None,
            times: None,
            expect: None,
        }
    }

    /// Mounts the default answer of `Op`; the generated `start` calls this.
    #[doc(hidden)]
    pub async fn mount_default<Op: Operation>(&self) {
        Mock::given(Matcher::<Op>::any())
            .respond_with(default_template::<Op>())
            .with_priority(DEFAULT_PRIORITY)
            .named(format!("default answer of {}", Op::ID))
            .mount(&self.server)
            .await;
    }
}

/// One operation of the API, as the mock sees it. Implemented by the
/// generated marker types (`mock::transactions::Verify`); not meant to be
/// implemented elsewhere.
pub trait Operation: Send + Sync + 'static {
    /// The path, query and header parameters, decoded.
    type Params: fmt::Debug + Send + Sync + 'static;
    /// The request body, decoded (`()` when the operation has none).
    type Body: fmt::Debug + Send + Sync + 'static;
    /// The success body (`()` when it has none).
    type Response;
    /// The documented error body (`serde_json::Value` when there is none).
    type ErrorBody: Serialize;
    /// `group.method`, for messages.
    const ID: &'static str;
    /// HTTP method, upper case.
    const METHOD: &'static str;
    /// The path template.
    const PATH: &'static [Piece];
    /// The method and path template of every operation of the API, to tell
    /// which one a request belongs to.
    const TEMPLATES: &'static [(&'static str, &'static [Piece])];
    /// The documented success status.
    const STATUS: u16;
    /// The default success body and its content type (`None`: no body).
    const DEFAULT_BODY: Option<(&'static str, &'static str)>;
    /// A minimal error body, as JSON, for faults.
    const ERROR_BODY: &'static str;
    /// Decodes the parameters of a request.
    fn params(raw: &RawParams<'_>) -> Result<Self::Params, String>;
    /// Decodes the body of a request.
    fn body(raw: &[u8]) -> Result<Self::Body, String>;
    /// Encodes a success body.
    fn reply(value: &Self::Response) -> Result<Reply, String>;
}

/// The default answer of `Op`.
fn default_template<Op: Operation>() -> ResponseTemplate {
    let template = ResponseTemplate::new(Op::STATUS);
    match Op::DEFAULT_BODY {
        Some((content_type, body)) => template.set_body_raw(body.as_bytes(), content_type),
        None => template,
    }
}

type Predicate<T> = Box<dyn Fn(&T) -> bool + Send + Sync>;

/// What [`Expectation::respond_with_fn`] takes: a call, decoded, to a
/// success body or an error status and body.
type Handler<Op> = Box<
    dyn Fn(
            &Received<Op>,
        ) -> Result<<Op as Operation>::Response, (u16, <Op as Operation>::ErrorBody)>
        + Send
        + Sync,
>;

/// Answers each call with what a [`Handler`] makes of it.
struct Dynamic<Op: Operation> {
    handler: Handler<Op>,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
}

impl<Op: Operation> Respond for Dynamic<Op> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let answer = match Received::<Op>::decode(request) {
            Err(problem) => Answer::Reply {
                status: 400,
                reply: Reply {
                    content_type: Some("text/plain; charset=utf-8"),
                    body: format!("the mock cannot decode this call of {}: {problem}", Op::ID)
                        .into_bytes(),
                },
                retry_after: None,
            },
            Ok(received) => match (self.handler)(&received) {
                Ok(value) => reply_answer(Op::STATUS, Op::reply(&value)),
                Err((status, body)) => reply_answer(status, json_reply(&body)),
            },
        };
        template(answer, &self.headers, self.delay, Op::STATUS)
    }
}

/// An answer of `status` with an encoded body, or the encoding problem.
fn reply_answer(status: u16, reply: Result<Reply, String>) -> Answer {
    match reply {
        Ok(reply) => Answer::Reply {
            status,
            reply,
            retry_after: None,
        },
        Err(problem) => Answer::Unencodable(problem),
    }
}

/// Matches the calls of `Op` whose parameters and body pass every predicate.
struct Matcher<Op: Operation> {
    params: Vec<Predicate<Op::Params>>,
    bodies: Vec<Predicate<Op::Body>>,
    operation: PhantomData<fn() -> Op>,
}

impl<Op: Operation> Matcher<Op> {
    fn any() -> Self {
        Self {
            params: Vec::new(),
            bodies: Vec::new(),
            operation: PhantomData,
        }
    }
}

impl<Op: Operation> Match for Matcher<Op> {
    fn matches(&self, request: &Request) -> bool {
        let Some(raw) = RawParams::of::<Op>(request) else {
            return false;
        };
        if !self.params.is_empty() {
            match Op::params(&raw) {
                Ok(params) if self.params.iter().all(|f| f(&params)) => {}
                _ => return false,
            }
        }
        if !self.bodies.is_empty() {
            match Op::body(&request.body) {
                Ok(body) if self.bodies.iter().all(|f| f(&body)) => {}
                _ => return false,
            }
        }
        true
    }
}

/// What an expectation answers.
enum Answer {
    /// The operation's default answer.
    Default,
    /// A status and a body.
    Reply {
        status: u16,
        reply: Reply,
        retry_after: Option<u64>,
    },
    /// A body that could not be encoded: answered as a 500 naming the problem.
    Unencodable(String),
    /// The connection is closed without an answer.
    Drop,
}

/// An expectation on one operation: which calls it matches, what it answers,
/// how often. Finish with [`mount`](Self::mount).
#[must_use = "an expectation does nothing until it is mounted"]
pub struct Expectation<'m, Op: Operation> {
    server: &'m wiremock::MockServer,
    params: Vec<Predicate<Op::Params>>,
    bodies: Vec<Predicate<Op::Body>>,
    answer: Answer,
    handler: Option<Handler<Op>>,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
    times: Option<u64>,
    expect: Option<Times>,
}

impl<Op: Operation> fmt::Debug for Expectation<'_, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &Op::ID)
            .finish_non_exhaustive()
    }
}

impl<'m, Op: Operation> Expectation<'m, Op> {
    /// Matches only calls whose body passes `predicate` (a body that does not
    /// decode does not match).
    pub fn matching(
        mut self,
        predicate: impl Fn(&Op::Body) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.bodies.push(Box::new(predicate));
        self
    }

    /// Matches only calls whose path, query and header parameters pass
    /// `predicate`.
    pub fn matching_params(
        mut self,
        predicate: impl Fn(&Op::Params) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.params.push(Box::new(predicate));
        self
    }

    /// Answers with the documented success status and `value`.
    pub fn respond_with(mut self, value: impl Borrow<Op::Response>) -> Self {
        self.answer = reply_answer(Op::STATUS, Op::reply(value.borrow()));
        self
    }

    /// Answers with `status` and a typed error body.
    pub fn respond_with_error(mut self, status: u16, body: impl Borrow<Op::ErrorBody>) -> Self {
        self.answer = reply_answer(status, json_reply(body.borrow()));
        self
    }

    /// Answers each call with what `handler` makes of it, decoded: a success
    /// body (with the documented status) or an error status and body. For a
    /// stateful imitation, such as a `GET` that returns what a `POST`
    /// stored. A call that does not decode is answered 400, naming the
    /// problem. Replaces any other answer set on this expectation.
    pub fn respond_with_fn(
        mut self,
        handler: impl Fn(&Received<Op>) -> Result<Op::Response, (u16, Op::ErrorBody)>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.handler = Some(Box::new(handler));
        self
    }

    /// Answers with `status` and no body.
    pub fn respond_with_status(mut self, status: u16) -> Self {
        self.answer = Answer::Reply {
            status,
            reply: Reply {
                content_type: None,
                body: Vec::new(),
            },
            retry_after: None,
        };
        self
    }

    /// Answers `429 Too Many Requests` with `Retry-After` (in whole seconds,
    /// rounded up) and a minimal error body: refused before processing, so
    /// the client retries it.
    pub fn rate_limited(mut self, retry_after: Duration) -> Self {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        self.answer = Answer::Reply {
            status: 429,
            reply: error_reply::<Op>(),
            retry_after: Some(seconds),
        };
        self
    }

    /// Answers `status` (a 5xx such as 500, 502 or 504) with a minimal error
    /// body: a failure after the request may have been processed.
    pub fn server_error(mut self, status: u16) -> Self {
        self.answer = Answer::Reply {
            status,
            reply: error_reply::<Op>(),
            retry_after: None,
        };
        self
    }

    /// Closes the connection without answering, once the request is read:
    /// the client sees a transport error after sending, so the request may
    /// have been processed.
    pub fn drop_connection(mut self) -> Self {
        self.answer = Answer::Drop;
        self
    }

    /// Adds a header to the answer (`x-request-id`, for instance).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits `delay` before answering (beyond the client's timeout, to test
    /// timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers at most `n` calls; later ones go to other expectations or the
    /// default answer.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Expects this many matching calls (a number or a range), checked when
    /// the mock server is dropped: a different count fails the test.
    pub fn expect(mut self, calls: impl Into<Times>) -> Self {
        self.expect = Some(calls.into());
        self
    }

    /// Mounts the expectation. Expectations mounted earlier take precedence
    /// over later ones; all take precedence over the default answers.
    pub async fn mount(self) {
        let matcher = Matcher::<Op> {
            params: self.params,
            bodies: self.bodies,
            operation: PhantomData,
        };
        let builder = Mock::given(matcher);
        let mut mock = match (self.handler, self.answer) {
            (Some(handler), _) => builder.respond_with(Dynamic::<Op> {
                handler,
                headers: self.headers,
                delay: self.delay,
            }),
            (None, Answer::Drop) => builder.respond_with_err(|_: &Request| {
                std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "connection dropped by the mock",
                )
            }),
            (None, answer) => {
                builder.respond_with(template(answer, &self.headers, self.delay, Op::STATUS))
            }
        };
        mock = mock.named(Op::ID);
        if let Some(n) = self.times {
            mock = mock.up_to_n_times(n);
        }
        if let Some(calls) = self.expect {
            // ok: wiremock's call-count expectation, not `Option::expect`;
            // it is checked (and reported) when the server is dropped.
            mock = mock.expect(calls);
        }
        mock.mount(self.server).await;
    }

    /// Every call of this operation received so far (whether or not it
    /// matched this expectation's predicates), decoded, in arrival order.
    ///
    /// Fails with the operation's name when a call's parameters or body do
    /// not decode into the operation's types.
    pub async fn received(&self) -> Result<Vec<Received<Op>>, MockError> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .iter()
            .filter_map(|request| RawParams::of::<Op>(request).map(|raw| (request, raw)))
            .map(|(request, raw)| {
                let params =
                    Op::params(&raw).map_err(|problem| MockError::decode::<Op>(&problem))?;
                let body =
                    Op::body(&request.body).map_err(|problem| MockError::decode::<Op>(&problem))?;
                Ok(Received { params, body })
            })
            .collect()
    }
}

/// The minimal error body of `Op`, as JSON.
fn error_reply<Op: Operation>() -> Reply {
    Reply {
        content_type: Some("application/json"),
        body: Op::ERROR_BODY.as_bytes().to_vec(),
    }
}

/// The template of an answer that is not a dropped connection.
fn template(
    answer: Answer,
    headers: &[(String, String)],
    delay: Option<Duration>,
    status: u16,
) -> ResponseTemplate {
    let mut template = match answer {
        Answer::Default | Answer::Drop => ResponseTemplate::new(status),
        Answer::Reply {
            status,
            reply,
            retry_after,
        } => {
            let mut template = ResponseTemplate::new(status);
            if let Some(seconds) = retry_after {
                template = template.insert_header("retry-after", seconds.to_string().as_str());
            }
            match reply.content_type {
                Some(content_type) => template.set_body_raw(reply.body, content_type),
                None => template,
            }
        }
        Answer::Unencodable(problem) => ResponseTemplate::new(500).set_body_string(format!(
            "the mock could not encode the expected answer: {problem}"
        )),
    };
    for (name, value) in headers {
        template = template.append_header(name.as_str(), value.as_str());
    }
    match delay {
        Some(delay) => template.set_delay(delay),
        None => template,
    }
}

/// A call of `Op` the server received, decoded into the operation's types.
pub struct Received<Op: Operation> {
    /// Its path, query and header parameters.
    pub params: Op::Params,
    /// Its body (`()` when the operation has none).
    pub body: Op::Body,
}

impl<Op: Operation> Received<Op> {
    /// A call of `Op`, decoded.
    fn decode(request: &Request) -> Result<Self, String> {
        let raw = RawParams::of::<Op>(request)
            .ok_or_else(|| format!("the call is not `{} {:?}`", Op::METHOD, Op::PATH))?;
        Ok(Self {
            params: Op::params(&raw)?,
            body: Op::body(&request.body)?,
        })
    }
}

impl<Op: Operation> fmt::Debug for Received<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("params", &self.params)
            .field("body", &self.body)
            .finish()
    }
}

/// A received call that does not decode into its operation's types, or an
/// operation whose default answer the client cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MockError {
    message: String,
}

impl MockError {
    fn decode<Op: Operation>(problem: &str) -> Self {
        Self {
            message: format!("a call of {} received by the mock: {problem}", Op::ID),
        }
    }

    /// Operations whose default answer failed, with the client's error.
    #[doc(hidden)]
    pub fn defaults(failures: Vec<String>) -> Self {
        Self {
            message: format!(
                "the default answers of {} operation(s) fail through the client: {}",
                failures.len(),
                failures.join("; ")
            ),
        }
    }
}

/// A value of `T` from JSON made by the generator (the arguments of the
/// generated `MockServer::check_defaults`).
#[doc(hidden)]
pub fn minimal<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json)
        .map_err(|error| format!("the minimal value does not decode: {error}"))
}

/// Records the outcome of one operation's call in `failures`.
#[doc(hidden)]
pub fn outcome<T, E: fmt::Display>(failures: &mut Vec<String>, id: &str, result: Result<T, E>) {
    if let Err(error) = result {
        failures.push(format!("{id}: {error}"));
    }
}
