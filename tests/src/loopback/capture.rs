//! A loopback HTTP server that records every request it receives and answers with a canned
//! response, so tests can see exactly what the generated client puts on the wire.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;

/// The credentials the tests give the client; the renderer checks them and prints them redacted.
pub const API_KEY: &str = "wire-test-key";
/// The bearer token the tests give the client.
pub const TOKEN: &str = "wire-test-token";

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The request method.
    pub method: Method,
    /// The path and query, as sent.
    pub uri: Uri,
    /// Every header, as sent.
    pub headers: HeaderMap,
    /// The body, as sent.
    pub body: Bytes,
}

#[derive(Default)]
struct State {
    requests: Vec<Captured>,
    reply: Option<(u16, String)>,
}

/// A running capture server.
#[derive(Clone)]
pub struct Capture {
    state: Arc<Mutex<State>>,
    /// `http://127.0.0.1:PORT/v1`
    pub base_url: String,
}

impl Capture {
    /// Starts a capture server on a loopback port, for as long as the runtime runs.
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let shared = shared.clone();
                async move {
                    let mut state = shared.lock().unwrap();
                    state.requests.push(Captured {
                        method,
                        uri,
                        headers,
                        body,
                    });
                    match state.reply.clone() {
                        Some((status, body)) => (
                            StatusCode::from_u16(status).unwrap(),
                            [("content-type", "application/json")],
                            body,
                        )
                            .into_response(),
                        None => StatusCode::OK.into_response(),
                    }
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            state,
            base_url: format!("http://{addr}/v1"),
        }
    }

    /// What the next requests are answered with (an empty 200 when never set).
    pub fn reply(&self, status: u16, body: &serde_json::Value) {
        self.state.lock().unwrap().reply = Some((status, body.to_string()));
    }

    /// The one request received since the last call; fails the test otherwise.
    pub fn take_one(&self) -> Captured {
        let mut state = self.state.lock().unwrap();
        assert_eq!(state.requests.len(), 1, "expected exactly one request");
        state.requests.pop().unwrap()
    }
}

/// Renders a request for a snapshot: method, path and query, headers (sorted; `host` dropped
/// since its port changes; credentials verified and redacted), and the JSON body.
pub fn render(request: &Captured) -> String {
    let mut out = format!("{} {}\n", request.method, request.uri);
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| *name != "host")
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or("<non-ascii>");
            let shown = match name.as_str() {
                "x-api-key" if value == API_KEY => "[redacted api key]".to_owned(),
                "authorization" if value == format!("Bearer {TOKEN}") => {
                    "Bearer [redacted token]".to_owned()
                }
                "x-api-key" | "authorization" => "UNEXPECTED CREDENTIAL".to_owned(),
                _ => value.to_owned(),
            };
            (name.as_str().to_owned(), shown)
        })
        .collect();
    headers.sort();
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\n"));
    }
    if !request.body.is_empty() {
        let body: serde_json::Value =
            serde_json::from_slice(&request.body).expect("the client sends JSON bodies");
        out.push('\n');
        out.push_str(&serde_json::to_string_pretty(&body).unwrap());
        out.push('\n');
    }
    out
}
