//! Recording exchanges (`ClientBuilder::record`): one file per exchange in the conformance
//! tool's format, valid against the spec, free of every credential, and bounded.

use crate::support;

use std::path::Path;

use amazon_music::{Client, Recording};
use amazon_music_conformance::{Spec, Validator, parse_recorded};
use amazon_music_mock::{ALL_SCOPES, FaultKind, FaultRule, MockConfig, MockState, SPEC_YAML};
use axum::http::HeaderValue;

const API_KEY: &str = "rec-key-SECRET-7f3a";
const TOKEN: &str = "rec-token-SECRET-91bc";
const COOKIE: &str = "rec-cookie-SECRET-55d0";

/// The mock, behind a layer that sets a cookie and an account header on every answer, as a
/// real service's gateway would, and quotes the credentials in its 404 messages, as a careless
/// one might.
async fn serve() -> String {
    let config = MockConfig::default()
        .api_key(API_KEY)
        .token(TOKEN, "rec-user", ALL_SCOPES);
    let app = amazon_music_mock::router(MockState::new(&config).unwrap()).layer(
        axum::middleware::map_response(|mut response: axum::response::Response| async move {
            response.headers_mut().insert(
                "set-cookie",
                HeaderValue::from_str(&format!("session-id={COOKIE}; Path=/")).unwrap(),
            );
            response
                .headers_mut()
                .insert("x-amzn-requestid", HeaderValue::from_static("req-1"));
            if response.status() == 404 {
                response.headers_mut().remove("content-length");
                *response.body_mut() = axum::body::Body::from(format!(
                    r#"{{"error": {{"status": "404", "code": "RESOURCE_NOT_FOUND", "message": "no album for key {API_KEY} and Bearer {TOKEN}"}}}}"#
                ));
            }
            response
        }),
    );
    amazon_music_workspace_tests::loopback::serve_router(app).await
}

fn client(base_url: &str, recording: Recording) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .token(TOKEN)
        .retry_policy(support::quick_retries())
        .record(recording)
        .build()
        .unwrap()
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn every_exchange_is_recorded_valid_and_free_of_credentials() {
    let base_url = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&base_url, Recording::new(dir.path().join("new")));
    client.get_album("B0064UPU4G").await.unwrap();
    let missing = client.get_album("B000000000").await;
    assert!(missing.is_err());
    let ids = ["B0064UPU4G".to_owned(), "B00D3PLC1K".to_owned()];
    client.get_albums(&ids).await.unwrap();
    client.save_album("B091MTJT3P").await.unwrap();
    client.flush_recording();

    let stats = client.recording_stats().unwrap();
    assert_eq!((stats.written, stats.dropped, stats.failed), (4, 0, 0));
    let files = files(&dir.path().join("new"));
    assert_eq!(files.len(), 4, "{files:?}");
    let validator = Validator::new(Spec::from_yaml_str(SPEC_YAML).unwrap()).unwrap();
    let mut operations = Vec::new();
    for (name, text) in &files {
        for secret in [API_KEY, TOKEN, COOKIE, "req-1"] {
            assert!(!text.contains(secret), "{name} holds {secret}:\n{text}");
        }
        assert!(name.ends_with(".json"), "{name}");
        let exchange = parse_recorded(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The allow-listed headers are kept; the cookie and the request id are not.
        let mut headers: Vec<&str> = exchange.headers.keys().map(String::as_str).collect();
        headers.sort();
        if exchange.status == 200 && exchange.body.is_empty() {
            assert!(headers.is_empty(), "{name}: {headers:?}");
        } else {
            assert_eq!(headers, ["content-type"], "{name}");
        }
        let outcome = validator.validate(&exchange, name);
        assert!(
            outcome.violations.is_empty(),
            "{name}: {:?}",
            outcome.violations
        );
        operations.push((outcome.operation_id.unwrap(), exchange.status));
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            ("addLibraryAlbum".to_owned(), 200),
            ("getAlbum".to_owned(), 200),
            ("getAlbum".to_owned(), 404),
            ("getAlbums".to_owned(), 200),
        ]
    );
}

/// File names are `<millis>-<pid>-<sequence>-<operation>-<status>.json`: the same call
/// answered the same way within one millisecond still gets a file of its own, numbered in the
/// order recorded.
#[tokio::test]
async fn repeated_exchanges_get_files_of_their_own_numbered_in_order() {
    let base_url = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&base_url, Recording::new(dir.path()));
    for _ in 0..5 {
        client.get_album("B0064UPU4G").await.unwrap();
    }
    client.flush_recording();
    let mut numbers: Vec<String> = files(dir.path())
        .into_iter()
        .map(|(name, _)| {
            let parts: Vec<&str> = name.split('-').collect();
            assert_eq!(parts[1], std::process::id().to_string(), "{name}");
            assert_eq!(parts[3..], ["get_album", "200.json"], "{name}");
            parts[2].to_owned()
        })
        .collect();
    numbers.sort();
    assert_eq!(numbers, ["000001", "000002", "000003", "000004", "000005"]);
}

/// Every attempt of a retried call is an answer of the service, and evidence: the 503 and the
/// 429 it retried past are recorded, not only the 200 it returned.
#[tokio::test]
async fn every_attempt_of_a_retried_call_is_recorded() {
    let server = amazon_music_mock::MockServer::start(
        MockConfig::default()
            .fault(FaultRule::new("getAlbum", FaultKind::Status(503)).first(1))
            .fault(FaultRule::new("getAlbum", FaultKind::Throttle { retry_after: None }).first(2)),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = support::builder(&server)
        .record_to(dir.path())
        .build()
        .unwrap();
    client.get_album("B0064UPU4G").await.unwrap();
    client.flush_recording();
    let mut statuses: Vec<u16> = files(dir.path())
        .iter()
        .map(|(name, text)| {
            parse_recorded(text)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .status
        })
        .collect();
    statuses.sort();
    assert_eq!(statuses, [200, 429, 503]);
}

#[tokio::test]
async fn recording_is_bounded_and_never_fails_a_request() {
    let base_url = serve().await;
    let dir = tempfile::tempdir().unwrap();

    // A directory that already holds one file may take two more.
    std::fs::write(dir.path().join("earlier.json"), "{}").unwrap();
    let capped = client(&base_url, Recording::new(dir.path()).max_files(3));
    for _ in 0..4 {
        capped.get_album("B0064UPU4G").await.unwrap();
    }
    capped.flush_recording();
    let stats = capped.recording_stats().unwrap();
    assert_eq!((stats.written, stats.skipped), (2, 2));
    assert_eq!(files(dir.path()).len(), 3);

    // An album's answer is larger than 200 bytes: skipped, counted.
    let small = tempfile::tempdir().unwrap();
    let tiny = client(&base_url, Recording::new(small.path()).max_file_bytes(200));
    tiny.get_album("B0064UPU4G").await.unwrap();
    tiny.flush_recording();
    assert_eq!(tiny.recording_stats().unwrap().skipped, 1);
    assert!(files(small.path()).is_empty());

    // The limit is inclusive: a file of exactly the limit is written, one byte more is not.
    let measured = tempfile::tempdir().unwrap();
    let sizer = client(&base_url, Recording::new(measured.path()));
    sizer.get_album("B0064UPU4G").await.unwrap();
    sizer.flush_recording();
    let size = files(measured.path())[0].1.len();
    for (limit, written) in [(size, 1), (size - 1, 0)] {
        let dir = tempfile::tempdir().unwrap();
        let limited = client(&base_url, Recording::new(dir.path()).max_file_bytes(limit));
        limited.get_album("B0064UPU4G").await.unwrap();
        limited.flush_recording();
        let stats = limited.recording_stats().unwrap();
        assert_eq!(
            (stats.written, stats.skipped),
            (written, 1 - written),
            "{limit}"
        );
    }

    // A directory that cannot be created: the request still succeeds.
    let blocked = dir.path().join("earlier.json").join("below");
    let broken = client(&base_url, Recording::new(blocked));
    broken.get_album("B0064UPU4G").await.unwrap();
    broken.flush_recording();
    assert_eq!(broken.recording_stats().unwrap().failed, 1);
}
