//! Web Playback: sessions, their queues and modes, and reported events, on the sessions of
//! `crate::playback`.

use axum::extract::{Extension, Path, State};
use axum::http::HeaderMap;

use super::request::{Answer, Context};
use crate::error::{ok_empty, ok_json};
use crate::state::MockState;

pub(crate) async fn create_session(
    State(s): State<MockState>,
    Extension(ctx): Context,
    headers: HeaderMap,
) -> Answer {
    let device = headers
        .get("x-amzn-device-id")
        .and_then(|v| v.to_str().ok());
    Ok(ok_json(&s.0.playback.create(
        &ctx.user,
        &s.0.catalog,
        ctx.body(),
        device,
    )?))
}

pub(crate) async fn active_sessions(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    Ok(ok_json(&s.0.playback.active(&ctx.user, &s.0.catalog)))
}

pub(crate) async fn current(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.playback.current(
        &ctx.user,
        &id,
        &s.0.catalog,
    )?))
}

pub(crate) async fn next(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let window = ctx.checked.query_int("limit").map(|n| n as usize);
    Ok(ok_json(&s.0.playback.next(
        &ctx.user,
        &id,
        &s.0.catalog,
        window,
    )?))
}

pub(crate) async fn previous(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    let window = ctx.checked.query_int("limit").map(|n| n as usize);
    Ok(ok_json(&s.0.playback.previous(
        &ctx.user,
        &id,
        &s.0.catalog,
        window,
    )?))
}

pub(crate) async fn queue(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    Ok(ok_json(&s.0.playback.queue(
        &ctx.user,
        &id,
        &s.0.catalog,
        ctx.limit(100),
        ctx.cursor(),
    )?))
}

pub(crate) async fn refresh(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path((id, reference)): Path<(String, String)>,
) -> Answer {
    Ok(ok_json(&s.0.playback.refresh(
        &ctx.user,
        &id,
        &reference,
        &s.0.catalog,
    )?))
}

pub(crate) async fn queue_next(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback
        .insert(&ctx.user, &id, &s.0.catalog, ctx.body(), false)?;
    Ok(ok_empty())
}

pub(crate) async fn queue_last(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback
        .insert(&ctx.user, &id, &s.0.catalog, ctx.body(), true)?;
    Ok(ok_empty())
}

pub(crate) async fn set_loop(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback.set_loop(&ctx.user, &id, ctx.body())?;
    Ok(ok_empty())
}

pub(crate) async fn set_shuffle(
    State(s): State<MockState>,
    Extension(ctx): Context,
    Path(id): Path<String>,
) -> Answer {
    s.0.playback.set_shuffle(&ctx.user, &id, ctx.body())?;
    Ok(ok_empty())
}

pub(crate) async fn report_event(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    s.0.playback.report(&ctx.user, ctx.body())?;
    Ok(ok_empty())
}
