//! A mock server and a client pointed at it, and a capture of everything tracing writes.

#![allow(dead_code)]

use std::sync::{Arc, Mutex, PoisonError};
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

/// A client of an httpmock server, with credentials a test can look for in output.
pub fn httpmock_client(server: &httpmock::MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("key-SECRET-1")
        .token("token-SECRET-2")
        .build()
        .unwrap()
}

/// Everything tracing writes, at every level, while this lives (the subscriber is the thread's
/// default, so it sees what the test's own thread and current-thread tasks emit).
pub struct TraceCapture {
    written: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl TraceCapture {
    pub fn start() -> Self {
        let written = Arc::new(Mutex::new(Vec::new()));
        let writer = Sink(written.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish();
        Self {
            written,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    /// What was written so far.
    pub fn text(&self) -> String {
        let bytes = self
            .written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        String::from_utf8(bytes).unwrap()
    }
}

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
