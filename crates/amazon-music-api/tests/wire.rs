//! What the generated client puts on the wire for each operation of the spec, pinned by insta
//! snapshots: method, path, query string, headers (credentials checked, then redacted) and JSON
//! body. Request bodies and parameters are the spec's own examples; each call is answered with
//! the spec's example response, which must decode.

use amazon_music_api::{Client, Credentials, types};
use amazon_music_workspace_tests::loopback::capture::{API_KEY, Capture, TOKEN, render};
use serde_json::{Value, json};

fn spec() -> &'static amazon_music_spec::Spec {
    amazon_music_spec::Spec::embedded().unwrap()
}

fn example(name: &str) -> Value {
    spec()
        .pointer(&format!("/components/examples/{name}/value"))
        .unwrap_or_else(|| panic!("no example {name}"))
        .clone()
}

/// The first request-body example (of `examples`, in key order) of the operation `id`.
fn request_example<T: serde::de::DeserializeOwned>(id: &str) -> T {
    let example = spec()
        .operation(id)
        .and_then(|op| op.request_body()?.json())
        .and_then(|media| {
            media
                .examples()
                .iter()
                .find(|e| !e.pointer().ends_with("/example"))
        })
        .unwrap_or_else(|| panic!("no request example of {id}"));
    serde_json::from_value(example.value().clone()).unwrap()
}

async fn setup(reply: Option<&str>) -> (Capture, Client) {
    let capture = Capture::start().await;
    match reply {
        Some(name) => capture.reply(200, &example(name)),
        None => capture.reply(200, &Value::Null),
    }
    let client = Client::new(&capture.base_url, Credentials::new(API_KEY, TOKEN));
    (capture, client)
}

fn id(text: &str) -> types::CatalogId {
    text.parse().unwrap()
}

fn session() -> types::SessionId {
    "a133859e-44e6-4917-8893-fe36c8ea312a".parse().unwrap()
}

#[tokio::test]
async fn get_album() {
    let (capture, client) = setup(Some("GetAlbumDiscovery")).await;
    let album = client
        .get_album()
        .id(id("B0064UPU4G"))
        .send()
        .await
        .unwrap();
    assert_eq!(album.data.album.title.as_deref(), Some("Discovery"));
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_albums_sends_ids_comma_separated() {
    let (capture, client) = setup(Some("GetAlbumsTwo")).await;
    let albums = client
        .get_albums()
        .ids(vec![id("B0064UPU4G"), id("B00D3PLC1K")])
        .send()
        .await
        .unwrap();
    assert_eq!(albums.data.albums.len(), 2);
    let request = capture.take_one();
    assert_eq!(request.uri.query(), Some("ids=B0064UPU4G,B00D3PLC1K"));
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn get_library_albums() {
    let (capture, client) = setup(Some("GetLibraryAlbumsPage")).await;
    let page = client
        .get_library_albums()
        .limit(std::num::NonZeroU32::new(20).unwrap())
        .cursor("page-2".parse::<types::PageToken>().unwrap())
        .album_ids(vec![id("B07B62ZK5S"), id("B06VWVWDDH")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.user.library_albums.edges.len(), 2);
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn add_library_album() {
    let (capture, client) = setup(Some("SaveAlbumSaved")).await;
    let saved = client
        .add_library_album()
        .id(id("B091MTJT3P"))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.data.save_album.save_state.as_str(), "SAVED");
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn remove_library_album() {
    let (capture, client) = setup(Some("RemoveAlbumRemoved")).await;
    let removed = client
        .remove_library_album()
        .id(id("B091MTJT3P"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.data.remove_album.save_state.as_str(), "REMOVED");
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn create_playback_session() {
    let (capture, client) = setup(Some("PlaybackFlowers")).await;
    let body: types::CreatePlaybackSessionRequest = request_example("createPlaybackSession");
    let created = client
        .create_playback_session()
        .x_amzn_device_id("device-1")
        .x_amzn_audio_drm_type("WIDEVINE")
        .x_amzn_audio_device_capability("FLAC")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.data.entities.len(), 1);
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_active_playback_sessions() {
    let (capture, client) = setup(Some("PlaybackFlowers")).await;
    client.get_active_playback_sessions().send().await.unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_current_playback_entity() {
    let (capture, client) = setup(Some("PlaybackFlowers")).await;
    client
        .get_current_playback_entity()
        .session_id(session())
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_next_playback_entity() {
    let (capture, client) = setup(Some("PlaybackFlowers")).await;
    client
        .get_next_playback_entity()
        .session_id(session())
        .limit(std::num::NonZeroU32::new(3).unwrap())
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_previous_playback_entity() {
    let (capture, client) = setup(Some("PlaybackFlowers")).await;
    client
        .get_previous_playback_entity()
        .session_id(session())
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_playback_queue() {
    let (capture, client) = setup(Some("PlaybackQueuePage")).await;
    let page = client
        .get_playback_queue()
        .session_id(session())
        .limit(std::num::NonZeroU32::new(1).unwrap())
        .send()
        .await
        .unwrap();
    assert!(page.data.queue.page_info.has_next_page);
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn refresh_playback_session() {
    let (capture, client) = setup(Some("PlaybackFlowers")).await;
    client
        .refresh_playback_session()
        .session_id(session())
        .entity_reference_id(
            "526af97e-8396-4b5a-ae26-7ee95999d34c"
                .parse::<types::EntityReferenceId>()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn queue_next() {
    let (capture, client) = setup(None).await;
    let body: types::QueueNextRequest = request_example("queueNext");
    client
        .queue_next()
        .session_id(session())
        .body(body)
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn queue_last() {
    let (capture, client) = setup(None).await;
    let body: types::QueueLastRequest = request_example("queueLast");
    client
        .queue_last()
        .session_id(session())
        .body(body)
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn set_loop_mode() {
    let (capture, client) = setup(None).await;
    client
        .set_loop_mode()
        .session_id(session())
        .body(types::SetLoopModeRequest {
            loop_mode: types::LoopMode::LoopAll,
        })
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn set_shuffle_mode() {
    let (capture, client) = setup(None).await;
    client
        .set_shuffle_mode()
        .session_id(session())
        .body(types::SetShuffleModeRequest {
            shuffle_mode: types::ShuffleMode::ShuffleOn,
        })
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn report_playback_event() {
    let (capture, client) = setup(None).await;
    let body: types::ReportPlaybackEventRequest = request_example("reportPlaybackEvent");
    client
        .report_playback_event()
        .body(body)
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(render(&capture.take_one()));
}

/// Error bodies decode into the error type, whatever the status.
#[tokio::test]
async fn an_error_response_decodes_into_the_error_object() {
    let capture = Capture::start().await;
    capture.reply(404, &example("ErrorNotFound"));
    let client = Client::new(&capture.base_url, Credentials::new(API_KEY, TOKEN));
    let error = client
        .get_album()
        .id(id("B000000000"))
        .send()
        .await
        .unwrap_err();
    let amazon_music_api::Error::ErrorResponse(response) = error else {
        panic!("expected an error response, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(response.error.code, "RESOURCE_NOT_FOUND");
    assert_eq!(response.error.status.as_str(), "404");
}

/// A path parameter cannot escape its segment.
#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let (capture, client) = setup(Some("GetAlbumDiscovery")).await;
    let _ = client.get_album().id(id("../me?x=1\\y")).send().await;
    let request = capture.take_one();
    assert_eq!(request.uri.path(), "/v1/albums/..%2Fme%3Fx%3D1%5Cy");
    assert_eq!(request.uri.query(), None);
    let _ = json!(null);
}

fn limit(n: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(n).unwrap()
}

fn cursor(text: &str) -> types::PageToken {
    text.parse().unwrap()
}

#[tokio::test]
async fn get_track_with_its_media_type() {
    let (capture, client) = setup(Some("GetTrackHappy")).await;
    let track = client
        .get_track()
        .id(id("B076YT2CBT"))
        .media_type(types::MediaType::Audio)
        .send()
        .await
        .unwrap();
    let track = &track.data.track;
    assert_eq!(
        track.album.as_ref().map(|a| a.id.as_str()),
        Some("B076YSK8CS")
    );
    assert_eq!(track.artists[0].name.as_deref(), Some("Pharrell Williams"));
    let request = capture.take_one();
    assert_eq!(request.uri.query(), Some("mediaType=AUDIO"));
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn get_artist() {
    let (capture, client) = setup(Some("GetArtistTashSultana")).await;
    let artist = client
        .get_artist()
        .id(id("B01EJ9KLA6"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        artist.data.artist.images[1].image_type.as_deref(),
        Some("PROFILE")
    );
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_artists_sends_ids_comma_separated() {
    let (capture, client) = setup(Some("GetArtistsTwo")).await;
    let artists = client
        .get_artists()
        .ids(vec![id("B01EJ9KLA6"), id("B000QJPQTA")])
        .send()
        .await
        .unwrap();
    assert_eq!(artists.data.artists.len(), 2);
    let request = capture.take_one();
    assert_eq!(request.uri.query(), Some("ids=B01EJ9KLA6,B000QJPQTA"));
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn get_followed_artists() {
    let (capture, client) = setup(Some("GetFollowedArtistsFirstPage")).await;
    let page = client
        .get_followed_artists()
        .limit(limit(1))
        .cursor(cursor("page-2"))
        .send()
        .await
        .unwrap();
    assert!(page.data.user.followed_artists.page_info.has_next_page);
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_playlist() {
    let (capture, client) = setup(Some("GetPlaylistPinkFloyd")).await;
    let playlist = client
        .get_playlist()
        .id("4a5afe86-7316".parse::<types::PlaylistId>().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(playlist.data.playlist.track_count, Some(59));
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_my_playlists() {
    let (capture, client) = setup(Some("GetMyPlaylistsPage")).await;
    let page = client
        .get_my_playlists()
        .limit(limit(2))
        .cursor(cursor("page-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.user.playlists.edges.len(), 1);
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_current_user() {
    let (capture, client) = setup(Some("GetCurrentUserTest")).await;
    let user = client.get_current_user().send().await.unwrap();
    assert_eq!(user.data.user.name.as_deref(), Some("Test Test"));
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn update_current_user_sends_a_json_body() {
    let (capture, client) = setup(Some("UpdateCurrentUserUpdated")).await;
    let body: types::UpdateUserRequest = request_example("updateCurrentUser");
    let updated = client
        .update_current_user()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.data.update_user.name, None);
    let request = capture.take_one();
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        json!({"name": "New Name", "visibility": "PUBLIC", "playbackVisibility": "PUBLIC"})
    );
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn search_tracks_sends_filters_and_the_token_in_the_body() {
    let (capture, client) = setup(Some("SearchTracksSoja")).await;
    let mut body: types::SearchTracksRequest = request_example("searchTracks");
    body.token = Some(cursor("tztok-v2_next"));
    let found = client.search_tracks().body(body).send().await.unwrap();
    assert_eq!(
        found.data.search_tracks.edges[0].node.id.as_str(),
        "B08G9TMYCZ"
    );
    let request = capture.take_one();
    assert_eq!(request.uri.query(), None, "the search pages by its body");
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        json!({
            "searchFilters": [{"field": "name", "query": "soja"}],
            "limit": 2,
            "sortBy": "relevance",
            "token": "tztok-v2_next"
        })
    );
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn search_all() {
    let (capture, client) = setup(Some("SearchAllWeekend")).await;
    let views = client
        .search_all()
        .query("weekend")
        .limit(limit(10))
        .send()
        .await
        .unwrap();
    assert_eq!(
        views.data[0].content.entity_groups[0].title.as_deref(),
        Some("Top hits")
    );
    let request = capture.take_one();
    assert_eq!(request.uri.query(), Some("limit=10&query=weekend"));
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn get_podcast_show_pages_its_episodes() {
    let (capture, client) = setup(Some("GetPodcastShowTheLine")).await;
    let show = client
        .get_podcast_show()
        .id("63825c25-4a0b-4389-a1cc-c72e5dc8bb7b"
            .parse::<types::PodcastId>()
            .unwrap())
        .limit(limit(2))
        .cursor(cursor("7:7a0dc6a4-0ab8-46d5-9395-872a22110268"))
        .send()
        .await
        .unwrap();
    let episodes = show.data.podcast_show.episodes.as_ref().unwrap();
    assert_eq!(
        episodes.edges[0].node.title.as_deref(),
        Some("Introducing \"The Line\"")
    );
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_station() {
    let (capture, client) = setup(Some("GetStationPopCulture")).await;
    let station = client
        .get_station()
        .id(id("A3QXXOBP9MU5LY"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        station.data.station.name.as_deref(),
        Some("Pop Culture Radio")
    );
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_top_tracks() {
    let (capture, client) = setup(Some("GetTopTracksPage")).await;
    let page = client
        .get_top_tracks()
        .limit(limit(2))
        .cursor(cursor("c881b6f5-d1c3-4a78-81f8-b8efec7fcf78.2"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.top_tracks.edges.len(), 2);
    insta::assert_snapshot!(render(&capture.take_one()));
}

#[tokio::test]
async fn get_home_view_sends_its_headers() {
    let (capture, client) = setup(Some("GetHomeViewFrequentPlays")).await;
    let view = client
        .get_home_view()
        .limit(limit(5))
        .accept_language("en-US")
        .amzn_image_style("square")
        .send()
        .await
        .unwrap();
    assert_eq!(view.data.id, "home");
    let request = capture.take_one();
    assert_eq!(request.headers["accept-language"], "en-US");
    assert_eq!(request.headers["amzn-image-style"], "square");
    insta::assert_snapshot!(render(&request));
}

#[tokio::test]
async fn get_recently_played_tracks() {
    let (capture, client) = setup(Some("GetRecentlyPlayedTracksPage")).await;
    let page = client
        .get_recently_played_tracks()
        .limit(limit(2))
        .send()
        .await
        .unwrap();
    let edges = &page.data.user.recent_track_playback.edges;
    assert_eq!(edges.len(), 2);
    assert!(edges[0].played_at > edges[1].played_at, "most recent first");
    insta::assert_snapshot!(render(&capture.take_one()));
}
