//! One module per command family; [`run`] dispatches a parsed command line to them.
//!
//! Commands that call the API get a [`amazon_music::Client`] built from the resolved
//! credentials (`crate::credentials`) and run on a single-threaded tokio runtime; the mock
//! starts its own multi-threaded one; `validate live` starts a single-threaded one of its own
//! once its spec and recordings are ready; `validate recorded` and `docs-check` need none.
//!
//! Sign-in (`login`, `logout`, `status`) is `auth.rs`; the sign-in it stores is the third
//! source of the token in `crate::credentials`.

pub mod album;
pub mod auth;
pub mod completions;
pub mod docs_check;
pub mod library;
pub mod mock;
pub mod playback;
pub mod validate;

use std::future::Future;

use amazon_music::Client;

use crate::cli::{ApiArgs, Cli, Command};
use crate::credentials::{Resolved, process_env};
use crate::exit::{Failure, Status};
use crate::output::note;
use crate::state::Store;

/// Runs the command the line asked for.
pub fn run(cli: Cli) -> Result<Status, Failure> {
    let verbose = cli.verbose;
    match cli.command {
        Command::Login(args) => auth::login(&args),
        Command::Logout(args) => auth::logout(&args),
        Command::Status(args) => auth::status(&args),
        Command::Album(args) => with_client(args.api.clone(), verbose, |client| async move {
            album::run(&client, args.command).await
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
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
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
