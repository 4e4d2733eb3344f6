//! Where Login with Amazon is, who is asking, and which API the tokens are for.

use std::fmt;
use std::time::Duration;

use url::Url;

use super::error::LwaError;
use crate::auth::hosts::SignInHosts;
use crate::base_url::is_loopback;

/// Login with Amazon's token and code-pair host.
pub const PRODUCTION_API_URL: &str = "https://api.amazon.com";
/// Login with Amazon's consent page host (the browser flow).
pub const PRODUCTION_CONSENT_URL: &str = "https://www.amazon.com";

/// How long one request to LWA may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Where Login with Amazon is, who is asking (the security profile's client id, and secret
/// for a confidential client), and which Amazon Music API the tokens are for.
#[derive(Clone)]
pub struct LwaConfig {
    pub(super) client_id: String,
    pub(super) client_secret: Option<String>,
    api_url: String,
    consent_url: String,
    pub(super) music_api_url: String,
    allow_insecure_http: bool,
    pub(super) request_timeout: Option<Duration>,
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
            music_api_url: crate::base_url::DEFAULT_BASE_URL.to_owned(),
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
    /// and [`LwaTokenProvider`](crate::auth::LwaTokenProvider) hands its tokens only to a client of
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

    pub(super) fn check_url(&self, url: &str) -> Result<Url, LwaError> {
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

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use crate::auth::scope::Scope;
    use crate::auth::token_set::TokenSet;

    use super::*;

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
}
