//! The authorization code grant: the consent page at `/ap/oa`, loopback redirect URIs, PKCE
//! (S256 only) and the exchange of a code for tokens.

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use super::oauth::{self, Form, OAuthError};
use super::store::{AuthCode, Lwa, MAX_AUTH_CODES, Store};
use crate::auth::Auth;
use crate::state::MockState;

/// How long an authorization code can be exchanged.
const CODE_LIFETIME: Duration = Duration::from_secs(300);
/// The longest redirect URI taken, in bytes: each live code keeps its own, and a URI is only
/// bounded by the HTTP server's limits (tens of KiB), which the codes would multiply.
const MAX_REDIRECT_URI: usize = 2048;

/// `GET /ap/oa`: the configured user consents at once (or refuses, with `deny_consent`).
///
/// Until the client and the redirect URI are known good, problems are told to the person in
/// the browser: redirecting to an unchecked URI would make the emulator an open redirector.
pub(super) async fn authorize(State(state): State<MockState>, uri: Uri) -> Response {
    let lwa = state.lwa();
    let form = Form::from_query(uri.query());
    let refused = |message: &str| {
        oauth::page(
            StatusCode::BAD_REQUEST,
            "Sign-in request refused",
            &format!("<p>{}</p>", oauth::escape_html(message)),
        )
    };
    let (Ok(client_id), Ok(redirect_uri)) = (form.get("client_id"), form.get("redirect_uri"))
    else {
        return refused("The client_id or the redirect_uri is given more than once.");
    };
    match client_id {
        None => return refused("The request has no client_id."),
        Some(id) if id != lwa.config().client_id => {
            return refused("The client_id is not a client this server knows.");
        }
        Some(_) => {}
    }
    let Some(redirect_uri) = redirect_uri else {
        return refused("The request has no redirect_uri.");
    };
    if let Err(problem) = check_loopback(redirect_uri) {
        return refused(problem);
    }

    // From here on the redirect URI is a loopback one and problems go back to the client.
    let state_param = form.get("state").ok().flatten();
    let back = |params: &[(&str, &str)]| redirect(redirect_uri, params, state_param);
    let error = |error: &str, description: &str| {
        back(&[("error", error), ("error_description", description)])
    };
    match consent(lwa, state.auth(), &form, redirect_uri) {
        Ok(code) => back(&[("code", &code)]),
        Err(e) => error(e.error, e.description()),
    }
}

/// Checks the request past its client and redirect URI, and issues a code.
fn consent(lwa: &Lwa, auth: &Auth, form: &Form, redirect_uri: &str) -> Result<String, OAuthError> {
    match form.get("response_type")? {
        None => {
            return Err(OAuthError::invalid_request(
                "The request has no response_type.",
            ));
        }
        Some("code") => {}
        Some(_) => {
            return Err(OAuthError::pending(
                "unsupported_response_type",
                "The response_type must be code.",
            ));
        }
    }
    let scopes = oauth::scopes(form.get("scope")?)?;
    let challenge = match (
        form.get("code_challenge")?,
        form.get("code_challenge_method")?,
    ) {
        (None, None) => None,
        (Some(challenge), Some("S256")) if is_s256_challenge(challenge) => {
            Some(challenge.to_owned())
        }
        (Some(_), Some("S256")) => {
            return Err(OAuthError::invalid_request(
                "The code_challenge is not a base64url SHA-256 digest.",
            ));
        }
        (None, Some("S256")) => {
            return Err(OAuthError::invalid_request(
                "The code_challenge_method is given without a code_challenge.",
            ));
        }
        // Without a method RFC 7636 means `plain`, which the emulator (like a careful
        // server) does not accept.
        _ => {
            return Err(OAuthError::invalid_request(
                "The code_challenge_method must be S256.",
            ));
        }
    };
    let config = lwa.config();
    if config.deny_consent {
        return Err(OAuthError::pending(
            "access_denied",
            "The user refused to sign in.",
        ));
    }
    let code = oauth::secret("")?;
    let now = Instant::now();
    let mut store = lwa.lock();
    store.prune(config, auth, now);
    if store.codes.len() >= MAX_AUTH_CODES {
        return Err(OAuthError::temporarily_unavailable(
            "Too many sign-ins are waiting for their code exchange; try again later.",
        ));
    }
    store.codes.insert(
        code.clone(),
        AuthCode {
            user: config.user.clone(),
            scopes,
            redirect_uri: redirect_uri.to_owned(),
            challenge,
            expires_at: now + CODE_LIFETIME,
        },
    );
    Ok(code)
}

/// Whether `raw` is `http://` to `127.0.0.1`, `localhost` or `[::1]` with a port: the only
/// redirect URIs the emulator sends a browser to.
fn check_loopback(raw: &str) -> Result<(), &'static str> {
    const NOT_LOOPBACK: &str = "The redirect_uri must be http://127.0.0.1:<port>/..., \
                                http://localhost:<port>/... or http://[::1]:<port>/...";
    if raw.len() > MAX_REDIRECT_URI {
        return Err("The redirect_uri is longer than the 2,048 bytes this server takes.");
    }
    if raw.contains('#') {
        return Err("The redirect_uri must not have a fragment.");
    }
    let uri: Uri = raw
        .parse()
        .map_err(|_| "The redirect_uri is not a valid URI.")?;
    if !uri
        .scheme_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("http"))
    {
        return Err(NOT_LOOPBACK);
    }
    let Some(authority) = uri.authority() else {
        return Err(NOT_LOOPBACK);
    };
    if authority.as_str().contains('@') {
        return Err("The redirect_uri must not carry user information.");
    }
    let host = authority.host();
    let loopback = host == "127.0.0.1" || host == "[::1]" || host.eq_ignore_ascii_case("localhost");
    if !loopback || authority.port_u16().is_none_or(|p| p == 0) {
        return Err(NOT_LOOPBACK);
    }
    // It ends up in a Location header, so it must be a valid header value as it stands.
    HeaderValue::from_str(raw).map_err(|_| "The redirect_uri is not a valid URI.")?;
    Ok(())
}

/// A 302 to `redirect_uri` with `params` (and `state`, when the client sent one) added to
/// whatever query it already has.
fn redirect(redirect_uri: &str, params: &[(&str, &str)], state: Option<&str>) -> Response {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(params);
    if let Some(state) = state {
        query.append_pair("state", state);
    }
    let query = query.finish();
    let separator = if redirect_uri.ends_with(['?', '&']) {
        ""
    } else if redirect_uri.contains('?') {
        "&"
    } else {
        "?"
    };
    let location = format!("{redirect_uri}{separator}{query}");
    match HeaderValue::from_str(&location) {
        Ok(location) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        // Unreachable in practice: the URI was checked to be a header value and the query is
        // percent-encoded; still, answer rather than panic.
        Err(_) => oauth::page(
            StatusCode::BAD_REQUEST,
            "Sign-in request refused",
            "<p>The redirect_uri cannot be used.</p>",
        ),
    }
}

/// An S256 challenge is a SHA-256 digest in base64url without padding: 43 characters.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `verifier` is a well-formed PKCE verifier (43 to 128 unreserved characters) whose
/// S256 transform is `challenge`.
pub(super) fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// `grant_type=authorization_code`.
pub(super) fn exchange(
    lwa: &Lwa,
    store: &mut Store,
    auth: &Auth,
    form: &Form,
) -> Result<Response, OAuthError> {
    let code = form.require("code", "The request has no code.")?;
    let redirect_uri = form.require("redirect_uri", "The request has no redirect_uri.")?;
    form.require("client_id", "The request has no client_id.")?;
    let verifier = form.get("code_verifier")?;
    if verifier.is_none() && form.get("client_secret")?.is_none() {
        return Err(OAuthError::invalid_request(
            "The request needs a code_verifier (PKCE) or a client_secret.",
        ));
    }
    // Spent by any exchange that names it, good or bad (see the module's docs).
    let Some(grant) = store.codes.remove(code) else {
        return Err(OAuthError::invalid_grant(
            "The authorization code is not known or was already used.",
        ));
    };
    if Instant::now() >= grant.expires_at {
        return Err(OAuthError::invalid_grant(
            "The authorization code has expired.",
        ));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(OAuthError::invalid_grant(
            "The redirect_uri is not the one the code was issued for.",
        ));
    }
    match (&grant.challenge, verifier) {
        (Some(challenge), Some(verifier)) if pkce_matches(verifier, challenge) => {}
        (Some(_), Some(_)) => {
            return Err(OAuthError::invalid_grant(
                "The code_verifier does not match the code_challenge.",
            ));
        }
        (Some(_), None) => {
            return Err(OAuthError::invalid_grant(
                "The code was issued with a code_challenge; its code_verifier is needed.",
            ));
        }
        (None, Some(_)) => {
            return Err(OAuthError::invalid_grant(
                "The code was issued without a code_challenge, so no code_verifier applies.",
            ));
        }
        // The client authenticated with its secret, checked by the token endpoint.
        (None, None) => {}
    }
    lwa.issue(store, auth, &grant.user, &grant.scopes, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_example() {
        // The example of RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(is_s256_challenge(challenge));
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK",
            challenge
        ));
        // `plain` would compare the verifier itself: never accepted.
        assert!(!pkce_matches(verifier, verifier));
        // Too short to be a verifier, even with the right digest.
        let short = "abc";
        let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(short));
        assert!(!pkce_matches(short, &digest));
        assert!(!is_s256_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"
        ));
    }

    #[test]
    fn only_loopback_http_with_a_port_is_a_redirect_uri() {
        for ok in [
            "http://127.0.0.1:8080/callback",
            "http://localhost:1234/cb?x=1",
            "http://LOCALHOST:1234",
            "http://[::1]:9000/",
        ] {
            assert_eq!(check_loopback(ok), Ok(()), "{ok}");
        }
        for bad in [
            "https://127.0.0.1:8080/cb",
            "http://127.0.0.1/cb",
            "http://127.0.0.1:0/cb",
            "http://example.com:8080/cb",
            "http://127.0.0.1.example.com:8080/cb",
            "http://evil@127.0.0.1:8080/cb",
            "http://127.0.0.1:8080/cb#frag",
            "/cb",
            "not a uri",
            "javascript:alert(1)",
        ] {
            assert!(check_loopback(bad).is_err(), "{bad}");
        }
        let longest = format!(
            "http://127.0.0.1:8080/{}",
            "a".repeat(MAX_REDIRECT_URI - 22)
        );
        assert_eq!(longest.len(), MAX_REDIRECT_URI);
        assert_eq!(check_loopback(&longest), Ok(()));
        assert!(check_loopback(&format!("{longest}a")).is_err());
    }

    #[test]
    fn redirects_keep_the_query_and_encode_the_parameters() {
        let location = |r: Response| r.headers()[header::LOCATION].to_str().unwrap().to_owned();
        assert_eq!(
            location(redirect(
                "http://127.0.0.1:1/cb?a=1",
                &[("code", "x/y+z")],
                Some("s t&u")
            )),
            "http://127.0.0.1:1/cb?a=1&code=x%2Fy%2Bz&state=s+t%26u"
        );
        assert_eq!(
            location(redirect("http://127.0.0.1:1/cb", &[("code", "c")], None)),
            "http://127.0.0.1:1/cb?code=c"
        );
        assert_eq!(
            location(redirect("http://127.0.0.1:1/cb?", &[("code", "c")], None)),
            "http://127.0.0.1:1/cb?code=c"
        );
    }
}
