//! One error type for every call, with variants a caller can match on.

use std::fmt;

use reqwest::StatusCode;

/// The result of every call of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call of this crate can fail with.
///
/// `Display` says what happened and what to do about it; match on the variant (and, for
/// [`Error::Api`], on [`ApiError::code`]) to handle a case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with its error object.
    #[error("{0}")]
    Api(ApiError),
    /// The API answered with a status it documents no body for, or with a body that is not its
    /// error object (an HTML error page from a proxy, say).
    #[error(
        "{operation}: the API answered {status} with an unexpected body ({content_type}): {excerpt}"
    )]
    UnexpectedResponse {
        /// The operation, as the spec names it.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The `content-type` header, or `none`.
        content_type: String,
        /// The start of the body.
        excerpt: String,
    },
    /// A successful response did not match the spec.
    #[error(
        "{operation}: the response does not match the spec at {path}: {message}; body starts {excerpt:?}"
    )]
    Decode {
        /// The operation, as the spec names it.
        operation: &'static str,
        /// Where decoding failed, as a path into the JSON body (`data.album.trackCount`).
        path: String,
        /// What the decoder said.
        message: String,
        /// The start of the body (at most 512 bytes).
        excerpt: String,
    },
    /// The request did not complete: no connection, a reset, a truncated body.
    #[error("{operation}: the request failed: {source}")]
    Transport {
        /// The operation, as the spec names it.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The response body was longer than the limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes), 16 MiB
    /// by default); reading stopped there, and nothing of the body is kept. A
    /// `Content-Length` above the limit is refused before the body is read.
    #[error("{operation}: the response body exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operation, as the spec names it.
        operation: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
    /// No response came within the configured timeout.
    #[error("{operation}: no response within the timeout; raise it with ClientBuilder::timeout")]
    Timeout {
        /// The operation, as the spec names it.
        operation: &'static str,
    },
    /// The call was refused before anything was sent.
    #[error("invalid {what}: {message}")]
    Validation {
        /// What was invalid (`album id`, `limit`, ...).
        what: &'static str,
        /// Why.
        message: String,
    },
    /// The token provider could not supply a token.
    #[error("could not obtain an access token: {0}")]
    Token(String),
    /// The sign-in is gone (never made, revoked or expired): the person must sign in again.
    #[error("sign in again: {0}")]
    SignInRequired(String),
    /// The server sent a page cursor it had already sent, which would loop forever.
    #[error(
        "{operation}: the server repeated the page cursor {cursor:?}; stopping instead of looping"
    )]
    RepeatedCursor {
        /// The operation, as the spec names it.
        operation: &'static str,
        /// The repeated cursor.
        cursor: String,
    },
    /// A playback event cannot be reported: the session's current entity came without the
    /// `metricId` every report must quote, and nothing was sent. Reloading the same entity from
    /// a server that left it out gives it no `metricId` either; play on without reporting this
    /// entity.
    #[error(
        "reportPlaybackEvent: the current entity (entityReferenceId {entity_reference_id}) came without the metricId a playback report must quote, so nothing was sent; play on without reporting this entity"
    )]
    MissingMetricId {
        /// The entity that came without one.
        entity_reference_id: String,
    },
    /// The base URL is plain `http` on a host other than loopback: the API key and the token
    /// would cross the network unencrypted, so the client was not built. Use `https`, or, for a
    /// test host you control, insist with
    /// [`ClientBuilder::allow_insecure_http`](crate::ClientBuilder::allow_insecure_http).
    #[error(
        "client configuration: base URL {base_url} is plain http on a non-loopback host: credentials would travel unencrypted (allow_insecure_http(true) to insist)"
    )]
    InsecureBaseUrl {
        /// The base URL, without the user name and password it may have carried.
        base_url: String,
    },
    /// The client is misconfigured (a missing API key, a base URL that is not http(s), ...).
    #[error("client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The API error code, when the API answered with its error object.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub(crate) fn validation(what: &'static str, message: impl Into<String>) -> Self {
        Error::Validation {
            what,
            message: message.into(),
        }
    }
}

/// The API's error object, with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation, as the spec names it.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The machine-readable code.
    pub code: ErrorCode,
    /// The (localized) message.
    pub message: String,
    /// An id to quote when asking Amazon about the error.
    pub reference: Option<String>,
    /// A URL the client may show (for example as a QR code).
    pub url: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}: {}",
            self.operation, self.status, self.code, self.message
        )?;
        if let Some(hint) = self.code.hint() {
            write!(f, " ({hint})")?;
        }
        if let Some(reference) = &self.reference {
            write!(f, " [reference {reference}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

macro_rules! error_codes {
    ($($variant:ident => $code:literal, $hint:expr;)*) => {
        /// The API's error codes (the spec's error responses and the corrections ledger), with a fallback for
        /// codes this version does not know.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
            /// A code this version of the crate does not know.
            Unknown(String),
        }

        impl ErrorCode {
            /// The code as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown(code) => code,
                }
            }

            /// What a person can do about it, when there is something to say.
            pub fn hint(&self) -> Option<&'static str> {
                match self {
                    $(ErrorCode::$variant => $hint,)*
                    ErrorCode::Unknown(_) => None,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $($code => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    BadRequest => "BAD_REQUEST", Some("the request is malformed; check the parameters");
    InvalidAuthType => "INVALID_AUTH_TYPE", Some("send a bearer token");
    InvalidAuthToken => "INVALID_AUTH_TOKEN", Some("the bearer token is empty");
    InvalidAccessToken => "INVALID_ACCESS_TOKEN", Some("the token expired or is invalid; configure a TokenProvider to refresh it");
    AccessDenied => "ACCESS_DENIED", Some("check the API key and the token's scopes");
    NoMusicAccount => "AUTH_NO_MUSIC_ACCOUNT_FOUND", Some("the user has no Amazon Music account");
    ResourceNotFound => "RESOURCE_NOT_FOUND", None;
    NoMoreNextEntity => "NO_MORE_NEXT_ENTITY", Some("the queue has nothing after the current entity");
    NoMorePreviousEntity => "NO_MORE_PREVIOUS_ENTITY", Some("the queue has nothing before the current entity");
    Throttled => "THROTTLED", Some("too many requests; retried automatically within the retry budget");
    MaxConcurrencyReached => "MAX_CONCURRENCY_REACHED", Some("another stream of this user is playing; report again with TakeOver::Force to take it over");
    Dependency => "DEPENDENCY", None;
    InternalServerError => "INTERNAL_SERVER_ERROR", None;
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// At most this many bytes of a body are kept in an error.
pub(crate) const EXCERPT_BYTES: usize = 512;

/// The start of a body, cut on a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    let mut text = text.into_owned();
    if body.len() > EXCERPT_BYTES {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An excerpt keeps a body of the limit whole and marks only a longer one as cut.
    #[test]
    fn an_excerpt_is_marked_only_when_the_body_was_cut() {
        let whole = vec![b'a'; EXCERPT_BYTES];
        assert_eq!(excerpt(&whole), "a".repeat(EXCERPT_BYTES));
        let longer = vec![b'a'; EXCERPT_BYTES + 1];
        assert_eq!(excerpt(&longer), format!("{}…", "a".repeat(EXCERPT_BYTES)));
    }

    #[test]
    fn known_and_unknown_codes_round_trip() {
        assert_eq!(ErrorCode::from("THROTTLED"), ErrorCode::Throttled);
        assert_eq!(ErrorCode::from("NEW_CODE").as_str(), "NEW_CODE");
        assert_eq!(
            ErrorCode::from("NEW_CODE"),
            ErrorCode::Unknown("NEW_CODE".into())
        );
    }

    #[test]
    fn display_says_what_to_do() {
        let error = Error::Api(ApiError {
            operation: "getAlbum",
            status: StatusCode::UNAUTHORIZED,
            code: ErrorCode::InvalidAccessToken,
            message: "expired".into(),
            reference: Some("ref-1".into()),
            url: None,
        });
        assert_eq!(
            error.to_string(),
            "getAlbum: 401 Unauthorized INVALID_ACCESS_TOKEN: expired (the token expired or is invalid; configure a TokenProvider to refresh it) [reference ref-1]"
        );
    }

    #[test]
    fn excerpts_are_bounded_and_utf8_safe() {
        let body = "é".repeat(400);
        let cut = excerpt(body.as_bytes());
        assert!(cut.len() <= EXCERPT_BYTES + 4);
        assert!(cut.ends_with('…'));
    }
}
