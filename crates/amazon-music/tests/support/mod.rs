//! A mock server and a client pointed at it, and a capture of everything tracing writes.

#![allow(dead_code)]

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

pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .api_key("mock-api-key")
        .token("mock-token")
        .retry_policy(quick_retries())
}

pub async fn start(config: MockConfig) -> (MockServer, Client) {
    let server = MockServer::start(config).await.unwrap();
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

/// Serves `app` on a loopback port for as long as the runtime runs: the mock's router behind a
/// test's own layer, which `MockServer` has no place for. Gives the base URL, `/v1` included.
pub async fn serve_router(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1")
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

// Not every test binary that includes this module captures tracing.
#[allow(unused_imports)]
pub use amazon_music_workspace_tests::trace::TraceCapture;
