//! Removing credentials from an exchange before it is written down: the one redaction that
//! every recorder (the client's `record_to`, `amazon-music validate live --record`) uses.
//!
//! A recording keeps only an allow-list of response headers ([`KEPT_HEADERS`]), so cookies
//! and anything account-specific in headers never reach it. In the URL, a query value whose
//! name looks like a credential ([`is_credential_name`]) is replaced, and everywhere (URL and
//! body) every known secret and every value shaped like a Login with Amazon token
//! (`Atza|...`, `Atzr|...`) becomes [`REDACTED`].

use serde_json::{Map, Value};

use crate::exchange::{Body, Exchange};

/// What a removed value is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Response headers a recording keeps; every other header is dropped.
pub const KEPT_HEADERS: [&str; 2] = ["content-type", "retry-after"];

/// Prefixes of Login with Amazon's access and refresh tokens, which
/// are redacted wherever they appear, known to the recorder or not.
const TOKEN_PREFIXES: [&str; 2] = ["Atza|", "Atzr|"];

/// Whether a header or query parameter of this name carries a credential: names such as
/// `token`, `access_token`, `x-api-key`, `Authorization`, `cookie`, `client_secret`,
/// `password`, `signature` (case, `-` and `_` ignored).
///
/// ```
/// use amazon_music_spec::redact::is_credential_name;
/// assert!(is_credential_name("X-Api-Key"));
/// assert!(is_credential_name("access_token"));
/// assert!(!is_credential_name("cursor"));
/// assert!(!is_credential_name("ids"));
/// ```
pub fn is_credential_name(name: &str) -> bool {
    let name: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    const PARTS: [&str; 10] = [
        "token",
        "key",
        "secret",
        "password",
        "passwd",
        "auth",
        "cookie",
        "signature",
        "credential",
        "session",
    ];
    PARTS.iter().any(|part| name.contains(part)) || name == "sig" || name == "code"
}

/// Removes known secrets and credential-looking values from exchanges.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor that also replaces each of `secrets` (the API key, the token...) wherever it
    /// appears; empty ones are ignored.
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(|s| s.as_ref().trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        // The longest first, so that a secret containing another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Self { secrets }
    }

    /// `text` with every secret and every token-shaped word replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        for prefix in TOKEN_PREFIXES {
            while let Some(at) = out.find(prefix) {
                let end = out[at..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '&' | ',' | ';'))
                    .map_or(out.len(), |n| at + n);
                out.replace_range(at..end, REDACTED);
            }
        }
        out
    }

    /// A URL (absolute or a path) with secrets replaced, and the value of every query
    /// parameter whose name looks like a credential.
    pub fn url(&self, url: &str) -> String {
        let url = self.text(url);
        let Some((head, query)) = url.split_once('?') else {
            return url;
        };
        let (query, fragment) = match query.split_once('#') {
            Some((q, f)) => (q, Some(f)),
            None => (query, None),
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if is_credential_name(&decode(name)) => {
                    format!("{name}={}", "%3Credacted%3E")
                }
                _ => pair.to_owned(),
            })
            .collect();
        let mut out = format!("{head}?{}", pairs.join("&"));
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }

    /// The response headers a recording keeps, from name-value pairs.
    pub fn headers<'h>(
        &self,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    ) -> Map<String, Value> {
        headers
            .into_iter()
            .filter(|(name, _)| KEPT_HEADERS.iter().any(|k| name.eq_ignore_ascii_case(k)))
            .map(|(name, value)| (name.to_ascii_lowercase(), Value::String(self.text(value))))
            .collect()
    }

    /// A body with secrets replaced in every string (keys included).
    pub fn body(&self, body: Body) -> Body {
        match body {
            Body::Json(value) => Body::Json(self.value(value)),
            Body::NotJson(text) => Body::NotJson(self.text(&text)),
            Body::Empty => Body::Empty,
        }
    }

    fn value(&self, value: Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (self.text(&k), self.value(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    /// The whole exchange made safe to write down: URL, kept headers and body.
    pub fn exchange(&self, exchange: Exchange) -> Exchange {
        let headers = exchange
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.as_str()?)))
            .collect::<Vec<_>>();
        Exchange {
            method: exchange.method.clone(),
            url: self.url(&exchange.url),
            status: exchange.status,
            headers: self.headers(headers),
            body: self.body(exchange.body),
        }
    }
}

/// Percent-decodes a query parameter's name (bad escapes are kept as they are).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&high), Some(&low)) => hex(high).zip(hex(low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_escaped_credential_name_is_still_one() {
        // `%74oken` is `token`: only a decoded name is recognised.
        let redacted = Redactor::new(["the-key"]).url("/v1/albums?%74oken=x1&%69ds=a");
        assert_eq!(redacted, "/v1/albums?%74oken=%3Credacted%3E&%69ds=a");
    }

    #[test]
    fn secrets_credential_queries_and_token_shapes_go() {
        let redactor = Redactor::new(["the-key", "the-token", ""]);
        assert_eq!(
            redactor.url("/v1/albums?ids=a,b&access_token=x1&api%5Fkey=y&cursor=the-token"),
            "/v1/albums?ids=a,b&access_token=%3Credacted%3E&api%5Fkey=%3Credacted%3E&cursor=<redacted>"
        );
        assert_eq!(
            redactor.text("Bearer Atza|IwEB-abc&x"),
            "Bearer <redacted>&x"
        );
        let headers = redactor.headers([
            ("Content-Type", "application/json"),
            ("Set-Cookie", "session=the-token"),
            ("x-amzn-RequestId", "r1"),
        ]);
        assert_eq!(
            Value::Object(headers),
            json!({"content-type": "application/json"})
        );
        let body = redactor.body(Body::Json(
            json!({"a": ["the-key", {"the-token": 1}], "n": 2}),
        ));
        assert_eq!(
            body,
            Body::Json(json!({"a": ["<redacted>", {"<redacted>": 1}], "n": 2}))
        );
        // How many secrets it holds, and nothing of them.
        let shown = format!("{redactor:?}");
        for secret in ["the-key", "the-token"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("secrets: 2"), "{shown}");
    }

    #[test]
    fn credential_names_ignore_case_and_separators_and_two_short_names_count() {
        for name in ["TO-KEN", "pass_word", "Co-De", "sig", "SIG", "code"] {
            assert!(is_credential_name(name), "{name}");
        }
        for name in ["signal", "codec", "ids", "cursor", "x-amzn-requestid"] {
            assert!(!is_credential_name(name), "{name}");
        }
    }

    #[test]
    fn odd_escapes_do_not_panic() {
        let redactor = Redactor::default();
        for url in [
            "/?%",
            "/?%4",
            "/?a%=1",
            "/?%zz=1&token",
            "/?=&&",
            "/?é%C3=1#frag",
        ] {
            let _ = redactor.url(url);
        }
        assert_eq!(redactor.url("/?x=1#f"), "/?x=1#f");
    }
}
