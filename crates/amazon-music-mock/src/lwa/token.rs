//! `POST /auth/o2/token`: the client checks every grant shares, the dispatch on
//! `grant_type`, and the refresh grant.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::oauth::{Form, OAuthError};
use super::store::{Lwa, Store};
use super::{consent, device};
use crate::auth::Auth;
use crate::state::MockState;

pub(super) async fn token(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let answer = match Form::from_body(&headers, body).await {
        Ok(form) => grant(state.lwa(), state.auth(), &form),
        Err(e) => Err(e),
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

fn grant(lwa: &Lwa, auth: &Auth, form: &Form) -> Result<Response, OAuthError> {
    let grant_type = form.require("grant_type", "The request has no grant_type.")?;
    let config = lwa.config();
    // A device poll may leave client_id out (the device code names the client); when any
    // grant sends one, it must be ours.
    if form
        .get("client_id")?
        .is_some_and(|id| id != config.client_id)
    {
        return Err(OAuthError::invalid_client(
            "The client_id is not a client this server knows.",
        ));
    }
    // A client with a secret is a confidential one: the grants through which it
    // authenticates must carry the secret. LWA's device grant takes none (a device cannot
    // keep one), so there a secret is checked only when one is sent.
    let takes_secret = matches!(grant_type, "authorization_code" | "refresh_token");
    if let Some(expected) = &config.client_secret {
        match form.get("client_secret")? {
            Some(sent) if sent != expected => {
                return Err(OAuthError::invalid_client("The client_secret is wrong."));
            }
            None if takes_secret => {
                return Err(OAuthError::invalid_client(
                    "The request has no client_secret, and this client has one.",
                ));
            }
            _ => {}
        }
    }
    let mut store = lwa.lock();
    match grant_type {
        "device_code" => device::poll(lwa, &mut store, auth, form),
        "authorization_code" => consent::exchange(lwa, &mut store, auth, form),
        "refresh_token" => refresh(lwa, &mut store, auth, form),
        _ => Err(OAuthError::unsupported_grant_type()),
    }
}

/// `grant_type=refresh_token`: a new access token with the scopes first granted.
fn refresh(lwa: &Lwa, store: &mut Store, auth: &Auth, form: &Form) -> Result<Response, OAuthError> {
    let token = form.require("refresh_token", "The request has no refresh_token.")?;
    form.require("client_id", "The request has no client_id.")?;
    let Some(grant) = store.refresh.get(token) else {
        return Err(OAuthError::invalid_grant(
            "The refresh token is not valid: unknown, revoked or already replaced.",
        ));
    };
    let (user, scopes) = (grant.user.clone(), grant.scopes.clone());
    let rotate = lwa.config().rotate_refresh_tokens;
    let answer = lwa.issue(store, auth, &user, &scopes, rotate)?;
    if rotate {
        store.refresh.remove(token);
    }
    Ok(answer)
}
