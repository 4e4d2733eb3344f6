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

use crate::auth::TokenSource;
use crate::retry::{self, RetryPolicy};

/// What the transport saw of one call, for the error the call may end in: the generated
/// code drops the status when a body fails to decode.
#[derive(Debug, Default, Clone)]
pub(crate) struct Outcome {
    pub status: Option<StatusCode>,
    pub content_type: Option<String>,
    pub attempts: u32,
    pub token_error: Option<String>,
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

impl RetryingTransport {
    async fn send(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let idempotent = retry::is_idempotent(request.method());
        let mut attempt = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            record(|o| o.attempts += 1);
            // Kept for a retry or a token refresh; a body that cannot be cloned (a stream)
            // cannot be sent twice.
            let spare = if self.tokens.can_refresh() && !refreshed
                || idempotent && attempt < self.policy.attempts()
            {
                request.try_clone()
            } else {
                None
            };
            let may_retry = spare.is_some() && idempotent && attempt < self.policy.attempts();
            let sent = Instant::now();
            let result = client.execute(request).await;
            let latency_ms = sent.elapsed().as_millis() as u64;
            let response = match result {
                Ok(response) => response,
                Err(error) => {
                    tracing::debug!(operation, attempt, latency_ms, error = %error, "attempt failed");
                    // Refused, reset or closed before an answer: for an idempotent request,
                    // sending it again cannot do harm twice.
                    let transient = error.is_connect() || error.is_timeout() || error.is_request();
                    match (transient && may_retry, spare) {
                        (true, Some(spare)) if self.wait(attempt, None, started).await => {
                            request = spare;
                            continue;
                        }
                        _ => return Err(error),
                    }
                }
            };
            let status = response.status();
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            record(|o| {
                o.status = Some(status);
                o.content_type = content_type;
            });
            tracing::debug!(
                operation,
                attempt,
                status = status.as_u16(),
                latency_ms,
                "attempt answered"
            );

            if status == StatusCode::UNAUTHORIZED && self.tokens.can_refresh() && !refreshed {
                let Some(spare) = spare else {
                    return Ok(response);
                };
                let (response, code) = buffer(response).await?;
                if code.as_deref() != Some("INVALID_ACCESS_TOKEN") {
                    return Ok(response);
                }
                let rejected = bearer(&spare).unwrap_or_default();
                match self.tokens.replace(&rejected).await {
                    Ok(Some(token)) => {
                        refreshed = true;
                        // The refused attempt never reached the operation: not counted.
                        attempt -= 1;
                        request = with_token(spare, &token);
                        continue;
                    }
                    Ok(None) => return Ok(response),
                    Err(error) => {
                        record(|o| o.token_error = Some(error.to_string()));
                        return Ok(response);
                    }
                }
            }

            if retry::is_retryable_status(status) && may_retry {
                let retry_after = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(retry::parse_retry_after);
                let (response, code) = buffer(response).await?;
                // A concurrent-stream limit does not pass with time.
                if code.as_deref() == Some("MAX_CONCURRENCY_REACHED") {
                    return Ok(response);
                }
                match spare {
                    Some(spare) if self.wait(attempt, retry_after, started).await => {
                        request = spare;
                        continue;
                    }
                    _ => return Ok(response),
                }
            }
            return Ok(response);
        }
    }

    /// Sleeps before the next attempt; `false` when that would exceed the time budget.
    async fn wait(
        &self,
        attempt: u32,
        retry_after: Option<std::time::Duration>,
        started: Instant,
    ) -> bool {
        let delay = self.policy.delay(attempt, retry_after);
        if started.elapsed() + delay > self.policy.elapsed_budget() {
            return false;
        }
        tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
        tokio::time::sleep(delay).await;
        true
    }
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
