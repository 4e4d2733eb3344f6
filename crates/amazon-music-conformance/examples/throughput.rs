//! Validation throughput: validates every recorded exchange under the given directories over
//! and over on one thread and prints responses per second. BENCHMARKS.md has the command.
//!
//! `cargo run --release -p amazon-music-conformance --example throughput -- SPEC DIR... [--total N]`

use std::path::PathBuf;
use std::time::Instant;

use amazon_music_conformance::{Exchange, Spec, Validator, parse_recorded};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let spec = args
        .next()
        .ok_or("usage: throughput SPEC DIR... [--total N]")?;
    let mut dirs = Vec::new();
    let mut total: usize = 1_000_000;
    while let Some(arg) = args.next() {
        if arg == "--total" {
            total = args.next().ok_or("--total needs a number")?.parse()?;
        } else {
            dirs.push(PathBuf::from(arg));
        }
    }
    let validator = Validator::new(Spec::load(&spec)?)?;
    let mut corpus: Vec<Exchange> = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                corpus.push(parse_recorded(&std::fs::read_to_string(&path)?)?);
            }
        }
    }
    if corpus.is_empty() {
        return Err("no recordings found".into());
    }
    // Warm-up, and a check that the corpus is what it should be: all conforming.
    for exchange in &corpus {
        let outcome = validator.validate(exchange, "corpus");
        if !outcome.violations.is_empty() {
            return Err(format!(
                "{} {} does not conform: {:?}",
                exchange.method, exchange.url, outcome.violations
            )
            .into());
        }
    }
    let started = Instant::now();
    let mut findings = 0;
    for i in 0..total {
        let outcome = validator.validate(&corpus[i % corpus.len()], "corpus");
        findings += outcome.violations.len() + outcome.drift.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "amazon-music-conformance: {total} responses ({} distinct) in {seconds:.3} s = {:.0} responses/s, {findings} findings",
        corpus.len(),
        total as f64 / seconds
    );
    Ok(())
}
