//! Get Current User and Update Current User, on the profiles of `crate::profiles`.

use axum::extract::{Extension, State};
use serde_json::json;

use super::request::{Answer, Context};
use crate::error::ok_json;
use crate::state::MockState;

pub(crate) async fn get_current_user(
    State(s): State<MockState>,
    Extension(ctx): Context,
) -> Answer {
    Ok(ok_json(
        &json!({"data": {"user": s.0.profiles.user_json(&ctx.user)}}),
    ))
}

pub(crate) async fn update_current_user(
    State(s): State<MockState>,
    Extension(ctx): Context,
) -> Answer {
    let user = s.0.profiles.update(&ctx.user, ctx.body())?;
    Ok(ok_json(&json!({"data": {"updateUser": user}})))
}
