//! The bounds the client checks before sending are the spec's own: a cap changed in the spec
//! and not in the client (or the reverse) fails here, not against the real API.

use amazon_music::{albums, artists, browse, pagination, search, user};
use amazon_music_workspace_tests::spec::spec;

/// The inclusive `maximum` of a schema, as an integer.
fn as_cap(maximum: Option<(&serde_json::Number, bool)>) -> u64 {
    let (max, exclusive) = maximum.expect("a maximum");
    assert!(!exclusive, "an inclusive maximum");
    max.as_u64().expect("an integer maximum")
}

/// The `maximum` of the `limit` query parameter of `operation`.
fn limit_of(operation: &str) -> u64 {
    let spec = spec();
    let operation = spec.operation(operation).expect(operation);
    let limit = operation.parameter("limit").expect("a limit parameter");
    as_cap(
        spec.schemas()
            .get(limit.schema().expect("a schema"))
            .maximum(),
    )
}

#[test]
fn page_caps_are_the_specs() {
    for (operation, cap) in [
        ("getLibraryAlbums", pagination::MAX_PAGE_SIZE),
        ("getMyPlaylists", pagination::MAX_PAGE_SIZE),
        ("getFollowedArtists", pagination::MAX_PAGE_SIZE),
        ("getPodcastShow", pagination::MAX_PAGE_SIZE),
        ("getTopTracks", browse::MAX_TOP_TRACKS_PAGE_SIZE),
        ("getHomeView", browse::MAX_HOME_VIEW_LIMIT),
        (
            "getRecentlyPlayedTracks",
            user::MAX_RECENTLY_PLAYED_PAGE_SIZE,
        ),
    ] {
        assert_eq!(limit_of(operation), u64::from(cap), "{operation}");
    }
}

#[test]
fn the_search_body_cap_is_the_specs() {
    let spec = spec();
    let operation = spec.operation("searchTracks").unwrap();
    let body = operation
        .request_body()
        .unwrap()
        .json()
        .unwrap()
        .schema()
        .unwrap();
    let limit = spec
        .schemas()
        .get(body)
        .property("limit")
        .expect("a body limit");
    assert_eq!(
        as_cap(spec.schemas().get(limit).maximum()),
        u64::from(search::MAX_SEARCH_PAGE_SIZE)
    );
}

#[test]
fn batch_sizes_are_the_specs() {
    let spec = spec();
    for (operation, cap) in [
        ("getAlbums", albums::MAX_IDS_PER_REQUEST),
        ("getArtists", artists::MAX_IDS_PER_REQUEST),
    ] {
        let ids = spec.operation(operation).unwrap().parameter("ids").unwrap();
        let max = spec.schemas().get(ids.schema().unwrap()).max_items();
        assert_eq!(max, Some(cap as u64), "{operation}");
    }
}
