//! The seeded catalog: albums, artists and tracks, and the two album operations.
//!
//! The catalog is generated once at start from the seed, so the same seed always serves the
//! same albums with the same ids. The albums the docs and the spec use as examples (Discovery,
//! Flowers, ...) are always there with the data the examples show.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::prng::Prng;

/// An artist of the catalog.
#[derive(Debug, Clone)]
pub(crate) struct Artist {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// A track, as it appears on its album.
#[derive(Debug, Clone)]
pub(crate) struct Track {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) isrc: String,
}

/// An album with everything Get Album returns.
#[derive(Debug, Clone)]
pub(crate) struct Album {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) short_title: String,
    pub(crate) artists: Vec<Artist>,
    pub(crate) release_date: String,
    pub(crate) duration: u64,
    pub(crate) tracks: Vec<Track>,
    pub(crate) image: String,
    pub(crate) label: String,
    pub(crate) markets: Vec<(&'static str, &'static str)>,
    pub(crate) explicit: bool,
    pub(crate) prime_eligible: bool,
}

/// Where a track lives: its album and its index on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrackRef {
    pub(crate) album: usize,
    pub(crate) index: usize,
}

/// The whole catalog, immutable once built.
#[derive(Debug)]
pub(crate) struct Catalog {
    albums: Vec<Album>,
    /// Get Album's answer per album, serialized once: the catalog never changes.
    rendered: Vec<std::sync::OnceLock<axum::body::Bytes>>,
    by_id: HashMap<String, usize>,
    tracks: HashMap<String, TrackRef>,
}

const MARKETS: [(&str, &str); 8] = [
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("JP", "Japan"),
    ("CA", "Canada"),
    ("ES", "Spain"),
    ("IT", "Italy"),
];
const ADJECTIVES: [&str; 24] = [
    "Electric", "Silent", "Golden", "Broken", "Endless", "Midnight", "Velvet", "Neon", "Hollow",
    "Crimson", "Distant", "Wild", "Paper", "Northern", "Burning", "Quiet", "Lonely", "Bright",
    "Secret", "Frozen", "Summer", "Restless", "Open", "Hidden",
];
const NOUNS: [&str; 24] = [
    "Harbor",
    "Dreams",
    "Skyline",
    "Echoes",
    "Garden",
    "Highway",
    "Rivers",
    "Mirrors",
    "Engines",
    "Lights",
    "Season",
    "Island",
    "Signals",
    "Horizon",
    "Shadows",
    "Tides",
    "Circus",
    "Machines",
    "Letters",
    "Stations",
    "Waves",
    "Heart",
    "Satellites",
    "Frontier",
];
const FIRST: [&str; 16] = [
    "Ada", "Miles", "Nina", "Otis", "Ruby", "Leon", "Maya", "Jonah", "Iris", "Theo", "Lena",
    "Hugo", "Zoe", "Felix", "Clara", "Omar",
];
const LAST: [&str; 16] = [
    "Rivers",
    "Stone",
    "Vega",
    "Marlow",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Reyes",
    "Novak",
    "Hart",
    "Quinn",
    "Sato",
    "Bauer",
    "Castillo",
    "Wren",
];
const BANDS: [&str; 12] = [
    "The",
    "Los",
    "Club",
    "Orchestra",
    "Collective",
    "Brothers",
    "Kids",
    "Society",
    "Union",
    "Parade",
    "Machine",
    "Sound",
];
const LABELS: [&str; 8] = [
    "Mock Records",
    "Seeded Sound Ltd.",
    "Loopback Music",
    "Deterministic Discs",
    "Cursor & Token",
    "Localhost Recordings",
    "Port 0 Music",
    "Fixture Tapes",
];
const DISCOVERY_TRACKS: [&str; 14] = [
    "One More Time",
    "Aerodynamic",
    "Digital Love",
    "Harder, Better, Faster, Stronger",
    "Crescendolls",
    "Nightvision",
    "Superheroes",
    "High Life",
    "Something About Us",
    "Voyager",
    "Veridis Quo",
    "Short Circuit",
    "Face to Face",
    "Too Long",
];

/// The albums the docs and the spec's examples name, with the data they show.
struct Documented {
    id: &'static str,
    title: &'static str,
    artist: (&'static str, &'static str),
    release_date: &'static str,
    first_track: Option<(&'static str, &'static str, &'static str)>,
    explicit: bool,
}

const DOCUMENTED: [Documented; 9] = [
    Documented {
        id: "B0064UPU4G",
        title: "Discovery",
        artist: ("B000S9ULT8", "Daft Punk"),
        release_date: "2001-03-07T05:00:00.000Z",
        first_track: Some(("B0064UPUDC", "One More Time", "GBDUW0000053")),
        explicit: false,
    },
    Documented {
        id: "B00D3PLC1K",
        title: "Around the world",
        artist: ("B000S9ULT8", "Daft Punk"),
        release_date: "1997-04-11T05:00:00.000Z",
        first_track: None,
        explicit: false,
    },
    Documented {
        id: "B091MTJT3P",
        title: "All Rebel Rockers",
        artist: ("B000QJQ3OW", "Michael Franti & Spearhead"),
        release_date: "2008-09-09T05:00:00.000Z",
        first_track: None,
        explicit: false,
    },
    Documented {
        id: "B0BS2SB6RC",
        title: "Endless Summer Vacation [Explicit]",
        artist: ("B000SWBB8Y", "Miley Cyrus"),
        release_date: "2023-03-10T05:00:00.000Z",
        first_track: Some(("B0BS2S4WXN", "Flowers", "USSM12209777")),
        explicit: true,
    },
    Documented {
        id: "B07B62ZK5S",
        title: "Paper Horizon",
        artist: ("B000MOCK01", "Ada Rivers"),
        release_date: "2018-03-16T05:00:00.000Z",
        first_track: None,
        explicit: false,
    },
    Documented {
        id: "B06VWVWDDH",
        title: "Velvet Signals",
        artist: ("B000MOCK02", "The Quiet Machines"),
        release_date: "2017-02-24T05:00:00.000Z",
        first_track: None,
        explicit: false,
    },
    Documented {
        id: "B0101GQZGA",
        title: "Northern Lights",
        artist: ("B000MOCK03", "Nina Vega"),
        release_date: "2015-06-01T05:00:00.000Z",
        first_track: None,
        explicit: false,
    },
    Documented {
        id: "B08XK843KK",
        title: "Midnight Stations",
        artist: ("B000MOCK04", "Leon Marlow"),
        release_date: "2021-03-19T05:00:00.000Z",
        first_track: None,
        explicit: false,
    },
    Documented {
        id: "B08XJQM7YV",
        title: "Restless Tides",
        artist: ("B000MOCK04", "Leon Marlow"),
        release_date: "2021-03-19T05:00:00.000Z",
        first_track: None,
        explicit: true,
    },
];

impl Catalog {
    /// The documented albums plus `generated` albums drawn from `seed`.
    pub(crate) fn generate(seed: u64, generated: usize) -> Self {
        let mut prng = Prng::derived(seed, "catalog", 0);
        let mut catalog = Catalog {
            albums: Vec::with_capacity(generated + DOCUMENTED.len()),
            rendered: Vec::new(),
            by_id: HashMap::new(),
            tracks: HashMap::new(),
        };
        let mut taken: std::collections::HashSet<String> = DOCUMENTED
            .iter()
            .flat_map(|d| {
                [d.id, d.artist.0]
                    .into_iter()
                    .chain(d.first_track.map(|t| t.0))
            })
            .map(str::to_owned)
            .collect();
        let mut fresh_id = |prng: &mut Prng| loop {
            let id = asin(prng);
            if taken.insert(id.clone()) {
                return id;
            }
        };

        for doc in &DOCUMENTED {
            let track_count = if doc.id == "B0064UPU4G" {
                14
            } else {
                prng.range(6, 14) as usize
            };
            let mut tracks = Vec::with_capacity(track_count);
            for i in 0..track_count {
                let track = match (i, doc.first_track) {
                    (0, Some((id, title, isrc))) => Track {
                        id: id.to_owned(),
                        title: title.to_owned(),
                        isrc: isrc.to_owned(),
                    },
                    _ => Track {
                        id: fresh_id(&mut prng),
                        title: match DISCOVERY_TRACKS.get(i) {
                            Some(title) if doc.id == "B0064UPU4G" => (*title).to_owned(),
                            _ => track_title(&mut prng),
                        },
                        isrc: isrc(&mut prng),
                    },
                };
                tracks.push(track);
            }
            let discovery = doc.id == "B0064UPU4G";
            catalog.push(Album {
                id: doc.id.to_owned(),
                title: doc.title.to_owned(),
                short_title: doc.title.trim_end_matches(" [Explicit]").to_owned(),
                artists: vec![Artist {
                    id: doc.artist.0.to_owned(),
                    name: doc.artist.1.to_owned(),
                }],
                release_date: doc.release_date.to_owned(),
                duration: if discovery || doc.id == "B00D3PLC1K" {
                    3660
                } else {
                    track_count as u64 * prng.range(150, 300)
                },
                tracks,
                image: if discovery {
                    "https://m.media-amazon.com/images/I/71bsHTr6idL.jpg".to_owned()
                } else {
                    image(&mut prng)
                },
                label: if discovery {
                    "Daft Life Ltd./ADA France".to_owned()
                } else {
                    prng.pick(&LABELS).to_string()
                },
                markets: if discovery {
                    vec![MARKETS[0]]
                } else {
                    markets(&mut prng)
                },
                explicit: doc.explicit,
                prime_eligible: !discovery,
            });
        }

        let artists: Vec<Artist> = (0..(generated / 4).max(1))
            .map(|_| Artist {
                id: fresh_id(&mut prng),
                name: artist_name(&mut prng),
            })
            .collect();
        for _ in 0..generated {
            let id = fresh_id(&mut prng);
            let mut album_artists = vec![prng.pick(&artists).clone()];
            if prng.below(8) == 0 {
                let featured = prng.pick(&artists).clone();
                if featured.id != album_artists[0].id {
                    album_artists.push(featured);
                }
            }
            let track_count = prng.range(4, 16) as usize;
            let tracks = (0..track_count)
                .map(|_| Track {
                    id: fresh_id(&mut prng),
                    title: track_title(&mut prng),
                    isrc: isrc(&mut prng),
                })
                .collect();
            let title = format!("{} {}", prng.pick(&ADJECTIVES), prng.pick(&NOUNS));
            let explicit = prng.below(5) == 0;
            catalog.push(Album {
                id,
                title: if explicit {
                    format!("{title} [Explicit]")
                } else {
                    title.clone()
                },
                short_title: title,
                artists: album_artists,
                release_date: format!(
                    "{}-{:02}-{:02}T05:00:00.000Z",
                    prng.range(1960, 2025),
                    prng.range(1, 12),
                    prng.range(1, 28)
                ),
                duration: track_count as u64 * prng.range(150, 330),
                tracks,
                image: image(&mut prng),
                label: prng.pick(&LABELS).to_string(),
                markets: markets(&mut prng),
                explicit,
                prime_eligible: prng.below(2) == 0,
            });
        }
        catalog
    }

    fn push(&mut self, album: Album) {
        let index = self.albums.len();
        for (track_index, track) in album.tracks.iter().enumerate() {
            self.tracks.insert(
                track.id.clone(),
                TrackRef {
                    album: index,
                    index: track_index,
                },
            );
        }
        self.by_id.insert(album.id.clone(), index);
        self.albums.push(album);
        self.rendered.push(std::sync::OnceLock::new());
    }

    /// How many albums there are.
    pub(crate) fn len(&self) -> usize {
        self.albums.len()
    }

    /// Every album id, in catalog order.
    pub(crate) fn album_ids(&self) -> impl Iterator<Item = &str> {
        self.albums.iter().map(|a| a.id.as_str())
    }

    pub(crate) fn album_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub(crate) fn album(&self, id: &str) -> Option<&Album> {
        self.by_id.get(id).map(|&i| &self.albums[i])
    }

    pub(crate) fn album_at(&self, index: usize) -> &Album {
        &self.albums[index]
    }

    pub(crate) fn track(&self, id: &str) -> Option<TrackRef> {
        self.tracks.get(id).copied()
    }

    /// Get Album: the full album's JSON answer, or 404.
    pub(crate) fn get_album(&self, id: &str) -> Result<axum::body::Bytes, ApiError> {
        let index = self
            .album_index(id)
            .ok_or_else(|| ApiError::not_found(format!("No album has the id {id}.")))?;
        Ok(self.rendered[index]
            .get_or_init(|| {
                let body = json!({ "data": { "album": self.albums[index].full_json() } });
                serde_json::to_vec(&body).unwrap_or_default().into()
            })
            .clone())
    }

    /// Get Multiple Albums: the known albums in the order asked, unknown ids left out
    /// (ledger entry `get-albums-unknown-ids`).
    pub(crate) fn get_albums(&self, ids: &[String]) -> Value {
        let albums: Vec<Value> = ids
            .iter()
            .filter_map(|id| self.album(id))
            .map(Album::full_json)
            .collect();
        json!({ "data": { "albums": albums } })
    }
}

impl Album {
    pub(crate) fn url(&self) -> String {
        format!("https://music.amazon.com/albums/{}", self.id)
    }

    pub(crate) fn track_url(&self, track: &Track) -> String {
        format!(
            "https://music.amazon.com/albums/{}?trackAsin={}",
            self.id, track.id
        )
    }

    /// What Get Album and Get Multiple Albums return.
    pub(crate) fn full_json(&self) -> Value {
        json!({
            "id": self.id,
            "globalAsin": self.id,
            "title": self.title,
            "shortTitle": self.short_title,
            "duration": self.duration,
            "url": self.url(),
            "releaseDate": self.release_date,
            "availableMarkets": self.markets.iter()
                .map(|(id, name)| json!({"id": id, "name": name}))
                .collect::<Vec<_>>(),
            "artists": self.artists.iter()
                .map(|a| json!({
                    "id": a.id,
                    "name": a.name,
                    "url": format!("https://music.amazon.com/artists/{}", a.id),
                }))
                .collect::<Vec<_>>(),
            "eligibility": {
                "isDownloadable": true,
                "isPurchaseable": true,
                "isPreviewable": true,
                "isPrimeEligible": self.prime_eligible,
            },
            "parentalSettings": {
                "isKidFriendly": false,
                "hasExplicitLanguage": self.explicit,
            },
            "tracks": self.tracks.iter()
                .map(|t| json!({"id": t.id, "title": t.title, "url": self.track_url(t)}))
                .collect::<Vec<_>>(),
            "trackCount": self.tracks.len(),
            "images": [{"height": 1800, "width": 1800, "url": self.image}],
            "label": self.label,
        })
    }

    /// The few fields the library and save responses carry.
    pub(crate) fn summary_json(&self) -> Value {
        json!({ "id": self.id, "title": self.title, "url": self.url() })
    }

    /// "Artist - Album", the playback entity's subtitle.
    pub(crate) fn subtitle(&self) -> String {
        let artists: Vec<&str> = self.artists.iter().map(|a| a.name.as_str()).collect();
        format!("{} - {}", artists.join(", "), self.title)
    }
}

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn asin(prng: &mut Prng) -> String {
    let mut id = String::from("B0");
    for _ in 0..8 {
        id.push(ALNUM[prng.below(ALNUM.len() as u64) as usize] as char);
    }
    id
}

fn isrc(prng: &mut Prng) -> String {
    let country = prng.pick(&MARKETS).0;
    let registrant: String = (0..3)
        .map(|_| ALNUM[prng.range(10, 35) as usize] as char)
        .collect();
    format!(
        "{country}{registrant}{:02}{:05}",
        prng.below(100),
        prng.below(100_000)
    )
}

fn image(prng: &mut Prng) -> String {
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let name: String = (0..11)
        .map(|_| CHARS[prng.below(CHARS.len() as u64) as usize] as char)
        .collect();
    format!("https://m.media-amazon.com/images/I/{name}.jpg")
}

fn markets(prng: &mut Prng) -> Vec<(&'static str, &'static str)> {
    let mut markets: Vec<_> = MARKETS
        .iter()
        .copied()
        .filter(|_| prng.below(3) != 0)
        .collect();
    if markets.is_empty() {
        markets.push(MARKETS[0]);
    }
    markets
}

fn artist_name(prng: &mut Prng) -> String {
    if prng.below(3) == 0 {
        format!(
            "{} {} {}",
            prng.pick(&BANDS),
            prng.pick(&ADJECTIVES),
            prng.pick(&NOUNS)
        )
    } else {
        format!("{} {}", prng.pick(&FIRST), prng.pick(&LAST))
    }
}

fn track_title(prng: &mut Prng) -> String {
    match prng.below(3) {
        0 => format!("{} {}", prng.pick(&ADJECTIVES), prng.pick(&NOUNS)),
        1 => format!("The {}", prng.pick(&NOUNS)),
        _ => format!("{} of {}", prng.pick(&NOUNS), prng.pick(&NOUNS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_catalog_other_seed_other_catalog() {
        let a = Catalog::generate(42, 1000);
        let b = Catalog::generate(42, 1000);
        let c = Catalog::generate(43, 1000);
        assert_eq!(a.len(), 1000 + DOCUMENTED.len());
        assert!(a.album_ids().eq(b.album_ids()));
        assert!(!a.album_ids().eq(c.album_ids()));
        let ids: std::collections::HashSet<_> = a.album_ids().collect();
        assert_eq!(ids.len(), a.len(), "album ids are unique");
    }

    #[test]
    fn documented_examples_are_present() {
        let catalog = Catalog::generate(0, 10);
        let discovery = catalog.album("B0064UPU4G").unwrap();
        assert_eq!(discovery.title, "Discovery");
        assert_eq!(discovery.artists[0].name, "Daft Punk");
        assert_eq!(discovery.tracks.len(), 14);
        assert_eq!(discovery.tracks[0].id, "B0064UPUDC");
        let flowers = catalog.track("B0BS2S4WXN").unwrap();
        let album = catalog.album_at(flowers.album);
        assert_eq!(album.id, "B0BS2SB6RC");
        assert_eq!(album.tracks[flowers.index].title, "Flowers");
        for id in [
            "B00D3PLC1K",
            "B091MTJT3P",
            "B07B62ZK5S",
            "B06VWVWDDH",
            "B0101GQZGA",
        ] {
            assert!(catalog.album(id).is_some(), "{id}");
        }
    }

    /// The documented Discovery album is the docs' example to the letter; the other documented
    /// albums are generated around their documented fields.
    #[test]
    fn discovery_is_the_docs_example_and_only_discovery() {
        let catalog = Catalog::generate(0, 10);
        let discovery = catalog.album("B0064UPU4G").unwrap();
        assert_eq!(
            discovery.image,
            "https://m.media-amazon.com/images/I/71bsHTr6idL.jpg"
        );
        assert_eq!(discovery.label, "Daft Life Ltd./ADA France");
        assert_eq!(discovery.markets, [("US", "United States")]);
        assert!(!discovery.prime_eligible);
        assert_eq!(discovery.subtitle(), "Daft Punk - Discovery");
        let json = discovery.full_json();
        assert_eq!(
            json["tracks"][0]["url"],
            "https://music.amazon.com/albums/B0064UPU4G?trackAsin=B0064UPUDC"
        );
        let other = catalog.album("B00D3PLC1K").unwrap();
        assert!(other.prime_eligible);
        assert_ne!(other.image, discovery.image);
        assert!(LABELS.contains(&other.label.as_str()), "{}", other.label);
    }

    /// Generated albums look like the real catalog's, in realistic proportions.
    #[test]
    fn generated_albums_have_valid_codes_and_varied_names() {
        let catalog = Catalog::generate(7, 2000);
        let generated: Vec<&Album> = (DOCUMENTED.len()..catalog.len())
            .map(|i| catalog.album_at(i))
            .collect();
        let share = |count: usize| count as f64 / generated.len() as f64;

        // An ISRC: a market's country, a three-letter registrant, two year and five digits.
        for track in generated.iter().flat_map(|a| &a.tracks) {
            let isrc = track.isrc.as_bytes();
            assert_eq!(isrc.len(), 12, "{}", track.isrc);
            assert!(MARKETS.iter().any(|(id, _)| id.as_bytes() == &isrc[..2]));
            assert!(
                isrc[2..5].iter().all(u8::is_ascii_uppercase),
                "{}",
                track.isrc
            );
            assert!(isrc[5..].iter().all(u8::is_ascii_digit), "{}", track.isrc);
        }
        for album in &generated {
            assert!(!album.markets.is_empty());
            assert!(album.markets.iter().all(|m| MARKETS.contains(m)));
        }
        let everywhere = generated
            .iter()
            .filter(|a| a.markets.len() == MARKETS.len());
        assert!(
            share(everywhere.count()) < 0.2,
            "markets are a random subset"
        );

        // One album in eight names a featured artist (when it is not the same artist).
        let featuring = generated.iter().filter(|a| a.artists.len() == 2).count();
        assert!((0.05..0.25).contains(&share(featuring)), "{featuring}");
        let featured = generated.iter().find(|a| a.artists.len() == 2).unwrap();
        assert_eq!(
            featured.subtitle(),
            format!(
                "{}, {} - {}",
                featured.artists[0].name, featured.artists[1].name, featured.title
            )
        );

        // One artist in three is a band ("The Velvet Harbor"), the rest a person.
        let artists: std::collections::BTreeSet<&str> = generated
            .iter()
            .flat_map(|a| a.artists.iter().map(|x| x.name.as_str()))
            .collect();
        let bands = artists
            .iter()
            .filter(|name| name.split(' ').count() == 3)
            .count();
        let ratio = bands as f64 / artists.len() as f64;
        assert!((0.15..0.5).contains(&ratio), "{bands} of {}", artists.len());

        // Track titles take three shapes, "The Harbor" among them.
        let titles: Vec<&str> = generated
            .iter()
            .flat_map(|a| a.tracks.iter().map(|t| t.title.as_str()))
            .collect();
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with("The ") && t.split(' ').count() == 2)
        );
        assert!(titles.iter().any(|t| t.contains(" of ")));
        assert!(
            titles.iter().any(|t| {
                let words: Vec<&str> = t.split(' ').collect();
                words.len() == 2 && ADJECTIVES.contains(&words[0]) && NOUNS.contains(&words[1])
            }),
            "an adjective and a noun"
        );

        // One album in five is explicit, and says so in its title.
        let explicit = generated.iter().filter(|a| a.explicit).count();
        assert!((0.1..0.3).contains(&share(explicit)), "{explicit}");
        for album in &generated {
            assert_eq!(album.title.ends_with(" [Explicit]"), album.explicit);
        }

        // Each market is kept with odds of two in three.
        let kept: usize = generated.iter().map(|a| a.markets.len()).sum();
        let kept = kept as f64 / (generated.len() * MARKETS.len()) as f64;
        assert!((0.55..0.8).contains(&kept), "{kept}");
    }

    /// Only Discovery carries the docs' track titles and the docs' running time; Around the
    /// World has the documented 3660 s too; the other documented albums are timed by their
    /// generated tracks.
    #[test]
    fn documented_albums_keep_only_their_own_documented_fields() {
        let catalog = Catalog::generate(0, 10);
        assert_eq!(catalog.album("B0064UPU4G").unwrap().duration, 3660);
        assert_eq!(catalog.album("B00D3PLC1K").unwrap().duration, 3660);
        for doc in DOCUMENTED
            .iter()
            .filter(|d| !["B0064UPU4G", "B00D3PLC1K"].contains(&d.id))
        {
            let album = catalog.album(doc.id).unwrap();
            let per_track = album.duration / album.tracks.len() as u64;
            assert_eq!(album.duration % album.tracks.len() as u64, 0, "{}", doc.id);
            assert!((150..=300).contains(&per_track), "{}: {per_track}", doc.id);
            for (i, track) in album.tracks.iter().enumerate().skip(1) {
                assert_ne!(
                    Some(&track.title.as_str()),
                    DISCOVERY_TRACKS.get(i),
                    "{}",
                    doc.id
                );
            }
        }
    }

    /// A seed gives the same catalog in every release, or recordings made against the mock stop
    /// reproducing: the generated albums of one seed, pinned as this code first drew them.
    #[test]
    fn a_seed_gives_the_same_catalog_in_every_release() {
        let catalog = Catalog::generate(5, 4);
        let shown: Vec<String> = (DOCUMENTED.len()..catalog.len())
            .map(|i| {
                let a = catalog.album_at(i);
                format!(
                    "{} {:?} by {} explicit={} prime={} markets={} tracks={} {}s",
                    a.id,
                    a.title,
                    a.artists[0].name,
                    a.explicit,
                    a.prime_eligible,
                    a.markets.len(),
                    a.tracks.len(),
                    a.duration
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "B0AC65VFQ2 \"Open Stations\" by Ada Bauer explicit=false prime=false markets=5 tracks=6 1740s",
                "B0AWEOP7L3 \"Restless Harbor\" by Ada Bauer explicit=false prime=true markets=5 tracks=15 3885s",
                "B0EWK3EDY6 \"Wild Harbor\" by Ada Bauer explicit=false prime=false markets=5 tracks=6 1224s",
                "B0V4W9S039 \"Frozen Letters [Explicit]\" by Ada Bauer explicit=true prime=false markets=5 tracks=8 1728s",
            ]
        );
    }

    /// A lookup renders the album asked for, documented or generated, with its own URL.
    #[test]
    fn get_album_answers_the_album_asked_for() {
        let catalog = Catalog::generate(3, 20);
        let generated = catalog.album_at(catalog.len() - 1).id.clone();
        for id in ["B00D3PLC1K", "B0064UPU4G", generated.as_str()] {
            let body: Value = serde_json::from_slice(&catalog.get_album(id).unwrap()).unwrap();
            assert_eq!(body["data"]["album"]["id"], id);
            assert_eq!(
                body["data"]["album"]["url"],
                format!("https://music.amazon.com/albums/{id}")
            );
        }
        assert_eq!(
            catalog.get_album("B000000000").unwrap_err().status.as_u16(),
            404
        );
    }

    #[test]
    fn get_albums_keeps_order_and_leaves_out_unknown_ids() {
        let catalog = Catalog::generate(0, 10);
        let ids = ["B00D3PLC1K", "B000000000", "B0064UPU4G"].map(String::from);
        let got = catalog.get_albums(&ids);
        let titles: Vec<&str> = got["data"]["albums"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Around the world", "Discovery"]);
    }
}
