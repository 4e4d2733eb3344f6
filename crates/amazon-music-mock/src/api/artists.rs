//! Get Artist, Get Multiple Artists and Get Current User's Followed Artists.
//!
//! Who a user follows is drawn from the seed and the user (the contract has no operation
//! that follows or unfollows): the artists of the documented examples, then a few of the
//! catalog's.

use axum::extract::{Extension, Path, State};
use serde_json::{Value, json};

use super::request::{Answer, Context};
use crate::catalog::Catalog;
use crate::catalog::artists::ArtistEntry;
use crate::error::{ApiError, ok_json};
use crate::paging::{by_position, connection, position_token};
use crate::prng::Prng;
use crate::state::MockState;

/// Every user follows these first: Daft Punk, Tash Sultana, Pharrell Williams.
const FOLLOWED_FIRST: [&str; 3] = ["B000S9ULT8", "B01EJ9KLA6", "B000QJPQTA"];

/// The artists `user` follows, in the order they were followed.
pub(crate) fn followed<'a>(catalog: &'a Catalog, user: &str) -> Vec<&'a ArtistEntry> {
    let artists = catalog.artists();
    let mut list: Vec<&ArtistEntry> = FOLLOWED_FIRST
        .iter()
        .filter_map(|id| artists.get(id))
        .collect();
    let mut prng = Prng::derived(catalog.seed(), &format!("follows {user}"), 0);
    for _ in 0..prng.range(4, 12) {
        let artist = prng.pick(artists.all());
        if !list.iter().any(|a| a.id == artist.id) {
            list.push(artist);
        }
    }
    list
}

pub(crate) async fn get_artist(State(s): State<MockState>, Path(id): Path<String>) -> Answer {
    let artist =
        s.0.catalog
            .artists()
            .get(&id)
            .ok_or_else(|| ApiError::not_found(format!("No artist has the id {id}.")))?;
    Ok(ok_json(&json!({"data": {"artist": artist.json()}})))
}

/// Unknown ids are left out and the order asked is kept, as Get Multiple Albums does.
pub(crate) async fn get_artists(State(s): State<MockState>, Extension(ctx): Context) -> Answer {
    let ids = ctx.checked.query_list("ids").unwrap_or_default();
    let artists: Vec<Value> = ids
        .iter()
        .filter_map(|id| s.0.catalog.artists().get(id))
        .map(ArtistEntry::json)
        .collect();
    Ok(ok_json(&json!({"data": {"artists": artists}})))
}

pub(crate) async fn get_followed_artists(
    State(s): State<MockState>,
    Extension(ctx): Context,
) -> Answer {
    let artists = followed(&s.0.catalog, &ctx.user);
    let window = by_position(artists.len(), ctx.limit(100), ctx.cursor())?;
    let edges: Vec<Value> = artists[window.start..window.end]
        .iter()
        .map(|a| json!({"node": a.json()}))
        .collect();
    Ok(ok_json(&json!({"data": {"user": {
        "id": ctx.user,
        "followedArtists": connection(edges, position_token(window, artists.len())),
    }}})))
}
