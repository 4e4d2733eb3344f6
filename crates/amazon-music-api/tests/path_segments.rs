//! Each path parameter goes out as one segment of its own operation's path, or not at all.
//!
//! The URL parser behind reqwest reads more into a path than `/`: in an `http(s)` URL a `\` is a
//! `/` as well, and `.`, `..` (and their `%2e` spellings) are dot segments that take the
//! segment before with them. The generated code encodes every byte outside RFC 3986's
//! unreserved set and refuses the empty string, `.` and `..`, the values no encoding changes.
//! `tests/path_routing.rs` checks the same for any string and every operation.

use amazon_music_api::types::{CatalogId, EntityReferenceId, SessionId};
use amazon_music_api::{Client, Credentials, Error};
use amazon_music_workspace_tests::loopback::hop::Hop;

fn refused<T: std::fmt::Debug>(
    result: Result<T, Error<amazon_music_api::types::ErrorResponse>>,
    parameter: &str,
) {
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains(&format!("`{parameter}`")), "{message}");
            assert!(message.contains("change the request's path"), "{message}");
        }
        other => panic!("expected the request refused, got {other:?}"),
    }
}

async fn start() -> (Hop, Client) {
    let server = Hop::start("127.0.0.1", None).await;
    let client = Client::new(
        &format!("{}/v1", server.url()),
        Credentials::new("path-test-key", "path-test-token"),
    );
    (server, client)
}

#[tokio::test]
async fn empty_and_dot_segments_never_leave_the_client() {
    let (server, client) = start().await;
    for dots in [".", ".."] {
        let album: CatalogId = dots.parse().unwrap();
        refused(client.get_album().id(album.clone()).send().await, "id");
        refused(client.add_library_album().id(album).send().await, "id");
        let session: SessionId = dots.parse().unwrap();
        refused(
            client
                .get_current_playback_entity()
                .session_id(session.clone())
                .send()
                .await,
            "session_id",
        );
        refused(
            client.get_playback_queue().session_id(session).send().await,
            "session_id",
        );
        let entity: EntityReferenceId = dots.parse().unwrap();
        let session: SessionId = "s-1".parse().unwrap();
        refused(
            client
                .refresh_playback_session()
                .session_id(session)
                .entity_reference_id(entity)
                .send()
                .await,
            "entity_reference_id",
        );
    }
    assert_eq!(server.paths(), Vec::<String>::new(), "nothing was sent");
}

#[tokio::test]
async fn ids_with_dots_and_backslashes_stay_one_segment() {
    let (server, client) = start().await;
    for id in [
        "...",
        "..\\me\\library\\albums",
        "a\\b",
        "%2e%2e",
        "a/..",
        "é",
    ] {
        let album: CatalogId = id.parse().unwrap();
        client.get_album().id(album).send().await.unwrap();
    }
    assert_eq!(
        server.paths(),
        [
            "/v1/albums/...",
            "/v1/albums/..%5Cme%5Clibrary%5Calbums",
            "/v1/albums/a%5Cb",
            "/v1/albums/%252e%252e",
            "/v1/albums/a%2F..",
            "/v1/albums/%C3%A9",
        ]
    );
}
