//! Response bodies are read up to a limit, by the generated client alone: however the body is
//! framed (a true or a false `Content-Length`, chunks, bytes until the connection closes),
//! whichever way it is read (decoded as a success, as a documented error, or by the caller from
//! an undocumented status), with or without a `Transport`. Past the limit the read ends in
//! `ResponseTooLarge` naming it, and the client hangs up: the server could not write most of
//! the body. A body of exactly the limit still decodes.

use std::sync::Arc;

use amazon_music_api::{
    Client, Credentials, DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLarge, Transport, TransportFuture,
};
use amazon_music_workspace_tests::loopback::oversize::{Content, Framing, Oversize, padded_json};

const LIMIT: usize = 64 * 1024;
/// Far more than the limit and than what the sockets between the server and the client can
/// hold (a few megabytes on loopback): a client that read it all would have had it all.
const HUGE: u64 = 64 * 1024 * 1024;
const ANSWER: &str = r#"{"data": {"entities": []}}"#;

const FRAMINGS: [Framing; 4] = [
    Framing::Length,
    Framing::Declared(1 << 40),
    Framing::Chunked,
    Framing::UntilClose,
];

fn client(server: &Oversize, limit: usize) -> Client {
    Client::new(
        &server.base_url,
        Credentials::new("key", "token").with_max_response_bytes(limit),
    )
}

/// The read ended in `ResponseTooLarge` naming `limit`, the message quotes none of the body,
/// and the server wrote only a small part of it.
async fn assert_refused(
    error: &(dyn std::error::Error + 'static),
    server: &Oversize,
    limit: usize,
) {
    let too_large = ResponseTooLarge::find(error).unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(too_large.limit(), limit);
    assert_eq!(
        too_large.to_string(),
        format!("the response body exceeds the limit of {limit} bytes")
    );
    let mut shown = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(inner) = source {
        shown.push_str(&inner.to_string());
        source = inner.source();
    }
    assert!(!shown.contains("BODY-NEVER-QUOTED"), "{shown}");
    let sent = server.body_bytes_sent().await;
    assert!(sent < HUGE / 2, "the client read on: {sent} bytes sent");
}

#[tokio::test]
async fn a_success_body_above_the_limit_is_refused_however_it_is_framed() {
    for framing in FRAMINGS {
        let server = Oversize::start(200, framing, Content::Filler(HUGE)).await;
        let error = client(&server, LIMIT)
            .get_active_playback_sessions()
            .send()
            .await
            .expect_err("a body above the limit");
        assert!(
            matches!(error, amazon_music_api::Error::ResponseBodyError(_)),
            "{framing:?}: {error}"
        );
        assert_refused(&error, &server, LIMIT).await;
    }
}

#[tokio::test]
async fn a_documented_error_body_above_the_limit_is_refused() {
    for framing in FRAMINGS {
        let server = Oversize::start(500, framing, Content::Filler(HUGE)).await;
        let error = client(&server, LIMIT)
            .get_active_playback_sessions()
            .send()
            .await
            .expect_err("a 500");
        assert_refused(&error, &server, LIMIT).await;
    }
}

/// An undocumented status hands the response to the caller unread; reading it is bounded too.
#[tokio::test]
async fn the_body_of_an_unexpected_response_is_bounded_for_the_caller() {
    for framing in FRAMINGS {
        let server = Oversize::start(418, framing, Content::Filler(HUGE)).await;
        let error = client(&server, LIMIT)
            .get_active_playback_sessions()
            .send()
            .await
            .expect_err("a 418");
        let amazon_music_api::Error::UnexpectedResponse(response) = error else {
            panic!("{framing:?}: {error}");
        };
        assert_eq!(response.status(), 418);
        assert!(
            response.url().as_str().starts_with(&server.base_url),
            "{}",
            response.url()
        );
        let read = response.bytes().await.expect_err("a body above the limit");
        assert_refused(&read, &server, LIMIT).await;
    }
}

/// A transport of the caller's sends the request; the generated client still bounds what it
/// reads.
#[tokio::test]
async fn a_transport_does_not_lift_the_bound() {
    struct Plain;
    impl Transport for Plain {
        fn execute<'a>(
            &'a self,
            client: &'a reqwest::Client,
            request: reqwest::Request,
            _: &'static str,
        ) -> TransportFuture<'a> {
            Box::pin(client.execute(request))
        }
    }
    let server = Oversize::start(200, Framing::Chunked, Content::Filler(HUGE)).await;
    let credentials = Credentials::new("key", "token")
        .with_max_response_bytes(LIMIT)
        .with_transport(Arc::new(Plain));
    let error = Client::new(&server.base_url, credentials)
        .get_active_playback_sessions()
        .send()
        .await
        .expect_err("a body above the limit");
    assert_refused(&error, &server, LIMIT).await;
}

/// Without any setting the limit is 16 MiB.
#[tokio::test]
async fn the_default_limit_is_sixteen_mebibytes() {
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024);
    let server = Oversize::start(200, Framing::Chunked, Content::Filler(HUGE)).await;
    let error = Client::new(&server.base_url, Credentials::new("key", "token"))
        .get_active_playback_sessions()
        .send()
        .await
        .expect_err("a body above the limit");
    let too_large = ResponseTooLarge::find(&error).unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(too_large.limit(), DEFAULT_MAX_RESPONSE_BYTES);
}

/// The limit itself is allowed; one byte more is not.
#[tokio::test]
async fn a_body_of_exactly_the_limit_decodes_and_one_byte_more_does_not() {
    for framing in [Framing::Length, Framing::Chunked, Framing::UntilClose] {
        let server = Oversize::start(200, framing, Content::Text(padded_json(ANSWER, LIMIT))).await;
        let sessions = client(&server, LIMIT)
            .get_active_playback_sessions()
            .send()
            .await
            .unwrap_or_else(|e| panic!("{framing:?}: {e}"));
        assert!(sessions.data.entities.is_empty());
        assert_eq!(server.body_bytes_sent().await, LIMIT as u64);

        let server =
            Oversize::start(200, framing, Content::Text(padded_json(ANSWER, LIMIT + 1))).await;
        let error = client(&server, LIMIT)
            .get_active_playback_sessions()
            .send()
            .await
            .expect_err("one byte above the limit");
        assert_eq!(
            ResponseTooLarge::find(&error).map(ResponseTooLarge::limit),
            Some(LIMIT),
            "{framing:?}: {error}"
        );
    }
}

/// A response already bounded is bounded again only by a tighter limit: the smaller of the
/// two always holds, whichever was applied first.
#[tokio::test]
async fn of_two_bounds_the_tighter_holds_in_either_order() {
    for (first, second) in [(4 * LIMIT, LIMIT), (LIMIT, 4 * LIMIT)] {
        let server = Oversize::start(200, Framing::Chunked, Content::Filler(HUGE)).await;
        let response = reqwest::get(format!("{}/me/playback/sessions", server.base_url))
            .await
            .unwrap();
        let response = amazon_music_api::bounded_response(
            amazon_music_api::bounded_response(response, first),
            second,
        );
        let error = response
            .bytes()
            .await
            .expect_err("a body above both limits");
        assert_refused(&error, &server, LIMIT).await;
    }
}
