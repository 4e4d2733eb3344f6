//! Albums of the catalog, one at a time or any number at once.

use crate::types::{Album, CatalogId};
use crate::{Client, Result, batch, ids};

/// The most ids one `GET /albums` request takes (the spec's `maxItems`).
pub const MAX_IDS_PER_REQUEST: usize = batch::MAX_IDS_PER_REQUEST;

/// The answer to a batched lookup.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlbumBatch {
    /// The albums found, in the order their ids were first asked for.
    pub albums: Vec<Album>,
    /// The ids the catalog does not know, in the order asked.
    pub missing: Vec<String>,
}

/// Parses an album id, refusing what cannot be one before anything is sent.
pub(crate) fn catalog_id(id: &str) -> Result<CatalogId> {
    ids::catalog_id("album id", id)
}

impl Client {
    /// One album with all its metadata.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let album = client.get_album("B0064UPU4G").await?;
    /// assert_eq!(album.title.as_deref(), Some("Discovery"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_album(&self, id: &str) -> Result<Album> {
        let id = catalog_id(id)?;
        let response = self
            .call("getAlbum", |api| async move {
                api.get_album().id(id).send().await
            })
            .await?;
        Ok(response.data.album)
    }

    /// Any number of albums: split into requests of at most 100 ids, run
    /// [`crate::ClientBuilder::concurrency`] at a time, and returned in the order asked (each
    /// id once), with the ids the catalog does not know in [`AlbumBatch::missing`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let batch = client.get_albums(["B00D3PLC1K", "B0000NOPE0", "B0064UPU4G"]).await?;
    /// let titles: Vec<_> = batch.albums.iter().filter_map(|a| a.title.as_deref()).collect();
    /// assert_eq!(titles, ["Around the world", "Discovery"]);
    /// assert_eq!(batch.missing, ["B0000NOPE0"]);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_albums<I, S>(&self, ids: I) -> Result<AlbumBatch>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let found = batch::lookup(
            "album id",
            ids,
            self.concurrency(),
            |chunk| async move {
                let response = self
                    .call("getAlbums", |api| async move {
                        api.get_albums().ids(chunk).send().await
                    })
                    .await?;
                Ok(response.data.albums)
            },
            |album: &Album| album.id.as_str(),
        )
        .await?;
        Ok(AlbumBatch {
            albums: found.found,
            missing: found.missing,
        })
    }
}
