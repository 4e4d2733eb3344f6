//! `amazon-music search`: tracks by default (`searchTracks`, paged), or everything the catalog
//! finds, grouped as the API groups it (`--everything`, `searchAll`).

use amazon_music::Client;
use amazon_music::search::{MAX_SEARCH_PAGE_SIZE, TrackSearch};
use amazon_music_api::types::{SearchSortBy, TrackFieldType, View};
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use serde::Serialize;

use super::track::{TRACK_COLUMNS, TrackView, track_row};
use crate::credentials::ApiArgs;
use crate::exit::{Failure, Status};
use crate::listing::{self, Extent};
use crate::output::{Align, ListingFormat, Out, Table};

/// The fields a track search can look in, as the API names them.
const FIELDS: [(&str, TrackFieldType); 9] = [
    ("id", TrackFieldType::Id),
    ("asin", TrackFieldType::Asin),
    ("albumId", TrackFieldType::AlbumId),
    ("albumName", TrackFieldType::AlbumName),
    ("artistId", TrackFieldType::ArtistId),
    ("artistName", TrackFieldType::ArtistName),
    ("categoryId", TrackFieldType::CategoryId),
    ("name", TrackFieldType::Name),
    ("isrc", TrackFieldType::Isrc),
];

/// The orders of a track search, as the API names them.
const SORTS: [(&str, SearchSortBy); 4] = [
    ("relevance", SearchSortBy::Relevance),
    ("release", SearchSortBy::Release),
    ("popularity", SearchSortBy::Popularity),
    ("name", SearchSortBy::Name),
];

/// `amazon-music search`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
    .args(["query", "field"])))]
#[command(after_help = "Examples:\n  amazon-music search \"one more time\"\n  \
                        amazon-music search --field artistName=\"Daft Punk\" --sort popularity --limit 5\n  \
                        amazon-music search discovery --everything --json")]
pub struct SearchArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to look for, anywhere in a track.
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Look for QUERY in one field only (repeatable; fields: id, asin, albumId, albumName,
    /// artistId, artistName, categoryId, name, isrc).
    #[arg(long, value_name = "FIELD=QUERY", value_parser = field_filter)]
    pub field: Vec<(TrackFieldType, String)>,
    /// The order of the tracks [default: relevance]
    #[arg(long, value_name = "ORDER", value_parser = sort_parser())]
    pub sort: Option<SearchSortBy>,
    /// Every track found, however many pages that takes.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// At most this many tracks (with --everything: per group) [default: one page, 100]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
    /// Search everything (albums, artists, playlists, tracks, ...), grouped as the API groups
    /// it, instead of tracks.
    #[arg(long, conflicts_with_all = ["field", "sort", "all", "ndjson"], requires = "query")]
    pub everything: bool,
    /// Output format.
    #[command(flatten)]
    pub format: ListingFormat,
}

/// The orders by name, completed by the shells.
fn sort_parser() -> impl clap::builder::TypedValueParser<Value = SearchSortBy> {
    PossibleValuesParser::new(SORTS.map(|(name, _)| name)).try_map(|name| {
        SORTS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, sort)| *sort)
            .ok_or_else(|| format!("no order {name:?}"))
    })
}

/// Parses `FIELD=QUERY`.
fn field_filter(text: &str) -> Result<(TrackFieldType, String), String> {
    let (name, query) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not FIELD=QUERY"))?;
    let field = FIELDS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, field)| *field)
        .ok_or_else(|| {
            let names: Vec<&str> = FIELDS.iter().map(|(known, _)| *known).collect();
            format!("no field {name:?}: one of {}", names.join(", "))
        })?;
    if query.trim().is_empty() {
        return Err(format!("the query of {name} is empty"));
    }
    Ok((field, query.to_owned()))
}

/// Runs `search`.
pub async fn run(client: &Client, args: SearchArgs) -> Result<Status, Failure> {
    if args.everything {
        let query = args.query.as_deref().unwrap_or_default();
        return everything(client, query, args.limit, args.format.json).await;
    }
    let extent = Extent::paged(args.all, args.limit, MAX_SEARCH_PAGE_SIZE);
    let mut filters = args.field.into_iter();
    let mut search = match args.query {
        Some(query) => TrackSearch::new(query),
        // The group requires a query or a field.
        None => match filters.next() {
            Some((field, query)) => TrackSearch::by(field, query),
            None => return Err(Failure::usage("search needs a QUERY or a --field")),
        },
    };
    for (field, query) in filters {
        search = search.field(field, query);
    }
    if let Some(sort) = args.sort {
        search = search.sort_by(sort);
    }
    let paginator = client.search_tracks(search.page_size(extent.page_size()))?;
    let gathered = listing::gather(paginator, extent, args.format, "tracks", |edge| {
        TrackView::from(&edge.node)
    })
    .await?;
    listing::print(
        &gathered,
        args.format,
        "tracks",
        "tracks",
        &TRACK_COLUMNS,
        track_row,
    )
}

/// One entity of a view, as printed.
#[derive(Debug, Serialize)]
struct EntityView {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    title: Option<String>,
}

/// One group of entities, as printed.
#[derive(Debug, Serialize)]
struct GroupView {
    title: Option<String>,
    entities: Vec<EntityView>,
}

fn groups(views: &[View]) -> Vec<GroupView> {
    views
        .iter()
        .flat_map(|view| &view.content.entity_groups)
        .map(|group| GroupView {
            title: group.title.clone(),
            entities: group
                .content
                .entities
                .iter()
                .map(|entity| EntityView {
                    kind: entity.type_.clone(),
                    id: entity.id.clone(),
                    title: entity.title.clone(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
struct Everything<'a> {
    groups: &'a [GroupView],
}

async fn everything(
    client: &Client,
    query: &str,
    limit: Option<u32>,
    json: bool,
) -> Result<Status, Failure> {
    let views = client.search_all(query, limit).await?;
    let groups = groups(&views);
    let out = Out::stdout();
    if json {
        out.json(&Everything { groups: &groups })?;
    } else {
        let mut table = Table::new(&[
            ("GROUP", Align::Left),
            ("TYPE", Align::Left),
            ("ID", Align::Left),
            ("TITLE", Align::Left),
        ]);
        for group in &groups {
            for entity in &group.entities {
                table.row(vec![
                    group.title.clone().unwrap_or_default(),
                    entity.kind.clone(),
                    entity.id.clone(),
                    entity.title.clone().unwrap_or_default(),
                ]);
            }
        }
        out.table(&table)?;
    }
    Ok(Status::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names offered on the command line are the API's own: each one is what the
    /// generated type parses and writes.
    #[test]
    fn field_and_sort_names_are_the_apis() {
        for (name, field) in FIELDS {
            assert_eq!(name.parse::<TrackFieldType>().unwrap(), field, "{name}");
            assert_eq!(field.to_string(), name);
        }
        for (name, sort) in SORTS {
            assert_eq!(name.parse::<SearchSortBy>().unwrap(), sort, "{name}");
            assert_eq!(sort.to_string(), name);
        }
    }

    #[test]
    fn a_field_filter_is_field_equals_query() {
        assert_eq!(
            field_filter("artistName=Daft Punk").unwrap(),
            (TrackFieldType::ArtistName, "Daft Punk".to_owned())
        );
        assert_eq!(
            field_filter("name=a=b").unwrap(),
            (TrackFieldType::Name, "a=b".to_owned())
        );
        assert!(field_filter("artist=x").unwrap_err().contains("artistName"));
        assert!(field_filter("name").is_err());
        assert!(field_filter("name= ").is_err());
    }
}
