//! A server that knows nothing but the spec's examples: every operation answers with the example
//! of its success response (or its bare status, when that response has no body), whatever the
//! request says, as a documentation-driven mock such as Stoplight Prism does. Built from the spec
//! generically, so that a new operation or example needs nothing here.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use amazon_music_spec::Spec;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::spec::examples::{Place, spec_examples};

/// What an operation answers with: a status and, for a response with a body, its example.
type Answer = (StatusCode, Option<String>);

/// The server, on a loopback address.
#[derive(Clone)]
pub struct ExamplesServer {
    seen: Arc<Mutex<Vec<String>>>,
    addr: SocketAddr,
}

impl ExamplesServer {
    /// Starts the server for `spec` on `127.0.0.1`, any port.
    pub async fn start(spec: &Spec) -> Self {
        let router = Arc::new(spec.router().clone());
        let answers = Arc::new(answers(spec));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = seen.clone();
        let app = axum::Router::new().fallback(move |method: Method, uri: Uri| {
            let (router, answers, shared) = (router.clone(), answers.clone(), shared.clone());
            async move {
                shared
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(format!("{method} {}", uri.path()));
                let answer = router
                    .find(method.as_str(), uri.path())
                    .and_then(|route| answers.get(route.operation_id));
                let response: Response = match answer {
                    Some((status, Some(body))) => (
                        *status,
                        [(header::CONTENT_TYPE, "application/json")],
                        body.clone(),
                    )
                        .into_response(),
                    Some((status, None)) => status.into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                };
                response
            }
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { seen, addr }
    }

    /// The API's base URL on this server (`http://127.0.0.1:port/v1`).
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Every request so far, as `METHOD /path`, in order.
    pub fn requests(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Operation id → its answer: the lowest declared 2xx status, with the first example of that
/// response when it has a body.
fn answers(spec: &Spec) -> HashMap<String, Answer> {
    let examples = spec_examples(spec);
    let mut out = HashMap::new();
    for op in spec.operations() {
        let Some(key) = op
            .responses()
            .iter()
            .map(|r| r.status().to_owned())
            .filter(|k| k.starts_with('2') && k.parse::<u16>().is_ok())
            .min()
        else {
            continue;
        };
        let status =
            StatusCode::from_u16(key.parse().expect("a numeric key")).expect("a valid status");
        let body = examples
            .iter()
            .find(|e| e.operation_id == op.id() && e.place == Place::Response(key.clone()))
            .map(|e| e.value.to_string());
        out.insert(op.id().to_owned(), (status, body));
    }
    out
}
