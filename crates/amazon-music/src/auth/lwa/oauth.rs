//! The standard grants (refresh, the browser flow's code exchange) through the `oauth2` crate,
//! sent with this crate's reqwest client.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use oauth2::{AuthorizationCode, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError};

use super::client::Lwa;
use super::error::LwaError;
use super::http::{read_bounded, without_url};
use crate::auth::scope::Scope;
use crate::auth::token_set::TokenSet;

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
        let refresh_token = RefreshToken::new(refresh_token.to_owned());
        let http = OAuthHttp(&self.inner.http);
        let response = self
            .inner
            .oauth
            .exchange_refresh_token(&refresh_token)
            .request_async(&http)
            .await
            .map_err(from_oauth)?;
        Ok(self
            .token_set(&response, tokens.scopes())
            .keeping_refresh_token_of(tokens))
    }

    /// Exchanges an authorization code of the browser flow, proving with the PKCE verifier that
    /// this client started it.
    pub(crate) async fn exchange_code(
        &self,
        code: String,
        verifier: PkceCodeVerifier,
        redirect_uri: RedirectUrl,
        scopes: &[Scope],
    ) -> Result<TokenSet, LwaError> {
        let http = OAuthHttp(&self.inner.http);
        let response = self
            .inner
            .oauth
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .set_redirect_uri(Cow::Owned(redirect_uri))
            .request_async(&http)
            .await
            .map_err(from_oauth)?;
        Ok(self.token_set(&response, scopes))
    }
}

/// The HTTP client `oauth2` sends through: this crate's reqwest, bounded answers. A named
/// type with a boxed future, because a closure over an `async fn` is not `Send` for every
/// lifetime `oauth2` asks about.
struct OAuthHttp<'a>(&'a reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = SendError;
    type Future =
        Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, SendError>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(send(self.0, request))
    }
}

async fn send(
    http: &reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, SendError> {
    let (parts, body) = request.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| SendError(without_url(&e)))?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_bounded(response)
        .await
        .map_err(|e| SendError(e.message()))?;
    let mut answer = oauth2::HttpResponse::new(body);
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    Ok(answer)
}

/// A transport failure seen by `oauth2`; its text names no URL and no secret.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct SendError(String);

fn from_oauth(error: RequestTokenError<SendError, oauth2::basic::BasicErrorResponse>) -> LwaError {
    match error {
        RequestTokenError::ServerResponse(answer) => LwaError::from_answer(
            answer.error().as_ref(),
            answer.error_description().map(String::as_str),
        ),
        RequestTokenError::Request(e) => LwaError::Transport(e.0),
        // The body may hold tokens: only the path where parsing failed is kept.
        RequestTokenError::Parse(e, _body) => {
            LwaError::Response(format!("the token answer does not parse (at {})", e.path()))
        }
        RequestTokenError::Other(message) => LwaError::Response(message),
    }
}
