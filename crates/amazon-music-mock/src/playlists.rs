//! The playlists each user owns: a few drawn from the seed and the user, and the Playlist
//! page's example ("A day of Pink Floyd"), which every user's list shows as the page does.
//!
//! The contract has no operation that changes a playlist, so a user's playlists are worked
//! out from the catalog when asked for, the same every time.

use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::catalog::images::{Image, images_json};
use crate::prng::Prng;

/// A playlist and what its fields are worked out from.
#[derive(Debug, Clone)]
pub(crate) struct Playlist {
    pub(crate) id: String,
    pub(crate) title: String,
    /// The user who made it.
    pub(crate) curator: String,
    pub(crate) duration: u64,
    pub(crate) track_count: usize,
    pub(crate) images: Vec<Image>,
    pub(crate) visibility: &'static str,
    pub(crate) url: String,
}

/// The documented playlist's id.
pub(crate) const PINK_FLOYD: &str = "4a5afe86-7316";

const TITLES: [&str; 10] = [
    "Road Trip",
    "Focus",
    "Sunday Morning",
    "Workout Mix",
    "Late Night Drive",
    "Kitchen Disco",
    "Rainy Day",
    "Throwbacks",
    "Deep Work",
    "Summer Songs",
];

/// How many playlists of their own each user has, besides the documented one.
const OWN: usize = 3;

/// "A day of Pink Floyd", as the Playlist page shows it (its URL names another id than its
/// `id`, as there).
fn pink_floyd() -> Playlist {
    Playlist {
        id: PINK_FLOYD.to_owned(),
        title: "A day of Pink Floyd".to_owned(),
        curator: "yy7aiqasggy2violdby46fka".to_owned(),
        duration: 19988,
        track_count: 59,
        images: vec![
            Image::of_unknown_size("https://m.media-amazon.com/images/I/818RHu4x47L.jpg")
                .kind("PRIMARY"),
        ],
        visibility: "PRIVATE",
        url: "https://music.amazon.com/my/playlists/c49978fe-f7f7".to_owned(),
    }
}

/// `user`'s playlists: the documented one, then their own, the same for the same seed.
pub(crate) fn owned(catalog: &Catalog, user: &str) -> Vec<Playlist> {
    let mut prng = Prng::derived(catalog.seed(), &format!("playlists {user}"), 0);
    let mut titles = TITLES;
    prng.shuffle(&mut titles);
    let tracks: Vec<u64> = catalog.all_tracks().map(|(_, t)| t.duration).collect();
    let mut lists = vec![pink_floyd()];
    for title in titles.iter().take(OWN) {
        let id = prng.uuid();
        let count = prng.range(8, 40) as usize;
        let duration = (0..count)
            .map(|_| tracks[prng.below(tracks.len() as u64) as usize])
            .sum();
        lists.push(Playlist {
            url: format!("https://music.amazon.com/my/playlists/{id}"),
            id,
            title: (*title).to_owned(),
            curator: user.to_owned(),
            duration,
            track_count: count,
            images: vec![
                Image::of_unknown_size(
                    "https://images-na.ssl-images-amazon.com/images/Playlists.png",
                )
                .kind("PRIMARY"),
            ],
            visibility: if prng.below(2) == 0 {
                "PRIVATE"
            } else {
                "PUBLIC"
            },
        });
    }
    lists
}

impl Playlist {
    /// The playlist as Get Playlist and Get Current User's Playlists return it.
    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "curator": {"id": self.curator},
            "duration": self.duration,
            "trackCount": self.track_count,
            "images": images_json(&self.images),
            "eligibility": {
                "playback": {"canPlayOnDemand": true, "shuffleType": "INLINE"},
                "playbackSubscriptionTiers": [],
                "isDownloadable": false,
                "isPurchaseable": false,
                "isPreviewable": false,
                "isPrimeEligible": false,
            },
            "url": self.url,
            "visibility": self.visibility,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_playlist_is_as_the_page_shows_it() {
        let catalog = Catalog::generate(0, 5);
        let json = owned(&catalog, "u")[0].json();
        assert_eq!(
            json,
            json!({
                "id": "4a5afe86-7316",
                "curator": {"id": "yy7aiqasggy2violdby46fka"},
                "duration": 19988,
                "images": [{"url": "https://m.media-amazon.com/images/I/818RHu4x47L.jpg",
                            "imageType": "PRIMARY"}],
                "eligibility": {
                    "playback": {"canPlayOnDemand": true, "shuffleType": "INLINE"},
                    "playbackSubscriptionTiers": [],
                    "isDownloadable": false, "isPurchaseable": false,
                    "isPreviewable": false, "isPrimeEligible": false},
                "title": "A day of Pink Floyd",
                "trackCount": 59,
                "url": "https://music.amazon.com/my/playlists/c49978fe-f7f7",
                "visibility": "PRIVATE"
            })
        );
    }

    #[test]
    fn each_user_has_their_own_the_same_every_time() {
        let catalog = Catalog::generate(0, 5);
        let ids = |user: &str| -> Vec<String> {
            owned(&catalog, user).into_iter().map(|p| p.id).collect()
        };
        assert_eq!(ids("u"), ids("u"));
        assert_eq!(ids("u").len(), 1 + OWN);
        let (u, v) = (ids("u"), ids("v"));
        assert_eq!(u[0], v[0]);
        assert!(u[1..].iter().all(|id| !v.contains(id)));
        for list in &owned(&catalog, "u")[1..] {
            assert_eq!(list.curator, "u");
            assert!(list.duration >= list.track_count as u64 * 100);
        }
    }

    /// A seed gives each user the same playlists in every release, or recordings made against
    /// the mock stop reproducing.
    #[test]
    fn a_seed_gives_the_same_playlists_in_every_release() {
        let catalog = Catalog::generate(5, 4);
        let shown: Vec<String> = owned(&catalog, "u")
            .iter()
            .skip(1)
            .map(|p| {
                format!(
                    "{} {:?} {} tracks={}",
                    p.id, p.title, p.visibility, p.track_count
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "1b5ae83a-34a0-42f7-8146-117b40e6584b \"Throwbacks\" PRIVATE tracks=11",
                "4ae2f636-ac47-49e8-bc84-dfef12f200f6 \"Focus\" PRIVATE tracks=8",
                "2fbe49d4-f5b8-414e-a8fe-2c60e84fb495 \"Kitchen Disco\" PUBLIC tracks=37",
            ]
        );
    }

    /// A user's own playlists are drawn from the catalog's seed: another seed, other lists.
    #[test]
    fn another_seed_gives_the_same_user_other_playlists() {
        let ids = |seed: u64| -> Vec<String> {
            owned(&Catalog::generate(seed, 5), "u")
                .into_iter()
                .skip(1)
                .map(|p| p.id)
                .collect()
        };
        let (zero, one) = (ids(0), ids(1));
        assert_eq!(zero, ids(0));
        assert!(zero.iter().all(|id| !one.contains(id)), "{zero:?} {one:?}");
    }
}
