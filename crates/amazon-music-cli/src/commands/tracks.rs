//! `amazon-music recent` and `amazon-music top tracks`: the tracks the user played lately, and
//! the catalog's most played.

use amazon_music::Client;
use amazon_music::browse::MAX_TOP_TRACKS_PAGE_SIZE;
use amazon_music::user::MAX_RECENTLY_PLAYED_PAGE_SIZE;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::track::{TRACK_COLUMNS, TrackView, track_row};
use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::listing::{self, Extent};
use crate::output::{Align, ListingFormat};

/// How much of a listing of tracks, and in which format.
#[derive(Args, Debug)]
pub struct TrackListing {
    /// Every track, however many pages that takes.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// At most this many tracks [default: one page]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Output format.
    #[command(flatten)]
    pub format: ListingFormat,
}

/// `amazon-music recent`.
#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  amazon-music recent --limit 10\n  \
                        amazon-music recent --all --ndjson")]
pub struct RecentArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// How many, and how printed (a page holds 60).
    #[command(flatten)]
    pub listing: TrackListing,
}

/// `amazon-music top`.
#[derive(Args, Debug)]
pub struct TopArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to list.
    #[command(subcommand)]
    pub command: TopCommand,
}

/// `amazon-music top ...`.
#[derive(Subcommand, Debug)]
pub enum TopCommand {
    /// The catalog's top tracks, most played first: the first page (20) by default.
    #[command(after_help = "Example: amazon-music top tracks --limit 5")]
    Tracks(TrackListing),
}

/// A recently played track: when, and which.
#[derive(Debug, Serialize)]
pub struct PlayedView {
    /// When it was played (RFC 3339), when the API says.
    pub played_at: Option<String>,
    /// The track.
    #[serde(flatten)]
    pub track: TrackView,
}

/// Runs `recent`.
pub async fn recent(client: &Client, args: &RecentArgs) -> Result<Status, Failure> {
    let listing = &args.listing;
    let extent = Extent::paged(listing.all, listing.limit, MAX_RECENTLY_PLAYED_PAGE_SIZE);
    let paginator = client.recently_played(extent.page_size())?;
    let gathered = listing::gather(paginator, extent, listing.format, "tracks", |edge| {
        PlayedView {
            played_at: edge.played_at.map(|at| at.to_rfc3339()),
            track: TrackView::from(&edge.node),
        }
    })
    .await?;
    let mut columns = vec![("PLAYED", Align::Left)];
    columns.extend(TRACK_COLUMNS);
    listing::print(
        &gathered,
        listing.format,
        "tracks",
        "tracks",
        &columns,
        |played| {
            let mut row = vec![played.played_at.clone().unwrap_or_default()];
            row.extend(track_row(&played.track));
            row
        },
    )
}

/// Runs `top ...`.
pub async fn top(client: &Client, command: &TopCommand) -> Result<Status, Failure> {
    match command {
        TopCommand::Tracks(listing) => {
            let extent = Extent::paged(listing.all, listing.limit, MAX_TOP_TRACKS_PAGE_SIZE);
            let paginator = client.top_tracks(extent.page_size())?;
            let gathered = listing::gather(paginator, extent, listing.format, "tracks", |edge| {
                TrackView::from(&edge.node)
            })
            .await?;
            listing::print(
                &gathered,
                listing.format,
                "tracks",
                "tracks",
                &TRACK_COLUMNS,
                track_row,
            )
        }
    }
}
