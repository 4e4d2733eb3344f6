//! Access tokens: a fixed one, or one a [`TokenProvider`] refreshes, one refresh in flight.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use amazon_music_api::Credentials;
use tokio::sync::Mutex;

use crate::Error;

/// Refresh this long before a token's announced expiry, so that no request carries a token
/// that expires on the way.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// A bearer token and when it stops working.
#[derive(Clone)]
pub struct AccessToken {
    secret: String,
    expires_at: Option<Instant>,
}

impl AccessToken {
    /// A token that lasts `lifetime` from now (`None`, or a lifetime beyond what the clock can
    /// hold: until the API refuses it).
    pub fn new(secret: impl Into<String>, lifetime: Option<Duration>) -> Self {
        Self {
            secret: secret.into(),
            expires_at: lifetime.and_then(|l| Instant::now().checked_add(l)),
        }
    }

    /// The token itself. Keep it out of logs.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Whether the token has more than [`REFRESH_MARGIN`] to live at `now`.
    fn is_fresh_at(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|at| now + REFRESH_MARGIN < at)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a [`TokenProvider`] could not supply a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Nothing short of signing in again helps: no stored sign-in, or the refresh token was
    /// revoked or expired. The client reports it as [`Error::SignInRequired`].
    #[error("{0}")]
    SignInRequired(String),
    /// Anything else (the token service unreachable, a store that cannot be read, ...); the
    /// client reports it as [`Error::Token`].
    #[error("{0}")]
    Failed(String),
}

impl From<String> for TokenError {
    fn from(message: String) -> Self {
        TokenError::Failed(message)
    }
}

impl From<&str> for TokenError {
    fn from(message: &str) -> Self {
        TokenError::Failed(message.to_owned())
    }
}

impl TokenError {
    /// The token part of a client error, keeping whether a new sign-in is needed.
    pub(crate) fn from_client_error(error: Error) -> Self {
        match error {
            Error::SignInRequired(message) => TokenError::SignInRequired(message),
            Error::Token(message) => TokenError::Failed(message),
            other => TokenError::Failed(other.to_string()),
        }
    }
}

impl From<TokenError> for Error {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::SignInRequired(message) => Error::SignInRequired(message),
            TokenError::Failed(message) => Error::Token(message),
        }
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Supplies fresh access tokens (from a refresh token, a secrets store, ...).
///
/// ```
/// use amazon_music::auth::{AccessToken, TokenFuture, TokenProvider};
/// use std::time::Duration;
///
/// struct FromRefreshToken;
///
/// impl TokenProvider for FromRefreshToken {
///     fn fetch(&self) -> TokenFuture<'_> {
///         Box::pin(async {
///             // exchange the refresh token at Login with Amazon here
///             Ok(AccessToken::new("new-access-token", Some(Duration::from_secs(3600))))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// Fetches a new token. The error reaches the caller as [`Error::SignInRequired`] or
    /// [`Error::Token`] (see [`TokenError`]).
    fn fetch(&self) -> TokenFuture<'_>;

    /// The origin (`https://api.music.amazon.dev`) of the one API this provider's tokens are
    /// for, or `None` (the default) when they may go to any.
    /// [`ClientBuilder::build`](crate::ClientBuilder::build) refuses a base URL on another
    /// origin, so a token never reaches an API it was not made for.
    fn api_origin(&self) -> Option<String> {
        None
    }
}

/// Holds the current token and refreshes it, one refresh at a time, writing each new token into
/// the credentials every request reads. A fixed token is written once, so the common case costs
/// a request nothing.
#[derive(Clone)]
pub(crate) struct TokenSource {
    provider: Option<Arc<dyn TokenProvider>>,
    current: Arc<Mutex<Option<AccessToken>>>,
    /// Shares its secrets with the client's credentials (but not their transport, which holds
    /// this source: no reference cycle).
    credentials: Credentials,
}

impl TokenSource {
    pub(crate) fn fixed(credentials: Credentials, token: &str) -> Result<Self, Error> {
        credentials
            .try_set_token(token)
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Self {
            provider: None,
            current: Arc::new(Mutex::new(Some(AccessToken::new(token, None)))),
            credentials,
        })
    }

    pub(crate) fn provided(credentials: Credentials, provider: Arc<dyn TokenProvider>) -> Self {
        Self {
            provider: Some(provider),
            current: Arc::new(Mutex::new(None)),
            credentials,
        }
    }

    /// Whether a refused token can be replaced.
    pub(crate) fn can_refresh(&self) -> bool {
        self.provider.is_some()
    }

    /// Makes sure the credentials hold a token that is not about to expire. Concurrent callers
    /// wait on the same lock, so only the first fetches and the others reuse its result.
    pub(crate) async fn ensure_fresh(&self) -> Result<(), Error> {
        let Some(provider) = &self.provider else {
            return Ok(());
        };
        let mut current = self.current.lock().await;
        if current
            .as_ref()
            .is_some_and(|token| token.is_fresh_at(Instant::now()))
        {
            return Ok(());
        }
        let token = provider.fetch().await?;
        self.install(&token)?;
        *current = Some(token);
        Ok(())
    }

    /// The API refused `rejected`: fetch a new token unless another request already replaced
    /// it, in which case that one is returned.
    pub(crate) async fn replace(&self, rejected: &str) -> Result<Option<String>, Error> {
        let Some(provider) = &self.provider else {
            return Ok(None);
        };
        let mut current = self.current.lock().await;
        if let Some(token) = &*current
            && token.secret != rejected
        {
            return Ok(Some(token.secret.clone()));
        }
        let token = provider.fetch().await?;
        self.install(&token)?;
        let secret = token.secret.clone();
        *current = Some(token);
        Ok(Some(secret))
    }

    fn install(&self, token: &AccessToken) -> Result<(), Error> {
        self.credentials
            .try_set_token(&token.secret)
            .map_err(|e| Error::Token(e.to_string()))
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("refreshable", &self.provider.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    struct Counting {
        fetches: AtomicU32,
        lifetime: Option<Duration>,
    }

    impl TokenProvider for Counting {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async move {
                let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
                // Let other waiters pile up on the lock while this fetch is in flight.
                tokio::task::yield_now().await;
                Ok(AccessToken::new(format!("token-{n}"), self.lifetime))
            })
        }
    }

    /// A lifetime the clock cannot hold is no expiry, not a panic.
    #[test]
    fn a_lifetime_beyond_the_clock_means_no_known_expiry() {
        let token = AccessToken::new("t", Some(Duration::MAX));
        assert_eq!(token.expires_at, None);
        assert!(token.is_fresh_at(Instant::now()));
    }

    #[test]
    fn a_token_gives_its_secret_to_whoever_asks_and_not_to_debug() {
        let token = AccessToken::new("tok-1", None);
        assert_eq!(token.secret(), "tok-1");
        let shown = format!("{token:?}");
        assert!(!shown.contains("tok-1"), "{shown}");
        assert!(
            shown.contains("<redacted>") && shown.contains("expires_at: None"),
            "{shown}"
        );
    }

    /// The same rule as a stored sign-in's: exactly the margin left is not enough.
    #[test]
    fn a_token_is_fresh_only_with_more_than_the_margin_left() {
        let now = Instant::now();
        let expiring = |at| AccessToken {
            secret: "a".into(),
            expires_at: Some(at),
        };
        let nanosecond = Duration::from_nanos(1);
        assert!(expiring(now + REFRESH_MARGIN + nanosecond).is_fresh_at(now));
        assert!(!expiring(now + REFRESH_MARGIN).is_fresh_at(now));
        assert!(!expiring(now).is_fresh_at(now));
        assert!(AccessToken::new("b", None).is_fresh_at(now));
    }

    #[tokio::test]
    async fn debug_says_whether_it_refreshes_and_shows_no_token() {
        let provider = Arc::new(Counting {
            fetches: AtomicU32::new(0),
            lifetime: None,
        });
        let source = TokenSource::provided(Credentials::default(), provider);
        source.ensure_fresh().await.unwrap();
        let shown = format!("{source:?}");
        assert!(shown.contains("refreshable: true"), "{shown}");
        assert!(!shown.contains("token-"), "{shown}");
        let fixed = TokenSource::fixed(Credentials::default(), "token-fixed").unwrap();
        let shown = format!("{fixed:?}");
        assert!(shown.contains("refreshable: false"), "{shown}");
        assert!(!shown.contains("token-fixed"), "{shown}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_waiters_share_one_fetch() {
        let provider = Arc::new(Counting {
            fetches: AtomicU32::new(0),
            lifetime: Some(Duration::from_secs(3600)),
        });
        let source = TokenSource::provided(Credentials::default(), provider.clone());
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let source = source.clone();
                tokio::spawn(async move { source.ensure_fresh().await.unwrap() })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(provider.fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_token_about_to_expire_is_refreshed_ahead() {
        let provider = Arc::new(Counting {
            fetches: AtomicU32::new(0),
            lifetime: Some(REFRESH_MARGIN / 2),
        });
        let source = TokenSource::provided(Credentials::default(), provider.clone());
        source.ensure_fresh().await.unwrap();
        source.ensure_fresh().await.unwrap();
        assert_eq!(provider.fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_rejected_token_is_replaced_once() {
        let provider = Arc::new(Counting {
            fetches: AtomicU32::new(0),
            lifetime: None,
        });
        let source = TokenSource::provided(Credentials::default(), provider.clone());
        source.ensure_fresh().await.unwrap();
        assert_eq!(
            source.replace("token-1").await.unwrap().as_deref(),
            Some("token-2")
        );
        // A second request that also saw token-1 refused reuses token-2.
        assert_eq!(
            source.replace("token-1").await.unwrap().as_deref(),
            Some("token-2")
        );
        assert_eq!(provider.fetches.load(Ordering::SeqCst), 2);
    }
}
