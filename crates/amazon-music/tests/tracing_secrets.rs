//! What the client's tracing output says, and that no secret reaches it (nor `Debug` or
//! `Display`).
//!
//! In a binary of their own, and each test starts its capture before anything else: tracing
//! caches whether a callsite is enabled, and a test without a subscriber running beside them
//! on another thread could make it cache "disabled" (it did, under `cargo test`, for the
//! request span).

use amazon_music_workspace_tests::client as support;
use amazon_music_workspace_tests::trace::TraceCapture;

use amazon_music::api::mock::MockServerExt;
use amazon_music::playback::PlayRequest;
use amazon_music_mock::{FaultKind, FaultRule, MockConfig};

#[tokio::test]
async fn tracing_and_debug_output_carry_no_secret() {
    let trace = TraceCapture::start();

    let server = httpmock::MockServer::start_async().await;
    let expired: amazon_music::types::ErrorResponse = serde_json::from_value(serde_json::json!({
        "error": {"status": "401", "code": "INVALID_ACCESS_TOKEN", "message": "expired"}
    }))
    .unwrap();
    server.get_album(|when, then| {
        when.id(&"B0064UPU4G".parse().unwrap());
        then.unauthorized(&expired);
    });
    let client = support::httpmock_client(&server);
    let error = client.get_album("B0064UPU4G").await.unwrap_err();

    let logged = trace.text();
    assert!(
        logged.contains("amazon_music.request"),
        "no span was logged: {logged}"
    );
    let everything = format!("{logged}\n{error}\n{error:?}\n{client:?}");
    for secret in ["key-SECRET-1", "token-SECRET-2"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
}

/// The request span says how it went: the final status and how many attempts it took.
#[tokio::test]
async fn the_request_span_records_status_and_attempts() {
    let trace = TraceCapture::start();
    let config =
        MockConfig::default().fault(FaultRule::new("getAlbum", FaultKind::Status(503)).first(2));
    let (_server, client) = support::start(config).await;
    client.get_album("B0064UPU4G").await.unwrap();
    let logged = trace.text();
    let closed = logged
        .lines()
        .find(|line| line.contains("amazon_music.request{") && line.contains(": close "))
        .unwrap_or_else(|| panic!("no closed request span in:\n{logged}"));
    assert!(
        closed.contains("operation=\"getAlbum\" status=200 attempts=3 latency_ms="),
        "{closed}"
    );
}

/// Each move is its own operation, and is logged under its operationId: what an operator
/// filters on when the service refuses one of them.
#[tokio::test]
async fn each_move_is_logged_under_its_own_operation() {
    let trace = TraceCapture::start();
    let (_server, client) = support::start(MockConfig::default()).await;
    let mut session = client
        .start_playback(PlayRequest::album("B0064UPU4G"))
        .await
        .unwrap();
    session.next().await.unwrap();
    session.previous().await.unwrap();
    session.reload().await.unwrap();
    let logged = trace.text();
    for operation in [
        "getNextPlaybackEntity",
        "getPreviousPlaybackEntity",
        "getCurrentPlaybackEntity",
    ] {
        let span = format!("amazon_music.request{{operation=\"{operation}\"");
        assert!(logged.contains(&span), "no {span} in:\n{logged}");
    }
}
