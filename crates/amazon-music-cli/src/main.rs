//! `amazon-music`: the Amazon Music Web API from the command line.
//!
//! Albums, the library and playback sessions (on the ergonomic client `amazon-music`), the
//! mock server (`amazon-music-mock`), and the conformance tools (`amazon-music-conformance`)
//! in one installable binary. Exit codes are in [`exit::Status`] and in `--help`.

mod checkout;
mod cli;
mod commands;
mod credentials;
mod exit;
mod ids;
mod listing;
mod output;
mod signal;
mod state;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::exit::{Failure, Status};

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(failure) => {
            failure.print();
            failure.status.into()
        }
    }
}

/// Help and version go to stdout with success; a usage error becomes one line and exit 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        // `amazon-music` alone, or a command group without its subcommand: the help says
        // what there is, and it is still a usage error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            Status::Usage.into()
        }
        _ => {
            let rendered = error.render().to_string();
            let message = rendered
                .lines()
                .find(|line| !line.trim().is_empty())
                .unwrap_or("invalid command line")
                .trim_start_matches("error: ");
            let help = usage_command(&rendered).unwrap_or_else(|| "amazon-music".to_owned());
            Failure::usage(message)
                .hint(format!("see '{help} --help'"))
                .print();
            Status::Usage.into()
        }
    }
}

/// The command a usage error is about (`amazon-music album get`), read from clap's usage line.
fn usage_command(rendered: &str) -> Option<String> {
    let usage = rendered
        .lines()
        .find_map(|line| line.trim().strip_prefix("Usage: "))?;
    let words: Vec<&str> = usage
        .split_whitespace()
        .take_while(|word| !word.starts_with(['[', '<', '-']))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}
