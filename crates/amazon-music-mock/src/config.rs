//! How a mock server is set up: seed, credentials, limits and faults.

use std::net::SocketAddr;
use std::time::Duration;

use crate::faults::FaultRule;

/// The four scopes the spec names; the default token holds all of them.
pub const ALL_SCOPES: [&str; 4] = [
    "music::catalog",
    "music::library",
    "music::library::read",
    "music::playback",
];

/// A bearer token the mock accepts from the start, the user it belongs to, and its scopes.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// The bearer token, as sent in `Authorization: Bearer <token>`.
    pub token: String,
    /// The user the token belongs to; each user has their own library and sessions.
    pub user: String,
    /// The scopes the token grants, such as `music::catalog`.
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenGrant")
            .field("token", &"<redacted>")
            .field("user", &self.user)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// The set-up of a [`MockServer`](crate::MockServer).
///
/// `MockConfig::default()` is a server on `127.0.0.1:0` with seed 0, API key `mock-api-key`
/// and one token, `mock-token`, of user `mock-user`, holding every scope and never expiring.
/// The builder methods change one thing each:
///
/// ```
/// use std::time::Duration;
/// use amazon_music_mock::{FaultRule, MockConfig};
///
/// let config = MockConfig::default()
///     .seed(7)
///     .token_lifetime(Duration::from_secs(3600))
///     .skip_limit(6)
///     .fault("getAlbum:throttle=1:first=2".parse::<FaultRule>()?);
/// assert_eq!(config.seed, 7);
/// # Ok::<(), amazon_music_mock::FaultParseError>(())
/// ```
#[derive(Clone)]
pub struct MockConfig {
    /// Where to listen; `None` binds `127.0.0.1:0` (a free port).
    pub addr: Option<SocketAddr>,
    /// The seed of the catalog, the ids the mock invents and its shuffles.
    pub seed: u64,
    /// How many generated albums the catalog holds besides the documented ones.
    pub catalog_size: usize,
    /// The `x-api-key` value every request must carry.
    pub api_key: String,
    /// The tokens accepted from the start.
    pub tokens: Vec<TokenGrant>,
    /// How long the tokens of [`tokens`](Self::tokens) stay valid from the server's start;
    /// `None` for ever.
    pub token_lifetime: Option<Duration>,
    /// Skips (next) each playback session allows; `None` for unlimited.
    pub skip_limit: Option<u32>,
    /// The albums each user's library holds before anything is added, oldest first.
    pub initial_library: Vec<String>,
    /// Faults to inject, checked in order.
    pub faults: Vec<FaultRule>,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            addr: None,
            seed: 0,
            catalog_size: 1000,
            api_key: "mock-api-key".to_owned(),
            tokens: vec![TokenGrant {
                token: "mock-token".to_owned(),
                user: "mock-user".to_owned(),
                scopes: ALL_SCOPES.iter().map(|s| s.to_string()).collect(),
            }],
            token_lifetime: None,
            skip_limit: None,
            // The two albums of the spec's library example.
            initial_library: vec!["B07B62ZK5S".to_owned(), "B06VWVWDDH".to_owned()],
            faults: Vec::new(),
        }
    }
}

impl std::fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockConfig")
            .field("addr", &self.addr)
            .field("seed", &self.seed)
            .field("catalog_size", &self.catalog_size)
            .field("api_key", &"<redacted>")
            .field("tokens", &self.tokens)
            .field("token_lifetime", &self.token_lifetime)
            .field("skip_limit", &self.skip_limit)
            .field("initial_library", &self.initial_library)
            .field("faults", &self.faults)
            .finish()
    }
}

impl MockConfig {
    /// Listens on `addr` instead of a free loopback port.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = Some(addr);
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the number of generated albums.
    pub fn catalog_size(mut self, albums: usize) -> Self {
        self.catalog_size = albums;
        self
    }

    /// Sets the API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Accepts one more token, of `user`, with `scopes`.
    pub fn token<S: Into<String>>(
        mut self,
        token: impl Into<String>,
        user: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        self.tokens.push(TokenGrant {
            token: token.into(),
            user: user.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Makes the configured tokens expire `lifetime` after the server starts.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// Limits each playback session to `skips` skips.
    pub fn skip_limit(mut self, skips: u32) -> Self {
        self.skip_limit = Some(skips);
        self
    }

    /// Sets the albums each library starts with.
    pub fn initial_library<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.initial_library = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a fault.
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }
}
