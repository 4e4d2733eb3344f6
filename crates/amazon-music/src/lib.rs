//! The ergonomic Rust client of the Amazon Music Web API (V1).
//!
//! Built on the generated [`amazon_music_api`] crate (re-exported as [`api`], so every operation
//! of the spec stays reachable), it adds what a long-lived application needs:
//!
//! * [`Client`]: one cheap-to-clone handle, configured with [`Client::builder`] or
//!   [`Client::from_env`];
//! * [`auth`]: a static token or a [`TokenProvider`] refreshed ahead of expiry and once on
//!   `401 INVALID_ACCESS_TOKEN`, one refresh in flight however many requests wait;
//! * [`Error`]: typed errors (the API's error code as an enum, decode failures with the JSON
//!   path, transport, timeout, validation before sending);
//! * [`retry`]: jittered exponential backoff for `429 THROTTLED`, 502/503/504 and connection
//!   failures, honouring `Retry-After`, for idempotent calls only;
//! * [`pagination`]: every collection (the library, the queue, playlists, followed artists,
//!   search results, top and recently played tracks, podcast episodes) as a `Stream` in flat memory, resumable
//!   from a cursor, guarded against a server that repeats a cursor, with optional prefetch and
//!   opt-in de-duplication ([`pagination::Paginator::unique_by`]);
//! * [`albums`] and [`artists`]: batched lookups of any number of ids;
//! * the rest of the catalog and the user: [`tracks`], [`playlists`], [`stations`],
//!   [`podcasts`], [`search`] (a [`search::TrackSearch`] paged by the body's token,
//!   [`Client::find_track`], everything at once), [`browse`] (top tracks, the home view),
//!   [`user`] (the profile, recently played);
//! * [`playback`]: a session handle that knows what the service allows.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
//! # let base_url = mock.base_url();
//! use amazon_music::Client;
//!
//! let client = Client::builder()
//!     .base_url(&base_url)
//!     .api_key("mock-api-key")
//!     .token("mock-token")
//!     .build()?;
//! let album = client.get_album("B0064UPU4G").await?;
//! assert_eq!(album.title.as_deref(), Some("Discovery"));
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

pub mod albums;
pub mod artists;
pub mod auth;
mod base_url;
mod batch;
pub mod browse;
mod client;
#[cfg(feature = "drift-check")]
pub mod drift;
mod error;
mod ids;
mod json_path;
pub mod library;
#[cfg(any(feature = "record", feature = "drift-check"))]
mod observe;
pub mod pagination;
pub mod playback;
pub mod playlists;
pub mod podcasts;
#[cfg(feature = "record")]
mod record;
pub mod retry;
pub mod search;
pub mod stations;
pub mod tracks;
mod transport;
pub mod user;

pub use amazon_music_api as api;
pub use amazon_music_api::types;
pub use auth::{AccessToken, TokenProvider};
pub use base_url::DEFAULT_BASE_URL;
pub use client::{Client, ClientBuilder};
#[cfg(feature = "drift-check")]
pub use drift::{DriftKind, DriftSeen, DriftStats};
pub use error::{ApiError, Error, ErrorCode, Result};
#[cfg(feature = "record")]
pub use record::{Recording, RecordingStats};
pub use retry::RetryPolicy;

// A client is shared across tasks: it must stay cheap to clone and thread-safe.
const _: () = {
    const fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Client>();
    shareable::<playback::PlaybackSession>();
};
