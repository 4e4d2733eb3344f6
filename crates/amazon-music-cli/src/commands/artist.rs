//! `amazon-music artist get ID...`: artists by id, batched through `Client::get_artists`.

use amazon_music::Client;
use amazon_music_api::types::Artist;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::ids;
use crate::output::{Align, JsonArg, Out, Table};

/// `amazon-music artist`.
#[derive(Args, Debug)]
pub struct ArtistArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: ArtistCommand,
}

/// `amazon-music artist ...`.
#[derive(Subcommand, Debug)]
pub enum ArtistCommand {
    /// Look artists up by id, any number at once (batched, 100 ids a request). Exits 1 when an
    /// id is unknown, after printing the others.
    #[command(after_help = "Example: amazon-music artist get B01EJ9KLA6")]
    Get {
        /// Artist ids (ASINs).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// An artist as the command line prints it (`--json` field names are part of the interface).
#[derive(Debug, Serialize)]
pub struct ArtistView {
    /// The catalog id (ASIN).
    pub id: String,
    /// The name.
    pub name: Option<String>,
    /// The artist's page on Amazon Music.
    pub url: Option<String>,
}

impl From<&Artist> for ArtistView {
    fn from(artist: &Artist) -> Self {
        Self {
            id: artist.id.to_string(),
            name: artist.name.clone(),
            url: artist.url.clone(),
        }
    }
}

#[derive(Serialize)]
struct Found<'a> {
    artists: &'a [ArtistView],
    missing: &'a [String],
}

/// Runs `artist ...`.
pub async fn run(client: &Client, command: ArtistCommand) -> Result<Status, Failure> {
    match command {
        ArtistCommand::Get { ids, format } => get(client, &ids, format).await,
    }
}

async fn get(client: &Client, ids: &[String], format: JsonArg) -> Result<Status, Failure> {
    let ids = ids::check_all("artist id", ids)?;
    let batch = client.get_artists(ids).await?;
    let artists: Vec<ArtistView> = batch.artists.iter().map(ArtistView::from).collect();
    let out = Out::stdout();
    if format.json {
        out.json(&Found {
            artists: &artists,
            missing: &batch.missing,
        })?;
    } else if !artists.is_empty() {
        let mut table = Table::new(&[
            ("ID", Align::Left),
            ("NAME", Align::Left),
            ("URL", Align::Left),
        ]);
        for artist in &artists {
            table.row(vec![
                artist.id.clone(),
                artist.name.clone().unwrap_or_default(),
                artist.url.clone().unwrap_or_default(),
            ]);
        }
        out.table(&table)?;
    }
    match batch.missing.as_slice() {
        [] => Ok(Status::Success),
        [one] => Err(Failure::refused(format!(
            "RESOURCE_NOT_FOUND: no artist has the id {one}"
        ))),
        many => Err(Failure::refused(format!(
            "RESOURCE_NOT_FOUND: no artist has the ids {}",
            many.join(", ")
        ))),
    }
}
