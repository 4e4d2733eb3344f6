//! [`LwaTokenProvider`]: the client's tokens from a stored sign-in, refreshed with Login with
//! Amazon and saved back.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::lwa::{Lwa, LwaConfig, LwaError, TokenSet};
use super::store::{FileTokenStore, TokenStore};
use super::{AccessToken, REFRESH_MARGIN, TokenError, TokenFuture, TokenProvider};

/// A [`TokenProvider`] over a stored sign-in.
///
/// The first token is the stored access token while it is fresh; after that, and whenever the
/// client asks again (ahead of expiry, or after `401 INVALID_ACCESS_TOKEN`), it refreshes with
/// Login with Amazon and saves the result, a rotated refresh token included, before handing
/// the new token out. It re-reads the store each time, so a sign-in refreshed by another
/// process is picked up instead of refreshed twice. A revoked or expired refresh token, or no
/// stored sign-in, is [`Error::SignInRequired`](crate::Error::SignInRequired).
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
    /// The access token last handed to the client: asked again, the client wants another.
    handed_out: Mutex<Option<String>>,
}

impl fmt::Debug for LwaTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LwaTokenProvider")
            .field("lwa", &self.lwa)
            .field("store", &self.store.location())
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
            handed_out: Mutex::new(None),
        }
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

    async fn next_token(&self) -> Result<AccessToken, TokenError> {
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
        let already_handed_out = self
            .handed_out
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_deref()
            == Some(stored.access_token());
        let tokens = if !already_handed_out && is_fresh(&stored, SystemTime::now()) {
            stored
        } else {
            let fresh = self.lwa.refresh(&stored).await.map_err(|e| match e {
                LwaError::SignInAgain { .. } => TokenError::SignInRequired(e.to_string()),
                other => TokenError::Failed(other.to_string()),
            })?;
            // Saved before use: a rotated refresh token lost now could not be had again.
            self.store
                .save(&fresh)
                .map_err(|e| TokenError::Failed(e.to_string()))?;
            tracing::debug!(
                target: "amazon_music::auth",
                store = %self.store.location(),
                "refreshed the access token"
            );
            fresh
        };
        *self.handed_out.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(tokens.access_token().to_owned());
        Ok(AccessToken::new(
            tokens.access_token(),
            Some(tokens.expires_in()),
        ))
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
