//! The API key and every bearer token stay out of `Debug`, `Display`, error messages and
//! tracing output, across the paths that handle them: a token refresh, retries, faults,
//! refusals, configuration mistakes.
//!
//! One test in its own binary: tracing caches per callsite whether it is enabled, and another
//! test running without a subscriber could make it cache "disabled" for this one.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use amazon_music::auth::{AccessToken, TokenFuture, TokenProvider};
use amazon_music::playback::PlayRequest;
use amazon_music::{Client, RetryPolicy};
use amazon_music_mock::{ALL_SCOPES, FaultKind, FaultRule, MockConfig, MockServer, MockState};
use futures::TryStreamExt;

use amazon_music_workspace_tests::trace::TraceCapture;

const KEY: &str = "key-SECRET-5c1d0e";
const FIXED_TOKEN: &str = "token-SECRET-9aa7f3";

/// Issues real mock tokens and remembers each, so the test can search for all of them. The
/// first is already expired at the server, which forces a refresh.
struct Issuer {
    state: MockState,
    issued: Arc<Mutex<Vec<String>>>,
}

impl TokenProvider for Issuer {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let first = self.issued.lock().unwrap().is_empty();
            let lifetime = if first {
                Duration::ZERO
            } else {
                Duration::from_secs(3600)
            };
            let token = self.state.issue_token("mock-user", ALL_SCOPES, lifetime);
            self.issued.lock().unwrap().push(token.clone());
            Ok(AccessToken::new(token, Some(Duration::from_secs(3600))))
        })
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(2))
        .max_delay(Duration::from_millis(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_debug_display_errors_or_tracing() {
    let trace = TraceCapture::start();

    let config = MockConfig::default()
        .api_key(KEY)
        .token(FIXED_TOKEN, "mock-user", ALL_SCOPES)
        .fault(FaultRule::new("getAlbum", FaultKind::Status(503)).first(1))
        .fault(FaultRule::new("getAlbums", FaultKind::Drop).first(1))
        .fault(FaultRule::new("getLibraryAlbums", FaultKind::HtmlError))
        .fault(FaultRule::new(
            "createPlaybackSession",
            FaultKind::Throttle {
                retry_after: Some(0),
            },
        ))
        .fault(FaultRule::new("addLibraryAlbum", FaultKind::InvalidJson))
        .fault(FaultRule::new("removeLibraryAlbum", FaultKind::Truncate));
    let server = MockServer::start(config).await.unwrap();
    let issued = Arc::new(Mutex::new(Vec::new()));
    let builder = Client::builder()
        .base_url(server.base_url())
        .api_key(KEY)
        .token_provider(Issuer {
            state: server.state().clone(),
            issued: issued.clone(),
        })
        .retry_policy(fast());
    let mut shown = vec![format!("{builder:?}")];
    let refreshing = builder.build().unwrap();
    let fixed = Client::builder()
        .base_url(server.base_url())
        .api_key(KEY)
        .token(FIXED_TOKEN)
        .retry_policy(fast())
        .build()
        .unwrap();
    let wrong_key = Client::builder()
        .base_url(server.base_url())
        .api_key(format!("{KEY}-wrong"))
        .token(FIXED_TOKEN)
        .build()
        .unwrap();

    // Successes after a refresh and after retries, then one failure of every kind.
    let mut outcomes: Vec<String> = Vec::new();
    let mut note = |result: Result<String, amazon_music::Error>| match result {
        Ok(value) => outcomes.push(value),
        Err(error) => outcomes.push(format!("{error}\n{error:?}")),
    };
    for client in [&refreshing, &fixed] {
        note(
            client
                .get_album("B0064UPU4G")
                .await
                .map(|a| format!("{a:?}")),
        );
        note(
            client
                .get_albums(["B0064UPU4G", "B00D3PLC1K"])
                .await
                .map(|b| format!("{b:?}")),
        );
        let listing: Result<Vec<_>, _> = client
            .library_albums(2)
            .unwrap()
            .items()
            .try_collect()
            .await;
        note(listing.map(|l| format!("{l:?}")));
        note(
            client
                .start_playback(PlayRequest::album("B0064UPU4G"))
                .await
                .map(|s| format!("{s:?}")),
        );
        note(
            client
                .save_album("B00D3PLC1K")
                .await
                .map(|r| format!("{r:?}")),
        );
        note(
            client
                .remove_album("B00D3PLC1K")
                .await
                .map(|r| format!("{r:?}")),
        );
        note(client.active_sessions().await.map(|s| format!("{s:?}")));
    }
    note(
        wrong_key
            .get_album("B0064UPU4G")
            .await
            .map(|a| format!("{a:?}")),
    );
    // Configuration mistakes that involve a secret: the message names the problem, not the value.
    let bad_key = Client::builder()
        .api_key(format!("{KEY}\n"))
        .token(FIXED_TOKEN)
        .build();
    note(bad_key.map(|c| format!("{c:?}")));
    let bad_token = Client::builder()
        .base_url(server.base_url())
        .api_key(KEY)
        .token(format!("{FIXED_TOKEN}\r\n"))
        .build();
    note(bad_token.map(|c| format!("{c:?}")));

    let session = fixed
        .start_playback(PlayRequest::album("B0064UPU4G"))
        .await
        .expect_err("createPlaybackSession is throttled in this test");
    shown.push(format!("{session}"));
    shown.push(format!("{refreshing:?} {fixed:?} {wrong_key:?}"));
    shown.push(format!("{:?}", refreshing.api()));
    shown.push(format!(
        "{:?}",
        amazon_music_api::Credentials::new(KEY, FIXED_TOKEN)
    ));
    shown.push(format!(
        "{:?}",
        AccessToken::new(FIXED_TOKEN, Some(Duration::from_secs(1)))
    ));
    shown.push(format!("{:?}", fixed.library_albums(5).unwrap()));

    let issued = issued.lock().unwrap().clone();
    assert!(issued.len() >= 2, "the refresh happened: {issued:?}");
    assert!(
        outcomes.iter().any(|o| o.contains("B0064UPU4G")),
        "some calls succeeded: {outcomes:#?}"
    );
    let logged = trace.text();
    assert!(logged.contains("retrying"), "retries were traced: {logged}");
    assert!(logged.contains("amazon_music.request"), "spans were traced");
    let everything = format!("{logged}\n{}\n{}", outcomes.join("\n"), shown.join("\n"));
    let mut secrets = vec![KEY.to_owned(), FIXED_TOKEN.to_owned()];
    secrets.extend(issued);
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{secret} leaked:\n{everything}"
        );
    }
}
