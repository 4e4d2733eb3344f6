//! `amazon-music album get ID...`: albums by id, batched through `Client::get_albums`.

use std::collections::HashSet;

use amazon_music::Client;
use amazon_music::albums::{AlbumBatch, MAX_IDS_PER_REQUEST};
use amazon_music_api::types::Album;
use clap::{Args, Subcommand};
use futures_util::{StreamExt, TryStreamExt, stream};
use serde::Serialize;

use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::ids;
use crate::output::{self, Align, JsonArg, Out, Table};

/// `amazon-music album`.
#[derive(Args, Debug)]
pub struct AlbumArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: AlbumCommand,
}

/// `amazon-music album ...`.
#[derive(Subcommand, Debug)]
pub enum AlbumCommand {
    /// Look albums up by id, any number at once (batched, 100 ids a request). Exits 1 when an
    /// id is unknown, after printing the others.
    #[command(after_help = "Example: amazon-music album get B0064UPU4G B00D3PLC1K")]
    Get {
        /// Album ids (ASINs).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// How many batch requests run at once: what the client does by default for one batch.
const CONCURRENT_BATCHES: usize = 4;

/// An album as the command line prints it (`--json` field names are part of the interface).
#[derive(Debug, Serialize)]
pub struct AlbumView {
    /// The catalog id (ASIN).
    pub id: String,
    /// The title.
    pub title: Option<String>,
    /// The artists' names, in the API's order.
    pub artists: Vec<String>,
    /// The record label.
    pub label: Option<String>,
    /// The release date, `YYYY-MM-DD`.
    pub release_date: Option<String>,
    /// How many tracks.
    pub track_count: Option<i32>,
    /// The total length in seconds.
    pub duration_seconds: Option<i64>,
}

impl From<&Album> for AlbumView {
    fn from(album: &Album) -> Self {
        Self {
            id: album.id.to_string(),
            title: album.title.clone(),
            artists: album
                .artists
                .iter()
                .filter_map(|a| a.name.clone())
                .collect(),
            label: album.label.clone(),
            release_date: album.release_date.map(|d| d.date_naive().to_string()),
            track_count: album.track_count,
            duration_seconds: album.duration,
        }
    }
}

/// The columns of an album table.
pub const ALBUM_COLUMNS: [(&str, Align); 6] = [
    ("ID", Align::Left),
    ("TITLE", Align::Left),
    ("ARTIST", Align::Left),
    ("TRACKS", Align::Right),
    ("LENGTH", Align::Right),
    ("RELEASED", Align::Left),
];

/// The cells of an album's row, in [`ALBUM_COLUMNS`] order.
pub fn album_row(album: &AlbumView) -> Vec<String> {
    vec![
        album.id.clone(),
        album.title.clone().unwrap_or_default(),
        album.artists.join(", "),
        album.track_count.map(|n| n.to_string()).unwrap_or_default(),
        album
            .duration_seconds
            .map(output::duration)
            .unwrap_or_default(),
        album.release_date.clone().unwrap_or_default(),
    ]
}

#[derive(Serialize)]
struct Found<'a> {
    albums: &'a [AlbumView],
    missing: &'a [String],
}

/// Runs `album ...`.
pub async fn run(client: &Client, command: AlbumCommand) -> Result<Status, Failure> {
    match command {
        AlbumCommand::Get { ids, format } => get(client, &ids, format).await,
    }
}

async fn get(client: &Client, ids: &[String], format: JsonArg) -> Result<Status, Failure> {
    let ids = ids::check_all("album id", ids)?;
    let mut seen = HashSet::new();
    let unique: Vec<&str> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
    // One request per hundred ids; the bar counts ids, and appears only when there is more
    // than one request to wait for.
    let chunks: Vec<Vec<&str>> = unique
        .chunks(MAX_IDS_PER_REQUEST)
        .map(<[&str]>::to_vec)
        .collect();
    let bar = if chunks.len() > 1 {
        output::progress(unique.len() as u64, "albums")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let batches: Vec<AlbumBatch> = stream::iter(chunks)
        .map(|chunk| {
            let bar = bar.clone();
            async move {
                let asked = chunk.len() as u64;
                let batch = client.get_albums(chunk).await;
                bar.inc(asked);
                batch
            }
        })
        .buffered(CONCURRENT_BATCHES)
        .try_collect()
        .await
        .inspect_err(|_| bar.finish_and_clear())?;
    bar.finish_and_clear();
    let mut albums = Vec::new();
    let mut missing = Vec::new();
    for batch in batches {
        albums.extend(batch.albums.iter().map(AlbumView::from));
        missing.extend(batch.missing);
    }

    let out = Out::stdout();
    if format.json {
        out.json(&Found {
            albums: &albums,
            missing: &missing,
        })?;
    } else if !albums.is_empty() {
        let mut table = Table::new(&ALBUM_COLUMNS);
        for album in &albums {
            table.row(album_row(album));
        }
        out.table(&table)?;
    }
    if missing.is_empty() {
        Ok(Status::Success)
    } else {
        let (noun, list) = match missing.as_slice() {
            [one] => ("id", one.clone()),
            many => ("ids", many.join(", ")),
        };
        Err(Failure::refused(format!(
            "RESOURCE_NOT_FOUND: no album has the {noun} {list}"
        )))
    }
}
