//! Exit codes, and the one-line error every failure becomes.
//!
//! A command returns `Result<Status, Failure>`; `main` prints a failure as one line on stderr,
//! `error: <what>` with an optional `(hint: ...)`, and exits with its status. Nothing else in
//! the crate decides an exit code, so `--help`, the README and the code say the same thing.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use amazon_music::auth::lwa::LwaError;
use amazon_music::{Error, ErrorCode};

/// The hint given whenever the API refuses the credentials or there is no token.
pub const SIGN_IN_HINT: &str =
    "run `amazon-music login`, or pass a valid access token with --token or AMAZON_MUSIC_TOKEN";

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 0: the command did what was asked.
    Success,
    /// 1: the API or the validation said no (an error answer, a missing album, a violation,
    /// an unreachable server).
    Refused,
    /// 2: the command line or an input is unusable (bad flag, impossible id, unreadable file).
    Usage,
    /// 3: signing in is needed (no token, or the API refused it).
    SignIn,
    /// 130: interrupted with Ctrl-C after printing what was there so far.
    Interrupted,
}

impl Status {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Refused => 1,
            Status::Usage => 2,
            Status::SignIn => 3,
            Status::Interrupted => 130,
        }
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status.code())
    }
}

/// A command that did not succeed: the status to exit with and the line to say why.
#[derive(Debug)]
pub struct Failure {
    /// The exit status.
    pub status: Status,
    /// What went wrong; empty for a failure that has nothing to say (a closed pipe).
    pub message: String,
    /// What to do about it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Failure {
    fn new(status: Status, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            hint: None,
        }
    }

    /// Exit 2: the command line or an input cannot be used.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Status::Usage, message)
    }

    /// Exit 1: the API or the validation said no.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(Status::Refused, message)
    }

    /// Exit 3: a token is needed.
    pub fn sign_in(message: impl Into<String>) -> Self {
        Self::new(Status::SignIn, message).hint(SIGN_IN_HINT)
    }

    /// Ends with `status` and prints nothing (stdout was closed by its reader, say).
    pub fn silent(status: Status) -> Self {
        Self::new(status, "")
    }

    /// Adds what to do about it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the failure on stderr as one line (nothing for a silent one).
    pub fn print(&self) {
        if self.message.is_empty() {
            return;
        }
        let stderr = std::io::stderr();
        let prefix = if crate::terminal::color_on(stderr.is_terminal()) {
            "\x1b[1;31merror:\x1b[0m"
        } else {
            "error:"
        };
        // Not `eprintln!`, which panics when stderr is closed: there is nowhere left to say it.
        let _ = writeln!(stderr.lock(), "{prefix} {self}");
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", one_line(hint))?;
        }
        Ok(())
    }
}

/// Folds line breaks (an API message, an error chain) into spaces: an error is one line,
/// [`printable`](crate::terminal::printable), since an API's message is the server's text.
fn one_line(text: &str) -> String {
    let folded = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    crate::terminal::printable(&folded, false).into_owned()
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Api(api) => {
                let line = format!("{}: {}", api.code, api.message);
                let line = match &api.reference {
                    Some(reference) => format!("{line} [reference {reference}]"),
                    None => line,
                };
                match api.code {
                    ErrorCode::InvalidAccessToken
                    | ErrorCode::InvalidAuthToken
                    | ErrorCode::InvalidAuthType => Failure::sign_in(line),
                    ErrorCode::MaxConcurrencyReached => Failure::refused(line).hint(
                        "another stream of this user is playing; pass --take-over to take it over",
                    ),
                    ErrorCode::Throttled => {
                        Failure::refused(line).hint("too many requests; try again in a moment")
                    }
                    ref code => {
                        let failure = Failure::refused(line);
                        match code.hint() {
                            Some(hint) => failure.hint(hint),
                            None => failure,
                        }
                    }
                }
            }
            Error::Validation { what, message } => {
                Failure::usage(format!("invalid {what}: {message}"))
            }
            // The library's own wording, without the prefix every configuration error drops
            // here, and the flag that insists.
            Error::InsecureBaseUrl { base_url } => Failure::usage(format!(
                "base URL {base_url} is plain http on a non-loopback host: credentials would \
                 travel unencrypted (allow_insecure_http(true) to insist)"
            ))
            .hint("use https, or pass --allow-insecure-http for a test host you control"),
            Error::Config(message) => Failure::usage(message),
            Error::SignInRequired(message) => Failure::sign_in(message),
            Error::Token(message) => {
                Failure::sign_in(format!("could not obtain an access token: {message}"))
            }
            Error::Transport { operation, source } => {
                let url = source
                    .url()
                    .map(|url| format!(" {}", without_query(url)))
                    .unwrap_or_default();
                Failure::refused(format!(
                    "{operation}: cannot reach the API{url}: {}",
                    root_cause(&source)
                ))
            }
            // The library's message names its builder; a command-line user has a flag.
            Error::Timeout { operation } => {
                Failure::refused(format!("{operation}: no response within the timeout"))
                    .hint("raise it with --timeout SECONDS (default 30)")
            }
            // Decode, unexpected responses, repeated cursors: the client's own
            // message is one line and says what happened.
            other => Failure::refused(other.to_string()),
        }
    }
}

impl From<LwaError> for Failure {
    fn from(error: LwaError) -> Self {
        match error {
            LwaError::Cancelled => Failure::new(Status::Interrupted, "sign-in cancelled"),
            LwaError::Config(_) | LwaError::Store(_) | LwaError::WrongHosts(_) => {
                Failure::usage(error.to_string())
            }
            LwaError::SignInAgain { .. }
            | LwaError::DeviceCodeExpired
            | LwaError::Denied { .. }
            | LwaError::StateMismatch
            | LwaError::BrowserTimeout { .. } => Failure::new(Status::SignIn, error.to_string()),
            // Unreachable, an LWA error the crate has no variant for, an odd answer, the
            // listener: the service (or the machine) said no.
            _ => Failure::refused(error.to_string()),
        }
    }
}

/// A URL to show: the query string can carry nothing secret here, but it is noise.
fn without_query(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.to_string()
}

/// The innermost cause of an error ("Connection refused (os error 111)"), which says more
/// than reqwest's "error sending request".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// The moved maintainer tools report their failures with `anyhow`: an unusable input (exit 2),
/// printed with its context chain on one line.
impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::usage(format!("{error:#}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_hints_stay_on_one_line() {
        let failure = Failure::refused("first\nsecond\r\n third").hint("do\nthis");
        assert_eq!(failure.to_string(), "first second third (hint: do this)");
    }

    /// An error line shows the server's message, never the escape sequences in it.
    #[test]
    fn an_api_message_cannot_drive_the_terminal() {
        let error = Error::Api(amazon_music::ApiError {
            operation: "getAlbum",
            status: reqwest::StatusCode::BAD_REQUEST,
            code: ErrorCode::BadRequest,
            message: "bad\x1b[2J\x1b]8;;https://evil.example\x07link\u{9b}1A".into(),
            reference: None,
            url: None,
        });
        let line = Failure::from(error).to_string();
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(line.starts_with("BAD_REQUEST: bad"), "{line}");
    }

    #[test]
    fn refused_credentials_ask_for_a_sign_in() {
        let error = Error::Api(amazon_music::ApiError {
            operation: "getAlbum",
            status: reqwest::StatusCode::UNAUTHORIZED,
            code: ErrorCode::InvalidAccessToken,
            message: "The access token is invalid.".into(),
            reference: None,
            url: None,
        });
        let failure = Failure::from(error);
        assert_eq!(failure.status, Status::SignIn);
        assert_eq!(
            failure.to_string(),
            format!("INVALID_ACCESS_TOKEN: The access token is invalid. (hint: {SIGN_IN_HINT})")
        );
    }

    #[test]
    fn a_browser_that_never_came_back_is_a_sign_in_to_start_again() {
        let failure = Failure::from(LwaError::BrowserTimeout {
            waited: std::time::Duration::from_secs(300),
            ignored: 2,
        });
        assert_eq!(failure.status, Status::SignIn);
        assert!(
            failure.to_string().contains("start the sign-in again"),
            "{failure}"
        );
    }
}
