//! Crafted ids and other parameters cannot reach another endpoint or crash anything.
//!
//! Each hostile value goes through every call that puts a caller's string into a path or a
//! query (ids, and saved cursors resumed from). The call must end in `Error::Validation` (nothing sent) or in the API's 4xx for the
//! operation that was called; the mock's per-operation counters must show that no request
//! reached any other operation, and none reached a path that is no operation at all (which a
//! dot segment such as `..` would, once the URL is normalized).

use crate::support;

use amazon_music::pagination::{Page, Paginator};
use amazon_music::playback::PlayRequest;
use amazon_music::search::TrackSearch;
use amazon_music::{Error, Result};
use amazon_music_mock::{MockConfig, MockServer};
use futures::StreamExt;

fn hostile() -> Vec<String> {
    let mut values: Vec<String> = [
        "..",
        ".",
        "../me",
        "../../me/library/albums",
        "a/b",
        "?x=1",
        "#frag",
        "%2F",
        "%2e%2e",
        "..%2F..%2Fme",
        "a,b",
        "a&ids=B0064UPU4G",
        "B0064UPU4G/../../me/library/albums/B00D3PLC1K",
        // URL parsing reads `\` as `/` in an http(s) URL.
        "..\\me\\library\\albums",
        "..\\..\\me",
        "a\\b",
        "\\",
        "\\..",
        ".\\",
        "..\\",
        "%5C",
        "..%5C..%5Cme",
        "%2e%2e\\me",
        ";x",
        "\n",
        "\r\nx-injected: 1",
        "\0",
        " ",
        "é",
        "💿",
        "",
    ]
    .map(str::to_owned)
    .to_vec();
    values.push("A".repeat(10_000));
    // What a caller holding arbitrary bytes can pass: the API takes `&str`, so invalid UTF-8
    // arrives replaced.
    values.push(String::from_utf8_lossy(&[0xff, 0xfe, b'/', 0xc0, 0xaf]).into_owned());
    values
}

/// Checks each hostile call right after it, against the counters as the previous call left them.
struct Checker<'a> {
    server: &'a MockServer,
    value: &'a str,
    before: Vec<(String, u64)>,
    failures: Vec<String>,
}

impl Checker<'_> {
    fn probe<T>(&mut self, operation: &str, result: Result<T>) {
        let after = counts(self.server);
        let sent: Vec<(String, u64)> = after
            .iter()
            .zip(&self.before)
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, b)| (a.0.clone(), a.1 - b.1))
            .collect();
        self.before = after;
        let only_own = sent == [(operation.to_owned(), 1)];
        let verdict = match &result {
            Err(Error::Validation { .. }) if sent.is_empty() => None,
            Err(Error::Validation { .. }) => Some(format!("refused, yet sent {sent:?}")),
            Err(e) if e.status().is_some_and(|s| s.is_client_error()) => (!only_own)
                .then(|| format!("answered {e}, with requests to {sent:?} instead of {operation}")),
            // Accepted as an ordinary value: it must have gone to its own operation (queueNext
            // then reads the queue, as the docs require).
            Ok(_) => {
                let own = sent.iter().any(|(op, n)| op == operation && *n == 1);
                let others = sent.iter().all(|(op, _)| {
                    op == operation || (operation == "queueNext" && op == "getPlaybackQueue")
                });
                (!(own && others)).then(|| format!("succeeded with requests to {sent:?}"))
            }
            Err(e) => Some(format!("{e} (requests {sent:?})")),
        };
        if let Some(why) = verdict {
            let shown: String = self.value.chars().take(40).collect();
            self.failures.push(format!("{operation}({shown:?}): {why}"));
        }
    }
}

#[tokio::test]
async fn crafted_path_parameters_reach_only_their_own_operation() {
    let mut failures = Vec::new();
    for value in hostile() {
        let server = MockServer::start(MockConfig::default()).await.unwrap();
        let client = support::builder(&server).build().unwrap();
        let session = client
            .start_playback(PlayRequest::album("B0064UPU4G"))
            .await
            .expect("a session to aim at");
        let value = value.as_str();
        let mut check = Checker {
            server: &server,
            value,
            before: counts(&server),
            failures: Vec::new(),
        };
        check.probe("getAlbum", client.get_album(value).await);
        check.probe("addLibraryAlbum", client.save_album(value).await);
        check.probe("removeLibraryAlbum", client.remove_album(value).await);
        check.probe("getAlbums", client.get_albums([value]).await);
        check.probe(
            "getLibraryAlbums",
            client.library_albums_page(10, Some(value)).await,
        );
        check.probe(
            "refreshPlaybackSession",
            client.resume_session(value, "1").await,
        );
        check.probe(
            "refreshPlaybackSession",
            client.resume_session(session.id(), value).await,
        );
        check.probe(
            "getPlaybackQueue",
            session.queue_page(10, Some(value)).await,
        );
        check.probe("queueNext", session.play_next(value).await);
        check.probe("getTrack", client.get_track(value).await);
        check.probe("getArtist", client.get_artist(value).await);
        check.probe("getArtists", client.get_artists([value]).await);
        check.probe("getPlaylist", client.get_playlist(value).await);
        check.probe("getStation", client.get_station(value).await);
        check.probe("getPodcastShow", client.get_podcast_show(value).await);
        let episodes = client.podcast_episodes(value, 10);
        check.probe("getPodcastShow", first_page(episodes).await);
        // Cursors travel in the query (the search's in the body): a saved one resumes there.
        let show = "63825c25-4a0b-4389-a1cc-c72e5dc8bb7b";
        let resumed = client
            .podcast_episodes(show, 10)
            .map(|p| p.resume_from(value));
        check.probe("getPodcastShow", first_page(resumed).await);
        let resumed = client.my_playlists(10).map(|p| p.resume_from(value));
        check.probe("getMyPlaylists", first_page(resumed).await);
        let resumed = client.followed_artists(10).map(|p| p.resume_from(value));
        check.probe("getFollowedArtists", first_page(resumed).await);
        let resumed = client.top_tracks(10).map(|p| p.resume_from(value));
        check.probe("getTopTracks", first_page(resumed).await);
        let resumed = client.recently_played(10).map(|p| p.resume_from(value));
        check.probe("getRecentlyPlayedTracks", first_page(resumed).await);
        let search = client
            .search_tracks(TrackSearch::new("one more time"))
            .map(|p| p.resume_from(value));
        check.probe("searchTracks", first_page(search).await);
        failures.extend(check.failures);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The first page of a listing, or why there is none.
async fn first_page<T: Send + 'static>(listing: Result<Paginator<T>>) -> Result<Page<T>> {
    let mut pages = Box::pin(listing?.pages());
    pages
        .next()
        .await
        .unwrap_or_else(|| panic!("a listing yields a first page"))
}

/// An album id with backslashes stays an album id: URL parsing reads `\` as `/`, so sent as it
/// was, `..\me\library\albums` fetched the library (and failed to decode it as an album) and
/// `a\b` went to `/albums/a/b`, a path of no operation.
#[tokio::test]
async fn an_album_id_with_backslashes_reaches_get_album_only() {
    for id in ["..\\me\\library\\albums", "a\\b"] {
        let server = MockServer::start(MockConfig::default()).await.unwrap();
        let client = support::builder(&server).build().unwrap();
        let error = client.get_album(id).await.unwrap_err();
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(404),
            "{id:?}: {error}"
        );
        let sent: Vec<(String, u64)> = counts(&server)
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect();
        assert_eq!(sent, [("getAlbum".to_owned(), 1)], "{id:?}");
    }
}

/// The empty string, `.` and `..` are refused by the client itself, which names the parameter;
/// the generated crate's own check behind it names the builder's parameter only.
#[tokio::test]
async fn an_empty_or_dot_segment_id_is_refused_naming_the_parameter() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let client = support::builder(&server).build().unwrap();
    fn refusal<T: std::fmt::Debug>(result: Result<T>) -> (&'static str, String) {
        match result {
            Err(Error::Validation { what, message }) => (what, message),
            other => panic!("not a validation error: {other:?}"),
        }
    }
    for (dots, problem) in [
        ("", "it is empty"),
        (".", "it is a dot segment"),
        ("..", "it is a dot segment"),
    ] {
        let said = format!("{dots:?}: {problem}, which would change the request's path");
        for (result, what) in [
            (refusal(client.get_album(dots).await), "album id"),
            (refusal(client.save_album(dots).await), "album id"),
            (
                refusal(client.resume_session(dots, "1").await),
                "session id",
            ),
            (
                refusal(client.resume_session("s", dots).await),
                "entity reference id",
            ),
            (refusal(client.get_track(dots).await), "track id"),
            (refusal(client.get_artist(dots).await), "artist id"),
            (refusal(client.get_artists([dots]).await), "artist id"),
            (refusal(client.get_playlist(dots).await), "playlist id"),
            (refusal(client.get_station(dots).await), "station id"),
            (
                refusal(client.get_podcast_show(dots).await),
                "podcast show id",
            ),
            (
                refusal(client.podcast_episodes(dots, 10)),
                "podcast show id",
            ),
        ] {
            assert_eq!(result, (what, said.clone()));
        }
    }
    assert!(counts(&server).iter().all(|(_, n)| *n == 0), "nothing sent");
}

/// The client refuses a path parameter exactly when the generated crate underneath would, so
/// its own check (there to name the parameter) neither lets through nor adds a rule.
#[tokio::test]
async fn the_client_refuses_the_path_parameters_the_generated_crate_refuses() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let client = support::builder(&server).build().unwrap();
    let api = amazon_music_api::Client::new(
        &server.base_url(),
        amazon_music_api::Credentials::new("mock-api-key", "mock-token"),
    );
    for value in hostile() {
        let value = value.as_str();
        let ours = client.resume_session(value, "1").await;
        let theirs = api
            .refresh_playback_session()
            .session_id(value)
            .entity_reference_id("1")
            .send()
            .await;
        assert_eq!(
            matches!(ours, Err(Error::Validation { .. })),
            matches!(theirs, Err(amazon_music_api::Error::InvalidRequest(_))),
            "{value:?}: {ours:?} / {theirs:?}"
        );
    }
}

fn counts(server: &MockServer) -> Vec<(String, u64)> {
    server
        .state()
        .operation_ids()
        .into_iter()
        .map(|op| (op.to_owned(), server.requests(op)))
        .collect()
}
