//! Artists of the catalog, one at a time or any number at once, and the artists the user
//! follows.

use crate::pagination::{self, Page, Paginator};
use crate::types::{Artist, ArtistEdge};
use crate::{Client, Result, batch, ids};

/// The most ids one `GET /artists` request takes (the spec's `maxItems`).
pub const MAX_IDS_PER_REQUEST: usize = batch::MAX_IDS_PER_REQUEST;

/// The answer to a batched lookup of artists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArtistBatch {
    /// The artists found, in the order their ids were first asked for.
    pub artists: Vec<Artist>,
    /// The ids the catalog does not know, in the order asked.
    pub missing: Vec<String>,
}

impl Client {
    /// One artist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let artist = client.get_artist("B01EJ9KLA6").await?;
    /// assert_eq!(artist.name.as_deref(), Some("Tash Sultana"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_artist(&self, id: &str) -> Result<Artist> {
        let id = ids::catalog_id("artist id", id)?;
        let response = self
            .call("getArtist", |api| async move {
                api.get_artist().id(id).send().await
            })
            .await?;
        Ok(response.data.artist)
    }

    /// Any number of artists: split into requests of at most 100 ids, run
    /// [`crate::ClientBuilder::concurrency`] at a time, and returned in the order asked (each
    /// id once), with the ids the catalog does not know in [`ArtistBatch::missing`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let batch = client.get_artists(["B0000NOPE0", "B01EJ9KLA6"]).await?;
    /// assert_eq!(batch.artists[0].name.as_deref(), Some("Tash Sultana"));
    /// assert_eq!(batch.missing, ["B0000NOPE0"]);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_artists<I, S>(&self, ids: I) -> Result<ArtistBatch>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let found = batch::lookup(
            "artist id",
            ids,
            self.concurrency(),
            |chunk| async move {
                let response = self
                    .call("getArtists", |api| async move {
                        api.get_artists().ids(chunk).send().await
                    })
                    .await?;
                Ok(response.data.artists)
            },
            |artist: &Artist| artist.id.as_str(),
        )
        .await?;
        Ok(ArtistBatch {
            artists: found.found,
            missing: found.missing,
        })
    }

    /// The artists the user follows, as a stream, `page_size` (1 to 100) per request.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let followed: Vec<_> = client.followed_artists(50)?.items().try_collect().await?;
    /// assert!(followed.iter().all(|edge| edge.node.name.is_some()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn followed_artists(&self, page_size: u32) -> Result<Paginator<ArtistEdge>> {
        let limit = pagination::page_size(page_size)?;
        let client = self.clone();
        Ok(Paginator::from_fn("getFollowedArtists", move |cursor| {
            let client = client.clone();
            async move {
                let token = pagination::cursor(cursor.as_deref())?;
                let response = client
                    .call("getFollowedArtists", |api| async move {
                        let mut request = api.get_followed_artists().limit(limit);
                        if let Some(token) = token {
                            request = request.cursor(token);
                        }
                        request.send().await
                    })
                    .await?;
                let connection = response.data.user.followed_artists;
                Page::of(
                    "getFollowedArtists",
                    "data.user.followedArtists.pageInfo",
                    connection.edges,
                    connection.page_info,
                    cursor,
                )
            }
        }))
    }
}
