//! Browsing against the mock: the top tracks across pages, the home view, and their caps
//! (20 tracks a page, 10 entities a group) refused before sending.

use crate::support;

use amazon_music::Error;
use amazon_music::types::TrackEdge;
use amazon_music_mock::MockConfig;
use futures::TryStreamExt;

#[tokio::test]
async fn top_tracks_stream_across_pages() {
    let (server, client) = support::start(MockConfig::default()).await;
    let whole: Vec<TrackEdge> = client
        .top_tracks(20)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(whole.len() >= 3, "enough to page through");
    let before = server.requests("getTopTracks");
    let paged: Vec<TrackEdge> = client
        .top_tracks(2)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged, whole);
    assert_eq!(
        server.requests("getTopTracks") - before,
        whole.len().div_ceil(2) as u64
    );
}

#[tokio::test]
async fn the_home_view_keeps_to_its_limit() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let home = client.home_view(Some(2)).await.unwrap();
    let groups = &home.content.entity_groups;
    assert!(!groups.is_empty());
    assert!(groups.iter().all(|g| g.content.entities.len() <= 2));
    client.home_view(None).await.unwrap();
}

#[tokio::test]
async fn caps_are_refused_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    for size in [0, 21] {
        let error = client.top_tracks(size).unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "page size",
                    ..
                }
            ),
            "{error}"
        );
    }
    let _unsent = client.top_tracks(20).unwrap();
    for limit in [0, 11] {
        let error = client.home_view(Some(limit)).await.unwrap_err();
        assert!(
            matches!(error, Error::Validation { what: "limit", .. }),
            "{error}"
        );
    }
    assert_eq!(
        server.requests("getTopTracks") + server.requests("getHomeView"),
        0
    );
}
