//! No sign-in secret (client secret, access and refresh tokens, device code) reaches `Debug`,
//! `Display`, errors or tracing output, over a device sign-in, a refresh and a revoked refresh.
//!
//! Alone in its binary: tracing caches whether a callsite is enabled, and a test without a
//! subscriber running beside this one on another thread could make it cache "disabled".

use amazon_music_workspace_tests::trace::TraceCapture;

use std::sync::Arc;
use std::time::Duration;

use amazon_music::Client;
use amazon_music::auth::lwa::{Lwa, LwaConfig};
use amazon_music::auth::store::{MemoryTokenStore, TokenStore};
use amazon_music::auth::{LwaTokenProvider, Scope};
use amazon_music_mock::{LwaConfig as EmulatorConfig, MockConfig, MockServer};

#[tokio::test(start_paused = true)]
async fn no_secret_reaches_debug_display_errors_or_tracing() {
    let trace = TraceCapture::start();
    let server = MockServer::start(MockConfig::default().lwa(EmulatorConfig {
        client_secret: Some("client-SECRET-9".into()),
        ..EmulatorConfig::default()
    }))
    .await
    .unwrap();
    let lwa = Lwa::new(
        LwaConfig::new("mock-client-id")
            .client_secret("client-SECRET-9")
            .base_url(server.lwa_url())
            .music_api_url(server.base_url())
            .request_timeout(None),
    )
    .unwrap();
    let pending = lwa.start_device_flow(&[Scope::Catalog]).await.unwrap();
    let pending_debug = format!("{pending:?}");
    let person = async {
        while server.device_polls(pending.user_code()).is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(server.approve_user_code(pending.user_code()));
    };
    let (tokens, ()) = tokio::join!(
        lwa.poll_device_flow(&pending, std::future::pending()),
        person
    );
    let tokens = tokens.unwrap();
    let store = Arc::new(MemoryTokenStore::with(tokens.clone()));
    let provider = LwaTokenProvider::shared(lwa.clone(), store.clone());
    let provider_debug = format!("{provider:?}");
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key("mock-api-key")
        .token_provider(provider)
        .build()
        .unwrap();
    client.get_album("B0064UPU4G").await.unwrap();
    server.expire_access_tokens();
    client.get_album("B0064UPU4G").await.unwrap();
    server.revoke_refresh_tokens("mock-user");
    server.expire_access_tokens();
    let error = client.get_album("B0064UPU4G").await.unwrap_err();
    let refreshed = store.load().unwrap().unwrap();

    let mut secrets = vec!["client-SECRET-9".to_owned()];
    for set in [&tokens, &refreshed] {
        secrets.push(set.access_token().to_owned());
        secrets.push(set.refresh_token().unwrap().to_owned());
    }
    let seen = [
        trace.text(),
        pending_debug,
        provider_debug,
        format!("{lwa:?} {tokens:?} {refreshed:?} {client:?}"),
        format!("{error} {error:?}"),
    ]
    .join("\n");
    assert!(
        seen.contains("<redacted>"),
        "the redactions are there to see"
    );
    for secret in &secrets {
        assert!(!seen.contains(secret.as_str()), "a secret leaked: {seen}");
    }
    assert!(!seen.contains("Atza|") && !seen.contains("Atzr|"), "{seen}");
}
