//! Tracks of the catalog, one at a time.

use crate::types::Track;
use crate::{Client, Result, ids};

impl Client {
    /// One track with its catalog metadata: title, artists, album, duration, ISRC.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let track = client.get_track("B0064UPUDC").await?;
    /// assert_eq!(track.title.as_deref(), Some("One More Time"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_track(&self, id: &str) -> Result<Track> {
        let id = ids::catalog_id("track id", id)?;
        let response = self
            .call("getTrack", |api| async move {
                api.get_track().id(id).send().await
            })
            .await?;
        Ok(response.data.track)
    }
}
