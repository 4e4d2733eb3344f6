//! What the catalog is drawn from: word lists, genres and markets, and the drawing of names,
//! ids, codes and picture URLs from a seeded generator.

use crate::prng::Prng;

pub(crate) const MARKETS: [(&str, &str); 8] = [
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("JP", "Japan"),
    ("CA", "Canada"),
    ("ES", "Spain"),
    ("IT", "Italy"),
];
pub(crate) const ADJECTIVES: [&str; 24] = [
    "Electric", "Silent", "Golden", "Broken", "Endless", "Midnight", "Velvet", "Neon", "Hollow",
    "Crimson", "Distant", "Wild", "Paper", "Northern", "Burning", "Quiet", "Lonely", "Bright",
    "Secret", "Frozen", "Summer", "Restless", "Open", "Hidden",
];
pub(crate) const NOUNS: [&str; 24] = [
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
pub(crate) const LABELS: [&str; 8] = [
    "Mock Records",
    "Seeded Sound Ltd.",
    "Loopback Music",
    "Deterministic Discs",
    "Cursor & Token",
    "Localhost Recordings",
    "Port 0 Music",
    "Fixture Tapes",
];
/// The genres albums are filed under (the `categoryId`s of track searches).
pub(crate) const CATEGORIES: [&str; 10] = [
    "pop",
    "rock",
    "electronic",
    "hip-hop",
    "jazz",
    "classical",
    "country",
    "reggae",
    "indie",
    "folk",
];

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

pub(crate) fn asin(prng: &mut Prng) -> String {
    let mut id = String::from("B0");
    for _ in 0..8 {
        id.push(ALNUM[prng.below(ALNUM.len() as u64) as usize] as char);
    }
    id
}

pub(crate) fn isrc(prng: &mut Prng) -> String {
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

pub(crate) fn image(prng: &mut Prng) -> String {
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let name: String = (0..11)
        .map(|_| CHARS[prng.below(CHARS.len() as u64) as usize] as char)
        .collect();
    format!("https://m.media-amazon.com/images/I/{name}.jpg")
}

pub(crate) fn markets(prng: &mut Prng) -> Vec<(&'static str, &'static str)> {
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

pub(crate) fn artist_name(prng: &mut Prng) -> String {
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

/// A person's name, "Ada Rivers".
pub(crate) fn person_name(prng: &mut Prng) -> String {
    format!("{} {}", prng.pick(&FIRST), prng.pick(&LAST))
}

pub(crate) fn track_title(prng: &mut Prng) -> String {
    match prng.below(3) {
        0 => format!("{} {}", prng.pick(&ADJECTIVES), prng.pick(&NOUNS)),
        1 => format!("The {}", prng.pick(&NOUNS)),
        _ => format!("{} of {}", prng.pick(&NOUNS), prng.pick(&NOUNS)),
    }
}
