//! The library stream under interruptions and concurrent changes, as properties.
//!
//! * Interrupted at any page (the stream dropped after some pages, or a failed request on a
//!   chosen page), then resumed from the last page's `next_cursor`: every album exactly once, in
//!   library order.
//! * The library changed between pages (albums added, removed, removed and saved again), default
//!   stream: it yields what the server lists and ends. Every album that stayed in the library
//!   throughout comes exactly once, in library order; every album saved (or removed and saved
//!   again) mid-stream and still there at the end comes after that save, so one already yielded
//!   comes again; no album comes more often than it was listed.
//! * The same changes with `unique_by` on the album id: no album twice, and every album that
//!   stayed, or was saved mid-stream and is still there, comes out.
//!
//! Case counts are small (a mock per case); `PROPTEST_CASES=500` runs more.

use crate::support;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use amazon_music::pagination::{Page, Paginator};
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

/// The mock's router behind a layer that fails the `fail_at`-th listing request (1-based) with
/// a 500, which the client does not retry: the stream ends in an error at that page. Gives the
/// base URL.
async fn serve_failing_at(config: &MockConfig, fail_at: u64) -> String {
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
    amazon_music_workspace_tests::loopback::serve_router(app).await
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
        out.extend(support::edge_ids(&page.items));
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

/// What a stream yielded while another client changed the library between its pages.
struct ChangedRun {
    /// The library when the stream started.
    initial: Vec<String>,
    got: Vec<String>,
    /// In the library from start to end and never touched, in library order.
    stayed: Vec<String>,
    /// Each album in the library at the end whose last save came mid-stream: how many albums
    /// the stream had yielded by then.
    saved_at: HashMap<String, usize>,
    /// How many times each album was listed anew by a mid-stream save (added or re-saved).
    saves: HashMap<String, usize>,
}

/// A library of the first `initial` catalog albums streamed `page_size` at a time (through
/// `unique_by` when `unique`) while `changes` are made between its pages.
fn changed_run(
    initial: usize,
    page_size: u32,
    changes: Vec<(u8, usize)>,
    unique: bool,
) -> ChangedRun {
    let catalog = support::catalog_ids();
    let chosen: Vec<String> = catalog.iter().take(initial).cloned().collect();
    let config = MockConfig::default().initial_library(chosen.clone());
    runtime().block_on(async {
        let server = amazon_music_mock::MockServer::start(config).await.unwrap();
        let reader = support::builder(&server).build().unwrap();
        let writer = support::builder(&server).build().unwrap();
        let mut paginator = reader.library_albums(page_size).unwrap();
        if unique {
            paginator = paginator.unique_by(|edge| edge.node.id.to_string());
        }
        stream_while_changing(paginator, &writer, &catalog, &chosen, changes).await
    })
}

/// Streams `paginator` to its end; after each page that has a next one, `writer` makes the next
/// change: `(0, i)` saves catalog album `i`, `(1, i)` removes library album `i`, `(2, i)` removes
/// library album `i` and saves it again (it moves to the end).
async fn stream_while_changing(
    paginator: Paginator<LibraryAlbumEdge>,
    writer: &Client,
    catalog: &[String],
    initial: &[String],
    changes: Vec<(u8, usize)>,
) -> ChangedRun {
    let mut library: Vec<String> = initial.to_vec();
    let mut touched: HashSet<String> = HashSet::new();
    let mut saved_at: HashMap<String, usize> = HashMap::new();
    let mut saves: HashMap<String, usize> = HashMap::new();
    let mut got = Vec::new();
    let mut pages = Box::pin(paginator.pages());
    let mut changes = changes.into_iter();
    while let Some(page) = pages.next().await {
        let page = page.expect("no page fails");
        got.extend(support::edge_ids(&page.items));
        // Only while the stream has further pages: a change after the last cannot reach it.
        let Some((kind, pick)) = page.next_cursor.and_then(|_| changes.next()) else {
            continue;
        };
        match kind {
            0 => {
                let id = &catalog[pick % catalog.len()];
                writer.save_album(id).await.unwrap();
                // Saving an album already saved changes nothing.
                if !library.contains(id) {
                    library.push(id.clone());
                    saved_at.insert(id.clone(), got.len());
                    *saves.entry(id.clone()).or_default() += 1;
                }
                touched.insert(id.clone());
            }
            1 if !library.is_empty() => {
                let id = library.remove(pick % library.len());
                writer.remove_album(&id).await.unwrap();
                saved_at.remove(&id);
                touched.insert(id);
            }
            _ if !library.is_empty() => {
                let id = library.remove(pick % library.len());
                writer.remove_album(&id).await.unwrap();
                writer.save_album(&id).await.unwrap();
                library.push(id.clone());
                saved_at.insert(id.clone(), got.len());
                *saves.entry(id.clone()).or_default() += 1;
                touched.insert(id);
            }
            _ => {}
        }
    }
    let stayed = initial
        .iter()
        .filter(|id| !touched.contains(*id))
        .cloned()
        .collect();
    ChangedRun {
        initial: initial.to_vec(),
        got,
        stayed,
        saved_at,
        saves,
    }
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
        let chosen: Vec<String> = support::catalog_ids().into_iter().take(albums).collect();
        let pages = albums.div_ceil(page_size as usize);
        let interrupt_at = interrupt_at % pages;
        let config = MockConfig::default().initial_library(chosen.clone());
        let got = runtime().block_on(async {
            let mut got = Vec::new();
            let (client, stop_after) = if by_fault {
                let base_url = serve_failing_at(&config, interrupt_at as u64 + 1).await;
                (client(base_url), None)
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
        let run = changed_run(initial, page_size, changes, true);
        let mut seen = HashSet::new();
        for id in &run.got {
            prop_assert!(seen.insert(id.clone()), "{} came twice in {:?}", id, run.got);
        }
        for id in &run.stayed {
            prop_assert!(seen.contains(id), "{} stayed in the library but never came", id);
        }
        for id in run.saved_at.keys() {
            prop_assert!(seen.contains(id), "{} was saved mid-stream but never came", id);
        }
    }

    #[test]
    fn a_library_changed_while_streaming_yields_what_the_server_lists_by_default(
        initial in 1usize..10,
        page_size in 1u32..4,
        changes in proptest::collection::vec((0u8..3, 0usize..64), 0..8),
    ) {
        // `stream_while_changing` unwraps every page and returns only once the stream has ended.
        let run = changed_run(initial, page_size, changes, false);
        let stayed: HashSet<&String> = run.stayed.iter().collect();
        let stayed_got: Vec<&String> = run.got.iter().filter(|id| stayed.contains(id)).collect();
        prop_assert_eq!(
            stayed_got,
            run.stayed.iter().collect::<Vec<_>>(),
            "albums that stayed: each once, in library order; got {:?}",
            run.got
        );
        for (id, &at) in &run.saved_at {
            // Listed at the end, after the save: one the stream had already yielded comes again.
            prop_assert!(
                run.got[at..].contains(id),
                "{} was saved after {} albums but did not come after them in {:?}",
                id,
                at,
                run.got
            );
        }
        for id in &run.got {
            let listings = usize::from(run.initial.contains(id)) + run.saves.get(id).copied().unwrap_or(0);
            let came = run.got.iter().filter(|g| *g == id).count();
            prop_assert!(
                came <= listings,
                "{} came {} times but was listed at most {} in {:?}",
                id,
                came,
                listings,
                run.got
            );
        }
    }
}

#[tokio::test]
async fn the_resume_helper_reads_everything_without_interruption() {
    // The property above is only as good as `read`: uninterrupted, it returns the library.
    let chosen: Vec<String> = support::catalog_ids().into_iter().take(5).collect();
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
    assert_eq!(support::edge_ids(&all), chosen);
}

#[tokio::test]
async fn an_album_removed_and_saved_again_mid_stream_comes_again_unless_unique_by() {
    // Pinned so that neither stream silently changes: flat by default, exact when asked.
    let chosen: Vec<String> = support::catalog_ids().into_iter().take(5).collect();
    for unique in [false, true] {
        let server = amazon_music_mock::MockServer::start(
            MockConfig::default().initial_library(chosen.clone()),
        )
        .await
        .unwrap();
        let client = client(server.base_url());
        let mut paginator = client.library_albums(2).unwrap();
        if unique {
            paginator = paginator.unique_by(|edge| edge.node.id.to_string());
        }
        let mut pages = Box::pin(paginator.pages());
        let mut got = support::edge_ids(&pages.next().await.unwrap().unwrap().items);
        assert_eq!(got, chosen[..2]);
        client.remove_album(&chosen[0]).await.unwrap();
        client.save_album(&chosen[0]).await.unwrap();
        while let Some(page) = pages.next().await {
            got.extend(support::edge_ids(&page.unwrap().items));
        }
        let mut expected = chosen.clone();
        if !unique {
            expected.push(chosen[0].clone());
        }
        assert_eq!(got, expected, "unique_by: {unique}");
    }
}
