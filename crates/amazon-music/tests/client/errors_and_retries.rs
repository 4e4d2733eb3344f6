//! Typed errors and the retry rules, against the mock's injected faults.

use crate::support;

use std::time::Duration;

use amazon_music::playback::PlayRequest;
use amazon_music::{Error, ErrorCode, RetryPolicy};
use amazon_music_mock::{FaultKind, FaultRule, MockConfig};

fn fault(route: &str, kind: FaultKind) -> FaultRule {
    FaultRule::new(route, kind)
}

#[tokio::test]
async fn throttling_is_retried_honouring_retry_after() {
    let config = MockConfig::default().fault(
        fault(
            "getAlbum",
            FaultKind::Throttle {
                retry_after: Some(0),
            },
        )
        .first(2),
    );
    let (server, client) = support::start(config).await;
    let album = client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(album.id.as_str(), "B0064UPU4G");
    assert_eq!(server.requests("getAlbum"), 3);
}

#[tokio::test]
async fn gateway_errors_and_dropped_connections_are_retried_for_gets() {
    for kind in [
        FaultKind::Status(502),
        FaultKind::Status(503),
        FaultKind::Status(504),
        FaultKind::Drop,
    ] {
        let config = MockConfig::default().fault(fault("getAlbum", kind.clone()).first(1));
        let (server, client) = support::start(config).await;
        client
            .get_album("B0064UPU4G")
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(server.requests("getAlbum"), 2, "{kind:?}");
    }
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let config = MockConfig::default().fault(fault("getAlbum", FaultKind::Status(500)).first(1));
    let (server, client) = support::start(config).await;
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.requests("getAlbum"), 1);
}

#[tokio::test]
async fn the_attempt_budget_ends_in_the_last_error() {
    let config = MockConfig::default().fault(fault("getAlbum", FaultKind::Status(503)));
    let (server, client) = support::start(config).await;
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        server.requests("getAlbum"),
        4,
        "the default policy makes 4 attempts"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_time_budget_is_not_waited_for() {
    let config = MockConfig::default().fault(fault(
        "getAlbum",
        FaultKind::Throttle {
            retry_after: Some(30),
        },
    ));
    let server = amazon_music_mock::MockServer::start(config).await.unwrap();
    let client = support::builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .max_delay(Duration::from_secs(60))
                .max_elapsed(Duration::from_secs(2)),
        )
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::Throttled));
    assert_eq!(server.requests("getAlbum"), 1);
}

#[tokio::test]
async fn playback_posts_are_sent_exactly_once() {
    for kind in [
        FaultKind::Status(503),
        FaultKind::Throttle {
            retry_after: Some(0),
        },
        FaultKind::Drop,
    ] {
        let config =
            MockConfig::default().fault(fault("createPlaybackSession", kind.clone()).first(1));
        let (server, client) = support::start(config).await;
        let result = client
            .start_playback(PlayRequest::album("B0064UPU4G"))
            .await;
        assert!(result.is_err(), "{kind:?}");
        assert_eq!(server.requests("createPlaybackSession"), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn a_timeout_is_a_typed_timeout() {
    let config = MockConfig::default().fault(fault(
        "getAlbum",
        FaultKind::Latency(Duration::from_secs(5)),
    ));
    let server = amazon_music_mock::MockServer::start(config).await.unwrap();
    let client = support::builder(&server)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "getAlbum"
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn an_html_error_page_is_an_unexpected_response_with_its_status() {
    let config = MockConfig::default().fault(fault("getAlbum", FaultKind::HtmlError));
    let server = amazon_music_mock::MockServer::start(config).await.unwrap();
    let client = support::builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    // What a caller reads without matching on the variant.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502), "{error}");
    assert_eq!(error.code(), None, "no error object, no code");
    match error {
        Error::UnexpectedResponse {
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 502);
            assert!(content_type.starts_with("text/html"), "{content_type}");
            assert!(excerpt.contains('<'), "{excerpt}");
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn invalid_json_and_truncated_bodies_are_typed() {
    let config = MockConfig::default().fault(fault("getAlbum", FaultKind::InvalidJson));
    let (_server, client) = support::start(config).await;
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error}");

    let config = MockConfig::default().fault(fault("getAlbum", FaultKind::Truncate));
    let server = amazon_music_mock::MockServer::start(config).await.unwrap();
    let client = support::builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. } | Error::Decode { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn client_configuration_mistakes_are_refused_at_build() {
    assert!(matches!(
        amazon_music::Client::builder()
            .api_key("k")
            .token("t")
            .base_url("http://example.com/v1")
            .build(),
        Err(Error::InsecureBaseUrl { .. })
    ));
    let cases = [
        amazon_music::Client::builder().token("t"),
        amazon_music::Client::builder().api_key("k"),
        amazon_music::Client::builder()
            .api_key("k")
            .token("t")
            .base_url("not a url"),
        amazon_music::Client::builder().api_key("k\n").token("t"),
    ];
    for builder in cases {
        let debug = format!("{builder:?}");
        assert!(matches!(builder.build(), Err(Error::Config(_))), "{debug}");
    }
    assert!(
        amazon_music::Client::builder()
            .api_key("k")
            .token("t")
            .base_url("http://example.com/v1")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
}
