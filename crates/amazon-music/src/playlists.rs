//! Playlists: one by id, and the user's own as a stream.

use crate::pagination::{self, Page, Paginator};
use crate::types::{Playlist, PlaylistEdge, PlaylistId};
use crate::{Client, Result, ids};

impl Client {
    /// One playlist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let playlist = client.get_playlist("4a5afe86-7316").await?;
    /// assert_eq!(playlist.title.as_deref(), Some("A day of Pink Floyd"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_playlist(&self, id: &str) -> Result<Playlist> {
        let id: PlaylistId = ids::parse("playlist id", id)?;
        let response = self
            .call("getPlaylist", |api| async move {
                api.get_playlist().id(id).send().await
            })
            .await?;
        Ok(response.data.playlist)
    }

    /// The user's playlists as a stream, `page_size` (1 to 100) per request.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let playlists: Vec<_> = client.my_playlists(25)?.items().try_collect().await?;
    /// assert!(!playlists.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn my_playlists(&self, page_size: u32) -> Result<Paginator<PlaylistEdge>> {
        let limit = pagination::page_size(page_size)?;
        let client = self.clone();
        Ok(Paginator::from_fn("getMyPlaylists", move |cursor| {
            let client = client.clone();
            async move {
                let token = pagination::cursor(cursor.as_deref())?;
                let response = client
                    .call("getMyPlaylists", |api| async move {
                        let mut request = api.get_my_playlists().limit(limit);
                        if let Some(token) = token {
                            request = request.cursor(token);
                        }
                        request.send().await
                    })
                    .await?;
                let connection = response.data.user.playlists;
                Page::of(
                    "getMyPlaylists",
                    "data.user.playlists.pageInfo",
                    connection.edges,
                    connection.page_info,
                    cursor,
                )
            }
        }))
    }
}
