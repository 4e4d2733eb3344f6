//! The ergonomic client's transport promises: no credential crosses to another origin on a
//! redirect, and plain http is refused off loopback unless explicitly allowed.

use amazon_music::{Client, Error};
use amazon_music_workspace_tests::loopback::hop::Hop;

const KEY: &str = "transport-KEY-51e0";
const TOKEN: &str = "transport-TOKEN-c3a8";

#[tokio::test]
async fn a_redirect_to_another_host_or_port_is_not_followed() {
    for other_ip in ["127.0.0.2", "127.0.0.1"] {
        let elsewhere = Hop::start(other_ip, None).await;
        let api = Hop::start("127.0.0.1", Some((307, elsewhere.url()))).await;
        let client = Client::builder()
            .base_url(format!("{}/v1", api.url()))
            .api_key(KEY)
            .token(TOKEN)
            .build()
            .unwrap();
        let error = client.get_album("B0064UPU4G").await.unwrap_err();
        assert!(
            matches!(&error, Error::UnexpectedResponse { status, .. } if status.as_u16() == 307),
            "{error}"
        );
        assert_eq!(api.headers()[0]["x-api-key"], KEY);
        for headers in elsewhere.headers() {
            let shown = format!("{headers:?}");
            assert!(!shown.contains(KEY) && !shown.contains(TOKEN), "{shown}");
        }
        assert!(elsewhere.headers().is_empty(), "{other_ip}: followed");
    }
}

#[test]
fn plain_http_only_on_loopback_unless_allowed() {
    let build = |url: &str, allow: bool| {
        Client::builder()
            .base_url(url)
            .api_key(KEY)
            .token(TOKEN)
            .allow_insecure_http(allow)
            .build()
    };
    for url in [
        "http://127.0.0.1:8080/v1",
        "http://127.0.0.53/v1",
        "http://[::1]:8080/v1",
        "http://localhost/v1",
        "https://api.example.com/v1",
    ] {
        assert!(build(url, false).is_ok(), "{url}");
    }
    for url in [
        "http://api.music.amazon.dev/v1",
        "http://10.0.0.1/v1",
        "http://localhost.example.com/v1",
        "http://127.0.0.1.example.com/v1",
        "http://[::ffff:8.8.8.8]/v1",
    ] {
        let error = build(url, false).unwrap_err();
        assert!(
            matches!(&error, Error::InsecureBaseUrl { base_url } if base_url == url),
            "{url}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("allow_insecure_http"), "{message}");
        assert!(!message.contains(KEY) && !message.contains(TOKEN));
        assert!(build(url, true).is_ok(), "{url} with allow_insecure_http");
    }
    for url in [
        "ftp://127.0.0.1/v1",
        "file:///etc/passwd",
        "ws://localhost/v1",
    ] {
        assert!(matches!(build(url, true), Err(Error::Config(_))), "{url}");
    }
}

/// The refusal names the base URL, but not a user name or password written into it: those
/// may be secrets, and an error is shown and logged.
#[test]
fn the_insecure_base_url_refusal_leaves_out_userinfo() {
    for (given, shown) in [
        (
            "http://someone:pass-WORD-7f1c@api.example.com/v1/",
            "http://api.example.com/v1",
        ),
        (
            "http://TOKEN-USER-2b9d@10.0.0.1:8080/v1",
            "http://10.0.0.1:8080/v1",
        ),
        ("http://api.example.com/v1", "http://api.example.com/v1"),
    ] {
        let error = Client::builder()
            .base_url(given)
            .api_key(KEY)
            .token(TOKEN)
            .build()
            .unwrap_err();
        match &error {
            Error::InsecureBaseUrl { base_url } => assert_eq!(base_url, shown, "{given}"),
            other => panic!("{given}: {other:?}"),
        }
        let message = format!("{error} {error:?}");
        for secret in ["someone", "pass-WORD-7f1c", "TOKEN-USER-2b9d"] {
            assert!(!message.contains(secret), "{message}");
        }
    }
}
