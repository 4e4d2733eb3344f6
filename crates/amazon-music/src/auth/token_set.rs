//! What a sign-in or a refresh yields, and when it expires.
//!
//! The token store and the sign-in both handle these sets, so this file imports neither.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::hosts::SignInHosts;
use super::scope::Scope;

/// The longest lifetime taken from an answer: LWA's tokens last an hour and its codes minutes.
/// A number far beyond that is a broken answer, and added to the clock it would overflow.
pub(crate) const LONGEST_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// What a sign-in or refresh yields: the access token, the refresh token when LWA gave one,
/// when the access token expires, the scopes granted, and the hosts the sign-in is for
/// ([`SignInHosts`]; every set [`Lwa`](super::lwa::Lwa) makes has them). Secrets are
/// redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    access_token: String,
    refresh_token: Option<String>,
    expires_at: SystemTime,
    scopes: Vec<Scope>,
    hosts: Option<SignInHosts>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .field("hosts", &self.hosts)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl TokenSet {
    /// A token set from its parts (for a [`TokenStore`](super::store::TokenStore) of your own),
    /// with no hosts: add those it was made for with [`with_hosts`](Self::with_hosts), since
    /// [`LwaTokenProvider`](super::LwaTokenProvider) uses a set without them only when allowed
    /// to use any host.
    pub fn new(
        access_token: impl Into<String>,
        refresh_token: Option<String>,
        expires_at: SystemTime,
        scopes: Vec<Scope>,
    ) -> Self {
        Self {
            access_token: access_token.into(),
            refresh_token,
            expires_at,
            scopes,
            hosts: None,
        }
    }

    /// This set, made for `hosts`.
    pub fn with_hosts(mut self, hosts: SignInHosts) -> Self {
        self.hosts = Some(hosts);
        self
    }

    /// The hosts this sign-in was made for; `None` for a set built by hand without them.
    pub fn hosts(&self) -> Option<&SignInHosts> {
        self.hosts.as_ref()
    }

    /// This set without its hosts, for a refresh allowed to go to other hosts.
    pub(crate) fn without_hosts(mut self) -> Self {
        self.hosts = None;
        self
    }

    /// The access token. Keep it out of logs.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The refresh token, when LWA gave one. Keep it out of logs.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// When the access token stops working.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// How long the access token still works from now (zero once expired).
    pub fn expires_in(&self) -> Duration {
        self.expires_at
            .duration_since(SystemTime::now())
            .unwrap_or_default()
    }

    /// The scopes granted.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// This set with the refresh token of `previous` when LWA sent no new one: a refresh
    /// answer without a refresh token leaves the old one valid.
    pub(crate) fn keeping_refresh_token_of(mut self, previous: &TokenSet) -> Self {
        if self.refresh_token.is_none() {
            self.refresh_token.clone_from(&previous.refresh_token);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_counts_down_to_zero() {
        let now = SystemTime::now();
        let tokens = |at| TokenSet::new("a", None, at, Vec::new());
        let left = tokens(now + Duration::from_secs(3600)).expires_in();
        assert!(
            left > Duration::from_secs(3590) && left <= Duration::from_secs(3600),
            "{left:?}"
        );
        let gone = tokens(now - Duration::from_secs(10)).expires_in();
        assert_eq!(gone, Duration::ZERO);
    }

    #[test]
    fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
        let old = TokenSet::new("a1", Some("r1".into()), SystemTime::now(), vec![]);
        let new = TokenSet::new("a2", None, SystemTime::now(), vec![]);
        assert_eq!(
            new.keeping_refresh_token_of(&old).refresh_token(),
            Some("r1")
        );
        let rotated = TokenSet::new("a3", Some("r2".into()), SystemTime::now(), vec![]);
        assert_eq!(
            rotated.keeping_refresh_token_of(&old).refresh_token(),
            Some("r2")
        );
    }
}
