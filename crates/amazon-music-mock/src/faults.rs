//! Fault injection: per-route latency, throttling, server errors and broken responses, so
//! that clients can test their retries and timeouts against something that really fails.
//!
//! A rule is written `ROUTE:KIND[=VALUE][:first=N]`, on the command line as in
//! [`MockConfig::fault`](crate::MockConfig::fault):
//!
//! * `ROUTE` is an operationId (`getAlbum`), a spec path (`/albums/{id}`), a method and a path
//!   (`GET /albums/{id}`), or `*` for every operation;
//! * `KIND` is one of `latency=MS` (also `250ms`, `2s`), `throttle` (429 `THROTTLED` without
//!   `Retry-After`), `throttle=SECS` (with it), `status=CODE` (a 5xx error object), `drop` (the
//!   connection closes with no response), `truncate` (the real response cut in half),
//!   `invalid-json` (a 200 whose JSON body does not parse), `wrong-content-type` (the real
//!   response labelled `text/plain`) or `html` (a proxy's 502 HTML page);
//! * `first=N` limits the rule to the first N requests of its route (counted whether or not
//!   this rule decided them), so a retry can succeed.
//!
//! Latency adds to whatever else happens; of the other rules the first matching one decides.

use std::str::FromStr;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// What a fault does to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Waits this long before answering.
    Latency(Duration),
    /// 429 `THROTTLED`, with a `Retry-After` of this many seconds when given.
    Throttle {
        /// Seconds for `Retry-After`, or none.
        retry_after: Option<u64>,
    },
    /// An error object with this 5xx status.
    Status(u16),
    /// Closes the connection without a response.
    Drop,
    /// Sends the real response's headers and half its body, then closes the connection.
    Truncate,
    /// A 200 `application/json` answer whose body is not JSON.
    InvalidJson,
    /// The real response, labelled `text/plain`.
    WrongContentType,
    /// A 502 HTML error page, as a proxy in front of the API would send.
    HtmlError,
}

/// One fault: which requests, what happens, and how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// An operationId, a spec path, `METHOD path`, or `*`.
    pub route: String,
    /// What happens.
    pub kind: FaultKind,
    /// Only the first this many requests of the route are affected; `None` for all.
    pub first: Option<u64>,
}

impl FaultRule {
    /// A rule for every request of `route`.
    pub fn new(route: impl Into<String>, kind: FaultKind) -> Self {
        Self {
            route: route.into(),
            kind,
            first: None,
        }
    }

    /// Limits the rule to the first `n` matching requests.
    pub fn first(mut self, n: u64) -> Self {
        self.first = Some(n);
        self
    }

    /// Whether the rule is about the operation `id`, `method path`.
    pub(crate) fn matches(&self, id: &str, method: &str, path: &str) -> bool {
        let route = self.route.as_str();
        route == "*"
            || route == id
            || route == path
            || route
                .split_once(' ')
                .is_some_and(|(m, p)| m.eq_ignore_ascii_case(method) && p == path)
    }
}

/// Why a fault rule could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError(String);

impl std::fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid fault rule: {}", self.0)
    }
}

impl std::error::Error for FaultParseError {}

impl FromStr for FaultRule {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |why: &str| FaultParseError(format!("{text:?}: {why}"));
        let mut parts = text.split(':');
        let route = parts.next().unwrap_or("").trim();
        if route.is_empty() {
            return Err(err("expected ROUTE:KIND[=VALUE][:first=N]"));
        }
        let kind_text = parts.next().ok_or_else(|| err("missing KIND"))?;
        let (name, value) = match kind_text.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (kind_text, None),
        };
        let kind = match (name, value) {
            ("latency", Some(v)) => {
                FaultKind::Latency(parse_duration(v).ok_or_else(|| err("bad latency"))?)
            }
            ("throttle", None) => FaultKind::Throttle { retry_after: None },
            ("throttle", Some(v)) => FaultKind::Throttle {
                retry_after: Some(v.parse().map_err(|_| err("bad Retry-After seconds"))?),
            },
            ("status", Some(v)) => match v.parse::<u16>() {
                Ok(code @ 500..=599) => FaultKind::Status(code),
                _ => return Err(err("status must be 500 to 599")),
            },
            ("drop", None) => FaultKind::Drop,
            ("truncate", None) => FaultKind::Truncate,
            ("invalid-json", None) => FaultKind::InvalidJson,
            ("wrong-content-type", None) => FaultKind::WrongContentType,
            ("html", None) => FaultKind::HtmlError,
            _ => return Err(err(&format!("unknown fault kind {kind_text:?}"))),
        };
        let mut rule = FaultRule::new(route, kind);
        for option in parts {
            match option.split_once('=') {
                Some(("first", n)) => {
                    rule.first = Some(n.parse().map_err(|_| err("bad first=N"))?);
                }
                _ => return Err(err(&format!("unknown option {option:?}"))),
            }
        }
        Ok(rule)
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.parse().ok().map(Duration::from_millis);
    }
    if let Some(s) = text.strip_suffix('s') {
        return s.parse().ok().map(Duration::from_secs);
    }
    text.parse().ok().map(Duration::from_millis)
}

/// The response a fault sends instead of the real one, for the kinds that need none.
pub(crate) fn replacement(kind: &FaultKind) -> Option<Response> {
    match kind {
        FaultKind::Throttle { retry_after } => {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "THROTTLED",
                "Too many requests.",
            );
            e.retry_after = *retry_after;
            Some(e.into_response())
        }
        FaultKind::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = if status == StatusCode::INTERNAL_SERVER_ERROR {
                "INTERNAL_SERVER_ERROR"
            } else {
                "DEPENDENCY"
            };
            Some(
                ApiError::new(status, code, "The service failed (injected fault).").into_response(),
            )
        }
        FaultKind::Drop => {
            // A body that fails before its first byte makes hyper close the connection
            // without writing the response head.
            let stream = futures_util::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("injected fault: dropped connection"))
            });
            Some(Response::new(Body::from_stream(stream)))
        }
        FaultKind::InvalidJson => Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"data\": {\"album\": {\"id\": \"B0064UPU4G\", \"title\": ",
            )
                .into_response(),
        ),
        FaultKind::HtmlError => Some(
            (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                 <body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p>\
                 </body></html>\n",
            )
                .into_response(),
        ),
        FaultKind::Latency(_) | FaultKind::Truncate | FaultKind::WrongContentType => None,
    }
}

/// Applies a fault that changes the real response after it was produced.
pub(crate) async fn transform(kind: &FaultKind, response: Response) -> Response {
    match kind {
        FaultKind::WrongContentType => {
            let mut response = response;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
        FaultKind::Truncate => {
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            // The head promises the whole body; half of it arrives, then the connection closes.
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            let half = bytes.slice(..bytes.len() / 2);
            // The pause lets the server flush the head and the half before the failure makes
            // it close the connection; without it neither would be sent.
            let failure = futures_util::stream::once(async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                Err(std::io::Error::other("injected fault: truncated body"))
            });
            let stream = futures_util::stream::StreamExt::chain(
                futures_util::stream::iter([Ok(half)]),
                failure,
            );
            Response::from_parts(parts, Body::from_stream(stream))
        }
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_from_the_command_line_syntax() {
        assert_eq!(
            "getAlbum:throttle=2:first=3".parse::<FaultRule>().unwrap(),
            FaultRule::new(
                "getAlbum",
                FaultKind::Throttle {
                    retry_after: Some(2)
                }
            )
            .first(3)
        );
        assert_eq!(
            "*:latency=250ms".parse::<FaultRule>().unwrap().kind,
            FaultKind::Latency(Duration::from_millis(250))
        );
        assert_eq!(
            "GET /albums/{id}:status=503".parse::<FaultRule>().unwrap(),
            FaultRule::new("GET /albums/{id}", FaultKind::Status(503))
        );
        for kind in [
            "drop",
            "truncate",
            "invalid-json",
            "wrong-content-type",
            "html",
            "throttle",
        ] {
            assert!(format!("x:{kind}").parse::<FaultRule>().is_ok(), "{kind}");
        }
        for bad in [
            "",
            "getAlbum",
            "x:status=404",
            "x:explode",
            "x:drop:first=a",
            "x:drop:twice=1",
        ] {
            assert!(bad.parse::<FaultRule>().is_err(), "{bad}");
        }
        // The command line prints this line as it is: the rule as given, and what is wrong.
        assert_eq!(
            "x:status=404".parse::<FaultRule>().unwrap_err().to_string(),
            "invalid fault rule: \"x:status=404\": status must be 500 to 599"
        );
    }

    #[test]
    fn routes_match_by_id_path_or_method_and_path() {
        let m =
            |r: &str| FaultRule::new(r, FaultKind::Drop).matches("getAlbum", "GET", "/albums/{id}");
        assert!(m("getAlbum") && m("/albums/{id}") && m("get /albums/{id}") && m("*"));
        assert!(!m("getAlbums") && !m("PUT /albums/{id}"));
    }
}
