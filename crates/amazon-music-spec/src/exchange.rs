//! Exchanges (a request and its response) and the file formats they are read from: the
//! project's recorded-exchange JSON and HAR 1.2.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One request and the response it got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exchange {
    /// HTTP method, such as `GET`.
    pub method: String,
    /// The request URL: an absolute URL or a path, with its query string.
    pub url: String,
    /// The response status code.
    pub status: u16,
    /// Response headers, by lower-case name. Recordings never keep credentials.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
    /// The response body.
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub body: Body,
}

/// A response body as far as validation cares.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// No body at all.
    #[default]
    Empty,
    /// A JSON value.
    Json(Value),
    /// Text that is not JSON (only from HAR, where the body is captured as text).
    NotJson(String),
}

impl Body {
    /// Whether there is no body.
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Empty)
    }

    /// A body as an exchange holds it, from the bytes a response carried: nothing, JSON when
    /// it parses, else the text (bytes that are not UTF-8 replaced, so nothing is refused).
    ///
    /// ```
    /// use amazon_music_spec::Body;
    /// assert_eq!(Body::from_bytes(b""), Body::Empty);
    /// assert_eq!(Body::from_bytes(br#"{"a":1}"#), Body::Json(serde_json::json!({"a": 1})));
    /// assert_eq!(Body::from_bytes(b"<html>"), Body::NotJson("<html>".into()));
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        match serde_json::from_slice(bytes) {
            Ok(value) => Body::Json(value),
            Err(_) => Body::NotJson(String::from_utf8_lossy(bytes).into_owned()),
        }
    }
}

/// Why a file is not a usable exchange or HAR archive.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExchangeError {
    /// The text is not JSON.
    #[error("not JSON: {0}")]
    Json(String),
    /// The JSON is not a recorded exchange.
    #[error("not a recorded exchange: {0}")]
    Recorded(String),
    /// The JSON is not a HAR 1.2 archive.
    #[error("not a HAR 1.2 archive: {0}")]
    Har(String),
}

#[derive(Deserialize)]
struct RecordedHead {
    #[serde(default, rename = "specVersion")]
    spec_version: Option<String>,
    method: String,
    url: String,
    status: u16,
    #[serde(default)]
    headers: Map<String, Value>,
}

/// Parses one recorded exchange: a JSON object with `method`, `url`, `status`, optional
/// `headers` and `body`.
///
/// ```
/// use amazon_music_spec::{Body, parse_recorded};
/// let exchange = parse_recorded(r#"{"method": "GET", "url": "/v1/albums/B1", "status": 404,
///     "body": {"error": {"status": "404", "code": "RESOURCE_NOT_FOUND", "message": "no"}}}"#)?;
/// assert_eq!(exchange.status, 404);
/// assert!(matches!(exchange.body, Body::Json(_)));
/// # Ok::<(), amazon_music_spec::ExchangeError>(())
/// ```
pub fn parse_recorded(text: &str) -> Result<Exchange, ExchangeError> {
    parse_recorded_versioned(text).map(|(exchange, _)| exchange)
}

/// Parses one recorded exchange, and the `specVersion` it was recorded against (the spec's
/// `info.version`, which the client's recorder writes), if it says.
pub fn parse_recorded_versioned(text: &str) -> Result<(Exchange, Option<String>), ExchangeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ExchangeError::Json(e.to_string()))?;
    let Value::Object(object) = &value else {
        return Err(ExchangeError::Recorded(
            "the top level is not an object".into(),
        ));
    };
    for field in ["method", "url", "status"] {
        if !object.contains_key(field) {
            return Err(ExchangeError::Recorded(format!("missing field `{field}`")));
        }
    }
    let head: RecordedHead = serde_json::from_value(value.clone())
        .map_err(|e| ExchangeError::Recorded(e.to_string()))?;
    if let Some((name, _)) = head.headers.iter().find(|(_, v)| !v.is_string()) {
        return Err(ExchangeError::Recorded(format!(
            "header `{name}` is not a string"
        )));
    }
    let exchange = Exchange {
        method: head.method.to_ascii_uppercase(),
        url: head.url,
        status: head.status,
        headers: head.headers,
        // An absent body is no body; `null` is a JSON body like any other.
        body: object.get("body").cloned().map_or(Body::Empty, Body::Json),
    };
    Ok((exchange, head.spec_version))
}

/// Parses a HAR 1.2 archive into its entries' exchanges, in file order.
///
/// A response body is taken from `response.content.text` (base64-decoded when `encoding` says
/// so); an empty or absent text is no body, and text that is not JSON is kept as
/// [`Body::NotJson`] so that validation can report it.
pub fn parse_har(text: &str) -> Result<Vec<Exchange>, ExchangeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ExchangeError::Json(e.to_string()))?;
    let entries = value
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or_else(|| ExchangeError::Har("no `log.entries` array".into()))?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            har_entry(entry).map_err(|e| ExchangeError::Har(format!("entry {i}: {e}")))
        })
        .collect()
}

fn har_entry(entry: &Value) -> Result<Exchange, String> {
    let str_at = |pointer: &str| {
        entry
            .pointer(pointer)
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format!(
                    "no string at `{}`",
                    pointer.trim_start_matches('/').replace('/', ".")
                )
            })
    };
    let method = str_at("/request/method")?.to_ascii_uppercase();
    let url = str_at("/request/url")?.to_owned();
    let status = entry
        .pointer("/response/status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("no status code at `response.status`")?;
    let mut headers = Map::new();
    if let Some(list) = entry.pointer("/response/headers") {
        let list = list
            .as_array()
            .ok_or("`response.headers` is not an array")?;
        for header in list {
            let name = header.get("name").and_then(Value::as_str);
            let value = header.get("value").and_then(Value::as_str);
            let (Some(name), Some(value)) = (name, value) else {
                return Err("a response header lacks `name` or `value`".into());
            };
            headers.insert(name.to_ascii_lowercase(), Value::String(value.to_owned()));
        }
    }
    let content = entry.pointer("/response/content");
    let text = content.and_then(|c| c.get("text")).and_then(Value::as_str);
    let body = match text {
        None | Some("") => Body::Empty,
        Some(text) => {
            let decoded = if content
                .and_then(|c| c.get("encoding"))
                .and_then(Value::as_str)
                == Some("base64")
            {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|e| format!("`response.content.text` is not base64: {e}"))?;
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                text.to_owned()
            };
            Body::from_bytes(decoded.as_bytes())
        }
    };
    Ok(Exchange {
        method,
        url,
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_body_is_written_unless_there_is_none() {
        let mut exchange = Exchange {
            method: "GET".into(),
            url: "/v1/albums/B1".into(),
            status: 200,
            headers: Map::new(),
            body: Body::Json(json!({"data": 1})),
        };
        assert_eq!(
            serde_json::to_value(&exchange).unwrap()["body"],
            json!({"data": 1})
        );
        exchange.body = Body::Empty;
        assert!(
            serde_json::to_value(&exchange)
                .unwrap()
                .get("body")
                .is_none()
        );
    }

    #[test]
    fn recorded_needs_its_fields() {
        assert!(matches!(parse_recorded("{"), Err(ExchangeError::Json(_))));
        assert!(matches!(
            parse_recorded("[]"),
            Err(ExchangeError::Recorded(_))
        ));
        let missing = parse_recorded(r#"{"method": "GET", "url": "/v1/albums"}"#).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "not a recorded exchange: missing field `status`"
        );
        let bad_status = parse_recorded(r#"{"method": "GET", "url": "/", "status": "200"}"#);
        assert!(matches!(bad_status, Err(ExchangeError::Recorded(_))));
        let bad_header =
            parse_recorded(r#"{"method": "GET", "url": "/", "status": 200, "headers": {"a": 1}}"#);
        assert!(matches!(bad_header, Err(ExchangeError::Recorded(_))));
    }

    #[test]
    fn recorded_body_absent_or_json() {
        let empty = parse_recorded(r#"{"method": "put", "url": "/", "status": 200}"#).unwrap();
        assert_eq!(empty.method, "PUT");
        assert_eq!(empty.body, Body::Empty);
        let null = parse_recorded(r#"{"method": "GET", "url": "/", "status": 200, "body": null}"#);
        assert_eq!(null.unwrap().body, Body::Json(Value::Null));
    }

    #[test]
    fn har_entries_and_bodies() {
        let har = json!({"log": {"version": "1.2", "entries": [
            {"request": {"method": "GET", "url": "https://h/v1/a"},
             "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                          "content": {"mimeType": "application/json", "text": "eyJhIjoxfQ==", "encoding": "base64"}}},
            {"request": {"method": "GET", "url": "https://h/v1/b"},
             "response": {"status": 502, "content": {"text": "<html>"}}},
            {"request": {"method": "DELETE", "url": "https://h/v1/c"},
             "response": {"status": 200, "content": {"size": 0}}}
        ]}});
        let exchanges = parse_har(&har.to_string()).unwrap();
        assert_eq!(exchanges[0].body, Body::Json(json!({"a": 1})));
        assert_eq!(exchanges[0].headers["content-type"], "application/json");
        assert_eq!(exchanges[1].body, Body::NotJson("<html>".into()));
        assert_eq!(exchanges[2].body, Body::Empty);
    }

    #[test]
    fn malformed_har_is_an_error() {
        assert!(matches!(parse_har("not json"), Err(ExchangeError::Json(_))));
        assert!(matches!(
            parse_har(r#"{"log": {}}"#),
            Err(ExchangeError::Har(_))
        ));
        let no_status = json!({"log": {"entries": [{"request": {"method": "GET", "url": "/"}, "response": {}}]}});
        let error = parse_har(&no_status.to_string()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "not a HAR 1.2 archive: entry 0: no status code at `response.status`"
        );
    }
}
