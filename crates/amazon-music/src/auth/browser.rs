//! The browser flow: the authorization code grant with PKCE (S256) and a `state` check, the
//! redirect received on a loopback listener.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use oauth2::{CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use super::Scope;
use super::lwa::{Lwa, LwaError, TokenSet};

/// The path LWA redirects the browser to on the loopback listener.
const CALLBACK_PATH: &str = "/callback";

/// A browser sign-in in progress: open [`authorize_url`](Self::authorize_url) in the person's
/// browser, then [`finish`](Self::finish). The listener is already bound, so the redirect
/// cannot arrive before anyone listens.
pub struct BrowserSignIn {
    lwa: Lwa,
    listener: TcpListener,
    authorize_url: String,
    redirect_uri: RedirectUrl,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    scopes: Vec<Scope>,
}

impl fmt::Debug for BrowserSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL carries the state and the PKCE challenge; neither is secret alone, but the
        // state is what keeps a forged redirect out, so it is not printed.
        f.debug_struct("BrowserSignIn")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl Lwa {
    /// Starts a browser sign-in: binds a listener on `127.0.0.1:port` (0 for any free port;
    /// give the port registered on the security profile as `http://127.0.0.1:<port>/callback`)
    /// and builds the consent URL, with a fresh `state` and PKCE challenge.
    pub async fn start_browser_flow(
        &self,
        scopes: &[Scope],
        port: u16,
    ) -> Result<BrowserSignIn, LwaError> {
        if scopes.is_empty() {
            return Err(LwaError::Config(
                "no scopes: ask for at least one (see scopes_for)".into(),
            ));
        }
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .await
            .map_err(|e| LwaError::Listener(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| LwaError::Listener(e.to_string()))?;
        let redirect_uri = RedirectUrl::new(format!("http://{bound}{CALLBACK_PATH}"))
            .map_err(|e| LwaError::Listener(e.to_string()))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .oauth()
            .authorize_url(CsrfToken::new_random)
            .add_scopes(
                scopes
                    .iter()
                    .map(|s| oauth2::Scope::new(s.as_str().to_owned())),
            )
            .set_pkce_challenge(challenge)
            .set_redirect_uri(std::borrow::Cow::Borrowed(&redirect_uri))
            .url();
        Ok(BrowserSignIn {
            lwa: self.clone(),
            listener,
            authorize_url: url.to_string(),
            redirect_uri,
            state,
            verifier,
            scopes: scopes.to_vec(),
        })
    }
}

/// What the browser brought back to the listener.
type Redirect = Result<String, LwaError>;

impl BrowserSignIn {
    /// The consent page to open in the person's browser.
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    /// Where LWA sends the browser back: `http://127.0.0.1:<port>/callback`.
    pub fn redirect_uri(&self) -> &str {
        self.redirect_uri.as_str()
    }

    /// Waits for the browser to come back, answers it with a short page, checks the `state`
    /// and exchanges the code (with the PKCE verifier) for tokens.
    ///
    /// A redirect with another `state` ends the sign-in with [`LwaError::StateMismatch`]; one
    /// with `error=access_denied`, with [`LwaError::Denied`]; `cancel` completing, with
    /// [`LwaError::Cancelled`].
    pub async fn finish(self, cancel: impl Future<Output = ()>) -> Result<TokenSet, LwaError> {
        let (sender, mut receiver) = mpsc::channel::<Redirect>(1);
        let expected = self.state.secret().clone();
        let app = Router::new()
            .route(CALLBACK_PATH, get(callback))
            .with_state((sender, expected));
        let server = axum::serve(self.listener, app);
        let code = tokio::select! {
            biased;
            () = cancel => return Err(LwaError::Cancelled),
            served = server => {
                return Err(LwaError::Listener(match served {
                    Ok(()) => "the listener stopped".to_owned(),
                    Err(e) => e.to_string(),
                }));
            }
            redirect = receiver.recv() => redirect
                .unwrap_or_else(|| Err(LwaError::Listener("the listener stopped".into())))?,
        };
        // The select above dropped the server: nothing listens once the code is in hand.
        self.lwa
            .exchange_code(code, self.verifier, self.redirect_uri, &self.scopes)
            .await
    }
}

async fn callback(
    State((sender, expected)): State<(mpsc::Sender<Redirect>, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> (StatusCode, Html<&'static str>) {
    let outcome = redirect_outcome(&params, &expected);
    let page = match &outcome {
        Ok(_) => (
            StatusCode::OK,
            Html(
                "<!doctype html><title>Signed in</title><p>Signed in to Amazon Music. You can close this tab and return to the application.</p>",
            ),
        ),
        Err(_) => (
            StatusCode::BAD_REQUEST,
            Html(
                "<!doctype html><title>Sign-in failed</title><p>The sign-in did not complete. Return to the application for details.</p>",
            ),
        ),
    };
    // Only the first redirect counts; a second (a reload) finds the channel full or closed.
    let _ = sender.try_send(outcome);
    page
}

fn redirect_outcome(params: &HashMap<String, String>, expected_state: &str) -> Redirect {
    if params.get("state").map(String::as_str) != Some(expected_state) {
        return Err(LwaError::StateMismatch);
    }
    if let Some(error) = params.get("error") {
        return Err(LwaError::from_answer(
            error,
            params.get("error_description").map(String::as_str),
        ));
    }
    params
        .get("code")
        .filter(|c| !c.is_empty())
        .cloned()
        .ok_or_else(|| {
            LwaError::Response("the redirect carries neither a code nor an error".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_state_is_checked_before_anything_else() {
        let forged = params(&[("code", "c"), ("state", "other")]);
        assert!(matches!(
            redirect_outcome(&forged, "s"),
            Err(LwaError::StateMismatch)
        ));
        let missing = params(&[("code", "c")]);
        assert!(matches!(
            redirect_outcome(&missing, "s"),
            Err(LwaError::StateMismatch)
        ));
        let denied = params(&[("error", "access_denied"), ("state", "s")]);
        assert!(matches!(
            redirect_outcome(&denied, "s"),
            Err(LwaError::Denied { .. })
        ));
        let empty = params(&[("state", "s")]);
        assert!(matches!(
            redirect_outcome(&empty, "s"),
            Err(LwaError::Response(_))
        ));
        let good = params(&[("code", "c"), ("state", "s")]);
        assert_eq!(redirect_outcome(&good, "s").unwrap(), "c");
    }
}
