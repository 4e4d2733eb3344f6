//! `amazon-music`: the Amazon Music Web API from the command line.
//!
//! Search, the catalog, the user, the library and playback sessions (on the ergonomic client
//! `amazon-music`), the mock server (`amazon-music-mock`), and the conformance tools
//! (`amazon-music-conformance`) in one installable binary. Exit codes are in [`exit::Status`] and in `--help`.

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

use std::future::Future;
use std::process::ExitCode;

use amazon_music::Client;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command};
use crate::commands::{
    album, artist, auth, completions, docs_check, library, me, mock, playback, playlist, search,
    track, tracks, validate,
};
use crate::credentials::{ApiArgs, Resolved, process_env};
use crate::exit::{Failure, Status};
use crate::output::note;
use crate::state::Store;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    match run(cli) {
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

/// Runs the command the line asked for: the one place that knows every command, so that no
/// command needs to know the command line as a whole.
fn run(cli: Cli) -> Result<Status, Failure> {
    let verbose = cli.verbose;
    match cli.command {
        Command::Login(args) => auth::login(&args),
        Command::Logout(args) => auth::logout(&args),
        Command::Status(args) => auth::status(&args),
        Command::Search(args) => with_client(args.api.clone(), verbose, |client| async move {
            search::run(&client, args).await
        }),
        Command::Album(args) => with_client(args.api.clone(), verbose, |client| async move {
            album::run(&client, args.command).await
        }),
        Command::Track(args) => with_client(args.api.clone(), verbose, |client| async move {
            track::run(&client, args.command).await
        }),
        Command::Artist(args) => with_client(args.api.clone(), verbose, |client| async move {
            artist::run(&client, args.command).await
        }),
        Command::Playlist(args) => with_client(args.api.clone(), verbose, |client| async move {
            playlist::run(&client, args.command).await
        }),
        Command::Top(args) => with_client(args.api.clone(), verbose, |client| async move {
            tracks::top(&client, &args.command).await
        }),
        Command::Me(args) => with_client(args.api.clone(), verbose, |client| async move {
            me::run(&client, args).await
        }),
        Command::Recent(args) => with_client(args.api.clone(), verbose, |client| async move {
            tracks::recent(&client, &args).await
        }),
        Command::Library(args) => with_client(args.api.clone(), verbose, |client| async move {
            library::run(&client, args.command).await
        }),
        Command::Play(args) => with_client(args.api.clone(), verbose, |client| async move {
            playback::play(&client, &args, &Store::open(), verbose).await
        }),
        Command::Session(args) => with_client(args.api.clone(), verbose, |client| async move {
            let store = Store::open();
            playback::session(
                &client,
                &store,
                args.session.as_deref(),
                args.command,
                verbose,
            )
            .await
        }),
        Command::Sessions(args) => with_client(args.api.clone(), verbose, |client| async move {
            playback::sessions(&client, &args).await
        }),
        Command::Mock(args) => mock::run(args),
        Command::Validate(args) => validate::run(&args, verbose),
        Command::DocsCheck(args) => docs_check::run(&args, verbose),
        Command::Completions(args) => completions::completions(&args, Cli::command()),
        Command::Man => completions::man(Cli::command()),
    }
}

/// Resolves the credentials, builds the client and runs `command` to completion.
fn with_client<F, Fut>(api: ApiArgs, verbose: bool, command: F) -> Result<Status, Failure>
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<Status, Failure>>,
{
    let credentials = Resolved::resolve(&api, &process_env)?;
    if verbose {
        for line in credentials.describe() {
            note(&line);
        }
    }
    let client = credentials.client()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::refused(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(command(client))
}
