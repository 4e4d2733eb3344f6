//! [`LwaTokenProvider`]: the client's tokens from a stored sign-in, refreshed with Login with
//! Amazon and saved back.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::access::{AccessToken, REFRESH_MARGIN, TokenError, TokenFuture, TokenProvider};
use super::lwa::{Lwa, LwaConfig, LwaError};
use super::store::{FileTokenStore, TokenStore};
use super::token_set::TokenSet;

/// A [`TokenProvider`] over a stored sign-in.
///
/// The first token is the stored access token while it is fresh; after that, and whenever the
/// client asks again (ahead of expiry, or after `401 INVALID_ACCESS_TOKEN`), it refreshes with
/// Login with Amazon and saves the result, a rotated refresh token included, before handing
/// the new token out. It re-reads the store each time, so a sign-in refreshed by another
/// process is picked up instead of refreshed twice; and when a refresh is refused
/// (`invalid_grant`) it reads the store once more, since another process may have rotated the
/// refresh token between the read and the refresh: a different refresh token stored there is
/// used instead of asking for a new sign-in. A revoked or expired refresh token, or no stored
/// sign-in, is [`Error::SignInRequired`](crate::Error::SignInRequired).
///
/// # Hosts
///
/// The provider serves the hosts of its [`Lwa`] ([`Lwa::hosts`]: Login with Amazon's, and the
/// API's of [`LwaConfig::music_api_url`]), and only those:
///
/// * a stored sign-in made for other hosts is refused before anything is sent, with
///   [`Error::Token`](crate::Error::Token) naming the hosts stored and requested (a
///   [`HostMismatch`](super::HostMismatch)), so its refresh token and the client secret never
///   reach another Login with Amazon host and its access token never another API;
/// * a sign-in that records no hosts (a [`TokenSet`] built by hand) is
///   [`Error::SignInRequired`](crate::Error::SignInRequired);
/// * [`api_origin`](TokenProvider::api_origin) names the API, and
///   [`ClientBuilder::build`](crate::ClientBuilder::build) refuses a client whose base URL is
///   on another origin.
///
/// [`allow_other_hosts`](Self::allow_other_hosts) lifts all three, for a host you know serves
/// the same sign-in (a proxy, say); what it refreshes is then saved for the hosts it was
/// refreshed with.
///
/// ```no_run
/// use amazon_music::Client;
/// use amazon_music::auth::LwaTokenProvider;
/// use amazon_music::auth::lwa::{Lwa, LwaConfig};
/// use amazon_music::auth::store::FileTokenStore;
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let config = LwaConfig::from_env()?;
/// let store = FileTokenStore::for_user(config.client_id(), "default")?;
/// let client = Client::builder()
///     .api_key(config.client_id())
///     .token_provider(LwaTokenProvider::new(Lwa::new(config)?, store))
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub struct LwaTokenProvider {
    lwa: Lwa,
    store: Arc<dyn TokenStore>,
    allow_other_hosts: bool,
    /// The access token last handed to the client: asked again, the client wants another.
    handed_out: Mutex<Option<String>>,
}

impl fmt::Debug for LwaTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LwaTokenProvider")
            .field("lwa", &self.lwa)
            .field("store", &self.store.location())
            .field("allow_other_hosts", &self.allow_other_hosts)
            .finish_non_exhaustive()
    }
}

impl LwaTokenProvider {
    /// Tokens from `store`, refreshed through `lwa`.
    pub fn new(lwa: Lwa, store: impl TokenStore) -> Self {
        Self::shared(lwa, Arc::new(store))
    }

    /// As [`new`](Self::new), with a store the application keeps a handle on too.
    pub fn shared(lwa: Lwa, store: Arc<dyn TokenStore>) -> Self {
        Self {
            lwa,
            store,
            allow_other_hosts: false,
            handed_out: Mutex::new(None),
        }
    }

    /// Uses the stored sign-in whatever hosts it was made for, and with a client of any API
    /// (off by default; see [Hosts](#hosts)). Its refresh token and the client secret then go
    /// to this provider's Login with Amazon host, and its access token to the client's API,
    /// wherever those are: only for hosts you know to serve the same sign-in.
    pub fn allow_other_hosts(mut self, allow: bool) -> Self {
        self.allow_other_hosts = allow;
        self
    }

    /// The sign-in stored for `user` and the client of [`LwaConfig::from_env`], in the
    /// platform's config directory ([`FileTokenStore::for_user`]).
    pub fn from_env(user: &str) -> Result<Self, crate::Error> {
        let config = LwaConfig::from_env().map_err(|e| crate::Error::Config(e.to_string()))?;
        let store = FileTokenStore::for_user(config.client_id(), user)
            .map_err(|e| crate::Error::Config(e.to_string()))?;
        let lwa = Lwa::new(config).map_err(|e| crate::Error::Config(e.to_string()))?;
        Ok(Self::new(lwa, store))
    }

    /// The stored sign-in, if it is for this provider's hosts (or other hosts are allowed).
    fn load(&self) -> Result<TokenSet, TokenError> {
        let stored = self
            .store
            .load()
            .map_err(|e| TokenError::Failed(e.to_string()))?
            .ok_or_else(|| {
                TokenError::SignInRequired(format!(
                    "no sign-in is stored in {}",
                    self.store.location()
                ))
            })?;
        if self.allow_other_hosts {
            // Refreshed through this provider's hosts, whatever the stored set names.
            return Ok(stored.without_hosts());
        }
        match stored.hosts() {
            Some(hosts) => hosts
                .check(self.lwa.hosts())
                .map_err(|e| TokenError::Failed(format!("{}: {e}", self.store.location())))?,
            None => {
                return Err(TokenError::SignInRequired(format!(
                    "the sign-in stored in {} does not say which hosts it was made for",
                    self.store.location()
                )));
            }
        }
        Ok(stored)
    }

    async fn next_token(&self) -> Result<AccessToken, TokenError> {
        let stored = self.load()?;
        let tokens = if self.usable(&stored) {
            stored
        } else {
            match self.refresh(&stored).await {
                Ok(fresh) => fresh,
                Err(refused @ LwaError::SignInAgain { .. }) => {
                    // Another process may have rotated the refresh token between the read
                    // and the refresh; then what it saved is good, and is tried once.
                    let again = self.load()?;
                    if again.refresh_token() == stored.refresh_token() {
                        return Err(to_token_error(refused));
                    }
                    tracing::debug!(
                        target: "amazon_music::auth",
                        store = %self.store.location(),
                        "the refresh token was rotated by another process; using what it saved"
                    );
                    if self.usable(&again) {
                        again
                    } else {
                        self.refresh(&again).await.map_err(to_token_error)?
                    }
                }
                Err(other) => return Err(to_token_error(other)),
            }
        };
        *self.handed_out.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(tokens.access_token().to_owned());
        Ok(AccessToken::new(
            tokens.access_token(),
            Some(tokens.expires_in()),
        ))
    }

    /// Whether `tokens` can be handed out as they are: fresh, and not the token the client
    /// asks to replace.
    fn usable(&self, tokens: &TokenSet) -> bool {
        let handed_out = self.handed_out.lock().unwrap_or_else(|e| e.into_inner());
        handed_out.as_deref() != Some(tokens.access_token()) && is_fresh(tokens, SystemTime::now())
    }

    /// Refreshes `tokens` and saves the result before it is used: a rotated refresh token
    /// lost now could not be had again.
    async fn refresh(&self, tokens: &TokenSet) -> Result<TokenSet, LwaError> {
        let fresh = self.lwa.refresh(tokens).await?;
        self.store.save(&fresh)?;
        tracing::debug!(
            target: "amazon_music::auth",
            store = %self.store.location(),
            "refreshed the access token"
        );
        Ok(fresh)
    }
}

/// A refused grant asks for a new sign-in; anything else is a failure to get a token.
fn to_token_error(error: LwaError) -> TokenError {
    match error {
        LwaError::SignInAgain { .. } => TokenError::SignInRequired(error.to_string()),
        other => TokenError::Failed(other.to_string()),
    }
}

/// Whether `tokens` still have more than [`REFRESH_MARGIN`] to live at `now` (a parameter so
/// that the boundary can be tested to the nanosecond).
fn is_fresh(tokens: &TokenSet, now: SystemTime) -> bool {
    tokens
        .expires_at()
        .duration_since(now)
        .is_ok_and(|left| left > REFRESH_MARGIN)
}

impl TokenProvider for LwaTokenProvider {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(self.next_token())
    }

    fn api_origin(&self) -> Option<String> {
        (!self.allow_other_hosts).then(|| self.lwa.hosts().api().to_owned())
    }
}
#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// `Debug` says which client and which store, and holds no token (the stored sign-in
    /// here has both kinds).
    #[test]
    fn debug_names_the_client_and_the_store_and_no_token() {
        let store = super::super::store::MemoryTokenStore::new();
        store
            .save(&TokenSet::new(
                "access-SECRET",
                Some("refresh-SECRET".into()),
                SystemTime::now() + Duration::from_secs(3600),
                Vec::new(),
            ))
            .unwrap();
        let lwa = Lwa::new(LwaConfig::new("client-7").base_url("http://127.0.0.1:9")).unwrap();
        let shown = format!("{:?}", LwaTokenProvider::new(lwa, store));
        assert!(
            shown.starts_with(
                "LwaTokenProvider { lwa: Lwa { config: LwaConfig { client_id: \"client-7\""
            ),
            "{shown}"
        );
        assert!(shown.contains("store: \"memory\""), "{shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    /// A stored sign-in with exactly the margin left is refreshed, not handed out: a request
    /// sent with it could arrive after it expired.
    #[test]
    fn a_stored_token_is_fresh_only_with_more_than_the_margin_left() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let expiring = |at| TokenSet::new("a", Some("r".into()), at, Vec::new());
        let nanosecond = Duration::from_nanos(1);
        assert!(is_fresh(&expiring(now + REFRESH_MARGIN + nanosecond), now));
        assert!(!is_fresh(&expiring(now + REFRESH_MARGIN), now));
        assert!(!is_fresh(&expiring(now + REFRESH_MARGIN - nanosecond), now));
        assert!(!is_fresh(&expiring(now - Duration::from_secs(1)), now));
        assert!(is_fresh(&expiring(now + Duration::from_secs(3600)), now));
    }
}
