//! Browsing: the catalog's top tracks, and the user's home view.

use crate::pagination::{self, Page, Paginator};
use crate::types::{TrackEdge, View};
use crate::{Client, Result};

/// The largest page of top tracks the API serves (`getTopTracks`).
pub const MAX_TOP_TRACKS_PAGE_SIZE: u32 = 20;

/// The most entities per group the home view serves (`getHomeView`).
pub const MAX_HOME_VIEW_LIMIT: u32 = 10;

impl Client {
    /// The catalog's top tracks as a stream, `page_size` (1 to [`MAX_TOP_TRACKS_PAGE_SIZE`])
    /// per request.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let top: Vec<_> = client.top_tracks(20)?.items().try_collect().await?;
    /// assert!(!top.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn top_tracks(&self, page_size: u32) -> Result<Paginator<TrackEdge>> {
        let limit = pagination::page_size_up_to(page_size, MAX_TOP_TRACKS_PAGE_SIZE)?;
        let client = self.clone();
        Ok(Paginator::from_fn("getTopTracks", move |cursor| {
            let client = client.clone();
            async move {
                let token = pagination::cursor(cursor.as_deref())?;
                let response = client
                    .call("getTopTracks", |api| async move {
                        let mut request = api.get_top_tracks().limit(limit);
                        if let Some(token) = token {
                            request = request.cursor(token);
                        }
                        request.send().await
                    })
                    .await?;
                let connection = response.data.top_tracks;
                Page::of(
                    "getTopTracks",
                    "data.topTracks.pageInfo",
                    connection.edges,
                    connection.page_info,
                    cursor,
                )
            }
        }))
    }

    /// The user's home view: groups of albums, playlists, stations and more, `limit` (1 to
    /// [`MAX_HOME_VIEW_LIMIT`]; the API's default is 10) entities per group.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let home = client.home_view(Some(5)).await?;
    /// assert!(home.content.entity_groups.iter().all(|g| g.content.entities.len() <= 5));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn home_view(&self, limit: Option<u32>) -> Result<View> {
        let limit = limit
            .map(|limit| pagination::bounded("limit", limit, MAX_HOME_VIEW_LIMIT))
            .transpose()?;
        let response = self
            .call("getHomeView", |api| async move {
                let mut request = api.get_home_view();
                if let Some(limit) = limit {
                    request = request.limit(limit);
                }
                request.send().await
            })
            .await?;
        Ok(response.data)
    }
}
