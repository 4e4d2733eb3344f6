//! Code-based linking (LWA's device flow): code pairs, polling with `slow_down` as RFC 8628
//! describes it, and the page where a person types in the user code.

use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

use super::oauth::{self, Form, OAuthError};
use super::store::{
    Decision, DeviceCode, Lwa, MAX_DEVICE_CODES, MAX_POLLS_RECORDED_TOTAL, Store,
    normalise_user_code,
};
use crate::auth::Auth;
use crate::state::MockState;

/// Letters and digits a person cannot misread for one another (no 0/O, 1/I); 32 of them, so
/// a random byte masked to five bits picks one without bias.
const USER_CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const USER_CODE_LEN: usize = 8;
/// What RFC 8628 adds to the interval on each `slow_down`.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Poll times kept per code, for [`Lwa::device_polls`]; a runaway client stops adding.
const MAX_POLLS_RECORDED: usize = 1024;

/// `POST /auth/o2/create/codepair`.
pub(super) async fn create_codepair(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let lwa = state.lwa();
    let answer = match Form::from_body(&headers, body).await {
        Ok(form) => codepair(lwa, state.auth(), &headers, &form),
        Err(e) => Err(e),
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}

fn codepair(
    lwa: &Lwa,
    auth: &Auth,
    headers: &HeaderMap,
    form: &Form,
) -> Result<Response, OAuthError> {
    let config = lwa.config();
    let response_type = form.require("response_type", "The request has no response_type.")?;
    let client_id = form.require("client_id", "The request has no client_id.")?;
    if client_id != config.client_id {
        return Err(
            OAuthError::invalid_client("The client_id is not a client this server knows.")
                .with_status(StatusCode::BAD_REQUEST),
        );
    }
    if response_type != "device_code" {
        return Err(OAuthError::invalid_request(
            "The response_type of a code pair request must be device_code.",
        ));
    }
    let scopes = oauth::scopes(form.get("scope")?)?;

    let device_code = oauth::secret("")?;
    let now = Instant::now();
    let mut store = lwa.lock();
    store.prune(config, auth, now);
    if store.devices.len() >= MAX_DEVICE_CODES {
        return Err(OAuthError::temporarily_unavailable(
            "Too many code pairs are waiting; try again later.",
        ));
    }
    let user_code = fresh_user_code(&store)?;
    let decision = if config.auto_approve {
        Decision::Approved(config.user.clone())
    } else {
        Decision::Pending
    };
    store.devices.insert(
        device_code.clone(),
        DeviceCode {
            user_code: user_code.clone(),
            scopes,
            created: now,
            expires_at: now + config.device_code_lifetime,
            interval: config.poll_interval,
            last_poll: None,
            polls: Vec::new(),
            forced_slow_downs: 0,
            decision,
        },
    );
    drop(store);

    let body = serde_json::json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": format!("http://{}/code", host(lwa, headers)),
        "expires_in": config.device_code_lifetime.as_secs(),
        "interval": whole_seconds_up(config.poll_interval),
    });
    Ok(oauth::json(StatusCode::OK, &body))
}

/// A user code no live code pair has.
fn fresh_user_code(store: &Store) -> Result<String, OAuthError> {
    // 40 bits against at most a few thousand live codes: a clash is rare, several in a row
    // mean something is wrong with the generator.
    for _ in 0..8 {
        let bytes = oauth::random_bytes::<USER_CODE_LEN>()?;
        let code: String = bytes
            .iter()
            .map(|b| char::from(USER_CODE_ALPHABET[usize::from(b & 31)]))
            .collect();
        if !store.devices.values().any(|d| d.user_code == code) {
            return Ok(code);
        }
    }
    Err(OAuthError::server_error("No unused user code was found."))
}

/// The host the client reached us by; a Host header that is not a plain authority (no user
/// info) is not trusted into a URL, and the bound address stands in.
fn host(lwa: &Lwa, headers: &HeaderMap) -> String {
    let from_header = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.contains('@'))
        .and_then(|h| h.parse::<Authority>().ok());
    match (from_header, lwa.bound.get()) {
        (Some(authority), _) => authority.to_string(),
        (None, Some(addr)) => addr.to_string(),
        (None, None) => "localhost".to_owned(),
    }
}

/// An interval in whole seconds, rounded up so a client that waits what it is told is
/// never early.
fn whole_seconds_up(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// `grant_type=device_code`: one poll of the token endpoint.
pub(super) fn poll(
    lwa: &Lwa,
    store: &mut Store,
    auth: &Auth,
    form: &Form,
) -> Result<Response, OAuthError> {
    let device_code = form.require("device_code", "The request has no device_code.")?;
    let user_code = form.require("user_code", "The request has no user_code.")?;
    let now = Instant::now();
    let Some(device) = store.devices.get_mut(device_code) else {
        return Err(OAuthError::invalid_grant("The device code is not known."));
    };
    if device.user_code != normalise_user_code(user_code) {
        return Err(OAuthError::invalid_grant(
            "The user code is not the one issued with this device code.",
        ));
    }
    if device.polls.len() < MAX_POLLS_RECORDED && store.polls < MAX_POLLS_RECORDED_TOTAL {
        device.polls.push(now - device.created);
        store.polls += 1;
    }
    if matches!(device.decision, Decision::Consumed) {
        return Err(consumed());
    }
    if now >= device.expires_at {
        return Err(OAuthError::pending(
            "expired_token",
            "The device code has expired; request a new code pair.",
        ));
    }
    let forced = device.forced_slow_downs < lwa.config().slow_down_first;
    let early = device
        .last_poll
        .is_some_and(|last| now - last < device.interval);
    device.last_poll = Some(now);
    if forced || early {
        device.forced_slow_downs += u32::from(forced);
        device.interval += SLOW_DOWN_STEP;
        return Err(OAuthError::pending(
            "slow_down",
            "Polling too fast; wait five seconds longer between polls from now on.",
        ));
    }
    let user = match &device.decision {
        Decision::Approved(user) => user.clone(),
        Decision::Pending => {
            return Err(OAuthError::pending(
                "authorization_pending",
                "The user has not entered the code yet.",
            ));
        }
        Decision::Denied => {
            return Err(OAuthError::pending(
                "access_denied",
                "The user refused to sign in.",
            ));
        }
        Decision::Consumed => return Err(consumed()),
    };
    let scopes = device.scopes.clone();
    let answer = lwa.issue(store, auth, &user, &scopes, true)?;
    if let Some(device) = store.devices.get_mut(device_code) {
        device.decision = Decision::Consumed;
    }
    Ok(answer)
}

fn consumed() -> OAuthError {
    OAuthError::invalid_grant("The device code was already exchanged for tokens.")
}

/// `GET /code`: the form a person types the code into, filled in from `?user_code=`.
pub(super) async fn verification_page(uri: Uri) -> Response {
    let typed = Form::from_query(uri.query())
        .get("user_code")
        .ok()
        .flatten()
        .map(normalise_user_code)
        .filter(|c| looks_like_user_code(c))
        .unwrap_or_default();
    oauth::page(
        StatusCode::OK,
        "Sign in a device",
        &format!(
            "<p>Enter the code your device shows.</p>\
             <form method=\"post\" action=\"/code\">\
             <input name=\"user_code\" value=\"{}\" autocomplete=\"off\" autofocus>\
             <button type=\"submit\">Continue</button></form>",
            oauth::escape_html(&typed)
        ),
    )
}

fn looks_like_user_code(code: &str) -> bool {
    (6..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `POST /code`: the person approves the code, as the configured user.
pub(super) async fn verify(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let refused = |message: &str| {
        oauth::page(
            StatusCode::BAD_REQUEST,
            "Code not accepted",
            &format!(
                "<p>{}</p><p><a href=\"/code\">Try again</a></p>",
                oauth::escape_html(message)
            ),
        )
    };
    let form = match Form::from_body(&headers, body).await {
        Ok(form) => form,
        Err(e) => return refused(e.description()),
    };
    let typed = match form.get("user_code") {
        Ok(Some(typed)) => typed,
        Ok(None) => return refused("No code was entered."),
        Err(_) => return refused("The code was sent more than once."),
    };
    if state.lwa().approve(typed) {
        oauth::page(
            StatusCode::OK,
            "You are signed in",
            "<p>You are signed in; return to your device.</p>",
        )
    } else {
        refused("That code is not known or has expired.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalise_user_code(" abcd-2345 "), "ABCD2345");
        assert_eq!(normalise_user_code("AB CD\t23-45"), "ABCD2345");
        assert_eq!(normalise_user_code("ABCD2345"), "ABCD2345");
        assert!(looks_like_user_code("ABCD2345"));
        assert!(!looks_like_user_code("ABC"));
        assert!(!looks_like_user_code("AB<script>"));
    }

    #[test]
    fn intervals_round_up_to_whole_seconds() {
        assert_eq!(whole_seconds_up(Duration::from_secs(5)), 5);
        assert_eq!(whole_seconds_up(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds_up(Duration::ZERO), 0);
    }

    /// Beyond the total across codes, a poll is still answered but its time is not kept; a
    /// code dropped as long expired gives its share back.
    #[test]
    fn poll_times_are_bounded_across_codes() {
        use crate::config::{LwaConfig, MockConfig};
        let lwa = Lwa::new(LwaConfig::default().poll_interval(Duration::ZERO));
        let auth = Auth::new(&MockConfig::default());
        let mut store = Store::default();
        let now = Instant::now();
        for (device_code, user_code) in [("first", "AAAAAAAA"), ("second", "BBBBBBBB")] {
            store.devices.insert(
                device_code.to_owned(),
                DeviceCode {
                    user_code: user_code.to_owned(),
                    scopes: vec!["music::catalog".to_owned()],
                    created: now,
                    expires_at: now + Duration::from_secs(600),
                    interval: Duration::ZERO,
                    last_poll: None,
                    polls: Vec::new(),
                    forced_slow_downs: 0,
                    decision: Decision::Pending,
                },
            );
        }
        let poll_once = |store: &mut Store, device_code: &str, user_code: &str| {
            let form = Form::from_query(Some(&format!(
                "grant_type=device_code&device_code={device_code}&user_code={user_code}"
            )));
            let answer = poll(&lwa, store, &auth, &form).unwrap_err();
            assert_eq!(answer.error, "authorization_pending");
        };
        poll_once(&mut store, "first", "AAAAAAAA");
        // As if the other codes had recorded all but one of the total.
        store.polls = MAX_POLLS_RECORDED_TOTAL - 1;
        poll_once(&mut store, "second", "BBBBBBBB");
        poll_once(&mut store, "second", "BBBBBBBB");
        poll_once(&mut store, "first", "AAAAAAAA");
        assert_eq!(store.devices["first"].polls.len(), 1);
        assert_eq!(store.devices["second"].polls.len(), 1);
        assert_eq!(store.polls, MAX_POLLS_RECORDED_TOTAL);

        store.devices.get_mut("first").unwrap().expires_at = now;
        store.prune(lwa.config(), &auth, now + Duration::from_secs(600));
        assert!(!store.devices.contains_key("first"));
        assert_eq!(store.polls, MAX_POLLS_RECORDED_TOTAL - 1);
    }

    #[test]
    fn user_codes_use_the_unambiguous_alphabet() {
        let code = fresh_user_code(&Store::default()).unwrap();
        assert_eq!(code.len(), USER_CODE_LEN);
        assert!(code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)));
        assert!(looks_like_user_code(&code));
    }
}
