//! Token refresh: ahead of expiry, once on 401 INVALID_ACCESS_TOKEN, one refresh for many
//! waiting requests.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use amazon_music::auth::{AccessToken, TokenError, TokenFuture, TokenProvider};
use amazon_music::{Client, Error, ErrorCode, RetryPolicy};
use amazon_music_mock::{ALL_SCOPES, FaultKind, FaultRule, MockConfig, MockServer, MockState};

/// Issues mock tokens; the first one it hands out is already expired at the server.
struct Issuer {
    state: MockState,
    fetches: Arc<AtomicU32>,
}

impl TokenProvider for Issuer {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst);
            let lifetime = if n == 0 {
                Duration::ZERO
            } else {
                Duration::from_secs(3600)
            };
            let token = self.state.issue_token("mock-user", ALL_SCOPES, lifetime);
            // The client is told the token is good: only the server knows better.
            Ok(AccessToken::new(token, None))
        })
    }
}

/// Hands out `token-0`, `token-1`, ... for a server that is not the mock.
struct Counting(Arc<AtomicU32>);

impl TokenProvider for Counting {
    fn fetch(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Ok(AccessToken::new(format!("token-{n}"), None))
        })
    }
}

/// A client of an httpmock `server` whose tokens come from [`Counting`].
fn counting_client(
    server: &httpmock::MockServer,
    fetches: &Arc<AtomicU32>,
    retry: RetryPolicy,
) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("k")
        .token_provider(Counting(fetches.clone()))
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// An httpmock answer, with the API's error object, to an album lookup made with `token`.
/// Raw rather than typed: `503` is no status the spec documents for `getAlbum`, so the
/// generated helpers have no answer for it.
fn album_error_for<'a>(
    server: &'a httpmock::MockServer,
    token: &str,
    status: u16,
    code: &str,
) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.path("/albums/B0064UPU4G")
            .header("authorization", format!("Bearer {token}"));
        then.status(status)
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"error": {{"code": "{code}", "message": "from the test"}}}}"#
            ));
    })
}

/// A client of `server` whose tokens come from an [`Issuer`] that has handed out `fetches`.
fn refreshing_client(server: &MockServer, fetches: &Arc<AtomicU32>, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("mock-api-key")
        .token_provider(Issuer {
            state: server.state().clone(),
            fetches: fetches.clone(),
        })
        .retry_policy(retry)
        .build()
        .unwrap()
}

async fn setup() -> (MockServer, Client, Arc<AtomicU32>) {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let fetches = Arc::new(AtomicU32::new(0));
    let client = refreshing_client(&server, &fetches, support::quick_retries());
    (server, client, fetches)
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_call_succeeds() {
    let (server, client, fetches) = setup().await;
    let album = client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(album.id.as_str(), "B0064UPU4G");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(server.requests("getAlbum"), 2);
    // The refreshed token is kept for later calls.
    client.get_album("B00D3PLC1K").await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn many_requests_refused_together_share_one_refresh() {
    let (server, client, fetches) = setup().await;
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_album("B0064UPU4G").await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one fetch, one refresh");
    assert!(server.requests("getAlbum") >= 17);
}

#[tokio::test]
async fn a_token_announced_to_expire_is_replaced_before_use() {
    struct Short(AtomicU32, MockState);
    impl TokenProvider for Short {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async move {
                self.0.fetch_add(1, Ordering::SeqCst);
                let token = self.1.issue_token("mock-user", ALL_SCOPES, None);
                // Inside the refresh margin: stale by the next call.
                Ok(AccessToken::new(token, Some(Duration::from_secs(30))))
            })
        }
    }
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let provider = Short(AtomicU32::new(0), server.state().clone());
    let client = support::builder(&server)
        .token_provider(provider)
        .build()
        .unwrap();
    client.get_album("B0064UPU4G").await.unwrap();
    client.get_album("B0064UPU4G").await.unwrap();
    assert_eq!(server.requests("getAlbum"), 2, "no request was refused");
}

#[tokio::test]
async fn without_a_provider_an_expired_token_is_a_typed_error() {
    let config = MockConfig::default().token_lifetime(Duration::ZERO);
    let (_server, client) = support::start(config).await;
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.code(), Some(&ErrorCode::InvalidAccessToken));
    assert!(error.to_string().contains("TokenProvider"), "{error}");
}

#[tokio::test]
async fn a_failing_provider_is_a_token_error() {
    struct Broken;
    impl TokenProvider for Broken {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async { Err("the token service is down".into()) })
        }
    }
    let (server, _) = support::start(MockConfig::default()).await;
    let client = support::builder(&server)
        .token_provider(Broken)
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(
        matches!(&error, Error::Token(m) if m.contains("down")),
        "{error}"
    );
    assert_eq!(server.requests("getAlbum"), 0);
}

#[tokio::test]
async fn a_provider_that_needs_a_new_sign_in_says_so_in_a_typed_error() {
    struct Revoked;
    impl TokenProvider for Revoked {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async {
                Err(TokenError::SignInRequired(
                    "the refresh token was revoked".into(),
                ))
            })
        }
    }
    let (server, _) = support::start(MockConfig::default()).await;
    let client = support::builder(&server)
        .token_provider(Revoked)
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert!(
        matches!(&error, Error::SignInRequired(m) if m.contains("revoked")),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "sign in again: the refresh token was revoked"
    );
    assert_eq!(server.requests("getAlbum"), 0);
}

/// A client that can refresh keeps a copy of every request for a second try after a refused
/// token; that copy must not buy an attempt beyond the budget when the service keeps failing.
#[tokio::test]
async fn a_refreshing_client_stops_at_the_attempt_budget() {
    let config = MockConfig::default().fault(FaultRule::new("getAlbum", FaultKind::Status(503)));
    let server = MockServer::start(config).await.unwrap();
    let fetches = Arc::new(AtomicU32::new(1)); // past the Issuer's expired first token
    let client = refreshing_client(&server, &fetches, support::quick_retries().max_attempts(3));
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert_eq!(server.requests("getAlbum"), 3);
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        2,
        "one token, never refreshed"
    );
}

/// A refused token is refreshed for a POST too: a `401` means the request was not acted on,
/// so sending it again with the new token cannot do it twice.
#[tokio::test]
async fn a_post_refused_for_its_token_is_refreshed_and_sent_once_more() {
    let (server, client, fetches) = setup().await;
    let session = client
        .start_playback(amazon_music::playback::PlayRequest::album("B0064UPU4G"))
        .await
        .unwrap();
    assert!(!session.id().is_empty());
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_eq!(server.requests("createPlaybackSession"), 2);
}

/// One refresh per call, never a loop: a new token refused too is the call's answer.
#[tokio::test]
async fn a_token_refused_again_after_its_refresh_is_the_error() {
    /// Every token it issues has expired at the server by the time it is used.
    struct Stale(Arc<AtomicU32>, MockState);
    impl TokenProvider for Stale {
        fn fetch(&self) -> TokenFuture<'_> {
            Box::pin(async move {
                self.0.fetch_add(1, Ordering::SeqCst);
                let token = self.1.issue_token("mock-user", ALL_SCOPES, Duration::ZERO);
                Ok(AccessToken::new(token, None))
            })
        }
    }
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let fetches = Arc::new(AtomicU32::new(0));
    let client = support::builder(&server)
        .token_provider(Stale(fetches.clone(), server.state().clone()))
        .build()
        .unwrap();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(&ErrorCode::InvalidAccessToken),
        "{error}"
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2, "one fetch, one refresh");
    assert_eq!(server.requests("getAlbum"), 2);
}

/// Only a `401` says the token was refused. The same code under another status is the
/// service's answer to hand back, not a reason to fetch a new token.
#[tokio::test]
async fn only_a_401_leads_to_a_refresh() {
    let server = httpmock::MockServer::start_async().await;
    let forbidden = album_error_for(&server, "token-0", 403, "INVALID_ACCESS_TOKEN");
    let fetches = Arc::new(AtomicU32::new(0));
    let client = counting_client(&server, &fetches, support::quick_retries());
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error}");
    forbidden.assert_calls_async(1).await;
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "the first token, never replaced"
    );
}

/// The attempt refused for its token never reached the operation, so it does not count: a
/// refresh followed by failures still gets the whole budget of attempts.
#[tokio::test]
async fn the_attempt_refused_for_its_token_is_not_counted_in_the_budget() {
    let server = httpmock::MockServer::start_async().await;
    let refused = album_error_for(&server, "token-0", 401, "INVALID_ACCESS_TOKEN");
    let unavailable = album_error_for(&server, "token-1", 503, "SERVICE_UNAVAILABLE");
    let fetches = Arc::new(AtomicU32::new(0));
    let client = counting_client(&server, &fetches, support::quick_retries().max_attempts(3));
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    refused.assert_calls_async(1).await;
    unavailable.assert_calls_async(3).await;
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}
