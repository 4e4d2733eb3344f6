//! A stateful mock of the Amazon Music Web API (V1), built from the project's curated spec
//! (`spec/openapi.yaml`), for tests, demos and downstream users.
//!
//! It serves every operation of the spec under `/v1`: a catalog generated from a seed (1,000
//! albums, their tracks and artists, stations, podcast shows, and the documented examples),
//! searches over it, a library, playlists, a profile and followed artists per user with
//! cursor pagination, and playback sessions with a queue that moves, whose plays the user's
//! recently played tracks and home view show. Every request is checked against the spec and anything out of
//! spec is answered 400 `BAD_REQUEST` in the API's error format; authentication follows the
//! docs; faults (latency, throttling, 5xx, dropped connections, broken bodies) can be injected
//! per route.
//!
//! Next to the API, on the same port, it emulates Login with Amazon: the device flow
//! (`/auth/o2/create/codepair`, `/code`), the authorization code grant with PKCE (`/ap/oa`)
//! and refresh, all through `/auth/o2/token`. A client signs in exactly as against LWA, and
//! the tokens it gets are accepted by the API with the scopes granted. [`LwaConfig`] sets it
//! up; [`MockState::approve_user_code`], [`MockState::expire_access_tokens`] and their
//! neighbours let a test play the person and the passing hour.
//!
//! ```
//! use amazon_music_mock::{MockConfig, MockServer};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = MockServer::start(MockConfig::default()).await?;
//! let url = format!("{}/albums/B0064UPU4G", server.base_url());
//! assert!(url.starts_with("http://127.0.0.1:"));
//! // ... point a client at server.base_url() with `x-api-key: mock-api-key` and
//! // `Authorization: Bearer mock-token` ...
//! assert_eq!(server.requests("getAlbum"), 0);
//! server.shutdown().await?;
//! # Ok(())
//! # }
//! ```

mod api;
mod auth;
mod catalog;
mod config;
mod drift;
mod error;
mod faults;
mod history;
mod library;
mod lwa;
mod paging;
mod playback;
mod playlists;
mod prng;
mod profiles;
mod server;
mod state;
mod validation;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use amazon_music_spec::DriftKind;
pub use config::{ALL_SCOPES, AllScopes, LwaConfig, MockConfig, TokenGrant};
pub use drift::DriftInjection;
pub use error::ApiError;
pub use faults::{FaultKind, FaultParseError, FaultRule};
pub use server::{MockServer, SPEC_YAML, router};
pub use state::MockState;
