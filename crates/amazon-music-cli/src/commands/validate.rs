//! `amazon-music validate`: checks recorded traffic (`recorded`) or a live run against the API
//! (`live`) with the spec, and reports violations, drift and coverage.
//!
//! Exit codes: 0 when everything conforms, 1 when anything violates the spec (or drifts, with
//! `--strict`), 2 when an input is unusable (the message names the file).

use clap::{Args as ClapArgs, Subcommand};

use crate::exit::{Failure, Status};

mod live;
mod recorded;
pub mod report;
mod suggest;

/// Arguments of `amazon-music validate`.
#[derive(ClapArgs, Debug)]
pub struct Args {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand, Debug)]
enum Mode {
    /// Validate recorded exchanges (`.json`, one exchange per file) and HAR 1.2 archives
    /// (`.har`); each PATH a file or a directory searched recursively. With --suggest, print
    /// the spec changes their drift calls for; with --apply, write them.
    #[command(
        after_help = "Examples:\n  amazon-music validate recorded spec/recordings \
                            --format junit > report.xml\n  amazon-music validate recorded \
                            recordings/ --suggest\n  amazon-music validate recorded recordings/ \
                            --apply && cargo xtask generate"
    )]
    Recorded(recorded::RecordedArgs),
    /// Call the API's read-only operations (and, with --allow-writes, mutating ones, undone
    /// afterwards) with the API key and token, and validate every response.
    #[command(after_help = "Example: amazon-music validate live --ids B0064UPU4G \
                            --record recordings/")]
    Live(live::LiveArgs),
}

/// Runs `amazon-music validate`.
pub fn run(args: &Args, verbose: bool) -> Result<Status, Failure> {
    match &args.mode {
        Mode::Recorded(recorded) if recorded.suggest || recorded.apply => suggest::run(
            &recorded.report,
            &recorded.paths,
            recorded.ledger.as_deref(),
            recorded.apply,
            verbose,
        ),
        Mode::Recorded(recorded) => recorded::run(recorded, verbose),
        Mode::Live(live) => live::run(live, verbose),
    }
}
