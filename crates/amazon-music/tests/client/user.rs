//! The signed-in user against the mock: the profile and changing it, the recently played
//! tracks, the followed artists and the user's playlists, streamed across pages.

use crate::support;

use amazon_music::pagination::Paginator;
use amazon_music::playback::PlayRequest;
use amazon_music::types::{UpdateUserRequest, Visibility};
use amazon_music::{Client, Error};
use amazon_music_mock::{MockConfig, MockServer};
use futures::TryStreamExt;

#[tokio::test]
async fn the_profile_and_changing_it() {
    let (server, client) = support::start(MockConfig::default()).await;
    let me = client.me().await.unwrap();
    assert!(!me.id.is_empty());
    let changed = client
        .update_me(&UpdateUserRequest {
            name: "Tony Starked".into(),
            visibility: Visibility::Private,
            playback_visibility: Visibility::Public,
        })
        .await
        .unwrap();
    assert_eq!(changed.id, me.id);
    assert_eq!(changed.name.as_deref(), Some("Tony Starked"));
    assert_eq!(client.me().await.unwrap(), changed, "the change is kept");
    assert_eq!(server.requests("updateCurrentUser"), 1);
}

/// Streams `listing` with pages of 1 and of `whole_page`, asserts they agree and that pages of
/// 1 took one request each; returns the items' keys.
async fn pages_agree<T: Send + 'static>(
    server: &MockServer,
    operation: &str,
    listing: impl Fn(u32) -> Paginator<T>,
    whole_page: u32,
    key: impl Fn(&T) -> String,
) -> Vec<String> {
    let whole: Vec<String> = listing(whole_page)
        .items()
        .map_ok(|item| key(&item))
        .try_collect()
        .await
        .unwrap();
    assert!(whole.len() >= 2, "{operation}: enough to page through");
    let before = server.requests(operation);
    let paged: Vec<String> = listing(1)
        .items()
        .map_ok(|item| key(&item))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged, whole, "{operation}: the same items, in order");
    assert_eq!(
        server.requests(operation) - before,
        whole.len() as u64,
        "{operation}: one request a page"
    );
    whole
}

#[tokio::test]
async fn recently_played_streams_across_pages_most_recent_first() {
    let (server, client) = support::start(MockConfig::default()).await;
    // What plays is what was played: a session's first track is played when it starts.
    let tracks = ["B0064UPUDC", "B0BS2S4WXN", "B076YT2CBT"];
    for track in tracks {
        client
            .start_playback(PlayRequest::track(track))
            .await
            .unwrap();
    }
    let c = client.clone();
    let newest_first: Vec<String> = c
        .recently_played(60)
        .unwrap()
        .items()
        .map_ok(|edge| edge.node.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(newest_first, ["B076YT2CBT", "B0BS2S4WXN", "B0064UPUDC"]);
    let c = client.clone();
    let played = pages_agree(
        &server,
        "getRecentlyPlayedTracks",
        move |size| c.recently_played(size).unwrap(),
        60,
        |edge| edge.played_at.expect("when it was played").to_rfc3339(),
    )
    .await;
    let mut newest_first = played.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(played, newest_first);
}

#[tokio::test]
async fn followed_artists_and_playlists_stream_across_pages() {
    let (server, client) = support::start(MockConfig::default()).await;
    let c = client.clone();
    pages_agree(
        &server,
        "getFollowedArtists",
        move |size| c.followed_artists(size).unwrap(),
        100,
        |edge| edge.node.id.to_string(),
    )
    .await;
    let c = client.clone();
    pages_agree(
        &server,
        "getMyPlaylists",
        move |size| c.my_playlists(size).unwrap(),
        100,
        |edge| edge.node.id.to_string(),
    )
    .await;
}

/// Starts a listing of `page_size`, sending nothing.
type Listing = fn(&Client, u32) -> Result<(), Error>;

#[tokio::test]
async fn page_sizes_beyond_each_operations_cap_are_refused_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    let refused = |result: Result<(), Error>| {
        let error = result.unwrap_err();
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
    };
    let listings: [(&str, u32, Listing); 3] = [
        ("getRecentlyPlayedTracks", 60, |c, n| {
            c.recently_played(n).map(drop)
        }),
        ("getFollowedArtists", 100, |c, n| {
            c.followed_artists(n).map(drop)
        }),
        ("getMyPlaylists", 100, |c, n| c.my_playlists(n).map(drop)),
    ];
    for (operation, max, listing) in listings {
        refused(listing(&client, 0));
        refused(listing(&client, max + 1));
        listing(&client, max).unwrap();
        assert_eq!(server.requests(operation), 0, "{operation}");
    }
}
