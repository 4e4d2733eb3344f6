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

pub(crate) async fn emulator(lwa: EmulatorConfig) -> MockServer {
    MockServer::start(MockConfig::default().lwa(lwa))
        .await
        .unwrap()
}

/// A sign-in client of the emulator. No request timeout: on a paused clock a pending timeout
/// is what time would jump to while a request waits for the loopback.
pub(crate) fn lwa(server: &MockServer) -> Lwa {
    Lwa::new(
        LwaConfig::new("mock-client-id")
            .base_url(server.lwa_url())
            .music_api_url(server.base_url())
            .request_timeout(None),
    )
    .unwrap()
}

pub(crate) fn client(server: &MockServer, provider: LwaTokenProvider) -> Client {
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
