//! `amazon-music playlist get ID` and `playlist list`: one playlist, and the user's own.

use amazon_music::Client;
use amazon_music_api::types::Playlist;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::ids;
use crate::listing::{self, Extent};
use crate::output::{Align, JsonArg, ListingFormat, Out};

/// `amazon-music playlist`.
#[derive(Args, Debug)]
pub struct PlaylistArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: PlaylistCommand,
}

/// `amazon-music playlist ...`.
#[derive(Subcommand, Debug)]
pub enum PlaylistCommand {
    /// Look a playlist up by id. Exits 1 when there is no such playlist.
    #[command(after_help = "Example: amazon-music playlist get 4a5afe86-7316")]
    Get {
        /// The playlist id.
        #[arg(value_name = "ID")]
        id: String,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// List the signed-in user's playlists: the first page by default.
    #[command(after_help = "Examples:\n  amazon-music playlist list\n  \
                            amazon-music playlist list --all --ndjson")]
    List {
        /// Every playlist, however many pages that takes.
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// At most this many playlists [default: 100, one page]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
        /// Output format.
        #[command(flatten)]
        format: ListingFormat,
    },
}

/// A playlist as the command line prints it (`--json` field names are part of the interface).
#[derive(Debug, Serialize)]
pub struct PlaylistView {
    /// The playlist id.
    pub id: String,
    /// The title.
    pub title: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// `PUBLIC` or `PRIVATE`.
    pub visibility: Option<String>,
    /// How many tracks.
    pub track_count: Option<i32>,
    /// The playlist's page on Amazon Music.
    pub url: Option<String>,
}

impl From<&Playlist> for PlaylistView {
    fn from(playlist: &Playlist) -> Self {
        Self {
            id: playlist.id.to_string(),
            title: playlist.title.clone(),
            description: playlist.description.clone(),
            visibility: playlist.visibility.clone(),
            track_count: playlist.track_count,
            url: playlist.url.clone(),
        }
    }
}

const PLAYLIST_COLUMNS: [(&str, Align); 4] = [
    ("ID", Align::Left),
    ("TITLE", Align::Left),
    ("TRACKS", Align::Right),
    ("VISIBILITY", Align::Left),
];

fn playlist_row(playlist: &PlaylistView) -> Vec<String> {
    vec![
        playlist.id.clone(),
        playlist.title.clone().unwrap_or_default(),
        playlist
            .track_count
            .map(|n| n.to_string())
            .unwrap_or_default(),
        playlist.visibility.clone().unwrap_or_default(),
    ]
}

/// Runs `playlist ...`.
pub async fn run(client: &Client, command: PlaylistCommand) -> Result<Status, Failure> {
    match command {
        PlaylistCommand::Get { id, format } => {
            let playlist = client.get_playlist(ids::check("playlist id", &id)?).await?;
            let view = PlaylistView::from(&playlist);
            let out = Out::stdout();
            if format.json {
                out.json(&view)?;
            } else {
                let mut fields = vec![
                    ("id", view.id.clone()),
                    ("title", view.title.clone().unwrap_or_default()),
                ];
                let optional = [
                    ("description", view.description.clone()),
                    ("visibility", view.visibility.clone()),
                    ("tracks", view.track_count.map(|n| n.to_string())),
                    ("url", view.url.clone()),
                ];
                fields.extend(
                    optional
                        .into_iter()
                        .filter_map(|(label, value)| Some((label, value?))),
                );
                out.fields(&fields)?;
            }
            Ok(Status::Success)
        }
        PlaylistCommand::List { all, limit, format } => {
            let extent = Extent::new(all, limit);
            let paginator = client.my_playlists(extent.page_size())?;
            let gathered = listing::gather(paginator, extent, format, "playlists", |edge| {
                PlaylistView::from(&edge.node)
            })
            .await?;
            listing::print(
                &gathered,
                format,
                "playlists",
                "playlists",
                &PLAYLIST_COLUMNS,
                playlist_row,
            )
        }
    }
}
