//! The OAuth 2.0 wire format the emulator speaks: form-encoded requests, JSON error answers,
//! scope lists and the random secrets it hands out.

use std::borrow::Cow;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::config::ALL_SCOPES;

/// The largest form the emulator reads; real ones are a few hundred bytes.
const MAX_FORM: usize = 16 * 1024;

/// An OAuth error answer: `{"error": ..., "error_description": ...}`.
///
/// Descriptions are fixed sentences: they never repeat a parameter's value, so no code,
/// token or secret can leak through an error.
#[derive(Debug)]
pub(crate) struct OAuthError {
    status: StatusCode,
    pub(crate) error: &'static str,
    description: &'static str,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: &'static str) -> Self {
        Self {
            status,
            error,
            description,
        }
    }

    pub(crate) fn invalid_request(description: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// `invalid_client` with the 401 of the token endpoint.
    pub(crate) fn invalid_client(description: &'static str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    pub(crate) fn invalid_grant(description: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    pub(crate) fn invalid_scope(description: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    pub(crate) fn unsupported_grant_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The grant_type is not one of device_code, authorization_code and refresh_token.",
        )
    }

    pub(crate) fn pending(error: &'static str, description: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }

    pub(crate) fn server_error(description: &'static str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            description,
        )
    }

    pub(crate) fn temporarily_unavailable(description: &'static str) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            description,
        )
    }

    /// The same error with another status: the code pair endpoint answers a bad client 400.
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn description(&self) -> &'static str {
        self.description
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.error,
            "error_description": self.description,
        });
        json(self.status, &body)
    }
}

/// A JSON answer that no cache may keep, as RFC 6749 asks of anything carrying tokens.
pub(crate) fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body.to_string(),
    )
        .into_response()
}

/// A parameter given more than once: RFC 6749 forbids it, and picking one would hide a bug.
#[derive(Debug)]
pub(crate) struct Duplicate;

impl From<Duplicate> for OAuthError {
    fn from(_: Duplicate) -> Self {
        OAuthError::invalid_request("A parameter is given more than once.")
    }
}

/// Decoded `name=value` pairs, from a form body or a query string. No `Debug`: the values
/// are codes, verifiers, secrets and tokens.
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    pub(crate) fn from_query(query: Option<&str>) -> Self {
        Self::from_bytes(query.unwrap_or("").as_bytes())
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Reads a form-encoded body; anything else is `invalid_request`.
    pub(crate) async fn from_body(headers: &HeaderMap, body: Body) -> Result<Self, OAuthError> {
        if !is_form(headers) {
            return Err(OAuthError::invalid_request(
                "The body must be application/x-www-form-urlencoded.",
            ));
        }
        let bytes: Bytes = axum::body::to_bytes(body, MAX_FORM)
            .await
            .map_err(|_| OAuthError::invalid_request("The body is too large or was cut off."))?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(OAuthError::invalid_request("The body is not UTF-8."));
        }
        Ok(Self::from_bytes(&bytes))
    }

    /// The value of `name`; an empty value counts as absent, as RFC 6749 says.
    pub(crate) fn get(&self, name: &'static str) -> Result<Option<&str>, Duplicate> {
        let mut values = self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (Some(_), Some(_)) => Err(Duplicate),
            (Some(v), None) if !v.is_empty() => Ok(Some(v)),
            _ => Ok(None),
        }
    }

    /// The value of `name`, which the request must carry.
    pub(crate) fn require(
        &self,
        name: &'static str,
        missing: &'static str,
    ) -> Result<&str, OAuthError> {
        self.get(name)?
            .ok_or_else(|| OAuthError::invalid_request(missing))
    }
}

/// Whether the request says its body is a form (parameters such as a charset allowed).
pub(crate) fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// What an unknown scope is told: the scopes there are, from the spec.
fn unknown_scope() -> &'static str {
    static MESSAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MESSAGE.get_or_init(|| {
        let (last, others) = ALL_SCOPES.split_last().unwrap_or((&"", &[]));
        format!(
            "A requested scope is not one of {} and {last}.",
            others.join(", ")
        )
    })
}

/// The scopes of a space-separated `scope` parameter, each once, in the order given.
pub(crate) fn scopes(raw: Option<&str>) -> Result<Vec<String>, OAuthError> {
    let mut scopes: Vec<String> = Vec::new();
    for scope in raw.unwrap_or("").split_ascii_whitespace() {
        if !ALL_SCOPES.contains(&scope) {
            return Err(OAuthError::invalid_scope(unknown_scope()));
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    if scopes.is_empty() {
        return Err(OAuthError::invalid_scope("The request names no scope."));
    }
    Ok(scopes)
}

/// `len` bytes from the operating system's generator: codes and tokens must not be guessable
/// from a seed, since the standalone mock may face other people.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], OAuthError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|_| OAuthError::server_error("No randomness is available to make a code."))?;
    Ok(bytes)
}

/// A secret of 256 random bits, base64url, after `prefix` (`Atza|` for access tokens, as
/// LWA's look).
pub(crate) fn secret(prefix: &str) -> Result<String, OAuthError> {
    let bytes = random_bytes::<32>()?;
    Ok(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
}

/// Text for an HTML page: the emulator's pages only ever show fixed text or checked codes,
/// but escaping keeps that true if a caller slips.
pub(crate) fn escape_html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A small HTML page, for the person at the browser.
pub(crate) fn page(status: StatusCode, title: &str, body_html: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><h1>{}</h1>{body_html}</body></html>\n",
        escape_html(title),
        escape_html(title),
    );
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_absent_and_duplicates_refused() {
        let form = Form::from_query(Some("a=1&b=&c=x+y&a=2"));
        assert!(form.get("a").is_err());
        assert_eq!(form.get("b").unwrap(), None);
        assert_eq!(form.get("c").unwrap(), Some("x y"));
        assert_eq!(form.get("d").unwrap(), None);
    }

    #[test]
    fn scopes_are_checked_and_deduplicated() {
        assert_eq!(
            scopes(Some("music::catalog  music::playback music::catalog")).unwrap(),
            ["music::catalog", "music::playback"]
        );
        assert_eq!(scopes(None).unwrap_err().error, "invalid_scope");
        assert_eq!(scopes(Some(" ")).unwrap_err().error, "invalid_scope");
        let unknown = scopes(Some("music::catalog profile")).unwrap_err();
        assert_eq!(unknown.error, "invalid_scope");
        // It is told the scopes there are.
        for scope in ALL_SCOPES {
            assert!(
                unknown.description.contains(scope),
                "{}",
                unknown.description
            );
        }
    }

    #[test]
    fn form_content_type_allows_a_charset_only() {
        let mut h = HeaderMap::new();
        assert!(!is_form(&h));
        h.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=UTF-8"
                .parse()
                .unwrap(),
        );
        assert!(is_form(&h));
        h.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(!is_form(&h));
    }

    #[test]
    fn secrets_differ_and_html_is_escaped() {
        let a = secret("Atza|").unwrap();
        assert!(a.starts_with("Atza|") && a.len() == 5 + 43);
        assert_ne!(a, secret("Atza|").unwrap());
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
