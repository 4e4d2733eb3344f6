//! Searching against the mock: tracks page by page (the next page asked for with the body's
//! `token`), the best match for a name, everything at once; bad searches refused unsent.

use crate::support;

use amazon_music::Error;
use amazon_music::search::TrackSearch;
use amazon_music::types::{SearchSortBy, TrackEdge, TrackFieldType};
use amazon_music_mock::{FaultKind, FaultRule, MockConfig};
use futures::{StreamExt, TryStreamExt};

fn ids(edges: &[TrackEdge]) -> Vec<String> {
    edges.iter().map(|e| e.node.id.to_string()).collect()
}

#[tokio::test]
async fn a_match_query_finds_one_more_time_first() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let mut items = Box::pin(
        client
            .search_tracks(TrackSearch::new("one more time"))
            .unwrap()
            .items(),
    );
    let first = items.try_next().await.unwrap().expect("a track");
    assert_eq!(first.node.id.as_str(), "B0064UPUDC");
    assert_eq!(first.node.title.as_deref(), Some("One More Time"));
}

#[tokio::test]
async fn search_pages_follow_the_body_token_without_loss_or_repeat() {
    let (server, client) = support::start(MockConfig::default()).await;
    let search = || TrackSearch::by(TrackFieldType::ArtistName, "Daft Punk");
    let whole: Vec<TrackEdge> = client
        .search_tracks(search())
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(
        whole.len() >= 3,
        "enough tracks to page through: {}",
        whole.len()
    );
    let before = server.requests("searchTracks");
    let mut pages = Box::pin(client.search_tracks(search().page_size(2)).unwrap().pages());
    let mut paged = Vec::new();
    let mut tokens = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        assert!(page.items.len() <= 2);
        tokens.push(page.cursor.clone());
        paged.extend(page.items);
    }
    assert_eq!(ids(&paged), ids(&whole));
    assert_eq!(
        server.requests("searchTracks") - before,
        whole.len().div_ceil(2) as u64
    );
    assert_eq!(tokens[0], None, "the first page has no token");
    assert!(tokens[1..].iter().all(Option::is_some));
}

#[tokio::test]
async fn a_field_filter_and_a_sort_narrow_and_order_the_tracks() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let tracks: Vec<TrackEdge> = client
        .search_tracks(
            TrackSearch::by(TrackFieldType::AlbumId, "B0064UPU4G").sort_by(SearchSortBy::Name),
        )
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!tracks.is_empty());
    for edge in &tracks {
        let album = edge.node.album.as_ref().expect("an album");
        assert_eq!(album.id.as_str(), "B0064UPU4G");
    }
    let titles: Vec<String> = tracks
        .iter()
        .map(|e| e.node.title.clone().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted, "sorted by name");
}

#[tokio::test]
async fn find_track_gives_the_best_match_or_none() {
    let (server, client) = support::start(MockConfig::default()).await;
    let track = client.find_track("one more time").await.unwrap().unwrap();
    assert_eq!(track.id.as_str(), "B0064UPUDC");
    assert_eq!(server.requests("searchTracks"), 1, "one page is enough");
    let none = client
        .find_track("zzqx nothing is called this")
        .await
        .unwrap();
    assert_eq!(none, None);
}

#[tokio::test]
async fn search_all_groups_what_it_finds() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let views = client.search_all("discovery", Some(3)).await.unwrap();
    assert!(!views.is_empty());
    let groups: Vec<_> = views
        .iter()
        .flat_map(|v| &v.content.entity_groups)
        .collect();
    assert!(!groups.is_empty());
    assert!(groups.iter().all(|g| g.content.entities.len() <= 3));
}

#[tokio::test]
async fn bad_searches_are_refused_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    for search in [
        TrackSearch::new(""),
        TrackSearch::new("   "),
        TrackSearch::new("x").field(TrackFieldType::Isrc, ""),
    ] {
        let error = client.search_tracks(search).unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "search query",
                    ..
                }
            ),
            "{error}"
        );
    }
    for size in [0, 101] {
        let error = client
            .search_tracks(TrackSearch::new("x").page_size(size))
            .unwrap_err();
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
    let error = client.find_track("").await.unwrap_err();
    assert!(matches!(error, Error::Validation { .. }), "{error}");
    let error = client.search_all("", None).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                what: "search query",
                ..
            }
        ),
        "{error}"
    );
    let error = client.search_all("x", Some(0)).await.unwrap_err();
    assert!(
        matches!(error, Error::Validation { what: "limit", .. }),
        "{error}"
    );
    assert_eq!(
        server.requests("searchTracks") + server.requests("searchAll"),
        0
    );
}

/// A search is a POST that only reads: throttling and gateway errors are waited out like a
/// GET's, where a playback POST is never sent twice.
#[tokio::test]
async fn a_throttled_or_failed_search_is_sent_again() {
    for kind in [
        FaultKind::Throttle {
            retry_after: Some(0),
        },
        FaultKind::Status(503),
    ] {
        let config =
            MockConfig::default().fault(FaultRule::new("searchTracks", kind.clone()).first(1));
        let (server, client) = support::start(config).await;
        let track = client.find_track("one more time").await;
        assert!(track.is_ok(), "{kind:?}: {track:?}");
        assert_eq!(server.requests("searchTracks"), 2, "{kind:?}");
    }
}
