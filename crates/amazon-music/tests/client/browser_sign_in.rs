//! The browser sign-in (feature `browser-sign-in`) end to end against the mock's Login with
//! Amazon emulator: PKCE and `state` in the consent URL, the loopback listener ignoring every
//! request but its own redirect, LWA's refusals, and a browser that never comes back.

use std::sync::Arc;
use std::time::Duration;

use amazon_music::auth::lwa::LwaError;
use amazon_music::auth::store::{MemoryTokenStore, TokenStore};
use amazon_music::auth::{LwaTokenProvider, Scope, scopes_for};
use amazon_music_mock::LwaConfig as EmulatorConfig;

use crate::sign_in::{client, emulator, lwa};

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
