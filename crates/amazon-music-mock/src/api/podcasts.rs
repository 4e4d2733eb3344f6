//! Get Podcast Show, with a page of its episodes.

use axum::extract::{Extension, Path, State};
use serde_json::json;

use super::request::{Answer, Context};
use crate::error::{ApiError, ok_json};
use crate::paging::{after_cursor, connection, index_cursor};
use crate::state::MockState;

pub(crate) async fn get_podcast_show(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let show =
        s.0.catalog
            .shows()
            .get(&id)
            .ok_or_else(|| ApiError::not_found(format!("No podcast show has the id {id}.")))?;
    let ids: Vec<&str> = show.episodes.iter().map(|e| e.id.as_str()).collect();
    let window = after_cursor(&ids, ctx.limit(100), ctx.cursor())?;
    let edges: Vec<_> = (window.start..window.end)
        .map(|at| {
            let episode = &show.episodes[at];
            json!({"cursor": index_cursor(at, &episode.id), "node": show.episode_json(episode)})
        })
        .collect();
    let token = window
        .has_next(ids.len())
        .then(|| index_cursor(window.end - 1, ids[window.end - 1]));
    let mut body = show.json();
    body["episodes"] = connection(edges, token);
    Ok(ok_json(&json!({"data": {"podcastShow": body}})))
}
