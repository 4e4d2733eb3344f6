//! Where the base URL, the API key and the access token come from, in one place.
//!
//! Each setting is looked up in order, the first found wins:
//!
//! 1. its flag (`--base-url`, `--api-key`, `--token`);
//! 2. its environment variable (`AMAZON_MUSIC_BASE_URL`, `AMAZON_MUSIC_API_KEY`,
//!    `AMAZON_MUSIC_TOKEN`; set but empty counts as unset);
//! 3. for the token, the token store that `amazon-music login` will fill (not written yet: see
//!    [`Resolved::resolve`]); for the base URL, the API's production address.
//!
//! `-v` names the source of each setting on stderr, never its value.

use std::fmt;

use amazon_music::{Client, DEFAULT_BASE_URL};

use crate::cli::ApiArgs;
use crate::exit::Failure;

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag, named.
    Flag(&'static str),
    /// An environment variable, named.
    Env(&'static str),
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "from {flag}"),
            Source::Env(var) => write!(f, "from ${var}"),
            Source::Default => f.write_str("the default"),
        }
    }
}

/// A setting's value and where it came from. `Debug` never shows the value.
#[derive(Clone)]
pub struct Setting {
    value: String,
    /// Where the value came from.
    pub source: Source,
}

impl Setting {
    /// The value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setting")
            .field("value", &"<redacted>")
            .field("source", &self.source)
            .finish()
    }
}

/// The settings a command that calls the API needs.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Where the API is.
    pub base_url: Setting,
    /// The API key (security profile id), when one was found.
    pub api_key: Option<Setting>,
    /// The access token, when one was found.
    pub token: Option<Setting>,
}

/// Environment variables, read through a function so tests can supply their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment; a variable set to the empty string counts as unset.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

impl Resolved {
    /// Looks every setting up. An empty flag value is refused: it is a mistake on the command
    /// line, not a way to fall back to the next source.
    pub fn resolve(args: &ApiArgs, env: Env<'_>) -> Result<Self, Failure> {
        let base_url = lookup(
            args.base_url.as_deref(),
            "--base-url",
            "AMAZON_MUSIC_BASE_URL",
            env,
        )?
        .unwrap_or_else(|| Setting {
            value: DEFAULT_BASE_URL.to_owned(),
            source: Source::Default,
        });
        let api_key = lookup(
            args.api_key.as_deref(),
            "--api-key",
            "AMAZON_MUSIC_API_KEY",
            env,
        )?;
        let token = lookup(args.token.as_deref(), "--token", "AMAZON_MUSIC_TOKEN", env)?;
        // The third source of the token slots in here: when neither the flag nor the
        // environment gives one, the token store written by `amazon-music login`
        // (crates/amazon-music/src/auth/) is asked, with its own `Source` variant so `-v`
        // can say "from the token store".
        Ok(Self {
            base_url,
            api_key,
            token,
        })
    }

    /// One line per setting, naming its source, for `-v`.
    pub fn describe(&self) -> Vec<String> {
        let line = |name: &str, setting: &Option<Setting>| match setting {
            Some(setting) => format!("{name}: {}", setting.source),
            None => format!("{name}: not set"),
        };
        vec![
            format!("base URL: {}", self.base_url.source),
            line("API key", &self.api_key),
            line("access token", &self.token),
        ]
    }

    /// The API key, or the usage error that says how to give one.
    pub fn require_api_key(&self) -> Result<&str, Failure> {
        self.api_key
            .as_ref()
            .map(Setting::value)
            .ok_or_else(|| Failure::usage("no API key: pass --api-key or set AMAZON_MUSIC_API_KEY"))
    }

    /// The token, or the sign-in failure (exit 3).
    pub fn require_token(&self) -> Result<&str, Failure> {
        self.token
            .as_ref()
            .map(Setting::value)
            .ok_or_else(|| Failure::sign_in("no access token"))
    }

    /// A client for these settings; the API key is checked before the token, as the API does.
    pub fn client(&self) -> Result<Client, Failure> {
        let api_key = self.require_api_key()?;
        let token = self.require_token()?;
        Ok(Client::builder()
            .base_url(self.base_url.value())
            .api_key(api_key)
            .token(token)
            .user_agent(concat!("amazon-music-cli/", env!("CARGO_PKG_VERSION")))
            .build()?)
    }
}

fn lookup(
    flag_value: Option<&str>,
    flag: &'static str,
    var: &'static str,
    env: Env<'_>,
) -> Result<Option<Setting>, Failure> {
    if let Some(value) = flag_value {
        if value.trim().is_empty() {
            return Err(Failure::usage(format!("{flag} is empty")));
        }
        return Ok(Some(Setting {
            value: value.to_owned(),
            source: Source::Flag(flag),
        }));
    }
    Ok(env(var).map(|value| Setting {
        value,
        source: Source::Env(var),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(base_url: Option<&str>, api_key: Option<&str>, token: Option<&str>) -> ApiArgs {
        ApiArgs {
            base_url: base_url.map(str::to_owned),
            api_key: api_key.map(str::to_owned),
            token: token.map(str::to_owned),
        }
    }

    #[test]
    fn flags_win_over_the_environment_which_wins_over_the_default() {
        let env = |name: &str| match name {
            "AMAZON_MUSIC_API_KEY" => Some("env-key".to_owned()),
            "AMAZON_MUSIC_TOKEN" => Some("env-token".to_owned()),
            _ => None,
        };
        let resolved = Resolved::resolve(&args(None, None, Some("flag-token")), &env).unwrap();
        assert_eq!(resolved.base_url.source, Source::Default);
        assert_eq!(resolved.base_url.value(), DEFAULT_BASE_URL);
        assert_eq!(
            resolved.api_key.as_ref().unwrap().source,
            Source::Env("AMAZON_MUSIC_API_KEY")
        );
        assert_eq!(resolved.token.as_ref().unwrap().value(), "flag-token");
        assert_eq!(
            resolved.describe(),
            [
                "base URL: the default",
                "API key: from $AMAZON_MUSIC_API_KEY",
                "access token: from --token",
            ]
        );
    }

    #[test]
    fn an_empty_flag_is_refused_and_nothing_leaks_through_debug() {
        let none = |_: &str| None;
        let error = Resolved::resolve(&args(None, Some(" "), None), &none).unwrap_err();
        assert_eq!(error.to_string(), "--api-key is empty");
        let resolved =
            Resolved::resolve(&args(None, Some("sekrit-key"), Some("sekrit-token")), &none)
                .unwrap();
        let debug = format!("{resolved:?}");
        assert!(!debug.contains("sekrit"), "{debug}");
    }

    #[test]
    fn a_missing_token_asks_for_a_sign_in() {
        let none = |_: &str| None;
        let resolved = Resolved::resolve(&args(None, Some("k"), None), &none).unwrap();
        let failure = resolved.client().unwrap_err();
        assert_eq!(failure.status, crate::exit::Status::SignIn);
        assert!(failure.to_string().starts_with("no access token (hint: "));
    }
}
