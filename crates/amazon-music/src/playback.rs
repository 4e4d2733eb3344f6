//! Playback sessions: start one, drive it through its queue, report what the player does.
//!
//! Amazon Music decides what plays next; a [`PlaybackSession`] keeps the entity playing now,
//! exposes what the service allows with it ([`PlaybackSession::actions`], remaining skips) so a
//! player can grey out a button instead of failing, and re-reads what comes next after every
//! change to the queue, as the docs require.

use std::sync::Arc;
use std::time::Duration;

use crate::albums::catalog_id;
use crate::ids::parse;
use crate::pagination::{self, Page, Paginator};
use crate::types::{
    self, CatalogId, ContainerIds, EntityReferenceId, LoopMode, PlayParams, PlaybackActions,
    PlaybackEntity, PlaybackEventType, QueuedTrack, SessionId, ShuffleMode,
};
use crate::{ApiError, Client, Error, ErrorCode, Result};

/// What to play and how; build it with [`PlayRequest::track`], [`PlayRequest::album`] or
/// [`PlayRequest::tracks`].
#[derive(Debug, Clone)]
#[must_use]
pub struct PlayRequest {
    params: Result<PlayParams, String>,
    options: types::PlaybackOptions,
    window: Option<u32>,
    device_id: Option<String>,
}

impl PlayRequest {
    fn with(params: Result<PlayParams, String>) -> Self {
        Self {
            params,
            options: types::PlaybackOptions {
                loop_mode: None,
                playback_continuation_mode: None,
                shuffle_mode: None,
                start_as_station: None,
            },
            window: None,
            device_id: None,
        }
    }

    /// One track.
    pub fn track(id: &str) -> Self {
        Self::with(ids([id]).map(|mut ids| PlayParams {
            id: ids.pop(),
            container_ids: None,
        }))
    }

    /// One track, played in the context of a container (its album, a playlist).
    pub fn track_in(track: &str, container: &str) -> Self {
        Self::with(ids([track, container]).map(|ids| PlayParams {
            id: Some(ids[0].clone()),
            container_ids: Some(ContainerIds(vec![ids[1].clone()])),
        }))
    }

    /// A whole album (or playlist), from its start.
    pub fn album(id: &str) -> Self {
        Self::with(ids([id]).map(|ids| PlayParams {
            id: None,
            container_ids: Some(ContainerIds(ids)),
        }))
    }

    /// A list of tracks, in order.
    pub fn tracks<I, S>(tracks: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list: Vec<String> = tracks.into_iter().map(|t| t.as_ref().to_owned()).collect();
        let params = if list.is_empty() {
            Err("a session needs at least one track".to_owned())
        } else if list.len() > 100 {
            Err(format!(
                "{} tracks; a session takes at most 100",
                list.len()
            ))
        } else {
            ids(list.iter().map(String::as_str)).map(|ids| PlayParams {
                id: None,
                container_ids: Some(ContainerIds(ids)),
            })
        };
        Self::with(params)
    }

    /// Shuffle the queue (ignored by the service when starting as a station).
    pub fn shuffle(mut self, on: bool) -> Self {
        self.options.shuffle_mode = Some(if on {
            ShuffleMode::ShuffleOn
        } else {
            ShuffleMode::ShuffleOff
        });
        self
    }

    /// Loop nothing, the current entity or the whole queue.
    pub fn loop_mode(mut self, mode: LoopMode) -> Self {
        self.options.loop_mode = Some(mode);
        self
    }

    /// Start a station seeded by the track.
    pub fn start_as_station(mut self, on: bool) -> Self {
        self.options.start_as_station = Some(on);
        self
    }

    /// Keep playing recommendations when the queue runs out.
    pub fn continue_after_queue(mut self, on: bool) -> Self {
        self.options.playback_continuation_mode = Some(on);
        self
    }

    /// How many entities the service keeps ready ahead (1 to 10).
    pub fn window(mut self, entities: u32) -> Self {
        self.window = Some(entities);
        self
    }

    /// The playing device's id, sent as `X-Amzn-Device-Id`.
    pub fn device_id(mut self, id: impl Into<String>) -> Self {
        self.device_id = Some(id.into());
        self
    }
}

fn ids<'a>(list: impl IntoIterator<Item = &'a str>) -> Result<Vec<CatalogId>, String> {
    list.into_iter()
        .map(|id| id.parse().map_err(|e| format!("{id:?}: {e}")))
        .collect()
}

fn window(entities: u32) -> Result<std::num::NonZeroU32> {
    std::num::NonZeroU32::new(entities)
        .filter(|w| w.get() <= 10)
        .ok_or_else(|| Error::validation("queue window", format!("{entities} is outside 1..=10")))
}

/// What to do when another stream of the user is playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeOver {
    /// Do not take over: the report comes back as [`Report::Conflict`] for the caller to
    /// resolve (ask the user, or stop).
    Auto,
    /// Take the other stream over.
    Force,
}

/// What became of a reported event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Recorded.
    Recorded,
    /// Another stream is playing and [`TakeOver::Auto`] was asked for: report again with
    /// [`TakeOver::Force`] to take it over, or stop.
    Conflict(ApiError),
}

impl Client {
    /// Starts a playback session.
    pub async fn start_playback(&self, request: PlayRequest) -> Result<PlaybackSession> {
        let params = request
            .params
            .map_err(|message| Error::validation("play request", message))?;
        let limit = request.window.map(window).transpose()?;
        let body = types::CreatePlaybackSessionRequest {
            play_params: params,
            playback_options: Some(request.options),
            limit,
        };
        let device = request.device_id;
        let response = self
            .call("createPlaybackSession", |api| async move {
                let mut call = api.create_playback_session().body(body);
                if let Some(device) = device {
                    call = call.x_amzn_device_id(device);
                }
                call.send().await
            })
            .await?;
        let current = first(response, "createPlaybackSession")?;
        Ok(PlaybackSession {
            client: self.clone(),
            id: current.session_id.clone(),
            current,
        })
    }

    /// The current entity of every active session of the user, across devices.
    pub async fn active_sessions(&self) -> Result<Vec<PlaybackEntity>> {
        let response = self
            .call("getActivePlaybackSessions", |api| async move {
                api.get_active_playback_sessions().send().await
            })
            .await?;
        Ok(response.data.entities)
    }

    /// Takes up a session again (one active within the last 30 days) at one of its entities.
    pub async fn resume_session(
        &self,
        session_id: &str,
        entity_reference_id: &str,
    ) -> Result<PlaybackSession> {
        let id: SessionId = parse("session id", session_id)?;
        let reference: EntityReferenceId = parse("entity reference id", entity_reference_id)?;
        let current = refresh(self, id.clone(), reference).await?;
        Ok(PlaybackSession {
            client: self.clone(),
            id,
            current,
        })
    }
}

fn first(response: types::PlaybackResponse, operation: &'static str) -> Result<PlaybackEntity> {
    response
        .data
        .entities
        .into_iter()
        .next()
        .ok_or_else(|| Error::Decode {
            operation,
            path: "data.entities".into(),
            message: "no entity in a response that must carry one".into(),
            excerpt: String::new(),
        })
}

async fn refresh(
    client: &Client,
    session: SessionId,
    reference: EntityReferenceId,
) -> Result<PlaybackEntity> {
    let response = client
        .call("refreshPlaybackSession", |api| async move {
            api.refresh_playback_session()
                .session_id(session)
                .entity_reference_id(reference)
                .send()
                .await
        })
        .await?;
    first(response, "refreshPlaybackSession")
}

/// A playback session and the entity it is playing.
#[derive(Debug, Clone)]
pub struct PlaybackSession {
    client: Client,
    id: SessionId,
    current: PlaybackEntity,
}

impl PlaybackSession {
    /// The session's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The entity playing now, as last fetched.
    pub fn current(&self) -> &PlaybackEntity {
        &self.current
    }

    /// What the service allows with the current entity.
    pub fn actions(&self) -> Option<&PlaybackActions> {
        self.current.actions.as_ref()
    }

    /// Whether skipping to the next entity is allowed now.
    pub fn can_skip_next(&self) -> bool {
        allowed(self.actions().and_then(|a| a.next.as_ref()))
    }

    /// Whether going back is allowed now.
    pub fn can_skip_previous(&self) -> bool {
        allowed(self.actions().and_then(|a| a.previous.as_ref()))
    }

    /// Skips left, when the user's tier limits them.
    pub fn remaining_skips(&self) -> Option<i32> {
        self.actions()
            .and_then(|a| a.next.as_ref())
            .and_then(|n| n.remaining_skips)
    }

    /// Fetches the current entity again.
    pub async fn reload(&mut self) -> Result<&PlaybackEntity> {
        self.step(Step::Current).await
    }

    /// Moves to the next entity. Fails with `NO_MORE_NEXT_ENTITY` at the end of the queue, or
    /// with `403` when no skips are left ([`PlaybackSession::can_skip_next`] says beforehand).
    pub async fn next(&mut self) -> Result<&PlaybackEntity> {
        self.step(Step::Next).await
    }

    /// Moves to the previous entity.
    pub async fn previous(&mut self) -> Result<&PlaybackEntity> {
        self.step(Step::Previous).await
    }

    /// Asks for the entity at `step` from the current one, which becomes the current one.
    async fn step(&mut self, step: Step) -> Result<&PlaybackEntity> {
        let operation = step.operation();
        let id = self.id.clone();
        let response = self
            .client
            .call(operation, |api| async move {
                match step {
                    Step::Current => {
                        api.get_current_playback_entity()
                            .session_id(id)
                            .send()
                            .await
                    }
                    Step::Next => api.get_next_playback_entity().session_id(id).send().await,
                    Step::Previous => {
                        api.get_previous_playback_entity()
                            .session_id(id)
                            .send()
                            .await
                    }
                }
            })
            .await?;
        self.current = first(response, operation)?;
        Ok(&self.current)
    }

    /// Refreshes the current entity (a new stream URL, current actions).
    pub async fn refresh(&mut self) -> Result<&PlaybackEntity> {
        self.current = refresh(
            &self.client,
            self.id.clone(),
            self.current.entity_reference_id.clone(),
        )
        .await?;
        Ok(&self.current)
    }

    /// The entity that plays after the current one, without moving (read from the queue).
    pub async fn upcoming(&self) -> Result<Option<PlaybackEntity>> {
        let page = self.queue_page(2, None).await?;
        Ok(page.items.into_iter().nth(1))
    }

    /// Inserts a track right after the current entity and returns what now plays next: the
    /// docs require reading it again after any change to the queue. Never retried (a POST).
    pub async fn play_next(&self, track: &str) -> Result<Option<PlaybackEntity>> {
        let body = types::QueueNextRequest {
            play_params: QueuedTrack {
                id: catalog_id(track)?,
                container_ids: None,
            },
            entity_reference_id: None,
        };
        let id = self.id.clone();
        self.client
            .call("queueNext", |api| async move {
                api.queue_next().session_id(id).body(body).send().await
            })
            .await?;
        self.upcoming().await
    }

    /// Appends a track to the end of the queue and returns what now plays next. Never retried.
    pub async fn play_last(&self, track: &str) -> Result<Option<PlaybackEntity>> {
        let body = types::QueueLastRequest {
            play_params: QueuedTrack {
                id: catalog_id(track)?,
                container_ids: None,
            },
        };
        let id = self.id.clone();
        self.client
            .call("queueLast", |api| async move {
                api.queue_last().session_id(id).body(body).send().await
            })
            .await?;
        self.upcoming().await
    }

    /// Sets the loop mode and returns what now plays next.
    pub async fn set_loop(&self, mode: LoopMode) -> Result<Option<PlaybackEntity>> {
        let id = self.id.clone();
        self.client
            .call("setLoopMode", |api| async move {
                api.set_loop_mode()
                    .session_id(id)
                    .body(types::SetLoopModeRequest { loop_mode: mode })
                    .send()
                    .await
            })
            .await?;
        self.upcoming().await
    }

    /// Turns shuffle on or off and returns what now plays next.
    pub async fn set_shuffle(&self, on: bool) -> Result<Option<PlaybackEntity>> {
        let mode = if on {
            ShuffleMode::ShuffleOn
        } else {
            ShuffleMode::ShuffleOff
        };
        let id = self.id.clone();
        self.client
            .call("setShuffleMode", |api| async move {
                api.set_shuffle_mode()
                    .session_id(id)
                    .body(types::SetShuffleModeRequest { shuffle_mode: mode })
                    .send()
                    .await
            })
            .await?;
        self.upcoming().await
    }

    /// One page of the queue, from the current entity on.
    pub async fn queue_page(
        &self,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<PlaybackEntity>> {
        let limit = pagination::page_size(limit)?;
        let token = pagination::cursor(cursor)?;
        let id = self.id.clone();
        let response = self
            .client
            .call("getPlaybackQueue", |api| async move {
                let mut request = api.get_playback_queue().session_id(id).limit(limit);
                if let Some(token) = token {
                    request = request.cursor(token);
                }
                request.send().await
            })
            .await?;
        let queue = response.data.queue;
        Page::of(
            "getPlaybackQueue",
            "data.queue.pageInfo",
            queue.edges.into_iter().map(|edge| edge.node).collect(),
            queue.page_info,
            cursor.map(str::to_owned),
        )
    }

    /// The queue as a stream, `page_size` entities per request.
    pub fn queue(&self, page_size: u32) -> Result<Paginator<PlaybackEntity>> {
        pagination::page_size(page_size)?;
        let session = self.clone();
        Ok(Paginator::new(
            "getPlaybackQueue",
            Arc::new(move |cursor: Option<String>| {
                let session = session.clone();
                Box::pin(async move { session.queue_page(page_size, cursor.as_deref()).await })
            }),
        ))
    }

    /// Reports what the player did with the current entity, at `position` into it.
    ///
    /// With [`TakeOver::Auto`], a conflict with another stream comes back as
    /// [`Report::Conflict`]; with [`TakeOver::Force`], this stream takes the other one over.
    /// Never retried (a POST). Fails with [`Error::MissingMetricId`], sending nothing, when the
    /// current entity came without a `metricId` (a server answering with the docs' examples
    /// sends none).
    pub async fn report(
        &self,
        kind: PlaybackEventType,
        position: Duration,
        take_over: TakeOver,
    ) -> Result<Report> {
        let metric_id = self
            .current
            .metric_id
            .clone()
            .ok_or_else(|| Error::MissingMetricId {
                entity_reference_id: self.current.entity_reference_id.to_string(),
            })?;
        let body = types::ReportPlaybackEventRequest {
            metric_id,
            event: types::PlaybackEvent {
                type_: kind,
                session_id: self.id.clone(),
                entity_reference_id: self.current.entity_reference_id.clone(),
                position_ms: Some(i64::try_from(position.as_millis()).unwrap_or(i64::MAX)),
                timestamp: None,
            },
            options: Some(types::ReportEventOptions {
                take_over_type: Some(match take_over {
                    TakeOver::Auto => types::TakeOverType::Auto,
                    TakeOver::Force => types::TakeOverType::Force,
                }),
            }),
        };
        let result = self
            .client
            .call("reportPlaybackEvent", |api| async move {
                api.report_playback_event().body(body).send().await
            })
            .await;
        match result {
            Ok(()) => Ok(Report::Recorded),
            Err(Error::Api(error)) if error.code == ErrorCode::MaxConcurrencyReached => {
                Ok(Report::Conflict(error))
            }
            Err(error) => Err(error),
        }
    }
}

/// Where [`PlaybackSession::step`] goes.
#[derive(Debug, Clone, Copy)]
enum Step {
    Current,
    Next,
    Previous,
}

impl Step {
    fn operation(self) -> &'static str {
        match self {
            Step::Current => "getCurrentPlaybackEntity",
            Step::Next => "getNextPlaybackEntity",
            Step::Previous => "getPreviousPlaybackEntity",
        }
    }
}

fn allowed(action: Option<&types::PlaybackAction>) -> bool {
    // No word from the service means no restriction announced.
    action.is_none_or(|a| a.is_allowed)
}
