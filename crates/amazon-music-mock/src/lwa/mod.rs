//! A Login with Amazon emulator, served on the API's port, so that a client signs in against
//! the mock exactly as against LWA and then calls the API with the token it got.
//!
//! | route                            | what                                                   |
//! |----------------------------------|--------------------------------------------------------|
//! | `POST /auth/o2/create/codepair`  | device flow, step 1: a user code and a device code     |
//! | `POST /auth/o2/token`            | every grant: `device_code`, `authorization_code`, `refresh_token` |
//! | `GET /ap/oa`                     | the browser consent page of the authorization code grant |
//! | `GET`/`POST /code`               | the page where a person types in a user code            |
//!
//! The routes skip the API's pipeline (no `x-api-key`, no spec checks, no counters); they go
//! through the request log, which logs paths only, so a code in a query never reaches it.
//! The one configured user consents at once; access tokens are registered with the API's
//! [`Auth`] with the scopes granted, so the API enforces exactly what was consented to.
//!
//! Where LWA's docs leave room the emulator is strict, to catch client bugs: a parameter given
//! twice is `invalid_request`; an authorization code is spent by any exchange that names it,
//! even a failed one, so a stolen code cannot be tried against many verifiers; a code issued
//! with a PKCE challenge needs its verifier even from a client that also sends its secret.
//!
//! Everything is bounded, since the standalone mock may face untrusted callers: codes are
//! dropped once long expired, live device and authorization codes are capped (beyond the
//! cap, `temporarily_unavailable`), the oldest refresh and access tokens are forgotten
//! beyond theirs, and what a code keeps is bounded in size, so the caps do not multiply:
//! recorded poll times per code and across all codes, the length of a redirect URI.

mod consent;
mod device;
mod oauth;
mod token;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use tokio::time::Instant;

use crate::auth::Auth;
use crate::config::LwaConfig;
use crate::server::MockState;

use oauth::OAuthError;

/// Live device codes (pending, approved, or recently finished) kept at most.
const MAX_DEVICE_CODES: usize = 4096;
/// Unexchanged authorization codes kept at most.
const MAX_AUTH_CODES: usize = 4096;
/// Refresh tokens kept at most; beyond, the oldest is forgotten (its holder must sign in).
const MAX_REFRESH_TOKENS: usize = 10_000;
/// Access tokens tracked (and accepted by the API) at most; beyond, the oldest is forgotten.
const MAX_ACCESS_TOKENS: usize = 10_000;
/// Poll times recorded across every device code at most (each code records up to its own
/// cap): without it, the per-code cap times [`MAX_DEVICE_CODES`] is millions.
const MAX_POLLS_RECORDED_TOTAL: usize = 65_536;

/// The emulator: its set-up and everything it has handed out.
pub(crate) struct Lwa {
    config: LwaConfig,
    store: Mutex<Store>,
    /// Where the server listens, for `verification_uri` when a request has no usable Host.
    bound: OnceLock<SocketAddr>,
}

#[derive(Default)]
struct Store {
    devices: HashMap<String, device::DeviceCode>,
    codes: HashMap<String, consent::AuthCode>,
    refresh: HashMap<String, RefreshGrant>,
    /// Access tokens in the order issued, with when each expires.
    access: VecDeque<(String, Instant)>,
    /// Counts refresh tokens issued, to find the oldest when the map is full.
    serial: u64,
    /// Poll times recorded in `devices`, all codes together.
    polls: usize,
}

struct RefreshGrant {
    user: String,
    scopes: Vec<String>,
    serial: u64,
}

impl Store {
    /// Drops what can no longer be used. Device codes stay a second lifetime after expiring,
    /// so a late poll still hears `expired_token` and a test can still read its polls.
    fn prune(&mut self, config: &LwaConfig, auth: &Auth, now: Instant) {
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

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Issues an access token (registered with `auth`) and, if asked, a refresh token, for
    /// `user` with `scopes`, and answers them as LWA does.
    fn issue(
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
        self.lock()
            .decide(user_code, device::Decision::Approved(user))
    }

    /// Records that the person refused the device code whose user code is `user_code`.
    pub(crate) fn deny(&self, user_code: &str) -> bool {
        self.lock().decide(user_code, device::Decision::Denied)
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

/// The emulator's routes, at the root of the API's router.
pub(crate) fn routes(state: MockState) -> Router {
    Router::new()
        .route("/auth/o2/create/codepair", post(device::create_codepair))
        .route("/auth/o2/token", post(token::token))
        .route("/ap/oa", get(consent::authorize))
        .route("/code", get(device::verification_page).post(device::verify))
        .with_state(state)
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
