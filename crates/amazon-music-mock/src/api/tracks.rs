//! Get Track.

use axum::extract::{Extension, Path, State};
use serde_json::json;

use super::request::{Answer, Context};
use crate::error::{ApiError, ok_json};
use crate::state::MockState;

pub(crate) async fn get_track(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let (album, track) =
        s.0.catalog
            .track_by_id(&id)
            .ok_or_else(|| ApiError::not_found(format!("No track has the id {id}.")))?;
    // Every track of the mock's catalog is audio only.
    if ctx.checked.query_str("mediaType") == Some("VIDEO") {
        return Err(ApiError::not_found(format!(
            "Track {id} has no video rendition."
        )));
    }
    Ok(ok_json(
        &json!({"data": {"track": album.track_json(track)}}),
    ))
}
