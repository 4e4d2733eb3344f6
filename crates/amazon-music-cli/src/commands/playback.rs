//! `amazon-music play`, `session ...` and `sessions`: start a playback session and drive it by
//! hand.
//!
//! A session is named by `--session ID`, or else is the one last started or driven against the
//! same base URL (`crate::state`). Taking a session up again needs one of its entities
//! (`Client::resume_session`): the one remembered with it, or, for a session this program has
//! not seen, its current entity from the active sessions.

use std::time::Duration;

use amazon_music::Client;
use amazon_music::playback::{PlayRequest, PlaybackSession, Report, TakeOver};
use amazon_music_api::types::{LoopMode, PlaybackAction, PlaybackEntity, PlaybackEventType};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde::Serialize;

use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::ids;
use crate::listing::{self, Extent};
use crate::output::{self, Align, JsonArg, ListingFormat, Out, Table, note};
use crate::state::{KnownSession, Store};

/// `amazon-music play`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("what").required(true).args(["track", "album", "tracks"])))]
#[command(after_help = "Examples:\n  amazon-music play --album B0064UPU4G\n  \
                        amazon-music play --tracks B0BS2S4WXN,B0064UPU5Q --shuffle")]
pub struct PlayArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// One track.
    #[arg(long, value_name = "ID")]
    pub track: Option<String>,
    /// A whole album, from its start.
    #[arg(long, value_name = "ID")]
    pub album: Option<String>,
    /// Tracks, in order (comma-separated, at most 100).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub tracks: Option<Vec<String>>,
    /// Shuffle the queue.
    #[arg(long)]
    pub shuffle: bool,
    /// Loop nothing, the current track or the whole queue.
    #[arg(long = "loop", value_name = "MODE")]
    pub loop_mode: Option<LoopArg>,
    /// Output format.
    #[command(flatten)]
    pub format: JsonArg,
}

/// A loop mode.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopArg {
    /// Loop nothing.
    Off,
    /// Repeat the current entity.
    One,
    /// Loop the whole queue.
    All,
}

/// On or off.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// A playback event to report.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventArg {
    /// PLAYBACK_STARTED
    Started,
    /// PLAYBACK_PAUSED
    Paused,
    /// PLAYBACK_RESUMED
    Resumed,
    /// PLAYBACK_STOPPED
    Stopped,
    /// PLAYBACK_FINISHED
    Finished,
}

/// `amazon-music session`.
#[derive(Args, Debug)]
#[command(
    after_help = "Without --session, the session last started with `play` or driven \
                        here against the same base URL is used; it is remembered in the \
                        data directory (AMAZON_MUSIC_STATE_DIR overrides where).\n\n\
                        Examples:\n  amazon-music session next\n  \
                        amazon-music session --session ID queue --limit 5\n  \
                        amazon-music session report started"
)]
pub struct SessionArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// The session to drive (see `amazon-music sessions`).
    #[arg(long, global = true, value_name = "ID")]
    pub session: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: SessionCommand,
}

/// `amazon-music session ...`.
#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// What is playing now.
    Current {
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Move to the next entity.
    Next {
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Move back to the previous entity.
    Previous {
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// The queue from the current entity on.
    Queue {
        /// The whole queue, however many pages that takes.
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// At most this many entities [default: 100, one page]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
        /// Output format.
        #[command(flatten)]
        format: ListingFormat,
    },
    /// Set the loop mode.
    Loop {
        /// off, one or all.
        mode: LoopArg,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Turn shuffle on or off.
    Shuffle {
        /// on or off.
        state: Switch,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Report what the player did with the current entity.
    Report {
        /// The event.
        event: EventArg,
        /// How far into the entity, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 0)]
        position: u64,
        /// Take over another stream of the user instead of failing with
        /// MAX_CONCURRENCY_REACHED.
        #[arg(long)]
        take_over: bool,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// `amazon-music sessions`.
#[derive(Args, Debug)]
pub struct SessionsArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// Output format.
    #[command(flatten)]
    pub format: ListingFormat,
}

/// A playback entity as printed (`--json` field names are part of the interface).
#[derive(Debug, Serialize)]
pub struct EntityView {
    /// The session it belongs to.
    pub session_id: String,
    /// The entity's id within the session.
    pub entity_reference_id: String,
    /// The track, when the entity is one.
    pub track: Option<TrackView>,
    /// Whether moving to the next entity is allowed.
    pub can_skip_next: bool,
    /// Whether moving back is allowed.
    pub can_skip_previous: bool,
    /// Skips left, when the user's tier limits them.
    pub remaining_skips: Option<i32>,
}

/// A track as printed.
#[derive(Debug, Serialize)]
pub struct TrackView {
    /// The catalog id.
    pub id: String,
    /// The title.
    pub title: Option<String>,
    /// What the API shows under the title (artist and album).
    pub subtitle: Option<String>,
}

/// No word from the service means no restriction announced.
fn allowed(action: Option<&PlaybackAction>) -> bool {
    action.is_none_or(|a| a.is_allowed)
}

impl From<&PlaybackEntity> for EntityView {
    fn from(entity: &PlaybackEntity) -> Self {
        let actions = entity.actions.as_ref();
        Self {
            session_id: entity.session_id.to_string(),
            entity_reference_id: entity.entity_reference_id.to_string(),
            track: entity.track.as_ref().map(|track| TrackView {
                id: track.id.to_string(),
                title: track.title.clone(),
                subtitle: track.subtitle.clone(),
            }),
            can_skip_next: allowed(actions.and_then(|a| a.next.as_ref())),
            can_skip_previous: allowed(actions.and_then(|a| a.previous.as_ref())),
            remaining_skips: actions
                .and_then(|a| a.next.as_ref())
                .and_then(|n| n.remaining_skips),
        }
    }
}

impl EntityView {
    fn title(&self) -> String {
        self.track
            .as_ref()
            .and_then(|t| t.title.clone())
            .unwrap_or_default()
    }

    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![("session", self.session_id.clone())];
        match &self.track {
            Some(track) => {
                fields.push(("track", track.id.clone()));
                fields.push(("title", track.title.clone().unwrap_or_default()));
                fields.push(("subtitle", track.subtitle.clone().unwrap_or_default()));
            }
            None => fields.push(("entity", self.entity_reference_id.clone())),
        }
        let next = match (self.can_skip_next, self.remaining_skips) {
            (false, _) => "not allowed".to_owned(),
            (true, Some(n)) => format!("allowed ({n} skips left)"),
            (true, None) => "allowed".to_owned(),
        };
        fields.push(("next", next));
        let previous = if self.can_skip_previous {
            "allowed"
        } else {
            "not allowed"
        };
        fields.push(("previous", previous.to_owned()));
        fields
    }
}

/// Prints one entity: its fields, or its JSON.
fn print_entity(entity: &PlaybackEntity, format: JsonArg) -> Result<(), Failure> {
    let view = EntityView::from(entity);
    let out = Out::stdout();
    if format.json {
        out.json(&view)
    } else {
        out.fields(&view.fields())
    }
}

/// Runs `play`.
pub async fn play(
    client: &Client,
    args: &PlayArgs,
    store: &Store,
    verbose: bool,
) -> Result<Status, Failure> {
    let mut request = if let Some(track) = &args.track {
        PlayRequest::track(ids::check("track id", track)?)
    } else if let Some(album) = &args.album {
        PlayRequest::album(ids::check("album id", album)?)
    } else {
        let tracks = args.tracks.as_deref().unwrap_or_default();
        PlayRequest::tracks(ids::check_all("track id", tracks)?)
    };
    if args.shuffle {
        request = request.shuffle(true);
    }
    if let Some(mode) = args.loop_mode {
        request = request.loop_mode(loop_mode(mode));
    }
    let session = client.start_playback(request).await?;
    remember(client, store, &session, verbose);
    print_entity(session.current(), args.format)?;
    Ok(Status::Success)
}

fn loop_mode(mode: LoopArg) -> LoopMode {
    match mode {
        LoopArg::Off => LoopMode::LoopOff,
        LoopArg::One => LoopMode::LoopOne,
        LoopArg::All => LoopMode::LoopAll,
    }
}

/// Remembers the session for the next `session` command; failing to is worth a warning, not
/// a failure of a command that did its work.
fn remember(client: &Client, store: &Store, session: &PlaybackSession, verbose: bool) {
    let known = KnownSession {
        base_url: client.base_url().to_owned(),
        session_id: session.id().to_owned(),
        entity_reference_id: session.current().entity_reference_id.to_string(),
    };
    match store.save(&known) {
        Ok(path) if verbose => note(&format!("session: remembered in {}", path.display())),
        Ok(_) => {}
        Err(why) => note(&format!(
            "warning: the session is not remembered ({why}); pass --session {} to the session commands",
            session.id()
        )),
    }
}

/// Takes up the session named by `--session`, or the remembered one.
async fn open(
    client: &Client,
    store: &Store,
    flag: Option<&str>,
    verbose: bool,
) -> Result<PlaybackSession, Failure> {
    let base_url = client.base_url();
    let (id, entity) = match flag {
        Some(id) => {
            let id = ids::check("session id", id)?;
            let remembered = store
                .find(base_url, id)?
                .map(|known| known.entity_reference_id);
            if verbose {
                note("session: from --session");
            }
            (id.to_owned(), remembered)
        }
        None => {
            let Some(last) = store.last(base_url)? else {
                return Err(Failure::usage(
                    "no session: pass --session ID (`amazon-music sessions` lists them) or start one with `amazon-music play`",
                ));
            };
            if verbose {
                let path = store.path().map(|p| p.display().to_string());
                note(&format!(
                    "session: the one remembered in {}",
                    path.unwrap_or_default()
                ));
            }
            (last.session_id, Some(last.entity_reference_id))
        }
    };
    let entity = match entity {
        Some(entity) => entity,
        None => client
            .active_sessions()
            .await?
            .into_iter()
            .find(|entity| entity.session_id.as_str() == id)
            .map(|entity| entity.entity_reference_id.to_string())
            .ok_or_else(|| {
                Failure::refused(format!(
                    "session {id:?} is not among the active sessions of this user"
                ))
                .hint("`amazon-music sessions` lists them; `amazon-music play` starts one")
            })?,
    };
    Ok(client.resume_session(&id, &entity).await?)
}

#[derive(Serialize)]
struct Mode<'a> {
    session_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    loop_mode: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shuffle: Option<bool>,
    up_next: Option<EntityView>,
}

#[derive(Serialize)]
struct Reported<'a> {
    session_id: &'a str,
    entity_reference_id: String,
    event: &'a str,
    position_seconds: u64,
}

/// Runs `session ...`.
pub async fn session(
    client: &Client,
    store: &Store,
    flag: Option<&str>,
    command: SessionCommand,
    verbose: bool,
) -> Result<Status, Failure> {
    let mut session = open(client, store, flag, verbose).await?;
    let out = Out::stdout();
    let status = match command {
        SessionCommand::Current { format } => {
            session.reload().await?;
            print_entity(session.current(), format)?;
            Status::Success
        }
        SessionCommand::Next { format } => {
            session.next().await?;
            print_entity(session.current(), format)?;
            Status::Success
        }
        SessionCommand::Previous { format } => {
            session.previous().await?;
            print_entity(session.current(), format)?;
            Status::Success
        }
        SessionCommand::Queue { all, limit, format } => {
            queue(&session, Extent::new(all, limit), format).await?
        }
        SessionCommand::Loop { mode, format } => {
            let mode = loop_mode(mode);
            let upcoming = session.set_loop(mode).await?;
            let name = mode.to_string();
            let view = Mode {
                session_id: session.id(),
                loop_mode: Some(&name),
                shuffle: None,
                up_next: upcoming.as_ref().map(EntityView::from),
            };
            print_mode(&out, &view, format.json)?;
            Status::Success
        }
        SessionCommand::Shuffle { state, format } => {
            let on = state == Switch::On;
            let upcoming = session.set_shuffle(on).await?;
            let view = Mode {
                session_id: session.id(),
                loop_mode: None,
                shuffle: Some(on),
                up_next: upcoming.as_ref().map(EntityView::from),
            };
            print_mode(&out, &view, format.json)?;
            Status::Success
        }
        SessionCommand::Report {
            event,
            position,
            take_over,
            format,
        } => {
            // The remembered entity may be behind the session: report against what plays now.
            session.reload().await?;
            let kind = event_type(event);
            let take_over = if take_over {
                TakeOver::Force
            } else {
                TakeOver::Auto
            };
            match session
                .report(kind, Duration::from_secs(position), take_over)
                .await?
            {
                Report::Recorded => {}
                Report::Conflict(error) => {
                    return Err(amazon_music::Error::Api(error).into());
                }
            }
            let event = kind.to_string();
            let view = Reported {
                session_id: session.id(),
                entity_reference_id: session.current().entity_reference_id.to_string(),
                event: &event,
                position_seconds: position,
            };
            if format.json {
                out.json(&view)?;
            } else {
                let title = EntityView::from(session.current()).title();
                out.text(&format!(
                    "reported {event} at {} of {title}\n",
                    output::duration(i64::try_from(position).unwrap_or(i64::MAX))
                ))?;
            }
            Status::Success
        }
    };
    // The session just driven, at the entity it is on now, is the one the next command drives.
    remember(client, store, &session, false);
    Ok(status)
}

fn event_type(event: EventArg) -> PlaybackEventType {
    match event {
        EventArg::Started => PlaybackEventType::PlaybackStarted,
        EventArg::Paused => PlaybackEventType::PlaybackPaused,
        EventArg::Resumed => PlaybackEventType::PlaybackResumed,
        EventArg::Stopped => PlaybackEventType::PlaybackStopped,
        EventArg::Finished => PlaybackEventType::PlaybackFinished,
    }
}

fn print_mode(out: &Out, view: &Mode<'_>, json: bool) -> Result<(), Failure> {
    if json {
        return out.json(view);
    }
    let mut fields = vec![("session", view.session_id.to_owned())];
    if let Some(mode) = view.loop_mode {
        fields.push(("loop", mode.to_owned()));
    }
    if let Some(on) = view.shuffle {
        fields.push(("shuffle", if on { "on" } else { "off" }.to_owned()));
    }
    let next = view
        .up_next
        .as_ref()
        .map_or_else(|| "nothing".to_owned(), EntityView::title);
    fields.push(("up next", next));
    out.fields(&fields)
}

const ENTITY_COLUMNS: [(&str, Align); 4] = [
    ("SESSION", Align::Left),
    ("TRACK", Align::Left),
    ("TITLE", Align::Left),
    ("SUBTITLE", Align::Left),
];

fn entity_row(entity: &EntityView) -> Vec<String> {
    let (id, title, subtitle) = match &entity.track {
        Some(track) => (
            track.id.clone(),
            track.title.clone().unwrap_or_default(),
            track.subtitle.clone().unwrap_or_default(),
        ),
        None => (
            entity.entity_reference_id.clone(),
            String::new(),
            String::new(),
        ),
    };
    vec![entity.session_id.clone(), id, title, subtitle]
}

#[derive(Serialize)]
struct Queue<'a> {
    session_id: &'a str,
    queue: &'a [EntityView],
}

async fn queue(
    session: &PlaybackSession,
    extent: Extent,
    format: ListingFormat,
) -> Result<Status, Failure> {
    let paginator = session.queue(extent.page_size())?;
    let gathered = listing::gather(paginator, extent, format, "entities", |entity| {
        EntityView::from(entity)
    })
    .await?;
    let out = Out::stdout();
    if format.json {
        out.json(&Queue {
            session_id: session.id(),
            queue: &gathered.items,
        })?;
    } else if !format.ndjson {
        let mut table = Table::new(&[
            ("#", Align::Right),
            ("TRACK", Align::Left),
            ("TITLE", Align::Left),
            ("SUBTITLE", Align::Left),
        ]);
        for (at, entity) in gathered.items.iter().enumerate() {
            let mut row = entity_row(entity);
            // The first entity is the current one.
            row[0] = if at == 0 {
                "now".into()
            } else {
                at.to_string()
            };
            table.row(row);
        }
        out.table(&table)?;
        if gathered.more {
            note(&format!(
                "(the first {} entities; --all lists every one)",
                gathered.items.len()
            ));
        }
    }
    Ok(gathered.status())
}

#[derive(Serialize)]
struct Sessions<'a> {
    sessions: &'a [EntityView],
}

/// Runs `sessions`: the current entity of each active session of the user.
pub async fn sessions(client: &Client, args: &SessionsArgs) -> Result<Status, Failure> {
    let entities = client.active_sessions().await?;
    let views: Vec<EntityView> = entities.iter().map(EntityView::from).collect();
    let out = Out::stdout();
    if args.format.json {
        out.json(&Sessions { sessions: &views })?;
    } else if args.format.ndjson {
        for view in &views {
            out.ndjson(view)?;
        }
    } else {
        let mut table = Table::new(&ENTITY_COLUMNS);
        for view in &views {
            table.row(entity_row(view));
        }
        out.table(&table)?;
    }
    Ok(Status::Success)
}
