//! The current user's library albums: save, remove, and list as a stream.

use crate::albums::catalog_id;
use crate::pagination::{self, Page, Paginator};
use crate::types::{LibraryAlbumEdge, SaveAlbumResult};
use crate::{Client, Result};

impl Client {
    /// Saves an album to the library (saving one already there changes nothing).
    pub async fn save_album(&self, id: &str) -> Result<SaveAlbumResult> {
        let id = catalog_id(id)?;
        let response = self
            .call("addLibraryAlbum", |api| async move {
                api.add_library_album().id(id).send().await
            })
            .await?;
        Ok(response.data.save_album)
    }

    /// Removes an album from the library (removing one not there changes nothing).
    pub async fn remove_album(&self, id: &str) -> Result<SaveAlbumResult> {
        let id = catalog_id(id)?;
        let response = self
            .call("removeLibraryAlbum", |api| async move {
                api.remove_library_album().id(id).send().await
            })
            .await?;
        Ok(response.data.remove_album)
    }

    /// One page of the library, `limit` albums (1 to 100) from `cursor` on.
    pub async fn library_albums_page(
        &self,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<LibraryAlbumEdge>> {
        let limit = pagination::page_size(limit)?;
        let token = pagination::cursor(cursor)?;
        let response = self
            .call("getLibraryAlbums", |api| async move {
                let mut request = api.get_library_albums().limit(limit);
                if let Some(token) = token {
                    request = request.cursor(token);
                }
                request.send().await
            })
            .await?;
        let connection = response.data.user.library_albums;
        Page::of(
            "getLibraryAlbums",
            "data.user.libraryAlbums.pageInfo",
            connection.edges,
            connection.page_info,
            cursor.map(str::to_owned),
        )
    }

    /// The whole library as a stream of edges (the album and whether it was purchased or
    /// uploaded), `page_size` albums per request, yielded exactly as the server lists them.
    /// Memory stays flat however large the library: nothing is kept per album.
    ///
    /// Albums that stay in the library while the stream runs come out once each, in library
    /// order. If the library changes meanwhile, an album removed and saved again is listed
    /// again further on (it moves to the end), so it can come out twice. When that matters,
    /// [`Paginator::unique_by`] drops repeats at the cost of one key per album:
    /// `client.library_albums(50)?.unique_by(|edge| edge.node.id.to_string())`.
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
    ///     .library_albums(2)?
    ///     .items()
    ///     .map_ok(|edge| edge.node.id.to_string())
    ///     .try_collect()
    ///     .await?;
    /// assert!(ids.contains(&"B0064UPU4G".to_string()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn library_albums(&self, page_size: u32) -> Result<Paginator<LibraryAlbumEdge>> {
        pagination::page_size(page_size)?;
        let client = self.clone();
        Ok(Paginator::from_fn("getLibraryAlbums", move |cursor| {
            let client = client.clone();
            async move {
                client
                    .library_albums_page(page_size, cursor.as_deref())
                    .await
            }
        }))
    }
}
