//! An optional seam through which every request is sent, so that layers above (the ergonomic
//! `amazon-music` crate) can add retries, token refresh and tracing around the generated code
//! without forking it. Without one, requests go straight to the `reqwest::Client`.

use std::future::Future;
use std::pin::Pin;

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

/// Sends one request of an operation and returns the response the generated code will decode.
///
/// The request already carries the credentials; an implementation may clone it to send it
/// again (for a retry) or replace headers (after a token refresh).
///
/// The generated client bounds the body of the response it gets back (see
/// [`bounded_response`](crate::bounded_response)); an implementation that reads bodies itself
/// (to look at an error code, say) should bound them first with that function.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`, made for the operation `operation_id` (snake case, as progenitor names
    /// operations), with `client`.
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> TransportFuture<'a>;
}
