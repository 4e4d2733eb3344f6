//! Get Album and Get Multiple Albums.

use axum::extract::{Extension, Path, State};
use axum::http::header;
use axum::response::IntoResponse;

use super::request::{Answer, Context};
use crate::error::ok_json;
use crate::state::MockState;

pub(crate) async fn get_album(State(s): State<MockState>, Path(id): Path<String>) -> Answer {
    let body = s.0.catalog.get_album(&id)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub(crate) async fn get_albums(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let ids = ctx.checked.query_list("ids").unwrap_or_default();
    Ok(ok_json(&s.0.catalog.get_albums(&ids)))
}
