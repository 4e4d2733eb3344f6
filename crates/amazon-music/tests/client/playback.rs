//! A playback session driven end to end against the mock.

use crate::support;

use std::time::Duration;

use amazon_music::playback::{PlayRequest, Report, TakeOver};
use amazon_music::types::{LoopMode, PlaybackEntity, PlaybackEventType};
use amazon_music::{Error, ErrorCode};
use amazon_music_mock::MockConfig;
use futures::TryStreamExt;

fn track(entity: &PlaybackEntity) -> String {
    entity
        .track
        .as_ref()
        .map(|t| t.id.to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_album_session_moves_through_its_queue() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let mut session = client
        .start_playback(
            PlayRequest::album("B0064UPU4G")
                .loop_mode(LoopMode::LoopOff)
                .device_id("test"),
        )
        .await
        .unwrap();
    let first = track(session.current());
    let album = client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(first, album.tracks[0].id.as_str());

    let upcoming = session.upcoming().await.unwrap().expect("a second track");
    let second = track(session.next().await.unwrap());
    assert_eq!(second, track(&upcoming));
    assert_eq!(second, album.tracks[1].id.as_str());
    assert_eq!(track(session.previous().await.unwrap()), first);
    assert_eq!(track(session.refresh().await.unwrap()), first);
    assert_eq!(track(session.reload().await.unwrap()), first);

    let error = session.previous().await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::NoMorePreviousEntity));

    let queue: Vec<PlaybackEntity> = session
        .queue(5)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    let queued: Vec<String> = queue.iter().map(track).collect();
    let expected: Vec<String> = album.tracks.iter().map(|t| t.id.to_string()).collect();
    assert_eq!(queued, expected);
}

#[tokio::test]
async fn queue_changes_return_what_now_plays_next() {
    let (server, client) = support::start(MockConfig::default()).await;
    let session = client
        .start_playback(PlayRequest::album("B0064UPU4G"))
        .await
        .unwrap();
    let upcoming = session.play_next("B0BS2S4WXN").await.unwrap().unwrap();
    assert_eq!(track(&upcoming), "B0BS2S4WXN");
    assert_eq!(server.requests("queueNext"), 1);

    let queue = session.queue_page(100, None).await.unwrap();
    let before = queue.items.len();
    session.play_last("B0BS2S4WXN").await.unwrap();
    let queue = session.queue_page(100, None).await.unwrap();
    assert_eq!(queue.items.len(), before + 1);
    assert_eq!(track(queue.items.last().unwrap()), "B0BS2S4WXN");

    session.set_loop(LoopMode::LoopAll).await.unwrap();
    session.set_shuffle(true).await.unwrap();
    session.set_shuffle(false).await.unwrap();
    assert_eq!(server.requests("setLoopMode"), 1);
    assert_eq!(server.requests("setShuffleMode"), 2);
}

#[tokio::test]
async fn skip_limits_show_in_actions_before_the_service_refuses() {
    let (_server, client) = support::start(MockConfig::default().skip_limit(1)).await;
    let mut session = client
        .start_playback(PlayRequest::album("B0064UPU4G"))
        .await
        .unwrap();
    assert!(session.can_skip_next());
    // The mock allows going back anywhere but at the start.
    assert!(!session.can_skip_previous());
    assert_eq!(session.remaining_skips(), Some(1));
    session.next().await.unwrap();
    assert!(!session.can_skip_next());
    assert!(session.can_skip_previous());
    assert_eq!(session.remaining_skips(), Some(0));
    let error = session.next().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn a_second_stream_conflicts_with_auto_and_takes_over_with_force() {
    let (server, client) = support::start(MockConfig::default()).await;
    let first = client
        .start_playback(PlayRequest::track("B0BS2S4WXN"))
        .await
        .unwrap();
    assert_eq!(
        first
            .report(
                PlaybackEventType::PlaybackStarted,
                Duration::ZERO,
                TakeOver::Auto
            )
            .await
            .unwrap(),
        Report::Recorded
    );
    let second = client
        .start_playback(PlayRequest::album("B0064UPU4G"))
        .await
        .unwrap();
    match second
        .report(
            PlaybackEventType::PlaybackStarted,
            Duration::ZERO,
            TakeOver::Auto,
        )
        .await
        .unwrap()
    {
        Report::Conflict(error) => assert_eq!(error.code, ErrorCode::MaxConcurrencyReached),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        server.requests("reportPlaybackEvent"),
        2,
        "a stream conflict is never retried"
    );
    assert_eq!(
        second
            .report(
                PlaybackEventType::PlaybackStarted,
                Duration::from_millis(1500),
                TakeOver::Force
            )
            .await
            .unwrap(),
        Report::Recorded
    );
    let active = client.active_sessions().await.unwrap();
    assert!(active.iter().any(|e| e.session_id.as_str() == second.id()));
}

#[tokio::test]
async fn a_session_can_be_taken_up_again() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let session = client
        .start_playback(PlayRequest::track_in("B0064UPUDC", "B0064UPU4G"))
        .await
        .unwrap();
    let resumed = client
        .resume_session(session.id(), session.current().entity_reference_id.as_str())
        .await
        .unwrap();
    assert_eq!(track(resumed.current()), track(session.current()));
}

#[tokio::test]
async fn bad_play_requests_are_refused_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    for request in [
        PlayRequest::tracks(Vec::<String>::new()),
        PlayRequest::tracks(vec!["B0064UPUDC"; 101]),
        PlayRequest::track(""),
        PlayRequest::album("B0064UPU4G").window(11),
    ] {
        let error = client.start_playback(request).await.unwrap_err();
        assert!(matches!(error, Error::Validation { .. }), "{error}");
    }
    assert_eq!(server.requests("createPlaybackSession"), 0);
    // The limits themselves are allowed, and go to the service.
    for request in [
        PlayRequest::tracks(vec!["B0064UPUDC"; 100]),
        PlayRequest::album("B0064UPU4G").window(10),
    ] {
        let result = client.start_playback(request).await;
        assert!(
            !matches!(result, Err(Error::Validation { .. })),
            "{:?}",
            result.err()
        );
    }
    assert_eq!(server.requests("createPlaybackSession"), 2);
}
