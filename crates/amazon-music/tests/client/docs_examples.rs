//! The client and the tour against a server that answers every operation with the spec's
//! example for it and nothing more (as Stoplight Prism's `mock` does): the same album whatever
//! is asked, the same page whatever the cursor, and playback entities without a `metricId`;
//! and the tour against the mock, as `cargo run -p amazon-music --example tour` runs it.

use std::time::Duration;

use amazon_music::playback::{PlayRequest, TakeOver};
use amazon_music::types::PlaybackEventType;
use amazon_music::{Client, Error};
use amazon_music_workspace_tests::loopback::examples_server::ExamplesServer;

// The tour's steps, as `cargo run -p amazon-music --example tour` runs them.
#[allow(dead_code)]
#[path = "../../examples/tour.rs"]
mod tour;

async fn start() -> (ExamplesServer, Client) {
    let server = ExamplesServer::start(&amazon_music_workspace_tests::spec::spec()).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key("api-key")
        .token("token")
        .build()
        .expect("a client");
    (server, client)
}

#[tokio::test]
async fn the_tour_finishes_and_says_what_it_skipped_and_why() {
    let (server, client) = start().await;
    let mut out = Vec::new();
    let result = tour::walk(&client, &mut out).await;
    let text = String::from_utf8(out).unwrap();
    assert!(result.is_ok(), "{:?}\n{text}", result.err());
    for expected in [
        // Save and remove answer about the example's album, whatever was asked.
        "the answer is about B091MTJT3P, not B0064UPU4G",
        "the server keeps no library",
        // The docs' playback example has no metricId.
        "skipped reporting the start of playback: reportPlaybackEvent: the current entity \
         (entityReferenceId 526af97e-8396-4b5a-ae26-7ee95999d34c) came without the metricId",
        // ... and its skips are used up.
        "skipped the next entity: the service does not allow skipping now (NO_MORE_SKIPS, 0 skips left)",
        // The queue example always says there is more, at cursor "1".
        "skipped the rest of the queue: the server sent the cursor \"1\" again",
        "active sessions: 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(!text.contains("reload"), "{text}");
    let requests = server.requests();
    assert!(
        !requests.iter().any(|r| r.ends_with("/playback/event")),
        "a report without a metricId went out: {requests:?}"
    );
}

/// Against the mock the tour finds "One More Time" by name and plays its album, Discovery,
/// whose first track it is.
#[tokio::test]
async fn the_tour_finds_a_track_by_name_and_plays_its_album() {
    let (server, client) =
        amazon_music_workspace_tests::client::start(amazon_music_mock::MockConfig::default()).await;
    let mut out = Vec::new();
    let result = tour::walk(&client, &mut out).await;
    let text = String::from_utf8(out).unwrap();
    assert!(result.is_ok(), "{:?}\n{text}", result.err());
    for expected in [
        "found \"one more time\": B0064UPUDC One More Time by Daft Punk",
        "  on Discovery (B0064UPU4G)",
        "playing album B0064UPU4G: One More Time (",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(
        !text.contains("skipped"),
        "the mock serves every step:\n{text}"
    );
    assert_eq!(server.requests("searchTracks"), 1);
}

#[tokio::test]
async fn a_report_without_a_metric_id_is_refused_saying_what_is_missing() {
    let (server, client) = start().await;
    let session = client
        .start_playback(PlayRequest::album("B0064UPU4G"))
        .await
        .unwrap();
    let error = session
        .report(
            PlaybackEventType::PlaybackStarted,
            Duration::ZERO,
            TakeOver::Auto,
        )
        .await
        .unwrap_err();
    let Error::MissingMetricId {
        entity_reference_id,
    } = &error
    else {
        panic!("not MissingMetricId: {error:?}");
    };
    assert_eq!(entity_reference_id, "526af97e-8396-4b5a-ae26-7ee95999d34c");
    let message = error.to_string();
    assert!(message.contains("metricId"), "{message}");
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(!message.contains("reload"), "{message}");
    assert_eq!(
        server.requests(),
        ["POST /v1/playback/sessions"],
        "only the session was created"
    );
}
