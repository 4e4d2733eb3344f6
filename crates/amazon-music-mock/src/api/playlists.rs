//! Get Playlist and Get Current User's Playlists, over each user's playlists
//! (`crate::playlists`). Another user's playlist is as unknown as one that never existed.

use axum::extract::{Extension, Path, State};
use serde_json::json;

use super::request::{Answer, Context};
use crate::error::{ApiError, ok_json};
use crate::paging::{after_cursor, connection, index_cursor};
use crate::playlists::owned;
use crate::state::MockState;

pub(crate) async fn get_playlist(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let playlist = owned(&s.0.catalog, &ctx.user)
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found(format!("No playlist has the id {id}.")))?;
    Ok(ok_json(&json!({"data": {"playlist": playlist.json()}})))
}

pub(crate) async fn get_my_playlists(
    State(s): State<MockState>,
    Extension(ctx): Context,
) -> Answer {
    let lists = owned(&s.0.catalog, &ctx.user);
    let ids: Vec<&str> = lists.iter().map(|p| p.id.as_str()).collect();
    let window = after_cursor(&ids, ctx.limit(100), ctx.cursor())?;
    let edges: Vec<_> = (window.start..window.end)
        .map(|at| json!({"cursor": index_cursor(at, ids[at]), "node": lists[at].json()}))
        .collect();
    let token = window
        .has_next(ids.len())
        .then(|| index_cursor(window.end - 1, ids[window.end - 1]));
    Ok(ok_json(&json!({"data": {"user": {
        "id": ctx.user,
        "playlists": connection(edges, token),
    }}})))
}
