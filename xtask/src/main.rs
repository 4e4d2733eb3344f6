//! `cargo xtask`: the maintainers' tasks of this workspace, one subcommand each.
//!
//! Each subcommand lives in its own module; `main` only parses arguments and reports errors.
//! Every failure is printed as a readable message with a non-zero exit code, never a panic.
//! The tools users run (the mock, `validate`, `docs-check`) live in the `amazon-music` command
//! line (`crates/amazon-music-cli`), which works outside a checkout too.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod build_cost;
mod fuzz_seeds;
mod generate;
mod spec_diff;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer tasks of the Amazon Music toolkit"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate crates/amazon-music-api from spec/openapi.yaml.
    Generate(generate::Args),
    /// One line per spec change since a git revision: where, which operations and generated
    /// items it touches, and the version the generated crate needs next.
    SpecDiff(spec_diff::Args),
    /// Write the fuzz targets' seed corpora (fuzz/corpus/) from the spec and the recordings.
    FuzzSeeds(fuzz_seeds::Args),
    /// Measure what depending on amazon-music costs an application's cold build (BENCHMARKS.md).
    BuildCost(build_cost::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate::run(&args),
        Command::SpecDiff(args) => spec_diff::run(&args),
        Command::FuzzSeeds(args) => fuzz_seeds::run(&args),
        Command::BuildCost(args) => build_cost::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root, found from this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
