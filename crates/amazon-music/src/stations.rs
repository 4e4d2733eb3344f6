//! Stations: radio built around an artist, a genre or a mood.

use crate::types::Station;
use crate::{Client, Result, ids};

impl Client {
    /// One station.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let station = client.get_station("A3QXXOBP9MU5LY").await?;
    /// assert_eq!(station.name.as_deref(), Some("Pop Culture Radio"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_station(&self, id: &str) -> Result<Station> {
        let id = ids::catalog_id("station id", id)?;
        let response = self
            .call("getStation", |api| async move {
                api.get_station().id(id).send().await
            })
            .await?;
        Ok(response.data.station)
    }
}
