//! The HTTP side: the router, the per-request pipeline (count, faults, auth, spec checks)
//! in front of the handlers of `crate::api`, and [`MockServer`], which runs it all on a
//! socket, all on the [`MockState`] of `crate::state`. The sign-in emulator's routes (`crate::lwa::routes`)
//! share the router but not the pipeline.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use amazon_music_spec::Spec;
use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::request::Ctx;
use crate::api::{
    albums, artists, browse, library, playback, player, playlists, podcasts, search, stations,
    tracks, user, views,
};
use crate::config::{LwaConfig, MockConfig};
use crate::drift::DriftPlan;
use crate::error::ApiError;
use crate::faults::{self, FaultKind};
use crate::lwa::routes::routes as lwa_routes;
use crate::state::MockState;

/// The spec the mock serves, embedded at build time: the spec crate's copy,
/// [`amazon_music_spec::SPEC_YAML`], so that the mock and every checker agree.
pub const SPEC_YAML: &str = amazon_music_spec::SPEC_YAML;

/// The largest request body the mock reads; the API's bodies are a few hundred bytes.
const MAX_BODY: usize = 1 << 20;

/// The method filter of an upper-case HTTP method, as axum maps one; `None` for a method
/// axum cannot route on.
fn method_filter(method: &str) -> Option<MethodFilter> {
    let method = axum::http::Method::from_bytes(method.as_bytes()).ok()?;
    MethodFilter::try_from(method).ok()
}

/// The handler of the operation `id`, for the method the spec gives it.
fn handler(id: &str) -> Option<fn(MethodFilter) -> MethodRouter<MockState>> {
    Some(match id {
        "getAlbum" => |m| on(m, albums::get_album),
        "getAlbums" => |m| on(m, albums::get_albums),
        "getLibraryAlbums" => |m| on(m, library::get_library_albums),
        "addLibraryAlbum" => |m| on(m, library::add_library_album),
        "removeLibraryAlbum" => |m| on(m, library::remove_library_album),
        "createPlaybackSession" => |m| on(m, playback::create_session),
        "getActivePlaybackSessions" => |m| on(m, playback::active_sessions),
        "getCurrentPlaybackEntity" => |m| on(m, playback::current),
        "getNextPlaybackEntity" => |m| on(m, playback::next),
        "getPreviousPlaybackEntity" => |m| on(m, playback::previous),
        "getPlaybackQueue" => |m| on(m, playback::queue),
        "refreshPlaybackSession" => |m| on(m, playback::refresh),
        "queueNext" => |m| on(m, playback::queue_next),
        "queueLast" => |m| on(m, playback::queue_last),
        "setLoopMode" => |m| on(m, playback::set_loop),
        "setShuffleMode" => |m| on(m, playback::set_shuffle),
        "reportPlaybackEvent" => |m| on(m, playback::report_event),
        "getTrack" => |m| on(m, tracks::get_track),
        "getArtist" => |m| on(m, artists::get_artist),
        "getArtists" => |m| on(m, artists::get_artists),
        "getFollowedArtists" => |m| on(m, artists::get_followed_artists),
        "getPlaylist" => |m| on(m, playlists::get_playlist),
        "getMyPlaylists" => |m| on(m, playlists::get_my_playlists),
        "getCurrentUser" => |m| on(m, user::get_current_user),
        "updateCurrentUser" => |m| on(m, user::update_current_user),
        "searchTracks" => |m| on(m, search::search_tracks),
        "searchAll" => |m| on(m, search::search_all),
        "getPodcastShow" => |m| on(m, podcasts::get_podcast_show),
        "getStation" => |m| on(m, stations::get_station),
        "getTopTracks" => |m| on(m, browse::get_top_tracks),
        "getHomeView" => |m| on(m, views::get_home_view),
        "getRecentlyPlayedTracks" => |m| on(m, player::get_recently_played_tracks),
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
        // The spec is embedded at build time and a unit test checks that each of its
        // operations is served, so this only fails in a build whose tests were not run; it
        // must still not take the server down.
        let served = handler(&op.id).zip(method_filter(op.method));
        debug_assert!(
            served.is_some(),
            "the mock cannot serve operation {}",
            op.id
        );
        let Some((route, method)) = served else {
            tracing::error!(
                target: "amazon_music_mock",
                "the mock cannot serve operation {}; it is left out of the router",
                op.id
            );
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
    api.merge(lwa_routes(state))
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

    /// What `router` relies on: the spec is embedded at build time, so checking its
    /// operations here covers every server this build can start.
    #[test]
    fn every_operation_of_the_embedded_spec_has_a_handler() {
        let spec = Spec::embedded().expect("the embedded spec");
        let operations = crate::validation::operations(spec).expect("its checks");
        assert!(!operations.is_empty());
        for op in &operations {
            assert!(handler(&op.id).is_some(), "no handler for {}", op.id);
            assert!(
                method_filter(op.method).is_some(),
                "no method filter for {} ({})",
                op.id,
                op.method
            );
        }
    }

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
