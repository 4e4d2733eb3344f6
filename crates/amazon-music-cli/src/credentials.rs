//! Where the base URL, the API key and the access token come from, in one place.
//!
//! Each setting is looked up in order, the first found wins:
//!
//! 1. its flag (`--base-url`, `--api-key`, `--token`);
//! 2. its environment variable (`AMAZON_MUSIC_BASE_URL`, `AMAZON_MUSIC_API_KEY`,
//!    `AMAZON_MUSIC_TOKEN`; set but empty counts as unset);
//! 3. for the token, the sign-in `amazon-music login` stored for the client id
//!    (`--client-id`, `AMAZON_MUSIC_CLIENT_ID`) and user (`--user`, `AMAZON_MUSIC_USER`,
//!    `default`), refreshed through Login with Amazon as needed; for the base URL, the API's
//!    production address.
//!
//! A stored sign-in records the Login with Amazon host and the API host it was made for; it is
//! used only when `--lwa-url` / `AMAZON_MUSIC_LWA_URL` and the base URL name those same hosts
//! (or with `--allow-other-hosts`), so that a variable left over from work against the mock or
//! a test host never carries the refresh token, the client secret or the access token there.
//!
//! `-v` names the source of each setting on stderr, never its value.
//!
//! The flags are defined here too ([`ApiArgs`], [`SignInArgs`]), flattened into the arguments
//! of every command that calls the API or reads the stored sign-in.

use std::fmt;
use std::time::Duration;

use amazon_music::auth::lwa::{Lwa, LwaConfig, TokenSet};
use amazon_music::auth::store::{FileTokenStore, TokenStore};
use amazon_music::auth::{HostMismatch, LwaTokenProvider};
use amazon_music::{Client, ClientBuilder, DEFAULT_BASE_URL};
use clap::Args;

use crate::exit::Failure;

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

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag, named.
    Flag(&'static str),
    /// An environment variable, named.
    Env(&'static str),
    /// The stored sign-in.
    Store,
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "from {flag}"),
            Source::Env(var) => write!(f, "from ${var}"),
            Source::Store => f.write_str("from the stored sign-in"),
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
    /// The stored sign-in the token comes from when neither flag nor environment gives one.
    pub stored: Option<SignIn>,
    /// How long to wait for each response (`--timeout`); the client's default otherwise.
    pub timeout: Option<Duration>,
    /// Whether a plain-http base URL off loopback was asked for on purpose
    /// (`--allow-insecure-http`).
    pub allow_insecure_http: bool,
    /// Whether the stored sign-in may serve other hosts than it was made for.
    pub allow_other_hosts: bool,
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
        let base_url = base_url(args.base_url.as_deref(), env)?;
        let api_key = lookup(
            args.api_key.as_deref(),
            "--api-key",
            "AMAZON_MUSIC_API_KEY",
            env,
        )?;
        let token = lookup(args.token.as_deref(), "--token", "AMAZON_MUSIC_TOKEN", env)?;
        // Only without a token is the store read: a token given on purpose wins, and a
        // broken token file must not stop a command that does not need it.
        let stored = match &token {
            Some(_) => None,
            None => match SignIn::resolve(&args.sign_in, args.base_url.as_deref(), env)? {
                Some(sign_in) if sign_in.usable(args.allow_other_hosts)? => Some(sign_in),
                _ => None,
            },
        };
        Ok(Self {
            base_url,
            api_key,
            token,
            stored,
            timeout: args.timeout.map(Duration::from_secs),
            allow_insecure_http: args.allow_insecure_http,
            allow_other_hosts: args.allow_other_hosts,
        })
    }

    /// One line per setting, naming its source, for `-v`.
    pub fn describe(&self) -> Vec<String> {
        let line = |name: &str, setting: &Option<Setting>| match setting {
            Some(setting) => format!("{name}: {}", setting.source),
            None => format!("{name}: not set"),
        };
        let token = match &self.stored {
            Some(sign_in) => format!(
                "access token: {} ({})",
                Source::Store,
                sign_in.store.path().display()
            ),
            None => line("access token", &self.token),
        };
        vec![
            format!("base URL: {}", self.base_url.source),
            line("API key", &self.api_key),
            token,
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
    /// A stored sign-in gives a client that refreshes the token and saves what it gets.
    pub fn client(&self) -> Result<Client, Failure> {
        Ok(self.builder()?.build()?)
    }

    /// The configured builder behind [`client`](Self::client), for a command that adds to it
    /// (`validate live` records); finish it with `ClientBuilder::build`.
    pub fn builder(&self) -> Result<ClientBuilder, Failure> {
        let api_key = self.require_api_key()?;
        let builder = Client::builder()
            .base_url(self.base_url.value())
            .api_key(api_key)
            .allow_insecure_http(self.allow_insecure_http)
            .user_agent(concat!("amazon-music-cli/", env!("CARGO_PKG_VERSION")));
        let builder = match self.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        };
        Ok(match &self.stored {
            Some(sign_in) => builder.token_provider(
                LwaTokenProvider::new(sign_in.lwa()?, sign_in.store.clone())
                    .allow_other_hosts(self.allow_other_hosts),
            ),
            None => builder.token(self.require_token()?),
        })
    }
}

/// A stored sign-in: whose (client id, user), where it is kept, where Login with Amazon is for
/// refreshing it, and which API it is for.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// The security profile's client id.
    pub client_id: Setting,
    /// The name of the sign-in.
    pub user: String,
    /// Login with Amazon's base URL, when not Amazon's.
    pub lwa_url: Option<Setting>,
    /// The API's base URL.
    pub api_url: Setting,
    /// Where the sign-in is kept.
    pub store: FileTokenStore,
    client_secret: Option<String>,
}

impl SignIn {
    /// The sign-in settings, or `None` when no client id is given; `base_url` is the
    /// `--base-url` flag's value, if given.
    pub fn resolve(
        args: &SignInArgs,
        base_url_flag: Option<&str>,
        env: Env<'_>,
    ) -> Result<Option<Self>, Failure> {
        let Some(client_id) = lookup(
            args.client_id.as_deref(),
            "--client-id",
            "AMAZON_MUSIC_CLIENT_ID",
            env,
        )?
        else {
            return Ok(None);
        };
        let user = lookup(args.user.as_deref(), "--user", "AMAZON_MUSIC_USER", env)?
            .map_or_else(|| "default".to_owned(), |s| s.value);
        let lwa_url = lookup(
            args.lwa_url.as_deref(),
            "--lwa-url",
            "AMAZON_MUSIC_LWA_URL",
            env,
        )?;
        let api_url = base_url(base_url_flag, env)?;
        let store = FileTokenStore::for_user(client_id.value(), &user)
            .map_err(|e| Failure::usage(e.to_string()))?;
        Ok(Some(Self {
            client_id,
            user,
            lwa_url,
            api_url,
            store,
            client_secret: env("AMAZON_MUSIC_CLIENT_SECRET"),
        }))
    }

    /// As [`resolve`](Self::resolve), a usage error when no client id is given.
    pub fn require(
        args: &SignInArgs,
        base_url_flag: Option<&str>,
        env: Env<'_>,
    ) -> Result<Self, Failure> {
        Self::resolve(args, base_url_flag, env)?.ok_or_else(|| {
            Failure::usage(
                "no client id: pass --client-id or set AMAZON_MUSIC_CLIENT_ID (the client id of your security profile)",
            )
        })
    }

    /// The stored sign-in; a file that cannot be read is an error naming it.
    pub fn load(&self) -> Result<Option<TokenSet>, Failure> {
        if let Some(warning) = self.store.access_warning() {
            crate::output::note(&format!("warning: {warning}"));
        }
        self.store.load().map_err(|e| {
            Failure::usage(e.to_string())
                .hint("remove it with `amazon-music logout`, then sign in again")
        })
    }

    /// Whether a sign-in is stored for the hosts this command names (any hosts, when
    /// `allow_other_hosts`); one made for other hosts is an error naming both.
    fn usable(&self, allow_other_hosts: bool) -> Result<bool, Failure> {
        let Some(tokens) = self.load()? else {
            return Ok(false);
        };
        if allow_other_hosts {
            return Ok(true);
        }
        let requested = self.lwa()?.hosts().clone();
        match tokens.hosts() {
            Some(stored) => stored.check(&requested).map_err(|mismatch| {
                Failure::usage(self.mismatch(&mismatch)).hint(
                    "unset or change what points elsewhere, pass --allow-other-hosts to use this \
                     sign-in there anyway, or sign in there under another --user",
                )
            })?,
            // A file store always records them; nothing else is read here.
            None => return Err(Failure::usage("the stored sign-in records no hosts")),
        }
        Ok(true)
    }

    /// What differs between the hosts the stored sign-in was made for and those asked for
    /// now, each with where it came from.
    pub fn mismatch(&self, mismatch: &HostMismatch) -> String {
        let (stored, requested) = (mismatch.stored(), mismatch.requested());
        let lwa_source = self
            .lwa_url
            .as_ref()
            .map_or(Source::Default, |setting| setting.source);
        let mut parts = Vec::new();
        if stored.lwa() != requested.lwa() {
            parts.push(format!(
                "Login with Amazon at {} (stored), not {} ({lwa_source})",
                stored.lwa(),
                requested.lwa()
            ));
        }
        if stored.api() != requested.api() {
            parts.push(format!(
                "the API at {} (stored), not {} ({})",
                stored.api(),
                requested.api(),
                self.api_url.source
            ));
        }
        format!(
            "the sign-in in {} is for {}",
            self.store.path().display(),
            parts.join(", and ")
        )
    }

    /// A Login with Amazon client for this sign-in.
    pub fn lwa(&self) -> Result<Lwa, Failure> {
        let mut config = LwaConfig::new(self.client_id.value()).music_api_url(self.api_url.value());
        if let Some(secret) = &self.client_secret {
            config = config.client_secret(secret);
        }
        if let Some(url) = &self.lwa_url {
            config = config.base_url(url.value());
        }
        Ok(Lwa::new(config)?)
    }
}

/// The API's base URL: `--base-url`, `AMAZON_MUSIC_BASE_URL` or the production address.
fn base_url(flag_value: Option<&str>, env: Env<'_>) -> Result<Setting, Failure> {
    Ok(
        lookup(flag_value, "--base-url", "AMAZON_MUSIC_BASE_URL", env)?.unwrap_or_else(|| {
            Setting {
                value: DEFAULT_BASE_URL.to_owned(),
                source: Source::Default,
            }
        }),
    )
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
            timeout: None,
            allow_insecure_http: false,
            allow_other_hosts: false,
            sign_in: SignInArgs::default(),
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
