//! Signing in end to end against the mock's Login with Amazon emulator on loopback: each flow
//! signs in, calls the API with what it got, survives the access token expiring (the next call
//! refreshes and succeeds), rotates the refresh token, and turns a revoked one into
//! `Error::SignInRequired`. Polling runs on tokio's paused clock: no test sleeps for real.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use amazon_music::auth::lwa::{Lwa, LwaConfig, LwaError, TokenSet};
use amazon_music::auth::store::{FileTokenStore, MemoryTokenStore, TokenStore};
use amazon_music::auth::{LwaTokenProvider, Scope, scopes_for};
use amazon_music::{Client, Error};
use amazon_music_mock::{LwaConfig as EmulatorConfig, MockConfig, MockServer};

const USER: &str = "mock-user";

async fn emulator(lwa: EmulatorConfig) -> MockServer {
    MockServer::start(MockConfig::default().lwa(lwa))
        .await
        .unwrap()
}

/// A sign-in client of the emulator. No request timeout: on a paused clock a pending timeout
/// is what time would jump to while a request waits for the loopback.
fn lwa(server: &MockServer) -> Lwa {
    Lwa::new(
        LwaConfig::new("mock-client-id")
            .base_url(server.lwa_url())
            .music_api_url(server.base_url())
            .request_timeout(None),
    )
    .unwrap()
}

fn client(server: &MockServer, provider: LwaTokenProvider) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("mock-api-key")
        .token_provider(provider)
        .retry_policy(support::quick_retries())
        .build()
        .unwrap()
}

/// Runs the device flow to the end, the "person" approving once the device has polled
/// `pending_polls` times.
async fn device_sign_in(
    server: &MockServer,
    lwa: &Lwa,
    scopes: &[Scope],
    pending_polls: usize,
) -> TokenSet {
    let pending = lwa.start_device_flow(scopes).await.unwrap();
    let code = pending.user_code().to_owned();
    let person = async {
        while server.device_polls(&code).len() < pending_polls {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(server.approve_user_code(&code));
    };
    let (tokens, ()) = tokio::join!(
        lwa.poll_device_flow(&pending, std::future::pending()),
        person
    );
    tokens.unwrap()
}

#[tokio::test(start_paused = true)]
async fn device_flow_signs_in_refreshes_rotates_and_asks_to_sign_in_again_when_revoked() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let scopes = scopes_for(&["getAlbum", "getLibraryAlbums"]).unwrap();
    let tokens = device_sign_in(&server, &lwa, &scopes, 2).await;
    assert_eq!(tokens.scopes(), [Scope::Catalog, Scope::LibraryRead]);
    let first_refresh = tokens.refresh_token().unwrap().to_owned();

    let store = Arc::new(MemoryTokenStore::with(tokens.clone()));
    let client = client(
        &server,
        LwaTokenProvider::shared(lwa.clone(), store.clone()),
    );
    let album = client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(album.title.as_deref(), Some("Discovery"));
    assert_eq!(
        store.load().unwrap().unwrap(),
        tokens,
        "a fresh token is used as stored"
    );

    // The hour passes: the API refuses the token, the client refreshes once and carries on.
    assert!(server.expire_access_tokens() >= 1);
    let album = client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(album.title.as_deref(), Some("Discovery"));
    let refreshed = store.load().unwrap().unwrap();
    assert_ne!(refreshed.access_token(), tokens.access_token());
    let rotated = refreshed.refresh_token().unwrap();
    assert_ne!(rotated, first_refresh, "the refresh token is rotated");
    assert_eq!(refreshed.scopes(), tokens.scopes());
    // The old refresh token is spent.
    assert!(matches!(
        lwa.refresh(&tokens).await,
        Err(LwaError::SignInAgain { .. })
    ));

    // The scopes granted are the scopes asked for: no playback.
    let refused = client.active_sessions().await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(403), "{refused}");

    // Revoked: the next refresh needs a new sign-in, and the error says so in its type.
    assert!(server.revoke_refresh_tokens(USER) >= 1);
    server.expire_access_tokens();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(matches!(error, Error::SignInRequired(_)), "{error}");
    assert!(error.to_string().starts_with("sign in again: "), "{error}");
}

#[tokio::test(start_paused = true)]
async fn polling_waits_the_interval_and_slows_down_when_told() {
    let server = emulator(EmulatorConfig {
        poll_interval: Duration::from_secs(5),
        slow_down_first: 2,
        ..EmulatorConfig::default()
    })
    .await;
    let lwa = lwa(&server);
    let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
    assert_eq!(pending.interval(), Duration::from_secs(5));
    let code = pending.user_code().to_owned();
    let person = async {
        while server.device_polls(&code).len() < 4 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(server.approve_user_code(&code));
    };
    let (tokens, ()) = tokio::join!(
        lwa.poll_device_flow(&pending, std::future::pending()),
        person
    );
    tokens.unwrap();
    let polls = server.device_polls(&code);
    assert_eq!(polls.len(), 5, "{polls:?}");
    let gaps: Vec<u64> = std::iter::once(polls[0])
        .chain(polls.windows(2).map(|w| w[1] - w[0]))
        .map(|d| d.as_secs())
        .collect();
    // 5 s at first; each slow_down adds 5 s for good (RFC 8628 3.5).
    assert_eq!(gaps, [5, 10, 15, 15, 15], "{polls:?}");
}

#[tokio::test(start_paused = true)]
async fn polling_never_triggers_slow_down_by_itself() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    device_sign_in(&server, &lwa, &[Scope::Catalog], 6).await;
    // The emulator answers slow_down to any poll early by its reckoning; getting through six
    // pending polls at the same interval shows none came early.
}

#[tokio::test(start_paused = true)]
async fn an_expired_code_a_refusal_and_a_cancel_each_end_with_their_error() {
    let server = emulator(EmulatorConfig {
        device_code_lifetime: Duration::from_secs(60),
        ..EmulatorConfig::default()
    })
    .await;
    let lwa = lwa(&server);

    let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
    let expired = lwa.poll_device_flow(&pending, std::future::pending()).await;
    assert!(
        matches!(expired, Err(LwaError::DeviceCodeExpired)),
        "{expired:?}"
    );

    let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
    assert!(server.deny_user_code(pending.user_code()));
    let denied = lwa.poll_device_flow(&pending, std::future::pending()).await;
    assert!(matches!(denied, Err(LwaError::Denied { .. })), "{denied:?}");

    let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
    let cancelled = lwa
        .poll_device_flow(&pending, tokio::time::sleep(Duration::from_secs(12)))
        .await;
    assert!(
        matches!(cancelled, Err(LwaError::Cancelled)),
        "{cancelled:?}"
    );
    assert_eq!(
        server.device_polls(pending.user_code()).len(),
        2,
        "polled at 5 s and 10 s only"
    );
}

#[tokio::test]
async fn a_wrong_client_id_and_an_unknown_scope_are_lwa_errors() {
    let server = emulator(EmulatorConfig::default()).await;
    let stranger = Lwa::new(LwaConfig::new("someone-else").base_url(server.lwa_url())).unwrap();
    let error = stranger
        .start_device_flow(&[Scope::Catalog])
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string().split(':').next(),
        Some("Login with Amazon answered invalid_client"),
        "{error}"
    );
    let error = lwa(&server)
        .start_device_flow(&[Scope::Other("music::everything".into())])
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("Login with Amazon answered invalid_scope"),
        "{error}"
    );
}

/// Plays the browser: follows the consent page's redirect back to the listener, with the
/// redirect's `state` replaced when `forge_state` is given. Returns the listener's status.
async fn browse(authorize_url: &str, forge_state: Option<&str>) -> u16 {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let consent = browser.get(authorize_url).send().await.unwrap();
    assert_eq!(consent.status().as_u16(), 302);
    let location = consent.headers()["location"].to_str().unwrap().to_owned();
    let mut back = url::Url::parse(&location).unwrap();
    assert_eq!(back.host_str(), Some("127.0.0.1"));
    if let Some(state) = forge_state {
        let pairs: Vec<(String, String)> = back
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "state" {
                    state.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        back.query_pairs_mut().clear().extend_pairs(pairs);
    }
    browser.get(back).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn browser_flow_with_pkce_signs_in_and_its_tokens_refresh() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let scopes = scopes_for(&["getAlbum", "addLibraryAlbum"]).unwrap();
    let sign_in = lwa.start_browser_flow(&scopes, 0).await.unwrap();
    let url = url::Url::parse(sign_in.authorize_url()).unwrap();
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["scope"], "music::catalog music::library");
    assert_eq!(query["redirect_uri"], sign_in.redirect_uri());
    // Where the redirect comes back and what is asked; the state stays out.
    let shown = format!("{sign_in:?}");
    for useful in [
        format!("redirect_uri: {:?}", sign_in.redirect_uri()),
        "scopes: [Catalog, Library]".to_owned(),
    ] {
        assert!(shown.contains(&useful), "{useful} missing from {shown}");
    }
    assert!(!shown.contains(&query["state"]), "{shown}");
    let authorize_url = sign_in.authorize_url().to_owned();
    let (tokens, status) = tokio::join!(
        sign_in.finish(std::future::pending()),
        browse(&authorize_url, None)
    );
    assert_eq!(status, 200, "the browser is told it worked");
    let tokens = tokens.unwrap();

    let store = Arc::new(MemoryTokenStore::with(tokens.clone()));
    let client = client(
        &server,
        LwaTokenProvider::shared(lwa.clone(), store.clone()),
    );
    client.save_album("B0064UPU4G").await.unwrap();
    server.expire_access_tokens();
    client.get_album("B0064UPU4G").await.unwrap();
    assert_ne!(
        store.load().unwrap().unwrap().access_token(),
        tokens.access_token()
    );
}

/// Sends `request` as it is to the listener at `addr` and reads the answer to its end (the
/// listener closes every connection after one answer).
async fn raw(addr: std::net::SocketAddr, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    // A request the listener stopped reading may be reset rather than closed, under the
    // writer or the reader: what arrived before the reset is the answer.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn listener_addr(redirect_uri: &str) -> std::net::SocketAddr {
    let url = url::Url::parse(redirect_uri).unwrap();
    url.socket_addrs(|| None).unwrap()[0]
}

fn state_of(authorize_url: &str) -> String {
    url::Url::parse(authorize_url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned()
}

/// Anything that reaches the listener before the real redirect (a forged or missing `state`,
/// another path, bytes that are not HTTP, a connection that says nothing) is answered with a
/// fixed page and ignored; the real redirect then signs in, and the listener is gone.
#[tokio::test]
async fn stray_requests_are_ignored_and_the_real_redirect_still_signs_in() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let sign_in = lwa.start_browser_flow(&[Scope::Catalog], 0).await.unwrap();
    let authorize_url = sign_in.authorize_url().to_owned();
    let addr = listener_addr(sign_in.redirect_uri());
    let state = state_of(&authorize_url);
    let finished = tokio::spawn(sign_in.finish(std::future::pending()));

    // Says nothing, and holds up no one.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();

    let forged = raw(
        addr,
        b"GET /callback?code=stolen&state=forged HTTP/1.1\r\nhost: x\r\n\r\n",
    )
    .await;
    assert!(forged.starts_with("HTTP/1.1 400 "), "{forged}");
    assert!(forged.contains("not the answer"), "{forged}");
    // Nothing of the request comes back in the page.
    assert!(
        !forged.contains("stolen") && !forged.contains("forged"),
        "{forged}"
    );
    let stateless = raw(addr, b"GET /callback?code=c HTTP/1.1\r\n\r\n").await;
    assert!(stateless.contains("not the answer"), "{stateless}");
    let denied = raw(
        addr,
        b"GET /callback?error=access_denied&state=forged HTTP/1.1\r\n\r\n",
    )
    .await;
    assert!(denied.contains("not the answer"), "{denied}");
    let twice = format!("GET /callback?code=c&state=forged&state={state} HTTP/1.1\r\n\r\n");
    assert!(raw(addr, twice.as_bytes()).await.contains("not the answer"));
    let favicon = raw(addr, b"GET /favicon.ico HTTP/1.1\r\n\r\n").await;
    assert!(favicon.starts_with("HTTP/1.1 404 "), "{favicon}");
    let posted = format!("POST /callback?code=c&state={state} HTTP/1.1\r\n\r\n");
    let posted = raw(addr, posted.as_bytes()).await;
    assert!(posted.starts_with("HTTP/1.1 405 "), "{posted}");
    let garbage = raw(
        addr,
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n",
    )
    .await;
    assert!(garbage.starts_with("HTTP/1.1 400 "), "{garbage}");
    let huge = [b"GET /callback HTTP/1.1\r\nx: ".as_slice(), &[b'a'; 20_000]].concat();
    let huge = raw(addr, &huge).await;
    assert!(
        huge.is_empty() || huge.starts_with("HTTP/1.1 431 "),
        "{huge}"
    );
    // A redirect with a real code and a forged state: refused, the code not exchanged.
    assert_eq!(browse(&authorize_url, Some("forged-state")).await, 400);

    assert_eq!(browse(&authorize_url, None).await, 200, "the real redirect");
    let tokens = finished.await.unwrap().unwrap();
    assert_eq!(tokens.scopes(), [Scope::Catalog]);

    // The silent connection was closed with the listener, and nothing listens any more.
    use tokio::io::AsyncReadExt;
    assert_eq!(silent.read(&mut [0; 16]).await.unwrap_or(0), 0);
    let refused = tokio::net::TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

/// A redirect with this sign-in's `state` ends the flow whatever it says: LWA's refusal is the
/// flow's typed error, and the listener stops.
#[tokio::test]
async fn lwas_error_redirect_with_the_right_state_ends_the_flow() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let sign_in = lwa.start_browser_flow(&[Scope::Catalog], 0).await.unwrap();
    let addr = listener_addr(sign_in.redirect_uri());
    let state = state_of(sign_in.authorize_url());
    let finished = tokio::spawn(sign_in.finish(std::future::pending()));
    let refusal = format!(
        "GET /callback?error=access_denied&error_description=declined&state={state} HTTP/1.1\r\n\r\n"
    );
    let page = raw(addr, refusal.as_bytes()).await;
    assert!(page.starts_with("HTTP/1.1 400 "), "{page}");
    assert!(page.contains("did not complete"), "{page}");
    let result = finished.await.unwrap();
    assert!(
        matches!(&result, Err(LwaError::Denied { description }) if description == "declined"),
        "{result:?}"
    );
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

/// A blocking HTTP/1.1 GET of `url`: the status and the `Location` header. For tests on a
/// paused clock, run inside `spawn_blocking`, which keeps tokio's clock from jumping while it
/// waits for the loopback.
fn blocking_get(url: &str) -> (u16, Option<String>) {
    use std::io::{Read, Write};
    let url = url::Url::parse(url).unwrap();
    let addr = url.socket_addrs(|| None).unwrap()[0];
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    // Only a guard against a test that hangs: every answer here comes at once.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let location = answer.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then(|| value.trim().to_owned())
    });
    (status, location)
}

/// The consent page and the redirect back, as [`browse`] does, for a paused clock.
async fn browse_blocking(authorize_url: &str) -> u16 {
    let authorize_url = authorize_url.to_owned();
    tokio::task::spawn_blocking(move || {
        let (status, location) = blocking_get(&authorize_url);
        assert_eq!(status, 302);
        blocking_get(&location.unwrap()).0
    })
    .await
    .unwrap()
}

/// A connection that sends nothing is closed after its own timeout, and the sign-in goes on.
#[tokio::test(start_paused = true)]
async fn a_silent_connection_is_closed_and_the_sign_in_goes_on() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let sign_in = lwa.start_browser_flow(&[Scope::Catalog], 0).await.unwrap();
    let authorize_url = sign_in.authorize_url().to_owned();
    let addr = listener_addr(sign_in.redirect_uri());
    let finished = tokio::spawn(sign_in.finish(std::future::pending()));
    // Connected by the time the call returns (loopback), so the listener sees it at once.
    let mut silent = std::net::TcpStream::connect(addr).unwrap();
    tokio::time::sleep(Duration::from_secs(11)).await;
    let closed = tokio::task::spawn_blocking(move || {
        use std::io::Read;
        silent
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        silent.read(&mut [0; 16]).map_err(|e| e.kind())
    })
    .await
    .unwrap();
    assert_eq!(closed, Ok(0), "closed after 10 s without a word");
    assert!(!finished.is_finished());

    assert_eq!(browse_blocking(&authorize_url).await, 200);
    finished.await.unwrap().unwrap();
}

/// Nobody comes back: the flow ends on its own, with its own error, counting what it ignored.
#[tokio::test(start_paused = true)]
async fn a_browser_that_never_comes_back_times_out() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let started = tokio::time::Instant::now();
    let sign_in = lwa.start_browser_flow(&[Scope::Catalog], 0).await.unwrap();
    let error = sign_in.finish(std::future::pending()).await.unwrap_err();
    assert!(
        matches!(error, LwaError::BrowserTimeout { waited, ignored: 0 } if waited == Duration::from_secs(300)),
        "{error:?}"
    );
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(300),
        "five minutes by default"
    );
    assert_eq!(
        error.to_string(),
        "the browser did not come back within 300 s (0 other requests to the sign-in listener \
         were ignored): start the sign-in again"
    );

    let sign_in = lwa
        .start_browser_flow(&[Scope::Catalog], 0)
        .await
        .unwrap()
        .timeout(Duration::from_secs(30));
    let addr = listener_addr(sign_in.redirect_uri());
    let finished = tokio::spawn(sign_in.finish(std::future::pending()));
    let stray = tokio::task::spawn_blocking(move || {
        blocking_get(&format!("http://{addr}/callback?code=c&state=forged")).0
    });
    assert_eq!(stray.await.unwrap(), 400);
    let error = finished.await.unwrap().unwrap_err();
    assert!(
        matches!(error, LwaError::BrowserTimeout { waited, ignored: 1 } if waited == Duration::from_secs(30)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_declined_consent_is_a_typed_refusal() {
    let server = emulator(EmulatorConfig {
        deny_consent: true,
        ..EmulatorConfig::default()
    })
    .await;
    let lwa = lwa(&server);
    let sign_in = lwa.start_browser_flow(&[Scope::Catalog], 0).await.unwrap();
    let authorize_url = sign_in.authorize_url().to_owned();
    let (result, status) = tokio::join!(
        sign_in.finish(std::future::pending()),
        browse(&authorize_url, None)
    );
    assert_eq!(status, 400);
    assert!(matches!(result, Err(LwaError::Denied { .. })), "{result:?}");
}

#[tokio::test]
async fn without_a_stored_sign_in_the_first_call_asks_for_one() {
    let server = emulator(EmulatorConfig::default()).await;
    let client = client(
        &server,
        LwaTokenProvider::new(lwa(&server), MemoryTokenStore::new()),
    );
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "sign in again: no sign-in is stored in memory"
    );
    assert_eq!(server.requests("getAlbum"), 0);
}

#[tokio::test(start_paused = true)]
async fn a_sign_in_saved_to_a_file_is_owner_only_and_serves_the_next_process() {
    let server = emulator(EmulatorConfig::default()).await;
    let lwa = lwa(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens/mock-client-id/default.json");
    let store = FileTokenStore::at(&path, "mock-client-id", "default");
    let tokens = device_sign_in(&server, &lwa, &[Scope::Catalog], 1).await;
    store.save(&tokens).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Another process: a new provider over the same file, refreshing when the hour is over.
    server.expire_access_tokens();
    let next = client(
        &server,
        LwaTokenProvider::new(
            lwa.clone(),
            FileTokenStore::at(&path, "mock-client-id", "default"),
        ),
    );
    next.get_album("B0064UPU4G").await.unwrap();
    let saved = store.load().unwrap().unwrap();
    assert_ne!(
        saved.refresh_token(),
        tokens.refresh_token(),
        "the rotated token was saved"
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_about_to_expire_is_refreshed_before_the_api_can_refuse_it() {
    // Tokens that live less than the refresh margin are refreshed before every use.
    let server = emulator(EmulatorConfig {
        access_token_lifetime: Duration::from_secs(30),
        ..EmulatorConfig::default()
    })
    .await;
    let lwa = lwa(&server);
    let tokens = device_sign_in(&server, &lwa, &[Scope::Catalog], 1).await;
    let store = Arc::new(MemoryTokenStore::with(tokens.clone()));
    let client = client(&server, LwaTokenProvider::shared(lwa, store.clone()));
    client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(
        server.requests("getAlbum"),
        1,
        "no request was refused: the token was replaced before it was sent"
    );
    assert_ne!(
        store.load().unwrap().unwrap().access_token(),
        tokens.access_token()
    );
}

/// A loopback server that counts the connections made to it and answers none: the host a
/// sign-in must never reach. Gives its URL and the count.
async fn counting_host() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(connection);
        }
    });
    (url, count)
}

/// An emulator whose access tokens live less than the refresh margin, so a provider
/// refreshes before every use: a stored sign-in's refresh token is sent at once.
async fn refreshing_emulator() -> MockServer {
    emulator(EmulatorConfig {
        access_token_lifetime: Duration::from_secs(30),
        ..EmulatorConfig::default()
    })
    .await
}

/// A sign-in kept in a file of `dir`, made with `server`'s emulator for its API.
async fn stored_sign_in(server: &MockServer, dir: &tempfile::TempDir) -> FileTokenStore {
    let tokens = device_sign_in(server, &lwa(server), &[Scope::Catalog], 1).await;
    let store = FileTokenStore::at(dir.path().join("me.json"), "mock-client-id", "me");
    store.save(&tokens).unwrap();
    store
}

#[tokio::test(start_paused = true)]
async fn a_sign_in_is_refused_with_another_lwa_host_and_nothing_reaches_it() {
    let server = refreshing_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let store = stored_sign_in(&server, &dir).await;
    let before = std::fs::read(store.path()).unwrap();
    let (elsewhere, reached) = counting_host().await;
    let other_lwa = || {
        Lwa::new(
            LwaConfig::new("mock-client-id")
                .client_secret("client-secret")
                .base_url(&elsewhere)
                .music_api_url(server.base_url())
                .request_timeout(None),
        )
        .unwrap()
    };

    let refusing = client(&server, LwaTokenProvider::new(other_lwa(), store.clone()));
    let error = refusing.get_album("B0064UPU4G").await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert!(
        text.contains(&format!(
            "with Login with Amazon at {} (requested: {elsewhere})",
            server.lwa_url()
        )),
        "{text}"
    );
    assert_eq!(
        reached.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "neither the refresh token nor the client secret went to the other host"
    );
    assert_eq!(server.requests("getAlbum"), 0);
    assert_eq!(std::fs::read(store.path()).unwrap(), before);

    // Lwa::refresh itself refuses a set made with another host, before sending anything.
    let stored = store.load().unwrap().unwrap();
    let refused = other_lwa().refresh(&stored).await.unwrap_err();
    assert!(matches!(refused, LwaError::WrongHosts(_)), "{refused:?}");
    assert_eq!(reached.load(std::sync::atomic::Ordering::SeqCst), 0);

    // Allowed explicitly, the refresh does go there (and fails: that host is no LWA).
    let allowed = client(
        &server,
        LwaTokenProvider::new(other_lwa(), store.clone()).allow_other_hosts(true),
    );
    allowed.get_album("B0064UPU4G").await.unwrap_err();
    assert!(reached.load(std::sync::atomic::Ordering::SeqCst) >= 1);
}

#[tokio::test(start_paused = true)]
async fn a_sign_in_is_refused_for_another_api_host_and_no_token_reaches_it() {
    let server = emulator(EmulatorConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let store = stored_sign_in(&server, &dir).await;
    let (elsewhere, reached) = counting_host().await;
    let elsewhere_api = format!("{elsewhere}/v1");

    // A client of the other API with a provider for it: the stored sign-in is for the
    // mock's API, so its access token is not handed out.
    let for_elsewhere = Lwa::new(
        LwaConfig::new("mock-client-id")
            .base_url(server.lwa_url())
            .music_api_url(&elsewhere_api)
            .request_timeout(None),
    )
    .unwrap();
    let client = Client::builder()
        .base_url(&elsewhere_api)
        .api_key("mock-api-key")
        .token_provider(LwaTokenProvider::new(for_elsewhere, store.clone()))
        .retry_policy(support::quick_retries())
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert!(
        text.contains(&format!(
            "for the API at {} (requested: {elsewhere})",
            server.lwa_url()
        )),
        "{text}"
    );
    assert_eq!(
        reached.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the access token did not go to the other API"
    );

    // A provider for the mock's API attached to a client of the other: refused when built.
    let error = Client::builder()
        .base_url(&elsewhere_api)
        .api_key("mock-api-key")
        .token_provider(LwaTokenProvider::new(lwa(&server), store.clone()))
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(
        error.to_string().contains(&format!(
            "is for the API at {}, and this client calls {elsewhere}",
            server.lwa_url()
        )),
        "{error}"
    );

    // Allowed explicitly, the client is built and its request goes there.
    let allowed = Client::builder()
        .base_url(&elsewhere_api)
        .api_key("mock-api-key")
        .token_provider(LwaTokenProvider::new(lwa(&server), store).allow_other_hosts(true))
        .retry_policy(support::quick_retries())
        .build()
        .unwrap();
    allowed.get_album("B0064UPU4G").await.unwrap_err();
    assert!(reached.load(std::sync::atomic::Ordering::SeqCst) >= 1);
}

#[tokio::test]
async fn a_sign_in_that_records_no_hosts_asks_for_a_new_one() {
    let server = emulator(EmulatorConfig::default()).await;
    let bare = TokenSet::new(
        "access",
        Some("refresh".into()),
        std::time::SystemTime::now() + Duration::from_secs(3600),
        vec![Scope::Catalog],
    );
    let client = client(
        &server,
        LwaTokenProvider::new(lwa(&server), MemoryTokenStore::with(bare)),
    );
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(matches!(error, Error::SignInRequired(_)), "{error:?}");
    assert!(
        error.to_string().contains("does not say which hosts"),
        "{error}"
    );
    assert_eq!(server.requests("getAlbum"), 0);
}

/// A store whose first read answers what the file held before another process rotated the
/// refresh token: the moment between one process's read and its refresh.
struct ReadBeforeTheRotation {
    file: FileTokenStore,
    earlier: std::sync::Mutex<Option<TokenSet>>,
}

impl TokenStore for ReadBeforeTheRotation {
    fn load(&self) -> Result<Option<TokenSet>, amazon_music::auth::store::StoreError> {
        match self.earlier.lock().unwrap().take() {
            Some(earlier) => Ok(Some(earlier)),
            None => self.file.load(),
        }
    }
    fn save(&self, tokens: &TokenSet) -> Result<(), amazon_music::auth::store::StoreError> {
        self.file.save(tokens)
    }
    fn clear(&self) -> Result<bool, amazon_music::auth::store::StoreError> {
        self.file.clear()
    }
    fn location(&self) -> String {
        self.file.location()
    }
}

/// Two processes over one token file: the first rotates the refresh token; the second, which
/// read the file before that, is refused (`invalid_grant`), reads the file again, and carries
/// on with the rotated token instead of asking for a new sign-in.
#[tokio::test(start_paused = true)]
async fn a_refresh_token_rotated_by_another_process_is_read_again_after_invalid_grant() {
    let server = refreshing_emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let store = stored_sign_in(&server, &dir).await;
    let first = store.load().unwrap().unwrap();
    let second_process = ReadBeforeTheRotation {
        file: store.clone(),
        earlier: std::sync::Mutex::new(Some(first.clone())),
    };

    let one = client(&server, LwaTokenProvider::new(lwa(&server), store.clone()));
    one.get_album("B0064UPU4G").await.unwrap();
    let rotated = store.load().unwrap().unwrap();
    assert_ne!(rotated.refresh_token(), first.refresh_token());

    let two = client(&server, LwaTokenProvider::new(lwa(&server), second_process));
    two.get_album("B0064UPU4G").await.unwrap();
    let after = store.load().unwrap().unwrap();
    assert_ne!(after.refresh_token(), rotated.refresh_token());
    assert_ne!(after.refresh_token(), first.refresh_token());
    assert_eq!(server.requests("getAlbum"), 2);

    // With nothing new in the file, a refused refresh still asks for a new sign-in.
    server.revoke_refresh_tokens(USER);
    let three = client(&server, LwaTokenProvider::new(lwa(&server), store.clone()));
    let error = three.get_album("B0064UPU4G").await.unwrap_err();
    assert!(matches!(error, Error::SignInRequired(_)), "{error}");
}
