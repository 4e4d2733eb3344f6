//! The token endpoint: every grant (the device poll, refresh, the browser flow's code
//! exchange) is a form posted to it, and every answer is read here into a [`TokenSet`].
//!
//! Written by hand rather than through an OAuth crate: LWA's device grant is not RFC 8628's, so
//! its poll had to be, and the other two are the same form post with other fields. One path
//! means one set of rules for all three: bounded answers, no redirects followed, errors that
//! quote no value.

use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::client::Lwa;
use super::error::LwaError;
use super::http::decode;
use crate::auth::scope::Scope;
use crate::auth::token_set::{LONGEST_LIFETIME, TokenSet};

/// The lifetime assumed when an answer names none: what LWA documents for its access tokens.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// A successful answer of the token endpoint (RFC 6749, 5.1). No `Debug`: it holds tokens.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    token_type: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    /// The scopes granted, space-separated; absent when they are the ones asked for.
    scope: Option<String>,
}

impl Lwa {
    /// Exchanges a refresh token for a new access token. When LWA sends a new refresh token it
    /// is in the result and replaces the old one; a revoked or expired refresh token is
    /// [`LwaError::SignInAgain`].
    ///
    /// A set made for other hosts than this client's is refused with
    /// [`LwaError::WrongHosts`] before anything is sent: its refresh token and the client
    /// secret go only to the Login with Amazon host it came from. (A set without hosts, built
    /// by hand, is the caller's to vouch for.)
    pub async fn refresh(&self, tokens: &TokenSet) -> Result<TokenSet, LwaError> {
        if let Some(stored) = tokens.hosts() {
            stored.check(&self.inner.hosts)?;
        }
        let refresh_token = tokens
            .refresh_token()
            .ok_or_else(|| LwaError::SignInAgain {
                description: "no refresh token was stored with this sign-in".into(),
            })?;
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        Ok(self
            .token_grant(&form, true, tokens.scopes())
            .await?
            .keeping_refresh_token_of(tokens))
    }

    /// Exchanges an authorization code of the browser flow, proving with the PKCE verifier that
    /// this client started it.
    #[cfg(feature = "browser-sign-in")]
    pub(crate) async fn exchange_code(
        &self,
        code: &str,
        verifier: &str,
        redirect_uri: &str,
        scopes: &[Scope],
    ) -> Result<TokenSet, LwaError> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        self.token_grant(&form, true, scopes).await
    }

    /// Posts one grant to the token endpoint and reads the tokens it answers with: `requested`
    /// are the scopes asked for, taken as granted when the answer does not say. With
    /// `as_client`, the client's id (and its secret, when it has one) go in the form, as LWA
    /// takes them for refresh and the code exchange.
    pub(super) async fn token_grant(
        &self,
        grant: &[(&str, &str)],
        as_client: bool,
        requested: &[Scope],
    ) -> Result<TokenSet, LwaError> {
        let config = &self.inner.config;
        let mut form = grant.to_vec();
        if as_client {
            form.push(("client_id", config.client_id.as_str()));
            if let Some(secret) = &config.client_secret {
                form.push(("client_secret", secret.as_str()));
            }
        }
        let body = self.post_form(self.inner.token_url.clone(), &form).await?;
        let answer: TokenAnswer = decode(&body, "the token answer")?;
        Ok(self.token_set(answer.into_tokens(requested, SystemTime::now())?))
    }
}

impl TokenAnswer {
    /// The set this answer gives, received at `now`. Refuses what could not be used as a
    /// bearer token; the errors quote no value, since values here are tokens.
    fn into_tokens(self, requested: &[Scope], now: SystemTime) -> Result<TokenSet, LwaError> {
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return Err(LwaError::Response(
                "the token answer's token_type is not bearer".into(),
            ));
        }
        if self.access_token.is_empty() {
            return Err(LwaError::Response(
                "the token answer has an empty access_token".into(),
            ));
        }
        let scopes = match &self.scope {
            // Scopes this crate does not know are kept as `Scope::Other`: a newer version may.
            Some(granted) => granted
                .split_ascii_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect(),
            None => requested.to_vec(),
        };
        // A lifetime far beyond LWA's hour is a broken answer: capped, never added to the
        // clock as it is (u64::MAX seconds would overflow it).
        let lifetime = self
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs)
            .min(LONGEST_LIFETIME);
        Ok(TokenSet::new(
            self.access_token,
            self.refresh_token.filter(|t| !t.is_empty()),
            now + lifetime,
            scopes,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<TokenSet, LwaError> {
        decode::<TokenAnswer>(json.as_bytes(), "the token answer")?
            .into_tokens(&[Scope::Catalog], SystemTime::UNIX_EPOCH)
    }

    #[test]
    fn an_answer_gives_its_tokens_lifetime_and_scopes() {
        let tokens = read(
            r#"{"access_token":"Atza|a","token_type":"bearer","expires_in":3600,
                "refresh_token":"Atzr|r","scope":"music::catalog  music::library"}"#,
        )
        .unwrap();
        assert_eq!(tokens.access_token(), "Atza|a");
        assert_eq!(tokens.refresh_token(), Some("Atzr|r"));
        assert_eq!(
            tokens.expires_at(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(3600)
        );
        assert_eq!(tokens.scopes(), [Scope::Catalog, Scope::Library]);
    }

    #[test]
    fn what_an_answer_leaves_out_takes_the_documented_default() {
        let tokens = read(r#"{"access_token":"a","token_type":"Bearer"}"#).unwrap();
        assert_eq!(tokens.refresh_token(), None);
        assert_eq!(
            tokens.expires_at(),
            SystemTime::UNIX_EPOCH + DEFAULT_LIFETIME
        );
        assert_eq!(tokens.scopes(), [Scope::Catalog], "the scopes asked for");
        let tokens = read(
            r#"{"access_token":"a","token_type":"bearer","expires_in":null,"refresh_token":"","scope":"music::nothing"}"#,
        )
        .unwrap();
        assert_eq!(
            tokens.refresh_token(),
            None,
            "an empty refresh token is none"
        );
        assert_eq!(tokens.scopes(), [Scope::Other("music::nothing".into())]);
    }

    #[test]
    fn a_lifetime_beyond_a_day_is_a_day() {
        let tokens =
            read(r#"{"access_token":"a","token_type":"bearer","expires_in":18446744073709551615}"#)
                .unwrap();
        assert_eq!(
            tokens.expires_at(),
            SystemTime::UNIX_EPOCH + LONGEST_LIFETIME
        );
    }

    #[test]
    fn answers_that_give_no_usable_bearer_token_are_refused_without_quoting_them() {
        for (json, says) in [
            (
                r#"{"access_token":"SECRET","token_type":"mac"}"#,
                "not bearer",
            ),
            (
                r#"{"access_token":"","token_type":"bearer"}"#,
                "empty access_token",
            ),
            (
                r#"{"token_type":"bearer","refresh_token":"SECRET"}"#,
                "missing",
            ),
            (r#"{"access_token":"SECRET"}"#, "missing"),
            (
                r#"{"access_token":"SECRET","token_type":"bearer","expires_in":"3600"}"#,
                "(at expires_in)",
            ),
            (
                r#"{"access_token":"SECRET","token_type":"bearer","expires_in":-1}"#,
                "(at expires_in)",
            ),
        ] {
            let error = read(json).err().unwrap().to_string();
            assert!(error.contains(says), "{json}: {error}");
            assert!(!error.contains("SECRET"), "{json}: {error}");
        }
    }
}
