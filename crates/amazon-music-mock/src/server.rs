//! The HTTP side: the router, the per-request pipeline (count, faults, auth, spec checks),
//! the handlers, and [`MockServer`], which runs it all on a socket. The sign-in emulator's
//! routes (`crate::lwa`) share the router but not the pipeline.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use amazon_music_spec::Spec;
use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, MatchedPath, Path, RawPathParams, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::Auth;
use crate::catalog::Catalog;
use crate::config::{LwaConfig, MockConfig};
use crate::drift::{DriftInjection, DriftPlan, success_schema};
use crate::error::{ApiError, ok_empty, ok_json};
use crate::faults::{self, FaultKind, FaultRule};
use crate::library::Libraries;
use crate::lwa::store::Lwa;
use crate::playback::Playback;
use crate::validation::{self, Checked, OperationSpec};

/// The spec the mock serves, embedded at build time: the spec crate's copy,
/// [`amazon_music_spec::SPEC_YAML`], so that the mock and every checker agree.
pub const SPEC_YAML: &str = amazon_music_spec::SPEC_YAML;

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
            if let Some(op) = operations
                .iter()
                .find(|op| handler(&op.id).is_none() || method_filter(op.method).is_none())
            {
                return Err(format!("the mock cannot serve operation {}", op.id));
            }
            Ok(Compiled { spec, operations })
        })
        .as_ref()
        .map_err(|e| std::io::Error::other(e.clone()))
}

/// The largest request body the mock reads; the API's bodies are a few hundred bytes.
const MAX_BODY: usize = 1 << 20;

struct Inner {
    operations: &'static [OperationSpec],
    by_route: HashMap<(&'static str, String), usize>,
    counters: Vec<AtomicU64>,
    faults: Vec<(FaultRule, AtomicU64)>,
    catalog: Catalog,
    libraries: Libraries,
    playback: Playback,
    auth: Auth,
    lwa: Lwa,
    seed: u64,
    issued: AtomicU64,
    /// The spec the operations and the drift plan come from.
    spec: &'static Spec,
    /// The drifting service's plan.
    drift: Option<DriftPlan>,
}

/// Everything a mock server knows: its catalog, libraries, sessions, tokens and counters.
///
/// Cloning is cheap and clones share the state, so a [`router`] embedded in another app and
/// the handle used to issue tokens or read counters see the same server.
#[derive(Clone)]
pub struct MockState(Arc<Inner>);

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
        let token = format!(
            "mock-{}",
            crate::prng::Prng::derived(self.0.seed, "token", n).uuid()
        );
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

/// What the pipeline hands a handler: the user the token belongs to and the checked input.
struct Ctx {
    user: String,
    checked: Checked,
}

type Context = Extension<Arc<Ctx>>;

/// The method filter of an upper-case HTTP method.
fn method_filter(method: &str) -> Option<MethodFilter> {
    Some(match method {
        "GET" => MethodFilter::GET,
        "PUT" => MethodFilter::PUT,
        "POST" => MethodFilter::POST,
        "DELETE" => MethodFilter::DELETE,
        "PATCH" => MethodFilter::PATCH,
        "HEAD" => MethodFilter::HEAD,
        "OPTIONS" => MethodFilter::OPTIONS,
        "TRACE" => MethodFilter::TRACE,
        _ => return None,
    })
}

/// The handler of the operation `id`, for the method the spec gives it.
fn handler(id: &str) -> Option<fn(MethodFilter) -> MethodRouter<MockState>> {
    Some(match id {
        "getAlbum" => |m| on(m, get_album),
        "getAlbums" => |m| on(m, get_albums),
        "getLibraryAlbums" => |m| on(m, get_library_albums),
        "addLibraryAlbum" => |m| on(m, add_library_album),
        "removeLibraryAlbum" => |m| on(m, remove_library_album),
        "createPlaybackSession" => |m| on(m, create_session),
        "getActivePlaybackSessions" => |m| on(m, active_sessions),
        "getCurrentPlaybackEntity" => |m| on(m, current),
        "getNextPlaybackEntity" => |m| on(m, next),
        "getPreviousPlaybackEntity" => |m| on(m, previous),
        "getPlaybackQueue" => |m| on(m, queue),
        "refreshPlaybackSession" => |m| on(m, refresh),
        "queueNext" => |m| on(m, queue_next),
        "queueLast" => |m| on(m, queue_last),
        "setLoopMode" => |m| on(m, set_loop),
        "setShuffleMode" => |m| on(m, set_shuffle),
        "reportPlaybackEvent" => |m| on(m, report_event),
        _ => return None,
    })
}

/// The mock's routes: the API under `/v1` and the sign-in emulator at the root
/// (`/auth/o2/...`, `/ap/oa`, `/code`), for serving or for embedding in another axum app.
///
/// The API's routes are the spec's: every operation on its path template and method, each
/// answered by its handler.
pub fn router(state: MockState) -> Router {
    let mut by_path: Vec<(String, Vec<MethodRouter<MockState>>)> = Vec::new();
    for op in state.0.operations {
        // `compiled` refused a spec with an operation the mock cannot serve.
        let (Some(route), Some(method)) = (handler(&op.id), method_filter(op.method)) else {
            continue;
        };
        let path = format!("/v1{}", op.path);
        match by_path.iter_mut().find(|(p, _)| *p == path) {
            Some((_, methods)) => methods.push(route(method)),
            None => by_path.push((path, vec![route(method)])),
        }
    }
    let api = by_path
        .into_iter()
        .filter_map(|(path, methods)| {
            Some((path, methods.into_iter().reduce(MethodRouter::merge)?))
        })
        .fold(Router::new(), |api, (path, methods)| {
            api.route(&path, methods)
        })
        .route_layer(middleware::from_fn_with_state(state.clone(), pipeline))
        .fallback(|| async { ApiError::not_found("No operation of the API has this path.") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "This path does not take this method.",
            )
        })
        .with_state(state.clone());
    // Merged after the pipeline's route_layer, so sign-in requests skip it.
    api.merge(crate::lwa::routes::routes(state))
        .layer(middleware::from_fn(log_request))
}

/// One log line per request. The path only: headers (key, token) and query never reach logs.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        target: "amazon_music_mock",
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// Counting, faults, authentication and the spec's checks, in that order, before a handler.
async fn pipeline(
    State(state): State<MockState>,
    matched: MatchedPath,
    params: RawPathParams,
    request: Request,
    next: Next,
) -> Response {
    let inner = &state.0;
    let method = request.method().as_str().to_owned();
    let Some(&index) = inner
        .by_route
        .iter()
        .find(|((m, p), _)| *m == method && p == matched.as_str())
        .map(|(_, i)| i)
    else {
        return ApiError::not_found("No operation of the API has this path.").into_response();
    };
    let op = &inner.operations[index];
    inner.counters[index].fetch_add(1, Ordering::Relaxed);

    // Every matching rule counts the request, so `first=N` means the route's first N requests.
    let due: Vec<&FaultKind> = inner
        .faults
        .iter()
        .filter(|(rule, _)| rule.matches(&op.id, op.method, &op.path))
        .filter(|(rule, hits)| {
            let hit = hits.fetch_add(1, Ordering::Relaxed);
            rule.first.is_none_or(|n| hit < n)
        })
        .map(|(rule, _)| &rule.kind)
        .collect();
    let mut after: Option<&FaultKind> = None;
    for kind in due {
        match kind {
            FaultKind::Latency(delay) => tokio::time::sleep(*delay).await,
            kind if after.is_none() => match faults::replacement(kind) {
                Some(response) => return response,
                None => after = Some(kind),
            },
            _ => {}
        }
    }

    let (parts, body) = request.into_parts();
    let user = match inner.auth.authorize(&parts.headers, &op.scopes) {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::bad_request("the request body is too large or was cut off")
            .into_response();
    };
    let path_params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let checked = match op.check(&path_params, parts.uri.query(), &parts.headers, &bytes) {
        Ok(checked) => checked,
        Err(e) => return e.into_response(),
    };
    let mut request = Request::from_parts(parts, Body::empty());
    request
        .extensions_mut()
        .insert(Arc::new(Ctx { user, checked }));
    let mut response = next.run(request).await;
    if let Some(plan) = &inner.drift
        && response.status().is_success()
    {
        response = drifted(plan, inner.spec, index, response).await;
    }
    match after {
        Some(kind) => faults::transform(kind, response).await,
        None => response,
    }
}

/// `response` with its JSON body changed by the drift plan.
async fn drifted(plan: &DriftPlan, spec: &Spec, op: usize, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    // Handlers answer from memory, so reading the body back cannot fail or be large.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "The mock could not read its own answer.",
        )
        .into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    plan.apply(spec, op, &mut value);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

fn limit(ctx: &Ctx, default: usize) -> usize {
    ctx.checked
        .query_int("limit")
        .map_or(default, |n| n as usize)
}

fn body(ctx: &Ctx) -> &serde_json::Value {
    static NULL: serde_json::Value = serde_json::Value::Null;
    ctx.checked.body.as_ref().unwrap_or(&NULL)
}

type Answer = Result<Response, ApiError>;

async fn get_album(State(s): State<MockState>, Path(id): Path<String>) -> Answer {
    let body = s.0.catalog.get_album(&id)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn get_albums(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let ids = ctx.checked.query_list("ids").unwrap_or_default();
    Ok(ok_json(&s.0.catalog.get_albums(&ids)))
}

async fn get_library_albums(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let ids = ctx.checked.query_list("albumIds");
    let page = s.0.libraries.list(
        &ctx.user,
        &s.0.catalog,
        limit(&ctx, 100),
        ctx.checked.query_str("cursor"),
        ids.as_deref(),
    )?;
    Ok(ok_json(&page))
}

async fn add_library_album(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.libraries.add(&ctx.user, &s.0.catalog, &id)?))
}

async fn remove_library_album(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.libraries.remove(
        &ctx.user,
        &s.0.catalog,
        &id,
    )?))
}

async fn create_session(
    State(s): State<MockState>,
    Extension(ctx): Context,
    headers: HeaderMap,
) -> Answer {
    let device = headers
        .get("x-amzn-device-id")
        .and_then(|v| v.to_str().ok());
    Ok(ok_json(&s.0.playback.create(
        &ctx.user,
        &s.0.catalog,
        body(&ctx),
        device,
    )?))
}

async fn active_sessions(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    Ok(ok_json(&s.0.playback.active(&ctx.user, &s.0.catalog)))
}

async fn current(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.playback.current(
        &ctx.user,
        &id,
        &s.0.catalog,
    )?))
}

async fn next(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let window = ctx.checked.query_int("limit").map(|n| n as usize);
    Ok(ok_json(&s.0.playback.next(
        &ctx.user,
        &id,
        &s.0.catalog,
        window,
    )?))
}

async fn previous(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let window = ctx.checked.query_int("limit").map(|n| n as usize);
    Ok(ok_json(&s.0.playback.previous(
        &ctx.user,
        &id,
        &s.0.catalog,
        window,
    )?))
}

async fn queue(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.playback.queue(
        &ctx.user,
        &id,
        &s.0.catalog,
        limit(&ctx, 100),
        ctx.checked.query_str("cursor"),
    )?))
}

async fn refresh(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path((id, reference)): Path<(String, String)>,
) -> Answer {
    Ok(ok_json(&s.0.playback.refresh(
        &ctx.user,
        &id,
        &reference,
        &s.0.catalog,
    )?))
}

async fn queue_next(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback
        .insert(&ctx.user, &id, &s.0.catalog, body(&ctx), false)?;
    Ok(ok_empty())
}

async fn queue_last(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback
        .insert(&ctx.user, &id, &s.0.catalog, body(&ctx), true)?;
    Ok(ok_empty())
}

async fn set_loop(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback.set_loop(&ctx.user, &id, body(&ctx))?;
    Ok(ok_empty())
}

async fn set_shuffle(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback.set_shuffle(&ctx.user, &id, body(&ctx))?;
    Ok(ok_empty())
}

async fn report_event(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    s.0.playback.report(&ctx.user, body(&ctx))?;
    Ok(ok_empty())
}

/// A running mock server: started with [`MockServer::start`], stopped with
/// [`MockServer::shutdown`] (or when dropped).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    state: MockState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl MockServer {
    /// Builds the state and serves it on `config.addr`, by default `127.0.0.1:0`.
    pub async fn start(config: MockConfig) -> std::io::Result<Self> {
        let state = MockState::new(&config)?;
        let addr = config
            .addr
            .unwrap_or_else(|| SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        if !is_loopback(addr) {
            // The mock's credentials are published defaults and its sign-in approves whoever
            // asks: off loopback, anyone who can reach the port can use it.
            tracing::warn!(
                target: "amazon_music_mock",
                "listening on {addr}, beyond loopback: anyone who can reach this address can \
                 use the mock, whose API key and tokens are not secret; bind 127.0.0.1 unless \
                 other machines must reach it"
            );
        }
        state.lwa().set_bound(addr);
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Self {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The socket the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether only this machine can reach the server: it listens on a loopback address
    /// (`127.0.0.0/8`, `::1`). `false` for `0.0.0.0`, `[::]` or any other address, where the
    /// mock, whose credentials are no secret, serves whoever reaches it; [`start`](Self::start)
    /// then logs a warning.
    pub fn is_loopback_only(&self) -> bool {
        is_loopback(self.addr)
    }

    /// The API's base URL on this server, such as `http://127.0.0.1:41234/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The server's shared state.
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// See [`MockState::issue_token`].
    pub fn issue_token<S: Into<String>>(
        &self,
        user: &str,
        scopes: impl IntoIterator<Item = S>,
        lifetime: impl Into<Option<Duration>>,
    ) -> String {
        self.state.issue_token(user, scopes, lifetime)
    }

    /// See [`MockState::requests`].
    pub fn requests(&self, operation_id: &str) -> u64 {
        self.state.requests(operation_id)
    }

    /// The sign-in emulator's base URL on this server, such as `http://127.0.0.1:41234`: the
    /// counterpart of both `https://api.amazon.com` (`/auth/o2/...`) and
    /// `https://www.amazon.com` (`/ap/oa`).
    pub fn lwa_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// See [`MockState::lwa_config`].
    pub fn lwa_config(&self) -> &LwaConfig {
        self.state.lwa_config()
    }

    /// See [`MockState::approve_user_code`].
    pub fn approve_user_code(&self, user_code: &str) -> bool {
        self.state.approve_user_code(user_code)
    }

    /// See [`MockState::deny_user_code`].
    pub fn deny_user_code(&self, user_code: &str) -> bool {
        self.state.deny_user_code(user_code)
    }

    /// See [`MockState::revoke_refresh_tokens`].
    pub fn revoke_refresh_tokens(&self, user: &str) -> usize {
        self.state.revoke_refresh_tokens(user)
    }

    /// See [`MockState::expire_access_tokens`].
    pub fn expire_access_tokens(&self) -> usize {
        self.state.expire_access_tokens()
    }

    /// See [`MockState::device_polls`].
    pub fn device_polls(&self, user_code: &str) -> Vec<Duration> {
        self.state.device_polls(user_code)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server
    /// to stop.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

/// Whether `addr` is a loopback address, an IPv4 one written as IPv6 (`::ffff:127.0.0.1`)
/// included.
fn is_loopback(addr: SocketAddr) -> bool {
    addr.ip().to_canonical().is_loopback()
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_are_loopback_only() {
        for loopback in [
            "127.0.0.1:8080",
            "127.1.2.3:0",
            "[::1]:8080",
            "[::ffff:127.0.0.1]:1",
        ] {
            assert!(is_loopback(loopback.parse().unwrap()), "{loopback}");
        }
        for exposed in [
            "0.0.0.0:8080",
            "[::]:8080",
            "192.168.1.20:8080",
            "10.0.0.1:0",
            "[2001:db8::1]:8080",
            "[::ffff:0.0.0.0]:1",
        ] {
            assert!(!is_loopback(exposed.parse().unwrap()), "{exposed}");
        }
    }
}
