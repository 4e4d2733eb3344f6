//! The client against the generated crate's typed httpmock helpers: responses the spec does
//! not allow become decode errors that name the JSON path.

use amazon_music::Error;
use amazon_music::api::mock::MockServerExt;

use crate::support;

/// The error of `get_album("B0064UPU4G")` against a server answering it with `status`,
/// `content_type` and `body`. Raw rather than typed: the bodies are off the spec on purpose.
async fn get_album_answered(status: u16, content_type: &str, body: &str) -> Error {
    let server = httpmock::MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/albums/B0064UPU4G");
        then.status(status)
            .header("content-type", content_type)
            .body(body);
    });
    support::httpmock_client(&server)
        .get_album("B0064UPU4G")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_body_off_the_spec_names_the_path_that_failed() {
    match get_album_answered(
        200,
        "application/json",
        r#"{"data": {"album": {"id": "B0064UPU4G", "trackCount": "fourteen"}}}"#,
    )
    .await
    {
        Error::Decode {
            operation,
            path,
            excerpt,
            ..
        } => {
            assert_eq!(operation, "getAlbum");
            assert_eq!(path, "data.album.trackCount");
            assert!(excerpt.contains("fourteen"));
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn typed_mocks_drive_the_ergonomic_client() {
    let server = httpmock::MockServer::start_async().await;
    let response: amazon_music::types::GetAlbumsResponse =
        serde_json::from_value(serde_json::json!({
            "data": {"albums": [{"id": "B00D3PLC1K"}, {"id": "B0064UPU4G"}]}
        }))
        .unwrap();
    let ids: Vec<amazon_music::types::CatalogId> =
        vec!["B0064UPU4G".parse().unwrap(), "B00D3PLC1K".parse().unwrap()];
    let mock = server.get_albums(|when, then| {
        when.ids(&ids);
        then.ok(&response);
    });
    let batch = support::httpmock_client(&server)
        .get_albums(["B0064UPU4G", "B00D3PLC1K"])
        .await
        .unwrap();
    mock.assert_async().await;
    let got: Vec<&str> = batch.albums.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        got,
        ["B0064UPU4G", "B00D3PLC1K"],
        "order asked, not order answered"
    );
}

/// A status the spec declares with the API's error object (404 here), answered with something
/// else (a gateway's HTML page), is an unexpected response with that status, not a decode
/// error: the status is what the caller acts on.
#[tokio::test]
async fn a_declared_error_status_without_the_error_object_is_unexpected() {
    match get_album_answered(404, "text/html", "<html>not here</html>").await {
        Error::UnexpectedResponse {
            status,
            content_type,
            excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(content_type, "text/html");
            assert!(excerpt.contains("not here"), "{excerpt}");
        }
        other => panic!("{other:?}"),
    }
}

/// The answer of `getAlbum` with an album of nothing but `id`.
fn album(id: &str) -> amazon_music::types::GetAlbumResponse {
    serde_json::from_value(serde_json::json!({"data": {"album": {"id": id}}})).unwrap()
}

/// Requests carry the client's `User-Agent`, the crate's own unless the application names
/// itself.
#[tokio::test]
async fn requests_carry_the_user_agent_set() {
    let server = httpmock::MockServer::start_async().await;
    let named = server.get_album(|when, then| {
        when.id(&"B0064UPU4G".parse().unwrap())
            .into_inner()
            .header("user-agent", "my-player/2.1");
        then.ok(&album("B0064UPU4G"));
    });
    let client = amazon_music::Client::builder()
        .base_url(server.base_url())
        .api_key("k")
        .token("t")
        .user_agent("my-player/2.1")
        .build()
        .unwrap();
    client.get_album("B0064UPU4G").await.unwrap();
    named.assert_async().await;

    let default = server.get_album(|when, then| {
        when.id(&"B00D3PLC1K".parse().unwrap()).into_inner().header(
            "user-agent",
            format!("amazon-music-rs/{}", env!("CARGO_PKG_VERSION")),
        );
        then.ok(&album("B00D3PLC1K"));
    });
    support::httpmock_client(&server)
        .get_album("B00D3PLC1K")
        .await
        .unwrap();
    default.assert_async().await;
}
