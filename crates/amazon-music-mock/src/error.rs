//! The API's error object, `{"error": {"status": "404", "code": ..., "message": ...}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error answer in the format of the Amazon Music Web API: the HTTP status, a stable
/// `code` and a message for people, and optionally a `payload` of details.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status; also sent, as a string, in the body's `status`.
    pub status: StatusCode,
    /// The machine-readable code, such as `RESOURCE_NOT_FOUND`.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// Details that depend on `code`.
    pub payload: Option<Value>,
    /// Seconds to send in a `Retry-After` header, for throttling.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            payload: None,
            retry_after: None,
        }
    }

    /// 400 `BAD_REQUEST`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// 400 `BAD_REQUEST` for a `cursor` no page of this listing gave out.
    pub(crate) fn foreign_cursor(cursor: &str) -> Self {
        Self::bad_request(format!(
            "cursor {cursor:?} is not a token this API gave (pageInfo.token)"
        ))
    }

    /// 404 `RESOURCE_NOT_FOUND`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", message)
    }

    /// 403 `ACCESS_DENIED`.
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "ACCESS_DENIED", message)
    }

    /// Adds a `payload` object.
    pub fn with_payload(mut self, payload: Value) -> Self {
        self.payload = Some(payload);
        self
    }

    /// The error object as the API sends it.
    pub fn body(&self) -> Value {
        let mut error = json!({
            "status": self.status.as_str(),
            "code": self.code,
            "message": self.message,
        });
        if let Some(payload) = &self.payload {
            error["payload"] = payload.clone();
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, json_body(&self.body())).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A 200 answer with a JSON body.
pub(crate) fn ok_json(body: &Value) -> Response {
    (StatusCode::OK, json_body(body)).into_response()
}

/// A 200 answer with no body, as the spec gives for the queue, mode and event operations.
pub(crate) fn ok_empty() -> Response {
    StatusCode::OK.into_response()
}

fn json_body(body: &Value) -> ([(header::HeaderName, &'static str); 1], Vec<u8>) {
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec(body).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_a_string_and_payload_optional() {
        let e = ApiError::not_found("no album B000000000");
        assert_eq!(
            e.body(),
            json!({"error": {"status": "404", "code": "RESOURCE_NOT_FOUND", "message": "no album B000000000"}})
        );
        let e = ApiError::access_denied("x").with_payload(json!({"disableType": "NO_MORE_SKIPS"}));
        assert_eq!(e.body()["error"]["payload"]["disableType"], "NO_MORE_SKIPS");
    }
}
