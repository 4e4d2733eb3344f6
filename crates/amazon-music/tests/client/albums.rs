//! Single and batched album lookups against the mock.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use amazon_music::{Client, Error, ErrorCode};
use amazon_music_mock::{MockConfig, MockState};

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

/// A batch runs as many requests at once as configured, no more and no fewer. The server holds
/// each request until that many are in flight (or two seconds pass, which only a client running
/// fewer would wait out) and counts the most it saw at once.
#[tokio::test]
async fn a_batch_runs_as_many_requests_at_once_as_configured() {
    const AT_ONCE: usize = 3;
    let state = MockState::new(&MockConfig::default().catalog_size(1000)).unwrap();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (open, gate) = tokio::sync::watch::channel(false);
    let open = Arc::new(open);
    let counted = most.clone();
    let app = amazon_music_mock::router(state).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let (in_flight, most, open, mut gate) = (
                in_flight.clone(),
                counted.clone(),
                open.clone(),
                gate.clone(),
            );
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                if now >= AT_ONCE {
                    open.send_replace(true);
                }
                let _ =
                    tokio::time::timeout(Duration::from_secs(2), gate.wait_for(|open| *open)).await;
                let response = next.run(request).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                response
            }
        },
    ));
    let client = Client::builder()
        .base_url(amazon_music_workspace_tests::loopback::serve_router(app).await)
        .api_key("mock-api-key")
        .token("mock-token")
        .concurrency(AT_ONCE)
        .build()
        .unwrap();
    // Five requests of 100 ids: the first three together, then the other two.
    let batch = client.get_albums(catalog_ids(500)).await.unwrap();
    assert_eq!(batch.albums.len(), 500);
    assert_eq!(most.load(Ordering::SeqCst), AT_ONCE);
}
