//! A mock server and a client pointed at it.

#![allow(dead_code)]

use std::time::Duration;

use amazon_music::{Client, ClientBuilder, RetryPolicy};
use amazon_music_mock::{MockConfig, MockServer};

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
