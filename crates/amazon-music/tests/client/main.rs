//! The client's integration tests against the mock and other loopback servers, one module per
//! subject, linked into one test binary.
//!
//! One binary rather than one per file: every test binary links and monomorphizes the whole
//! stack (tokio, reqwest, axum, the mock) again, so after any change to the client, fourteen
//! binaries took several times as long to rebuild as one. That cost is paid on every mutant of a
//! mutation run (TESTING.md) as well as in CI. Tests that install a tracing capture or need a
//! feature off by default keep their own binaries beside this directory.

use amazon_music_workspace_tests::client as support;

mod albums;
mod auth;
mod bounded;
mod browse;
#[cfg(feature = "browser-sign-in")]
mod browser_sign_in;
mod catalog;
mod docs_examples;
mod errors_and_retries;
mod fault_matrix;
mod library;
mod limits;
mod load;
mod pagination_props;
mod path_injection;
mod playback;
#[cfg(feature = "record")]
mod recording;
mod search;
#[cfg(feature = "lwa")]
mod sign_in;
mod transport_security;
mod typed_mocks;
mod user;
