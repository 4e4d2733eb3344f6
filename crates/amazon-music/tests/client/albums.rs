//! Single and batched album lookups against the mock.

use crate::support;

use amazon_music::{Error, ErrorCode};
use amazon_music_mock::MockConfig;

#[tokio::test]
async fn one_album() {
    let (server, client) = support::start(MockConfig::default()).await;
    let album = client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(album.title.as_deref(), Some("Discovery"));
    assert_eq!(album.artists[0].name.as_deref(), Some("Daft Punk"));
    assert_eq!(server.requests("getAlbum"), 1);
}

#[tokio::test]
async fn an_unknown_album_is_a_typed_not_found() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let error = client.get_album("B000000000").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::ResourceNotFound));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn ids_that_cannot_be_ids_are_refused_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    for bad in ["", &"B".repeat(65)] {
        let error = client.get_album(bad).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "album id",
                    ..
                }
            ),
            "{error}"
        );
        let error = client.get_albums(["B0064UPU4G", bad]).await.unwrap_err();
        assert!(matches!(error, Error::Validation { .. }), "{error}");
    }
    assert_eq!(
        server.requests("getAlbum") + server.requests("getAlbums"),
        0
    );
}

/// The catalog's own ids, so that batches hit real albums.
fn catalog_ids(n: usize) -> Vec<String> {
    let state =
        amazon_music_mock::MockState::new(&MockConfig::default().catalog_size(1000)).unwrap();
    let ids = state.album_ids();
    assert!(ids.len() >= n);
    ids.into_iter().take(n).collect()
}

#[tokio::test]
async fn batches_are_split_by_100_and_keep_the_order_asked() {
    for n in [0usize, 1, 100, 101, 1000] {
        let config = MockConfig::default().catalog_size(1000);
        let (server, client) = support::start(config).await;
        let mut ids = catalog_ids(n);
        ids.reverse();
        let batch = client.get_albums(&ids).await.unwrap();
        let got: Vec<String> = batch.albums.iter().map(|a| a.id.to_string()).collect();
        assert_eq!(got, ids, "{n} ids");
        assert!(batch.missing.is_empty());
        assert_eq!(
            server.requests("getAlbums") as usize,
            n.div_ceil(100),
            "{n} ids"
        );
    }
}

#[tokio::test]
async fn missing_ids_are_reported_and_duplicates_asked_once() {
    let (server, client) = support::start(MockConfig::default()).await;
    let batch = client
        .get_albums([
            "B0000NOPE1",
            "B0064UPU4G",
            "B00D3PLC1K",
            "B0064UPU4G",
            "B0000NOPE2",
        ])
        .await
        .unwrap();
    let got: Vec<String> = batch.albums.iter().map(|a| a.id.to_string()).collect();
    assert_eq!(got, ["B0064UPU4G", "B00D3PLC1K"]);
    assert_eq!(batch.missing, ["B0000NOPE1", "B0000NOPE2"]);
    assert_eq!(server.requests("getAlbums"), 1);
}
