//! The request log never holds a user code, device code, authorization code, PKCE verifier,
//! client secret or token, while it does name the sign-in paths; a mock bound to loopback
//! does not warn about its address.
//!
//! Alone in its binary: tracing caches whether a callsite is enabled, and a test without a
//! subscriber running beside this one on another thread could make it cache "disabled".

use amazon_music_mock::LwaConfig;
use amazon_music_workspace_tests::lwa::{CLIENT, Lwa, REDIRECT, VERIFIER, str_of};
use amazon_music_workspace_tests::trace::TraceCapture;

#[tokio::test]
async fn the_request_log_names_paths_but_no_code_or_token() {
    let capture = TraceCapture::start();
    let lwa = Lwa::start(LwaConfig::default().client_secret("client-SECRET")).await;
    let pair = lwa.codepair("music::catalog").await;
    let user_code = str_of(&pair, "user_code").to_owned();
    lwa.send(
        lwa.http
            .get(lwa.url(&format!("/code?user_code={user_code}"))),
    )
    .await;
    lwa.post("/code", &[("user_code", &user_code)]).await;
    let device = lwa.poll(&pair).await.json();
    let code = lwa.code(&[]).await;
    let exchanged = lwa
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT),
            ("client_secret", "client-SECRET"),
            ("code_verifier", VERIFIER),
        ])
        .await
        .json();
    let refreshed = lwa
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", str_of(&exchanged, "refresh_token")),
            ("client_id", CLIENT),
            ("client_secret", "client-SECRET"),
        ])
        .await
        .json();
    lwa.api("/albums/B0064UPU4G", str_of(&refreshed, "access_token"))
        .await;

    let log = capture.text();
    for path in [
        "POST /auth/o2/create/codepair 200",
        "GET /code 200",
        "POST /code 200",
        "POST /auth/o2/token 200",
        "GET /ap/oa 302",
        "GET /v1/albums/B0064UPU4G 200",
    ] {
        assert!(log.contains(path), "{path} in {log}");
    }
    let mut secrets = vec![
        user_code,
        str_of(&pair, "device_code").to_owned(),
        code,
        VERIFIER.to_owned(),
        "client-SECRET".to_owned(),
    ];
    for tokens in [&device, &exchanged, &refreshed] {
        secrets.push(str_of(tokens, "access_token").to_owned());
        secrets.push(str_of(tokens, "refresh_token").to_owned());
    }
    for secret in secrets {
        assert!(!log.contains(&secret), "the log holds a secret: {log}");
    }
    // The warning about who can reach the mock is for addresses beyond loopback only.
    assert!(!log.contains("beyond loopback"), "{log}");
    assert!(!format!("{:?}", lwa.server.lwa_config()).contains("client-SECRET"));
}
