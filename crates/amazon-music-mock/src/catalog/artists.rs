//! The catalog's artists: everyone credited on an album, and the Artists page's example
//! (Tash Sultana), each with pictures and a follower count.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::draw::image;
use super::images::{Image, images_json};
use crate::prng::Prng;

/// An artist of the catalog.
#[derive(Debug, Clone)]
pub(crate) struct ArtistEntry {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) images: Vec<Image>,
    /// Absent for the documented example, whose page shows none.
    pub(crate) follower_count: Option<u64>,
    /// The indices of the albums that credit the artist, in catalog order.
    pub(crate) albums: Vec<usize>,
}

/// Every artist of the catalog, in the order their first album appears.
#[derive(Debug, Default)]
pub(crate) struct Artists {
    list: Vec<ArtistEntry>,
    by_id: HashMap<String, usize>,
}

/// An artist's page on Amazon Music.
pub(crate) fn url(id: &str) -> String {
    format!("https://music.amazon.com/artists/{id}")
}

/// The Artists page's example, as the page shows it.
fn tash_sultana() -> ArtistEntry {
    ArtistEntry {
        id: "B01EJ9KLA6".to_owned(),
        name: "Tash Sultana".to_owned(),
        images: vec![
            Image::new(
                "https://m.media-amazon.com/images/I/71EUeu1uvbL.jpg",
                2560,
                1920,
            )
            .kind("BACKGROUND"),
            Image::new(
                "https://m.media-amazon.com/images/I/714AGFYsl8L.jpg",
                500,
                500,
            )
            .kind("PROFILE"),
        ],
        follower_count: None,
        albums: Vec::new(),
    }
}

impl Artists {
    /// The artists of `credits` (album index, artist id, artist name, in catalog order),
    /// then the documented one, with pictures and follower counts drawn from `seed`.
    pub(crate) fn index<'a>(
        seed: u64,
        credits: impl IntoIterator<Item = (usize, &'a str, &'a str)>,
    ) -> Self {
        let mut prng = Prng::derived(seed, "artists", 0);
        let mut artists = Artists::default();
        for (index, id, name) in credits {
            let at = match artists.by_id.get(id) {
                Some(&at) => at,
                None => artists.push(ArtistEntry {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    images: vec![
                        Image::new(image(&mut prng), 500, 500).kind("PROFILE"),
                        Image::new(image(&mut prng), 2560, 1920).kind("BACKGROUND"),
                    ],
                    follower_count: Some(prng.range(100, 5_000_000)),
                    albums: Vec::new(),
                }),
            };
            artists.list[at].albums.push(index);
        }
        if !artists.by_id.contains_key("B01EJ9KLA6") {
            artists.push(tash_sultana());
        }
        artists
    }

    fn push(&mut self, entry: ArtistEntry) -> usize {
        let at = self.list.len();
        self.by_id.insert(entry.id.clone(), at);
        self.list.push(entry);
        at
    }

    pub(crate) fn get(&self, id: &str) -> Option<&ArtistEntry> {
        self.by_id.get(id).map(|&at| &self.list[at])
    }

    pub(crate) fn all(&self) -> &[ArtistEntry] {
        &self.list
    }
}

impl ArtistEntry {
    /// The artist as Get Artist returns it.
    pub(crate) fn json(&self) -> Value {
        let mut artist = json!({
            "id": self.id,
            "globalAsin": self.id,
            "name": self.name,
            "url": url(&self.id),
            "images": images_json(&self.images),
        });
        if let Some(count) = self.follower_count {
            artist["followerCount"] = Value::from(count);
        }
        artist
    }
}
