//! Podcasts: a show, and its episodes as a stream.

use crate::pagination::{self, Page, Paginator};
use crate::types::{PodcastEpisodeEdge, PodcastId, PodcastShow};
use crate::{Client, Error, Result, ids};

impl Client {
    /// One podcast show, with the first page of its episodes (the API's default page, 100).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let show = client.get_podcast_show("63825c25-4a0b-4389-a1cc-c72e5dc8bb7b").await?;
    /// assert_eq!(show.title.as_deref(), Some("The Line"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_podcast_show(&self, id: &str) -> Result<PodcastShow> {
        let id: PodcastId = ids::parse("podcast show id", id)?;
        let response = self
            .call("getPodcastShow", |api| async move {
                api.get_podcast_show().id(id).send().await
            })
            .await?;
        Ok(response.data.podcast_show)
    }

    /// A show's episodes as a stream, `page_size` (1 to 100) per request.
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let episodes: Vec<_> = client
    ///     .podcast_episodes("63825c25-4a0b-4389-a1cc-c72e5dc8bb7b", 10)?
    ///     .items()
    ///     .try_collect()
    ///     .await?;
    /// assert!(!episodes.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn podcast_episodes(
        &self,
        show_id: &str,
        page_size: u32,
    ) -> Result<Paginator<PodcastEpisodeEdge>> {
        let id: PodcastId = ids::parse("podcast show id", show_id)?;
        let limit = pagination::page_size(page_size)?;
        let client = self.clone();
        Ok(Paginator::from_fn("getPodcastShow", move |cursor| {
            let client = client.clone();
            let id = id.clone();
            async move {
                let token = pagination::cursor(cursor.as_deref())?;
                let response = client
                    .call("getPodcastShow", |api| async move {
                        let mut request = api.get_podcast_show().id(id).limit(limit);
                        if let Some(token) = token {
                            request = request.cursor(token);
                        }
                        request.send().await
                    })
                    .await?;
                let connection =
                    response
                        .data
                        .podcast_show
                        .episodes
                        .ok_or_else(|| Error::Decode {
                            operation: "getPodcastShow",
                            path: "data.podcastShow.episodes".into(),
                            message: "the show came without its episodes".into(),
                            excerpt: String::new(),
                        })?;
                Page::of(
                    "getPodcastShow",
                    "data.podcastShow.episodes.pageInfo",
                    connection.edges,
                    connection.page_info,
                    cursor,
                )
            }
        }))
    }
}
