//! Arbitrary requests into the mock's router, API and Login with Amazon emulator alike: the
//! standalone mock faces untrusted callers, so whatever arrives it must answer with a status,
//! never panic, and never fail inside (a 500 with the default configuration, which injects no
//! faults, is a bug).
//!
//! The input is up to eight requests, separated by a line `~~~`, each written like HTTP/1.1
//! without the version:
//!
//! ```text
//! POST /auth/o2/token?x=1
//! content-type: application/x-www-form-urlencoded
//!
//! grant_type=refresh_token&refresh_token=abc&client_id=mock-client-id
//! ```
//!
//! The first line is the method and the path with its query; header lines follow up to an
//! empty line; the rest is the body. A piece that no HTTP server would turn into a request (a
//! method, URI or header that does not parse) is skipped, as hyper would refuse it before the
//! router sees it. The requests of one input go in order to one server, whose state lives on
//! across inputs like a standalone mock's.
#![no_main]

use std::sync::OnceLock;

use amazon_music_mock::{MockConfig, MockState, router};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, Uri};
use libfuzzer_sys::fuzz_target;
use tokio::runtime::Runtime;
use tower::ServiceExt;

const SEPARATOR: &[u8] = b"\n~~~\n";
const MAX_REQUESTS: usize = 8;

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

fn app() -> &'static Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| router(MockState::new(&MockConfig::default()).unwrap()))
}

/// `bytes` as a request, or `None` when no HTTP server would have made one of it.
fn request(bytes: &[u8]) -> Option<Request<Body>> {
    let (head, body) = match find(bytes, b"\n\n") {
        Some(at) => (&bytes[..at], &bytes[at + 2..]),
        None => (bytes, &[][..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let first = lines.next()?;
    let space = first.iter().position(|&b| b == b' ')?;
    let method = Method::from_bytes(&first[..space]).ok()?;
    let uri = Uri::try_from(&first[space + 1..]).ok()?;
    // Servers see origin-form targets; an absolute URI would bypass nothing, but keep to paths.
    if uri.scheme().is_some() || !uri.path().starts_with('/') {
        return None;
    }
    let mut builder = Request::builder().method(method).uri(uri);
    for line in lines {
        let colon = line.iter().position(|&b| b == b':')?;
        let name = HeaderName::from_bytes(&line[..colon]).ok()?;
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii()).ok()?;
        builder = builder.header(name, value);
    }
    builder.body(Body::from(body.to_vec())).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fuzz_target!(|bytes: &[u8]| {
    let mut rest = bytes;
    let mut pieces = Vec::new();
    while pieces.len() < MAX_REQUESTS {
        match find(rest, SEPARATOR) {
            Some(at) => {
                pieces.push(&rest[..at]);
                rest = &rest[at + SEPARATOR.len()..];
            }
            None => {
                pieces.push(rest);
                break;
            }
        }
    }
    runtime().block_on(async {
        for piece in pieces {
            let Some(request) = request(piece) else {
                continue;
            };
            let response = app().clone().oneshot(request).await.unwrap();
            let status = response.status();
            assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{response:?}");
            // The whole answer is read, as a client would.
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
        }
    });
});
