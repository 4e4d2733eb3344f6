//! A client of the sign-in emulator for the tests: form posts, redirects left unfollowed,
//! and shortcuts for the usual flows.

use amazon_music_mock::{LwaConfig, MockConfig, MockServer};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::mock::Reply;

pub const CLIENT: &str = "mock-client-id";
pub const VERIFIER: &str = "a-verifier-of-forty-three-characters-or-more_0123456789";
pub const REDIRECT: &str = "http://127.0.0.1:5555/callback";

pub struct Lwa {
    pub server: MockServer,
    /// No pooled connections: under a paused clock an idle connection's timers could fire
    /// early, and each request on its own connection keeps the tests independent of that.
    pub http: reqwest::Client,
}

impl Lwa {
    pub async fn start(lwa: LwaConfig) -> Self {
        let server = MockServer::start(MockConfig::default().lwa(lwa))
            .await
            .expect("mock starts");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        Self { server, http }
    }

    pub async fn default() -> Self {
        Self::start(LwaConfig::default()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.lwa_url())
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("request sent");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            bytes: response.bytes().await.expect("body read").to_vec(),
        }
    }

    pub async fn post(&self, path: &str, params: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        self.send(
            self.http
                .post(self.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await
    }

    pub async fn token(&self, params: &[(&str, &str)]) -> Reply {
        self.post("/auth/o2/token", params).await
    }

    /// The code-pair endpoint's answer to a well-formed request for `scope`, whatever it is.
    pub async fn codepair_reply(&self, scope: &str) -> Reply {
        self.post(
            "/auth/o2/create/codepair",
            &[
                ("response_type", "device_code"),
                ("client_id", CLIENT),
                ("scope", scope),
            ],
        )
        .await
    }

    pub async fn codepair(&self, scope: &str) -> Value {
        let reply = self.codepair_reply(scope).await;
        assert_eq!(reply.status, 200, "{}", text(&reply));
        assert_eq!(reply.headers["content-type"], "application/json");
        reply.json()
    }

    pub async fn poll(&self, pair: &Value) -> Reply {
        self.token(&[
            ("grant_type", "device_code"),
            ("device_code", pair["device_code"].as_str().unwrap()),
            ("user_code", pair["user_code"].as_str().unwrap()),
        ])
        .await
    }

    /// Signs in with the device flow, approved at once, and returns the token answer.
    pub async fn device_sign_in(&self, scope: &str) -> Value {
        let pair = self.codepair(scope).await;
        assert!(
            self.server
                .approve_user_code(pair["user_code"].as_str().unwrap())
        );
        let reply = self.poll(&pair).await;
        assert_eq!(reply.status, 200, "{}", text(&reply));
        reply.json()
    }

    /// `GET /ap/oa` with these parameters (PKCE S256 of [`VERIFIER`] unless overridden).
    pub async fn authorize(&self, overrides: &[(&str, &str)]) -> Reply {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER));
        let mut params: Vec<(&str, &str)> = vec![
            ("client_id", CLIENT),
            ("scope", "music::catalog music::library"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("state", "st&ate 1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        for (name, value) in overrides {
            params.retain(|(n, _)| n != name);
            if !value.is_empty() {
                params.push((name, value));
            }
        }
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .finish();
        self.send(self.http.get(self.url(&format!("/ap/oa?{query}"))))
            .await
    }

    /// The code of a successful `/ap/oa` redirect.
    pub async fn code(&self, overrides: &[(&str, &str)]) -> String {
        let reply = self.authorize(overrides).await;
        assert_eq!(reply.status, 302, "{}", text(&reply));
        redirect_params(&reply)
            .into_iter()
            .find(|(k, _)| k == "code")
            .expect("a code in the redirect")
            .1
    }

    pub async fn exchange(&self, code: &str, redirect: &str, verifier: &str) -> Reply {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("client_id", CLIENT),
            ("code_verifier", verifier),
        ])
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT),
        ])
        .await
    }

    /// Calls the API with `token`: `(status, error code)`, the code empty on success.
    pub async fn api(&self, path: &str, token: &str) -> (u16, String) {
        let reply = self
            .send(
                self.http
                    .get(format!("{}{path}", self.server.base_url()))
                    .header("x-api-key", "mock-api-key")
                    .header("authorization", format!("Bearer {token}")),
            )
            .await;
        if reply.status == 200 {
            (200, String::new())
        } else {
            reply.error()
        }
    }
}

pub fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.bytes).into_owned()
}

/// `(status, error)` of an OAuth error answer, checking its shape.
pub fn oauth_error(reply: &Reply) -> (u16, String) {
    assert_eq!(reply.headers["content-type"], "application/json");
    let body = reply.json();
    assert!(
        body["error_description"].is_string(),
        "an error_description: {body}"
    );
    (
        reply.status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

pub fn err(status: u16, code: &str) -> (u16, String) {
    (status, code.to_owned())
}

pub fn location(reply: &Reply) -> String {
    reply.headers["location"].to_str().unwrap().to_owned()
}

pub fn redirect_params(reply: &Reply) -> Vec<(String, String)> {
    let location = location(reply);
    let query = location.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

pub fn str_of<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {body}"))
}
