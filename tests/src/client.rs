//! The handwritten client pointed at a fake API: at the mock, for tests of behaviour (state,
//! pagination, retries, faults), or at an `httpmock` server driven by the generated helpers
//! (`amazon_music_api::mock`), for tests of the exact wire shape.

use std::time::Duration;

use amazon_music::types::LibraryAlbumEdge;
use amazon_music::{Client, ClientBuilder, RetryPolicy};
use amazon_music_mock::{MockConfig, MockServer, MockState};

/// Retries fast enough for tests, still jittered and bounded.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(50))
        .max_elapsed(Duration::from_secs(5))
}

/// A client builder for the mock `server`, with the credentials the mock accepts and
/// [`quick_retries`].
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .api_key("mock-api-key")
        .token("mock-token")
        .retry_policy(quick_retries())
}

/// Starts a mock of `config` on loopback, and a client of it built by [`builder`].
pub async fn start(config: MockConfig) -> (MockServer, Client) {
    let server = MockServer::start(config).await.expect("mock starts");
    let client = builder(&server).build().unwrap();
    (server, client)
}

/// The ids of the default mock catalog, in its order.
pub fn catalog_ids() -> Vec<String> {
    MockState::new(&MockConfig::default()).unwrap().album_ids()
}

/// The album ids of library edges, in order.
pub fn edge_ids(edges: &[LibraryAlbumEdge]) -> Vec<String> {
    edges.iter().map(|e| e.node.id.to_string()).collect()
}

/// A client of an httpmock server, with credentials a test can look for in output.
pub fn httpmock_client(server: &httpmock::MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("key-SECRET-1")
        .token("token-SECRET-2")
        .build()
        .unwrap()
}
