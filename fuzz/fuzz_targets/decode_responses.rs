//! Arbitrary bytes into every response type of the generated client: no panic, and whatever
//! decodes encodes back to an equal value.
#![no_main]

use amazon_music_api::types;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    macro_rules! each {
        ($($ty:ty),* $(,)?) => {$(
            if let Ok(value) = serde_json::from_slice::<$ty>(bytes) {
                let again = serde_json::to_vec(&value).unwrap();
                let back: $ty = serde_json::from_slice(&again).unwrap();
                assert_eq!(back, value);
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
});
