//! Cursor-paginated listings as streams.
//!
//! A [`Paginator`] yields either whole [`Page`]s ([`Paginator::pages`], which carry the cursor
//! to resume from) or the items across pages ([`Paginator::items`]). It can start from a saved
//! cursor, fetch the next page while the current one is consumed ([`Paginator::prefetch`]), drop
//! items it already yielded when asked to ([`Paginator::unique_by`]), and ends with
//! [`crate::Error::RepeatedCursor`] rather than looping when the server sends a cursor it already
//! sent.
//!
//! Nothing is kept per item: one page (two with prefetch) is alive at a time, and the
//! repeated-cursor guard keeps a 64-bit hash a page (under 20 KiB for 100,000 items in pages of
//! 100). Only [`Paginator::unique_by`] keeps something per item.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, Stream, TryStreamExt};

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
    page_size_up_to(limit, MAX_PAGE_SIZE)
}

/// Checks a page size against an operation's own cap (the top tracks serve at most 20, the
/// recently played at most 60) before anything is sent.
pub(crate) fn page_size_up_to(limit: u32, max: u32) -> Result<std::num::NonZeroU32> {
    bounded("page size", limit, max)
}

/// Checks that `value` (named `what`) lies in `1..=max` before anything is sent.
pub(crate) fn bounded(what: &'static str, value: u32, max: u32) -> Result<std::num::NonZeroU32> {
    std::num::NonZeroU32::new(value)
        .filter(|v| v.get() <= max)
        .ok_or_else(|| Error::validation(what, format!("{value} is outside 1..={max}")))
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

impl<T> Page<T> {
    /// A page of a connection: its `items`, the `cursor` it was asked with, and the next
    /// cursor its `pageInfo` gives (`at`: where that is in `operation`'s answer, for the error
    /// when it announces a next page without one).
    pub(crate) fn of(
        operation: &'static str,
        at: &str,
        items: Vec<T>,
        info: crate::types::PageInfo,
        cursor: Option<String>,
    ) -> Result<Self> {
        Ok(Self {
            items,
            cursor,
            next_cursor: next_cursor(operation, at, info)?,
        })
    }
}

/// The next page's cursor, when the page says there is one; a next page announced without a
/// cursor is an error, not the end of the listing.
fn next_cursor(
    operation: &'static str,
    at: &str,
    info: crate::types::PageInfo,
) -> Result<Option<String>> {
    match (info.has_next_page, info.token) {
        (false, _) => Ok(None),
        (true, Some(token)) => Ok(Some(token.to_string())),
        (true, None) => Err(Error::Decode {
            operation,
            path: format!("{at}.token"),
            message: "hasNextPage is true but no token says where the next page starts".into(),
            excerpt: String::new(),
        }),
    }
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

    /// A listing whose pages `fetch` reads, given the cursor of the page (`None` for the first).
    pub(crate) fn from_fn<F, Fut>(operation: &'static str, fetch: F) -> Self
    where
        F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<Page<T>>> + Send + 'static,
    {
        Self::new(operation, Arc::new(move |cursor| Box::pin(fetch(cursor))))
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

    /// Drops every item whose `key` this stream already yielded, keeping the first in order.
    ///
    /// A listing that changes while it is streamed can list an item again further on (the
    /// library lists an album removed and saved again after every other one): this yields it
    /// once. Keys are kept exactly, never hashed down, so no collision can drop a distinct item.
    ///
    /// The cost: memory grows with the number of items streamed, one key each (a `String` album
    /// id: about 64 bytes an album), where the stream without it stays flat. Only items of
    /// this stream count: a stream started with [`Paginator::resume_from`] does not know what
    /// was yielded before the cursor. [`Paginator::pages`] yields the filtered pages too, so a
    /// page can come out empty; its `next_cursor` is still the one to resume from.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// client.save_album("B0064UPU4G").await?;
    /// let ids: Vec<String> = client
    ///     .library_albums(50)?
    ///     .unique_by(|edge| edge.node.id.to_string())
    ///     .items()
    ///     .map_ok(|edge| edge.node.id.to_string())
    ///     .try_collect()
    ///     .await?;
    /// let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    /// assert_eq!(distinct.len(), ids.len());
    /// assert!(ids.contains(&"B0064UPU4G".to_string()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn unique_by<K, F>(mut self, key: F) -> Self
    where
        K: Hash + Eq + Send + 'static,
        F: Fn(&T) -> K + Send + Sync + 'static,
    {
        struct Unique<K, F> {
            key: F,
            yielded: Mutex<HashSet<K>>,
        }
        let unique = Arc::new(Unique {
            key,
            yielded: Mutex::new(HashSet::new()),
        });
        let fetch = self.fetch;
        // Filtering inside the fetch is exact even with prefetch: the next page's fetch starts
        // only once this one has finished, so pages pass through here strictly in order.
        self.fetch = Arc::new(move |cursor| {
            let page = fetch(cursor);
            let unique = unique.clone();
            Box::pin(async move {
                let mut page = page.await?;
                let mut yielded = unique
                    .yielded
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                page.items.retain(|item| yielded.insert((unique.key)(item)));
                Ok(page)
            })
        });
        self
    }

    /// The pages, in order. After an error the stream ends.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>>> + Send + 'static {
        struct State<T> {
            next: Option<Option<String>>,
            pending: Option<tokio::task::JoinHandle<Result<Page<T>>>>,
            /// Keyed hashes of the cursors seen: 8 bytes a page however long the cursors are.
            seen: HashSet<u64>,
            keys: RandomState,
            /// An error to end with, after the page that caused it.
            failure: Option<Error>,
        }
        let Paginator {
            operation,
            fetch,
            start,
            prefetch,
        } = self;
        // Hashes suffice: a collision only raises `RepeatedCursor`, an error, never lost data.
        let keys = RandomState::new();
        let mut seen = HashSet::new();
        seen.extend(start.as_deref().map(|cursor| keys.hash_one(cursor)));
        let state = State {
            next: Some(start),
            pending: None,
            seen,
            keys,
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
                    if !state.seen.insert(state.keys.hash_one(next.as_str())) {
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

    use futures_util::StreamExt;

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

    /// Pages of one item, each naming `next` as the next page's cursor.
    fn always_next(next: &'static str) -> Fetch<u32> {
        Arc::new(move |cursor| {
            Box::pin(async move {
                Ok(Page {
                    items: vec![1],
                    cursor,
                    next_cursor: Some(next.into()),
                })
            })
        })
    }

    #[test]
    fn debug_shows_the_operation_and_where_it_starts() {
        let fetches = Arc::new(AtomicU32::new(0));
        let paginator = Paginator::new("getLibraryAlbums", numbers(10, fetches))
            .resume_from("c-4")
            .prefetch(true);
        let shown = format!("{paginator:?}");
        for useful in [
            r#"operation: "getLibraryAlbums""#,
            r#"start: Some("c-4")"#,
            "prefetch: true",
        ] {
            assert!(shown.contains(useful), "{useful} missing from {shown}");
        }
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
        let results: Vec<Result<u32>> = Paginator::new("getLibraryAlbums", always_next("same"))
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

    /// Pages of three from a fixed list; the cursor is the next index.
    fn listing(list: &'static [u32], fetches: Arc<AtomicU32>) -> Fetch<u32> {
        Arc::new(move |cursor: Option<String>| {
            let fetches = fetches.clone();
            Box::pin(async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                let from: usize = cursor.as_deref().unwrap_or("0").parse().unwrap();
                let to = (from + 3).min(list.len());
                Ok(Page {
                    items: list[from..to].to_vec(),
                    cursor,
                    next_cursor: (to < list.len()).then(|| to.to_string()),
                })
            })
        })
    }

    /// Repeats within a page, across pages, and a page of nothing but repeats.
    const REPEATING: &[u32] = &[5, 1, 5, 2, 1, 3, 2, 5, 1, 4, 3];
    const FIRST_OCCURRENCES: &[u32] = &[5, 1, 2, 3, 4];

    #[tokio::test]
    async fn without_unique_by_every_item_comes_as_listed() {
        let items: Vec<u32> = Paginator::new("t", listing(REPEATING, Arc::default()))
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, REPEATING);
    }

    #[tokio::test]
    async fn unique_by_drops_repeats_across_pages_and_keeps_order() {
        let fetches = Arc::new(AtomicU32::new(0));
        let items: Vec<u32> = Paginator::new("t", listing(REPEATING, fetches.clone()))
            .unique_by(|n| *n)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, FIRST_OCCURRENCES);
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            4,
            "every page still fetched"
        );
    }

    #[tokio::test]
    async fn unique_by_filters_pages_and_keeps_their_cursors() {
        let pages: Vec<Page<u32>> = Paginator::new("t", listing(REPEATING, Arc::default()))
            .unique_by(|n| *n)
            .pages()
            .try_collect()
            .await
            .unwrap();
        let items: Vec<Vec<u32>> = pages.iter().map(|p| p.items.clone()).collect();
        assert_eq!(items, [vec![5, 1], vec![2, 3], vec![], vec![4]]);
        let cursors: Vec<Option<&str>> = pages.iter().map(|p| p.next_cursor.as_deref()).collect();
        assert_eq!(cursors, [Some("3"), Some("6"), Some("9"), None]);
    }

    #[tokio::test]
    async fn unique_by_works_with_prefetch() {
        let fetches = Arc::new(AtomicU32::new(0));
        let items: Vec<u32> = Paginator::new("t", listing(REPEATING, fetches.clone()))
            .unique_by(|n| *n)
            .prefetch(true)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, FIRST_OCCURRENCES);
        assert_eq!(fetches.load(Ordering::SeqCst), 4, "no page fetched twice");
    }

    #[tokio::test]
    async fn unique_by_after_resume_from_knows_only_its_own_items() {
        // From index 3 on: 2, 1, 3 | 2, 5, 1 | 4, 3. The 1 and 5 before the cursor are not known.
        let items: Vec<u32> = Paginator::new("t", listing(REPEATING, Arc::default()))
            .resume_from("3")
            .unique_by(|n| *n)
            .prefetch(true)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [2, 1, 3, 5, 4]);
    }

    #[tokio::test]
    async fn unique_by_compares_keys_not_their_hashes() {
        /// Every key hashes alike: a set of hashes would keep only the first.
        #[derive(PartialEq, Eq)]
        struct Colliding(u32);
        impl Hash for Colliding {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                0u8.hash(state);
            }
        }
        let items: Vec<u32> = Paginator::new("t", listing(REPEATING, Arc::default()))
            .unique_by(|n| Colliding(*n))
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, FIRST_OCCURRENCES);
    }

    #[tokio::test]
    async fn a_stream_resumed_from_a_cursor_it_is_sent_again_ends_with_an_error() {
        // The starting cursor counts as seen: a server that sends it back would loop.
        let results: Vec<Result<u32>> = Paginator::new("t", always_next("start"))
            .resume_from("start")
            .items()
            .collect()
            .await;
        assert_eq!(results.len(), 2, "one item, then the error");
        assert!(matches!(
            results.last(),
            Some(Err(Error::RepeatedCursor { cursor, .. })) if cursor == "start"
        ));
    }

    #[test]
    fn page_sizes_are_checked() {
        assert!(page_size(0).is_err());
        assert!(page_size(101).is_err());
        assert_eq!(page_size(100).unwrap().get(), 100);
    }

    #[test]
    fn an_operations_own_cap_is_checked() {
        assert_eq!(page_size_up_to(20, 20).unwrap().get(), 20);
        let error = page_size_up_to(21, 20).unwrap_err();
        assert_eq!(error.to_string(), "invalid page size: 21 is outside 1..=20");
        assert!(page_size_up_to(0, 20).is_err());
    }
}
