//! Configuring and building a [`Client`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};

use super::api::{Api, ApiResult};
use super::client::Client;
use super::config::Inner;
use super::error::Error;
use super::headers::parse_header;
use super::input::quote_input;
use super::interceptor::Interceptor;
use super::redact::{Redactor, redact_url};
use super::request::Auth;
use super::retry::RetryPolicy;

/// Default per-attempt timeout.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default overall deadline of a call, across attempts and waits.
pub(crate) const DEFAULT_DEADLINE: Duration = Duration::from_secs(90);
/// Default largest response body accepted: 32 MiB.
///
/// The largest response of the API is a page of 100 business users with
/// their rule results. A business user with every optional part filled in
/// (directors and shareholders with documents, saved payment methods, tags,
/// risk details, a dozen hit rules) is about 60 KB of JSON, so a full page
/// is about 6 MB; 32 MiB leaves five times that.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;
/// Default connect timeout of the HTTP client the builder creates.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client a [`ClientBuilder`](crate::ClientBuilder) can build: the
/// runtime's [`Client`], or a generated client (async or blocking) that
/// wraps it.
pub trait BuildClient: Sized {
    /// The API the client talks to.
    type Api: Api;

    /// Wraps a configured runtime client.
    fn from_client(client: Client<Self::Api>) -> ApiResult<Self, Self::Api>;
}

impl<A: Api> BuildClient for Client<A> {
    type Api = A;

    fn from_client(client: Client<A>) -> ApiResult<Self, A> {
        Ok(client)
    }
}

/// An async client that has a blocking counterpart, built by
/// [`ClientBuilder::build_blocking`](crate::ClientBuilder::build_blocking).
#[cfg(feature = "blocking")]
pub trait HasBlocking: BuildClient {
    /// The blocking client.
    type Blocking: BuildClient<Api = Self::Api>;
}

/// Configures a client and builds it.
///
/// `C` is the client that [`build`](Self::build) makes: the runtime's
/// [`Client`], or a generated client that wraps it (async or blocking).
/// A generated crate names its own builder, `ClientBuilder`, as an alias of
/// this one for its client, and its `Client::builder()` returns one.
pub struct ClientBuilder<C> {
    api_key: Option<String>,
    target: Target,
    timeout: Duration,
    deadline: Duration,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: u64,
    user_agent_suffix: Option<String>,
    default_headers: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
    log_bodies: bool,
    interceptors: Vec<Arc<dyn Interceptor>>,
    client: PhantomData<fn() -> C>,
}

// By hand: a derive would ask for `C: Clone`.
impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            api_key: self.api_key.clone(),
            target: self.target.clone(),
            timeout: self.timeout,
            deadline: self.deadline,
            connect_timeout: self.connect_timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            user_agent_suffix: self.user_agent_suffix.clone(),
            default_headers: self.default_headers.clone(),
            http_client: self.http_client.clone(),
            log_bodies: self.log_bodies,
            interceptors: self.interceptors.clone(),
            client: PhantomData,
        }
    }
}

#[derive(Clone)]
enum Target {
    /// The default environment of the API.
    Default,
    /// A named environment: its name as `Debug` shows it, and its URL.
    Environment(String, &'static str),
    BaseUrl(String),
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Default => f.write_str("Default"),
            Target::Environment(name, _) => f.debug_tuple("Environment").field(name).finish(),
            Target::BaseUrl(url) => f.debug_tuple("BaseUrl").field(&redact_url(url)).finish(),
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            target: Target::Default,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            connect_timeout: None,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
            default_headers: Vec::new(),
            http_client: None,
            log_bodies: false,
            interceptors: Vec::new(),
            client: PhantomData,
        }
    }
}

impl<C: BuildClient> ClientBuilder<C> {
    /// A builder with every setting at its default and no API key.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with the API key from `{PREFIX}_API_KEY` (required) and
    /// the base URL from `{PREFIX}_BASE_URL` (optional; otherwise the
    /// default environment), where `PREFIX` is the API's
    /// [`ENV_VAR_PREFIX`](Api::ENV_VAR_PREFIX).
    pub fn from_env() -> ApiResult<Self, C::Api> {
        let prefix = <C::Api as Api>::ENV_VAR_PREFIX;
        let key_var = format!("{prefix}_API_KEY");
        let url_var = format!("{prefix}_BASE_URL");
        let api_key = match std::env::var(&key_var) {
            Ok(key) if !key.trim().is_empty() => key,
            Ok(_) => {
                return Err(Error::config(format!(
                    "environment variable {key_var} is empty"
                )));
            }
            Err(std::env::VarError::NotPresent) => {
                return Err(Error::config(format!(
                    "environment variable {key_var} is not set; set it to your API key"
                )));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::config(format!(
                    "environment variable {key_var} is not valid UTF-8"
                )));
            }
        };
        let mut builder = Self::new().api_key(api_key.trim());
        match std::env::var(&url_var) {
            Ok(url) if !url.trim().is_empty() => builder = builder.base_url(url.trim()),
            Ok(_) | Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::config(format!(
                    "environment variable {url_var} is not valid UTF-8"
                )));
            }
        }
        Ok(builder)
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> ApiResult<C, C::Api> {
        C::from_client(self.build_client()?)
    }

    /// Sends requests to `environment` (the default is
    /// `Environment::default()`). Replaces any earlier [`base_url`](Self::base_url).
    pub fn environment(mut self, environment: <C::Api as Api>::Environment) -> Self {
        self.target = Target::Environment(
            format!("{environment:?}"),
            <C::Api as Api>::base_url(environment),
        );
        self
    }

    /// Builds the blocking counterpart of `C` with these settings (needs
    /// the `blocking` feature).
    #[cfg(feature = "blocking")]
    pub fn build_blocking(self) -> ApiResult<C::Blocking, C::Api>
    where
        C: HasBlocking,
    {
        C::Blocking::from_client(self.build_client()?)
    }
}

impl<C> ClientBuilder<C> {
    /// The same settings, for building a client of type `D`.
    pub fn for_client<D>(self) -> ClientBuilder<D> {
        ClientBuilder {
            api_key: self.api_key,
            target: self.target,
            timeout: self.timeout,
            deadline: self.deadline,
            connect_timeout: self.connect_timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            user_agent_suffix: self.user_agent_suffix,
            default_headers: self.default_headers,
            http_client: self.http_client,
            log_bodies: self.log_bodies,
            interceptors: self.interceptors,
            client: PhantomData,
        }
    }

    /// Sets the API key. Surrounding whitespace (a newline pasted along
    /// with it) is removed.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Sends requests to `url` instead of a named environment, for example a
    /// proxy or a mock server. It must be an `http` or `https` URL without
    /// query or fragment; a trailing slash is ignored. Checked by
    /// [`build`](Self::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.target = Target::BaseUrl(url.into());
        self
    }

    /// Sets the timeout of each attempt, covering connecting, sending the
    /// request and reading the whole response (default 60 s). Attempts of
    /// idempotent requests that time out are retried; the
    /// [`deadline`](Self::deadline) bounds the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the overall deadline of each call (default 90 s): every attempt
    /// and every wait between attempts must fit in it, so a call never takes
    /// longer, whatever the server does. An attempt still running at the
    /// deadline is cut short, and no retry starts that the deadline would
    /// cut.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the largest response body accepted, in bytes (default 32 MiB,
    /// five times the largest page the API sends). Larger bodies, whatever
    /// their status, fail with [`Error::ResponseTooLarge`] without being
    /// read past the limit, so a misbehaving server cannot exhaust memory.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the time allowed for opening a connection (default 10 s). Only
    /// for the HTTP client the builder creates, not one passed to
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets the number of retries after the first attempt (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Sets the backoff before the first retry (default 500 ms).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry.base_delay = delay;
        self
    }

    /// Sets the longest backoff between retries (default 8 s).
    pub fn retry_max_delay(mut self, delay: Duration) -> Self {
        self.retry.max_delay = delay;
        self
    }

    /// Sets the longest wait the server may ask for with `Retry-After` and
    /// similar headers (default 60 s); when it asks for more, the error is
    /// returned without retrying.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.retry.max_retry_after = wait;
        self
    }

    /// Allows retrying requests that are not idempotent (`POST`, `PATCH`)
    /// after failures that may have come after the API processed them
    /// (default `false`); see [`RetryPolicy`] for what that risks.
    pub fn retry_non_idempotent(mut self, allowed: bool) -> Self {
        self.retry.retry_non_idempotent = allowed;
        self
    }

    /// Replaces the whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Appends ` suffix` to the `user-agent` header, for example
    /// `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Adds a header sent with every request. Checked by
    /// [`build`](Self::build); cannot replace the authentication header.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Adds several headers sent with every request.
    pub fn default_headers<K, V>(mut self, headers: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.default_headers
            .extend(headers.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Uses `client` for HTTP instead of creating one, to share its
    /// connection pool, proxy and TLS settings. Its own timeout, if any, also
    /// applies.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: the
    /// client this builder creates follows no redirects, since following one
    /// would send the API key (and a request body) to wherever the server
    /// points. A call answered from another URL because `client` followed a
    /// redirect fails with [`Error::Config`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Logs request and response bodies (cut to 4 KiB) at `debug` level in
    /// the request's tracing span. Off by default, since bodies hold
    /// personal data. Headers are never logged.
    pub fn log_bodies(mut self, enabled: bool) -> Self {
        self.log_bodies = enabled;
        self
    }

    /// Adds an interceptor, called around every attempt of every call
    /// after those added before it; see [`Interceptor`].
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Checks the settings and builds the runtime's client, whichever client
    /// `C` is.
    fn build_client<A: Api>(self) -> ApiResult<Client<A>, A> {
        if self.timeout.is_zero() {
            return Err(Error::config("the timeout must be greater than zero"));
        }
        if self.deadline.is_zero() {
            return Err(Error::config("the deadline must be greater than zero"));
        }
        let base_url = match &self.target {
            Target::Default => validate_base_url(A::base_url(A::Environment::default()))?,
            Target::Environment(_, url) => validate_base_url(url)?,
            Target::BaseUrl(url) => validate_base_url(url)?,
        };
        let api_key = self.api_key.as_deref().map(str::trim);
        let auth = auth_header(A::AUTH, api_key)?;

        let mut default_headers = HeaderMap::new();
        default_headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => format!("{} {suffix}", A::USER_AGENT),
            None => A::USER_AGENT.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::config("the user-agent suffix contains characters not allowed in a header")
        })?;
        default_headers.insert(USER_AGENT, user_agent);
        for (name, value) in &self.default_headers {
            let (name, value) = parse_header(A::AUTH, name, value, "default header")?;
            default_headers.insert(name, value);
        }

        let http = match self.http_client {
            Some(_) if self.connect_timeout.is_some() => {
                return Err(Error::config(
                    "connect_timeout cannot be applied to a caller-supplied http_client; \
                     set it on that client instead",
                ));
            }
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|err| {
                    Error::config(format!("the HTTP client could not be built: {err}"))
                })?,
        };

        if let Some((name, value)) = &auth {
            default_headers.insert(name.clone(), value.clone());
        }
        let mut json_headers = default_headers.clone();
        json_headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(Client::from_inner(Inner {
            http,
            base_url: redact_url(&base_url).into_owned(),
            full_base_url: base_url,
            auth,
            scheme: A::AUTH,
            redactor: Redactor::new(api_key),
            headers: default_headers,
            json_headers,
            timeout: self.timeout,
            deadline: self.deadline,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            log_bodies: self.log_bodies,
            interceptors: self.interceptors,
        }))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("target", &self.target)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("http_client", &self.http_client.is_some())
            .field("log_bodies", &self.log_bodies)
            .field("interceptors", &self.interceptors.len())
            .finish()
    }
}

/// Checks a base URL and returns it without trailing slashes.
fn validate_base_url<B>(url: &str) -> Result<String, Error<B>> {
    let bad = |why: &str| {
        let shown = redact_url(url);
        Error::config(format!("the base URL `{}` {why}", quote_input(&shown)))
    };
    let parsed =
        Url::parse(url.trim()).map_err(|err| bad(&format!("is not a valid URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if parsed.cannot_be_a_base() || parsed.host_str().is_none() {
        return Err(bad("has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// The authentication header for `api_key`, marked sensitive.
fn auth_header<B>(
    auth: Auth,
    api_key: Option<&str>,
) -> Result<Option<(HeaderName, HeaderValue)>, Error<B>> {
    if auth == Auth::None {
        return Ok(None);
    }
    let key = api_key.ok_or_else(|| {
        Error::config("no API key: call .api_key(..) on the builder, or use Client::from_env()")
    })?;
    if key.trim().is_empty() {
        return Err(Error::config("the API key is empty"));
    }
    let invalid = || Error::config("the API key contains characters not allowed in an HTTP header");
    let (name, value) = match auth {
        Auth::Header { name } => (
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::config(format!("`{name}` is not a valid header name")))?,
            HeaderValue::from_str(key).map_err(|_| invalid())?,
        ),
        Auth::Bearer => (
            AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| invalid())?,
        ),
        Auth::Basic => {
            use base64::Engine as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(key);
            (
                AUTHORIZATION,
                HeaderValue::from_str(&format!("Basic {encoded}")).map_err(|_| invalid())?,
            )
        }
        Auth::None => return Ok(None),
    };
    let mut value = value;
    value.set_sensitive(true);
    Ok(Some((name, value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testing::{TestApi, TestClient};

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            validate_base_url::<()>("https://a.example/").unwrap(),
            "https://a.example"
        );
        assert_eq!(
            validate_base_url::<()>("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            validate_base_url::<()>("https://proxy.example/api//").unwrap(),
            "https://proxy.example/api"
        );
        for bad in [
            "",
            "not a url",
            "ftp://a.example",
            "https://a.example/?x=1",
            "mailto:x@y",
        ] {
            let err = validate_base_url::<()>(bad).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn user_agent_is_the_apis() {
        let client = ClientBuilder::<TestClient>::new()
            .api_key("k")
            .build()
            .unwrap();
        let agent = client.inner.headers.get(USER_AGENT).unwrap();
        assert_eq!(agent, <TestApi as Api>::USER_AGENT);
    }

    #[test]
    fn bad_keys_and_headers_fail_without_echoing_the_key() {
        let err = ClientBuilder::<TestClient>::new()
            .api_key("sk-very\nsecret")
            .build()
            .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("secret"), "{err:?}");
        let err = ClientBuilder::<TestClient>::new().build().unwrap_err();
        assert!(err.to_string().contains("API key"), "{err}");
        let err = ClientBuilder::<TestClient>::new()
            .api_key("k")
            .default_header("bad header", "v")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("bad header"), "{err}");
        let err = ClientBuilder::<TestClient>::new()
            .api_key("k")
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        let err = ClientBuilder::<TestClient>::new()
            .api_key("k")
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }
}
