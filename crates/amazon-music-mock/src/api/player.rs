//! Get Current User's Recently Played Tracks, from what the playback sessions played
//! (`crate::history`).

use axum::extract::{Extension, State};
use serde_json::json;

use super::request::{Answer, Context};
use crate::error::ok_json;
use crate::profiles;
use crate::state::MockState;

pub(crate) async fn get_recently_played_tracks(
    State(s): State<MockState>,
    Extension(ctx): Context,
) -> Answer {
    let page =
        s.0.playback
            .history()
            .page(&ctx.user, &s.0.catalog, ctx.limit(60), ctx.cursor())?;
    Ok(ok_json(&json!({"data": {"user": {
        "id": ctx.user,
        "name": s.0.profiles.name(&ctx.user),
        "url": profiles::url(&ctx.user),
        "recentTrackPlayback": page,
    }}})))
}
