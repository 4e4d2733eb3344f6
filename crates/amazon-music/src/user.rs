//! The signed-in user: the profile, changing it, and what they played lately.

use crate::pagination::{self, Page, Paginator};
use crate::types::{RecentTrackPlaybackEdge, UpdateUserRequest, User};
use crate::{Client, Result};

/// The largest page of recently played tracks the API serves (`getRecentlyPlayedTracks`).
pub const MAX_RECENTLY_PLAYED_PAGE_SIZE: u32 = 60;

impl Client {
    /// The signed-in user's profile.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let me = client.me().await?;
    /// assert!(!me.id.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn me(&self) -> Result<User> {
        let response = self
            .call("getCurrentUser", |api| async move {
                api.get_current_user().send().await
            })
            .await?;
        Ok(response.data.user)
    }

    /// Changes the signed-in user's profile (name and visibilities, all three sent) and
    /// returns it as it now is. Retried like a read: a `PUT` sent twice changes nothing more.
    pub async fn update_me(&self, update: &UpdateUserRequest) -> Result<User> {
        let body = update.clone();
        let response = self
            .call("updateCurrentUser", |api| async move {
                api.update_current_user().body(body).send().await
            })
            .await?;
        Ok(response.data.update_user)
    }

    /// The tracks the user played lately, most recent first, as a stream, `page_size` (1 to
    /// [`MAX_RECENTLY_PLAYED_PAGE_SIZE`]) per request. Each edge says when it was played
    /// (`played_at`).
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mock = amazon_music_mock::MockServer::start(Default::default()).await?;
    /// # let client = amazon_music::Client::builder().base_url(mock.base_url())
    /// #     .api_key("mock-api-key").token("mock-token").build()?;
    /// let played: Vec<_> = client.recently_played(60)?.items().try_collect().await?;
    /// assert!(played.windows(2).all(|w| w[0].played_at >= w[1].played_at));
    /// # Ok(())
    /// # }
    /// ```
    pub fn recently_played(&self, page_size: u32) -> Result<Paginator<RecentTrackPlaybackEdge>> {
        let limit = pagination::page_size_up_to(page_size, MAX_RECENTLY_PLAYED_PAGE_SIZE)?;
        let client = self.clone();
        Ok(Paginator::from_fn(
            "getRecentlyPlayedTracks",
            move |cursor| {
                let client = client.clone();
                async move {
                    let token = pagination::cursor(cursor.as_deref())?;
                    let response = client
                        .call("getRecentlyPlayedTracks", |api| async move {
                            let mut request = api.get_recently_played_tracks().limit(limit);
                            if let Some(token) = token {
                                request = request.cursor(token);
                            }
                            request.send().await
                        })
                        .await?;
                    let connection = response.data.user.recent_track_playback;
                    Page::of(
                        "getRecentlyPlayedTracks",
                        "data.user.recentTrackPlayback.pageInfo",
                        connection.edges,
                        connection.page_info,
                        cursor,
                    )
                }
            },
        ))
    }
}
