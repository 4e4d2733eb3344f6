//! Search Tracks and Search All, over the catalog.
//!
//! Text is compared word by word: lower-cased runs of letters and digits, so punctuation and
//! case never matter ("harder better" finds "Harder, Better, Faster, Stronger"). A text
//! filter matches when every word of its query is a word of the field; a filter without a
//! field (a match query) when every word is a word of the track's title, artists or album.
//! The other fields (`id`, `asin`, `albumId`, `artistId`, `categoryId`, `isrc`) match
//! whole, ignoring case. Every filter must match.
//!
//! Relevance favours the track's title: a title that is the query scores highest, then one
//! that starts with it, then one that holds every word; ties go to the more popular track,
//! then catalog order. `sortBy` `release` puts the newest first, `popularity` the most played,
//! `name` orders by title; each keeps relevance's order among equals.
//!
//! The spec bounds neither the number of filters nor a query's length; the mock takes at most
//! 50 filters and 1,000 characters a query (400 `BAD_REQUEST` beyond), so that no single
//! request can keep it busy.

use axum::extract::{Extension, State};
use serde_json::{Value, json};

use super::request::{Answer, Context};
use super::views::{
    album_entity, artist_entity, entity_group, show_entity, station_entity, track_entity,
};
use crate::catalog::{Album, Catalog, Track};
use crate::error::{ApiError, ok_json};
use crate::paging::{by_position, connection, position_token};
use crate::state::MockState;

/// Lower-cased words of `text`: runs of letters and digits.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How well `text` answers the query `wanted` (its words): `None` unless it holds every
/// word; most when it is the query, then when it starts with it.
fn text_score(wanted: &[String], text: &str) -> Option<u32> {
    let have = words(text);
    if !wanted.iter().all(|w| have.contains(w)) {
        return None;
    }
    Some(if have == wanted {
        1000
    } else if have.starts_with(wanted) {
        400
    } else {
        200
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Match,
    Id,
    AlbumId,
    AlbumName,
    ArtistId,
    ArtistName,
    CategoryId,
    Name,
    Isrc,
}

/// One filter of a Search Tracks body.
#[derive(Debug)]
struct Filter {
    field: Field,
    /// The query's words (text fields) or the whole query, lower-cased (the others).
    words: Vec<String>,
    whole: String,
}

impl Filter {
    fn parse(filter: &Value) -> Result<Self, ApiError> {
        let query = filter.get("query").and_then(Value::as_str).ok_or_else(|| {
            ApiError::bad_request("request body /searchFilters: query is required")
        })?;
        let field = match filter.get("field").and_then(Value::as_str) {
            None => Field::Match,
            Some("id" | "asin") => Field::Id,
            Some("albumId") => Field::AlbumId,
            Some("albumName") => Field::AlbumName,
            Some("artistId") => Field::ArtistId,
            Some("artistName") => Field::ArtistName,
            Some("categoryId") => Field::CategoryId,
            Some("name") => Field::Name,
            Some("isrc") => Field::Isrc,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "request body /searchFilters: field {other:?} is not a TrackFieldType"
                )));
            }
        };
        Ok(Self {
            field,
            words: words(query),
            whole: query.trim().to_lowercase(),
        })
    }

    /// The filter's score for `track` of `album`, `None` when it does not match.
    fn score(&self, album: &Album, track: &Track) -> Option<u32> {
        let exact = |value: &str| (value.to_lowercase() == self.whole).then_some(100);
        let text = |value: &str| text_score(&self.words, value);
        match self.field {
            Field::Id => exact(&track.id),
            Field::AlbumId => exact(&album.id),
            Field::ArtistId => album.artists.iter().find_map(|a| exact(&a.id)),
            Field::CategoryId => exact(album.category),
            Field::Isrc => exact(&track.isrc),
            Field::Name => text(&track.title),
            Field::AlbumName => text(&album.title),
            Field::ArtistName => album.artists.iter().filter_map(|a| text(&a.name)).max(),
            Field::Match => {
                let title = words(&track.title);
                let artists: Vec<String> =
                    album.artists.iter().flat_map(|a| words(&a.name)).collect();
                let album_words = words(&album.title);
                let mut score = 0;
                for word in &self.words {
                    let points = [(&title, 20), (&artists, 10), (&album_words, 5)]
                        .iter()
                        .filter(|(have, _)| have.contains(word))
                        .map(|(_, p)| *p)
                        .sum::<u32>();
                    if points == 0 {
                        return None;
                    }
                    score += points;
                }
                Some(score + text(&track.title).unwrap_or(0))
            }
        }
    }
}

/// How Search Tracks orders what matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Relevance,
    Release,
    Popularity,
    Name,
}

/// A track that matched: where it is and how well.
#[derive(Debug, Clone, Copy)]
struct Hit {
    album: usize,
    index: usize,
    score: u32,
}

/// Every track that matches all `filters`, in the order `sort` asks.
fn search(catalog: &Catalog, filters: &[Filter], sort: SortBy) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for (a, album) in catalog.albums().iter().enumerate() {
        for (index, track) in album.tracks.iter().enumerate() {
            let score = filters
                .iter()
                .map(|f| f.score(album, track))
                .try_fold(0, |sum, s| s.map(|s| sum + s));
            if let Some(score) = score {
                hits.push(Hit {
                    album: a,
                    index,
                    score,
                });
            }
        }
    }
    let track = |h: &Hit| {
        let album = catalog.album_at(h.album);
        (album, &album.tracks[h.index])
    };
    // Relevance first; the other orders are stable sorts on top of it.
    hits.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then_with(|| track(y).1.popularity.cmp(&track(x).1.popularity))
    });
    match sort {
        SortBy::Relevance => {}
        SortBy::Popularity => hits.sort_by_key(|h| std::cmp::Reverse(track(h).1.popularity)),
        SortBy::Release => hits.sort_by(|x, y| release(catalog, y).cmp(release(catalog, x))),
        SortBy::Name => hits.sort_by_cached_key(|h| track(h).1.title.to_lowercase()),
    }
    hits
}

/// When the track of `hit` came out (an ISO date, so it sorts as text).
fn release<'a>(catalog: &'a Catalog, hit: &Hit) -> &'a str {
    let album = catalog.album_at(hit.album);
    album.tracks[hit.index]
        .release_date
        .unwrap_or(&album.release_date)
}

/// The most filters a track search may have, and the longest query, in characters. The spec
/// sets neither; every filter and word is compared with every track, so without them one
/// request could keep the mock busy for minutes.
const MAX_FILTERS: usize = 50;
const MAX_QUERY: usize = 1000;

fn bounded(query: &str, at: &str) -> Result<(), ApiError> {
    if query.chars().count() > MAX_QUERY {
        return Err(ApiError::bad_request(format!(
            "{at} is longer than the {MAX_QUERY} characters this mock searches for"
        )));
    }
    Ok(())
}

pub(crate) async fn search_tracks(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let body = ctx.body();
    let filters = body
        .get("searchFilters")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_request("request body: searchFilters is required"))?;
    if filters.len() > MAX_FILTERS {
        return Err(ApiError::bad_request(format!(
            "request body /searchFilters has {} filters, more than the {MAX_FILTERS} this mock \
             searches by",
            filters.len()
        )));
    }
    for (at, filter) in filters.iter().enumerate() {
        let query = filter
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        bounded(query, &format!("request body /searchFilters/{at}/query"))?;
    }
    let filters = filters
        .iter()
        .map(Filter::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let sort = match body.get("sortBy").and_then(Value::as_str) {
        None | Some("relevance") => SortBy::Relevance,
        Some("release") => SortBy::Release,
        Some("popularity") => SortBy::Popularity,
        Some("name") => SortBy::Name,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "request body /sortBy: {other:?} is not a SearchSortBy"
            )));
        }
    };
    let limit = body
        .get("limit")
        .and_then(Value::as_u64)
        .map_or(100, |n| usize::try_from(n).unwrap_or(100));
    let catalog = &s.0.catalog;
    let hits = search(catalog, &filters, sort);
    let token = body.get("token").and_then(Value::as_str);
    let window = by_position(hits.len(), limit, token)?;
    let edges: Vec<Value> = hits[window.start..window.end]
        .iter()
        .map(|h| {
            let album = catalog.album_at(h.album);
            json!({"node": album.track_json(&album.tracks[h.index])})
        })
        .collect();
    Ok(ok_json(&json!({"data": {
        "searchTracks": connection(edges, position_token(window, hits.len())),
    }})))
}

/// Entities of one kind that matched, best first, with their scores.
type Scored = Vec<(u32, Value)>;

fn best(mut scored: Scored, limit: usize) -> Scored {
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    scored.truncate(limit);
    scored
}

pub(crate) async fn search_all(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let query = ctx.checked.query_str("query").unwrap_or_default();
    bounded(query, "query parameter query")?;
    let limit = ctx.limit(10);
    let catalog = &s.0.catalog;
    let wanted = words(query);
    let matching = |text: &str| {
        if wanted.is_empty() {
            None
        } else {
            text_score(&wanted, text)
        }
    };

    let artists = best(
        catalog
            .artists()
            .all()
            .iter()
            .filter_map(|a| Some((matching(&a.name)?, artist_entity(a))))
            .collect(),
        limit,
    );
    let albums = best(
        catalog
            .albums()
            .iter()
            .filter_map(|album| {
                let names: Vec<&str> = album.artists.iter().map(|a| a.name.as_str()).collect();
                let score = matching(&album.title).or_else(|| {
                    matching(&format!("{} {}", album.title, names.join(" "))).map(|s| s / 2)
                })?;
                Some((score, album_entity(album)))
            })
            .collect(),
        limit,
    );
    let tracks = if wanted.is_empty() {
        Vec::new()
    } else {
        let filter = Filter {
            field: Field::Match,
            words: wanted.clone(),
            whole: query.to_lowercase(),
        };
        search(catalog, std::slice::from_ref(&filter), SortBy::Relevance)
            .into_iter()
            .take(limit)
            .map(|h| {
                let album = catalog.album_at(h.album);
                (h.score, track_entity(album, &album.tracks[h.index]))
            })
            .collect()
    };
    let stations = best(
        catalog
            .stations()
            .all()
            .iter()
            .filter_map(|st| Some((matching(&st.name)?, station_entity(st))))
            .collect(),
        limit,
    );
    let podcasts = best(
        catalog
            .shows()
            .all()
            .iter()
            .filter_map(|show| Some((matching(&show.title)?, show_entity(show))))
            .collect(),
        limit,
    );

    // The best of every kind; among equal scores artists, then albums, then tracks.
    let top: Scored = best(
        [&artists, &albums, &tracks, &stations, &podcasts]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
        limit,
    );
    let mut groups = vec![entity_group("top-hits", "Top hits", strip(top))];
    for (id, title, found) in [
        ("artists", "Artists", artists),
        ("albums", "Albums", albums),
        ("tracks", "Songs", tracks),
        ("stations", "Stations", stations),
        ("podcasts", "Podcasts", podcasts),
    ] {
        if !found.is_empty() {
            groups.push(entity_group(id, title, strip(found)));
        }
    }
    Ok(ok_json(&json!({"data": [{
        "_type": "View",
        "id": "catalog",
        "title": "Catalog Data",
        "content": {"_type": "ViewContent", "entityGroups": groups},
    }]})))
}

fn strip(scored: Scored) -> Vec<Value> {
    scored.into_iter().map(|(_, entity)| entity).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(field: Option<&str>, query: &str) -> Filter {
        let mut value = json!({"query": query});
        if let Some(field) = field {
            value["field"] = Value::from(field);
        }
        Filter::parse(&value).unwrap()
    }

    fn ids(catalog: &Catalog, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| catalog.album_at(h.album).tracks[h.index].id.clone())
            .collect()
    }

    #[test]
    fn words_ignore_case_and_punctuation() {
        assert_eq!(
            words("Harder, Better; FASTER!"),
            ["harder", "better", "faster"]
        );
        assert_eq!(
            words("Happy (From \"Despicable Me 2\")"),
            ["happy", "from", "despicable", "me", "2"]
        );
        assert!(words(" ,.; ").is_empty());
    }

    #[test]
    fn a_match_query_finds_the_title_first_whatever_the_seed() {
        for seed in 0..4 {
            let catalog = Catalog::generate(seed, 1000);
            let hits = search(
                &catalog,
                &[filter(None, "one more time")],
                SortBy::Relevance,
            );
            assert_eq!(ids(&catalog, &hits)[0], "B0064UPUDC", "seed {seed}");
            // Words may come from the artist and the album too.
            let hits = search(
                &catalog,
                &[filter(None, "daft punk discovery")],
                SortBy::Relevance,
            );
            assert_eq!(hits.len(), 14);
            assert!(
                search(
                    &catalog,
                    &[filter(None, "one more zebra")],
                    SortBy::Relevance
                )
                .is_empty()
            );
        }
    }

    /// In a match query each word scores where it is found, the title most, then the
    /// artists, then the album, and the words' scores add up.
    #[test]
    fn a_match_querys_words_weigh_by_where_they_are_found() {
        let catalog = Catalog::generate(0, 10);
        let (album, track) = catalog.track_by_id("B0064UPUDC").unwrap();
        assert_eq!(
            (track.title.as_str(), album.title.as_str()),
            ("One More Time", "Discovery")
        );
        let score = |query: &str| filter(None, query).score(album, track).unwrap();
        assert!(score("time") > score("punk"), "the title before the artist");
        assert!(
            score("punk") > score("discovery"),
            "the artist before the album"
        );
        assert!(score("daft punk") > score("punk"));
        assert!(score("punk discovery") > score("punk"));
    }

    /// Relevance is not catalog order: a track whose title is the query comes before tracks
    /// that only hold its words, wherever it is in the catalog.
    #[test]
    fn a_title_that_is_the_query_leads_whatever_comes_first_in_the_catalog() {
        let catalog = Catalog::generate(0, 1000);
        let mut checked = 0;
        for (_, track) in catalog.all_tracks().collect::<Vec<_>>().into_iter().rev() {
            let query = track.title.to_lowercase();
            let hits = search(&catalog, &[filter(None, &query)], SortBy::Relevance);
            let title = |h: &Hit| words(&catalog.album_at(h.album).tracks[h.index].title);
            let mut in_catalog_order = hits.clone();
            in_catalog_order.sort_by_key(|h| (h.album, h.index));
            if title(&in_catalog_order[0]) == words(&query) {
                continue;
            }
            assert_eq!(title(&hits[0]), words(&query), "{query}");
            checked += 1;
            if checked == 20 {
                return;
            }
        }
        panic!("only {checked} titles had other matches before them");
    }

    #[test]
    fn every_field_filters_what_it_names() {
        let catalog = Catalog::generate(1, 200);
        let one = |field: &str, query: &str| {
            ids(
                &catalog,
                &search(&catalog, &[filter(Some(field), query)], SortBy::Relevance),
            )
        };
        assert!(one("id", "B0064UPUD").is_empty(), "an id matches whole");
        assert_eq!(one("id", "b0064upudc"), ["B0064UPUDC"]);
        assert_eq!(one("asin", "B076YT2CBT"), ["B076YT2CBT"]);
        assert_eq!(one("isrc", "usq4e1300686"), ["B076YT2CBT"]);
        assert_eq!(one("albumId", "B0064UPU4G").len(), 14);
        assert_eq!(one("albumName", "discovery").len(), 14);
        let daft = one("artistId", "B000S9ULT8");
        assert!(daft.len() > 14, "both Daft Punk albums");
        assert_eq!(one("artistName", "daft punk"), daft);
        assert_eq!(one("name", "digital love").len(), 1);
        let electronic = one("categoryId", "electronic");
        assert!(electronic.contains(&"B0064UPUDC".to_owned()));
        assert!(!electronic.contains(&"B0BS2S4WXN".to_owned()));
        // Filters combine: all must match.
        let both = search(
            &catalog,
            &[
                filter(Some("artistName"), "daft punk"),
                filter(None, "one more time"),
            ],
            SortBy::Relevance,
        );
        assert_eq!(ids(&catalog, &both), ["B0064UPUDC"]);
        assert!(Filter::parse(&json!({"field": "mood", "query": "x"})).is_err());
    }

    #[test]
    fn each_sort_orders_what_it_names() {
        let catalog = Catalog::generate(0, 300);
        let all = [filter(Some("artistId"), "B000S9ULT8")];
        let sorted = |sort| {
            search(&catalog, &all, sort)
                .iter()
                .map(|h| {
                    let album = catalog.album_at(h.album);
                    (album, &album.tracks[h.index])
                })
                .map(|(a, t)| (t.title.to_lowercase(), t.popularity, a.release_date.clone()))
                .collect::<Vec<_>>()
        };
        let by_name = sorted(SortBy::Name);
        assert!(by_name.windows(2).all(|w| w[0].0 <= w[1].0), "{by_name:?}");
        let by_popularity = sorted(SortBy::Popularity);
        assert!(by_popularity.windows(2).all(|w| w[0].1 >= w[1].1));
        let by_release = sorted(SortBy::Release);
        assert!(by_release.windows(2).all(|w| w[0].2 >= w[1].2));
        assert_ne!(by_release, by_name);
    }
}
