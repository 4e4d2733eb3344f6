//! The mock on loopback and raw HTTP to it, for the mock's tests of what goes over the wire:
//! real requests, every status, header and byte of the answer kept.

use amazon_music_mock::{MockConfig, MockServer};
use reqwest::Method;
use serde_json::Value;

/// An answer of the mock, read whole.
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, as received.
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    /// `(status, error code)` of an error answer.
    pub fn error(&self) -> (u16, String) {
        let body = self.json();
        assert_eq!(
            body["error"]["status"],
            Value::String(self.status.to_string()),
            "error status is the HTTP status as a string: {body}"
        );
        (
            self.status,
            body["error"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    }
}

/// A running mock and an HTTP client that speaks to it with the credentials it accepts.
pub struct Api {
    /// The mock, stopped when this is dropped.
    pub server: MockServer,
    /// The HTTP client of every request.
    pub http: reqwest::Client,
    /// The bearer token sent (a test may change it to see the mock refuse).
    pub token: String,
}

impl Api {
    /// Starts a mock of `config`.
    pub async fn start(config: MockConfig) -> Self {
        let server = MockServer::start(config).await.expect("mock starts");
        Self {
            server,
            http: reqwest::Client::new(),
            token: "mock-token".to_owned(),
        }
    }

    /// Starts a mock of the default configuration.
    pub async fn default() -> Self {
        Self::start(MockConfig::default()).await
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// Sends `request` as built and reads the whole answer.
    pub async fn send_raw(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body read").to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    /// A request of `method` to `path`, with the API key and bearer token.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("x-api-key", "mock-api-key")
            .header("authorization", format!("Bearer {}", self.token))
    }

    /// Sends `method` to `path` with an optional JSON `body`.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send_raw(request).await
    }

    /// A GET of `path`.
    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// A GET that must succeed, as JSON.
    pub async fn ok(&self, path: &str) -> Value {
        let reply = self.get(path).await;
        assert_eq!(
            reply.status,
            200,
            "GET {path}: {}",
            String::from_utf8_lossy(&reply.bytes)
        );
        reply.json()
    }

    /// Creates a session from `body` and returns its first entity.
    pub async fn session(&self, body: Value) -> Value {
        let reply = self
            .call(Method::POST, "/playback/sessions", Some(body))
            .await;
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.bytes)
        );
        reply.json()["data"]["entities"][0].clone()
    }
}

/// The track id of a playback entity.
pub fn track_id(entity: &Value) -> String {
    entity["track"]["id"].as_str().unwrap().to_owned()
}
