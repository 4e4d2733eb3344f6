//! The library stream under interruptions and concurrent changes, as properties.
//!
//! * Interrupted at any page (the stream dropped after some pages, or a failed request on a
//!   chosen page), then resumed from the last page's `next_cursor`: every album exactly once, in
//!   library order.
//! * The library changed between pages (albums added, removed, removed and saved again): no
//!   album twice, and every album that stayed in the library throughout comes out.
//!
//! Case counts are small (a mock per case); `PROPTEST_CASES=500` runs more.

mod support;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use amazon_music::pagination::Page;
use amazon_music::types::LibraryAlbumEdge;
use amazon_music::{Client, RetryPolicy};
use amazon_music_mock::{MockConfig, MockState};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use futures::{StreamExt, TryStreamExt};
use proptest::prelude::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn catalog() -> Vec<String> {
    MockState::new(&MockConfig::default()).unwrap().album_ids()
}

fn ids(edges: &[LibraryAlbumEdge]) -> Vec<String> {
    edges.iter().map(|e| e.node.id.to_string()).collect()
}

/// The mock's router behind a layer that fails the `fail_at`-th listing request (1-based) with
/// a 500, which the client does not retry: the stream ends in an error at that page.
async fn serve_failing_at(config: &MockConfig, fail_at: u64) -> SocketAddr {
    let state = MockState::new(config).unwrap();
    let listings = Arc::new(AtomicU64::new(0));
    let app = amazon_music_mock::router(state).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let listings = listings.clone();
            async move {
                let listing = request.method() == "GET"
                    && request.uri().path() == "/v1/me/library/albums";
                if listing && listings.fetch_add(1, Ordering::SeqCst) + 1 == fail_at {
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        [("content-type", "application/json")],
                        r#"{"error": {"status": "500", "code": "INTERNAL_SERVER_ERROR", "message": "injected"}}"#,
                    )
                        .into_response();
                }
                next.run(request).await
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn client(base_url: String) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key("mock-api-key")
        .token("mock-token")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Reads pages until the stream ends or fails, keeping the cursor to resume from.
async fn read(
    client: &Client,
    page_size: u32,
    from: Option<String>,
    stop_after: Option<usize>,
    out: &mut Vec<String>,
) -> (Option<String>, bool) {
    let mut paginator = client.library_albums(page_size).unwrap();
    if let Some(cursor) = from.clone() {
        paginator = paginator.resume_from(cursor);
    }
    let mut pages = Box::pin(paginator.pages());
    let mut resume = from;
    let mut read = 0;
    while let Some(page) = pages.next().await {
        let page: Page<LibraryAlbumEdge> = match page {
            Ok(page) => page,
            Err(_) => return (resume, false),
        };
        out.extend(ids(&page.items));
        read += 1;
        match page.next_cursor {
            Some(next) => resume = Some(next),
            None => return (None, true),
        }
        if stop_after == Some(read) {
            // Dropped mid-listing, as an application that stops and comes back later.
            return (resume, false);
        }
    }
    (None, true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn an_interrupted_stream_resumes_with_every_album_once(
        albums in 1usize..14,
        page_size in 1u32..5,
        interrupt_at in 0usize..16,
        by_fault in any::<bool>(),
    ) {
        let chosen: Vec<String> = catalog().into_iter().take(albums).collect();
        let pages = albums.div_ceil(page_size as usize);
        let interrupt_at = interrupt_at % pages;
        let config = MockConfig::default().initial_library(chosen.clone());
        let got = runtime().block_on(async {
            let mut got = Vec::new();
            let (client, stop_after) = if by_fault {
                let addr = serve_failing_at(&config, interrupt_at as u64 + 1).await;
                (client(format!("http://{addr}/v1")), None)
            } else {
                let server = amazon_music_mock::MockServer::start(config).await.unwrap();
                let client = client(server.base_url());
                std::mem::forget(server); // lives until the runtime is dropped
                (client, Some(interrupt_at + 1))
            };
            let (resume, done) = read(&client, page_size, None, stop_after, &mut got).await;
            if !done {
                let (_, done) = read(&client, page_size, resume, None, &mut got).await;
                assert!(done, "the resumed stream reaches the end");
            }
            got
        });
        prop_assert_eq!(got, chosen);
    }

    #[test]
    fn a_library_changed_while_streaming_yields_no_album_twice(
        initial in 1usize..10,
        page_size in 1u32..4,
        changes in proptest::collection::vec((0u8..3, 0usize..64), 0..8),
    ) {
        let catalog = catalog();
        let chosen: Vec<String> = catalog.iter().take(initial).cloned().collect();
        let config = MockConfig::default().initial_library(chosen.clone());
        let (got, stayed) = runtime().block_on(async {
            let server = amazon_music_mock::MockServer::start(config).await.unwrap();
            let reader = support::builder(&server).build().unwrap();
            let writer = support::builder(&server).build().unwrap();
            let mut library: Vec<String> = chosen.clone();
            let mut touched: HashSet<String> = HashSet::new();
            let mut got = Vec::new();
            let mut pages = Box::pin(reader.library_albums(page_size).unwrap().pages());
            let mut changes = changes.into_iter();
            while let Some(page) = pages.next().await {
                got.extend(ids(&page.unwrap().items));
                // Between pages, another client changes the library.
                if let Some((kind, pick)) = changes.next() {
                    match kind {
                        0 => {
                            let id = &catalog[pick % catalog.len()];
                            writer.save_album(id).await.unwrap();
                            if !library.contains(id) {
                                library.push(id.clone());
                            }
                            touched.insert(id.clone());
                        }
                        1 if !library.is_empty() => {
                            let id = library.remove(pick % library.len());
                            writer.remove_album(&id).await.unwrap();
                            touched.insert(id);
                        }
                        _ if !library.is_empty() => {
                            // Removed and saved again: the album moves to the end.
                            let id = library.remove(pick % library.len());
                            writer.remove_album(&id).await.unwrap();
                            writer.save_album(&id).await.unwrap();
                            library.push(id.clone());
                            touched.insert(id);
                        }
                        _ => {}
                    }
                }
            }
            let stayed: Vec<String> =
                chosen.into_iter().filter(|id| !touched.contains(id)).collect();
            (got, stayed)
        });
        let mut seen = HashSet::new();
        for id in &got {
            prop_assert!(seen.insert(id.clone()), "{} came twice in {:?}", id, got);
        }
        for id in &stayed {
            prop_assert!(seen.contains(id), "{} stayed in the library but never came", id);
        }
    }
}

#[tokio::test]
async fn the_resume_helper_reads_everything_without_interruption() {
    // The property above is only as good as `read`: uninterrupted, it returns the library.
    let chosen: Vec<String> = catalog().into_iter().take(5).collect();
    let server =
        amazon_music_mock::MockServer::start(MockConfig::default().initial_library(chosen.clone()))
            .await
            .unwrap();
    let mut got = Vec::new();
    let (resume, done) = read(&client(server.base_url()), 2, None, None, &mut got).await;
    assert!(done && resume.is_none());
    assert_eq!(got, chosen);
    let all: Vec<LibraryAlbumEdge> = client(server.base_url())
        .library_albums(2)
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), chosen);
}
