//! Albums of the catalog, one at a time or any number at once.

use std::collections::{HashMap, HashSet};

use futures_util::{StreamExt, TryStreamExt, stream};

use crate::types::{Album, CatalogId};
use crate::{Client, Result, ids};

/// The most ids one `GET /albums` request takes (the spec's `maxItems`).
pub const MAX_IDS_PER_REQUEST: usize = 100;

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
        let mut seen = HashSet::new();
        let mut asked = Vec::new();
        for id in ids {
            let id = catalog_id(id.as_ref())?;
            if seen.insert(id.to_string()) {
                asked.push(id);
            }
        }
        let chunks: Vec<Vec<CatalogId>> = asked
            .chunks(MAX_IDS_PER_REQUEST)
            .map(<[CatalogId]>::to_vec)
            .collect();
        let responses: Vec<Vec<Album>> = stream::iter(chunks)
            .map(|chunk| {
                self.call("getAlbums", |api| async move {
                    api.get_albums().ids(chunk).send().await
                })
            })
            .buffered(self.concurrency())
            .map_ok(|response| response.data.albums)
            .try_collect()
            .await?;
        let mut found: HashMap<String, Album> = responses
            .into_iter()
            .flatten()
            .map(|album| (album.id.to_string(), album))
            .collect();
        let mut batch = AlbumBatch::default();
        for id in asked {
            match found.remove(id.as_str()) {
                Some(album) => batch.albums.push(album),
                None => batch.missing.push(id.to_string()),
            }
        }
        Ok(batch)
    }
}
