//! The command line's shape (clap derive): the program, its global flags and the list of
//! commands. Each command's own flags and help live with the command (`crate::commands`);
//! the options several commands share live where they are used by meaning: where the API is
//! and who calls it with the credentials (`crate::credentials`), `--json` and `--ndjson` with
//! the output (`crate::output`).
//!
//! Flags that talk to the API (`--base-url`, `--api-key`, `--token`) belong to the commands
//! that call it and are accepted anywhere after them; `mock` has its own `--token` and
//! `--api-key` (what the mock accepts), so they are not global to the whole program.

use clap::{Parser, Subcommand};

use crate::commands::{
    album, artist, auth, completions, docs_check, library, me, mock, playback, playlist, search,
    track, tracks, validate,
};

/// The examples and exit codes shown at the end of `amazon-music --help`.
const AFTER_HELP: &str = "\
Examples:
  amazon-music login --client-id amzn1.application-oa2-client.0123
  amazon-music mock --addr 127.0.0.1:8080 &
  export AMAZON_MUSIC_BASE_URL=http://127.0.0.1:8080/v1 AMAZON_MUSIC_API_KEY=mock-api-key AMAZON_MUSIC_TOKEN=mock-token
  amazon-music library list --all
  amazon-music album get B0064UPU4G B00D3PLC1K
  amazon-music search \"one more time\" --limit 5
  amazon-music top tracks --json
  amazon-music play --album B0064UPU4G
  amazon-music session next
  amazon-music library list --ndjson | jq .title

Credentials come from --base-url, --api-key and --token, else from AMAZON_MUSIC_BASE_URL,
AMAZON_MUSIC_API_KEY and AMAZON_MUSIC_TOKEN, else (the token) from the sign-in `amazon-music
login` stored for --client-id / AMAZON_MUSIC_CLIENT_ID, refreshed as needed; -v says which
(never the values).

Exit codes:
  0    success
  1    the API or the validation said no (an error answer, an album not found, a violation,
       an unreachable server)
  2    usage: a bad flag, an impossible id, an unreadable input
  3    sign-in needed: no access token, or the API refused it
  130  interrupted (Ctrl-C); a listing prints what it had first";

/// amazon-music: the Amazon Music Web API from the command line.
///
/// Search, the catalog (albums, tracks, artists, playlists, top tracks), the user's profile,
/// history and library, and playback sessions against the API or the project's mock, the mock
/// itself, and the checks of traffic and of Amazon's docs against the project's spec.
#[derive(Parser, Debug)]
#[command(name = "amazon-music", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Say on stderr where each setting came from (and, for docs-check, list the explained
    /// differences too).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Sign in with Login with Amazon and keep the sign-in for the other commands.
    #[command(after_help = auth::LOGIN_HELP)]
    Login(auth::LoginArgs),
    /// Forget the stored sign-in.
    Logout(auth::SignInCommandArgs),
    /// Show the stored sign-in: user, scopes, expiry (never a token).
    Status(auth::SignInCommandArgs),
    /// Search the catalog: tracks, or everything.
    Search(search::SearchArgs),
    /// Albums of the catalog.
    Album(album::AlbumArgs),
    /// Tracks of the catalog.
    Track(track::TrackArgs),
    /// Artists of the catalog.
    Artist(artist::ArtistArgs),
    /// Playlists: one by id, or the signed-in user's.
    Playlist(playlist::PlaylistArgs),
    /// The catalog's most played.
    Top(tracks::TopArgs),
    /// The signed-in user's profile, and changing it.
    Me(me::MeArgs),
    /// The tracks the signed-in user played lately, most recent first.
    Recent(tracks::RecentArgs),
    /// The signed-in user's library.
    Library(library::LibraryArgs),
    /// Start a playback session (remembered for `session`).
    Play(playback::PlayArgs),
    /// Drive a playback session: the one last started or driven, or --session ID.
    Session(playback::SessionArgs),
    /// The user's active playback sessions.
    Sessions(playback::SessionsArgs),
    /// Serve the mock Amazon Music API on loopback until interrupted.
    #[command(
        after_help = "The line `mock Amazon Music API listening on URL` on stdout says \
                            it is ready; Ctrl-C (or SIGTERM) shuts it down gracefully."
    )]
    Mock(mock::Args),
    /// Validate recorded (JSON, HAR) or live traffic against the spec.
    Validate(validate::Args),
    /// Compare the facts of Amazon's reference pages with the spec and its corrections ledger.
    DocsCheck(docs_check::Args),
    /// Print a shell completion script.
    #[command(after_help = "Example: amazon-music completions bash > \
                            ~/.local/share/bash-completion/completions/amazon-music")]
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff) on stdout.
    #[command(after_help = "Example: amazon-music man > amazon-music.1 && man ./amazon-music.1")]
    Man,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
