//! Signing in with Login with Amazon (LWA): the device flow, the browser flow and refresh.
//!
//! The standard parts (the authorization URL with PKCE, the code exchange, refresh, the error
//! object) go through the `oauth2` crate. LWA's device flow is not standard (its code-pair
//! request and its `grant_type=device_code` poll with the `user_code` predate RFC 8628's final
//! form), so that part is written here, by hand, and parsed into the same token types.
//!
//! ```no_run
//! use amazon_music::auth::lwa::{Lwa, LwaConfig};
//! use amazon_music::auth::scopes_for;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let lwa = Lwa::new(LwaConfig::from_env()?)?;
//! let scopes = scopes_for(&["getAlbum", "getLibraryAlbums"])?;
//! let pending = lwa.start_device_flow(&scopes).await?;
//! println!("Open {} and enter {}", pending.verification_uri(), pending.user_code());
//! let tokens = lwa.poll_device_flow(&pending, std::future::pending()).await?;
//! println!("signed in until {:?}", tokens.expires_at());
//! # Ok(())
//! # }
//! ```

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, EndpointNotSet, EndpointSet,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, TokenUrl,
};
use serde::Deserialize;
use url::Url;

use super::hosts::{HostMismatch, SignInHosts};
use super::scope::Scope;
use super::store::StoreError;
use super::token_set::LONGEST_LIFETIME;
pub use super::token_set::TokenSet;

/// Login with Amazon's token and code-pair host.
pub const PRODUCTION_API_URL: &str = "https://api.amazon.com";
/// Login with Amazon's consent page host (the browser flow).
pub const PRODUCTION_CONSENT_URL: &str = "https://www.amazon.com";

/// How many seconds a `slow_down` answer adds to the polling interval (RFC 8628, 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// The polling interval when the code pair names none (RFC 8628's default).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// LWA's answers are a few hundred bytes (tokens at most 2 KiB each); more is not LWA.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// How long one request to LWA may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Everything that can go wrong while signing in or refreshing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LwaError {
    /// The sign-in is misconfigured (no client id, an insecure URL, ...).
    #[error("Login with Amazon configuration: {0}")]
    Config(String),
    /// The refresh token (or authorization code) was refused: revoked, expired or already
    /// used. Only a new sign-in helps.
    #[error("Login with Amazon refused the grant ({description}): sign in again")]
    SignInAgain {
        /// What LWA said.
        description: String,
    },
    /// The device code expired before the person entered the user code.
    #[error("the code expired before it was entered: start the sign-in again")]
    DeviceCodeExpired,
    /// The person declined the sign-in.
    #[error("the sign-in was declined ({description})")]
    Denied {
        /// What LWA said.
        description: String,
    },
    /// The caller cancelled the sign-in.
    #[error("the sign-in was cancelled")]
    Cancelled,
    /// The browser came back with a `state` this sign-in did not send: the answer may come
    /// from another site, so it is refused.
    ///
    /// The browser flow no longer ends with this error: a request with another `state` is
    /// ignored (anyone on the machine could send one), and the flow keeps waiting for its own
    /// until [`LwaError::BrowserTimeout`].
    #[error(
        "the browser's answer carried a state this sign-in did not send; refused (it may come from another site)"
    )]
    StateMismatch,
    /// The browser did not come back with this sign-in's redirect in time.
    #[error(
        "the browser did not come back within {} s ({ignored} other requests to the sign-in listener were ignored): start the sign-in again",
        .waited.as_secs()
    )]
    BrowserTimeout {
        /// How long the listener waited.
        waited: Duration,
        /// How many requests it answered and ignored meanwhile (another `state` or none,
        /// another path, not HTTP): more than zero may mean a redirect URI registered for
        /// another port or path, or an old tab.
        ignored: usize,
    },
    /// LWA answered with an error this crate has no variant for.
    #[error("Login with Amazon answered {code}: {description}")]
    Lwa {
        /// The error code, as LWA spells it.
        code: LwaErrorCode,
        /// What LWA said (may be empty).
        description: String,
    },
    /// LWA could not be reached, or the connection broke.
    #[error("Login with Amazon could not be reached: {0}")]
    Transport(String),
    /// LWA answered something it does not document.
    #[error("Login with Amazon answered something unexpected: {0}")]
    Response(String),
    /// The loopback listener of the browser flow failed.
    #[error("the sign-in redirect listener: {0}")]
    Listener(String),
    /// The token store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The sign-in was made with another Login with Amazon service, or for another API, than
    /// this client's: nothing was sent.
    #[error(transparent)]
    WrongHosts(#[from] HostMismatch),
}

macro_rules! lwa_codes {
    ($($variant:ident => $code:literal;)*) => {
        /// The error codes of LWA's token endpoint, with a fallback that keeps an unknown one.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum LwaErrorCode {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
            /// A code this version does not know, as LWA spelled it.
            Other(String),
        }

        impl LwaErrorCode {
            /// The code as LWA spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(LwaErrorCode::$variant => $code,)*
                    LwaErrorCode::Other(code) => code,
                }
            }
        }

        impl From<&str> for LwaErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $($code => LwaErrorCode::$variant,)*
                    other => LwaErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

lwa_codes! {
    InvalidRequest => "invalid_request";
    InvalidClient => "invalid_client";
    InvalidGrant => "invalid_grant";
    UnauthorizedClient => "unauthorized_client";
    UnsupportedGrantType => "unsupported_grant_type";
    InvalidScope => "invalid_scope";
    ServerError => "server_error";
    TemporarilyUnavailable => "temporarily_unavailable";
    AuthorizationPending => "authorization_pending";
    SlowDown => "slow_down";
    ExpiredToken => "expired_token";
    AccessDenied => "access_denied";
}

impl fmt::Display for LwaErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl LwaError {
    /// The error for LWA's `{"error", "error_description"}`, typed where a caller acts on it.
    pub(crate) fn from_answer(code: &str, description: Option<&str>) -> Self {
        let description = description.unwrap_or_default().to_owned();
        match LwaErrorCode::from(code) {
            LwaErrorCode::InvalidGrant => LwaError::SignInAgain { description },
            LwaErrorCode::ExpiredToken => LwaError::DeviceCodeExpired,
            LwaErrorCode::AccessDenied => LwaError::Denied { description },
            code => LwaError::Lwa { code, description },
        }
    }
}

/// Where Login with Amazon is, who is asking (the security profile's client id, and secret
/// for a confidential client), and which Amazon Music API the tokens are for.
#[derive(Clone)]
pub struct LwaConfig {
    client_id: String,
    client_secret: Option<String>,
    api_url: String,
    consent_url: String,
    music_api_url: String,
    allow_insecure_http: bool,
    request_timeout: Option<Duration>,
}

impl fmt::Debug for LwaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LwaConfig")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("api_url", &self.api_url)
            .field("consent_url", &self.consent_url)
            .field("music_api_url", &self.music_api_url)
            .finish()
    }
}

impl LwaConfig {
    /// Login with Amazon's production endpoints, for the security profile `client_id`.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: None,
            api_url: PRODUCTION_API_URL.to_owned(),
            consent_url: PRODUCTION_CONSENT_URL.to_owned(),
            music_api_url: crate::DEFAULT_BASE_URL.to_owned(),
            allow_insecure_http: false,
            request_timeout: Some(REQUEST_TIMEOUT),
        }
    }

    /// From `AMAZON_MUSIC_CLIENT_ID` (required), `AMAZON_MUSIC_CLIENT_SECRET` (optional),
    /// `AMAZON_MUSIC_LWA_URL` (optional: one base URL for every LWA endpoint, such as the
    /// mock's; Amazon's hosts otherwise) and `AMAZON_MUSIC_BASE_URL` (optional: the API the
    /// tokens are for, as for [`Client::from_env`](crate::Client::from_env)).
    pub fn from_env() -> Result<Self, LwaError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`LwaConfig::from_env`] over any source of variables; an empty value counts as unset.
    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, LwaError> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let client_id = var("AMAZON_MUSIC_CLIENT_ID").ok_or_else(|| {
            LwaError::Config(
                "AMAZON_MUSIC_CLIENT_ID is not set (the client id of your security profile)".into(),
            )
        })?;
        let mut config = LwaConfig::new(client_id);
        if let Some(secret) = var("AMAZON_MUSIC_CLIENT_SECRET") {
            config = config.client_secret(secret);
        }
        if let Some(url) = var("AMAZON_MUSIC_LWA_URL") {
            config = config.base_url(url);
        }
        if let Some(url) = var("AMAZON_MUSIC_BASE_URL") {
            config = config.music_api_url(url);
        }
        Ok(config)
    }

    /// The security profile's client secret, for a confidential client (a server). Public
    /// clients (a CLI, a desktop app) have none and rely on PKCE.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(secret.into()).filter(|s| !s.is_empty());
        self
    }

    /// Serves every LWA endpoint (code pair, token, consent page) from `url`: the mock's
    /// sign-in emulator, or a test server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into().trim_end_matches('/').to_owned();
        self.api_url.clone_from(&url);
        self.consent_url = url;
        self
    }

    /// The base URL of the Amazon Music API the tokens are for ([`DEFAULT_BASE_URL`](
    /// crate::DEFAULT_BASE_URL) unless set): the client's base URL. Every sign-in made through
    /// this configuration records it (with the Login with Amazon host, see [`SignInHosts`]),
    /// and [`LwaTokenProvider`](super::LwaTokenProvider) hands its tokens only to a client of
    /// that API. Nothing is sent to it during a sign-in.
    pub fn music_api_url(mut self, url: impl Into<String>) -> Self {
        self.music_api_url = url.into();
        self
    }

    /// Allows plain `http` to a host other than loopback. Tokens and the client secret then
    /// cross the network unencrypted: only for a test host you control.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// How long one request to LWA may take (30 s unless set; `None` for no limit, as in
    /// tests on a paused clock, where a pending timeout would be the next thing time jumps to).
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The security profile's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/auth/o2/token", self.api_url)
    }

    /// The code-pair endpoint of the device flow.
    pub fn code_pair_url(&self) -> String {
        format!("{}/auth/o2/create/codepair", self.api_url)
    }

    /// The consent page of the browser flow.
    pub fn authorize_url(&self) -> String {
        format!("{}/ap/oa", self.consent_url)
    }

    /// The hosts a sign-in made through this configuration is for: Login with Amazon's token
    /// host and the API's.
    pub fn hosts(&self) -> Result<SignInHosts, LwaError> {
        SignInHosts::new(&self.api_url, &self.music_api_url)
    }

    fn check_url(&self, url: &str) -> Result<Url, LwaError> {
        let parsed = Url::parse(url).map_err(|e| LwaError::Config(format!("URL {url:?}: {e}")))?;
        match parsed.scheme() {
            "https" => Ok(parsed),
            "http" if self.allow_insecure_http || is_loopback(&parsed) => Ok(parsed),
            "http" => Err(LwaError::Config(format!(
                "{url} is plain http on a non-loopback host: tokens would travel unencrypted"
            ))),
            other => Err(LwaError::Config(format!(
                "URL scheme {other:?} of {url} is not http(s)"
            ))),
        }
    }
}

impl SignInHosts {
    /// The hosts of the Login with Amazon base URL `lwa_url` (its token endpoint's; for
    /// Amazon's service [`PRODUCTION_API_URL`]) and of the API base URL `api_url` (the
    /// client's, such as [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)). Either must be an
    /// `http` or `https` URL with a host.
    pub fn new(lwa_url: &str, api_url: &str) -> Result<Self, LwaError> {
        Self::parse(lwa_url, api_url).map_err(|e| LwaError::Config(e.to_string()))
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// A device sign-in in progress: show [`user_code`](Self::user_code) and
/// [`verification_uri`](Self::verification_uri) to the person, then
/// [`Lwa::poll_device_flow`]. The device code itself stays inside (redacted in `Debug`).
#[derive(Clone)]
pub struct DeviceAuthorization {
    user_code: String,
    device_code: String,
    verification_uri: String,
    expires_in: Duration,
    interval: Duration,
    scopes: Vec<Scope>,
    started: tokio::time::Instant,
}

impl fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("user_code", &self.user_code)
            .field("device_code", &"<redacted>")
            .field("verification_uri", &self.verification_uri)
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish()
    }
}

impl DeviceAuthorization {
    /// The code the person enters at the verification URI.
    pub fn user_code(&self) -> &str {
        &self.user_code
    }

    /// Where the person enters the code (amazon.com/code, for the real service).
    pub fn verification_uri(&self) -> &str {
        &self.verification_uri
    }

    /// How long the code stays valid from when it was issued.
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }

    /// How long to wait between polls, as LWA asked.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

#[derive(Deserialize)]
struct CodePair {
    user_code: String,
    device_code: String,
    verification_uri: String,
    expires_in: u64,
    interval: Option<u64>,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    error_description: Option<String>,
}

/// A Login with Amazon client: cheap to clone, shareable.
#[derive(Clone)]
pub struct Lwa {
    inner: Arc<LwaInner>,
}

struct LwaInner {
    config: LwaConfig,
    hosts: SignInHosts,
    http: reqwest::Client,
    oauth: OAuthClient,
    code_pair_url: Url,
}

impl fmt::Debug for Lwa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lwa")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Lwa {
    /// A client of the LWA endpoints `config` names; refuses plain http off loopback.
    pub fn new(config: LwaConfig) -> Result<Self, LwaError> {
        if config.client_id.trim().is_empty() {
            return Err(LwaError::Config("the client id is empty".into()));
        }
        let token_url = config.check_url(&config.token_url())?;
        let authorize_url = config.check_url(&config.authorize_url())?;
        let code_pair_url = config.check_url(&config.code_pair_url())?;
        // The access token will go there: the same rule as for LWA's own hosts.
        config.check_url(&config.music_api_url)?;
        let hosts = config.hosts()?;
        let mut oauth = BasicClient::new(ClientId::new(config.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(authorize_url))
            .set_token_uri(TokenUrl::from_url(token_url))
            // LWA takes the client's credentials in the form body.
            .set_auth_type(AuthType::RequestBody);
        if let Some(secret) = &config.client_secret {
            oauth = oauth.set_client_secret(ClientSecret::new(secret.clone()));
        }
        let mut http = reqwest::Client::builder()
            // One request an hour (a refresh) gains nothing from a kept-alive connection.
            .pool_max_idle_per_host(0)
            // A token endpoint has no reason to redirect, and a redirect could carry the
            // form (with its secrets) somewhere else.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = config.request_timeout {
            http = http.timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| LwaError::Config(format!("HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(LwaInner {
                config,
                hosts,
                http,
                oauth,
                code_pair_url,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &LwaConfig {
        &self.inner.config
    }

    /// The hosts every sign-in this client makes is for, and the only ones it refreshes for.
    pub fn hosts(&self) -> &SignInHosts {
        &self.inner.hosts
    }

    /// A token set from a token answer, made for this client's hosts.
    fn token_set(&self, response: &BasicTokenResponse, requested: &[Scope]) -> TokenSet {
        TokenSet::from_response(response, requested).with_hosts(self.inner.hosts.clone())
    }

    pub(crate) fn oauth(&self) -> &OAuthClient {
        &self.inner.oauth
    }

    /// Step 1 of the device flow: asks LWA for a code pair. Show the person the result's
    /// user code and verification URI, then call [`poll_device_flow`](Self::poll_device_flow).
    pub async fn start_device_flow(
        &self,
        scopes: &[Scope],
    ) -> Result<DeviceAuthorization, LwaError> {
        if scopes.is_empty() {
            return Err(LwaError::Config(
                "no scopes: ask for at least one (see scopes_for)".into(),
            ));
        }
        let scope = Scope::join(scopes);
        let form = [
            ("response_type", "device_code"),
            ("client_id", self.inner.config.client_id.as_str()),
            ("scope", scope.as_str()),
        ];
        let started = tokio::time::Instant::now();
        let body = self
            .post_form(self.inner.code_pair_url.clone(), &form)
            .await?;
        let pair: CodePair = decode(&body, "the code pair")?;
        if pair.user_code.is_empty() || pair.device_code.is_empty() {
            return Err(LwaError::Response(
                "the code pair has an empty user or device code".into(),
            ));
        }
        if pair.expires_in == 0 {
            return Err(LwaError::Response(
                "the code pair expires at once (expires_in 0)".into(),
            ));
        }
        Ok(DeviceAuthorization {
            user_code: pair.user_code,
            device_code: pair.device_code,
            verification_uri: pair.verification_uri,
            expires_in: Duration::from_secs(pair.expires_in).min(LONGEST_LIFETIME),
            interval: pair
                .interval
                .filter(|&s| s > 0)
                .map_or(DEFAULT_INTERVAL, Duration::from_secs),
            scopes: scopes.to_vec(),
            started,
        })
    }

    /// Step 3 of the device flow: polls the token endpoint every interval (longer after each
    /// `slow_down`) until the person has entered the code, then returns the tokens. No wait
    /// reaches past the code's expiry, whatever interval LWA asks for: the last poll is at the
    /// expiry.
    ///
    /// Stops with [`LwaError::DeviceCodeExpired`] once the code has expired,
    /// [`LwaError::Denied`] when the person declines, and [`LwaError::Cancelled`] as soon as
    /// `cancel` completes (pass `std::future::pending()` to never cancel, or a Ctrl-C signal).
    pub async fn poll_device_flow(
        &self,
        authorization: &DeviceAuthorization,
        cancel: impl Future<Output = ()>,
    ) -> Result<TokenSet, LwaError> {
        tokio::select! {
            biased;
            () = cancel => Err(LwaError::Cancelled),
            result = self.poll_until_done(authorization) => result,
        }
    }

    async fn poll_until_done(
        &self,
        authorization: &DeviceAuthorization,
    ) -> Result<TokenSet, LwaError> {
        // A server that never says `expired_token` must not keep the device polling, and one
        // that asks for a long interval must not keep it asleep past the code's end.
        let deadline = authorization
            .started
            .checked_add(authorization.expires_in)
            .ok_or_else(|| {
                LwaError::Response("the code pair's lifetime is beyond the clock".into())
            })?;
        let mut interval = authorization.interval;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return Err(LwaError::DeviceCodeExpired);
            }
            // The last poll is at the deadline: the person may have entered the code since
            // the one before.
            tokio::time::sleep(interval.min(left)).await;
            match self.device_token(authorization).await {
                Err(LwaError::Lwa {
                    code: LwaErrorCode::AuthorizationPending,
                    ..
                }) => {}
                Err(LwaError::Lwa {
                    code: LwaErrorCode::SlowDown,
                    ..
                }) => interval = interval.saturating_add(SLOW_DOWN_STEP),
                other => return other,
            }
        }
    }

    async fn device_token(
        &self,
        authorization: &DeviceAuthorization,
    ) -> Result<TokenSet, LwaError> {
        // LWA's own grant: the bare word `device_code`, and the user code beside the device
        // code (RFC 8628 has neither).
        let form = [
            ("grant_type", "device_code"),
            ("device_code", authorization.device_code.as_str()),
            ("user_code", authorization.user_code.as_str()),
        ];
        let token_url = Url::parse(&self.inner.config.token_url())
            .map_err(|e| LwaError::Config(e.to_string()))?;
        let body = self.post_form(token_url, &form).await?;
        let response: BasicTokenResponse = decode(&body, "the token answer")?;
        Ok(self.token_set(&response, &authorization.scopes))
    }

    /// Exchanges a refresh token for a new access token. When LWA sends a new refresh token it
    /// is in the result and replaces the old one; a revoked or expired refresh token is
    /// [`LwaError::SignInAgain`].
    ///
    /// A set made for other hosts than this client's is refused with
    /// [`LwaError::WrongHosts`] before anything is sent: its refresh token and the client
    /// secret go only to the Login with Amazon host it came from. (A set without hosts, built
    /// by hand, is the caller's to vouch for.)
    pub async fn refresh(&self, tokens: &TokenSet) -> Result<TokenSet, LwaError> {
        if let Some(stored) = tokens.hosts() {
            stored.check(&self.inner.hosts)?;
        }
        let refresh_token = tokens
            .refresh_token()
            .ok_or_else(|| LwaError::SignInAgain {
                description: "no refresh token was stored with this sign-in".into(),
            })?;
        let refresh_token = RefreshToken::new(refresh_token.to_owned());
        let http = OAuthHttp(&self.inner.http);
        let response = self
            .inner
            .oauth
            .exchange_refresh_token(&refresh_token)
            .request_async(&http)
            .await
            .map_err(from_oauth)?;
        Ok(self
            .token_set(&response, tokens.scopes())
            .keeping_refresh_token_of(tokens))
    }

    /// Exchanges an authorization code of the browser flow, proving with the PKCE verifier that
    /// this client started it.
    pub(crate) async fn exchange_code(
        &self,
        code: String,
        verifier: PkceCodeVerifier,
        redirect_uri: RedirectUrl,
        scopes: &[Scope],
    ) -> Result<TokenSet, LwaError> {
        let http = OAuthHttp(&self.inner.http);
        let response = self
            .inner
            .oauth
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .set_redirect_uri(Cow::Owned(redirect_uri))
            .request_async(&http)
            .await
            .map_err(from_oauth)?;
        Ok(self.token_set(&response, scopes))
    }

    /// Posts a form and returns the body of a 2xx answer; an LWA error object becomes its
    /// typed error.
    async fn post_form(&self, url: Url, form: &[(&str, &str)]) -> Result<Vec<u8>, LwaError> {
        let response = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form)
                    .finish(),
            )
            .send()
            .await
            .map_err(|e| LwaError::Transport(without_url(&e)))?;
        let status = response.status();
        let body = read_bounded(response).await.map_err(|e| match e {
            ReadError::Transport(_) => LwaError::Transport(e.message()),
            ReadError::TooLarge => LwaError::Response(e.message()),
        })?;
        if status.is_success() {
            return Ok(body);
        }
        match serde_json::from_slice::<ErrorAnswer>(&body) {
            Ok(answer) => Err(LwaError::from_answer(
                &answer.error,
                answer.error_description.as_deref(),
            )),
            Err(_) => Err(LwaError::Response(format!(
                "HTTP {status} without LWA's error object"
            ))),
        }
    }
}

/// The HTTP client `oauth2` sends through: this crate's reqwest, bounded answers. A named
/// type with a boxed future, because a closure over an `async fn` is not `Send` for every
/// lifetime `oauth2` asks about.
struct OAuthHttp<'a>(&'a reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = SendError;
    type Future =
        Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, SendError>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(send(self.0, request))
    }
}

async fn send(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, SendError> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| SendError(without_url(&e)))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_bounded(response)
        .await
        .map_err(|e| SendError(e.message()))?;
    let mut answer = oauth2::HttpResponse::new(body);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

/// A transport failure seen by `oauth2`; its text names no URL and no secret.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct SendError(String);

/// Why an answer could not be read whole.
enum ReadError {
    Transport(reqwest::Error),
    /// Longer than [`MAX_ANSWER_BYTES`]: not an answer of LWA's, and not read further.
    TooLarge,
}

impl ReadError {
    fn message(&self) -> String {
        match self {
            Self::Transport(e) => without_url(e),
            Self::TooLarge => format!(
                "an answer over {MAX_ANSWER_BYTES} bytes, the limit for Login with Amazon's \
                 answers; not read further"
            ),
        }
    }
}

async fn read_bounded(mut response: reqwest::Response) -> Result<Vec<u8>, ReadError> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A reqwest error without its URL: the URLs here carry no secret, but the message stays
/// short and the same whatever the endpoint.
fn without_url(error: &reqwest::Error) -> String {
    let mut message = if error.is_timeout() {
        "no answer within the timeout".to_owned()
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Decodes an LWA answer. The error names the JSON path only, never a value: values here are
/// tokens and codes.
fn decode<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, LwaError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let category = match e.inner().classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "a field is missing or of the wrong type",
            serde_json::error::Category::Eof => "cut short",
        };
        LwaError::Response(format!("{what} is {category} (at {path})"))
    })
}

fn from_oauth(error: RequestTokenError<SendError, oauth2::basic::BasicErrorResponse>) -> LwaError {
    match error {
        RequestTokenError::ServerResponse(answer) => LwaError::from_answer(
            answer.error().as_ref(),
            answer.error_description().map(String::as_str),
        ),
        RequestTokenError::Request(e) => LwaError::Transport(e.0),
        // The body may hold tokens: only the path where parsing failed is kept.
        RequestTokenError::Parse(e, _body) => {
            LwaError::Response(format!("the token answer does not parse (at {})", e.path()))
        }
        RequestTokenError::Other(message) => LwaError::Response(message),
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    /// Reads one request, body included: a socket closed with unread data is reset, and the
    /// reset can reach the client before the answer does.
    fn read_request(stream: &std::net::TcpStream) -> std::io::Result<()> {
        use std::io::{BufRead, BufReader, Read};
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        let mut length = 0;
        while reader.read_line(&mut line)? > 2 {
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            line.clear();
        }
        reader.read_exact(&mut vec![0; length])
    }

    /// Serves `connections` connections, one request each: reads the request, then lets
    /// `answer` write. A connection's error ends only that connection: a client may stop
    /// reading early, and the tests check what the client made of what it got. Gives the
    /// server's URL.
    fn serve(
        connections: usize,
        answer: impl Fn(&mut std::net::TcpStream) -> std::io::Result<()> + Send + 'static,
    ) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(connections) {
                let _ = stream.and_then(|mut stream| {
                    read_request(&stream)?;
                    answer(&mut stream)
                });
            }
        });
        url
    }

    /// Writes a JSON answer with `status` (such as `200 OK`), closing the connection after it.
    fn write_json(out: &mut std::net::TcpStream, status: &str, body: &str) -> std::io::Result<()> {
        use std::io::Write;
        write!(
            out,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    /// Serves one answer whose body is sent as chunks of these sizes (each its own chunk of
    /// the chunked encoding, so the client sees them one by one).
    fn serve_in_chunks(sizes: Vec<usize>) -> String {
        use std::io::Write;
        serve(1, move |out| {
            out.write_all(
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
            )?;
            for &size in &sizes {
                write!(out, "{size:x}\r\n")?;
                out.write_all(&vec![b' '; size])?;
                out.write_all(b"\r\n")?;
            }
            out.write_all(b"0\r\n\r\n")
        })
    }

    /// Serves one `200` JSON answer.
    fn serve_json(body: &'static str) -> String {
        serve(1, move |out| write_json(out, "200 OK", body))
    }

    /// A token endpoint that says `authorization_pending` to every poll, for ever.
    fn serve_pending() -> String {
        serve(usize::MAX, |out| {
            write_json(
                out,
                "400 Bad Request",
                r#"{"error":"authorization_pending"}"#,
            )
        })
    }

    /// An LWA inside the test's runtime, so that it reads tokio's clock, paused or not: the
    /// code pair `pair`, then `poll` (an error object, with a 400) to every poll. Gives its URL
    /// and when each poll came, counted from its start.
    async fn device_flow_server(
        pair: &'static str,
        poll: &'static str,
    ) -> (String, Arc<std::sync::Mutex<Vec<Duration>>>) {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let polls = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = polls.clone();
        let started = tokio::time::Instant::now();
        tokio::spawn(async move {
            let mut first = true;
            while let Ok((stream, _)) = listener.accept().await {
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                let mut length = 0;
                while reader.read_line(&mut line).await.unwrap_or(0) > 2 {
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    line.clear();
                }
                let _ = reader.read_exact(&mut vec![0; length]).await;
                let (status, answer) = if std::mem::take(&mut first) {
                    ("200 OK", pair)
                } else {
                    seen.lock().unwrap().push(started.elapsed());
                    ("400 Bad Request", poll)
                };
                let text = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = reader.get_mut().write_all(text.as_bytes()).await;
            }
        });
        (url, polls)
    }

    const PENDING: &str = r#"{"error":"authorization_pending"}"#;
    const SLOW_DOWN: &str = r#"{"error":"slow_down"}"#;

    /// Signs in with the device flow against [`device_flow_server`] on a paused clock: the
    /// result, the poll times in seconds, and how long it all took.
    async fn poll_hostile(
        pair: &'static str,
        poll: &'static str,
    ) -> (Result<TokenSet, LwaError>, Vec<f64>, Duration) {
        let (url, polls) = device_flow_server(pair, poll).await;
        let started = tokio::time::Instant::now();
        // No request timeout: on a paused clock it is what time would jump to mid-request.
        let lwa = Lwa::new(LwaConfig::new("id").base_url(url).request_timeout(None)).unwrap();
        let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
        let result = lwa.poll_device_flow(&pending, std::future::pending()).await;
        let times = polls
            .lock()
            .unwrap()
            .iter()
            .map(Duration::as_secs_f64)
            .collect();
        (result, times, started.elapsed())
    }

    /// `interval: u64::MAX` slept for about thirty years, then overflowed the clock.
    #[tokio::test(start_paused = true)]
    async fn a_huge_interval_is_cut_to_the_codes_lifetime() {
        let (result, polls, took) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":18446744073709551615}"#,
            PENDING,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(polls, [600.0], "one poll, when the code expires");
        assert_eq!(took, Duration::from_secs(600));
    }

    /// An interval beyond the code's lifetime slept past its end, then polled with a dead code.
    #[tokio::test(start_paused = true)]
    async fn an_interval_longer_than_the_lifetime_polls_once_at_expiry() {
        let (result, polls, took) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":60,"interval":600}"#,
            PENDING,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(polls, [60.0]);
        assert_eq!(took, Duration::from_secs(60));
    }

    /// Each `slow_down` adds 5 s, but no wait reaches past the code's end.
    #[tokio::test(start_paused = true)]
    async fn repeated_slow_downs_never_sleep_past_expiry() {
        let (result, polls, took) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":60,"interval":5}"#,
            SLOW_DOWN,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        // 5, 10, 15, 20 s apart, then the 10 s left rather than 25.
        assert_eq!(polls, [5.0, 15.0, 30.0, 50.0, 60.0]);
        assert_eq!(took, Duration::from_secs(60));
    }

    /// `slow_down` on top of the largest interval saturates instead of overflowing.
    #[tokio::test(start_paused = true)]
    async fn slowing_down_the_largest_interval_does_not_overflow() {
        let (result, polls, _) = poll_hostile(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":18446744073709551615}"#,
            SLOW_DOWN,
        )
        .await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(polls, [600.0]);
    }

    /// A code already expired when polling starts is not slept on, nor polled with.
    #[tokio::test(start_paused = true)]
    async fn a_code_expired_before_polling_starts_ends_at_once() {
        let (url, polls) = device_flow_server(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":60,"interval":5}"#,
            PENDING,
        )
        .await;
        let lwa = Lwa::new(LwaConfig::new("id").base_url(url).request_timeout(None)).unwrap();
        let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
        tokio::time::advance(Duration::from_secs(61)).await;
        let before = tokio::time::Instant::now();
        let result = lwa.poll_device_flow(&pending, std::future::pending()).await;
        assert!(
            matches!(result, Err(LwaError::DeviceCodeExpired)),
            "{result:?}"
        );
        assert_eq!(before.elapsed(), Duration::ZERO, "no sleep first");
        assert!(polls.lock().unwrap().is_empty());
    }

    /// A server that never answers `expired_token` does not keep the device polling: the
    /// code's own lifetime (and one interval of grace) ends it.
    #[tokio::test]
    async fn polling_stops_when_the_code_expires_whatever_the_server_says() {
        let lwa = lwa_at(&serve_pending());
        let authorization = DeviceAuthorization {
            user_code: "U".into(),
            device_code: "D".into(),
            verification_uri: "https://a.example".into(),
            expires_in: Duration::from_millis(100),
            interval: Duration::from_millis(50),
            scopes: vec![Scope::Catalog],
            started: tokio::time::Instant::now(),
        };
        let polled = tokio::time::timeout(
            Duration::from_secs(20),
            lwa.poll_device_flow(&authorization, std::future::pending()),
        )
        .await
        .expect("polling ends on its own");
        assert!(
            matches!(polled, Err(LwaError::DeviceCodeExpired)),
            "{polled:?}"
        );
    }

    fn lwa_at(url: &str) -> Lwa {
        Lwa::new(LwaConfig::new("id").base_url(url.trim_end_matches('/'))).unwrap()
    }

    /// A code pair missing either code cannot be used: the person would be shown a code that
    /// signs nobody in, or the device would poll with nothing.
    #[tokio::test]
    async fn a_code_pair_without_either_code_is_refused() {
        for body in [
            r#"{"user_code":"","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":5}"#,
            r#"{"user_code":"U","device_code":"","verification_uri":"https://a.example","expires_in":600,"interval":5}"#,
        ] {
            let error = lwa_at(&serve_json(body))
                .start_device_flow(&[Scope::Catalog])
                .await
                .unwrap_err();
            assert!(
                matches!(&error, LwaError::Response(m) if m.contains("empty user or device code")),
                "{body}: {error}"
            );
        }
        let fine = r#"{"user_code":"U","device_code":"dev-SECRET-9","verification_uri":"https://a.example","expires_in":600,"interval":7}"#;
        let pair = lwa_at(&serve_json(fine))
            .start_device_flow(&[Scope::Catalog])
            .await
            .unwrap();
        assert_eq!(pair.user_code(), "U");
        assert_eq!(pair.verification_uri(), "https://a.example");
        assert_eq!(pair.interval(), Duration::from_secs(7));
        assert_eq!(pair.expires_in(), Duration::from_secs(600));
        // What to show the person, and not the code the device polls with.
        let shown = format!("{pair:?}");
        assert!(
            shown.starts_with(
                "DeviceAuthorization { user_code: \"U\", device_code: \"<redacted>\", \
                 verification_uri: \"https://a.example\""
            ),
            "{shown}"
        );
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    /// Lifetimes far beyond LWA's are a broken answer: taken as a day, never an overflow of the
    /// clock (`u64::MAX` seconds added to now would panic).
    #[tokio::test]
    async fn absurd_lifetimes_are_capped_not_added_to_the_clock() {
        let pair = lwa_at(&serve_json(
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":18446744073709551615}"#,
        ))
        .start_device_flow(&[Scope::Catalog])
        .await
        .unwrap();
        assert_eq!(pair.expires_in(), Duration::from_secs(86_400), "a day");

        let old = TokenSet::new("a1", Some("r1".into()), SystemTime::now(), vec![]);
        let refreshed = lwa_at(&serve_json(
            r#"{"access_token":"a2","token_type":"bearer","expires_in":18446744073709551615}"#,
        ))
        .refresh(&old)
        .await
        .unwrap();
        assert_eq!(refreshed.access_token(), "a2");
        let left = refreshed.expires_in();
        assert!(
            left <= LONGEST_LIFETIME && left > LONGEST_LIFETIME - Duration::from_secs(60),
            "{left:?}"
        );
    }

    /// An interval of 0 would poll in a tight loop, and LWA may leave it out: either way the
    /// documented default applies.
    #[tokio::test]
    async fn a_missing_or_zero_interval_polls_at_the_default() {
        for body in [
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600,"interval":0}"#,
            r#"{"user_code":"U","device_code":"D","verification_uri":"https://a.example","expires_in":600}"#,
        ] {
            let pair = lwa_at(&serve_json(body))
                .start_device_flow(&[Scope::Catalog])
                .await
                .unwrap();
            assert_eq!(pair.interval(), DEFAULT_INTERVAL, "{body}");
        }
    }

    #[test]
    fn the_environment_configures_sign_in_and_empty_values_count_as_unset() {
        let from = |vars: &'static [(&'static str, &'static str)]| {
            LwaConfig::from_vars(|name| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        let config = from(&[
            ("AMAZON_MUSIC_CLIENT_ID", "cid"),
            ("AMAZON_MUSIC_CLIENT_SECRET", "sec"),
            ("AMAZON_MUSIC_LWA_URL", "http://127.0.0.1:9/"),
            ("AMAZON_MUSIC_BASE_URL", "http://127.0.0.1:8/v1"),
        ])
        .unwrap();
        assert_eq!(config.client_id(), "cid");
        assert_eq!(config.client_secret.as_deref(), Some("sec"));
        assert_eq!(config.token_url(), "http://127.0.0.1:9/auth/o2/token");
        let hosts = config.hosts().unwrap();
        assert_eq!(
            (hosts.lwa(), hosts.api()),
            ("http://127.0.0.1:9", "http://127.0.0.1:8")
        );

        let defaults = from(&[
            ("AMAZON_MUSIC_CLIENT_ID", "cid"),
            ("AMAZON_MUSIC_CLIENT_SECRET", ""),
            ("AMAZON_MUSIC_LWA_URL", ""),
        ])
        .unwrap();
        assert_eq!(defaults.client_secret, None);
        assert_eq!(defaults.token_url(), "https://api.amazon.com/auth/o2/token");
        let hosts = defaults.hosts().unwrap();
        assert_eq!(
            (hosts.lwa(), hosts.api()),
            ("https://api.amazon.com", "https://api.music.amazon.dev")
        );

        let missing = from(&[("AMAZON_MUSIC_CLIENT_ID", "")]).unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("AMAZON_MUSIC_CLIENT_ID is not set"),
            "{missing}"
        );
    }

    /// A failed request says what failed, without the URL.
    #[tokio::test]
    async fn a_transport_failure_says_what_failed() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let error = lwa_at(&url)
            .start_device_flow(&[Scope::Catalog])
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, LwaError::Transport(_)), "{text}");
        assert!(text.contains("cannot connect"), "{text}");
        assert!(!text.contains(&url), "{text}");
    }

    /// The length read, or the error's message.
    async fn read_chunks(sizes: Vec<usize>) -> Result<usize, String> {
        let url = serve_in_chunks(sizes);
        let response = reqwest::Client::new().get(url).send().await.unwrap();
        read_bounded(response)
            .await
            .map(|body| body.len())
            .map_err(|e| e.message())
    }

    /// An answer is read up to the limit exactly, however it is split; one byte more is an
    /// error naming the limit, never a cut answer reported as one that does not parse.
    #[tokio::test]
    async fn answers_are_read_up_to_the_limit_in_any_number_of_chunks() {
        assert_eq!(read_chunks(vec![300, 300, 300]).await, Ok(900));
        assert_eq!(read_chunks(vec![1024; 64]).await, Ok(MAX_ANSWER_BYTES));
        let mut over = vec![1024; 64];
        over.push(1);
        for sizes in [over, vec![MAX_ANSWER_BYTES + 1]] {
            let error = read_chunks(sizes).await.unwrap_err();
            assert!(
                error.contains(&format!("over {MAX_ANSWER_BYTES} bytes")),
                "{error}"
            );
        }
    }

    /// A declared length over the limit is refused before any of the body is read (this one
    /// never comes: read, it would end in a transport error instead).
    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_unread() {
        let url = serve(1, |out| {
            use std::io::Write;
            write!(
                out,
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                MAX_ANSWER_BYTES + 1
            )
        });
        let response = reqwest::Client::new().get(url).send().await.unwrap();
        let error = read_bounded(response).await.err().unwrap().message();
        assert!(
            error.contains(&format!("over {MAX_ANSWER_BYTES} bytes")),
            "{error}"
        );
    }

    #[test]
    fn answers_map_to_the_errors_callers_act_on() {
        assert!(matches!(
            LwaError::from_answer("invalid_grant", Some("revoked")),
            LwaError::SignInAgain { description } if description == "revoked"
        ));
        assert!(matches!(
            LwaError::from_answer("expired_token", None),
            LwaError::DeviceCodeExpired
        ));
        assert!(matches!(
            LwaError::from_answer("access_denied", None),
            LwaError::Denied { .. }
        ));
        let other = LwaError::from_answer("brand_new", Some("x"));
        assert!(
            matches!(&other, LwaError::Lwa { code: LwaErrorCode::Other(c), .. } if c == "brand_new")
        );
        assert_eq!(other.to_string(), "Login with Amazon answered brand_new: x");
        assert_eq!(LwaErrorCode::from("slow_down"), LwaErrorCode::SlowDown);
    }

    #[test]
    fn plain_http_is_refused_off_loopback() {
        let error = Lwa::new(LwaConfig::new("id").base_url("http://lwa.example")).unwrap_err();
        assert!(error.to_string().contains("unencrypted"), "{error}");
        assert!(Lwa::new(LwaConfig::new("id").base_url("http://127.0.0.1:9")).is_ok());
        assert!(Lwa::new(LwaConfig::new("id").base_url("http://localhost:9/")).is_ok());
        assert!(
            Lwa::new(
                LwaConfig::new("id")
                    .base_url("http://lwa.example")
                    .allow_insecure_http(true)
            )
            .is_ok()
        );
        assert!(Lwa::new(LwaConfig::new(" ")).is_err());
        // The API the tokens are for follows the same rule: the access token goes there.
        let error =
            Lwa::new(LwaConfig::new("id").music_api_url("http://music.example/v1")).unwrap_err();
        assert!(error.to_string().contains("unencrypted"), "{error}");
        assert!(Lwa::new(LwaConfig::new("id").base_url("ftp://x")).is_err());
    }

    #[test]
    fn production_endpoints_are_amazons() {
        let config = LwaConfig::new("id");
        assert_eq!(config.token_url(), "https://api.amazon.com/auth/o2/token");
        assert_eq!(
            config.code_pair_url(),
            "https://api.amazon.com/auth/o2/create/codepair"
        );
        assert_eq!(config.authorize_url(), "https://www.amazon.com/ap/oa");
    }

    #[test]
    fn debug_output_keeps_secrets_out() {
        let config = LwaConfig::new("id").client_secret("s3cret-value");
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret-value"), "{shown}");
        assert!(
            shown.starts_with("LwaConfig { client_id: \"id\", client_secret: Some(\"<redacted>\")"),
            "{shown}"
        );
        let tokens = TokenSet::new(
            "access-value",
            Some("refresh-value".into()),
            SystemTime::now(),
            vec![Scope::Catalog],
        );
        let text = format!("{tokens:?}");
        assert!(
            text.starts_with(
                "TokenSet { access_token: \"<redacted>\", refresh_token: Some(\"<redacted>\"), expires_at: "
            ) && text.ends_with(", scopes: [Catalog] }"),
            "{text}"
        );
        assert!(
            !text.contains("access-value") && !text.contains("refresh-value"),
            "{text}"
        );
    }

    #[test]
    fn decode_errors_name_the_path_never_the_value() {
        let error =
            decode::<CodePair>(br#"{"user_code":"U","device_code":7,"verification_uri":"v","expires_in":"secret-ish"}"#, "the code pair")
                .err()
                .unwrap();
        let text = error.to_string();
        assert!(text.contains("device_code"), "{text}");
        assert!(!text.contains("secret-ish"), "{text}");
    }
}
