//! The typed httpmock helpers (feature `httpmock`) mock this client in downstream tests,
//! including the comma-separated list parameters.

use amazon_music_api::mock::MockServerExt;
use amazon_music_api::{Client, Credentials, types};

#[tokio::test]
async fn a_typed_mock_answers_the_generated_client() {
    let server = httpmock::MockServer::start_async().await;
    let ids: Vec<types::CatalogId> =
        vec!["B0064UPU4G".parse().unwrap(), "B00D3PLC1K".parse().unwrap()];
    let response: types::GetAlbumsResponse = serde_json::from_value(serde_json::json!({
        "data": {"albums": [{"id": "B0064UPU4G", "title": "Discovery"}, {"id": "B00D3PLC1K"}]}
    }))
    .unwrap();
    let mock = server.get_albums(|when, then| {
        when.ids(&ids);
        then.ok(&response);
    });

    let client = Client::new(&server.base_url(), Credentials::new("key", "token"));
    let albums = client.get_albums().ids(ids.clone()).send().await.unwrap();

    mock.assert_async().await;
    assert_eq!(albums.into_inner(), response);
}

#[tokio::test]
async fn a_typed_mock_can_answer_with_an_error() {
    let server = httpmock::MockServer::start_async().await;
    let error: types::ErrorResponse = serde_json::from_value(serde_json::json!({
        "error": {"status": "404", "code": "RESOURCE_NOT_FOUND", "message": "no such album"}
    }))
    .unwrap();
    server.get_album(|when, then| {
        when.id(&"B000000000".parse().unwrap());
        then.not_found(&error);
    });
    let client = Client::new(&server.base_url(), Credentials::new("key", "token"));
    let result = client
        .get_album()
        .id("B000000000".parse::<types::CatalogId>().unwrap())
        .send()
        .await;
    match result {
        Err(amazon_music_api::Error::ErrorResponse(e)) => assert_eq!(e.into_inner(), error),
        other => panic!("expected the mocked 404, got {other:?}"),
    }
}

/// A path parameter is matched as the client sends it (percent-encoded) and literally: neither
/// `\` nor `.` is read as a pattern.
#[tokio::test]
async fn a_typed_mock_matches_a_path_parameter_as_sent() {
    let server = httpmock::MockServer::start_async().await;
    let error: types::ErrorResponse = serde_json::from_value(serde_json::json!({
        "error": {"status": "404", "code": "RESOURCE_NOT_FOUND", "message": "no such album"}
    }))
    .unwrap();
    let id: types::CatalogId = "a.b\\c d(".parse().unwrap();
    let mock = server.get_album(|when, then| {
        when.id(&id);
        then.not_found(&error);
    });
    let client = Client::new(&server.base_url(), Credentials::new("key", "token"));
    let hit = client.get_album().id(id.clone()).send().await;
    assert!(
        matches!(hit, Err(amazon_music_api::Error::ErrorResponse(_))),
        "{hit:?}"
    );
    let other: types::CatalogId = "aXb\\c d(".parse().unwrap();
    let _ = client.get_album().id(other).send().await;
    assert_eq!(mock.calls_async().await, 1, "only the id itself matches");
}
