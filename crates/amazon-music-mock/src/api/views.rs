//! Views, the composed screens of the Views pages (`_type`d objects: a View holds entity
//! groups, each a section of entities), and Get Home View.
//!
//! The home view's groups are the user's: what they played, the charts, new releases, their
//! playlists, stations, podcasts and the artists they follow. `limit` caps each group's
//! entities; the groups come a few at a time, the next ones by the view's
//! `content.nextPageToken` passed back as `cursor`.

use axum::extract::{Extension, State};
use serde_json::{Value, json};

use super::artists::followed;
use super::request::{Answer, Context};
use crate::catalog;
use crate::catalog::artists::ArtistEntry;
use crate::catalog::images::images_json;
use crate::catalog::podcasts::Show;
use crate::catalog::stations::Station;
use crate::catalog::{Album, Track};
use crate::error::ok_json;
use crate::paging::{by_position, position_token};
use crate::playlists::{Playlist, owned};
use crate::state::MockState;

/// `playParams` of a catalog item: its MRN, which playback takes.
fn mrn(kind: &str, key: &str, id: &str) -> Value {
    json!({"id": catalog::mrn(kind, key, id)})
}

fn artists_of(album: &Album) -> Vec<Value> {
    album
        .artists
        .iter()
        .map(|a| json!({"id": a.id, "name": a.name}))
        .collect()
}

pub(crate) fn album_entity(album: &Album) -> Value {
    json!({
        "_type": "Album",
        "id": album.id,
        "title": album.title,
        "artists": artists_of(album),
        "images": [{"url": album.image}],
        "playParams": mrn("album", "asin", &album.id),
    })
}

pub(crate) fn track_entity(album: &Album, track: &Track) -> Value {
    json!({
        "_type": "Track",
        "id": track.id,
        "title": track.title,
        "artists": artists_of(album),
        "images": [{"url": album.image}],
        "playParams": mrn("track", "asin", &track.id),
    })
}

pub(crate) fn artist_entity(artist: &ArtistEntry) -> Value {
    json!({
        "_type": "Artist",
        "id": artist.id,
        "title": artist.name,
        "images": images_json(&artist.images),
        "playParams": mrn("artist", "asin", &artist.id),
    })
}

pub(crate) fn station_entity(station: &Station) -> Value {
    json!({
        "_type": "Station",
        "id": station.id,
        "title": station.name,
        "images": images_json(&station.images),
        "playParams": mrn("station", "asin", &station.id),
    })
}

pub(crate) fn show_entity(show: &Show) -> Value {
    json!({
        "_type": "PodcastShow",
        "id": show.id,
        "title": show.title,
        "images": images_json(&show.images),
        "playParams": mrn("podcastshow", "id", &show.id),
    })
}

fn playlist_entity(playlist: &Playlist) -> Value {
    json!({
        "_type": "Playlist",
        "id": playlist.id,
        "title": playlist.title,
        "images": images_json(&playlist.images),
        "playParams": mrn("playlist", "id", &playlist.id),
    })
}

/// An entity group of `entities`, laid out as a list.
pub(crate) fn entity_group(id: &str, title: &str, entities: Vec<Value>) -> Value {
    json!({
        "_type": "EntityGroup",
        "id": id,
        "title": title,
        "viewType": "LIST",
        "content": {"_type": "EntityGroupContent", "entities": entities},
    })
}

/// Entity groups on one page of the home view.
const GROUPS_PER_PAGE: usize = 4;

pub(crate) async fn get_home_view(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let limit = ctx.limit(10);
    let catalog = &s.0.catalog;
    let user = ctx.user.as_str();

    let played: Vec<Value> =
        s.0.playback
            .history()
            .latest(user, limit)
            .into_iter()
            .map(|at| {
                let album = catalog.album_at(at.album);
                track_entity(album, &album.tracks[at.index])
            })
            .collect();
    let top: Vec<Value> = catalog
        .charts()
        .iter()
        .take(limit)
        .map(|at| {
            let album = catalog.album_at(at.album);
            track_entity(album, &album.tracks[at.index])
        })
        .collect();
    let mut newest: Vec<&Album> = catalog.albums().iter().collect();
    newest.sort_by(|a, b| b.release_date.cmp(&a.release_date));
    let releases: Vec<Value> = newest.into_iter().take(limit).map(album_entity).collect();
    let playlists: Vec<Value> = owned(catalog, user)
        .iter()
        .take(limit)
        .map(playlist_entity)
        .collect();
    let stations: Vec<Value> = catalog
        .stations()
        .all()
        .iter()
        .take(limit)
        .map(station_entity)
        .collect();
    let podcasts: Vec<Value> = catalog
        .shows()
        .all()
        .iter()
        .take(limit)
        .map(show_entity)
        .collect();
    let artists: Vec<Value> = followed(catalog, user)
        .into_iter()
        .take(limit)
        .map(artist_entity)
        .collect();

    let groups: Vec<Value> = [
        ("recently-played", "Recently played", played),
        ("top-tracks", "Top tracks", top),
        ("new-releases", "New releases", releases),
        ("your-playlists", "Your playlists", playlists),
        ("stations", "Stations for you", stations),
        ("podcasts", "Popular podcasts", podcasts),
        ("followed-artists", "Artists you follow", artists),
    ]
    .into_iter()
    .filter(|(_, _, entities)| !entities.is_empty())
    .map(|(id, title, entities)| entity_group(id, title, entities))
    .collect();
    let window = by_position(groups.len(), GROUPS_PER_PAGE, ctx.cursor())?;
    let mut content = json!({
        "_type": "ViewContent",
        "entityGroups": groups[window.start..window.end],
    });
    if let Some(token) = position_token(window, groups.len()) {
        content["nextPageToken"] = Value::String(token);
    }
    Ok(ok_json(&json!({"data": {
        "_type": "View",
        "id": "home",
        "images": [],
        "content": content,
    }})))
}
