//! `.` and `..` as a path parameter are refused before anything is sent. Percent-encoding leaves
//! them alone and URL normalization would remove them with the segment before, sending the
//! request to another operation's path (`/playback/sessions/../current` is `/playback/current`).

use amazon_music_api::types::{CatalogId, EntityReferenceId, SessionId};
use amazon_music_api::{Client, Credentials, Error};
use amazon_music_workspace_tests::hop::Hop;

fn refused<T: std::fmt::Debug>(result: Result<T, Error<amazon_music_api::types::ErrorResponse>>) {
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("dot segment"), "{message}")
        }
        other => panic!("expected the request refused, got {other:?}"),
    }
}

#[tokio::test]
async fn dot_segments_never_leave_the_client() {
    let server = Hop::start("127.0.0.1", None).await;
    let client = Client::new(
        &format!("{}/v1", server.url()),
        Credentials::new("dot-test-key", "dot-test-token"),
    );
    for dots in [".", ".."] {
        let album: CatalogId = dots.parse().unwrap();
        refused(client.get_album().id(album.clone()).send().await);
        refused(client.add_library_album().id(album).send().await);
        let session: SessionId = dots.parse().unwrap();
        refused(
            client
                .get_current_playback_entity()
                .session_id(session.clone())
                .send()
                .await,
        );
        refused(client.get_playback_queue().session_id(session).send().await);
        let entity: EntityReferenceId = dots.parse().unwrap();
        let session: SessionId = "s-1".parse().unwrap();
        refused(
            client
                .refresh_playback_session()
                .session_id(session)
                .entity_reference_id(entity)
                .send()
                .await,
        );
    }
    assert_eq!(server.paths(), Vec::<String>::new(), "nothing was sent");
    // Ids that merely contain dots are ordinary ids.
    let album: CatalogId = "...".parse().unwrap();
    client.get_album().id(album).send().await.unwrap();
    assert_eq!(server.paths(), ["/v1/albums/..."]);
}
