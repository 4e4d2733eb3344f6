//! Get Station.

use axum::extract::{Path, State};
use serde_json::json;

use super::request::Answer;
use crate::error::{ApiError, ok_json};
use crate::state::MockState;

pub(crate) async fn get_station(State(s): State<MockState>, Path(id): Path<String>) -> Answer {
    let station =
        s.0.catalog
            .stations()
            .get(&id)
            .ok_or_else(|| ApiError::not_found(format!("No station has the id {id}.")))?;
    Ok(ok_json(&json!({"data": {"station": station.json()}})))
}
