//! `amazon-music track get ID`: one track of the catalog; and how a track is printed wherever
//! tracks are listed (search, top tracks, recently played).

use amazon_music::Client;
use amazon_music_api::types::Track;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::ids;
use crate::output::{self, Align, JsonArg, Out};

/// `amazon-music track`.
#[derive(Args, Debug)]
pub struct TrackArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: TrackCommand,
}

/// `amazon-music track ...`.
#[derive(Subcommand, Debug)]
pub enum TrackCommand {
    /// Look a track up by id. Exits 1 when the catalog does not know it.
    #[command(after_help = "Example: amazon-music track get B0064UPUDC")]
    Get {
        /// The track id (ASIN).
        #[arg(value_name = "ID")]
        id: String,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// A track as the command line prints it (`--json` field names are part of the interface).
#[derive(Debug, Serialize)]
pub struct TrackView {
    /// The catalog id (ASIN).
    pub id: String,
    /// The title.
    pub title: Option<String>,
    /// The artists' names, in the API's order.
    pub artists: Vec<String>,
    /// The album's id.
    pub album_id: Option<String>,
    /// The album's title.
    pub album: Option<String>,
    /// The length in seconds.
    pub duration_seconds: Option<i64>,
    /// The International Standard Recording Code.
    pub isrc: Option<String>,
    /// The track's page on Amazon Music.
    pub url: Option<String>,
}

impl From<&Track> for TrackView {
    fn from(track: &Track) -> Self {
        Self {
            id: track.id.to_string(),
            title: track.title.clone(),
            artists: track
                .artists
                .iter()
                .filter_map(|a| a.name.clone())
                .collect(),
            album_id: track.album.as_ref().map(|a| a.id.to_string()),
            album: track.album.as_ref().and_then(|a| a.title.clone()),
            duration_seconds: track.duration,
            isrc: track.isrc.clone(),
            url: track.url.clone(),
        }
    }
}

/// The columns of a track table.
pub const TRACK_COLUMNS: [(&str, Align); 5] = [
    ("ID", Align::Left),
    ("TITLE", Align::Left),
    ("ARTIST", Align::Left),
    ("ALBUM", Align::Left),
    ("LENGTH", Align::Right),
];

/// The cells of a track's row, in [`TRACK_COLUMNS`] order.
pub fn track_row(track: &TrackView) -> Vec<String> {
    vec![
        track.id.clone(),
        track.title.clone().unwrap_or_default(),
        track.artists.join(", "),
        track.album.clone().unwrap_or_default(),
        track
            .duration_seconds
            .map(output::duration)
            .unwrap_or_default(),
    ]
}

/// `label  value` lines of one track, for people.
pub fn track_fields(track: &TrackView) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("id", track.id.clone()),
        ("title", track.title.clone().unwrap_or_default()),
        ("artists", track.artists.join(", ")),
    ];
    if let Some(album) = &track.album {
        let id = track.album_id.clone().unwrap_or_default();
        fields.push(("album", format!("{album} ({id})")));
    }
    if let Some(seconds) = track.duration_seconds {
        fields.push(("length", output::duration(seconds)));
    }
    if let Some(isrc) = &track.isrc {
        fields.push(("isrc", isrc.clone()));
    }
    if let Some(url) = &track.url {
        fields.push(("url", url.clone()));
    }
    fields
}

/// Runs `track ...`.
pub async fn run(client: &Client, command: TrackCommand) -> Result<Status, Failure> {
    match command {
        TrackCommand::Get { id, format } => {
            let track = client.get_track(ids::check("track id", &id)?).await?;
            let view = TrackView::from(&track);
            let out = Out::stdout();
            if format.json {
                out.json(&view)?;
            } else {
                out.fields(&track_fields(&view))?;
            }
            Ok(Status::Success)
        }
    }
}
