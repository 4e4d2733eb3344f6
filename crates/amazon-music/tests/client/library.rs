//! The library: save, list as a stream across pages, resume, prefetch, remove.

use crate::support;

use amazon_music::pagination::Page;
use amazon_music::types::LibraryAlbumEdge;
use amazon_music::{Error, Result};
use amazon_music_mock::MockConfig;
use futures::{StreamExt, TryStreamExt};

fn library_of(n: usize) -> (MockConfig, Vec<String>) {
    let chosen: Vec<String> = support::catalog_ids().into_iter().take(n).collect();
    (
        MockConfig::default().initial_library(chosen.clone()),
        chosen,
    )
}

#[tokio::test]
async fn save_list_and_remove() {
    let (_server, client) = support::start(MockConfig::default()).await;
    let saved = client.save_album("B091MTJT3P").await.unwrap();
    assert_eq!(saved.save_state.as_str(), "SAVED");
    let all: Vec<LibraryAlbumEdge> = client
        .library_albums(100)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(support::edge_ids(&all).contains(&"B091MTJT3P".to_owned()));
    let removed = client.remove_album("B091MTJT3P").await.unwrap();
    assert_eq!(removed.save_state.as_str(), "REMOVED");
    let all: Vec<LibraryAlbumEdge> = client
        .library_albums(100)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!support::edge_ids(&all).contains(&"B091MTJT3P".to_owned()));
}

#[tokio::test]
async fn the_stream_crosses_page_boundaries_without_loss_or_repeat() {
    let (config, chosen) = library_of(23);
    let (server, client) = support::start(config).await;
    let all: Vec<LibraryAlbumEdge> = client
        .library_albums(5)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(support::edge_ids(&all), chosen);
    assert_eq!(server.requests("getLibraryAlbums"), 5);
}

#[tokio::test]
async fn a_saved_cursor_resumes_where_it_stopped() {
    let (config, chosen) = library_of(12);
    let (_server, client) = support::start(config).await;
    let mut pages = Box::pin(client.library_albums(5).unwrap().pages());
    let first: Page<LibraryAlbumEdge> = pages.next().await.unwrap().unwrap();
    let cursor = first.next_cursor.clone().expect("more pages");
    drop(pages);
    let rest: Vec<LibraryAlbumEdge> = client
        .library_albums(5)
        .unwrap()
        .resume_from(cursor)
        .items()
        .try_collect()
        .await
        .unwrap();
    let mut seen = support::edge_ids(&first.items);
    seen.extend(support::edge_ids(&rest));
    assert_eq!(seen, chosen);
}

#[tokio::test]
async fn prefetch_yields_the_same_items() {
    let (config, chosen) = library_of(17);
    let (_server, client) = support::start(config).await;
    let all: Vec<LibraryAlbumEdge> = client
        .library_albums(4)
        .unwrap()
        .prefetch(true)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(support::edge_ids(&all), chosen);
}

#[tokio::test]
async fn page_sizes_and_cursors_are_checked_before_sending() {
    let (server, client) = support::start(MockConfig::default()).await;
    assert!(matches!(
        client.library_albums(0),
        Err(Error::Validation { .. })
    ));
    assert!(matches!(
        client.library_albums(101),
        Err(Error::Validation { .. })
    ));
    let result: Result<Page<LibraryAlbumEdge>> = client.library_albums_page(10, Some("")).await;
    assert!(matches!(
        result,
        Err(Error::Validation { what: "cursor", .. })
    ));
    assert_eq!(server.requests("getLibraryAlbums"), 0);
}
