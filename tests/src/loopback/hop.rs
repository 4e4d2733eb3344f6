//! A loopback server for redirect tests: it records what reaches it (each request's path and
//! headers) and answers either with a redirect or with a minimal album.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::IntoResponse;

/// One request as the server saw it.
type Seen = (String, HeaderMap);

/// A recording server on a loopback address.
#[derive(Clone)]
pub struct Hop {
    seen: Arc<Mutex<Vec<Seen>>>,
    addr: SocketAddr,
}

impl Hop {
    /// Starts a server on `ip` (any port). With `redirect = Some((status, location))` it answers
    /// every request with `status` and `Location: {location}{path}`, except a request whose path
    /// already starts with `location` (a same-origin redirect's target), which gets the album,
    /// as every request does without a redirect.
    pub async fn start(ip: &str, redirect: Option<(u16, String)>) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = seen.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
            let shared = shared.clone();
            let redirect = redirect.clone();
            async move {
                let path = uri.path().to_owned();
                shared
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push((path.clone(), headers));
                match redirect {
                    Some((status, location)) if !path.starts_with(&location) => (
                        StatusCode::from_u16(status).unwrap_or(StatusCode::TEMPORARY_REDIRECT),
                        [(header::LOCATION, format!("{location}{path}"))],
                    )
                        .into_response(),
                    _ => (
                        [(header::CONTENT_TYPE, "application/json")],
                        r#"{"data": {"album": {"id": "B0064UPU4G"}}}"#,
                    )
                        .into_response(),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind((ip, 0))
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { seen, addr }
    }

    /// `http://ip:port`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The headers of every request so far, in order.
    pub fn headers(&self) -> Vec<HeaderMap> {
        self.seen()
            .into_iter()
            .map(|(_, headers)| headers)
            .collect()
    }

    /// The path of every request so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.seen().into_iter().map(|(path, _)| path).collect()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}
