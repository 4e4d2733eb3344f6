//! What the in-process drift check costs per response, against the parse it cannot avoid.
//!
//! cargo bench -p amazon-music-spec --bench drift
//!
//! Prints the median time of `Spec::drift_in` on Get Album's documented example (the body the
//! client benchmark's calls carry) and of a bare parse of the same bytes that builds nothing
//! (`serde::de::IgnoredAny`). `ROUNDS=N` sets the rounds (default 20,000); `ONLY=drift|parse`
//! runs one of the two, for counting instructions under callgrind.

use std::hint::black_box;
use std::time::{Duration, Instant};

use amazon_music_spec::Spec;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let rounds = match std::env::var("ROUNDS") {
        Ok(text) => match text.parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("ROUNDS={text:?}: expected a positive number of rounds");
                std::process::exit(2);
            }
        },
        Err(_) => 20_000,
    };
    let only = std::env::var("ONLY").ok();
    let spec = match Spec::embedded() {
        Ok(spec) => spec,
        Err(error) => {
            eprintln!("the embedded spec does not compile: {error}");
            std::process::exit(1);
        }
    };
    let Some(operation) = spec.operation("getAlbum") else {
        eprintln!("the spec has no getAlbum");
        std::process::exit(1);
    };
    let Some(media) = operation.success().and_then(|response| response.json()) else {
        eprintln!("getAlbum has no JSON success response");
        std::process::exit(1);
    };
    let Some(schema) = media.schema() else {
        eprintln!("getAlbum's success response has no schema");
        std::process::exit(1);
    };
    let Some(example) = media.examples().first() else {
        eprintln!("getAlbum has no example");
        std::process::exit(1);
    };
    let body = serde_json::to_vec(example.value()).unwrap_or_default();
    let run = |name: &str| only.as_deref().is_none_or(|only| only == name);
    if run("drift") {
        let samples = (0..rounds)
            .map(|_| {
                let start = Instant::now();
                let found = spec.drift_in(schema, black_box(&body));
                black_box(found.is_ok());
                start.elapsed()
            })
            .collect();
        println!(
            "drift_in on {} bytes: median {:?}",
            body.len(),
            median(samples)
        );
    }
    if run("parse") {
        let samples = (0..rounds)
            .map(|_| {
                let start = Instant::now();
                let parsed = serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&body));
                black_box(parsed.is_ok());
                start.elapsed()
            })
            .collect();
        println!(
            "bare parse of {} bytes: median {:?}",
            body.len(),
            median(samples)
        );
    }
}
