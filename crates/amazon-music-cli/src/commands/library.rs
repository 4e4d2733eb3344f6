//! `amazon-music library list|add|remove`: the signed-in user's saved albums.

use amazon_music::Client;
use amazon_music_api::types::{LibraryAlbumEdge, SaveAlbumResult};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::album::{ALBUM_COLUMNS, AlbumView, album_row};
use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::ids;
use crate::listing::{self, Extent};
use crate::output::{self, Align, JsonArg, ListingFormat, Out, Table};

/// `amazon-music library`.
#[derive(Args, Debug)]
pub struct LibraryArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: LibraryCommand,
}

/// `amazon-music library ...`.
#[derive(Subcommand, Debug)]
pub enum LibraryCommand {
    /// List the library's albums, oldest saved first: the first page by default.
    #[command(after_help = "Examples:\n  amazon-music library list --limit 10\n  \
                            amazon-music library list --all --ndjson")]
    List {
        /// Every album, however many pages that takes.
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// At most this many albums [default: 100, one page]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
        /// Output format.
        #[command(flatten)]
        format: ListingFormat,
    },
    /// Save albums to the library (saving one already there changes nothing).
    Add {
        /// Album ids.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Remove albums from the library (removing one not there changes nothing).
    Remove {
        /// Album ids.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// A library entry as printed: the album, and how it came to the library.
#[derive(Debug, Serialize)]
pub struct LibraryEntry {
    /// The album.
    #[serde(flatten)]
    pub album: AlbumView,
    /// Bought rather than streamed.
    pub purchased: Option<bool>,
    /// Uploaded by the user.
    pub uploaded: Option<bool>,
}

impl From<&LibraryAlbumEdge> for LibraryEntry {
    fn from(edge: &LibraryAlbumEdge) -> Self {
        Self {
            album: AlbumView::from(&edge.node),
            purchased: edge.purchased,
            uploaded: edge.uploaded,
        }
    }
}

/// What saving or removing one album did.
#[derive(Debug, Serialize)]
struct Change {
    id: String,
    title: Option<String>,
    state: String,
}

impl From<&SaveAlbumResult> for Change {
    fn from(result: &SaveAlbumResult) -> Self {
        Self {
            id: result.album.id.to_string(),
            title: result.album.title.clone(),
            state: result.save_state.as_str().to_owned(),
        }
    }
}

/// Runs `library ...`.
pub async fn run(client: &Client, command: LibraryCommand) -> Result<Status, Failure> {
    match command {
        LibraryCommand::List { all, limit, format } => {
            list(client, Extent::new(all, limit), format).await
        }
        LibraryCommand::Add { ids, format } => change(client, &ids, format, true).await,
        LibraryCommand::Remove { ids, format } => change(client, &ids, format, false).await,
    }
}

#[derive(Serialize)]
struct Listing<'a> {
    albums: &'a [LibraryEntry],
}

async fn list(client: &Client, extent: Extent, format: ListingFormat) -> Result<Status, Failure> {
    let paginator = client.library_albums(extent.page_size())?;
    let gathered = listing::gather(paginator, extent, format, "albums", |edge| {
        LibraryEntry::from(edge)
    })
    .await?;
    let out = Out::stdout();
    if format.json {
        out.json(&Listing {
            albums: &gathered.items,
        })?;
    } else if !format.ndjson {
        let mut table = Table::new(&ALBUM_COLUMNS);
        for entry in &gathered.items {
            table.row(album_row(&entry.album));
        }
        out.table(&table)?;
        if gathered.more {
            output::note(&format!(
                "(the first {} albums; --all lists every one)",
                gathered.items.len()
            ));
        }
    }
    Ok(gathered.status())
}

#[derive(Serialize)]
struct Changes<'a> {
    results: &'a [Change],
}

/// Saves or removes each album in turn. Every id is checked before the first request; after
/// a refusal the albums already changed are printed, then the error.
async fn change(
    client: &Client,
    ids: &[String],
    format: JsonArg,
    save: bool,
) -> Result<Status, Failure> {
    let ids = ids::check_all("album id", ids)?;
    let mut changes = Vec::new();
    let mut failure = None;
    for id in ids {
        let result = if save {
            client.save_album(id).await
        } else {
            client.remove_album(id).await
        };
        match result {
            Ok(result) => changes.push(Change::from(&result)),
            Err(error) => {
                failure = Some(Failure::from(error));
                break;
            }
        }
    }
    let out = Out::stdout();
    if format.json {
        out.json(&Changes { results: &changes })?;
    } else if !changes.is_empty() {
        let mut table = Table::new(&[
            ("ID", Align::Left),
            ("STATE", Align::Left),
            ("TITLE", Align::Left),
        ]);
        for change in &changes {
            table.row(vec![
                change.id.clone(),
                change.state.clone(),
                change.title.clone().unwrap_or_default(),
            ]);
        }
        out.table(&table)?;
    }
    match failure {
        Some(failure) => Err(failure),
        None => Ok(Status::Success),
    }
}
