//! The Login with Amazon client: its configuration checked, its HTTP and `oauth2` clients
//! built once.

use std::fmt;
use std::sync::Arc;

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{AuthType, AuthUrl, ClientId, ClientSecret, EndpointNotSet, EndpointSet, TokenUrl};
use url::Url;

use super::config::LwaConfig;
use super::error::LwaError;
use crate::auth::hosts::SignInHosts;
use crate::auth::scope::Scope;
use crate::auth::token_set::TokenSet;

type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// A Login with Amazon client: cheap to clone, shareable.
#[derive(Clone)]
pub struct Lwa {
    pub(super) inner: Arc<LwaInner>,
}

pub(super) struct LwaInner {
    pub(super) config: LwaConfig,
    pub(super) hosts: SignInHosts,
    pub(super) http: reqwest::Client,
    pub(super) oauth: OAuthClient,
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
    pub(super) fn token_set(&self, response: &BasicTokenResponse, requested: &[Scope]) -> TokenSet {
        TokenSet::from_response(response, requested).with_hosts(self.inner.hosts.clone())
    }

    pub(crate) fn oauth(&self) -> &OAuthClient {
        &self.inner.oauth
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
