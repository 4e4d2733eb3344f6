//! Requests to Login with Amazon and the reading of its answers: bounded in size, decoded
//! without quoting values, errors without URLs.

use serde::Deserialize;
use url::Url;

use super::client::Lwa;
use super::error::LwaError;

/// LWA's answers are a few hundred bytes (tokens at most 2 KiB each); more is not LWA.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    error_description: Option<String>,
}

impl Lwa {
    /// Posts a form and returns the body of a 2xx answer; an LWA error object becomes its
    /// typed error.
    pub(super) async fn post_form(
        &self,
        url: Url,
        form: &[(&str, &str)],
    ) -> Result<Vec<u8>, LwaError> {
        // Encoded before the request: the encoder is not `Sync`, and a future that held it
        // across the send could not be `Send`.
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let response = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|e| LwaError::Transport(without_url(&e)))?;
        let status = response.status();
        let body = read_bounded(response).await.map_err(|e| match e {
            ReadError::Transport(_) => LwaError::Transport(e.message()),
            ReadError::TooLarge => LwaError::Response(e.message()),
        })?;
        if status.is_success() {
            return Ok(body);
        }
        match serde_json::from_slice::<ErrorAnswer>(&body) {
            Ok(answer) => Err(LwaError::from_answer(
                &answer.error,
                answer.error_description.as_deref(),
            )),
            Err(_) => Err(LwaError::Response(format!(
                "HTTP {status} without LWA's error object"
            ))),
        }
    }
}

/// Why an answer could not be read whole.
pub(super) enum ReadError {
    Transport(reqwest::Error),
    /// Longer than [`MAX_ANSWER_BYTES`]: not an answer of LWA's, and not read further.
    TooLarge,
}

impl ReadError {
    pub(super) fn message(&self) -> String {
        match self {
            Self::Transport(e) => without_url(e),
            Self::TooLarge => format!(
                "an answer over {MAX_ANSWER_BYTES} bytes, the limit for Login with Amazon's \
                 answers; not read further"
            ),
        }
    }
}

pub(super) async fn read_bounded(mut response: reqwest::Response) -> Result<Vec<u8>, ReadError> {
    if response
        .content_length()
        .is_some_and(|length| length > MAX_ANSWER_BYTES as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A reqwest error without its URL: the URLs here carry no secret, but the message stays
/// short and the same whatever the endpoint.
pub(super) fn without_url(error: &reqwest::Error) -> String {
    let mut message = if error.is_timeout() {
        "no answer within the timeout".to_owned()
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Decodes an LWA answer. The error names the JSON path only, never a value: values here are
/// tokens and codes.
pub(super) fn decode<T: serde::de::DeserializeOwned>(
    body: &[u8],
    what: &str,
) -> Result<T, LwaError> {
    serde_json::from_slice(body).map_err(|e| {
        let path = crate::json_path::of_error(body, &e);
        let category = match e.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "a field is missing or of the wrong type",
            serde_json::error::Category::Eof => "cut short",
        };
        LwaError::Response(format!("{what} is {category} (at {path})"))
    })
}

#[cfg(test)]
mod tests {
    use crate::auth::lwa::test_server::{serve, serve_in_chunks};

    use super::*;

    /// The length read, or the error's message.
    async fn read_chunks(sizes: Vec<usize>) -> Result<usize, String> {
        let url = serve_in_chunks(sizes);
        let response = reqwest::Client::new().get(url).send().await.unwrap();
        read_bounded(response)
            .await
            .map(|body| body.len())
            .map_err(|e| e.message())
    }

    /// An answer is read up to the limit exactly, however it is split; one byte more is an
    /// error naming the limit, never a cut answer reported as one that does not parse.
    #[tokio::test]
    async fn answers_are_read_up_to_the_limit_in_any_number_of_chunks() {
        assert_eq!(read_chunks(vec![300, 300, 300]).await, Ok(900));
        assert_eq!(read_chunks(vec![1024; 64]).await, Ok(MAX_ANSWER_BYTES));
        let mut over = vec![1024; 64];
        over.push(1);
        for sizes in [over, vec![MAX_ANSWER_BYTES + 1]] {
            let error = read_chunks(sizes).await.unwrap_err();
            assert!(
                error.contains(&format!("over {MAX_ANSWER_BYTES} bytes")),
                "{error}"
            );
        }
    }

    /// A declared length over the limit is refused before any of the body is read (this one
    /// never comes: read, it would end in a transport error instead).
    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_unread() {
        let url = serve(1, |out| {
            use std::io::Write;
            write!(
                out,
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                MAX_ANSWER_BYTES + 1
            )
        });
        let response = reqwest::Client::new().get(url).send().await.unwrap();
        let error = read_bounded(response).await.err().unwrap().message();
        assert!(
            error.contains(&format!("over {MAX_ANSWER_BYTES} bytes")),
            "{error}"
        );
    }
}
