//! Response bodies are read up to a limit, so that a server (or anything posing as one) cannot
//! make a client hold an answer of any size in memory; only the timeout limited them before.
//!
//! Every response the generated client receives passes through [`bounded_response`] (from the
//! `exec` hook, whether or not a [`Transport`](crate::Transport) sent it), so the generated
//! decoding, and whoever reads the body of an [`Error::UnexpectedResponse`](crate::Error), read
//! at most the limit. A `Content-Length` above the limit is refused before a byte of the body
//! is read; a body without one (or one that would run past it) is counted as it streams.

use std::error::Error as StdError;
use std::fmt;

/// The longest response body read unless configured otherwise: 16 MiB. The API's answers are
/// a few kilobytes; its largest (a page of a library, a batch of albums with their tracks) stay
/// far below a megabyte.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// A response body longer than the limit; reading it stopped there.
///
/// It reaches the caller as the source of the `reqwest::Error` that reading the body ended
/// with (inside [`Error::ResponseBodyError`](crate::Error::ResponseBodyError) from an
/// operation); [`ResponseTooLarge::find`] digs it out of any error. It names the limit, never
/// any of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTooLarge {
    limit: usize,
}

impl ResponseTooLarge {
    /// The limit the body exceeded, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The `ResponseTooLarge` in `error` or in its chain of sources, if any.
    ///
    /// ```
    /// # async fn demo(client: amazon_music_api::Client) {
    /// use amazon_music_api::ResponseTooLarge;
    /// if let Err(error) = client.get_active_playback_sessions().send().await {
    ///     if let Some(too_large) = ResponseTooLarge::find(&error) {
    ///         eprintln!("an answer above {} bytes was refused", too_large.limit());
    ///     }
    /// }
    /// # }
    /// ```
    pub fn find<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a ResponseTooLarge> {
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(found) = error.downcast_ref::<ResponseTooLarge>() {
                return Some(found);
            }
            current = error.source();
        }
        None
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body exceeds the limit of {} bytes",
            self.limit
        )
    }
}

impl StdError for ResponseTooLarge {}

/// Marks a response whose body is already bounded, so that a layer that bounds it again (the
/// `exec` hook after a transport that did) does not wrap it twice.
#[derive(Clone, Copy)]
struct Bounded(usize);

/// Gives `response` back with its body bounded to `max_bytes`: reading more (with `bytes`,
/// `text`, `json` or `chunk`) ends in an error whose source is [`ResponseTooLarge`].
///
/// A declared `Content-Length` above the limit is refused at once: the body is dropped unread
/// (which closes the connection) and the first read fails. A body whose length is known and
/// within the limit is given back untouched, at no cost: the HTTP layer never yields more than
/// the declared length. Any other body is counted as it streams, so a missing or lying
/// `Content-Length` cannot get past the limit. Status, headers and URL are kept.
///
/// The generated client applies it to every response with the limit of its
/// [`Credentials`](crate::Credentials); a [`Transport`](crate::Transport) that reads bodies
/// itself can apply it first.
pub fn bounded_response(response: reqwest::Response, max_bytes: usize) -> reqwest::Response {
    let declared = response.content_length();
    if declared.is_some_and(|length| length <= max_bytes as u64)
        || response
            .extensions()
            .get::<Bounded>()
            .is_some_and(|bounded| bounded.0 <= max_bytes)
    {
        return response;
    }
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let too_large = ResponseTooLarge { limit: max_bytes };
    let body = if declared.is_some() {
        // Announced above the limit: nothing of it is read.
        drop(body);
        reqwest::Body::wrap(Refused(Some(too_large)))
    } else {
        use http_body_util::BodyExt as _;
        reqwest::Body::wrap(
            http_body_util::Limited::new(body, max_bytes).map_err(move |error| {
                if error.is::<http_body_util::LengthLimitError>() {
                    Box::new(too_large)
                } else {
                    error
                }
            }),
        )
    };
    parts.extensions.insert(Bounded(max_bytes));
    keep_url(&mut parts.extensions, url);
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// `reqwest::Response::from` takes the URL from an extension that only `ResponseBuilderExt`
/// can make (without it, a placeholder stands in).
fn keep_url(extensions: &mut http::Extensions, url: reqwest::Url) {
    use reqwest::ResponseBuilderExt as _;
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        extensions.extend(carrier.into_parts().0.extensions);
    }
}

/// A body whose first read fails with the error it holds.
struct Refused(Option<ResponseTooLarge>);

impl http_body::Body for Refused {
    type Data = bytes::Bytes;
    type Error = ResponseTooLarge;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(self.0.take().map(Err))
    }
}
