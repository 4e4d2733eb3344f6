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
mod terminal;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::exit::Status;

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

/// Help and version go to stdout with success. A usage error is clap's own message, as clap
/// writes it (what is wrong, naming the argument, then the usage line and where help is), with
/// exit 2: a rewording of it would lose the argument's name.
fn usage_error(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
        // Includes `amazon-music` alone, or a command group without its subcommand: the help
        // says what there is, and it is still a usage error.
        _ => Status::Usage.into(),
    }
}
