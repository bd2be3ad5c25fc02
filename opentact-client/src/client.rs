//! The client users hold: configuration, authentication, retries and tracing around the
//! generated code.

use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderValue, USER_AGENT};
use tracing::Instrument;

use crate::credentials::{Credentials, basic_header, token_header};
use crate::error::{Error, Result};
use crate::generated::client::Client as RawClient;
use crate::options::RequestOptions;
use crate::redirect::redirect_policy;
use crate::response_limit::{DEFAULT_MAX_RESPONSE_BYTES, limit_body};
use crate::retry::{self, RetryPolicy};

/// Which Opentact deployment to talk to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Server {
    /// Opentact's production deployment: the server `spec/opentact.yaml` describes as
    /// Production.
    Production,
    /// Opentact's stage deployment: the server the spec describes as Stage.
    Stage,
    /// Any base URL, e.g. a local mock (`http://127.0.0.1:4010`).
    Custom(String),
}

impl Server {
    /// The base URL requests are made against (for `Production` and `Stage`, the URL in the
    /// spec's `servers`).
    pub fn url(&self) -> &str {
        match self {
            Server::Production => crate::generated::servers::PRODUCTION,
            Server::Stage => crate::generated::servers::STAGE,
            Server::Custom(url) => url,
        }
    }
}

/// What the hooks need on every request; lives inside the generated client. Public only
/// because the raw client's signatures name it: it is not exported, so users cannot build one.
#[derive(Clone, Debug)]
pub struct ClientState {
    /// The token and the login; each operation gets the one its `security` names.
    credentials: Credentials,
    user_agent: HeaderValue,
    /// The retry policy, and the per-call settings of a view from `Client::with_options`
    /// (timeout, headers).
    options: RequestOptions,
    max_response_bytes: u64,
}

/// A client of the Opentact REST API.
///
/// One method per operation of the API; each returns the `payload` of the service's
/// `{success, payload}` envelope (the whole envelope when it has fields beside the payload,
/// `()` when the service answers without a body), or an [`Error`] that names the operation.
///
/// ```no_run
/// # async fn run() -> opentact_client::Result<()> {
/// let client = opentact_client::Client::new("my-api-token")?;
/// for app in client.list_sip_control_apps().await? {
///     println!("{:?} {:?}", app.uuid, app.name);
/// }
/// # Ok(())
/// # }
/// ```
///
/// The status and headers of a response are on the raw client's `ResponseValue`s:
/// `client.raw().list_sip_control_apps().send().await?.status()` (see [`raw`](crate::raw)).
/// The raw client shares this client's authentication, retries and tracing.
#[derive(Clone, Debug)]
pub struct Client {
    raw: RawClient,
}

impl Client {
    /// A client for production with default settings.
    pub fn new(token: impl Into<String>) -> Result<Self> {
        Client::builder().token(token).build()
    }

    /// A client configured from the environment: `OPENTACT_TOKEN` (required) and
    /// `OPENTACT_BASE_URL` (optional; production when unset).
    pub fn from_env() -> Result<Self> {
        let token = std::env::var("OPENTACT_TOKEN").map_err(|_| Error::Config("OPENTACT_TOKEN is not set".into()))?;
        let mut builder = Client::builder().token(token);
        if let Ok(url) = std::env::var("OPENTACT_BASE_URL") {
            builder = builder.server(Server::Custom(url));
        }
        builder.build()
    }

    /// Configure a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.raw.baseurl()
    }

    /// A view of this client whose calls use other settings: a timeout, a retry policy, extra
    /// headers (a request id, say). It shares the client's connection pool and configuration
    /// (no new HTTP client is built); `self` keeps its own settings.
    ///
    /// ```no_run
    /// # async fn run(client: &opentact_client::Client) -> opentact_client::Result<()> {
    /// use std::time::Duration;
    /// use opentact_client::RetryPolicy;
    ///
    /// let patient = client.with_options(|o| {
    ///     o.timeout(Duration::from_secs(120)).retry(RetryPolicy::none()).header("x-request-id", "nightly-42")
    /// });
    /// let apps = patient.list_sip_control_apps().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(&self, configure: impl FnOnce(RequestOptions) -> RequestOptions) -> Client {
        let state = self.raw.inner();
        let options = configure(state.options.clone());
        let state = ClientState { options, ..state.clone() };
        Client { raw: RawClient::new_with_client(self.raw.baseurl(), self.raw.client().clone(), state) }
    }

    /// Uses `token` as the API token from now on, in this client and every clone and view of
    /// it: after logging in with the credentials of [`ClientBuilder::login`], the token the
    /// service answered with. Refuses an empty token and one a header cannot carry.
    pub fn set_token(&self, token: &str) -> Result<()> {
        self.raw.inner().credentials.set_token(token_header(token)?);
        Ok(())
    }

    /// The generated progenitor client underneath, for the status and headers of responses
    /// (its calls return `ResponseValue`s). Convert its errors with
    /// [`Error::from_raw`].
    pub fn raw(&self) -> &RawClient {
        &self.raw
    }
}

/// Builder of a [`Client`]; see [`Client::builder`].
pub struct ClientBuilder {
    server: Server,
    token: Option<String>,
    /// The account's e-mail and password.
    login: Option<(String, String)>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    max_response_bytes: u64,
    http_client: Option<reqwest::Client>,
}

/// The token and the login are shown as `"<redacted>"` (or `None`): a builder logged with
/// `{:?}` does not leak them.
impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("login", &self.login.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("http_client", &self.http_client)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            server: Server::Production,
            token: None,
            login: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            http_client: None,
        }
    }
}

impl ClientBuilder {
    /// The deployment (default: production).
    pub fn server(mut self, server: Server) -> Self {
        self.server = server;
        self
    }

    /// The API token, sent as `X-Auth-Token` to the operations that take it (every one but
    /// `Auth`). A token, a [`login`](Self::login) or both are required.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Limit of one attempt, from connecting to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit of establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default: `opentact-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body the client reads, in bytes (default 32 MiB). A response
    /// announced or found to be larger ends the call with [`Error::ResponseTooLarge`] without
    /// reading the rest. Applies to clients given to [`http_client`](Self::http_client) too.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// A ready-made HTTP client (its own timeouts, proxies and TLS settings then apply;
    /// [`timeout`](Self::timeout) and [`connect_timeout`](Self::connect_timeout) are ignored).
    ///
    /// Build it with `.redirect(`[`redirect_policy()`](crate::redirect_policy)`)`: the
    /// client cannot change the redirect policy of a `reqwest::Client` it is given, and
    /// `reqwest`'s default follows redirects to any host, taking the `X-Auth-Token` header
    /// along. The body limit ([`max_response_bytes`](Self::max_response_bytes)) applies
    /// either way.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The account's e-mail and password, sent as HTTP Basic only to the operations that take
    /// them (`Auth`, which answers with a token: give it to [`Client::set_token`]). Never sent
    /// to any other operation, nor to another origin.
    pub fn login(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.login = Some((email.into(), password.into()));
        self
    }

    /// Builds the client; fails without a token or login, or on an unusable base URL.
    pub fn build(self) -> Result<Client> {
        if self.token.is_none() && self.login.is_none() {
            let message = "no credentials; call ClientBuilder::token (or ClientBuilder::login)";
            return Err(Error::Config(message.into()));
        }
        let token = self.token.as_deref().map(token_header).transpose()?;
        let login = self.login.as_ref().map(|(email, password)| basic_header(email, password)).transpose()?;
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config(format!("{:?} is not a valid User-Agent", self.user_agent)))?;

        let base = self.server.url().trim_end_matches('/').to_string();
        let url =
            reqwest::Url::parse(&base).map_err(|e| Error::Config(format!("{base:?} is not a valid base URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.query().is_some() {
            return Err(Error::Config(format!("{base:?} is not an http(s) base URL without a query")));
        }

        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .redirect(redirect_policy())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let state = ClientState {
            credentials: Credentials::new(token, login),
            user_agent,
            options: RequestOptions { retry: self.retry, ..RequestOptions::default() },
            max_response_bytes: self.max_response_bytes,
        };
        Ok(Client { raw: RawClient::new_with_client(&base, http, state) })
    }
}

impl ClientHooks<ClientState> for RawClient {
    /// Applies the per-call settings of a `Client::with_options` view, then puts on the request
    /// the credential its operation takes (and no other); without it, nothing is sent.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> std::result::Result<(), progenitor_client::Error<E>> {
        let options = &self.inner().options;
        if !options.invalid_headers.is_empty() {
            return Err(progenitor_client::Error::InvalidRequest(options.invalid_headers.join("; ")));
        }
        if let Some(timeout) = options.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        for (name, value) in &options.headers {
            request.headers_mut().insert(name, value.clone());
        }
        // After the extra headers, so that none of them can stand in for a credential.
        let credential = crate::generated::operations::credential(info.operation_id);
        self.inner()
            .credentials
            .apply(credential, request.headers_mut())
            .map_err(progenitor_client::Error::InvalidRequest)
    }

    /// Adds the user agent and opens the call's tracing span; the policy's retries
    /// are [`retry::send`]'s. Whoever reads the body of the response (progenitor, the error
    /// mapping) reads it through the limit.
    async fn exec(&self, mut request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let state = self.inner();
        let headers = request.headers_mut();
        headers.insert(USER_AGENT, state.user_agent.clone());
        // The fields are only evaluated when a subscriber wants the span.
        let span = tracing::info_span!(
            "opentact.request",
            operation_id = crate::generated::operations::operation_id(info.operation_id),
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        if span.is_disabled() {
            let (result, _) = retry::send(self.client(), request, &state.options.retry).await;
            return result.map(|response| limit_body(response, state.max_response_bytes));
        }
        let started = Instant::now();
        let (result, attempts) =
            retry::send(self.client(), request, &state.options.retry).instrument(span.clone()).await;
        if let Ok(response) = &result {
            span.record("status", response.status().as_u16());
        }
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        result.map(|response| limit_body(response, state.max_response_bytes))
    }
}
