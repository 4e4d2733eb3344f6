//! The command line's shape: every command, flag and help text (clap derive).
//!
//! Flags that talk to the API (`--base-url`, `--api-key`, `--token`) belong to the commands
//! that call it and are accepted anywhere after them; `mock` has its own `--token` and
//! `--api-key` (what the mock accepts), so they are not global to the whole program.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use crate::commands;

/// The examples and exit codes shown at the end of `amazon-music --help`.
const AFTER_HELP: &str = "\
Examples:
  amazon-music login --client-id amzn1.application-oa2-client.0123
  amazon-music mock --addr 127.0.0.1:8080 &
  export AMAZON_MUSIC_BASE_URL=http://127.0.0.1:8080/v1 AMAZON_MUSIC_API_KEY=mock-api-key AMAZON_MUSIC_TOKEN=mock-token
  amazon-music library list --all
  amazon-music album get B0064UPU4G B00D3PLC1K
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
/// Albums, the library and playback sessions against the API or the project's mock, the mock
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
    #[command(after_help = LOGIN_HELP)]
    Login(LoginArgs),
    /// Forget the stored sign-in.
    Logout(SignInCommandArgs),
    /// Show the stored sign-in: user, scopes, expiry (never a token).
    Status(SignInCommandArgs),
    /// Albums of the catalog.
    Album(AlbumArgs),
    /// The signed-in user's library.
    Library(LibraryArgs),
    /// Start a playback session (remembered for `session`).
    Play(PlayArgs),
    /// Drive a playback session: the one last started or driven, or --session ID.
    Session(SessionArgs),
    /// The user's active playback sessions.
    Sessions(SessionsArgs),
    /// Serve the mock Amazon Music API on loopback until interrupted.
    #[command(
        after_help = "The line `mock Amazon Music API listening on URL` on stdout says \
                            it is ready; Ctrl-C (or SIGTERM) shuts it down gracefully."
    )]
    Mock(commands::mock::Args),
    /// Validate recorded (JSON, HAR) or live traffic against the spec.
    Validate(commands::validate::Args),
    /// Compare the facts of Amazon's reference pages with the spec and its corrections ledger.
    DocsCheck(commands::docs_check::Args),
    /// Print a shell completion script.
    #[command(after_help = "Example: amazon-music completions bash > \
                            ~/.local/share/bash-completion/completions/amazon-music")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout.
    #[command(after_help = "Example: amazon-music man > amazon-music.1 && man ./amazon-music.1")]
    Man,
}

/// Where the API is and who is calling it.
#[derive(Args, Debug, Clone, Default)]
pub struct ApiArgs {
    /// The API's base URL, with its `/v1`.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = "The API's base URL, with its /v1 [env: AMAZON_MUSIC_BASE_URL] [default: \
                https://api.music.amazon.dev/v1]"
    )]
    pub base_url: Option<String>,
    /// The API key (security profile id) [env: AMAZON_MUSIC_API_KEY]
    #[arg(long, global = true, value_name = "KEY")]
    pub api_key: Option<String>,
    /// The access token; prefer the environment, which other users cannot see in the process
    /// list [env: AMAZON_MUSIC_TOKEN]
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Seconds to wait for each response before giving up [default: 30]
    #[arg(long, global = true, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
    /// Accept a plain-http --base-url on a host other than loopback; the API key and the token
    /// then cross the network unencrypted (only for a test host you control)
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// Use the stored sign-in even with another Login with Amazon URL or base URL than it was
    /// made for: its refresh token, the client secret and its access token then go there
    #[arg(long, global = true)]
    pub allow_other_hosts: bool,
    /// Where a stored sign-in is found, used when no token is given.
    #[command(flatten)]
    pub sign_in: SignInArgs,
}

/// Which stored sign-in, and where Login with Amazon is.
#[derive(Args, Debug, Clone, Default)]
pub struct SignInArgs {
    /// The client id of your security profile [env: AMAZON_MUSIC_CLIENT_ID]
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// The name of the stored sign-in, for more than one account [env: AMAZON_MUSIC_USER]
    /// [default: default]
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Login with Amazon's base URL, such as the mock's [env: AMAZON_MUSIC_LWA_URL] [default:
    /// Amazon's]
    #[arg(long, global = true, value_name = "URL")]
    pub lwa_url: Option<String>,
}

/// The examples at the end of `amazon-music login --help`.
const LOGIN_HELP: &str = "\
The client secret, for a confidential security profile, is read from AMAZON_MUSIC_CLIENT_SECRET
only (a flag would show in the process list). The sign-in is saved owner-only under the config
directory, one file per client id and user; `amazon-music status` shows it, `logout` removes it.
It records the Login with Amazon host and the API host (--base-url) it was made for: other
commands use it with those hosts only (unless --allow-other-hosts), and `login` does not replace
a sign-in made for other hosts (unless --replace; or sign in under another --user).

Examples:
  amazon-music login --client-id amzn1.application-oa2-client.0123
  amazon-music login --browser --port 8749     # return URL http://127.0.0.1:8749/callback
  amazon-music login --lwa-url http://127.0.0.1:8080 --base-url http://127.0.0.1:8080/v1 \\
      --client-id mock-client-id --user mock   # the mock, kept apart from the real sign-in";

/// `amazon-music login`.
#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Which sign-in, and where Login with Amazon is.
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// The base URL of the API the sign-in is for, with its /v1 [env: AMAZON_MUSIC_BASE_URL]
    /// [default: https://api.music.amazon.dev/v1]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Replace a stored sign-in made for other hosts, or one that cannot be read.
    #[arg(long)]
    pub replace: bool,
    /// Sign in in a browser (authorization code with PKCE) instead of with a code.
    #[arg(long)]
    pub browser: bool,
    /// The loopback port of the browser flow's return URL (0: any free port).
    #[arg(long, default_value_t = 0, requires = "browser")]
    pub port: u16,
    /// A scope to ask for (repeatable); every scope of the API when none is given.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Ask for the scopes these operations need (operationIds, comma-separated), e.g.
    /// getAlbum,getLibraryAlbums.
    #[arg(
        long,
        value_name = "OPERATIONS",
        value_delimiter = ',',
        conflicts_with = "scopes"
    )]
    pub for_operations: Vec<String>,
    /// Print the result as one JSON document.
    #[command(flatten)]
    pub format: JsonArg,
}

/// `amazon-music logout` and `status`.
#[derive(Args, Debug)]
pub struct SignInCommandArgs {
    /// Which sign-in.
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// Print the result as one JSON document.
    #[command(flatten)]
    pub format: JsonArg,
}

/// `--json` for commands that print one result.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct JsonArg {
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `--json` and `--ndjson` for listings.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct ListingFormat {
    /// Print one JSON document instead of a table.
    #[arg(long, conflicts_with = "ndjson")]
    pub json: bool,
    /// Print one JSON object per line, each as soon as it arrives.
    #[arg(long)]
    pub ndjson: bool,
}

/// `amazon-music album`.
#[derive(Args, Debug)]
pub struct AlbumArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: AlbumCommand,
}

/// `amazon-music album ...`.
#[derive(Subcommand, Debug)]
pub enum AlbumCommand {
    /// Look albums up by id, any number at once (batched, 100 ids a request). Exits 1 when an
    /// id is unknown, after printing the others.
    #[command(after_help = "Example: amazon-music album get B0064UPU4G B00D3PLC1K")]
    Get {
        /// Album ids (ASINs).
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// `amazon-music library`.
#[derive(Args, Debug)]
pub struct LibraryArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: LibraryCommand,
}

/// `amazon-music library ...`.
#[derive(Subcommand, Debug)]
pub enum LibraryCommand {
    /// List the library's albums, oldest saved first: the first page by default.
    #[command(after_help = "Examples:\n  amazon-music library list --limit 10\n  \
                            amazon-music library list --all --ndjson")]
    List {
        /// Every album, however many pages that takes.
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// At most this many albums [default: 100, one page]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
        /// Output format.
        #[command(flatten)]
        format: ListingFormat,
    },
    /// Save albums to the library (saving one already there changes nothing).
    Add {
        /// Album ids.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Remove albums from the library (removing one not there changes nothing).
    Remove {
        /// Album ids.
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// `amazon-music play`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("what").required(true).args(["track", "album", "tracks"])))]
#[command(after_help = "Examples:\n  amazon-music play --album B0064UPU4G\n  \
                        amazon-music play --tracks B0BS2S4WXN,B0064UPU5Q --shuffle")]
pub struct PlayArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// One track.
    #[arg(long, value_name = "ID")]
    pub track: Option<String>,
    /// A whole album, from its start.
    #[arg(long, value_name = "ID")]
    pub album: Option<String>,
    /// Tracks, in order (comma-separated, at most 100).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub tracks: Option<Vec<String>>,
    /// Shuffle the queue.
    #[arg(long)]
    pub shuffle: bool,
    /// Loop nothing, the current track or the whole queue.
    #[arg(long = "loop", value_name = "MODE")]
    pub loop_mode: Option<LoopArg>,
    /// Output format.
    #[command(flatten)]
    pub format: JsonArg,
}

/// A loop mode.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopArg {
    /// Loop nothing.
    Off,
    /// Repeat the current entity.
    One,
    /// Loop the whole queue.
    All,
}

/// On or off.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// A playback event to report.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventArg {
    /// PLAYBACK_STARTED
    Started,
    /// PLAYBACK_PAUSED
    Paused,
    /// PLAYBACK_RESUMED
    Resumed,
    /// PLAYBACK_STOPPED
    Stopped,
    /// PLAYBACK_FINISHED
    Finished,
}

/// `amazon-music session`.
#[derive(Args, Debug)]
#[command(
    after_help = "Without --session, the session last started with `play` or driven \
                        here against the same base URL is used; it is remembered in the \
                        data directory (AMAZON_MUSIC_STATE_DIR overrides where).\n\n\
                        Examples:\n  amazon-music session next\n  \
                        amazon-music session --session ID queue --limit 5\n  \
                        amazon-music session report started"
)]
pub struct SessionArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// The session to drive (see `amazon-music sessions`).
    #[arg(long, global = true, value_name = "ID")]
    pub session: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: SessionCommand,
}

/// `amazon-music session ...`.
#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// What is playing now.
    Current {
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Move to the next entity.
    Next {
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Move back to the previous entity.
    Previous {
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// The queue from the current entity on.
    Queue {
        /// The whole queue, however many pages that takes.
        #[arg(long, conflicts_with = "limit")]
        all: bool,
        /// At most this many entities [default: 100, one page]
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        limit: Option<u32>,
        /// Output format.
        #[command(flatten)]
        format: ListingFormat,
    },
    /// Set the loop mode.
    Loop {
        /// off, one or all.
        mode: LoopArg,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Turn shuffle on or off.
    Shuffle {
        /// on or off.
        state: Switch,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
    /// Report what the player did with the current entity.
    Report {
        /// The event.
        event: EventArg,
        /// How far into the entity, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 0)]
        position: u64,
        /// Take over another stream of the user instead of failing with
        /// MAX_CONCURRENCY_REACHED.
        #[arg(long)]
        take_over: bool,
        /// Output format.
        #[command(flatten)]
        format: JsonArg,
    },
}

/// `amazon-music sessions`.
#[derive(Args, Debug)]
pub struct SessionsArgs {
    /// Credentials.
    #[command(flatten)]
    pub api: ApiArgs,
    /// Output format.
    #[command(flatten)]
    pub format: ListingFormat,
}

/// `amazon-music completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
