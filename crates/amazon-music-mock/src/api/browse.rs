//! Get Top Tracks: the catalog's charts, the most played tracks first.

use axum::extract::{Extension, State};
use serde_json::{Value, json};

use super::request::{Answer, Context};
use crate::error::ok_json;
use crate::paging::{by_position, connection, position_token};
use crate::state::MockState;

pub(crate) async fn get_top_tracks(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let catalog = &s.0.catalog;
    let charts = catalog.charts();
    let window = by_position(charts.len(), ctx.limit(20), ctx.cursor())?;
    let edges: Vec<Value> = charts[window.start..window.end]
        .iter()
        .map(|&at| {
            let album = catalog.album_at(at.album);
            json!({"node": album.track_json(&album.tracks[at.index])})
        })
        .collect();
    Ok(ok_json(&json!({"data": {
        "topTracks": connection(edges, position_token(window, charts.len())),
    }})))
}
