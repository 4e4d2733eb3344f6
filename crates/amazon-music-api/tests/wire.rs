//! What the generated client puts on the wire for each of the 17 operations, pinned by insta
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
