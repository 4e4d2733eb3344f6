//! The Login with Amazon emulator over real HTTP on loopback: the device flow, the
//! authorization code grant with PKCE, refresh, the test hooks, and that the tokens it issues
//! are the ones the API accepts, with the scopes granted.

use std::time::Duration;

use amazon_music_mock::{ALL_SCOPES, LwaConfig};
use amazon_music_workspace_tests::lwa::{
    CLIENT, Lwa, REDIRECT, VERIFIER, err, location, oauth_error, param, redirect_params, str_of,
    text,
};
use amazon_music_workspace_tests::mock::Reply;

#[tokio::test(start_paused = true)]
async fn device_flow_gives_a_token_the_api_accepts_with_only_its_scopes() {
    let lwa = Lwa::default().await;
    let pair = lwa.codepair("music::catalog").await;
    let user_code = str_of(&pair, "user_code");
    assert!((6..=8).contains(&user_code.len()));
    assert!(
        user_code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    );
    assert!(str_of(&pair, "device_code").len() >= 32);
    assert_eq!(
        str_of(&pair, "verification_uri"),
        format!("{}/code", lwa.server.lwa_url())
    );
    assert_eq!(pair["expires_in"], 600);
    assert_eq!(pair["interval"], 5);

    assert_eq!(
        oauth_error(&lwa.poll(&pair).await),
        err(400, "authorization_pending")
    );
    assert!(lwa.server.approve_user_code(&user_code.to_lowercase()));
    tokio::time::advance(Duration::from_secs(5)).await;
    let reply = lwa.poll(&pair).await;
    assert_eq!(reply.status, 200, "{}", text(&reply));
    assert_eq!(reply.headers["content-type"], "application/json");
    let tokens = reply.json();
    assert_eq!(tokens["token_type"], "bearer");
    assert_eq!(tokens["expires_in"], 3600);
    let access = str_of(&tokens, "access_token");
    assert!(access.starts_with("Atza|"));
    assert!(str_of(&tokens, "refresh_token").starts_with("Atzr|"));

    assert_eq!(lwa.api("/albums/B0064UPU4G", access).await, err(200, ""));
    assert_eq!(
        lwa.api("/me/library/albums", access).await,
        err(403, "ACCESS_DENIED")
    );

    // The device code works once.
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(
        oauth_error(&lwa.poll(&pair).await),
        err(400, "invalid_grant")
    );
    assert_eq!(lwa.server.device_polls(user_code).len(), 3);
}

#[tokio::test]
async fn library_scope_opens_the_library_of_the_configured_user() {
    let lwa = Lwa::start(LwaConfig::default().user("someone-else")).await;
    let tokens = lwa.device_sign_in("music::library").await;
    let access = str_of(&tokens, "access_token");
    assert_eq!(lwa.api("/me/library/albums", access).await, err(200, ""));
    assert_eq!(
        lwa.api("/albums/B0064UPU4G", access).await,
        err(403, "ACCESS_DENIED")
    );
}

/// The configured user is the one signed in: what they save is in their library, not in the
/// default user's.
#[tokio::test]
async fn the_configured_user_is_the_one_signed_in() {
    let lwa = Lwa::start(LwaConfig::default().user("someone-else")).await;
    let tokens = lwa.device_sign_in("music::library").await;
    let access = str_of(&tokens, "access_token");
    let library = |token: &str| {
        lwa.http
            .get(format!("{}/me/library/albums", lwa.server.base_url()))
            .header("x-api-key", "mock-api-key")
            .header("authorization", format!("Bearer {token}"))
    };
    let saved = lwa
        .send(
            lwa.http
                .put(format!(
                    "{}/me/library/albums/B0064UPU4G",
                    lwa.server.base_url()
                ))
                .header("x-api-key", "mock-api-key")
                .header("authorization", format!("Bearer {access}")),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", text(&saved));
    let ids = |reply: Reply| -> Vec<String> {
        reply.json()["data"]["user"]["libraryAlbums"]["edges"]
            .as_array()
            .expect("a library page")
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let theirs = ids(lwa.send(library(access)).await);
    assert!(theirs.iter().any(|id| id == "B0064UPU4G"), "{theirs:?}");
    let default_users = ids(lwa.send(library("mock-token")).await);
    assert!(
        !default_users.iter().any(|id| id == "B0064UPU4G"),
        "{default_users:?}"
    );
}

/// Access tokens and authorization codes stay valid for their whole lifetime, whatever is signed
/// in meanwhile (each sign-in prunes what has expired, and only that).
#[tokio::test]
async fn a_later_sign_in_leaves_earlier_tokens_and_codes_valid() {
    let lwa = Lwa::default().await;
    let code = lwa.code(&[]).await;
    let first = lwa.device_sign_in("music::catalog").await;
    let _second = lwa.device_sign_in("music::catalog").await;
    assert_eq!(
        lwa.api("/albums/B0064UPU4G", str_of(&first, "access_token"))
            .await,
        err(200, "")
    );
    // An authorization code issued before them still exchanges.
    let exchanged = lwa.exchange(&code, REDIRECT, VERIFIER).await;
    assert_eq!(exchanged.status, 200, "{}", text(&exchanged));
}

#[tokio::test(start_paused = true)]
async fn polling_faster_than_the_interval_slows_down_and_the_interval_grows() {
    let lwa = Lwa::default().await;
    let pair = lwa.codepair("music::catalog").await;
    let user_code = str_of(&pair, "user_code");
    let poll = || async { oauth_error(&lwa.poll(&pair).await).1 };

    assert_eq!(poll().await, "authorization_pending");
    tokio::time::advance(Duration::from_secs(4)).await;
    assert_eq!(poll().await, "slow_down");
    // The interval is now 10 s, measured from the poll that was too early.
    tokio::time::advance(Duration::from_secs(9)).await;
    assert_eq!(poll().await, "slow_down");
    // Now 15 s.
    tokio::time::advance(Duration::from_secs(15)).await;
    assert_eq!(poll().await, "authorization_pending");
    tokio::time::advance(Duration::from_secs(15)).await;
    assert!(lwa.server.approve_user_code(user_code));
    assert_eq!(lwa.poll(&pair).await.status, 200);

    let polls = lwa.server.device_polls(user_code);
    assert_eq!(
        polls.iter().map(Duration::as_secs).collect::<Vec<_>>(),
        [0, 4, 13, 28, 43]
    );
}

#[tokio::test(start_paused = true)]
async fn slow_down_first_answers_the_first_polls_slow_down_whatever_their_timing() {
    let lwa = Lwa::start(LwaConfig::default().slow_down_first(2).auto_approve(true)).await;
    let pair = lwa.codepair("music::catalog").await;
    assert_eq!(oauth_error(&lwa.poll(&pair).await), err(400, "slow_down"));
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(oauth_error(&lwa.poll(&pair).await), err(400, "slow_down"));
    // The interval grew twice, to 15 s: 14 s is too early, 15 s is not.
    tokio::time::advance(Duration::from_secs(14)).await;
    assert_eq!(oauth_error(&lwa.poll(&pair).await), err(400, "slow_down"));
    tokio::time::advance(Duration::from_secs(20)).await;
    assert_eq!(lwa.poll(&pair).await.status, 200);
}

#[tokio::test(start_paused = true)]
async fn a_device_code_expires_after_its_lifetime() {
    let lwa = Lwa::start(LwaConfig::default().device_code_lifetime(Duration::from_secs(60))).await;
    let pair = lwa.codepair("music::catalog").await;
    assert_eq!(pair["expires_in"], 60);
    let user_code = str_of(&pair, "user_code");
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(
        oauth_error(&lwa.poll(&pair).await),
        err(400, "authorization_pending")
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(
        oauth_error(&lwa.poll(&pair).await),
        err(400, "expired_token")
    );
    assert!(!lwa.server.approve_user_code(user_code));
}

#[tokio::test]
async fn a_denied_device_code_answers_access_denied() {
    let lwa = Lwa::default().await;
    let pair = lwa.codepair("music::catalog").await;
    assert!(lwa.server.deny_user_code(str_of(&pair, "user_code")));
    assert_eq!(
        oauth_error(&lwa.poll(&pair).await),
        err(400, "access_denied")
    );
    assert!(!lwa.server.approve_user_code(str_of(&pair, "user_code")));
    assert!(!lwa.server.deny_user_code("NOSUCH99"));
}

#[tokio::test]
async fn device_polls_need_both_codes_and_they_must_belong_together() {
    let lwa = Lwa::start(LwaConfig::default().poll_interval(Duration::ZERO)).await;
    let a = lwa.codepair("music::catalog").await;
    let b = lwa.codepair("music::catalog").await;
    assert_ne!(a["user_code"], b["user_code"]);
    assert_ne!(a["device_code"], b["device_code"]);
    let device_a = str_of(&a, "device_code");
    assert_eq!(
        oauth_error(
            &lwa.token(&[("grant_type", "device_code"), ("device_code", device_a)])
                .await
        ),
        err(400, "invalid_request")
    );
    assert_eq!(
        oauth_error(
            &lwa.token(&[
                ("grant_type", "device_code"),
                ("device_code", device_a),
                ("user_code", str_of(&b, "user_code")),
            ])
            .await
        ),
        err(400, "invalid_grant")
    );
    assert_eq!(
        oauth_error(
            &lwa.token(&[
                ("grant_type", "device_code"),
                ("device_code", "made-up"),
                ("user_code", str_of(&a, "user_code")),
            ])
            .await
        ),
        err(400, "invalid_grant")
    );
}

#[tokio::test]
async fn a_wrong_client_is_refused_401_at_the_token_endpoint_and_400_at_the_codepair() {
    let lwa = Lwa::start(LwaConfig::default().client_secret("the-secret")).await;
    let reply = lwa
        .post(
            "/auth/o2/create/codepair",
            &[
                ("response_type", "device_code"),
                ("client_id", "someone-else"),
                ("scope", "music::catalog"),
            ],
        )
        .await;
    assert_eq!(oauth_error(&reply), err(400, "invalid_client"));

    let tokens = lwa.device_sign_in("music::catalog").await;
    let refresh = str_of(&tokens, "refresh_token");
    let wrong_client = lwa
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", "someone-else"),
        ])
        .await;
    assert_eq!(oauth_error(&wrong_client), err(401, "invalid_client"));
    let wrong_secret = lwa
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", CLIENT),
            ("client_secret", "guess"),
        ])
        .await;
    assert_eq!(oauth_error(&wrong_secret), err(401, "invalid_client"));
    let right_secret = lwa
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", CLIENT),
            ("client_secret", "the-secret"),
        ])
        .await;
    assert_eq!(right_secret.status, 200, "{}", text(&right_secret));
}

#[tokio::test]
async fn malformed_requests_get_their_oauth_errors() {
    let lwa = Lwa::default().await;
    assert_eq!(
        oauth_error(&lwa.token(&[("grant_type", "password")]).await),
        err(400, "unsupported_grant_type")
    );
    assert_eq!(
        oauth_error(&lwa.token(&[("client_id", CLIENT)]).await),
        err(400, "invalid_request")
    );
    let json_body = lwa
        .send(
            lwa.http
                .post(lwa.url("/auth/o2/token"))
                .header("content-type", "application/json")
                .body(r#"{"grant_type":"refresh_token"}"#),
        )
        .await;
    assert_eq!(oauth_error(&json_body), err(400, "invalid_request"));
    assert_eq!(
        oauth_error(
            &lwa.token(&[
                ("grant_type", "refresh_token"),
                ("grant_type", "device_code")
            ])
            .await
        ),
        err(400, "invalid_request")
    );
    for scope in ["", "music::catalog profile", "profile"] {
        let reply = lwa.codepair_reply(scope).await;
        assert_eq!(oauth_error(&reply), err(400, "invalid_scope"), "{scope:?}");
    }
    let wrong_type = lwa
        .post(
            "/auth/o2/create/codepair",
            &[
                ("response_type", "code"),
                ("client_id", CLIENT),
                ("scope", "music::catalog"),
            ],
        )
        .await;
    assert_eq!(oauth_error(&wrong_type), err(400, "invalid_request"));

    // Forms are read up to 16 KiB: padded to 10 KB with a parameter nobody reads, a form still
    // gets its grant's own answer; past the limit it is refused as too large.
    let padding = "p".repeat(10_000);
    let padded = lwa
        .token(&[("grant_type", "password"), ("pad", &padding)])
        .await;
    assert_eq!(oauth_error(&padded), err(400, "unsupported_grant_type"));
    let padding = "p".repeat(17_000);
    let too_large = lwa
        .token(&[("grant_type", "password"), ("pad", &padding)])
        .await;
    assert_eq!(oauth_error(&too_large), err(400, "invalid_request"));
    assert!(
        text(&too_large).contains("too large"),
        "{}",
        text(&too_large)
    );
}

#[tokio::test]
async fn the_sign_in_routes_skip_the_api_pipeline() {
    let lwa = Lwa::default().await;
    // No x-api-key, and yet an answer from the emulator, not the API's 403.
    lwa.codepair("music::catalog").await;
    for id in lwa.server.state().operation_ids() {
        assert_eq!(lwa.server.requests(id), 0, "{id}");
    }
}

#[tokio::test]
async fn authorization_code_with_pkce() {
    let lwa = Lwa::default().await;

    let reply = lwa.authorize(&[]).await;
    assert_eq!(reply.status, 302, "{}", text(&reply));
    let params = redirect_params(&reply);
    assert!(location(&reply).starts_with(&format!("{REDIRECT}?code=")));
    assert_eq!(param(&params, "state").as_deref(), Some("st&ate 1"));
    let code = param(&params, "code").unwrap();

    let ok = lwa.exchange(&code, REDIRECT, VERIFIER).await;
    assert_eq!(ok.status, 200, "{}", text(&ok));
    let tokens = ok.json();
    let access = str_of(&tokens, "access_token");
    assert!(str_of(&tokens, "refresh_token").starts_with("Atzr|"));
    assert_eq!(lwa.api("/albums/B0064UPU4G", access).await, err(200, ""));
    assert_eq!(lwa.api("/me/library/albums", access).await, err(200, ""));
    assert_eq!(
        lwa.api("/playback/sessions/active", access).await,
        err(403, "ACCESS_DENIED")
    );

    // A code works once.
    assert_eq!(
        oauth_error(&lwa.exchange(&code, REDIRECT, VERIFIER).await),
        err(400, "invalid_grant")
    );
    // The wrong verifier.
    let code = lwa.code(&[]).await;
    let wrong = format!("{VERIFIER}x");
    assert_eq!(
        oauth_error(&lwa.exchange(&code, REDIRECT, &wrong).await),
        err(400, "invalid_grant")
    );
    // Another redirect URI than the one given at /ap/oa.
    let code = lwa.code(&[]).await;
    assert_eq!(
        oauth_error(
            &lwa.exchange(&code, "http://127.0.0.1:5555/other", VERIFIER)
                .await
        ),
        err(400, "invalid_grant")
    );
    // The failed exchange spent the code.
    assert_eq!(
        oauth_error(&lwa.exchange(&code, REDIRECT, VERIFIER).await),
        err(400, "invalid_grant")
    );
}

#[tokio::test(start_paused = true)]
async fn authorization_codes_expire_after_five_minutes() {
    let lwa = Lwa::default().await;
    let code = lwa.code(&[]).await;
    tokio::time::advance(Duration::from_secs(300)).await;
    assert_eq!(
        oauth_error(&lwa.exchange(&code, REDIRECT, VERIFIER).await),
        err(400, "invalid_grant")
    );
}

#[tokio::test]
async fn without_pkce_the_client_secret_authenticates_the_exchange() {
    let lwa = Lwa::start(LwaConfig::default().client_secret("the-secret")).await;
    let code = lwa
        .code(&[("code_challenge", ""), ("code_challenge_method", "")])
        .await;
    let with_secret = |secret: Option<&'static str>| {
        let mut params = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT),
        ];
        params.extend(secret.map(|s| ("client_secret", s)));
        params
    };
    // A client with a secret authenticates with it: leaving it out is no better than a wrong
    // one, and the code is not spent by a request that did not authenticate.
    assert_eq!(
        oauth_error(&lwa.token(&with_secret(None)).await),
        err(401, "invalid_client")
    );
    assert_eq!(
        oauth_error(&lwa.token(&with_secret(Some("wrong"))).await),
        err(401, "invalid_client")
    );
    assert_eq!(
        lwa.token(&with_secret(Some("the-secret"))).await.status,
        200
    );
}

/// With a secret configured, every grant through which a client authenticates (the code
/// exchange, PKCE or not, and refresh) must carry it: without it the token endpoint answers
/// `invalid_client`, 401, as for a wrong one, and issues nothing. The device grant, which LWA
/// runs without a secret, still works without one.
#[tokio::test]
async fn a_configured_secret_is_required_by_every_grant_that_takes_one() {
    let lwa = Lwa::start(LwaConfig::default().client_secret("the-secret")).await;
    let tokens = lwa.device_sign_in("music::catalog").await;
    let refresh = str_of(&tokens, "refresh_token");
    assert_eq!(
        oauth_error(&lwa.refresh(refresh).await),
        err(401, "invalid_client"),
        "a refresh without the secret"
    );

    let code = lwa.code(&[]).await;
    assert_eq!(
        oauth_error(&lwa.exchange(&code, REDIRECT, VERIFIER).await),
        err(401, "invalid_client"),
        "a PKCE exchange without the secret"
    );
    let exchanged = lwa
        .token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", CLIENT),
            ("code_verifier", VERIFIER),
            ("client_secret", "the-secret"),
        ])
        .await;
    assert_eq!(exchanged.status, 200, "{}", text(&exchanged));

    // The refresh token refused above is still good once the secret comes with it.
    let refreshed = lwa
        .token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", CLIENT),
            ("client_secret", "the-secret"),
        ])
        .await;
    assert_eq!(refreshed.status, 200, "{}", text(&refreshed));
}

#[tokio::test]
async fn consent_page_refuses_what_it_cannot_redirect_to() {
    let lwa = Lwa::default().await;
    for (overrides, problem) in [
        (
            [("redirect_uri", "https://evil.example/callback")],
            "redirect_uri",
        ),
        (
            [("redirect_uri", "http://127.0.0.1/no-port")],
            "redirect_uri",
        ),
        ([("redirect_uri", "")], "redirect_uri"),
        ([("client_id", "someone-else")], "client_id"),
        ([("client_id", "")], "client_id"),
    ] {
        let reply = lwa.authorize(&overrides).await;
        assert_eq!(reply.status, 400, "{overrides:?}");
        assert!(reply.headers.get("location").is_none(), "{overrides:?}");
        assert!(
            reply.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(text(&reply).contains(problem), "{}", text(&reply));
    }
}

#[tokio::test]
async fn consent_page_sends_errors_back_to_a_loopback_redirect() {
    let lwa = Lwa::default().await;
    let error_of = |reply: &Reply| {
        assert_eq!(reply.status, 302, "{}", text(reply));
        let params = redirect_params(reply);
        assert_eq!(param(&params, "state").as_deref(), Some("st&ate 1"));
        assert!(param(&params, "code").is_none());
        param(&params, "error").unwrap()
    };
    let description = |reply: &Reply| param(&redirect_params(reply), "error_description");
    let plain = lwa.authorize(&[("code_challenge_method", "plain")]).await;
    assert_eq!(error_of(&plain), "invalid_request");
    assert_eq!(
        description(&plain).as_deref(),
        Some("The code_challenge_method must be S256.")
    );
    let method_alone = lwa.authorize(&[("code_challenge", "")]).await;
    assert_eq!(error_of(&method_alone), "invalid_request");
    assert_eq!(
        description(&method_alone).as_deref(),
        Some("The code_challenge_method is given without a code_challenge.")
    );
    let not_a_digest = lwa.authorize(&[("code_challenge", "too-short")]).await;
    assert_eq!(error_of(&not_a_digest), "invalid_request");
    assert_eq!(
        param(&redirect_params(&not_a_digest), "error_description").as_deref(),
        Some("The code_challenge is not a base64url SHA-256 digest.")
    );
    let scope = lwa.authorize(&[("scope", "music::everything")]).await;
    assert_eq!(error_of(&scope), "invalid_scope");
    let no_scope = lwa.authorize(&[("scope", "")]).await;
    assert_eq!(error_of(&no_scope), "invalid_scope");

    // A redirect URI with a query of its own keeps it.
    let kept = lwa
        .authorize(&[("redirect_uri", "http://localhost:4000/cb?app=1")])
        .await;
    assert!(location(&kept).starts_with("http://localhost:4000/cb?app=1&code="));

    let denying = Lwa::start(LwaConfig::default().deny_consent(true)).await;
    let denied = denying.authorize(&[]).await;
    assert_eq!(error_of(&denied), "access_denied");
    assert!(param(&redirect_params(&denied), "error_description").is_some());
}

#[tokio::test]
async fn refresh_rotates_and_keeps_the_scopes_granted() {
    let lwa = Lwa::default().await;
    let first = lwa.device_sign_in("music::catalog").await;
    let old = str_of(&first, "refresh_token");
    let reply = lwa.refresh(old).await;
    assert_eq!(reply.status, 200, "{}", text(&reply));
    let second = reply.json();
    let new = str_of(&second, "refresh_token");
    assert_ne!(new, old);
    let access = str_of(&second, "access_token");
    assert_ne!(access, str_of(&first, "access_token"));
    assert_eq!(lwa.api("/albums/B0064UPU4G", access).await, err(200, ""));
    assert_eq!(
        lwa.api("/me/library/albums", access).await,
        err(403, "ACCESS_DENIED")
    );
    assert_eq!(
        oauth_error(&lwa.refresh(old).await),
        err(400, "invalid_grant")
    );
    assert_eq!(lwa.refresh(new).await.status, 200);
    assert_eq!(
        oauth_error(
            &lwa.token(&[("grant_type", "refresh_token"), ("refresh_token", new)])
                .await
        ),
        err(400, "invalid_request"),
        "client_id is required"
    );
}

#[tokio::test]
async fn without_rotation_a_refresh_keeps_the_old_refresh_token() {
    let lwa = Lwa::start(LwaConfig::default().rotate_refresh_tokens(false)).await;
    let first = lwa.device_sign_in("music::catalog").await;
    let refresh = str_of(&first, "refresh_token");
    for _ in 0..2 {
        let reply = lwa.refresh(refresh).await;
        assert_eq!(reply.status, 200, "{}", text(&reply));
        assert!(reply.json().get("refresh_token").is_none());
    }
}

#[tokio::test]
async fn revoked_refresh_tokens_get_invalid_grant() {
    let lwa = Lwa::default().await;
    let a = lwa.device_sign_in("music::catalog").await;
    let b = lwa.device_sign_in("music::playback").await;
    assert_eq!(lwa.server.revoke_refresh_tokens("nobody"), 0);
    assert_eq!(lwa.server.revoke_refresh_tokens("mock-user"), 2);
    for tokens in [a, b] {
        assert_eq!(
            oauth_error(&lwa.refresh(str_of(&tokens, "refresh_token")).await),
            err(400, "invalid_grant")
        );
    }
}

#[tokio::test]
async fn expired_access_tokens_get_invalid_access_token_and_a_refresh_mends_it() {
    let lwa = Lwa::default().await;
    let tokens = lwa.device_sign_in(&ALL_SCOPES.join(" ")).await;
    let access = str_of(&tokens, "access_token");
    assert_eq!(lwa.api("/albums/B0064UPU4G", access).await, err(200, ""));
    assert_eq!(lwa.server.expire_access_tokens(), 1);
    assert_eq!(
        lwa.api("/albums/B0064UPU4G", access).await,
        err(401, "INVALID_ACCESS_TOKEN")
    );
    // The configured token is not the emulator's: still good.
    assert_eq!(
        lwa.api("/albums/B0064UPU4G", "mock-token").await,
        err(200, "")
    );
    let fresh = lwa.refresh(str_of(&tokens, "refresh_token")).await.json();
    assert_eq!(
        lwa.api("/albums/B0064UPU4G", str_of(&fresh, "access_token"))
            .await,
        err(200, "")
    );
}

#[tokio::test(start_paused = true)]
async fn access_tokens_expire_on_the_paused_clock() {
    let lwa = Lwa::start(LwaConfig::default().access_token_lifetime(Duration::from_secs(60))).await;
    let tokens = lwa.device_sign_in("music::catalog").await;
    assert_eq!(tokens["expires_in"], 60);
    let access = str_of(&tokens, "access_token");
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(lwa.api("/albums/B0064UPU4G", access).await, err(200, ""));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(
        lwa.api("/albums/B0064UPU4G", access).await,
        err(401, "INVALID_ACCESS_TOKEN")
    );
}

#[tokio::test]
async fn the_verification_page_approves_a_typed_code() {
    let lwa = Lwa::default().await;
    let pair = lwa.codepair("music::catalog").await;
    let user_code = str_of(&pair, "user_code");

    let page = lwa
        .send(
            lwa.http
                .get(lwa.url(&format!("/code?user_code={}", user_code.to_lowercase()))),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(text(&page).contains(&format!("value=\"{user_code}\"")));
    let hostile = lwa
        .send(lwa.http.get(lwa.url("/code?user_code=%22%3E%3Cscript%3E")))
        .await;
    assert!(!text(&hostile).contains("<script>"));

    let unknown = lwa.post("/code", &[("user_code", "ZZZZ-ZZZZ")]).await;
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );

    let typed = format!("{}-{} ", &user_code[..4], &user_code[4..]).to_lowercase();
    let approved = lwa.post("/code", &[("user_code", &typed)]).await;
    assert_eq!(approved.status, 200, "{}", text(&approved));
    assert!(text(&approved).contains("return to your device"));
    assert_eq!(lwa.poll(&pair).await.status, 200);
}

#[tokio::test]
async fn auto_approve_signs_in_at_the_first_poll() {
    let lwa = Lwa::start(LwaConfig::default().auto_approve(true)).await;
    let pair = lwa.codepair("music::catalog").await;
    assert_eq!(lwa.poll(&pair).await.status, 200);
}

/// The verification URI names the host the client used, unless its Host header carries user
/// information, which is never put into a URL a person is told to open.
#[tokio::test]
async fn the_verification_uri_follows_a_plain_host_header_only() {
    let lwa = Lwa::default().await;
    let codepair_via = |host: &'static str| {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("response_type", "device_code"),
                ("client_id", CLIENT),
                ("scope", "music::catalog"),
            ])
            .finish();
        lwa.http
            .post(lwa.url("/auth/o2/create/codepair"))
            .header("host", host)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    };
    let named = lwa.send(codepair_via("music.example:8080")).await.json();
    assert_eq!(
        str_of(&named, "verification_uri"),
        "http://music.example:8080/code"
    );
    let sneaky = lwa.send(codepair_via("user@evil.example")).await.json();
    assert_eq!(
        str_of(&sneaky, "verification_uri"),
        format!("{}/code", lwa.server.lwa_url())
    );
}

/// A client that polls without end costs bounded memory: the first 1024 polls are kept for
/// the test hook, later ones are answered but not recorded.
#[tokio::test]
async fn poll_times_are_kept_up_to_a_bound() {
    let lwa = Lwa::start(LwaConfig::default().poll_interval(Duration::ZERO)).await;
    let pair = lwa.codepair("music::catalog").await;
    for _ in 0..1025 {
        let answer = lwa.poll(&pair).await;
        assert_eq!(answer.status, 400, "{}", text(&answer));
    }
    let user_code = str_of(&pair, "user_code");
    assert_eq!(lwa.server.device_polls(user_code).len(), 1024);
}

/// Once long expired, a device code and an access token are dropped, which keeps a standalone
/// mock's memory bounded: within a second lifetime after it expired a device code still
/// answers `expired_token`, after that it is no longer known; an access token that expired is
/// refused as expired until the next code pair drops it, then as unknown.
#[tokio::test(start_paused = true)]
async fn long_expired_device_codes_and_access_tokens_are_dropped() {
    let lwa = Lwa::start(
        LwaConfig::default()
            .device_code_lifetime(Duration::from_secs(60))
            .access_token_lifetime(Duration::from_secs(60)),
    )
    .await;
    let tokens = lwa.device_sign_in("music::catalog").await;
    let access = str_of(&tokens, "access_token").to_owned();
    let pair = lwa.codepair("music::catalog").await;
    let refusal = |reply: Reply| {
        let body = reply.json();
        assert_eq!(reply.status, 401, "{body}");
        body["error"]["message"].as_str().unwrap().to_owned()
    };
    let call = || {
        lwa.send(
            lwa.http
                .get(format!("{}/albums/B0064UPU4G", lwa.server.base_url()))
                .header("x-api-key", "mock-api-key")
                .header("authorization", format!("Bearer {access}")),
        )
    };

    tokio::time::advance(Duration::from_secs(61)).await;
    assert_eq!(refusal(call().await), "The access token has expired.");
    lwa.codepair("music::catalog").await;
    assert_eq!(
        oauth_error(&lwa.poll(&pair).await),
        err(400, "expired_token")
    );
    assert_eq!(refusal(call().await), "The access token is not valid.");

    tokio::time::advance(Duration::from_secs(60)).await;
    lwa.codepair("music::catalog").await;
    let late = lwa.poll(&pair).await;
    assert_eq!(oauth_error(&late), err(400, "invalid_grant"));
    assert!(text(&late).contains("not known"), "{}", text(&late));
}
