//! The library's album operations, on each user's library (`crate::library`).

use axum::extract::{Extension, Path, State};

use super::request::{Answer, Context};
use crate::error::ok_json;
use crate::state::MockState;

pub(crate) async fn get_library_albums(
    State(s): State<MockState>,
    Extension(ctx): Context,
) -> Answer {
    let ids = ctx.checked.query_list("albumIds");
    let page = s.0.libraries.list(
        &ctx.user,
        &s.0.catalog,
        ctx.limit(100),
        ctx.cursor(),
        ids.as_deref(),
    )?;
    Ok(ok_json(&page))
}

pub(crate) async fn add_library_album(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.libraries.add(&ctx.user, &s.0.catalog, &id)?))
}

pub(crate) async fn remove_library_album(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.libraries.remove(
        &ctx.user,
        &s.0.catalog,
        &id,
    )?))
}
