//! Injected faults, seen from a client: throttling, server errors, latency, dropped
//! connections, cut bodies and the broken answers a reliable client must survive.

use std::time::{Duration, Instant};

use amazon_music_mock::{FaultRule, MockConfig};
use amazon_music_workspace_tests::mock::Api;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn rule(text: &str) -> FaultRule {
    text.parse().unwrap()
}

#[tokio::test]
async fn throttling_with_and_without_retry_after_then_success() {
    let api = Api::start(
        MockConfig::default()
            .fault(rule("getAlbum:throttle=3:first=1"))
            .fault(rule("/albums/{id}:throttle:first=2")),
    )
    .await;
    let first = api.get("/albums/B0064UPU4G").await;
    assert_eq!(first.error(), (429, "THROTTLED".into()));
    assert_eq!(first.headers["retry-after"], "3");
    let second = api.get("/albums/B0064UPU4G").await;
    assert_eq!(second.error(), (429, "THROTTLED".into()));
    assert!(second.headers.get("retry-after").is_none());
    assert_eq!(api.get("/albums/B0064UPU4G").await.status, 200);
    assert_eq!(api.server.requests("getAlbum"), 3);
    // Other operations are untouched.
    assert_eq!(api.get("/albums?ids=B0064UPU4G").await.status, 200);
}

#[tokio::test]
async fn server_errors_and_latency() {
    let api = Api::start(
        MockConfig::default()
            .fault(rule("*:latency=150ms"))
            .fault(rule("GET /albums:status=503")),
    )
    .await;
    let started = Instant::now();
    let reply = api.get("/albums?ids=B0064UPU4G").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(reply.error(), (503, "DEPENDENCY".into()));
    assert_eq!(api.get("/albums/B0064UPU4G").await.status, 200);
}

/// Sends a raw request and reads until the server closes the connection.
async fn raw_exchange(api: &Api, path: &str) -> Vec<u8> {
    let mut stream = tokio::net::TcpStream::connect(api.server.addr())
        .await
        .unwrap();
    let request = format!(
        "GET /v1{path} HTTP/1.1\r\nhost: localhost\r\nx-api-key: mock-api-key\r\n\
         authorization: Bearer mock-token\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received).await;
    received
}

#[tokio::test]
async fn a_dropped_connection_carries_no_response() {
    let api = Api::start(MockConfig::default().fault(rule("getAlbum:drop:first=2"))).await;
    assert!(raw_exchange(&api, "/albums/B0064UPU4G").await.is_empty());
    let error = api
        .request(reqwest::Method::GET, "/albums/B0064UPU4G")
        .send()
        .await
        .unwrap_err();
    assert!(!error.is_status(), "{error}");
    assert_eq!(api.get("/albums/B0064UPU4G").await.status, 200);
}

#[tokio::test]
async fn a_truncated_body_is_shorter_than_its_content_length() {
    let api = Api::start(MockConfig::default().fault(rule("getAlbum:truncate"))).await;
    let received = raw_exchange(&api, "/albums/B0064UPU4G").await;
    let split = received
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&received[..split]);
    let body = &received[split + 4..];
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .expect("content-length")
        .parse()
        .unwrap();
    assert_eq!(body.len(), length / 2, "half of the promised body arrives");
}

/// Of two faults due on one request, the first rule given decides the answer, whether it
/// replaces the answer (a status) or changes it (invalid JSON).
#[tokio::test]
async fn the_first_fault_due_decides_the_answer() {
    let invalid_first = Api::start(
        MockConfig::default()
            .fault(rule("getAlbum:invalid-json"))
            .fault(rule("getAlbum:status=503")),
    )
    .await;
    let reply = invalid_first.get("/albums/B0064UPU4G").await;
    assert_eq!(reply.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&reply.bytes).is_err());

    let status_first = Api::start(
        MockConfig::default()
            .fault(rule("getAlbum:status=503"))
            .fault(rule("getAlbum:invalid-json")),
    )
    .await;
    assert_eq!(status_first.get("/albums/B0064UPU4G").await.status, 503);

    let two_changes = Api::start(
        MockConfig::default()
            .fault(rule("getAlbum:wrong-content-type"))
            .fault(rule("getAlbum:invalid-json")),
    )
    .await;
    let reply = two_changes.get("/albums/B0064UPU4G").await;
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(
        reply.json()["data"]["album"]["id"],
        "B0064UPU4G",
        "the body is intact"
    );
}

#[tokio::test]
async fn broken_answers_invalid_json_wrong_type_html() {
    let api = Api::start(
        MockConfig::default()
            .fault(rule("getAlbum:invalid-json"))
            .fault(rule("getAlbums:wrong-content-type"))
            .fault(rule("getLibraryAlbums:html")),
    )
    .await;
    let invalid = api.get("/albums/B0064UPU4G").await;
    assert_eq!(invalid.status, 200);
    assert_eq!(invalid.headers["content-type"], "application/json");
    assert!(serde_json::from_slice::<serde_json::Value>(&invalid.bytes).is_err());

    let mislabelled = api.get("/albums?ids=B0064UPU4G").await;
    assert_eq!(mislabelled.status, 200);
    assert!(
        mislabelled.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(mislabelled.json()["data"]["albums"][0]["id"], "B0064UPU4G");

    let html = api.get("/me/library/albums").await;
    assert_eq!(html.status, 502);
    assert!(
        html.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8_lossy(&html.bytes).contains("<html>"));
}
