//! The fuzz targets' stable twin: arbitrary bytes and arbitrary JSON into every response type
//! of the generated client. Decoding may fail, never panic, and whatever decodes encodes again.
//!
//! CI runs a bounded number of cases; `fuzz/` has the cargo-fuzz targets for longer runs
//! (`cargo +nightly fuzz run decode_responses`).

use amazon_music_api::types;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use amazon_music_workspace_tests::spec::spec_shaped_json as json;

/// Decodes `bytes` into every response type; a type that accepts them must encode back to JSON
/// that decodes into an equal value.
fn decode_all(bytes: &[u8]) {
    macro_rules! each {
        ($($ty:ty),* $(,)?) => {$(
            if let Ok(value) = serde_json::from_slice::<$ty>(bytes) {
                let again = serde_json::to_vec(&value).expect("a decoded value encodes");
                let back: $ty = serde_json::from_slice(&again).expect("its encoding decodes");
                assert_eq!(back, value, "{} does not round-trip", stringify!($ty));
            }
        )*};
    }
    each!(
        types::ErrorResponse,
        types::GetAlbumResponse,
        types::GetAlbumsResponse,
        types::GetLibraryAlbumsResponse,
        types::PlaybackQueueResponse,
        types::PlaybackResponse,
        types::RemoveAlbumResponse,
        types::SaveAlbumResponse,
        types::GetTrackResponse,
        types::GetArtistResponse,
        types::GetArtistsResponse,
        types::GetFollowedArtistsResponse,
        types::GetPlaylistResponse,
        types::GetMyPlaylistsResponse,
        types::GetCurrentUserResponse,
        types::UpdateCurrentUserResponse,
        types::SearchTracksResponse,
        types::SearchAllResponse,
        types::GetPodcastShowResponse,
        types::GetStationResponse,
        types::GetTopTracksResponse,
        types::GetHomeViewResponse,
        types::GetRecentlyPlayedTracksResponse,
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json()) {
        decode_all(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn responses_with_arbitrary_data_never_panic(data in json(), error in json()) {
        // Under the envelope the generated types expect, so decoding gets past `data`.
        decode_all(&serde_json::to_vec(&serde_json::json!({"data": data})).unwrap());
        decode_all(&serde_json::to_vec(&serde_json::json!({"error": error})).unwrap());
    }
}

#[test]
fn the_generator_reaches_valid_responses() {
    // A fuzzer that never produced a decodable value would test only the first byte.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = json();
    let decoded = (0..2000)
        .filter(|_| {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            let wrapped = serde_json::json!({"data": value});
            serde_json::from_value::<types::PlaybackResponse>(wrapped.clone()).is_ok()
                || serde_json::from_value::<types::GetAlbumsResponse>(wrapped).is_ok()
        })
        .count();
    assert!(decoded > 0, "no generated value decoded");
}

/// The `decode_responses` target's seeds and every input that once failed it hold here too.
#[test]
fn the_fuzz_targets_seeds_and_regressions_replay() {
    amazon_music_workspace_tests::fuzz_inputs::replay("decode_responses", decode_all);
}
