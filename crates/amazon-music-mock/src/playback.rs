//! Playback sessions: their queues, what plays now and next, loop and shuffle, skip limits,
//! and the one-stream-per-user rule that Report Events enforces.
//!
//! A session holds its queue items in insertion order and a play order over them (the
//! shuffled one while shuffle is on, with the unshuffled one kept to restore). Rules where
//! the docs are silent, chosen to follow them and the ledger:
//!
//! * `next` at the end of the queue is 404 `NO_MORE_NEXT_ENTITY` (with `LOOP_ALL` it wraps to
//!   the start, with `LOOP_ONE` it repeats the current entity); `previous` at the start is
//!   404 `NO_MORE_PREVIOUS_ENTITY`.
//! * Moving on with `next` before the current entity was reported `PLAYBACK_FINISHED` is a
//!   skip. With a skip limit, a skip when none are left is 403 `ACCESS_DENIED` (payload
//!   `disableType: NO_MORE_SKIPS`), and `actions.next` says so beforehand.
//! * Responses list the current entity first, then up to `limit` entities queued after it.
//! * A `PLAYBACK_STARTED` or `PLAYBACK_RESUMED` event while another session of the user
//!   streams takes that stream over (the other session becomes inactive), unless
//!   `options.takeOverType` is `AUTO`: then 429 `MAX_CONCURRENCY_REACHED`.
//!   `PLAYBACK_STOPPED` gives the stream up. Refresh makes an inactive session active again.
//! * What a session starts with, moves to (`next`, `previous`) or reports started or resumed
//!   is played: the user's recently played tracks (`crate::history`) list it.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::catalog::{Catalog, TrackRef, catalog_id};
use crate::error::ApiError;
use crate::history::History;
use crate::prng::Prng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoopMode {
    Off,
    One,
    All,
}

impl LoopMode {
    fn parse(text: Option<&str>) -> Self {
        // The request was validated against the spec's enum before it got here.
        match text {
            Some("LOOP_ONE") => LoopMode::One,
            Some("LOOP_ALL") => LoopMode::All,
            _ => LoopMode::Off,
        }
    }
}

#[derive(Debug, Clone)]
struct Item {
    reference: String,
    metric: String,
    track: TrackRef,
}

#[derive(Debug)]
struct Session {
    id: String,
    user: String,
    created: u64,
    items: Vec<Item>,
    order: Vec<usize>,
    unshuffled: Option<Vec<usize>>,
    pos: usize,
    loop_mode: LoopMode,
    skips_left: Option<u32>,
    window: usize,
    active: bool,
    finished_current: bool,
    device: String,
    prng: Prng,
}

#[derive(Debug, Default)]
struct Sessions {
    by_id: HashMap<String, Session>,
    /// The session that holds each user's one stream.
    streaming: HashMap<String, String>,
    created: u64,
    /// Queue entries of every session together, kept with `by_id`.
    entries: usize,
}

impl Sessions {
    /// Forgets the session created first (and its stream, if it holds one); `false` when
    /// there is none. A scan, but only when the store is full.
    fn forget_oldest(&mut self) -> bool {
        let Some(oldest) = self
            .by_id
            .values()
            .min_by_key(|s| s.created)
            .map(|s| s.id.clone())
        else {
            return false;
        };
        if let Some(session) = self.by_id.remove(&oldest) {
            self.entries -= session.items.len();
        }
        self.streaming.retain(|_, id| *id != oldest);
        true
    }
}

/// Every playback session of every user.
#[derive(Debug)]
pub(crate) struct Playback {
    seed: u64,
    skip_limit: Option<u32>,
    max_sessions: usize,
    max_queue: usize,
    max_queue_entries: usize,
    sessions: Mutex<Sessions>,
    history: History,
}

/// The longest `X-Amzn-Device-Id` a session keeps, in bytes. Real ones are a few dozen; the
/// header is only bounded by the HTTP server's limits (hundreds of KiB), which every session
/// kept would otherwise multiply.
const MAX_DEVICE_ID: usize = 256;

fn str_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

impl Playback {
    pub(crate) fn new(
        seed: u64,
        skip_limit: Option<u32>,
        max_sessions: usize,
        max_queue: usize,
        max_queue_entries: usize,
    ) -> Self {
        Self {
            seed,
            skip_limit,
            max_sessions: max_sessions.max(1),
            max_queue: max_queue.max(1),
            max_queue_entries: max_queue_entries.max(1),
            sessions: Mutex::new(Sessions::default()),
            history: History::default(),
        }
    }

    /// What the sessions played, per user.
    pub(crate) fn history(&self) -> &History {
        &self.history
    }

    fn with_session<T>(
        &self,
        user: &str,
        id: &str,
        f: impl FnOnce(&mut Session) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        match sessions.by_id.get_mut(id) {
            // Another user's session is as unknown as one that never existed.
            Some(session) if session.user == user => f(session),
            _ => Err(ApiError::not_found(format!(
                "No playback session has the id {id}."
            ))),
        }
    }

    /// Create New Session.
    pub(crate) fn create(
        &self,
        user: &str,
        catalog: &Catalog,
        body: &Value,
        device: Option<&str>,
    ) -> Result<Value, ApiError> {
        if device.is_some_and(|d| d.len() > MAX_DEVICE_ID) {
            return Err(ApiError::bad_request(format!(
                "header X-Amzn-Device-Id is longer than the {MAX_DEVICE_ID} bytes this mock keeps"
            )));
        }
        let track_id = str_at(body, "/playParams/id");
        let containers: Vec<&str> = body
            .pointer("/playParams/containerIds")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let continuation = body
            .pointer("/playbackOptions/playbackContinuationMode")
            .and_then(Value::as_bool)
            == Some(true);
        let station = body
            .pointer("/playbackOptions/startAsStation")
            .and_then(Value::as_bool)
            == Some(true);

        let mut tracks: Vec<TrackRef> = Vec::new();
        for id in &containers {
            tracks.extend(container_tracks(catalog, id)?);
        }
        let mut start = 0;
        if let Some(id) = track_id {
            let track = find_track(catalog, id)?;
            if containers.is_empty() {
                tracks.push(track);
                if continuation || station {
                    // The service keeps playing from the track's album when asked to.
                    let album = catalog.album_at(track.album);
                    tracks.extend((track.index + 1..album.tracks.len()).map(|index| TrackRef {
                        album: track.album,
                        index,
                    }));
                }
            } else {
                match tracks.iter().position(|t| same(t, &track)) {
                    Some(at) => start = at,
                    None => tracks.insert(0, track),
                }
            }
        }

        // A queue longer than any session may hold is refused, as an insert beyond it is.
        for (most, setting) in [
            (self.max_queue, "max_queue"),
            (self.max_queue_entries, "max_queue_entries"),
        ] {
            if tracks.len() > most {
                return Err(ApiError::bad_request(format!(
                    "the session would start with {} queue entries, more than the {most} this \
                     mock keeps ({setting})",
                    tracks.len()
                )));
            }
        }

        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        sessions.created += 1;
        let created = sessions.created;
        let mut prng = Prng::derived(self.seed, "session", created);
        let id = prng.uuid();
        let items: Vec<Item> = tracks
            .into_iter()
            .map(|track| Item {
                reference: prng.uuid(),
                metric: prng.uuid(),
                track,
            })
            .collect();
        let mut session = Session {
            id: id.clone(),
            user: user.to_owned(),
            created,
            order: (0..items.len()).collect(),
            items,
            unshuffled: None,
            pos: start,
            loop_mode: LoopMode::parse(str_at(body, "/playbackOptions/loopMode")),
            skips_left: self.skip_limit,
            window: body.get("limit").and_then(Value::as_u64).unwrap_or(0) as usize,
            active: true,
            finished_current: false,
            device: device.unwrap_or("amzn1.application.mock-device").to_owned(),
            prng,
        };
        if str_at(body, "/playbackOptions/shuffleMode") == Some("SHUFFLE_ON") && !station {
            session.shuffle_on();
        }
        let response = session.response(catalog, None);
        if let Some(track) = session.current_track() {
            self.history.record(user, track);
        }
        // Room is made the way max_sessions makes it: the oldest sessions go first.
        while sessions.by_id.len() >= self.max_sessions
            || sessions.entries + session.items.len() > self.max_queue_entries
        {
            if !sessions.forget_oldest() {
                break;
            }
        }
        sessions.entries += session.items.len();
        sessions.by_id.insert(id, session);
        Ok(response)
    }

    /// Get Current Track.
    pub(crate) fn current(
        &self,
        user: &str,
        id: &str,
        catalog: &Catalog,
    ) -> Result<Value, ApiError> {
        self.with_session(user, id, |s| Ok(s.response(catalog, None)))
    }

    /// Get Next Track: moves the session on.
    pub(crate) fn next(
        &self,
        user: &str,
        id: &str,
        catalog: &Catalog,
        window: Option<usize>,
    ) -> Result<Value, ApiError> {
        self.with_session(user, id, |s| {
            let target = s.next_pos().ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "NO_MORE_NEXT_ENTITY",
                    "The queue has no entity after the current one.",
                )
            })?;
            if target != s.pos && !s.finished_current {
                match s.skips_left {
                    Some(0) => {
                        return Err(ApiError::access_denied("No skips are left.")
                            .with_payload(json!({"disableType": "NO_MORE_SKIPS"})));
                    }
                    Some(n) => s.skips_left = Some(n - 1),
                    None => {}
                }
            }
            s.pos = target;
            s.finished_current = false;
            if let Some(track) = s.current_track() {
                self.history.record(user, track);
            }
            Ok(s.response(catalog, window))
        })
    }

    /// Get Previous Track: steps the session back.
    pub(crate) fn previous(
        &self,
        user: &str,
        id: &str,
        catalog: &Catalog,
        window: Option<usize>,
    ) -> Result<Value, ApiError> {
        self.with_session(user, id, |s| {
            if s.pos == 0 {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "NO_MORE_PREVIOUS_ENTITY",
                    "The queue has no entity before the current one.",
                ));
            }
            s.pos -= 1;
            s.finished_current = false;
            if let Some(track) = s.current_track() {
                self.history.record(user, track);
            }
            Ok(s.response(catalog, window))
        })
    }

    /// Get Playback Queue: the play order from the current entity on, a page at a time.
    /// `pageInfo.token` is the position in the play order the next page starts at.
    pub(crate) fn queue(
        &self,
        user: &str,
        id: &str,
        catalog: &Catalog,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Value, ApiError> {
        let start = match cursor {
            None => None,
            Some(text) => Some(
                text.parse::<usize>()
                    .map_err(|_| ApiError::foreign_cursor(text))?,
            ),
        };
        self.with_session(user, id, |s| {
            let start = start.unwrap_or(s.pos).min(s.order.len());
            let end = start.saturating_add(limit).min(s.order.len());
            let edges: Vec<Value> = (start..end)
                .map(|at| json!({ "node": s.entity(catalog, s.order[at], false) }))
                .collect();
            let mut page_info = json!({ "hasNextPage": end < s.order.len() });
            if end < s.order.len() {
                page_info["token"] = Value::String(end.to_string());
            }
            Ok(json!({"data": {"queue": {
                "pageInfo": page_info,
                "edgeCount": edges.len(),
                "edges": edges,
            }}}))
        })
    }

    /// Refresh Playback Session: the entity again, with a fresh stream; reactivates the session.
    pub(crate) fn refresh(
        &self,
        user: &str,
        id: &str,
        reference: &str,
        catalog: &Catalog,
    ) -> Result<Value, ApiError> {
        self.with_session(user, id, |s| {
            let item = s.item_index(reference)?;
            s.active = true;
            let current = s.order.get(s.pos) == Some(&item);
            Ok(json!({"data": {"entities": [s.entity(catalog, item, current)]}}))
        })
    }

    /// Queue Next Track (`last` false) and Queue Last Track (`last` true).
    pub(crate) fn insert(
        &self,
        user: &str,
        id: &str,
        catalog: &Catalog,
        body: &Value,
        last: bool,
    ) -> Result<(), ApiError> {
        let track_id = str_at(body, "/playParams/id").ok_or_else(|| {
            // Ledger entry queue-insert-containerids-optional: the mock requires the track.
            ApiError::bad_request("request body /playParams: id, the track to insert, is required")
        })?;
        let track = find_track(catalog, track_id)?;
        if let Some(ids) = body
            .pointer("/playParams/containerIds")
            .and_then(Value::as_array)
        {
            for container in ids.iter().filter_map(Value::as_str) {
                container_tracks(catalog, container)?;
            }
        }
        let mut guard = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let sessions = &mut *guard;
        let s = match sessions.by_id.get_mut(id) {
            Some(session) if session.user == user => session,
            _ => {
                return Err(ApiError::not_found(format!(
                    "No playback session has the id {id}."
                )));
            }
        };
        if s.items.len() >= self.max_queue {
            return Err(ApiError::bad_request(format!(
                "the playback queue already holds {} entries, the most this mock keeps \
                 (max_queue); start a new session",
                s.items.len()
            )));
        }
        // Refused like the per-session bound: forgetting another session to make room would
        // let one caller's inserts wipe out everyone else's sessions.
        if sessions.entries >= self.max_queue_entries {
            return Err(ApiError::bad_request(format!(
                "the playback queues of all sessions already hold {} entries, the most this \
                 mock keeps (max_queue_entries); start a new session",
                sessions.entries
            )));
        }
        let after = match str_at(body, "/entityReferenceId") {
            Some(reference) if !last => Some(s.item_index(reference)?),
            _ => None,
        };
        let item = Item {
            reference: s.prng.uuid(),
            metric: s.prng.uuid(),
            track,
        };
        s.items.push(item);
        let new = s.items.len() - 1;
        if last {
            s.order.push(new);
            if let Some(u) = &mut s.unshuffled {
                u.push(new);
            }
        } else {
            let after = after.unwrap_or(s.order[s.pos]);
            insert_after(&mut s.order, after, new);
            if let Some(u) = &mut s.unshuffled {
                insert_after(u, after, new);
            }
        }
        sessions.entries += 1;
        Ok(())
    }

    /// Set Playback Mode to Loop.
    pub(crate) fn set_loop(&self, user: &str, id: &str, body: &Value) -> Result<(), ApiError> {
        let mode = LoopMode::parse(str_at(body, "/loopMode"));
        self.with_session(user, id, |s| {
            s.loop_mode = mode;
            Ok(())
        })
    }

    /// Set Playback Mode to Shuffle.
    pub(crate) fn set_shuffle(&self, user: &str, id: &str, body: &Value) -> Result<(), ApiError> {
        let on = str_at(body, "/shuffleMode") == Some("SHUFFLE_ON");
        self.with_session(user, id, |s| {
            if on {
                s.shuffle_on();
            } else if let Some(order) = s.unshuffled.take() {
                let current = s.order[s.pos];
                s.pos = order.iter().position(|&i| i == current).unwrap_or(0);
                s.order = order;
            }
            Ok(())
        })
    }

    /// Get Active Sessions: the current entity of each active session, oldest session first.
    pub(crate) fn active(&self, user: &str, catalog: &Catalog) -> Value {
        let sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let mut mine: Vec<&Session> = sessions
            .by_id
            .values()
            .filter(|s| s.user == user && s.active && !s.order.is_empty())
            .collect();
        mine.sort_by_key(|s| s.created);
        let entities: Vec<Value> = mine
            .iter()
            .map(|s| s.entity(catalog, s.order[s.pos], true))
            .collect();
        json!({"data": {"entities": entities}})
    }

    /// Report Events, with the one-stream-per-user rule.
    pub(crate) fn report(&self, user: &str, body: &Value) -> Result<(), ApiError> {
        let session_id = str_at(body, "/event/sessionId").unwrap_or_default();
        let reference = str_at(body, "/event/entityReferenceId").unwrap_or_default();
        let metric = str_at(body, "/metricId").unwrap_or_default();
        let kind = str_at(body, "/event/type").unwrap_or_default();
        let auto = str_at(body, "/options/takeOverType") == Some("AUTO");

        let mut guard = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let sessions = &mut *guard;
        let session = match sessions.by_id.get_mut(session_id) {
            Some(s) if s.user == user => s,
            _ => {
                return Err(ApiError::not_found(format!(
                    "No playback session has the id {session_id}."
                )));
            }
        };
        let item = session.item_index(reference)?;
        if session.items[item].metric != metric {
            return Err(ApiError::bad_request(format!(
                "metricId {metric:?} is not the metricId of entity {reference}"
            )));
        }
        let is_current = session.order.get(session.pos) == Some(&item);
        match kind {
            "PLAYBACK_STARTED" | "PLAYBACK_RESUMED" => {
                let other = sessions
                    .streaming
                    .get(user)
                    .filter(|other| *other != session_id)
                    .filter(|other| sessions.by_id.get(*other).is_some_and(|s| s.active))
                    .cloned();
                if let Some(other) = other {
                    if auto {
                        return Err(ApiError::new(
                            StatusCode::TOO_MANY_REQUESTS,
                            "MAX_CONCURRENCY_REACHED",
                            "Another session of this user is streaming.",
                        )
                        .with_payload(json!({"sessionId": other})));
                    }
                    if let Some(s) = sessions.by_id.get_mut(&other) {
                        s.active = false;
                    }
                }
                if let Some(s) = sessions.by_id.get_mut(session_id) {
                    s.active = true;
                }
                sessions
                    .streaming
                    .insert(user.to_owned(), session_id.to_owned());
                if let Some(s) = sessions.by_id.get(session_id) {
                    self.history.record(user, s.items[item].track);
                }
            }
            "PLAYBACK_STOPPED"
                if sessions.streaming.get(user).map(String::as_str) == Some(session_id) =>
            {
                sessions.streaming.remove(user);
            }
            "PLAYBACK_FINISHED" if is_current => session.finished_current = true,
            _ => {}
        }
        Ok(())
    }
}

fn same(a: &TrackRef, b: &TrackRef) -> bool {
    a.album == b.album && a.index == b.index
}

fn insert_after(order: &mut Vec<usize>, after: usize, new: usize) {
    let at = order
        .iter()
        .position(|&i| i == after)
        .map_or(order.len(), |p| p + 1);
    order.insert(at, new);
}

/// The track `id` (a catalog id or the MRN a view gives) names.
fn find_track(catalog: &Catalog, id: &str) -> Result<TrackRef, ApiError> {
    catalog
        .track(catalog_id(id))
        .ok_or_else(|| ApiError::not_found(format!("No track has the id {id}.")))
}

/// The tracks of a container: all of an album's, or a single track given by id (a catalog id
/// or the MRN a view gives).
fn container_tracks(catalog: &Catalog, id: &str) -> Result<Vec<TrackRef>, ApiError> {
    if let Some(track) = catalog.track(catalog_id(id)) {
        return Ok(vec![track]);
    }
    let album_index = catalog
        .album_index(catalog_id(id))
        .ok_or_else(|| ApiError::not_found(format!("No album or track has the id {id}.")))?;
    let album = catalog.album_at(album_index);
    Ok((0..album.tracks.len())
        .map(|index| TrackRef {
            album: album_index,
            index,
        })
        .collect())
}

impl Session {
    /// The track of the current entity, if the queue has one.
    fn current_track(&self) -> Option<TrackRef> {
        self.order.get(self.pos).map(|&item| self.items[item].track)
    }

    fn next_pos(&self) -> Option<usize> {
        if self.order.is_empty() {
            return None;
        }
        match self.loop_mode {
            LoopMode::One => Some(self.pos),
            _ if self.pos + 1 < self.order.len() => Some(self.pos + 1),
            LoopMode::All => Some(0),
            LoopMode::Off => None,
        }
    }

    fn item_index(&self, reference: &str) -> Result<usize, ApiError> {
        self.items
            .iter()
            .position(|i| i.reference == reference)
            .ok_or_else(|| {
                ApiError::not_found(format!("Session {} has no entity {reference}.", self.id))
            })
    }

    fn shuffle_on(&mut self) {
        if self.unshuffled.is_some() || self.order.is_empty() {
            return;
        }
        self.unshuffled = Some(self.order.clone());
        let current = self.order[self.pos];
        let mut rest: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| i != current)
            .collect();
        self.prng.shuffle(&mut rest);
        // What has played stays played: the current entity leads the shuffled remainder.
        self.order = std::iter::once(current).chain(rest).collect();
        self.pos = 0;
    }

    fn actions(&self) -> Value {
        let next = match (self.next_pos(), self.skips_left) {
            (None, _) => json!({"isAllowed": false}),
            (Some(p), Some(0)) if p != self.pos && !self.finished_current => {
                json!({"isAllowed": false, "remainingSkips": 0, "disableType": "NO_MORE_SKIPS"})
            }
            (Some(_), Some(n)) => json!({"isAllowed": true, "remainingSkips": n}),
            (Some(_), None) => json!({"isAllowed": true}),
        };
        json!({
            "next": next,
            "previous": {"isAllowed": self.pos > 0},
            "shuffle": {"isAllowed": true},
            "loop": {"isAllowed": true},
        })
    }

    fn entity(&self, catalog: &Catalog, item: usize, with_actions: bool) -> Value {
        let item = &self.items[item];
        let album = catalog.album_at(item.track.album);
        let track = &album.tracks[item.track.index];
        let request = Prng::derived(0, &item.reference, self.prng.clone().next_u64()).uuid();
        let mut entity = json!({
            "sessionId": self.id,
            "entityReferenceId": item.reference,
            "metricId": item.metric,
            "track": {
                "id": track.id,
                "type": "Track",
                "mediaType": "AUDIO",
                "url": album.track_url(track),
                "playbackInformation": {
                    "url": format!(
                        "https://d17vo8z6jop21h.cloudfront.net/api/DashDrm.mpd?asin={}&v=opus_flac_e&drm=wv&r={request}",
                        track.id
                    ),
                    "protocol": "DASH",
                    "format": "ENCRYPTED_OPUS_FLAC",
                    "licenseHeaders": {
                        "x-amz-music-rid": request,
                        "x-amz-music-asin": track.id,
                        "x-amz-target": "com.amazon.digitalmusiclocator.DigitalMusicLocatorServiceExternal.getLicenseForPlaybackV3",
                        "x-amz-music-device-id": self.device,
                        "x-amz-music-drm-type": "WIDEVINE",
                    },
                },
                "title": track.title,
                "subtitle": album.subtitle(),
                "isrc": track.isrc,
            },
        });
        if with_actions {
            entity["actions"] = self.actions();
        }
        entity
    }

    /// The current entity, with its actions, then up to `window` entities queued after it.
    fn response(&mut self, catalog: &Catalog, window: Option<usize>) -> Value {
        // Each answer carries a fresh stream request id, as the service's do.
        self.prng.next_u64();
        let window = window.unwrap_or(self.window);
        let entities: Vec<Value> = self
            .order
            .iter()
            .skip(self.pos)
            .take(window + 1)
            .enumerate()
            .map(|(n, &item)| self.entity(catalog, item, n == 0))
            .collect();
        json!({"data": {"entities": entities}})
    }
}
