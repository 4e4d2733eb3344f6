//! What happens to each request between the generated client and the network: retries with
//! backoff, a token refresh on `401 INVALID_ACCESS_TOKEN`, and a tracing event per attempt.
//!
//! Plugged into the generated client through [`amazon_music_api::Transport`], so the generated
//! code still builds every request and decodes every response.

use std::cell::RefCell;
use std::time::Instant;

use amazon_music_api::{Transport, TransportFuture};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use reqwest::{Request, Response, StatusCode};

use crate::auth::{TokenError, TokenSource};
use crate::retry::{self, RetryPolicy};

/// What the transport saw of one call, for the error the call may end in: the generated
/// code drops the status when a body fails to decode.
#[derive(Debug, Default, Clone)]
pub(crate) struct Outcome {
    pub status: Option<StatusCode>,
    pub content_type: Option<String>,
    pub attempts: u32,
    /// Typed, so that a refresh needing a new sign-in stays that error for the caller.
    pub token_error: Option<TokenError>,
}

tokio::task_local! {
    /// Set around each call by `Client::call`; the transport runs inside the same task.
    pub(crate) static OUTCOME: RefCell<Outcome>;
}

fn record(f: impl FnOnce(&mut Outcome)) {
    let _ = OUTCOME.try_with(|outcome| f(&mut outcome.borrow_mut()));
}

/// The transport of every [`crate::Client`].
pub(crate) struct RetryingTransport {
    pub policy: RetryPolicy,
    pub tokens: TokenSource,
    /// The longest body read, here (an error body's code) and by the observers.
    pub max_response_bytes: usize,
    /// What watches each exchange (the recorder, the drift check), when anything does.
    #[cfg(any(feature = "record", feature = "drift-check"))]
    pub observers: Option<std::sync::Arc<crate::observe::Observers>>,
}

impl Transport for RetryingTransport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation_id: &'static str,
    ) -> TransportFuture<'a> {
        Box::pin(self.send(client, request, operation_id))
    }
}

/// What to do once an attempt has not simply succeeded.
enum Next {
    /// Send this copy of the request again.
    Retry(Request),
    /// Send this copy again, with the token that replaced a rejected one.
    Refreshed(Request),
    /// Hand this to the generated code.
    Done(reqwest::Result<Response>),
}

/// Why an attempt did not simply succeed. Decided once, where the answer arrives, so that what
/// follows (`RetryingTransport::after`) never re-derives it.
enum Setback {
    /// No answer: refused, reset or closed, or timed out.
    Failed(reqwest::Error),
    /// A `401` while the token can still be replaced, once.
    Refused(Response),
    /// A status worth waiting out, while another attempt may follow.
    Busy(Response),
}

/// The facts about one attempt that decide whether another follows.
struct Attempt {
    number: u32,
    may_retry: bool,
    started: Instant,
}

impl RetryingTransport {
    // Not an `async fn`: its argument would be stored in the future next to the loop's own copy
    // of the request. The one request-sized slot is `kept`, the copy held back for another
    // attempt while a clone of it is sent (or the request itself, when no other attempt can
    // follow).
    fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        let idempotent = retry::may_repeat(request.method(), operation);
        let mut kept = Some(request);
        async move {
            let started = Instant::now();
            let mut number = 0;
            let mut refreshed = false;
            loop {
                number += 1;
                record(|o| o.attempts += 1);
                // Another attempt needs a copy; a body that cannot be cloned (a stream) cannot
                // be sent twice.
                let copy = match &kept {
                    Some(request)
                        if self.tokens.can_refresh() && !refreshed
                            || idempotent && number < self.policy.attempts() =>
                    {
                        spare(request)
                    }
                    _ => None,
                };
                let attempt = Attempt {
                    number,
                    may_retry: copy.is_some() && idempotent && number < self.policy.attempts(),
                    started,
                };
                // The copy goes out and the request stays, or the request itself goes.
                let to_send = match copy.or_else(|| kept.take()) {
                    Some(request) => request,
                    None => unreachable!("every attempt that is not the last puts a request back"),
                };
                let sent = Instant::now();
                let result = self.execute(client, to_send, operation).await;
                let latency_ms = sent.elapsed().as_millis() as u64;
                let setback = match result {
                    Ok(response) => {
                        // What reads the body next (`buffer`, the generated code) reads at most
                        // the limit.
                        let response =
                            amazon_music_api::bounded_response(response, self.max_response_bytes);
                        let status = response.status();
                        // Only an error status's content type ends up in an error (a success
                        // that fails to decode is reported by its JSON path instead).
                        let content_type = (!status.is_success())
                            .then(|| response.headers().get(CONTENT_TYPE)?.to_str().ok())
                            .flatten()
                            .map(str::to_owned);
                        record(|o| {
                            o.status = Some(status);
                            o.content_type = content_type;
                        });
                        tracing::debug!(
                            operation,
                            attempt = number,
                            status = status.as_u16(),
                            latency_ms,
                            "attempt answered"
                        );
                        if status == StatusCode::UNAUTHORIZED
                            && self.tokens.can_refresh()
                            && !refreshed
                        {
                            Setback::Refused(response)
                        } else if attempt.may_retry && retry::is_retryable_status(status) {
                            Setback::Busy(response)
                        } else {
                            return Ok(response);
                        }
                    }
                    Err(error) => {
                        tracing::debug!(operation, attempt = number, latency_ms, error = %error, "attempt failed");
                        Setback::Failed(error)
                    }
                };
                // Boxed, in a statement of its own: what follows a failure (reading an error
                // body, waiting, refreshing the token) would otherwise make every request's
                // future several times larger.
                let after = Box::pin(self.after(setback, kept.take(), &attempt));
                match after.await {
                    Next::Retry(next) => kept = Some(next),
                    Next::Refreshed(next) => {
                        refreshed = true;
                        // The refused attempt never reached the operation: not counted.
                        number -= 1;
                        kept = Some(next);
                    }
                    Next::Done(result) => return result,
                }
            }
        }
    }

    /// Sends one attempt. What watches the traffic (the recorder, the drift check) sees every
    /// attempt, a retried 503 as much as the answer that follows it: each is something the
    /// service said. Not an `async fn`, whose state would hold the request next to the future
    /// sending it; the watched path is boxed, so the common path's future stays as it was.
    #[cfg(any(feature = "record", feature = "drift-check"))]
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        use futures_util::future::Either;
        match &self.observers {
            Some(observers) => {
                let captured = observers.capture(&request);
                Either::Left(Box::pin(observers.around(
                    captured,
                    operation,
                    self.max_response_bytes,
                    client.execute(request),
                )))
            }
            None => Either::Right(client.execute(request)),
        }
    }

    /// Sends one attempt; with neither feature, nothing watches it.
    #[cfg(not(any(feature = "record", feature = "drift-check")))]
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        _operation: &'static str,
    ) -> impl Future<Output = reqwest::Result<Response>> + Send + 'a {
        client.execute(request)
    }

    /// Decides what follows an attempt that failed, was refused for its token, or was answered
    /// with a status worth waiting out.
    async fn after(&self, setback: Setback, spare: Option<Request>, attempt: &Attempt) -> Next {
        match setback {
            Setback::Failed(error) => {
                // Refused, reset or closed before an answer: for an idempotent request,
                // sending it again cannot do harm twice.
                let transient = error.is_connect() || error.is_timeout() || error.is_request();
                if transient
                    && attempt.may_retry
                    && let Some(spare) = spare
                    && self.wait(attempt.number, None, attempt.started).await
                {
                    return Next::Retry(spare);
                }
                Next::Done(Err(error))
            }
            Setback::Refused(response) => self.refresh(response, spare).await,
            Setback::Busy(response) => self.wait_out(response, spare, attempt).await,
        }
    }

    /// A `401`: replaces the token when the service says it is the token that was refused.
    async fn refresh(&self, response: Response, spare: Option<Request>) -> Next {
        // A streamed body cannot be sent again, new token or not.
        let Some(spare) = spare else {
            return Next::Done(Ok(response));
        };
        let (response, code) = match buffer(response).await {
            Ok(buffered) => buffered,
            Err(error) => return Next::Done(Err(error)),
        };
        if code.as_deref() != Some("INVALID_ACCESS_TOKEN") {
            return Next::Done(Ok(response));
        }
        let rejected = bearer(&spare).unwrap_or_default();
        match self.tokens.replace(&rejected).await {
            Ok(Some(token)) => Next::Refreshed(with_token(spare, &token)),
            Ok(None) => Next::Done(Ok(response)),
            Err(error) => {
                record(|o| o.token_error = Some(TokenError::from_client_error(error)));
                Next::Done(Ok(response))
            }
        }
    }

    /// A status worth waiting out: waits, within the budget, unless the code says time will not
    /// help.
    async fn wait_out(
        &self,
        response: Response,
        spare: Option<Request>,
        attempt: &Attempt,
    ) -> Next {
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry::parse_retry_after);
        let (response, code) = match buffer(response).await {
            Ok(buffered) => buffered,
            Err(error) => return Next::Done(Err(error)),
        };
        // A concurrent-stream limit does not pass with time.
        if code.as_deref() == Some("MAX_CONCURRENCY_REACHED") {
            return Next::Done(Ok(response));
        }
        if let Some(spare) = spare
            && self
                .wait(attempt.number, retry_after, attempt.started)
                .await
        {
            return Next::Retry(spare);
        }
        Next::Done(Ok(response))
    }

    /// Sleeps before the next attempt; `false` when that would exceed the time budget.
    async fn wait(
        &self,
        attempt: u32,
        retry_after: Option<std::time::Duration>,
        started: Instant,
    ) -> bool {
        let delay = self.policy.delay(attempt, retry_after);
        if !self.policy.allows_wait(started.elapsed(), delay) {
            return false;
        }
        tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
        tokio::time::sleep(delay).await;
        true
    }
}

/// A copy of `request` to send again. `Request::try_clone` gives every copy a map of extensions
/// for its timeout slot, set or not: an allocation on every request. The timeout is the only
/// extension a request built through reqwest's public API can carry.
fn spare(request: &Request) -> Option<Request> {
    let body = match request.body() {
        // A streamed body cannot be read twice.
        Some(body) => Some(reqwest::Body::from(body.as_bytes()?.to_vec())),
        None => None,
    };
    let mut spare = Request::new(request.method().clone(), request.url().clone());
    *spare.headers_mut() = request.headers().clone();
    *spare.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *spare.timeout_mut() = Some(*timeout);
    }
    *spare.body_mut() = body;
    Some(spare)
}

/// Reads the whole body to look at the error code, and rebuilds an equivalent response for the
/// generated code to decode.
async fn buffer(response: Response) -> reqwest::Result<(Response, Option<String>)> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let code = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.pointer("/error/code")?.as_str().map(str::to_owned));
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok((Response::from(rebuilt), code))
}

fn bearer(request: &Request) -> Option<String> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_owned)
}

fn with_token(mut request: Request, token: &str) -> Request {
    if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {token}")) {
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request boxes this future. glibc serves allocations of up to 1,032 bytes from its
    /// per-thread cache; a larger one takes the slow path (and measurably slowed every request
    /// when the retry and refresh futures were stored inline, at 2,416 bytes).
    #[test]
    fn the_per_request_future_stays_small() {
        let transport = RetryingTransport {
            policy: RetryPolicy::default(),
            tokens: TokenSource::fixed(amazon_music_api::Credentials::default(), "token").unwrap(),
            max_response_bytes: amazon_music_api::DEFAULT_MAX_RESPONSE_BYTES,
            #[cfg(any(feature = "record", feature = "drift-check"))]
            observers: None,
        };
        let client = reqwest::Client::new();
        let request = Request::new(reqwest::Method::GET, "http://127.0.0.1:9/".parse().unwrap());
        let future = transport.send(&client, request, "getAlbum");
        let size = std::mem::size_of_val(&future);
        assert!(size <= 1024, "the transport's future is {size} bytes");
    }
}
