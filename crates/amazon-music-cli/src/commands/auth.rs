//! `login`, `logout` and `status`: signing in with Login with Amazon and the stored sign-in.
//!
//! `login` runs the device flow (a code to enter on another device) or, with `--browser`, the
//! browser flow (a loopback return URL), then saves the tokens where every other command finds
//! them, with the hosts they were made for. It never replaces a sign-in made for other hosts,
//! or one it cannot read, without `--replace`: checked before the flow starts (nobody enters a
//! code for nothing) and again under the store's lock just before saving. What is printed
//! names the user, the scopes, the hosts and the expiry, never a token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use amazon_music::auth::lwa::{DeviceAuthorization, TokenSet};
use amazon_music::auth::store::{StoreError, TokenStore};
use amazon_music::auth::{Scope, SignInHosts, scopes_for};
use clap::Args;
use serde::Serialize;

use crate::credentials::{SignIn, SignInArgs, process_env};
use crate::exit::{Failure, Status};
use crate::output::{self, JsonArg, Out, note};
use crate::signal::Interrupt;

/// The examples at the end of `amazon-music login --help`.
pub const LOGIN_HELP: &str = "\
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

/// What `login` and `status` report, with stable field names for `--json`.
#[derive(Serialize)]
struct Report {
    user: String,
    client_id: String,
    scopes: Vec<String>,
    /// Seconds since the epoch.
    expires_at: u64,
    expired: bool,
    refresh_token: bool,
    /// The Login with Amazon origin the sign-in was made with.
    lwa_host: String,
    /// The API origin it is for.
    api_host: String,
    token_file: String,
}

impl Report {
    fn new(sign_in: &SignIn, tokens: &TokenSet) -> Self {
        Self {
            user: sign_in.user.clone(),
            client_id: sign_in.client_id.value().to_owned(),
            scopes: tokens.scopes().iter().map(|s| s.to_string()).collect(),
            expires_at: tokens
                .expires_at()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs(),
            expired: tokens.expires_at() <= SystemTime::now(),
            refresh_token: tokens.refresh_token().is_some(),
            lwa_host: tokens
                .hosts()
                .map(|h| h.lwa().to_owned())
                .unwrap_or_default(),
            api_host: tokens
                .hosts()
                .map(|h| h.api().to_owned())
                .unwrap_or_default(),
            token_file: sign_in.store.path().display().to_string(),
        }
    }

    fn print(&self, json: bool, tokens: &TokenSet) -> Result<(), Failure> {
        let out = Out::stdout();
        if json {
            return out.json(self);
        }
        let left = tokens.expires_in().as_secs();
        let access = if self.expired {
            "expired (the next command refreshes it)".to_owned()
        } else {
            format!("valid for {}", output::duration(left as i64))
        };
        out.fields(&[
            ("user", self.user.clone()),
            ("client id", self.client_id.clone()),
            ("scopes", self.scopes.join(" ")),
            ("access token", access),
            (
                "refresh token",
                if self.refresh_token {
                    "stored".to_owned()
                } else {
                    "none (sign in again when the access token expires)".to_owned()
                },
            ),
            ("LWA host", self.lwa_host.clone()),
            ("API host", self.api_host.clone()),
            ("token file", self.token_file.clone()),
        ])
    }
}

/// `amazon-music login`.
pub fn login(args: &LoginArgs) -> Result<Status, Failure> {
    let sign_in = SignIn::require(&args.sign_in, args.base_url.as_deref(), &process_env)?;
    let scopes = requested_scopes(args)?;
    let lwa = sign_in.lwa()?;
    may_replace(&sign_in, sign_in.store.load(), lwa.hosts(), args.replace)?;
    let runtime = runtime()?;
    let tokens = runtime.block_on(async {
        let mut interrupt = Interrupt::listen()
            .map_err(|e| Failure::refused(format!("cannot listen for Ctrl-C: {e}")))?;
        let cancel = async move { interrupt.recv().await };
        if args.browser {
            let flow = lwa.start_browser_flow(&scopes, args.port).await?;
            note(&format!(
                "Open this page in a browser to sign in (it returns to {}):\n  {}",
                flow.redirect_uri(),
                flow.authorize_url()
            ));
            open_in_browser(flow.authorize_url());
            Ok::<_, Failure>(flow.finish(cancel).await?)
        } else {
            let pending = lwa.start_device_flow(&scopes).await?;
            prompt(&pending);
            let waiting = output::counter("waiting for the code to be entered (Ctrl-C to stop)");
            waiting.enable_steady_tick(Duration::from_millis(120));
            let tokens = lwa.poll_device_flow(&pending, cancel).await;
            waiting.finish_and_clear();
            Ok(tokens?)
        }
    })?;
    {
        // Another process may have signed in meanwhile: decided again on what is stored now,
        // with no write in between.
        let lock = sign_in
            .store
            .lock()
            .map_err(|e| Failure::refused(e.to_string()))?;
        may_replace(&sign_in, lock.load(), lwa.hosts(), args.replace)?;
        lock.save(&tokens)
            .map_err(|e| Failure::refused(e.to_string()))?;
    }
    if !args.format.json {
        note(&format!(
            "Signed in; the sign-in is saved in {}",
            sign_in.store.path().display()
        ));
    }
    Report::new(&sign_in, &tokens).print(args.format.json, &tokens)?;
    Ok(Status::Success)
}

/// Whether `login` may write over what is stored: nothing, or a sign-in for the same
/// `hosts`; anything else (a sign-in for other hosts, a file that cannot be read or is of an
/// earlier format) only with `--replace`.
fn may_replace(
    sign_in: &SignIn,
    stored: Result<Option<TokenSet>, StoreError>,
    hosts: &SignInHosts,
    replace: bool,
) -> Result<(), Failure> {
    const HINT: &str = "pass --replace to replace it, sign in under another --user, or run \
                        `amazon-music logout` first";
    if replace {
        return Ok(());
    }
    match stored {
        Ok(None) => Ok(()),
        Ok(Some(tokens)) => match tokens.hosts() {
            Some(stored) => stored
                .check(hosts)
                .map_err(|mismatch| Failure::usage(sign_in.mismatch(&mismatch)).hint(HINT)),
            None => Err(Failure::usage("the stored sign-in records no hosts").hint(HINT)),
        },
        Err(e) => Err(Failure::usage(e.to_string()).hint(HINT)),
    }
}

/// `amazon-music logout`.
pub fn logout(args: &SignInCommandArgs) -> Result<Status, Failure> {
    let sign_in = SignIn::require(&args.sign_in, None, &process_env)?;
    let removed = sign_in
        .store
        .clear()
        .map_err(|e| Failure::refused(e.to_string()))?;
    let path = sign_in.store.path().display().to_string();
    let out = Out::stdout();
    if args.format.json {
        #[derive(Serialize)]
        struct Removed {
            removed: bool,
            token_file: String,
        }
        out.json(&Removed {
            removed,
            token_file: path,
        })?;
    } else if removed {
        out.text(&format!("signed out: removed {path}\n"))?;
    } else {
        out.text(&format!("no sign-in was stored in {path}\n"))?;
    }
    Ok(Status::Success)
}

/// `amazon-music status`.
pub fn status(args: &SignInCommandArgs) -> Result<Status, Failure> {
    let sign_in = SignIn::require(&args.sign_in, None, &process_env)?;
    let tokens = sign_in.load()?.ok_or_else(|| {
        Failure::sign_in(format!(
            "not signed in: nothing is stored in {}",
            sign_in.store.path().display()
        ))
    })?;
    Report::new(&sign_in, &tokens).print(args.format.json, &tokens)?;
    Ok(Status::Success)
}

fn requested_scopes(args: &LoginArgs) -> Result<Vec<Scope>, Failure> {
    if !args.for_operations.is_empty() {
        let operations: Vec<&str> = args.for_operations.iter().map(String::as_str).collect();
        return Ok(scopes_for(&operations)?);
    }
    if args.scopes.is_empty() {
        return Ok(Scope::all());
    }
    args.scopes
        .iter()
        .map(|s| s.parse::<Scope>().map_err(Failure::from))
        .collect()
}

/// The two things the person needs, said plainly on stderr (stdout is for the result).
fn prompt(pending: &DeviceAuthorization) {
    note(&format!(
        "To sign in, open {} and enter the code {} (valid for {}).",
        pending.verification_uri(),
        pending.user_code(),
        output::duration(pending.expires_in().as_secs() as i64)
    ));
}

/// Opens `url` in the person's browser when a person is there to see it; the URL is printed
/// either way, so a failure to open is not worth an error.
fn open_in_browser(url: &str) {
    if !output::interactive() {
        return;
    }
    let (program, args) = opener(std::env::consts::OS, url);
    let _ = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// The program that opens `url` on `os` (as `std::env::consts::OS` names it) and its
/// arguments, the URL one of them. No shell is involved anywhere.
///
/// On Windows this used to be `cmd /C start "" URL`, and cmd reads the URL as a command line:
/// the `&` between two query parameters ended the command there and ran the rest as another
/// one, and `^` and `"` are cmd's too. `rundll32 url.dll,FileProtocolHandler URL` hands the
/// URL to the default browser without a shell. rundll32 passes the rest of its command line on
/// unparsed, so the argument must be one Windows never wraps in quotes: spaces, tabs, `"` and
/// anything outside printable ASCII (none of which a URL may hold raw) are percent-encoded,
/// which leaves the URL the same to a browser.
fn opener(os: &str, url: &str) -> (&'static str, Vec<String>) {
    match os {
        "macos" => ("open", vec![url.to_owned()]),
        "windows" => (
            "rundll32.exe",
            vec![
                "url.dll,FileProtocolHandler".to_owned(),
                printable_ascii(url),
            ],
        ),
        _ => ("xdg-open", vec![url.to_owned()]),
    }
}

/// `url` with every byte that is a space, a `"` or not printable ASCII percent-encoded.
fn printable_ascii(url: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() && byte != b'"' {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::refused(format!("cannot start the async runtime: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The URL reaches the opener as one argument, untouched but for what no URL may hold raw,
    /// and no shell is there to read `&`, `^` or `"`: on every platform, Windows included,
    /// whatever this test runs on.
    #[test]
    fn the_browser_gets_the_url_as_one_argument_and_no_shell_reads_it() {
        let url = "https://www.amazon.com/ap/oa?client_id=a&scope=music::catalog&state=x^y\"z \
                   w&redirect_uri=http%3A%2F%2F127.0.0.1%3A8749%2Fcallback&na\u{ef}ve";
        let (program, args) = opener("windows", url);
        assert_eq!(program, "rundll32.exe");
        assert_eq!(
            args,
            [
                "url.dll,FileProtocolHandler",
                "https://www.amazon.com/ap/oa?client_id=a&scope=music::catalog&state=x^y%22z%20\
                 w&redirect_uri=http%3A%2F%2F127.0.0.1%3A8749%2Fcallback&na%C3%AFve"
            ]
        );
        for os in ["macos", "linux", "freebsd"] {
            let (program, args) = opener(os, url);
            assert!(["open", "xdg-open"].contains(&program), "{os}: {program}");
            assert_eq!(args, [url], "{os}");
        }
    }
}
