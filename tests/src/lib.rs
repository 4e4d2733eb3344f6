//! The workspace's one test-support library, and the home of its cross-crate tests.
//!
//! Every crate's tests take their fixtures from here, each purpose in one module:
//!
//! - [`spec`]: the curated spec, its ledger, spec-shaped JSON for property tests, and the
//!   spec's examples ([`spec::examples`]).
//! - [`loopback`]: servers on 127.0.0.1 for tests that need a peer of a given behaviour: one
//!   that answers with nothing but the spec's examples, a recording redirect hop, one that
//!   serves bodies of any size and framing, one that records each request whole for tests of
//!   the generated client's wire format, and any `axum` router a test builds.
//! - `mock` (feature `mock`): the mock started on loopback, and raw HTTP to it, for the mock's
//!   own tests of what goes over the wire.
//! - `lwa` (feature `mock`): form posts to the mock's sign-in emulator, and the usual flows.
//! - `client` (feature `client`): the handwritten client pointed at the mock (behaviour) or at
//!   an `httpmock` server with the generated helpers (wire shape), with fast retries.
//! - [`docs_pages`]: reference pages rendered from docs-check facts, for its loopback tests.
//! - [`trace`]: a capture of everything `tracing` writes, to prove no secret reaches a log.
//! - [`fuzz_inputs`]: the committed inputs of the fuzz targets, for their stable twins.
//! - [`recordings`]: the recorded evidence under `spec/recordings/`.
//!
//! The features keep the crates this library is built from out of the tests that do not need
//! them: `client` builds `amazon-music` and its mock, `mock` only the mock.

#[cfg(feature = "client")]
pub mod client;
pub mod docs_pages;
pub mod fuzz_inputs;
pub mod loopback;
#[cfg(feature = "mock")]
pub mod lwa;
#[cfg(feature = "mock")]
pub mod mock;
pub mod recordings;
pub mod spec;
pub mod trace;

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding `spec/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits inside the workspace")
        .to_path_buf()
}
