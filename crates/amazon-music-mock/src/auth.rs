//! Authentication and authorization as the docs describe them: an `x-api-key` and a Login
//! with Amazon bearer token on every request, and the operation's scope in the token.
//!
//! | what is wrong                         | answer                                |
//! |---------------------------------------|---------------------------------------|
//! | no or wrong `x-api-key`               | 403 `ACCESS_DENIED`                   |
//! | no `Authorization`, or not `Bearer`   | 401 `INVALID_AUTH_TYPE`               |
//! | `Bearer` with an empty token          | 401 `INVALID_AUTH_TOKEN`              |
//! | unknown or expired token              | 401 `INVALID_ACCESS_TOKEN`            |
//! | token without the operation's scope   | 403 `ACCESS_DENIED`                   |
//!
//! The API key is checked first: it identifies the calling application, before any user.
//! The docs give no code for a missing key; the spec's 403 response names it among the
//! forbidden cases, so it is `ACCESS_DENIED`.
//!
//! Expiry is measured on tokio's clock, so a test that pauses and advances time sees tokens
//! expire without waiting.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, header};
use tokio::time::Instant;

use crate::config::MockConfig;
use crate::error::ApiError;

#[derive(Debug, Clone)]
struct Grant {
    user: String,
    scopes: Vec<String>,
    expires_at: Option<Instant>,
}

/// The API key and the tokens the mock accepts.
pub(crate) struct Auth {
    api_key: String,
    tokens: RwLock<HashMap<String, Grant>>,
}

impl Auth {
    pub(crate) fn new(config: &MockConfig) -> Self {
        let expires_at = config.token_lifetime.map(|d| Instant::now() + d);
        let tokens = config
            .tokens
            .iter()
            .map(|g| {
                (
                    g.token.clone(),
                    Grant {
                        user: g.user.clone(),
                        scopes: g.scopes.clone(),
                        expires_at,
                    },
                )
            })
            .collect();
        Self {
            api_key: config.api_key.clone(),
            tokens: RwLock::new(tokens),
        }
    }

    pub(crate) fn insert(
        &self,
        token: String,
        user: String,
        scopes: Vec<String>,
        lifetime: Option<Duration>,
    ) {
        let grant = Grant {
            user,
            scopes,
            expires_at: lifetime.map(|d| Instant::now() + d),
        };
        self.tokens
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token, grant);
    }

    /// Marks those of `tokens` that are still valid as expired; how many were.
    pub(crate) fn expire<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> usize {
        let now = Instant::now();
        let mut map = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        let mut expired = 0;
        for token in tokens {
            if let Some(grant) = map.get_mut(token)
                && grant.expires_at.is_none_or(|at| now < at)
            {
                grant.expires_at = Some(now);
                expired += 1;
            }
        }
        expired
    }

    /// Stops accepting `tokens` at all, to keep the map bounded once they have expired.
    pub(crate) fn forget<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) {
        let mut map = self.tokens.write().unwrap_or_else(|e| e.into_inner());
        for token in tokens {
            map.remove(token);
        }
    }

    /// The user the request acts for, when it may call an operation that needs every one of
    /// `scopes`.
    pub(crate) fn authorize(
        &self,
        headers: &HeaderMap,
        scopes: &[impl AsRef<str>],
    ) -> Result<String, ApiError> {
        let key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
        match key {
            None => return Err(ApiError::access_denied("The x-api-key header is missing.")),
            Some(k) if k != self.api_key => {
                return Err(ApiError::access_denied("The x-api-key is not valid."));
            }
            Some(_) => {}
        }
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "INVALID_AUTH_TYPE",
                "The request carries no bearer token.",
            ));
        };
        let value = value.to_str().unwrap_or("");
        let token = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ if value.eq_ignore_ascii_case("bearer") => "",
            _ => {
                return Err(unauthorized(
                    "INVALID_AUTH_TYPE",
                    "The Authorization header is not a bearer token.",
                ));
            }
        };
        if token.is_empty() {
            return Err(unauthorized(
                "INVALID_AUTH_TOKEN",
                "The bearer token is empty.",
            ));
        }
        let tokens = self.tokens.read().unwrap_or_else(|e| e.into_inner());
        let Some(grant) = tokens.get(token) else {
            return Err(unauthorized(
                "INVALID_ACCESS_TOKEN",
                "The access token is not valid.",
            ));
        };
        if grant.expires_at.is_some_and(|at| Instant::now() >= at) {
            return Err(unauthorized(
                "INVALID_ACCESS_TOKEN",
                "The access token has expired.",
            ));
        }
        for scope in scopes {
            let scope = scope.as_ref();
            if !grant.scopes.iter().any(|s| grants(s, scope)) {
                return Err(ApiError::access_denied(format!(
                    "The token does not grant the scope {scope} this operation needs."
                )));
            }
        }
        Ok(grant.user.clone())
    }
}

/// Whether holding `held` allows what `needed` allows: `music::library` (read and change)
/// includes `music::library::read`.
fn grants(held: &str, needed: &str) -> bool {
    held == needed || (held == "music::library" && needed == "music::library::read")
}

fn unauthorized(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(key: Option<&str>, auth: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(k) = key {
            h.insert("x-api-key", k.parse().unwrap());
        }
        if let Some(a) = auth {
            h.insert(header::AUTHORIZATION, a.parse().unwrap());
        }
        h
    }

    fn code(r: Result<String, ApiError>) -> (u16, &'static str) {
        let e = r.unwrap_err();
        (e.status.as_u16(), e.code)
    }

    #[test]
    fn each_failure_gets_its_documented_answer() {
        let auth = Auth::new(&MockConfig::default().token("read-only", "u2", ["music::catalog"]));
        let ok = Some("mock-api-key");
        let scope = &["music::catalog"];
        assert_eq!(
            code(auth.authorize(&headers(None, Some("Bearer mock-token")), scope)),
            (403, "ACCESS_DENIED")
        );
        assert_eq!(
            code(auth.authorize(&headers(Some("wrong"), Some("Bearer mock-token")), scope)),
            (403, "ACCESS_DENIED")
        );
        assert_eq!(
            code(auth.authorize(&headers(ok, None), scope)),
            (401, "INVALID_AUTH_TYPE")
        );
        assert_eq!(
            code(auth.authorize(&headers(ok, Some("Basic abc")), scope)),
            (401, "INVALID_AUTH_TYPE")
        );
        assert_eq!(
            code(auth.authorize(&headers(ok, Some("Bearer ")), scope)),
            (401, "INVALID_AUTH_TOKEN")
        );
        assert_eq!(
            code(auth.authorize(&headers(ok, Some("Bearer nope")), scope)),
            (401, "INVALID_ACCESS_TOKEN")
        );
        assert_eq!(
            code(auth.authorize(&headers(ok, Some("Bearer read-only")), &["music::playback"])),
            (403, "ACCESS_DENIED")
        );
        assert_eq!(
            auth.authorize(&headers(ok, Some("Bearer read-only")), scope)
                .unwrap(),
            "u2"
        );
        // Every scope an operation names is needed; one that names none needs a valid token.
        let both = &["music::catalog", "music::playback"];
        assert_eq!(
            code(auth.authorize(&headers(ok, Some("Bearer read-only")), both)),
            (403, "ACCESS_DENIED")
        );
        assert!(
            auth.authorize(&headers(ok, Some("Bearer mock-token")), both)
                .is_ok()
        );
        let none: &[&str] = &[];
        assert_eq!(
            auth.authorize(&headers(ok, Some("Bearer read-only")), none)
                .unwrap(),
            "u2"
        );
        assert_eq!(
            code(auth.authorize(&headers(ok, Some("Bearer nope")), none)),
            (401, "INVALID_ACCESS_TOKEN")
        );
    }

    #[test]
    fn expired_tokens_are_refused_and_library_implies_read() {
        let auth = Auth::new(&MockConfig::default());
        auth.insert(
            "old".into(),
            "u".into(),
            vec!["music::library".into()],
            Some(Duration::ZERO),
        );
        auth.insert(
            "new".into(),
            "u".into(),
            vec!["music::library".into()],
            None,
        );
        let ok = Some("mock-api-key");
        let e = auth
            .authorize(&headers(ok, Some("Bearer old")), &["music::library::read"])
            .unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            ("INVALID_ACCESS_TOKEN", "The access token has expired.")
        );
        assert!(
            auth.authorize(&headers(ok, Some("Bearer new")), &["music::library::read"])
                .is_ok()
        );
    }
    /// `expire` ends the tokens still valid and counts only them; `forget` drops a token
    /// altogether, so it is then unknown rather than expired.
    #[test]
    fn expire_counts_the_tokens_it_ended_and_forget_drops_them() {
        let auth = Auth::new(&MockConfig::default());
        let scopes = || vec!["music::catalog".to_owned()];
        auth.insert("forever".into(), "u".into(), scopes(), None);
        auth.insert("ended".into(), "u".into(), scopes(), Some(Duration::ZERO));
        auth.insert(
            "hour".into(),
            "u".into(),
            scopes(),
            Some(Duration::from_secs(3600)),
        );
        assert_eq!(auth.expire(["forever", "ended", "hour", "unknown"]), 2);
        assert_eq!(auth.expire(["forever", "hour"]), 0, "already expired");

        let message = |token: &str| {
            let bearer = format!("Bearer {token}");
            auth.authorize(
                &headers(Some("mock-api-key"), Some(&bearer)),
                &["music::catalog"],
            )
            .unwrap_err()
            .message
        };
        assert_eq!(message("forever"), "The access token has expired.");
        auth.forget(["forever", "unknown"]);
        assert_eq!(message("forever"), "The access token is not valid.");
        assert_eq!(message("hour"), "The access token has expired.");
    }
}
