//! What the emulator keeps: its set-up, the codes and tokens it handed out, and the caps that
//! bound them. The handlers of `consent`, `device` and `token` work on it; it knows none of
//! them.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use tokio::time::Instant;

use super::oauth::{self, OAuthError};
use crate::auth::Auth;
use crate::config::LwaConfig;

/// Live device codes (pending, approved, or recently finished) kept at most.
pub(super) const MAX_DEVICE_CODES: usize = 4096;
/// Unexchanged authorization codes kept at most.
pub(super) const MAX_AUTH_CODES: usize = 4096;
/// Refresh tokens kept at most; beyond, the oldest is forgotten (its holder must sign in).
const MAX_REFRESH_TOKENS: usize = 10_000;
/// Access tokens tracked (and accepted by the API) at most; beyond, the oldest is forgotten.
const MAX_ACCESS_TOKENS: usize = 10_000;
/// Poll times recorded across every device code at most (each code records up to its own
/// cap): without it, the per-code cap times [`MAX_DEVICE_CODES`] is millions.
pub(super) const MAX_POLLS_RECORDED_TOTAL: usize = 65_536;

/// The emulator: its set-up and everything it has handed out.
pub(crate) struct Lwa {
    config: LwaConfig,
    store: Mutex<Store>,
    /// Where the server listens, for `verification_uri` when a request has no usable Host.
    pub(super) bound: OnceLock<SocketAddr>,
}

#[derive(Default)]
pub(super) struct Store {
    pub(super) devices: HashMap<String, DeviceCode>,
    pub(super) codes: HashMap<String, AuthCode>,
    pub(super) refresh: HashMap<String, RefreshGrant>,
    /// Access tokens in the order issued, with when each expires.
    access: VecDeque<(String, Instant)>,
    /// Counts refresh tokens issued, to find the oldest when the map is full.
    serial: u64,
    /// Poll times recorded in `devices`, all codes together.
    pub(super) polls: usize,
}

pub(super) struct RefreshGrant {
    pub(super) user: String,
    pub(super) scopes: Vec<String>,
    serial: u64,
}

/// A code pair of the device flow, from its creation until it is dropped as long expired.
pub(super) struct DeviceCode {
    /// Normalised (see [`normalise_user_code`]).
    pub(super) user_code: String,
    pub(super) scopes: Vec<String>,
    pub(super) created: Instant,
    pub(super) expires_at: Instant,
    pub(super) interval: Duration,
    pub(super) last_poll: Option<Instant>,
    pub(super) polls: Vec<Duration>,
    pub(super) forced_slow_downs: u32,
    pub(super) decision: Decision,
}

pub(super) enum Decision {
    Pending,
    Approved(String),
    Denied,
    /// Exchanged for tokens: a device code works once.
    Consumed,
}

/// An authorization code of the consent page, until it is exchanged or expires.
pub(super) struct AuthCode {
    pub(super) user: String,
    pub(super) scopes: Vec<String>,
    /// Exactly as given at `/ap/oa`: the exchange must send the same string.
    pub(super) redirect_uri: String,
    pub(super) challenge: Option<String>,
    pub(super) expires_at: Instant,
}

/// A typed-in user code in the form codes are issued in: case, spaces and dashes do not
/// matter to the person typing it.
pub(super) fn normalise_user_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Store {
    /// Drops what can no longer be used. Device codes stay a second lifetime after expiring,
    /// so a late poll still hears `expired_token` and a test can still read its polls.
    pub(super) fn prune(&mut self, config: &LwaConfig, auth: &Auth, now: Instant) {
        let grace = config.device_code_lifetime;
        let polls = &mut self.polls;
        self.devices.retain(|_, d| {
            let keep = now < d.expires_at + grace;
            if !keep {
                *polls -= d.polls.len();
            }
            keep
        });
        self.codes.retain(|_, c| now < c.expires_at);
        while let Some((token, expires_at)) = self.access.front() {
            if now < *expires_at {
                break;
            }
            auth.forget([token.as_str()]);
            self.access.pop_front();
        }
    }

    fn device_by_user_code(&self, typed: &str) -> Option<&DeviceCode> {
        let code = normalise_user_code(typed);
        self.devices.values().find(|d| d.user_code == code)
    }

    /// Approves or denies a code that is still waiting (or approved and not yet collected).
    fn decide(&mut self, typed: &str, decision: Decision) -> bool {
        let code = normalise_user_code(typed);
        let now = Instant::now();
        let Some(device) = self
            .devices
            .values_mut()
            .find(|d| d.user_code == code && now < d.expires_at)
        else {
            return false;
        };
        match device.decision {
            Decision::Pending | Decision::Approved(_) => {
                device.decision = decision;
                true
            }
            Decision::Denied | Decision::Consumed => false,
        }
    }
}

impl Lwa {
    pub(crate) fn new(config: LwaConfig) -> Self {
        Self {
            config,
            store: Mutex::new(Store::default()),
            bound: OnceLock::new(),
        }
    }

    pub(crate) fn config(&self) -> &LwaConfig {
        &self.config
    }

    /// Records where the server listens (the first server to serve this state wins).
    pub(crate) fn set_bound(&self, addr: SocketAddr) {
        let _ = self.bound.set(addr);
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Issues an access token (registered with `auth`) and, if asked, a refresh token, for
    /// `user` with `scopes`, and answers them as LWA does.
    pub(super) fn issue(
        &self,
        store: &mut Store,
        auth: &Auth,
        user: &str,
        scopes: &[String],
        with_refresh: bool,
    ) -> Result<Response, OAuthError> {
        let access = oauth::secret("Atza|")?;
        let refresh = if with_refresh {
            Some(oauth::secret("Atzr|")?)
        } else {
            None
        };
        let now = Instant::now();
        store.prune(&self.config, auth, now);
        while store.access.len() >= MAX_ACCESS_TOKENS {
            if let Some((oldest, _)) = store.access.pop_front() {
                auth.forget([oldest.as_str()]);
            }
        }
        let lifetime = self.config.access_token_lifetime;
        auth.insert(
            access.clone(),
            user.to_owned(),
            scopes.to_vec(),
            Some(lifetime),
        );
        store.access.push_back((access.clone(), now + lifetime));

        let mut body = serde_json::json!({
            "access_token": access,
            "token_type": "bearer",
            "expires_in": lifetime.as_secs(),
        });
        if let Some(refresh) = refresh {
            if store.refresh.len() >= MAX_REFRESH_TOKENS {
                let oldest = store
                    .refresh
                    .iter()
                    .min_by_key(|(_, g)| g.serial)
                    .map(|(t, _)| t.clone());
                if let Some(oldest) = oldest {
                    store.refresh.remove(&oldest);
                }
            }
            store.serial += 1;
            store.refresh.insert(
                refresh.clone(),
                RefreshGrant {
                    user: user.to_owned(),
                    scopes: scopes.to_vec(),
                    serial: store.serial,
                },
            );
            body["refresh_token"] = refresh.into();
        }
        Ok(oauth::json(StatusCode::OK, &body))
    }

    /// Approves the device code whose user code is `user_code`, as the configured user.
    pub(crate) fn approve(&self, user_code: &str) -> bool {
        let user = self.config.user.clone();
        self.lock().decide(user_code, Decision::Approved(user))
    }

    /// Records that the person refused the device code whose user code is `user_code`.
    pub(crate) fn deny(&self, user_code: &str) -> bool {
        self.lock().decide(user_code, Decision::Denied)
    }

    /// Revokes every refresh token of `user`; how many there were.
    pub(crate) fn revoke_refresh_tokens(&self, user: &str) -> usize {
        let mut store = self.lock();
        let before = store.refresh.len();
        store.refresh.retain(|_, g| g.user != user);
        before - store.refresh.len()
    }

    /// Expires every access token issued so far; how many were still valid.
    pub(crate) fn expire_access_tokens(&self, auth: &Auth) -> usize {
        let store = self.lock();
        auth.expire(store.access.iter().map(|(t, _)| t.as_str()))
    }

    /// When each token poll of the code pair of `user_code` came, from the pair's creation.
    pub(crate) fn device_polls(&self, user_code: &str) -> Vec<Duration> {
        self.lock()
            .device_by_user_code(user_code)
            .map(|d| d.polls.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MockConfig;

    /// Beyond the cap, the refresh token forgotten is the oldest one issued, never another.
    #[test]
    fn beyond_the_cap_the_oldest_refresh_token_is_forgotten() {
        let lwa = Lwa::new(LwaConfig::default());
        let auth = Auth::new(&MockConfig::default());
        let scopes = ["music::catalog".to_owned()];
        let mut store = Store::default();
        let issue = |store: &mut Store| {
            let before: Vec<String> = store.refresh.keys().cloned().collect();
            lwa.issue(store, &auth, "u", &scopes, true).unwrap();
            store.refresh.keys().find(|k| !before.contains(k)).cloned()
        };
        let oldest = issue(&mut store).expect("a refresh token");
        let next = issue(&mut store).expect("another");
        // Fill up to the cap without comparing key sets each time.
        while store.refresh.len() < MAX_REFRESH_TOKENS {
            lwa.issue(&mut store, &auth, "u", &scopes, true).unwrap();
        }
        lwa.issue(&mut store, &auth, "u", &scopes, true).unwrap();
        assert_eq!(store.refresh.len(), MAX_REFRESH_TOKENS);
        assert!(!store.refresh.contains_key(&oldest), "the oldest is gone");
        assert!(store.refresh.contains_key(&next), "the next oldest stays");
    }
}
