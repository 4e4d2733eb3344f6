//! Every body the client reads is read up to `ClientBuilder::max_response_bytes`: the call's
//! own decoding, the transport's look at an error body before a retry, the body of a status
//! the spec does not list, and the recorder's copy. Past the limit the call ends in
//! `Error::ResponseTooLarge` naming it, whatever the framing (a true or a false
//! `Content-Length`, chunks, bytes until close), and the client hangs up: the server could not
//! write most of the body. A body of exactly the limit still works.

use std::path::Path;

use amazon_music::{Client, Error};
use amazon_music_workspace_tests::loopback::oversize::{Content, Framing, Oversize, padded_json};

use crate::support;

const LIMIT: usize = 64 * 1024;
/// Far more than the limit and than what the sockets between the server and the client hold.
const HUGE: u64 = 64 * 1024 * 1024;
const ALBUM: &str = r#"{"data": {"album": {"id": "B0064UPU4G"}}}"#;

const FRAMINGS: [Framing; 4] = [
    Framing::Length,
    Framing::Declared(1 << 40),
    Framing::Chunked,
    Framing::UntilClose,
];

/// Not recording, and (feature `record`) recording into `dir`.
fn recordings(dir: &Path) -> Vec<Option<&Path>> {
    let mut recordings = vec![None];
    if cfg!(feature = "record") {
        recordings.push(Some(dir));
    }
    recordings
}

fn client(server: &Oversize, recording: Option<&Path>) -> Client {
    let builder = Client::builder()
        .base_url(&server.base_url)
        .api_key("key")
        .token("token")
        .retry_policy(support::quick_retries())
        .max_response_bytes(LIMIT);
    #[cfg(feature = "record")]
    let builder = match recording {
        Some(dir) => builder.record(amazon_music::Recording::new(dir).max_file_bytes(4 * LIMIT)),
        None => builder,
    };
    #[cfg(not(feature = "record"))]
    let _ = recording;
    builder.build().unwrap()
}

/// 200 is decoded by the generated code, 500 too (a documented error), 503 is read first by
/// the transport (for its error code, before a retry), 418 by the client (undocumented).
#[tokio::test]
async fn every_read_ends_in_response_too_large_however_the_body_is_framed() {
    let dir = tempfile::tempdir().unwrap();
    for recording in recordings(dir.path()) {
        for status in [200, 500, 503, 418] {
            for framing in FRAMINGS {
                let server = Oversize::start(status, framing, Content::Filler(HUGE)).await;
                let case = format!("{status} {framing:?}, recording: {}", recording.is_some());
                let error = client(&server, recording)
                    .get_album("B0064UPU4G")
                    .await
                    .expect_err(&case);
                assert!(
                    matches!(
                        error,
                        Error::ResponseTooLarge {
                            operation: "getAlbum",
                            limit: LIMIT
                        }
                    ),
                    "{case}: {error:?}"
                );
                assert_eq!(
                    error.to_string(),
                    format!("getAlbum: the response body exceeds the limit of {LIMIT} bytes")
                );
                let sent = server.body_bytes_sent().await;
                assert!(
                    sent < HUGE / 2,
                    "{case}: the client read on, {sent} bytes sent"
                );
            }
        }
    }
}

/// The limit itself is allowed, recorded or not; one byte more is not.
#[tokio::test]
async fn a_body_of_exactly_the_limit_works_and_one_byte_more_does_not() {
    let dir = tempfile::tempdir().unwrap();
    for recording in recordings(dir.path()) {
        for framing in [Framing::Length, Framing::Chunked, Framing::UntilClose] {
            let case = format!("{framing:?}, recording: {}", recording.is_some());
            let body = padded_json(ALBUM, LIMIT);
            let server = Oversize::start(200, framing, Content::Text(body)).await;
            let album = client(&server, recording)
                .get_album("B0064UPU4G")
                .await
                .unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(album.id.to_string(), "B0064UPU4G");

            let body = padded_json(ALBUM, LIMIT + 1);
            let server = Oversize::start(200, framing, Content::Text(body)).await;
            let error = client(&server, recording)
                .get_album("B0064UPU4G")
                .await
                .expect_err(&case);
            assert!(
                matches!(error, Error::ResponseTooLarge { limit: LIMIT, .. }),
                "{case}: {error:?}"
            );
        }
    }
}

/// Without a setting, the generated crate's default holds: 16 MiB.
#[tokio::test]
async fn the_default_limit_is_the_generated_crates() {
    let server = Oversize::start(200, Framing::Chunked, Content::Filler(HUGE)).await;
    let error = Client::builder()
        .base_url(&server.base_url)
        .api_key("key")
        .token("token")
        .build()
        .unwrap()
        .get_album("B0064UPU4G")
        .await
        .expect_err("a body above the default limit");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 16 * 1024 * 1024),
        "{error:?}"
    );
}
