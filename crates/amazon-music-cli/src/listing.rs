//! Listings (the library, a queue, search results, playlists, recent and top tracks): pages streamed from the client's paginator, cut at a limit,
//! printed as a table, one JSON document or NDJSON as they arrive, and stopped cleanly by
//! Ctrl-C with what arrived so far.

use std::pin::pin;

use amazon_music::pagination::{MAX_PAGE_SIZE, Page, Paginator};
use futures_util::TryStreamExt;
use serde::Serialize;

use crate::exit::{Failure, Status};
use crate::output::{self, Align, ListingFormat, Out, Table};
use crate::signal::Interrupt;

/// How much of a listing to fetch.
#[derive(Debug, Clone, Copy)]
pub struct Extent {
    /// Items wanted; `None` for all of them.
    pub cap: Option<u32>,
    /// The largest page the listing's operation serves.
    page_max: u32,
}

impl Extent {
    /// `--all` or `--limit N`; neither is one page.
    pub fn new(all: bool, limit: Option<u32>) -> Self {
        Self::paged(all, limit, MAX_PAGE_SIZE)
    }

    /// [`Extent::new`] for a listing whose pages hold at most `page_max` items (the top
    /// tracks 20, the recently played 60): neither flag is one page of that size.
    pub fn paged(all: bool, limit: Option<u32>, page_max: u32) -> Self {
        Self {
            cap: if all {
                None
            } else {
                Some(limit.unwrap_or(page_max))
            },
            page_max,
        }
    }

    /// The page size to ask for: no more than wanted, no more than the API serves.
    pub fn page_size(self) -> u32 {
        self.cap.map_or(self.page_max, |cap| cap.min(self.page_max))
    }
}

/// What a listing gathered.
#[derive(Debug)]
pub struct Gathered<V> {
    /// The items, as views ready to print.
    pub items: Vec<V>,
    /// Whether the listing has more than the limit let through.
    pub more: bool,
    /// Whether Ctrl-C stopped it.
    pub interrupted: bool,
}

impl<V> Gathered<V> {
    /// The exit status: 130 after Ctrl-C, else success.
    pub fn status(&self) -> Status {
        if self.interrupted {
            Status::Interrupted
        } else {
            Status::Success
        }
    }
}

/// Streams `paginator` up to `extent`, turning each item into its view; with `--ndjson` each
/// view is printed as soon as its page arrives. A counter shows progress on long listings.
pub async fn gather<T, V>(
    paginator: Paginator<T>,
    extent: Extent,
    format: ListingFormat,
    what: &str,
    view: impl Fn(&T) -> V,
) -> Result<Gathered<V>, Failure>
where
    T: Send + 'static,
    V: Serialize,
{
    let out = Out::stdout();
    let mut interrupt =
        Interrupt::listen().map_err(|e| Failure::refused(format!("cannot catch Ctrl-C: {e}")))?;
    let paginator = if extent.cap.is_none() {
        paginator.prefetch(true)
    } else {
        paginator
    };
    let counter = if extent.cap.is_none() {
        output::counter(what)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut pages = pin!(paginator.pages());
    let mut gathered = Gathered {
        items: Vec::new(),
        more: false,
        interrupted: false,
    };
    loop {
        let page: Page<T> = tokio::select! {
            // A Ctrl-C wins over a page that is ready at the same moment.
            biased;
            () = interrupt.recv() => {
                gathered.interrupted = true;
                break;
            }
            next = pages.try_next() => match next {
                Ok(Some(page)) => page,
                Ok(None) => break,
                Err(error) => {
                    counter.finish_and_clear();
                    return Err(error.into());
                }
            },
        };
        let room = extent
            .cap
            .map_or(usize::MAX, |cap| cap as usize - gathered.items.len());
        let has_next = page.next_cursor.is_some();
        gathered.more = page.items.len() > room || (has_next && page.items.len() == room);
        for item in page.items.iter().take(room) {
            let item = view(item);
            if format.ndjson {
                counter.suspend(|| out.ndjson(&item))?;
            }
            gathered.items.push(item);
        }
        counter.inc(page.items.len().min(room) as u64);
        if gathered.more || !has_next {
            break;
        }
    }
    counter.finish_and_clear();
    if gathered.interrupted {
        output::note(&format!(
            "interrupted: {} {what} so far",
            gathered.items.len()
        ));
    }
    Ok(gathered)
}

/// Prints what [`gather`] gathered (NDJSON was printed as it came): one JSON document
/// `{"<key>": [...]}`, or a table of `columns` and a note when the limit cut the listing; then
/// the exit status.
pub fn print<V: Serialize>(
    gathered: &Gathered<V>,
    format: ListingFormat,
    key: &str,
    what: &str,
    columns: &[(&'static str, Align)],
    row: impl Fn(&V) -> Vec<String>,
) -> Result<Status, Failure> {
    let out = Out::stdout();
    if format.json {
        let mut document = serde_json::Map::new();
        let items = serde_json::to_value(&gathered.items)
            .map_err(|e| Failure::refused(format!("cannot encode the output as JSON: {e}")))?;
        document.insert(key.to_owned(), items);
        out.json(&document)?;
    } else if !format.ndjson {
        let mut table = Table::new(columns);
        for item in &gathered.items {
            table.row(row(item));
        }
        out.table(&table)?;
        if gathered.more {
            output::note(&format!(
                "(the first {} {what}; --all lists every one)",
                gathered.items.len()
            ));
        }
    }
    Ok(gathered.status())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_with_smaller_pages_asks_for_no_more_than_it_serves() {
        assert_eq!(Extent::paged(false, None, 20).cap, Some(20));
        assert_eq!(Extent::paged(false, Some(50), 20).page_size(), 20);
        assert_eq!(Extent::paged(false, Some(7), 20).page_size(), 7);
        assert_eq!(Extent::paged(true, None, 60).page_size(), 60);
        assert_eq!(Extent::new(false, None).page_size(), MAX_PAGE_SIZE);
    }
}
