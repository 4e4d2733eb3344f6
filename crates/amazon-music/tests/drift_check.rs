//! The drift check (feature `drift-check`): every response is compared with the embedded spec;
//! the kinds of drift a client reports are exactly those a drifting mock served, a repeated
//! call adds findings but no kinds, and a service that does not drift leaves the stats at zero.
//! The warnings themselves are checked in `drift_check_warnings.rs` (tracing caches what a
//! callsite is interested in across threads, so they get a test binary of their own).

use amazon_music_workspace_tests::client as support;

use std::collections::BTreeSet;

use futures::StreamExt;

use amazon_music::playback::PlayRequest;
use amazon_music::{Client, DriftKind, DriftSeen, DriftStats};
use amazon_music_conformance::escape_pointer_token;
use amazon_music_mock::{DriftInjection, MockConfig, MockServer};

/// Calls that reach most operations, each of which must succeed whatever the drift: drift is
/// what the generated types decode.
async fn walk(client: &Client) {
    client.get_album("B0064UPU4G").await.unwrap();
    let ids = ["B0064UPU4G", "B00D3PLC1K", "B000000000"];
    client.get_albums(ids).await.unwrap();
    client.save_album("B091MTJT3P").await.unwrap();
    client.library_albums_page(5, None).await.unwrap();
    client.remove_album("B091MTJT3P").await.unwrap();
    let mut session = client
        .start_playback(PlayRequest::album("B0064UPU4G").device_id("drift"))
        .await
        .unwrap();
    session.upcoming().await.unwrap();
    session.next().await.unwrap();
    session.previous().await.unwrap();
    session.queue_page(3, None).await.unwrap();
    client.active_sessions().await.unwrap();
    // The operations of the other V1 pages.
    client.get_track("B0064UPUDC").await.unwrap();
    client.get_artist("B01EJ9KLA6").await.unwrap();
    client
        .get_artists(["B01EJ9KLA6", "B000000000"])
        .await
        .unwrap();
    client.get_playlist("4a5afe86-7316").await.unwrap();
    client.get_station("A3QXXOBP9MU5LY").await.unwrap();
    let show = "63825c25-4a0b-4389-a1cc-c72e5dc8bb7b";
    client.get_podcast_show(show).await.unwrap();
    client.find_track("one more time").await.unwrap();
    client.search_all("discovery", Some(2)).await.unwrap();
    client.home_view(Some(2)).await.unwrap();
    client.me().await.unwrap();
    for listing in [
        first_page(client.podcast_episodes(show, 2)).await,
        first_page(client.my_playlists(2)).await,
        first_page(client.followed_artists(2)).await,
        first_page(client.top_tracks(2)).await,
        first_page(client.recently_played(2)).await,
    ] {
        listing.unwrap();
    }
}

/// Fetches the first page of a listing, keeping only whether it came.
async fn first_page<T: Send + 'static>(
    listing: amazon_music::Result<amazon_music::pagination::Paginator<T>>,
) -> amazon_music::Result<()> {
    let mut pages = Box::pin(listing?.pages());
    pages.next().await.expect("a first page").map(drop)
}

/// A kind of drift as the client reports it, without its operation: what the mock's list of
/// served changes can be compared with.
fn projected(stats: &DriftStats) -> BTreeSet<(DriftKind, String)> {
    stats
        .kinds
        .iter()
        .map(|seen| (seen.kind, seen.pointer.clone()))
        .collect()
}

/// What the mock served, in the client's terms: a new field is reported where its object's
/// schema would declare it; an unlisted value and a `null` at the spec pointer the mock names.
fn served(server: &MockServer) -> BTreeSet<(DriftKind, String)> {
    server
        .state()
        .drift_served()
        .into_iter()
        .map(
            |DriftInjection {
                 kind,
                 spec_pointer,
                 found,
             }| match kind {
                DriftKind::UnknownField => (
                    kind,
                    format!("{spec_pointer}/properties/{}", escape_pointer_token(&found)),
                ),
                DriftKind::UnlistedValue | DriftKind::NullNotNullable => (kind, spec_pointer),
            },
        )
        .collect()
}

/// Requests the mock answered, over every operation.
fn requests(server: &MockServer) -> u64 {
    let state = server.state();
    state
        .operation_ids()
        .iter()
        .map(|op| state.requests(op))
        .sum()
}

#[tokio::test]
async fn the_kinds_reported_are_exactly_the_drift_served() {
    for seed in 0..4 {
        let (server, client) = support::start(MockConfig::default().drift(seed)).await;
        walk(&client).await;
        let stats = client.drift_stats();
        let served = served(&server);
        assert!(!served.is_empty(), "seed {seed} served no drift");
        assert_eq!(projected(&stats), served, "seed {seed}");
        // Each kind once, with the operation whose response carried it.
        assert_eq!(stats.distinct_kinds(), stats.kinds.len());
        let distinct: BTreeSet<&DriftSeen> = stats.kinds.iter().collect();
        assert_eq!(distinct.len(), stats.kinds.len(), "seed {seed}: {stats:?}");
        let operations = server.state().operation_ids();
        for seen in &stats.kinds {
            assert!(
                operations.contains(&seen.operation_id.as_str()),
                "seed {seed}: {seen:?}"
            );
            assert!(server.state().requests(&seen.operation_id) > 0, "{seen:?}");
        }
        assert!(stats.findings >= stats.kinds.len() as u64, "{stats:?}");
        assert_eq!(stats.responses_checked, requests(&server), "seed {seed}");
    }
}

#[tokio::test]
async fn a_repeated_call_adds_findings_but_no_kinds() {
    // The first seed whose getAlbum answer drifts.
    for seed in 0..32 {
        let (_server, client) = support::start(MockConfig::default().drift(seed)).await;
        client.get_album("B0064UPU4G").await.unwrap();
        let first = client.drift_stats();
        if first.kinds.is_empty() {
            continue;
        }
        assert_eq!(first.responses_checked, 1);
        assert!(first.kinds.iter().all(|k| k.operation_id == "getAlbum"));
        client.get_album("B0064UPU4G").await.unwrap();
        let second = client.drift_stats();
        assert_eq!(second.responses_checked, 2);
        assert_eq!(second.kinds, first.kinds, "seed {seed}");
        assert_eq!(second.findings, 2 * first.findings, "seed {seed}");
        return;
    }
    panic!("no seed of 0..32 drifts getAlbum's answer");
}

#[tokio::test]
async fn without_drift_the_stats_stay_zero() {
    let (server, client) = support::start(MockConfig::default()).await;
    walk(&client).await;
    let stats = client.drift_stats();
    assert_eq!(stats.responses_checked, requests(&server));
    assert!(stats.responses_checked > 10, "{stats:?}");
    assert_eq!(
        (stats.findings, stats.distinct_kinds()),
        (0, 0),
        "{stats:?}"
    );
}

#[tokio::test]
async fn a_client_built_with_check_drift_false_checks_nothing() {
    let server = MockServer::start(MockConfig::default().drift(1))
        .await
        .unwrap();
    let client = support::builder(&server)
        .check_drift(false)
        .build()
        .unwrap();
    walk(&client).await;
    assert!(!server.state().drift_served().is_empty());
    assert_eq!(client.drift_stats(), DriftStats::default());
}

#[tokio::test]
async fn error_answers_are_checked_too() {
    let (_server, client) = support::start(MockConfig::default().drift(0)).await;
    assert!(client.get_album("B000000000").await.is_err());
    assert_eq!(client.drift_stats().responses_checked, 1);
}
