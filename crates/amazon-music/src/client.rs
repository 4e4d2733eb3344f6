//! The client, its builder, and the one function every call goes through.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use amazon_music_api::{self as api, Credentials, ResponseValue, types};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::{TokenProvider, TokenSource};
use crate::base_url::{DEFAULT_BASE_URL, is_loopback};
use crate::error::{ApiError, ErrorCode, excerpt};
use crate::transport::{OUTCOME, Outcome, RetryingTransport};
use crate::{Error, Result, RetryPolicy};

/// How many batch requests of [`Client::get_albums`] run at once unless configured.
const DEFAULT_CONCURRENCY: usize = 4;

/// The Amazon Music client. Cheap to clone (clones share connections, token and settings),
/// `Send` and `Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: api::Client,
    tokens: TokenSource,
    base_url: String,
    concurrency: usize,
    #[cfg(feature = "record")]
    recorder: Option<Arc<crate::record::Recorder>>,
    #[cfg(feature = "drift-check")]
    drift: Option<Arc<crate::drift::DriftWatcher>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `AMAZON_MUSIC_BASE_URL` (optional),
    /// `AMAZON_MUSIC_API_KEY`, and a token, taken from `AMAZON_MUSIC_TOKEN` when set, or
    /// else (with the `lwa` feature) from the sign-in stored for `AMAZON_MUSIC_CLIENT_ID` and
    /// `AMAZON_MUSIC_USER` (default `default`) by a device or browser sign-in, refreshed
    /// through `AMAZON_MUSIC_LWA_URL` (Amazon's by default); a stored sign-in made with another
    /// Login with Amazon host or for another API than these name is refused (see
    /// [`LwaTokenProvider`](crate::auth::LwaTokenProvider)). `AMAZON_MUSIC_RECORD=dir`
    /// records every exchange there (see `ClientBuilder::record_to`, feature `record`).
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`Client::from_env`] over any source of variables; an empty value counts as unset.
    /// A stored sign-in's own settings are still read from the process environment, by
    /// `LwaTokenProvider::from_env`.
    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let mut builder = Client::builder();
        if let Some(dir) = var("AMAZON_MUSIC_RECORD") {
            #[cfg(feature = "record")]
            {
                builder = builder.record_to(dir);
            }
            #[cfg(not(feature = "record"))]
            return Err(Error::Config(format!(
                "AMAZON_MUSIC_RECORD={dir} asks for recording, which this build of amazon-music \
                 leaves out (feature `record`)"
            )));
        }
        if let Some(url) = var("AMAZON_MUSIC_BASE_URL") {
            builder = builder.base_url(url);
        }
        let key = var("AMAZON_MUSIC_API_KEY")
            .ok_or_else(|| Error::Config("AMAZON_MUSIC_API_KEY is not set".into()))?;
        builder = builder.api_key(key);
        if let Some(token) = var("AMAZON_MUSIC_TOKEN") {
            return builder.token(token).build();
        }
        #[cfg(feature = "lwa")]
        if var("AMAZON_MUSIC_CLIENT_ID").is_some() {
            let user = var("AMAZON_MUSIC_USER").unwrap_or_else(|| "default".to_owned());
            return builder
                .token_provider(crate::auth::LwaTokenProvider::from_env(&user)?)
                .build();
        }
        Err(Error::Config(
            "neither AMAZON_MUSIC_TOKEN nor AMAZON_MUSIC_CLIENT_ID (for a stored sign-in) is set"
                .into(),
        ))
    }

    /// The generated client underneath, for any operation this crate has no helper for. Its
    /// requests go through the same retries; the token is refreshed only by this crate's calls.
    pub fn api(&self) -> &api::Client {
        &self.inner.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// What the recorder has written, dropped, skipped and failed to write so far; `None` when
    /// the client does not record.
    #[cfg(feature = "record")]
    pub fn recording_stats(&self) -> Option<crate::record::RecordingStats> {
        self.inner.recorder.as_ref().map(|r| r.stats())
    }

    /// Blocks the calling thread until every exchange recorded so far is on disk (or given up
    /// on): for tests and for an application about to exit. Does nothing when the client does
    /// not record.
    #[cfg(feature = "record")]
    pub fn flush_recording(&self) {
        if let Some(recorder) = &self.inner.recorder {
            recorder.flush();
        }
    }

    /// What the drift check has seen so far: responses checked, drift findings, and every
    /// distinct kind of drift (operation, kind, pointer into the spec), each of which was
    /// logged once with target `amazon_music::drift` (feature `drift-check`; see
    /// [`crate::drift`]). All zero and empty when the client does not check
    /// ([`ClientBuilder::check_drift`]).
    #[cfg(feature = "drift-check")]
    pub fn drift_stats(&self) -> crate::drift::DriftStats {
        self.inner
            .drift
            .as_ref()
            .map(|d| d.stats())
            .unwrap_or_default()
    }

    pub(crate) fn concurrency(&self) -> usize {
        self.inner.concurrency
    }

    /// Runs one generated operation: a fresh token first, then the request (retried inside the
    /// transport), then the response or a typed error.
    pub(crate) async fn call<'a, T, F, Fut>(
        &'a self,
        operation: &'static str,
        request: F,
    ) -> Result<T>
    where
        T: DeserializeOwned,
        F: FnOnce(&'a api::Client) -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, api::Error<types::ErrorResponse>>>
            + 'a,
    {
        self.inner.tokens.ensure_fresh().await?;
        let span = tracing::info_span!(
            "amazon_music.request",
            operation,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // Without a subscriber that wants the span, its fields are not worth a clock read.
        let started = (!span.is_disabled()).then(Instant::now);
        let api = &self.inner.api;
        // The generated future is made inside the scope, where it is awaited: made outside, its
        // couple of kilobytes would be copied into each wrapper in turn.
        let scoped = OUTCOME.scope(Default::default(), async move {
            let result = request(api).await;
            (result, OUTCOME.with(|outcome| outcome.take()))
        });
        let (result, outcome) = match started {
            Some(_) => scoped.instrument(span.clone()).await,
            None => scoped.await,
        };
        if let Some(started) = started {
            if let Some(status) = outcome.status {
                span.record("status", status.as_u16());
            }
            span.record("attempts", outcome.attempts);
            span.record("latency_ms", started.elapsed().as_millis() as u64);
        }
        if let Some(error) = outcome.token_error {
            return Err(error.into());
        }
        match result {
            Ok(value) => Ok(value.into_inner()),
            Err(error) => Err(convert(operation, error, &outcome).await),
        }
    }
}

// Not generic over the answer's type: one copy for every operation.
async fn convert(
    operation: &'static str,
    error: api::Error<types::ErrorResponse>,
    outcome: &Outcome,
) -> Error {
    match error {
        api::Error::ErrorResponse(response) => {
            let status = response.status();
            api_error(operation, status, response.into_inner())
        }
        api::Error::InvalidResponsePayload(body, source) => match outcome.status {
            Some(status) if !status.is_success() => Error::UnexpectedResponse {
                operation,
                status,
                content_type: outcome
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "none".into()),
                excerpt: excerpt(&body),
            },
            _ => decode_error(operation, &body, &source),
        },
        api::Error::UnexpectedResponse(response) => {
            let status = response.status();
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned();
            let body = match response.bytes().await {
                Ok(body) => body,
                Err(error) => match api::ResponseTooLarge::find(&error) {
                    Some(too_large) => {
                        return Error::ResponseTooLarge {
                            operation,
                            limit: too_large.limit(),
                        };
                    }
                    None => Default::default(),
                },
            };
            // A status the spec lists no body for (a 502 from the API's own gateway, say) may
            // still carry the API's error object: its code is what the caller matches on.
            if let Ok(error) = serde_json::from_slice::<types::ErrorResponse>(&body) {
                return api_error(operation, status, error);
            }
            Error::UnexpectedResponse {
                operation,
                status,
                content_type,
                excerpt: excerpt(&body),
            }
        }
        api::Error::CommunicationError(source)
        | api::Error::ResponseBodyError(source)
        | api::Error::InvalidUpgrade(source) => {
            if let Some(too_large) = api::ResponseTooLarge::find(&source) {
                Error::ResponseTooLarge {
                    operation,
                    limit: too_large.limit(),
                }
            } else if source.is_timeout() {
                Error::Timeout { operation }
            } else {
                Error::Transport { operation, source }
            }
        }
        api::Error::InvalidRequest(message) => Error::Validation {
            what: "request",
            message,
        },
        api::Error::Custom(message) => Error::Config(message),
    }
}

fn api_error(
    operation: &'static str,
    status: reqwest::StatusCode,
    response: types::ErrorResponse,
) -> Error {
    let error = response.error;
    Error::Api(ApiError {
        operation,
        status,
        code: ErrorCode::from(error.code.as_str()),
        message: error.message,
        reference: error.reference,
        url: error.url,
    })
}

/// Says where the body departs from the spec: the JSON path at which decoding stopped.
fn decode_error(operation: &'static str, body: &[u8], source: &serde_json::Error) -> Error {
    Error::Decode {
        operation,
        path: crate::json_path::of_error(body, source),
        message: source.to_string(),
        excerpt: excerpt(body),
    }
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
/// let client = amazon_music::Client::builder()
///     .api_key("security-profile-id")
///     .token("access-token")
///     .timeout(Duration::from_secs(10))
///     .retry_policy(amazon_music::RetryPolicy::default().max_attempts(3))
///     .build()?;
/// assert_eq!(client.base_url(), amazon_music::DEFAULT_BASE_URL);
/// # Ok::<(), amazon_music::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    api_key: Option<String>,
    token: Option<String>,
    provider: Option<Arc<dyn TokenProvider>>,
    user_agent: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    concurrency: usize,
    allow_insecure_http: bool,
    max_response_bytes: usize,
    #[cfg(feature = "record")]
    record: Option<crate::record::Recording>,
    #[cfg(feature = "drift-check")]
    check_drift: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: None,
            token: None,
            provider: None,
            user_agent: concat!("amazon-music-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            concurrency: DEFAULT_CONCURRENCY,
            allow_insecure_http: false,
            max_response_bytes: api::DEFAULT_MAX_RESPONSE_BYTES,
            #[cfg(feature = "record")]
            record: None,
            #[cfg(feature = "drift-check")]
            check_drift: true,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("provider", &self.provider.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Where the API is (default [`DEFAULT_BASE_URL`]); include the `/v1` prefix.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The security profile id, sent as `x-api-key`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// A fixed bearer token (no refresh: use [`ClientBuilder::token_provider`] for that).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// A source of fresh tokens, refreshed ahead of expiry and on `401 INVALID_ACCESS_TOKEN`.
    ///
    /// A provider whose tokens are for one API ([`TokenProvider::api_origin`], such as an
    /// [`LwaTokenProvider`](crate::auth::LwaTokenProvider)) must be for this client's base
    /// URL's origin: [`build`](Self::build) refuses any other.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// The longest one attempt may take, connecting and reading the body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// When failed requests are sent again; see [`crate::retry`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How many requests of one batched lookup run at once (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Allows a plain-`http` base URL on a host other than loopback. Credentials then cross the
    /// network unencrypted: only for a test host you control.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The longest response body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::api::DEFAULT_MAX_RESPONSE_BYTES), 16 MiB). A longer
    /// body ends the call in [`Error::ResponseTooLarge`], and a `Content-Length` above the
    /// limit is refused before the body is read, so an answer of any size cannot make the
    /// client hold it. It bounds every read: the call's own, the retry and token-refresh
    /// logic's look at an error body, the recorder's and the drift check's.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Records every exchange into `dir`, one file each, credentials removed, with the default
    /// limits of [`Recording::new`](crate::Recording::new) (feature `record`).
    #[cfg(feature = "record")]
    pub fn record_to(self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.record(crate::record::Recording::new(dir))
    }

    /// Records every exchange as `recording` says (feature `record`).
    #[cfg(feature = "record")]
    pub fn record(mut self, recording: crate::record::Recording) -> Self {
        self.record = Some(recording);
        self
    }

    /// Whether to check every response against the spec and report drift (feature
    /// `drift-check`; on by default when the feature is): see [`crate::drift`] and
    /// [`Client::drift_stats`].
    #[cfg(feature = "drift-check")]
    pub fn check_drift(mut self, check: bool) -> Self {
        self.check_drift = check;
        self
    }

    /// Builds the client, refusing a configuration that cannot work.
    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base_url).map_err(|e| {
            Error::Config(format!(
                "base URL {:?}: {e}",
                unparsed_without_userinfo(&base_url)
            ))
        })?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(Error::InsecureBaseUrl {
                    base_url: without_userinfo(&url, &base_url),
                });
            }
            other => {
                return Err(Error::Config(format!(
                    "base URL scheme {other:?} is not http(s)"
                )));
            }
        }
        let api_key = self
            .api_key
            .filter(|k| !k.is_empty())
            .ok_or_else(|| Error::Config("no API key: call ClientBuilder::api_key".into()))?;
        let credentials = Credentials::default().with_max_response_bytes(self.max_response_bytes);
        credentials
            .try_set_api_key(&api_key)
            .map_err(|e| Error::Config(e.to_string()))?;
        if let Some(serves) = self.provider.as_ref().and_then(|p| p.api_origin()) {
            let calls = url.origin().ascii_serialization();
            if serves != calls {
                return Err(Error::Config(format!(
                    "the token provider's sign-in is for the API at {serves}, and this client \
                     calls {calls}: its tokens go to no other host (sign in for {calls}, or allow \
                     other hosts on the provider)"
                )));
            }
        }
        let tokens = match (self.provider, self.token) {
            (Some(provider), _) => TokenSource::provided(credentials.clone(), provider),
            (None, Some(token)) if !token.is_empty() => {
                TokenSource::fixed(credentials.clone(), &token)?
            }
            _ => {
                return Err(Error::Config(
                    "no access token: call ClientBuilder::token or ClientBuilder::token_provider"
                        .into(),
                ));
            }
        };
        #[cfg(feature = "record")]
        let recorder = match self.record {
            Some(recording) => Some(Arc::new(
                crate::record::Recorder::start(recording)
                    .map_err(|e| Error::Config(format!("starting the recorder: {e}")))?,
            )),
            None => None,
        };
        #[cfg(feature = "drift-check")]
        let drift = self
            .check_drift
            .then(|| Arc::new(crate::drift::DriftWatcher::default()));
        let credentials = credentials.with_transport(Arc::new(RetryingTransport {
            policy: self.retry,
            tokens: tokens.clone(),
            max_response_bytes: self.max_response_bytes,
            #[cfg(any(feature = "record", feature = "drift-check"))]
            observers: crate::observe::Observers::new(
                #[cfg(feature = "record")]
                recorder.clone(),
                #[cfg(feature = "drift-check")]
                drift.clone(),
            ),
        }));
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // The API key and token must never be sent to another origin.
            .redirect(api::same_origin_redirects())
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let api = api::Client::new_with_client(&base_url, http, credentials);
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                tokens,
                base_url,
                concurrency: self.concurrency,
                #[cfg(feature = "record")]
                recorder,
                #[cfg(feature = "drift-check")]
                drift,
            }),
        })
    }
}

/// `given`, the base URL as configured, to name in an error: as given, unless it carries a user
/// name or password, which may be secrets; then `url`, its parsed form, without them.
fn without_userinfo(url: &reqwest::Url, given: &str) -> String {
    if url.username().is_empty() && url.password().is_none() {
        return given.to_owned();
    }
    let mut shown = url.clone();
    // Cannot fail: a URL with a user name or password has a host.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.as_str().trim_end_matches('/').to_owned()
}

/// `given`, a base URL that did not parse, to name in an error: whatever sits between `://` and
/// the last `@` of the authority (a user name and password, maybe secrets) replaced by `…`.
fn unparsed_without_userinfo(given: &str) -> String {
    let Some(start) = given.find("://").map(|i| i + 3) else {
        return given.to_owned();
    };
    let rest = &given[start..];
    let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
    match authority.rfind('@') {
        Some(at) => format!("{}…{}", &given[..start], &rest[at..]),
        None => given.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_base_url_that_does_not_parse_is_named_without_its_userinfo() {
        for (given, shown) in [
            (
                "https://user:s3cret@exa mple.com/v1",
                "https://…@exa mple.com/v1",
            ),
            ("https://s3cret@@[::1/v1?x=@y", "https://…@[::1/v1?x=@y"),
            ("https://exa mple.com/a@b", "https://exa mple.com/a@b"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(super::unparsed_without_userinfo(given), shown, "{given}");
        }
        let error = super::Client::builder()
            .base_url("https://user:s3cret@exa mple.com/v1")
            .api_key("k")
            .token("t")
            .build()
            .unwrap_err()
            .to_string();
        assert!(!error.contains("s3cret"), "{error}");
        assert!(error.contains("exa mple.com"), "{error}");
    }

    use super::*;

    fn from_vars(vars: &[(&str, &str)]) -> Result<Client> {
        Client::from_vars(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_environment_configures_a_client_and_empty_values_count_as_unset() {
        let client = from_vars(&[
            ("AMAZON_MUSIC_BASE_URL", "http://127.0.0.1:9/v1"),
            ("AMAZON_MUSIC_API_KEY", "k"),
            ("AMAZON_MUSIC_TOKEN", "t"),
        ])
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");

        let default_url = from_vars(&[
            ("AMAZON_MUSIC_BASE_URL", ""),
            ("AMAZON_MUSIC_API_KEY", "k"),
            ("AMAZON_MUSIC_TOKEN", "t"),
            ("AMAZON_MUSIC_RECORD", ""),
        ])
        .unwrap();
        assert_eq!(default_url.base_url(), crate::DEFAULT_BASE_URL);
        #[cfg(feature = "record")]
        assert!(default_url.recording_stats().is_none());

        let no_key = from_vars(&[("AMAZON_MUSIC_API_KEY", ""), ("AMAZON_MUSIC_TOKEN", "t")]);
        assert!(
            matches!(&no_key, Err(Error::Config(m)) if m == "AMAZON_MUSIC_API_KEY is not set"),
            "{no_key:?}"
        );
        let no_token = from_vars(&[
            ("AMAZON_MUSIC_API_KEY", "k"),
            ("AMAZON_MUSIC_TOKEN", ""),
            ("AMAZON_MUSIC_CLIENT_ID", ""),
        ]);
        assert!(
            matches!(&no_token, Err(Error::Config(m)) if m.starts_with("neither AMAZON_MUSIC_TOKEN")),
            "{no_token:?}"
        );
    }

    /// An empty token is no token: refused when the client is built, not at the first call.
    #[test]
    fn an_empty_token_is_refused_at_build() {
        let built = Client::builder().api_key("k").token("").build();
        assert!(
            matches!(&built, Err(Error::Config(m)) if m.starts_with("no access token")),
            "{built:?}"
        );
    }

    /// A builder's `Debug` shows its settings, and only whether credentials are set.
    #[test]
    fn a_builders_debug_shows_settings_and_redacts_credentials() {
        let shown = format!(
            "{:?}",
            Client::builder()
                .base_url("http://127.0.0.1:9/v1")
                .api_key("key-SECRET-1")
                .token("token-SECRET-2")
        );
        assert!(
            shown.starts_with(
                "ClientBuilder { base_url: \"http://127.0.0.1:9/v1\", api_key: Some(\"<redacted>\"), \
                 token: Some(\"<redacted>\"), provider: false, timeout: "
            ),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    /// Each setter changes its own setting and keeps the others.
    #[test]
    fn setters_keep_the_settings_made_before_them() {
        let shown = format!(
            "{:?}",
            Client::builder()
                .base_url("http://127.0.0.1:9/v1")
                .timeout(Duration::from_secs(7))
                .connect_timeout(Duration::from_secs(3))
                .concurrency(0)
        );
        assert!(
            shown.starts_with(
                "ClientBuilder { base_url: \"http://127.0.0.1:9/v1\", api_key: None, token: None, \
                 provider: false, timeout: 7s, connect_timeout: 3s, concurrency: 1, retry: "
            ),
            "{shown}"
        );
    }

    /// `Debug` shows where the client points and whether its token refreshes, never a
    /// credential (`tests/secrets.rs` checks the credentials across every type).
    #[test]
    fn debug_shows_the_base_url_and_the_token_source() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9/v1")
            .api_key("key-SECRET-1")
            .token("token-SECRET-2")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        for secret in ["key-SECRET-1", "token-SECRET-2"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        for useful in [r#"base_url: "http://127.0.0.1:9/v1""#, "refreshable: false"] {
            assert!(shown.contains(useful), "{useful} missing from {shown}");
        }
    }
}
