//! A stateful mock of the Amazon Music Web API (V1), built from the project's curated spec
//! (`spec/openapi.yaml`), for tests, demos and downstream users.
//!
//! It serves all 17 operations under `/v1`: a catalog generated from a seed (1,000 albums and
//! the documented examples), a library per user with cursor pagination, and playback sessions
//! with a queue that moves. Every request is checked against the spec and anything out of
//! spec is answered 400 `BAD_REQUEST` in the API's error format; authentication follows the
//! docs; faults (latency, throttling, 5xx, dropped connections, broken bodies) can be injected
//! per route.
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

mod auth;
mod catalog;
mod config;
mod error;
mod faults;
mod library;
mod playback;
mod prng;
mod server;
mod validation;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use config::{ALL_SCOPES, MockConfig, TokenGrant};
pub use error::ApiError;
pub use faults::{FaultKind, FaultParseError, FaultRule};
pub use server::{MockServer, MockState, SPEC_YAML, router};
