//! Which hosts a sign-in belongs to.
//!
//! A sign-in is made with one Login with Amazon service for one Amazon Music API: its refresh
//! token (and the client secret that goes with a refresh) are for that service's token
//! endpoint, its access token for that API. [`SignInHosts`] names both by origin (scheme, host
//! and port), every [`TokenSet`](super::lwa::TokenSet) made by [`Lwa`](super::lwa::Lwa)
//! carries them, [`FileTokenStore`](super::store::FileTokenStore) records them, and
//! [`LwaTokenProvider`](super::LwaTokenProvider) refuses to use a sign-in with other hosts
//! (a [`HostMismatch`]) unless told to: a leftover `AMAZON_MUSIC_LWA_URL` or
//! `AMAZON_MUSIC_BASE_URL` from work against a mock or a staging host must not carry a
//! long-lived refresh token there.

use std::fmt;

use url::Url;

/// The Login with Amazon origin and the API origin a sign-in was made for.
///
/// Origins, not whole URLs: secrets go to a host, and `https://api.amazon.com/` and
/// `https://API.amazon.com:443` are the same one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SignInHosts {
    lwa: String,
    api: String,
}

impl SignInHosts {
    /// [`SignInHosts::new`] without its error type: the same hosts, or why a URL names none.
    /// (`new` is defined beside [`LwaError`](super::lwa::LwaError), which it returns, so that
    /// this file, which the token store and the sign-in both import, imports neither.)
    pub(crate) fn parse(lwa_url: &str, api_url: &str) -> Result<Self, HostUrlError> {
        Ok(Self {
            lwa: origin(lwa_url, "Login with Amazon URL")?,
            api: origin(api_url, "API base URL")?,
        })
    }

    /// The Login with Amazon origin, such as `https://api.amazon.com`: the only place the
    /// refresh token and the client secret go.
    pub fn lwa(&self) -> &str {
        &self.lwa
    }

    /// The API origin, such as `https://api.music.amazon.dev`: the only place the access token
    /// goes.
    pub fn api(&self) -> &str {
        &self.api
    }

    /// `Ok` when `requested` are these hosts; otherwise the mismatch, naming both.
    pub fn check(&self, requested: &SignInHosts) -> Result<(), HostMismatch> {
        if self == requested {
            Ok(())
        } else {
            Err(HostMismatch {
                stored: self.clone(),
                requested: requested.clone(),
            })
        }
    }
}

impl fmt::Display for SignInHosts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Login with Amazon at {}, the API at {}",
            self.lwa, self.api
        )
    }
}

/// The origin of `url`, as browsers write it (`https://host`, `http://127.0.0.1:8080`).
pub(crate) fn origin(url: &str, what: &str) -> Result<String, HostUrlError> {
    let parsed = Url::parse(url).map_err(|e| HostUrlError(format!("{what} {url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(HostUrlError(format!(
            "{what} {url:?} is not an http(s) URL with a host"
        )));
    }
    Ok(parsed.origin().ascii_serialization())
}

/// A URL no sign-in host can be taken from: not a URL, not `http(s)`, or without a host. Its
/// message names the URL (base URLs, no secret) and what it was for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct HostUrlError(String);

/// A sign-in asked to serve hosts other than those it was made for.
///
/// Its message names each host that differs, as stored and as requested; it holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct HostMismatch {
    stored: SignInHosts,
    requested: SignInHosts,
}

impl HostMismatch {
    /// The hosts the sign-in was made for.
    pub fn stored(&self) -> &SignInHosts {
        &self.stored
    }

    /// The hosts it was asked to serve.
    pub fn requested(&self) -> &SignInHosts {
        &self.requested
    }
}

impl fmt::Display for HostMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.stored.lwa != self.requested.lwa {
            parts.push(format!(
                "with Login with Amazon at {} (requested: {})",
                self.stored.lwa, self.requested.lwa
            ));
        }
        if self.stored.api != self.requested.api {
            parts.push(format!(
                "for the API at {} (requested: {})",
                self.stored.api, self.requested.api
            ));
        }
        write!(
            f,
            "the sign-in was made {}; its tokens go to no other host (sign in for the requested \
             hosts, or allow other hosts explicitly)",
            parts.join(" and ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_origins_whatever_the_spelling() {
        let hosts = SignInHosts::new(
            "https://API.amazon.com:443/",
            "https://api.music.amazon.dev/v1",
        )
        .unwrap();
        assert_eq!(hosts.lwa(), "https://api.amazon.com");
        assert_eq!(hosts.api(), "https://api.music.amazon.dev");
        let mock = SignInHosts::new("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1").unwrap();
        assert_eq!(mock.lwa(), "http://127.0.0.1:8080");
        assert_eq!(mock.api(), "http://127.0.0.1:8080");
        for bad in [
            "not a url",
            "ftp://x.example",
            "data:text/plain,x",
            "file:///tmp",
        ] {
            assert!(SignInHosts::new(bad, "https://a.example").is_err(), "{bad}");
            assert!(SignInHosts::new("https://a.example", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_mismatch_names_what_differs_as_stored_and_as_requested() {
        let real =
            SignInHosts::new("https://api.amazon.com", "https://api.music.amazon.dev/v1").unwrap();
        let mock = SignInHosts::new("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1").unwrap();
        assert!(real.check(&real.clone()).is_ok());
        let both = real.check(&mock).unwrap_err();
        assert_eq!(both.stored(), &real);
        assert_eq!(both.requested(), &mock);
        assert_eq!(
            both.to_string(),
            "the sign-in was made with Login with Amazon at https://api.amazon.com \
             (requested: http://127.0.0.1:8080) and for the API at https://api.music.amazon.dev \
             (requested: http://127.0.0.1:8080); its tokens go to no other host (sign in for the \
             requested hosts, or allow other hosts explicitly)"
        );
        let api_only =
            SignInHosts::new("https://api.amazon.com", "http://127.0.0.1:8080/v1").unwrap();
        let text = real.check(&api_only).unwrap_err().to_string();
        assert!(
            text.starts_with(
                "the sign-in was made for the API at https://api.music.amazon.dev \
                 (requested: http://127.0.0.1:8080);"
            ),
            "{text}"
        );
    }
}
