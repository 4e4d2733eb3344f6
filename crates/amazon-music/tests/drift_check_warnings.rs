//! The drift check's warnings: one per new kind of drift, target `amazon_music::drift`, naming
//! the operation, the kind and the spec pointer with a hint, and never a value or a
//! credential. One test in a binary of its own: tracing caches what a callsite is interested
//! in across threads, which other tests' subscribers would disturb.

use amazon_music_workspace_tests::client as support;

use amazon_music_mock::{DriftKind, MockConfig, MockServer};
use amazon_music_workspace_tests::trace::TraceCapture;

/// The capture's text without its colours.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn warnings(text: &str) -> Vec<String> {
    plain(text)
        .lines()
        .filter(|line| line.contains(" amazon_music::drift:"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn one_warning_per_new_kind_naming_no_value() {
    let capture = TraceCapture::start();
    // The first seed whose getAlbum answer drifts.
    for seed in 0..32 {
        let server = MockServer::start(
            MockConfig::default()
                .drift(seed)
                .api_key("drift-key-SECRET-1")
                .token(
                    "drift-token-SECRET-2",
                    "drift-user",
                    amazon_music_mock::ALL_SCOPES,
                ),
        )
        .await
        .unwrap();
        let client = amazon_music::Client::builder()
            .base_url(server.base_url())
            .api_key("drift-key-SECRET-1")
            .token("drift-token-SECRET-2")
            .retry_policy(support::quick_retries())
            .build()
            .unwrap();
        let before = warnings(&capture.text()).len();
        client.get_album("B0064UPU4G").await.unwrap();
        let stats = client.drift_stats();
        if stats.kinds.is_empty() {
            assert_eq!(warnings(&capture.text()).len(), before);
            continue;
        }
        let text = plain(&capture.text());
        let new = &warnings(&text)[before..];
        assert_eq!(new.len(), stats.kinds.len(), "seed {seed}:\n{text}");
        for (line, seen) in new.iter().zip(&stats.kinds) {
            assert!(line.contains(" WARN "), "{line}");
            assert!(line.contains("operation=getAlbum"), "{line}");
            assert!(
                line.contains(&format!("kind=\"{}\"", seen.kind.name())),
                "{line}"
            );
            assert!(
                line.contains(&format!("pointer={}", seen.pointer)),
                "{line}"
            );
            assert!(line.contains("validate recorded DIR --suggest"), "{line}");
        }
        // Neither a served value, nor the body, nor a credential.
        let warned = new.join("\n");
        for injection in server.state().drift_served() {
            if injection.kind == DriftKind::UnlistedValue {
                assert!(!warned.contains(&injection.found), "{warned}");
            }
        }
        for never in ["Discovery", "drift-key-SECRET-1", "drift-token-SECRET-2"] {
            assert!(!warned.contains(never), "{warned}");
        }
        // The same answer again: counted, not logged.
        client.get_album("B0064UPU4G").await.unwrap();
        assert_eq!(warnings(&capture.text()).len(), before + stats.kinds.len());
        assert!(client.drift_stats().findings > stats.findings);
        return;
    }
    panic!("no seed of 0..32 drifts getAlbum's answer");
}
