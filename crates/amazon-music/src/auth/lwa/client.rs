//! The Login with Amazon client: its configuration checked and its HTTP client built once.

use std::fmt;
use std::sync::Arc;

use url::Url;

use super::config::LwaConfig;
use super::error::LwaError;
use crate::auth::hosts::SignInHosts;
use crate::auth::token_set::TokenSet;

/// A Login with Amazon client: cheap to clone, shareable.
#[derive(Clone)]
pub struct Lwa {
    pub(super) inner: Arc<LwaInner>,
}

pub(super) struct LwaInner {
    pub(super) config: LwaConfig,
    pub(super) hosts: SignInHosts,
    pub(super) http: reqwest::Client,
    pub(super) token_url: Url,
    /// The consent page of the browser flow.
    #[cfg_attr(not(feature = "browser-sign-in"), allow(dead_code))]
    pub(super) authorize_url: Url,
    pub(super) code_pair_url: Url,
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
                token_url,
                authorize_url,
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

    /// `tokens`, made for this client's hosts.
    pub(super) fn token_set(&self, tokens: TokenSet) -> TokenSet {
        tokens.with_hosts(self.inner.hosts.clone())
    }

    /// The consent page of the browser flow, checked when this client was made.
    #[cfg(feature = "browser-sign-in")]
    pub(crate) fn authorize_url(&self) -> &Url {
        &self.inner.authorize_url
    }
}

#[cfg(test)]
mod tests {

    use super::*;

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
}
