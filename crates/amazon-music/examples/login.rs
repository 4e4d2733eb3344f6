//! Signing in with Login with Amazon, then a first call with the stored sign-in.
//!
//! Against your account (a security profile enabled for Amazon Music):
//!
//! ```text
//! AMAZON_MUSIC_CLIENT_ID=amzn1.application-oa2-client.… AMAZON_MUSIC_API_KEY=amzn1.application.… \
//!     cargo run -p amazon-music --example login            # device flow: a code to enter at amazon.com/code
//! cargo run -p amazon-music --features browser-sign-in --example login -- --browser
//!                                                          # browser flow, redirect to http://127.0.0.1:8749/callback
//! ```
//!
//! With no `AMAZON_MUSIC_CLIENT_ID` set it runs the whole thing against the project's mock and
//! its sign-in emulator, approving the code itself, so you can watch the flow end to end.

use std::sync::Arc;

use amazon_music::Client;
use amazon_music::auth::LwaTokenProvider;
use amazon_music::auth::lwa::{Lwa, LwaConfig, TokenSet};
use amazon_music::auth::scopes_for;
use amazon_music::auth::store::{FileTokenStore, MemoryTokenStore, TokenStore};
use amazon_music_mock::{MockConfig, MockServer};

type Failure = Box<dyn std::error::Error>;

/// The port registered on the security profile for the browser flow's redirect.
#[cfg(feature = "browser-sign-in")]
const REDIRECT_PORT: u16 = 8749;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let browser = std::env::args().any(|a| a == "--browser");
    // Ask for exactly what this program calls.
    let scopes = scopes_for(&["getAlbum", "getLibraryAlbums"])?;

    let mut mock = None;
    let (config, api_key, base_url, store): (_, _, _, Arc<dyn TokenStore>) =
        match std::env::var("AMAZON_MUSIC_CLIENT_ID") {
            Ok(_) => {
                let config = LwaConfig::from_env()?;
                let key = std::env::var("AMAZON_MUSIC_API_KEY")
                    .map_err(|_| "AMAZON_MUSIC_API_KEY is not set (your security profile id)")?;
                let store = FileTokenStore::for_user(config.client_id(), "default")?;
                println!("tokens go to {}", store.path().display());
                let base = std::env::var("AMAZON_MUSIC_BASE_URL")
                    .unwrap_or_else(|_| amazon_music::DEFAULT_BASE_URL.to_owned());
                (config, key, base, Arc::new(store))
            }
            Err(_) => {
                let server = MockServer::start(MockConfig::default()).await?;
                println!(
                    "AMAZON_MUSIC_CLIENT_ID is not set: signing in to the mock at {}",
                    server.lwa_url()
                );
                let base = server.base_url();
                let config = LwaConfig::new("mock-client-id")
                    .base_url(server.lwa_url())
                    .music_api_url(&base);
                mock = Some(server);
                (
                    config,
                    "mock-api-key".to_owned(),
                    base,
                    Arc::new(MemoryTokenStore::new()),
                )
            }
        };
    let lwa = Lwa::new(config)?;

    let tokens = if browser {
        browser_sign_in(&lwa, &scopes, mock.is_some()).await?
    } else {
        let pending = lwa.start_device_flow(&scopes).await?;
        println!(
            "Go to {} and enter the code {} (valid {} minutes)",
            pending.verification_uri(),
            pending.user_code(),
            pending.expires_in().as_secs() / 60
        );
        if let Some(server) = &mock {
            server.approve_user_code(pending.user_code());
        }
        lwa.poll_device_flow(&pending, ctrl_c()).await?
    };
    report(&tokens);
    store.save(&tokens)?;

    // From here on the client refreshes the token itself and saves what it gets.
    let client = Client::builder()
        .base_url(base_url)
        .api_key(api_key)
        .token_provider(LwaTokenProvider::shared(lwa, store))
        .build()?;
    let album = client.get_album("B0064UPU4G").await?;
    println!(
        "first call: {} has {} tracks",
        album.title.as_deref().unwrap_or("?"),
        album.track_count.unwrap_or_default()
    );
    if let Some(server) = mock {
        server.shutdown().await?;
    }
    Ok(())
}

/// The browser flow: the consent page printed (and, with the mock, followed as a browser
/// would), then the redirect awaited on loopback.
#[cfg(feature = "browser-sign-in")]
async fn browser_sign_in(
    lwa: &Lwa,
    scopes: &[amazon_music::auth::Scope],
    mocked: bool,
) -> Result<TokenSet, Failure> {
    let port = if mocked { 0 } else { REDIRECT_PORT };
    let sign_in = lwa.start_browser_flow(scopes, port).await?;
    println!("Open this page to sign in:\n  {}", sign_in.authorize_url());
    if mocked {
        play_the_browser(sign_in.authorize_url());
    }
    Ok(sign_in.finish(ctrl_c()).await?)
}

#[cfg(not(feature = "browser-sign-in"))]
async fn browser_sign_in(
    _: &Lwa,
    _: &[amazon_music::auth::Scope],
    _: bool,
) -> Result<TokenSet, Failure> {
    Err(
        "the browser flow is the `browser-sign-in` feature: cargo run -p amazon-music \
         --features browser-sign-in --example login -- --browser"
            .into(),
    )
}

/// What was granted; never a token.
fn report(tokens: &TokenSet) {
    let scopes: Vec<_> = tokens.scopes().iter().map(|s| s.as_str()).collect();
    println!(
        "signed in: scopes {}, access token valid {} more minutes, refresh token {}",
        scopes.join(" "),
        tokens.expires_in().as_secs() / 60,
        if tokens.refresh_token().is_some() {
            "kept"
        } else {
            "not given"
        }
    );
}

async fn ctrl_c() {
    // Without a signal handler there is nothing to wait for: never cancel.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// What a person's browser does with the mock: follow the consent page back to the listener.
#[cfg(feature = "browser-sign-in")]
fn play_the_browser(url: &str) {
    let url = url.to_owned();
    tokio::spawn(async move {
        let followed = async {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::limited(2))
                .timeout(std::time::Duration::from_secs(10))
                .build()?
                .get(url)
                .send()
                .await
        };
        if let Err(e) = followed.await {
            eprintln!("the simulated browser failed: {e}");
        }
    });
}
