//! What the pipeline hands a handler, and how handlers read it.

use std::sync::Arc;

use axum::extract::Extension;
use axum::response::Response;
use serde_json::Value;

use crate::error::ApiError;
use crate::validation::Checked;

/// The user the token belongs to and the request's input, checked against the spec.
pub(crate) struct Ctx {
    pub(crate) user: String,
    pub(crate) checked: Checked,
}

/// How a handler takes the [`Ctx`].
pub(crate) type Context = Extension<Arc<Ctx>>;

/// A handler's answer: a response, or the API's error.
pub(crate) type Answer = Result<Response, ApiError>;

impl Ctx {
    /// The `limit` query parameter, or the operation's default. The spec's bounds were
    /// checked, so it is positive.
    pub(crate) fn limit(&self, default: usize) -> usize {
        self.checked
            .query_int("limit")
            .map_or(default, |n| usize::try_from(n).unwrap_or(default))
    }

    /// The `cursor` query parameter.
    pub(crate) fn cursor(&self) -> Option<&str> {
        self.checked.query_str("cursor")
    }

    /// The JSON request body (`null` for operations without one).
    pub(crate) fn body(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.checked.body.as_ref().unwrap_or(&NULL)
    }
}
