//! Searching the catalog: tracks by any of their fields, page by page, the best match for a
//! name, and everything at once.

use crate::pagination::{self, Page, Paginator};
use crate::types::{
    SearchFilter, SearchSortBy, SearchTracksRequest, Track, TrackEdge, TrackFieldType, View,
};
use crate::{Client, Error, Result};

/// The largest page of tracks one search serves (`searchTracks`).
pub const MAX_SEARCH_PAGE_SIZE: u32 = 100;

/// How many tracks [`Client::find_track`] weighs: the first page of a search by relevance.
const FIND_TRACK_CANDIDATES: u32 = 10;

/// A search for tracks, built up from one query and any number of field filters.
///
/// ```
/// use amazon_music::search::TrackSearch;
/// use amazon_music::types::{SearchSortBy, TrackFieldType};
///
/// let search = TrackSearch::new("one more time")
///     .field(TrackFieldType::ArtistName, "Daft Punk")
///     .sort_by(SearchSortBy::Popularity)
///     .page_size(20);
/// # let _ = search;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct TrackSearch {
    filters: Vec<(Option<TrackFieldType>, String)>,
    sort_by: Option<SearchSortBy>,
    page_size: Option<u32>,
}

impl TrackSearch {
    /// A search for `query` anywhere in a track (a match query, on no one field).
    pub fn new(query: impl Into<String>) -> Self {
        Self {
            filters: vec![(None, query.into())],
            sort_by: None,
            page_size: None,
        }
    }

    /// A search for `query` in one field only, with no match query.
    pub fn by(field: TrackFieldType, query: impl Into<String>) -> Self {
        Self {
            filters: vec![(Some(field), query.into())],
            sort_by: None,
            page_size: None,
        }
    }

    /// Also requires `query` in `field`.
    pub fn field(mut self, field: TrackFieldType, query: impl Into<String>) -> Self {
        self.filters.push((Some(field), query.into()));
        self
    }

    /// Orders the results (the API's default is by relevance).
    pub fn sort_by(mut self, sort: SearchSortBy) -> Self {
        self.sort_by = Some(sort);
        self
    }

    /// Tracks per request, 1 to [`MAX_SEARCH_PAGE_SIZE`] (the API's default: 100). Checked when
    /// the search is started.
    pub fn page_size(mut self, tracks: u32) -> Self {
        self.page_size = Some(tracks);
        self
    }

    /// The request of one page: every query checked, the page size too, before anything is
    /// sent.
    fn request(&self, token: Option<crate::types::PageToken>) -> Result<SearchTracksRequest> {
        let limit = pagination::page_size_up_to(
            self.page_size.unwrap_or(MAX_SEARCH_PAGE_SIZE),
            MAX_SEARCH_PAGE_SIZE,
        )?;
        let mut filters = Vec::with_capacity(self.filters.len());
        for (field, query) in &self.filters {
            if query.trim().is_empty() {
                return Err(Error::validation(
                    "search query",
                    "it is empty: a search needs something to look for",
                ));
            }
            filters.push(SearchFilter {
                field: *field,
                // A query travels in the body: any text goes, dots too.
                query: query
                    .parse()
                    .map_err(|e| Error::validation("search query", format!("{query:?}: {e}")))?,
            });
        }
        Ok(SearchTracksRequest {
            search_filters: filters,
            limit,
            token,
            sort_by: self.sort_by,
        })
    }
}

impl Client {
    /// The tracks a search finds, as a stream across pages (the next page is asked for with
    /// the body's `token`, not a `cursor` parameter). Everything about the search is checked
    /// here, before anything is sent.
    ///
    /// ```
    /// use amazon_music::search::TrackSearch;
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let search = TrackSearch::new("one more time").page_size(5);
    /// let mut tracks = std::pin::pin!(client.search_tracks(search)?.items());
    /// let first = tracks.try_next().await?.expect("a track");
    /// assert_eq!(first.node.id.as_str(), "B0064UPUDC");
    /// # Ok(())
    /// # }
    /// ```
    pub fn search_tracks(&self, search: TrackSearch) -> Result<Paginator<TrackEdge>> {
        search.request(None)?;
        let client = self.clone();
        Ok(Paginator::from_fn("searchTracks", move |cursor| {
            let client = client.clone();
            let search = search.clone();
            async move {
                let token = pagination::cursor(cursor.as_deref())?;
                let body = search.request(token)?;
                let response = client
                    .call("searchTracks", |api| async move {
                        api.search_tracks().body(body).send().await
                    })
                    .await?;
                let connection = response.data.search_tracks;
                Page::of(
                    "searchTracks",
                    "data.searchTracks.pageInfo",
                    connection.edges,
                    connection.page_info,
                    cursor,
                )
            }
        }))
    }

    /// The track that best matches `name`: among the first tracks a search for it finds, the
    /// first whose title is `name` (ignoring case, spacing and punctuation), else the first
    /// found; `None` when the search finds nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let track = client.find_track("one more time").await?.expect("a match");
    /// assert_eq!(track.title.as_deref(), Some("One More Time"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_track(&self, name: &str) -> Result<Option<Track>> {
        let search = TrackSearch::new(name).page_size(FIND_TRACK_CANDIDATES);
        let mut pages = std::pin::pin!(self.search_tracks(search)?.pages());
        let Some(page) = futures_util::TryStreamExt::try_next(&mut pages).await? else {
            return Ok(None);
        };
        Ok(best_match(
            name,
            page.items.into_iter().map(|edge| edge.node),
        ))
    }

    /// Everything the catalog finds for `query` (albums, artists, playlists, tracks, ...),
    /// grouped in views as the API groups them; `limit` (at least 1; the API's default is 10)
    /// bounds each group.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let views = client.search_all("discovery", Some(5)).await?;
    /// assert!(!views.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn search_all(&self, query: &str, limit: Option<u32>) -> Result<Vec<View>> {
        if query.trim().is_empty() {
            return Err(Error::validation(
                "search query",
                "it is empty: a search needs something to look for",
            ));
        }
        let limit = limit
            .map(|limit| {
                std::num::NonZeroU32::new(limit)
                    .ok_or_else(|| Error::validation("limit", "0: it must be at least 1"))
            })
            .transpose()?;
        let query = query.to_owned();
        let response = self
            .call("searchAll", |api| async move {
                let mut request = api.search_all().query(query);
                if let Some(limit) = limit {
                    request = request.limit(limit);
                }
                request.send().await
            })
            .await?;
        Ok(response.data)
    }
}

/// A title reduced to what a person compares: lower case letters and digits, single spaces.
fn comparable(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first track titled `name` (as [`comparable`] sees it), else the first of all.
fn best_match(name: &str, tracks: impl IntoIterator<Item = Track>) -> Option<Track> {
    let wanted = comparable(name);
    let mut first = None;
    for track in tracks {
        if track.title.as_deref().map(comparable).as_deref() == Some(wanted.as_str()) {
            return Some(track);
        }
        first.get_or_insert(track);
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(id: &str, title: &str) -> Track {
        serde_json::from_value(serde_json::json!({"id": id, "title": title})).unwrap()
    }

    #[test]
    fn the_exact_title_wins_over_an_earlier_partial_match() {
        let found = best_match(
            "one more time",
            [
                track("B1", "One More Time (Live)"),
                track("B2", "One More  Time!"),
            ],
        );
        assert_eq!(found.unwrap().id.as_str(), "B2");
    }

    #[test]
    fn without_an_exact_title_the_first_result_wins() {
        let found = best_match("one more", [track("B1", "Other"), track("B2", "Else")]);
        assert_eq!(found.unwrap().id.as_str(), "B1");
        assert_eq!(best_match("x", []), None);
    }

    #[test]
    fn queries_and_page_sizes_are_checked_before_a_request_is_made() {
        let error = TrackSearch::new("  ").request(None).unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "search query",
                    ..
                }
            ),
            "{error}"
        );
        let error = TrackSearch::new("a")
            .page_size(101)
            .request(None)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid page size: 101 is outside 1..=100"
        );
        let error = TrackSearch::new("a")
            .field(TrackFieldType::ArtistName, "")
            .request(None)
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Validation {
                    what: "search query",
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn a_search_becomes_one_request_body() {
        let body = TrackSearch::new("one more time")
            .field(TrackFieldType::ArtistName, "Daft Punk")
            .sort_by(SearchSortBy::Popularity)
            .page_size(5)
            .request(Some("t-2".parse().unwrap()))
            .unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({
                "searchFilters": [
                    {"query": "one more time"},
                    {"field": "artistName", "query": "Daft Punk"}
                ],
                "limit": 5,
                "token": "t-2",
                "sortBy": "popularity"
            })
        );
    }
}
