//! The catalog beyond albums against the mock: tracks, artists (one, batched), playlists,
//! stations and podcast shows with their episodes; unknown ids are typed not-founds, and ids
//! that cannot be ids are refused before anything is sent.

use crate::support;

use amazon_music::types::PodcastEpisodeEdge;
use amazon_music::{Error, ErrorCode};
use amazon_music_mock::MockConfig;
use futures::TryStreamExt;

#[tokio::test]
async fn a_track_by_id() {
    let (server, client) = support::start(MockConfig::default()).await;
    let track = client.get_track("B0064UPUDC").await.unwrap();
    assert_eq!(track.title.as_deref(), Some("One More Time"));
    let album = track.album.expect("the track's album");
    assert_eq!(album.id.as_str(), "B0064UPU4G");
    assert_eq!(server.requests("getTrack"), 1);
    let error = client.get_track("B000000000").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::ResourceNotFound));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn an_artist_by_id_and_artists_in_batches() {
    let (server, client) = support::start(MockConfig::default()).await;
    let artist = client.get_artist("B01EJ9KLA6").await.unwrap();
    assert_eq!(artist.name.as_deref(), Some("Tash Sultana"));
    let error = client.get_artist("B000000000").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::ResourceNotFound));

    let batch = client
        .get_artists(["B0000NOPE0", "B01EJ9KLA6", "B0000NOPE0"])
        .await
        .unwrap();
    let ids: Vec<&str> = batch.artists.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["B01EJ9KLA6"]);
    assert_eq!(
        batch.missing,
        ["B0000NOPE0"],
        "each id once, in the order asked"
    );
    assert_eq!(server.requests("getArtists"), 1);
}

#[tokio::test]
async fn artist_batches_are_split_by_100_and_keep_the_order_asked() {
    let (server, client) = support::start(MockConfig::default()).await;
    // Unknown ids count as much as known ones: 250 distinct ids are three requests.
    let mut asked: Vec<String> = (0..249).map(|n| format!("B9{n:08}")).collect();
    asked.insert(120, "B01EJ9KLA6".to_owned());
    let batch = client.get_artists(&asked).await.unwrap();
    assert_eq!(server.requests("getArtists"), 3);
    assert_eq!(batch.artists.len(), 1);
    let mut expected_missing = asked.clone();
    expected_missing.remove(120);
    assert_eq!(batch.missing, expected_missing);
}

#[tokio::test]
async fn a_playlist_a_station_and_a_podcast_show() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let playlist = client.get_playlist("4a5afe86-7316").await.unwrap();
    assert_eq!(playlist.title.as_deref(), Some("A day of Pink Floyd"));
    let station = client.get_station("A3QXXOBP9MU5LY").await.unwrap();
    assert_eq!(station.name.as_deref(), Some("Pop Culture Radio"));
    let show = client
        .get_podcast_show("63825c25-4a0b-4389-a1cc-c72e5dc8bb7b")
        .await
        .unwrap();
    assert_eq!(show.title.as_deref(), Some("The Line"));
    for error in [
        client.get_playlist("no-such-playlist").await.unwrap_err(),
        client.get_station("B000000000").await.unwrap_err(),
        client.get_podcast_show("no-such-show").await.unwrap_err(),
    ] {
        assert_eq!(error.code(), Some(&ErrorCode::ResourceNotFound), "{error}");
    }
}

#[tokio::test]
async fn podcast_episodes_stream_across_pages() {
    let (server, client) = support::start(MockConfig::default()).await;
    let show = "63825c25-4a0b-4389-a1cc-c72e5dc8bb7b";
    let whole: Vec<PodcastEpisodeEdge> = client
        .podcast_episodes(show, 100)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(whole.len() >= 2, "the show has episodes to page through");
    let before = server.requests("getPodcastShow");
    let paged: Vec<PodcastEpisodeEdge> = client
        .podcast_episodes(show, 1)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        paged, whole,
        "one at a time, the same episodes in the same order"
    );
    assert_eq!(
        server.requests("getPodcastShow") - before,
        whole.len() as u64,
        "one request a page"
    );
}

#[tokio::test]
async fn ids_and_page_sizes_that_cannot_be_sent_are_refused_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    let long = "B".repeat(65);
    for (bad, what) in [
        ("", "track id"),
        (long.as_str(), "track id"),
        ("..", "track id"),
    ] {
        let error = client.get_track(bad).await.unwrap_err();
        assert!(
            matches!(error, Error::Validation { what: w, .. } if w == what),
            "{error}"
        );
    }
    for bad in ["", ".", ".."] {
        let error = client.get_artist(bad).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "artist id",
                    ..
                }
            ),
            "{error}"
        );
        let error = client.get_artists(["B01EJ9KLA6", bad]).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "artist id",
                    ..
                }
            ),
            "{error}"
        );
        let error = client.get_playlist(bad).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "playlist id",
                    ..
                }
            ),
            "{error}"
        );
        let error = client.get_station(bad).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "station id",
                    ..
                }
            ),
            "{error}"
        );
        let error = client.get_podcast_show(bad).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "podcast show id",
                    ..
                }
            ),
            "{error}"
        );
        let error = client.podcast_episodes(bad, 10).unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "podcast show id",
                    ..
                }
            ),
            "{error}"
        );
    }
    for size in [0, 101] {
        let error = client
            .podcast_episodes("63825c25-4a0b-4389-a1cc-c72e5dc8bb7b", size)
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
    for operation in [
        "getTrack",
        "getArtist",
        "getArtists",
        "getPlaylist",
        "getStation",
        "getPodcastShow",
    ] {
        assert_eq!(server.requests(operation), 0, "{operation}");
    }
}
