//! A small HTTP client for the mock's tests: real requests over loopback.

#![allow(dead_code)] // each test file uses a different part of it

pub mod lwa;

use amazon_music_mock::{MockConfig, MockServer};
use reqwest::Method;
use serde_json::Value;

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
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

pub struct Api {
    pub server: MockServer,
    pub http: reqwest::Client,
    pub token: String,
}

impl Api {
    pub async fn start(config: MockConfig) -> Self {
        let server = MockServer::start(config).await.expect("mock starts");
        Self {
            server,
            http: reqwest::Client::new(),
            token: "mock-token".to_owned(),
        }
    }

    pub async fn default() -> Self {
        Self::start(MockConfig::default()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

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

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("x-api-key", "mock-api-key")
            .header("authorization", format!("Bearer {}", self.token))
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send_raw(request).await
    }

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

pub fn track_id(entity: &Value) -> String {
    entity["track"]["id"].as_str().unwrap().to_owned()
}
