//! How a mock server is set up: seed, credentials, limits, faults and the sign-in emulator.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use amazon_music_spec::Spec;

use crate::faults::FaultRule;

/// Every scope the spec declares (`music::catalog`, `music::library`, ...), in the spec's
/// order; the default token holds all of them. It reads as a slice
/// (`ALL_SCOPES.join(" ")`) and passes by value where scopes are asked for
/// (`issue_token("u", ALL_SCOPES, None)`).
pub const ALL_SCOPES: AllScopes = AllScopes;

/// The type of [`ALL_SCOPES`]: the scopes of the built-in spec, read from it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllScopes;

impl AllScopes {
    fn list() -> &'static [&'static str] {
        static SCOPES: OnceLock<Vec<&'static str>> = OnceLock::new();
        SCOPES.get_or_init(|| match Spec::embedded() {
            Ok(spec) => spec.scopes().into_iter().map(|(scope, _)| scope).collect(),
            // No server starts on a spec that does not parse (`MockState::new` fails), so
            // nothing is ever granted from this empty list.
            Err(_) => Vec::new(),
        })
    }
}

impl std::ops::Deref for AllScopes {
    type Target = [&'static str];

    fn deref(&self) -> &Self::Target {
        Self::list()
    }
}

impl IntoIterator for AllScopes {
    type Item = &'static str;
    type IntoIter = std::iter::Copied<std::slice::Iter<'static, &'static str>>;

    fn into_iter(self) -> Self::IntoIter {
        Self::list().iter().copied()
    }
}

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
    /// Playback sessions kept at most (all users together); beyond, creating one forgets the
    /// oldest. A standalone mock faces untrusted callers, and sessions are never ended by them.
    pub max_sessions: usize,
    /// Entries a playback session's queue holds at most; inserting beyond is refused with
    /// `400 BAD_REQUEST`, for the same reason as [`max_sessions`](Self::max_sessions), and so is
    /// creating a session that would start with more.
    pub max_queue: usize,
    /// Queue entries kept at most across every playback session (100,000 by default, a few
    /// tens of MB): without it the caps above multiply. Creating a session forgets the oldest
    /// sessions until its entries fit (as [`max_sessions`](Self::max_sessions) does), and one
    /// that could not fit alone is refused; inserting into a queue when the total is reached
    /// is refused with `400 BAD_REQUEST`, the queue unchanged (as beyond
    /// [`max_queue`](Self::max_queue)).
    pub max_queue_entries: usize,
    /// Library entries kept at most across every user's library (100,000 by default): saving
    /// an album when the total is reached is refused with `400 BAD_REQUEST`, the library
    /// unchanged, and removing one makes room. Each user's
    /// [`initial_library`](Self::initial_library) counts, and is always given: users come
    /// from the configured and issued tokens, never from callers.
    pub max_library_entries: usize,
    /// The albums each user's library holds before anything is added, oldest first.
    pub initial_library: Vec<String>,
    /// Faults to inject, checked in order: every latency that is due is waited out, and the
    /// first other fault that is due decides the answer (the rest are not applied, though each
    /// counts the request towards its `first=N`).
    pub faults: Vec<FaultRule>,
    /// The Login with Amazon emulator: its client, its user, lifetimes and test switches.
    pub lwa: LwaConfig,
    /// Serve a drifting service, with this seed: success bodies gain fields the spec does not
    /// declare, values its `x-extensible-enum`s do not list and `null` for an optional
    /// property, the same ones for the same seed (see [`MockState::drift_served`](crate::MockState::drift_served)).
    /// `None` (the default) serves the spec as written.
    pub drift: Option<u64>,
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
            max_sessions: 10_000,
            max_queue: 10_000,
            max_queue_entries: 100_000,
            max_library_entries: 100_000,
            // The two albums of the spec's library example.
            initial_library: vec!["B07B62ZK5S".to_owned(), "B06VWVWDDH".to_owned()],
            faults: Vec::new(),
            lwa: LwaConfig::default(),
            drift: None,
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
            .field("max_sessions", &self.max_sessions)
            .field("max_queue", &self.max_queue)
            .field("max_queue_entries", &self.max_queue_entries)
            .field("max_library_entries", &self.max_library_entries)
            .field("initial_library", &self.initial_library)
            .field("faults", &self.faults)
            .field("lwa", &self.lwa)
            .field("drift", &self.drift)
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

    /// Keeps at most `sessions` playback sessions (at least one), forgetting the oldest.
    pub fn max_sessions(mut self, sessions: usize) -> Self {
        self.max_sessions = sessions.max(1);
        self
    }

    /// Lets each playback session's queue hold at most `entries` entries (at least one).
    pub fn max_queue(mut self, entries: usize) -> Self {
        self.max_queue = entries.max(1);
        self
    }

    /// Keeps at most `entries` queue entries across every playback session (at least one).
    pub fn max_queue_entries(mut self, entries: usize) -> Self {
        self.max_queue_entries = entries.max(1);
        self
    }

    /// Keeps at most `entries` library entries across every user's library (at least one).
    pub fn max_library_entries(mut self, entries: usize) -> Self {
        self.max_library_entries = entries.max(1);
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

    /// Sets up the Login with Amazon emulator.
    pub fn lwa(mut self, lwa: LwaConfig) -> Self {
        self.lwa = lwa;
        self
    }

    /// Serves a drifting service drawn from `seed` (see [`drift`](Self::drift)).
    pub fn drift(mut self, seed: u64) -> Self {
        self.drift = Some(seed);
        self
    }
}

/// The set-up of the Login with Amazon emulator the mock serves next to the API.
///
/// `LwaConfig::default()` is the client `mock-client-id` without a secret, signing in the user
/// `mock-user`, with access tokens of an hour, device codes of ten minutes polled every five
/// seconds, consent given at once, device codes waiting for approval, and refresh tokens
/// rotated on every refresh. The builder methods change one thing each:
///
/// ```
/// use std::time::Duration;
/// use amazon_music_mock::{LwaConfig, MockConfig};
///
/// let config = MockConfig::default().lwa(
///     LwaConfig::default()
///         .client_secret("s3cret")
///         .auto_approve(true)
///         .poll_interval(Duration::from_secs(1)),
/// );
/// assert!(config.lwa.auto_approve);
/// assert!(!format!("{config:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct LwaConfig {
    /// The one client (security profile) the emulator knows; any other gets `invalid_client`.
    pub client_id: String,
    /// The client's secret. When set, the authorization code and refresh token grants must
    /// send it, PKCE or not (without it, or with another, the token endpoint answers
    /// `invalid_client` with 401); the device code grant, which LWA runs without a secret,
    /// needs none, but one it sends must be this one. When `None`, a secret sent is ignored.
    pub client_secret: Option<String>,
    /// The person who consents at `/ap/oa` and approves device codes at `/code`: tokens
    /// issued act for this user, so the API shows this user's library and sessions.
    pub user: String,
    /// How long an issued access token is valid (the `expires_in` of a token answer).
    pub access_token_lifetime: Duration,
    /// How long a device code can be approved and polled.
    pub device_code_lifetime: Duration,
    /// The shortest time between two polls of a device code at first (the `interval` of a
    /// code pair, rounded up to whole seconds); each `slow_down` adds five seconds.
    pub poll_interval: Duration,
    /// Approve every device code as [`user`](Self::user) when it is created, as if the person
    /// had typed it in at once.
    pub auto_approve: bool,
    /// Refuse consent at `/ap/oa`: the browser is sent back with `error=access_denied`.
    pub deny_consent: bool,
    /// Answer the first N polls of each device code `slow_down`, whatever their timing, so a
    /// client's handling of it can be tested without racing a clock.
    pub slow_down_first: u32,
    /// Give a new refresh token on each refresh and invalidate the old one; when `false`, a
    /// refresh answer carries no refresh token and the old one stays valid.
    pub rotate_refresh_tokens: bool,
}

impl Default for LwaConfig {
    fn default() -> Self {
        Self {
            client_id: "mock-client-id".to_owned(),
            client_secret: None,
            user: "mock-user".to_owned(),
            access_token_lifetime: Duration::from_secs(3600),
            device_code_lifetime: Duration::from_secs(600),
            poll_interval: Duration::from_secs(5),
            auto_approve: false,
            deny_consent: false,
            slow_down_first: 0,
            rotate_refresh_tokens: true,
        }
    }
}

impl std::fmt::Debug for LwaConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LwaConfig")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("user", &self.user)
            .field("access_token_lifetime", &self.access_token_lifetime)
            .field("device_code_lifetime", &self.device_code_lifetime)
            .field("poll_interval", &self.poll_interval)
            .field("auto_approve", &self.auto_approve)
            .field("deny_consent", &self.deny_consent)
            .field("slow_down_first", &self.slow_down_first)
            .field("rotate_refresh_tokens", &self.rotate_refresh_tokens)
            .finish()
    }
}

impl LwaConfig {
    /// Sets the client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = id.into();
        self
    }

    /// Gives the client a secret.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// Sets the user who signs in.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = user.into();
        self
    }

    /// Sets how long access tokens are valid.
    pub fn access_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.access_token_lifetime = lifetime;
        self
    }

    /// Sets how long device codes are valid.
    pub fn device_code_lifetime(mut self, lifetime: Duration) -> Self {
        self.device_code_lifetime = lifetime;
        self
    }

    /// Sets the first polling interval of device codes.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Approves device codes as soon as they are created (or not).
    pub fn auto_approve(mut self, yes: bool) -> Self {
        self.auto_approve = yes;
        self
    }

    /// Refuses consent at `/ap/oa` (or not).
    pub fn deny_consent(mut self, yes: bool) -> Self {
        self.deny_consent = yes;
        self
    }

    /// Answers the first `polls` polls of each device code `slow_down`.
    pub fn slow_down_first(mut self, polls: u32) -> Self {
        self.slow_down_first = polls;
        self
    }

    /// Rotates refresh tokens on refresh (or not).
    pub fn rotate_refresh_tokens(mut self, yes: bool) -> Self {
        self.rotate_refresh_tokens = yes;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_configuration_prints_everything_but_the_secret() {
        let config = LwaConfig::default()
            .client_id("amzn1.application-oa2-client.test")
            .client_secret("s3cret-value");
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret-value"), "{printed}");
        for part in [
            "LwaConfig {",
            "client_id: \"amzn1.application-oa2-client.test\"",
            "client_secret: Some(\"<redacted>\")",
            "user: \"mock-user\"",
            "poll_interval: 5s",
            "rotate_refresh_tokens: true",
        ] {
            assert!(printed.contains(part), "{part} not in {printed}");
        }
        assert!(format!("{:?}", LwaConfig::default()).contains("client_secret: None"));
    }

    #[test]
    fn the_mock_configuration_prints_everything_but_its_credentials() {
        let config = MockConfig::default().seed(9).api_key("key-SECRET-1").token(
            "token-SECRET-2",
            "u7",
            ["music::catalog"],
        );
        let printed = format!("{config:?}");
        for secret in ["key-SECRET-1", "token-SECRET-2"] {
            assert!(!printed.contains(secret), "{printed}");
        }
        for part in [
            "MockConfig {",
            "seed: 9",
            "api_key: \"<redacted>\"",
            "TokenGrant { token: \"<redacted>\", user: \"u7\", scopes: [\"music::catalog\"] }",
        ] {
            assert!(printed.contains(part), "{part} not in {printed}");
        }
    }

    #[test]
    fn the_builders_set_what_they_name() {
        let addr: std::net::SocketAddr = "127.0.0.1:4321".parse().unwrap();
        let config = MockConfig::default()
            .addr(addr)
            .max_queue(0)
            .max_sessions(0)
            .max_queue_entries(0)
            .max_library_entries(0);
        assert_eq!(config.addr, Some(addr));
        // At least one of each, whatever is asked.
        assert_eq!(
            (
                config.max_queue,
                config.max_sessions,
                config.max_queue_entries,
                config.max_library_entries
            ),
            (1, 1, 1, 1)
        );
        let config = MockConfig::default()
            .seed(3)
            .catalog_size(12)
            .api_key("other-key");
        assert_eq!(
            (config.seed, config.catalog_size, config.api_key.as_str()),
            (3, 12, "other-key")
        );
        assert_eq!(LwaConfig::default().user("alice").user, "alice");
    }
}
