//! The catalog's stations: the Station page's example (Pop Culture Radio), a station per
//! genre, and one for each of the first artists of the catalog.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::artists::Artists;
use super::draw::{CATEGORIES, image};
use super::images::{Image, images_json};
use crate::prng::Prng;

/// A station of the catalog.
#[derive(Debug, Clone)]
pub(crate) struct Station {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) images: Vec<Image>,
}

/// Every station, the documented one first.
#[derive(Debug, Default)]
pub(crate) struct Stations {
    list: Vec<Station>,
    by_id: HashMap<String, usize>,
}

/// How many artists of the catalog get a station of their own.
const ARTIST_STATIONS: usize = 8;

fn pop_culture_radio() -> Station {
    // The page gives these sizes, which do not match the file names; kept as shown.
    Station {
        id: "A3QXXOBP9MU5LY".to_owned(),
        name: "Pop Culture Radio".to_owned(),
        images: vec![
            Image::new("https://m.media-amazon.com/images/TopGenre.jpg", 2400, 2400),
            Image::new(
                "https://m.media-amazon.com/images/G/01/2400x2400_TopGenre.jpg",
                48,
                48,
            ),
            Image::new(
                "https://m.media-amazon.com/images/G/01_2400x2400_TopGenre.jpg",
                1000,
                1000,
            ),
        ],
    }
}

/// A station id: `A` and 13 letters or digits, the shape of the documented one.
fn station_id(prng: &mut Prng) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut id = String::from("A");
    for _ in 0..13 {
        id.push(ALNUM[prng.below(ALNUM.len() as u64) as usize] as char);
    }
    id
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl Stations {
    /// The documented station, then genre and artist stations drawn from `seed`.
    pub(crate) fn generate(seed: u64, artists: &Artists) -> Self {
        let mut prng = Prng::derived(seed, "stations", 0);
        let mut stations = Stations::default();
        stations.push(pop_culture_radio());
        let names = CATEGORIES
            .iter()
            .map(|c| format!("{} Radio", capitalized(c)))
            .chain(
                artists
                    .all()
                    .iter()
                    .take(ARTIST_STATIONS)
                    .map(|a| format!("{} Radio", a.name)),
            );
        for name in names {
            let id = loop {
                let id = station_id(&mut prng);
                if !stations.by_id.contains_key(&id) {
                    break id;
                }
            };
            let picture = image(&mut prng);
            stations.push(Station {
                id,
                name,
                images: vec![Image::new(picture, 1000, 1000)],
            });
        }
        stations
    }

    fn push(&mut self, station: Station) {
        self.by_id.insert(station.id.clone(), self.list.len());
        self.list.push(station);
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Station> {
        self.by_id.get(id).map(|&at| &self.list[at])
    }

    pub(crate) fn all(&self) -> &[Station] {
        &self.list
    }
}

impl Station {
    pub(crate) fn url(&self) -> String {
        format!("https://music.amazon.com/stations/{}", self.id)
    }

    /// The station as Get Station returns it.
    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "url": self.url(),
            "images": images_json(&self.images),
        })
    }
}
