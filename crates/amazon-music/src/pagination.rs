//! Cursor-paginated listings as streams.
//!
//! A [`Paginator`] yields either whole [`Page`]s ([`Paginator::pages`], which carry the cursor
//! to resume from) or the items across pages ([`Paginator::items`]). It can start from a saved
//! cursor, fetch the next page while the current one is consumed ([`Paginator::prefetch`]), and
//! ends with [`crate::Error::RepeatedCursor`] rather than looping when the server sends a cursor
//! it already sent.

use std::collections::HashSet;
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::stream::{self, Stream, TryStreamExt};

use crate::{Error, Result};

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 100;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor this page was requested with (`None` for the first page).
    pub cursor: Option<String>,
    /// The cursor of the next page; `None` on the last page. Save it to resume later.
    pub next_cursor: Option<String>,
}

pub(crate) type Fetch<T> =
    Arc<dyn Fn(Option<String>) -> BoxFuture<'static, Result<Page<T>>> + Send + Sync>;

/// A listing not yet fetched. Nothing is sent until the stream is polled.
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct Paginator<T> {
    operation: &'static str,
    fetch: Fetch<T>,
    start: Option<String>,
    prefetch: bool,
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field("start", &self.start)
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

/// Checks a page size before anything is sent.
pub(crate) fn page_size(limit: u32) -> Result<std::num::NonZeroU32> {
    std::num::NonZeroU32::new(limit)
        .filter(|l| l.get() <= MAX_PAGE_SIZE)
        .ok_or_else(|| {
            Error::validation(
                "page size",
                format!("{limit} is outside 1..={MAX_PAGE_SIZE}"),
            )
        })
}

/// Checks a cursor before anything is sent (a saved cursor may have been mangled).
pub(crate) fn cursor(cursor: Option<&str>) -> Result<Option<crate::types::PageToken>> {
    cursor
        .map(|c| {
            c.parse()
                .map_err(|e| Error::validation("cursor", format!("{c:?}: {e}")))
        })
        .transpose()
}

impl<T: Send + 'static> Paginator<T> {
    pub(crate) fn new(operation: &'static str, fetch: Fetch<T>) -> Self {
        Self {
            operation,
            fetch,
            start: None,
            prefetch: false,
        }
    }

    /// Starts from a cursor saved from [`Page::next_cursor`] instead of the first page.
    pub fn resume_from(mut self, cursor: impl Into<String>) -> Self {
        self.start = Some(cursor.into());
        self
    }

    /// Fetches the next page in the background while the current one is consumed.
    pub fn prefetch(mut self, enabled: bool) -> Self {
        self.prefetch = enabled;
        self
    }

    /// The pages, in order. After an error the stream ends.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>>> + Send + 'static {
        struct State<T> {
            next: Option<Option<String>>,
            pending: Option<tokio::task::JoinHandle<Result<Page<T>>>>,
            seen: HashSet<String>,
            /// An error to end with, after the page that caused it.
            failure: Option<Error>,
        }
        let Paginator {
            operation,
            fetch,
            start,
            prefetch,
        } = self;
        let mut seen = HashSet::new();
        seen.extend(start.clone());
        let state = State {
            next: Some(start),
            pending: None,
            seen,
            failure: None,
        };
        stream::unfold(state, move |mut state| {
            let fetch = fetch.clone();
            async move {
                if let Some(failure) = state.failure.take() {
                    return Some((Err(failure), state));
                }
                let cursor = state.next.take()?;
                let page = match state.pending.take() {
                    Some(handle) => match handle.await {
                        Ok(page) => page,
                        Err(join) => {
                            Err(Error::Config(format!("page prefetch task failed: {join}")))
                        }
                    },
                    None => fetch(cursor).await,
                };
                let page = match page {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), state)),
                };
                if let Some(next) = &page.next_cursor {
                    if !state.seen.insert(next.clone()) {
                        // The page itself is good; only following its cursor would loop.
                        state.failure = Some(Error::RepeatedCursor {
                            operation,
                            cursor: next.clone(),
                        });
                        return Some((Ok(page), state));
                    }
                    state.next = Some(Some(next.clone()));
                    if prefetch {
                        state.pending = Some(tokio::spawn(fetch(Some(next.clone()))));
                    }
                }
                Some((Ok(page), state))
            }
        })
    }

    /// The items across pages, in order. After an error the stream ends.
    pub fn items(self) -> impl Stream<Item = Result<T>> + Send + 'static {
        self.pages()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use futures::StreamExt;

    use super::*;

    /// Pages of three numbers from a list of 0..n; the cursor is the next index.
    fn numbers(n: u32, fetches: Arc<AtomicU32>) -> Fetch<u32> {
        Arc::new(move |cursor: Option<String>| {
            let fetches = fetches.clone();
            Box::pin(async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                let from: u32 = cursor.as_deref().unwrap_or("0").parse().unwrap();
                let to = (from + 3).min(n);
                Ok(Page {
                    items: (from..to).collect(),
                    cursor,
                    next_cursor: (to < n).then(|| to.to_string()),
                })
            })
        })
    }

    #[tokio::test]
    async fn items_cross_page_boundaries_in_order() {
        let fetches = Arc::new(AtomicU32::new(0));
        let items: Vec<u32> = Paginator::new("t", numbers(10, fetches.clone()))
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, (0..10).collect::<Vec<_>>());
        assert_eq!(fetches.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn resuming_from_a_cursor_skips_what_was_read() {
        let fetches = Arc::new(AtomicU32::new(0));
        let pages: Vec<Page<u32>> = Paginator::new("t", numbers(10, fetches))
            .resume_from("6")
            .pages()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(pages[0].items, vec![6, 7, 8]);
        assert_eq!(pages[0].cursor.as_deref(), Some("6"));
        assert_eq!(pages.last().unwrap().next_cursor, None);
    }

    #[tokio::test]
    async fn a_repeated_cursor_ends_with_an_error() {
        let looping: Fetch<u32> = Arc::new(|cursor| {
            Box::pin(async move {
                Ok(Page {
                    items: vec![1],
                    cursor,
                    next_cursor: Some("same".into()),
                })
            })
        });
        let results: Vec<Result<u32>> = Paginator::new("getLibraryAlbums", looping)
            .items()
            .collect()
            .await;
        assert_eq!(results.len(), 3, "two items, then the error");
        assert!(matches!(
            results.last(),
            Some(Err(Error::RepeatedCursor { cursor, .. })) if cursor == "same"
        ));
    }

    #[tokio::test]
    async fn prefetch_fetches_the_next_page_before_it_is_asked_for() {
        let fetches = Arc::new(AtomicU32::new(0));
        let mut pages = Box::pin(
            Paginator::new("t", numbers(10, fetches.clone()))
                .prefetch(true)
                .pages(),
        );
        let first = pages.next().await.unwrap().unwrap();
        assert_eq!(first.items, vec![0, 1, 2]);
        // The second page's fetch was started when the first was yielded.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while fetches.load(Ordering::SeqCst) < 2 && std::time::Instant::now() < deadline {
            tokio::task::yield_now().await;
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        let rest: Vec<Page<u32>> = pages.try_collect().await.unwrap();
        assert_eq!(rest.len(), 3);
        assert_eq!(fetches.load(Ordering::SeqCst), 4, "no page fetched twice");
    }

    #[test]
    fn page_sizes_are_checked() {
        assert!(page_size(0).is_err());
        assert!(page_size(101).is_err());
        assert_eq!(page_size(100).unwrap().get(), 100);
    }
}
