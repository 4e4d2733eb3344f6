//! The catalog's podcast shows and their episodes: the Podcast page's example (The Line) and
//! a few generated shows.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::draw::{ADJECTIVES, NOUNS, image, track_title};
use super::images::{Image, images_json};
use crate::prng::Prng;

/// An episode of a show.
#[derive(Debug, Clone)]
pub(crate) struct Episode {
    pub(crate) id: String,
    pub(crate) title: String,
    /// Running time in seconds.
    pub(crate) duration: u64,
    pub(crate) release_date: String,
}

/// A podcast show with every episode, newest last.
#[derive(Debug, Clone)]
pub(crate) struct Show {
    pub(crate) id: String,
    pub(crate) title: String,
    /// HTML, as the service sends it.
    pub(crate) description: String,
    pub(crate) images: Vec<Image>,
    pub(crate) episodes: Vec<Episode>,
}

/// Every show, the documented one first.
#[derive(Debug, Default)]
pub(crate) struct Shows {
    list: Vec<Show>,
    by_id: HashMap<String, usize>,
}

/// How many shows are generated besides the documented one.
const GENERATED: usize = 6;

/// The Line, as the Podcast page shows it; its other episodes are generated around the two
/// ids the page gives (the first episode's, and the one its page token points at).
fn the_line(prng: &mut Prng) -> Show {
    let mut episodes = vec![Episode {
        id: "4c580caf-3b61-4311-a9c5-2c006651aa23".to_owned(),
        title: "Introducing \"The Line\"".to_owned(),
        duration: 180,
        release_date: "2021-06-01T07:00:00.000Z".to_owned(),
    }];
    for n in 1..8 {
        episodes.push(Episode {
            id: if n == 7 {
                "7a0dc6a4-0ab8-46d5-9395-872a22110268".to_owned()
            } else {
                prng.uuid()
            },
            title: format!("Chapter {n}"),
            duration: prng.range(1800, 3600),
            release_date: format!("2021-{:02}-{:02}T07:00:00.000Z", 6 + n / 4, 1 + (n % 4) * 7),
        });
    }
    Show {
        id: "63825c25-4a0b-4389-a1cc-c72e5dc8bb7b".to_owned(),
        title: "The Line".to_owned(),
        description: "<p>In 2018, a group of Navy SEALs broke ranks ...</p>".to_owned(),
        images: vec![Image::new(image(prng), 1400, 1400)],
        episodes,
    }
}

fn generated(prng: &mut Prng) -> Show {
    let topic = format!("{} {}", prng.pick(&ADJECTIVES), prng.pick(&NOUNS));
    let title = match prng.below(3) {
        0 => format!("The {topic} Podcast"),
        1 => format!("{topic} Hour"),
        _ => format!("Inside {topic}"),
    };
    let count = prng.range(3, 25);
    let year = prng.range(2015, 2024);
    let episodes = (0..count)
        .map(|n| Episode {
            id: prng.uuid(),
            title: format!("{}. {}", n + 1, track_title(prng)),
            duration: prng.range(600, 5400),
            release_date: format!(
                "{}-{:02}-{:02}T07:00:00.000Z",
                year + n / 12,
                1 + n % 12,
                prng.range(1, 28)
            ),
        })
        .collect();
    Show {
        id: prng.uuid(),
        description: format!("<p>Conversations about {}.</p>", topic.to_lowercase()),
        images: vec![Image::new(image(prng), 1400, 1400)],
        title,
        episodes,
    }
}

impl Shows {
    /// The documented show, then shows drawn from `seed`.
    pub(crate) fn generate(seed: u64) -> Self {
        let mut prng = Prng::derived(seed, "podcasts", 0);
        let mut shows = Shows::default();
        let line = the_line(&mut prng);
        shows.push(line);
        for _ in 0..GENERATED {
            let show = generated(&mut prng);
            shows.push(show);
        }
        shows
    }

    fn push(&mut self, show: Show) {
        self.by_id.insert(show.id.clone(), self.list.len());
        self.list.push(show);
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Show> {
        self.by_id.get(id).map(|&at| &self.list[at])
    }

    pub(crate) fn all(&self) -> &[Show] {
        &self.list
    }
}

impl Show {
    pub(crate) fn url(&self) -> String {
        format!("https://music.amazon.com/podcasts/{}", self.id)
    }

    /// The show's own fields, without its episodes.
    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "url": self.url(),
            "images": images_json(&self.images),
        })
    }

    /// One of the show's episodes as a show's page of episodes lists it.
    pub(crate) fn episode_json(&self, episode: &Episode) -> Value {
        json!({
            "id": episode.id,
            "title": episode.title,
            "url": format!("{}/episodes/{}", self.url(), episode.id),
            "duration": episode.duration,
            "releaseDate": episode.release_date,
        })
    }
}
