//! [`MockState`], what a mock server knows, shared by the API's handlers (`crate::server`)
//! and the sign-in emulator's (`crate::lwa`); and the embedded spec's checks, compiled once
//! per process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use amazon_music_spec::Spec;

use crate::auth::Auth;
use crate::catalog::Catalog;
use crate::config::{LwaConfig, MockConfig};
use crate::drift::{DriftInjection, DriftPlan, success_schema};
use crate::faults::FaultRule;
use crate::library::Libraries;
use crate::lwa::store::Lwa;
use crate::playback::Playback;
use crate::prng::Prng;
use crate::profiles::Profiles;
use crate::validation::{self, OperationSpec};

/// The embedded spec and the checks of its operations.
struct Compiled {
    spec: &'static Spec,
    operations: Vec<OperationSpec>,
}

/// [`Compiled`], made once per process: it never changes, and making it was most of a
/// server's start (a test suite starts hundreds of servers).
fn compiled() -> std::io::Result<&'static Compiled> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let spec = Spec::embedded().map_err(|e| e.to_string())?;
            let operations = validation::operations(spec).map_err(|e| e.to_string())?;
            Ok(Compiled { spec, operations })
        })
        .as_ref()
        .map_err(|e| std::io::Error::other(e.clone()))
}

pub(crate) struct Inner {
    pub(crate) operations: &'static [OperationSpec],
    pub(crate) by_route: HashMap<(&'static str, String), usize>,
    pub(crate) counters: Vec<AtomicU64>,
    pub(crate) faults: Vec<(FaultRule, AtomicU64)>,
    pub(crate) catalog: Catalog,
    pub(crate) libraries: Libraries,
    pub(crate) playback: Playback,
    pub(crate) profiles: Profiles,
    pub(crate) auth: Auth,
    lwa: Lwa,
    seed: u64,
    issued: AtomicU64,
    /// The spec the operations and the drift plan come from.
    pub(crate) spec: &'static Spec,
    /// The drifting service's plan.
    pub(crate) drift: Option<DriftPlan>,
}

/// Everything a mock server knows: its catalog, libraries, sessions, tokens and counters.
///
/// Cloning is cheap and clones share the state, so a [`router`](crate::router) embedded in another app and
/// the handle used to issue tokens or read counters see the same server.
#[derive(Clone)]
pub struct MockState(pub(crate) Arc<Inner>);

impl std::fmt::Debug for MockState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockState")
            .field("albums", &self.0.catalog.len())
            .field("operations", &self.0.operations.len())
            .finish_non_exhaustive()
    }
}

impl MockState {
    /// Builds the state from `config`: generates the catalog; the spec's checks are compiled
    /// once per process.
    pub fn new(config: &MockConfig) -> std::io::Result<Self> {
        let Compiled { spec, operations } = compiled()?;
        let by_route = operations
            .iter()
            .enumerate()
            .map(|(i, op)| ((op.method, format!("/v1{}", op.path)), i))
            .collect();
        let counters = operations.iter().map(|_| AtomicU64::new(0)).collect();
        let drift = config.drift.map(|seed| {
            let roots = operations
                .iter()
                .map(|op| success_schema(&spec.operations()[op.index]))
                .collect();
            DriftPlan::new(seed, spec, roots)
        });
        Ok(Self(Arc::new(Inner {
            spec,
            drift,
            by_route,
            counters,
            operations,
            faults: config
                .faults
                .iter()
                .map(|rule| (rule.clone(), AtomicU64::new(0)))
                .collect(),
            catalog: Catalog::generate(config.seed, config.catalog_size),
            libraries: Libraries::new(
                config.seed,
                config.initial_library.clone(),
                config.max_library_entries,
            ),
            playback: Playback::new(
                config.seed,
                config.skip_limit,
                config.max_sessions,
                config.max_queue,
                config.max_queue_entries,
            ),
            profiles: Profiles::new(config.seed),
            auth: Auth::new(config),
            lwa: Lwa::new(config.lwa.clone()),
            seed: config.seed,
            issued: AtomicU64::new(0),
        })))
    }

    /// Issues a new bearer token of `user` with `scopes`, valid for `lifetime` (`None`: for
    /// ever). A zero lifetime gives a token that is already expired.
    pub fn issue_token<S: Into<String>>(
        &self,
        user: &str,
        scopes: impl IntoIterator<Item = S>,
        lifetime: impl Into<Option<Duration>>,
    ) -> String {
        let n = self.0.issued.fetch_add(1, Ordering::Relaxed);
        let token = format!("mock-{}", Prng::derived(self.0.seed, "token", n).uuid());
        self.0.auth.insert(
            token.clone(),
            user.to_owned(),
            scopes.into_iter().map(Into::into).collect(),
            lifetime.into(),
        );
        token
    }

    /// How many requests reached the operation `operation_id` (whatever their answer, faults
    /// and refusals included); 0 for an unknown id.
    pub fn requests(&self, operation_id: &str) -> u64 {
        self.0
            .operations
            .iter()
            .position(|op| op.id == operation_id)
            .map_or(0, |i| self.0.counters[i].load(Ordering::Relaxed))
    }

    /// Every change a drifting mock ([`MockConfig::drift`]) has made to the answers it served
    /// so far, each listed once; empty when it does not drift.
    pub fn drift_served(&self) -> Vec<DriftInjection> {
        self.0
            .drift
            .as_ref()
            .map(DriftPlan::served)
            .unwrap_or_default()
    }

    /// The operationIds the mock serves, in spec order.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.0.operations.iter().map(|op| op.id.as_str()).collect()
    }

    /// The ids of every album of the catalog, in catalog order: real ids for tests of lookups.
    pub fn album_ids(&self) -> Vec<String> {
        self.0.catalog.album_ids().map(str::to_owned).collect()
    }

    /// The sign-in emulator's set-up.
    pub fn lwa_config(&self) -> &LwaConfig {
        self.0.lwa.config()
    }

    /// Approves the code pair whose user code is `user_code` (case, spaces and dashes
    /// ignored) as the configured [`LwaConfig::user`], as if they had typed it in at `/code`.
    /// `false` if no code pair that can still be approved has this user code (unknown,
    /// expired, denied or already exchanged).
    pub fn approve_user_code(&self, user_code: &str) -> bool {
        self.0.lwa.approve(user_code)
    }

    /// Refuses the code pair whose user code is `user_code`: its next poll answers
    /// `access_denied`. `false` if no code pair that can still be refused has this user code.
    pub fn deny_user_code(&self, user_code: &str) -> bool {
        self.0.lwa.deny(user_code)
    }

    /// Revokes every refresh token the emulator issued to `user`, as if they had signed the
    /// app out; their next refresh answers `invalid_grant`. Returns how many were revoked.
    pub fn revoke_refresh_tokens(&self, user: &str) -> usize {
        self.0.lwa.revoke_refresh_tokens(user)
    }

    /// Expires every access token the emulator issued so far, as if their hour had passed:
    /// the API then answers them `401 INVALID_ACCESS_TOKEN`. Returns how many were still
    /// valid. Tokens of [`MockConfig::tokens`] and [`issue_token`](Self::issue_token) are
    /// not touched.
    pub fn expire_access_tokens(&self) -> usize {
        self.0.lwa.expire_access_tokens(&self.0.auth)
    }

    /// When each token poll of the code pair of `user_code` arrived, measured on tokio's
    /// clock from the pair's creation (so virtual time under a paused test clock). Empty for
    /// an unknown user code.
    pub fn device_polls(&self, user_code: &str) -> Vec<Duration> {
        self.0.lwa.device_polls(user_code)
    }

    pub(crate) fn lwa(&self) -> &Lwa {
        &self.0.lwa
    }

    pub(crate) fn auth(&self) -> &Auth {
        &self.0.auth
    }
}
