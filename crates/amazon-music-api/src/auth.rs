//! The two credentials every request carries, kept out of `Debug` output and logs.

use std::sync::{Arc, RwLock};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::{DEFAULT_MAX_RESPONSE_BYTES, Transport};

const API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// The `x-api-key` (the security profile id) and the Login with Amazon bearer token.
///
/// Cheap to clone; clones share the token, so a refreshed token reaches every clone.
/// `Debug` never shows either value.
///
/// ```
/// let credentials = amazon_music_api::Credentials::new("profile-id", "token-1");
/// credentials.set_token("token-2");
/// assert!(!format!("{credentials:?}").contains("token-2"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    secrets: Arc<RwLock<Secrets>>,
    transport: Option<Arc<dyn Transport>>,
    max_response_bytes: usize,
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            secrets: Arc::default(),
            transport: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

#[derive(Default)]
struct Secrets {
    api_key: Option<HeaderValue>,
    authorization: Option<HeaderValue>,
}

/// A credential that cannot be sent in an HTTP header (it holds a control character or a
/// non-visible byte).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCredential(&'static str);

impl std::fmt::Display for InvalidCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} cannot be sent in an HTTP header", self.0)
    }
}

impl std::error::Error for InvalidCredential {}

impl Credentials {
    /// Credentials with an API key and a bearer token.
    ///
    /// A value that cannot travel in a header is dropped, and the API will answer 401 or 403;
    /// use [`Credentials::try_new`] to be told at once.
    pub fn new(api_key: impl AsRef<str>, token: impl AsRef<str>) -> Self {
        let credentials = Self::default();
        let _ = credentials.try_set_api_key(api_key.as_ref());
        let _ = credentials.try_set_token(token.as_ref());
        credentials
    }

    /// Like [`Credentials::new`], but refuses values that cannot travel in a header.
    pub fn try_new(api_key: &str, token: &str) -> Result<Self, InvalidCredential> {
        let credentials = Self::default();
        credentials.try_set_api_key(api_key)?;
        credentials.try_set_token(token)?;
        Ok(credentials)
    }

    /// Replaces the bearer token (after a refresh); every clone sees the new one.
    pub fn set_token(&self, token: impl AsRef<str>) {
        let _ = self.try_set_token(token.as_ref());
    }

    /// Replaces the bearer token, refusing a value that cannot travel in a header.
    pub fn try_set_token(&self, token: &str) -> Result<(), InvalidCredential> {
        let value =
            sensitive(&format!("Bearer {token}")).ok_or(InvalidCredential("bearer token"))?;
        self.write().authorization = Some(value);
        Ok(())
    }

    /// Replaces the API key, refusing a value that cannot travel in a header.
    pub fn try_set_api_key(&self, api_key: &str) -> Result<(), InvalidCredential> {
        let value = sensitive(api_key).ok_or(InvalidCredential("API key"))?;
        self.write().api_key = Some(value);
        Ok(())
    }

    /// Sends every request through `transport` instead of straight to the HTTP client.
    ///
    /// This is how a layer above adds retries, token refresh or tracing to the generated
    /// client; see [`Transport`].
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    pub(crate) fn transport(&self) -> Option<&dyn Transport> {
        self.transport.as_deref()
    }

    /// Reads response bodies up to `bytes` (default [`DEFAULT_MAX_RESPONSE_BYTES`], 16 MiB):
    /// a longer one ends the operation in [`Error::ResponseBodyError`](crate::Error) whose
    /// source is [`ResponseTooLarge`](crate::ResponseTooLarge), and a declared
    /// `Content-Length` above it is refused before the body is read.
    ///
    /// The credentials are the client's inner value, so this is where a setting of the
    /// generated client lives:
    ///
    /// ```
    /// use amazon_music_api::{Client, Credentials};
    /// let credentials = Credentials::new("profile-id", "token").with_max_response_bytes(1 << 20);
    /// let client = Client::new("https://api.music.amazon.dev/v1", credentials);
    /// # drop(client);
    /// ```
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The longest response body read, in bytes; see [`Credentials::with_max_response_bytes`].
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// Adds both headers to `headers`, replacing any already there.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        let secrets = self
            .secrets
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(value) = &secrets.api_key {
            headers.insert(API_KEY, value.clone());
        }
        if let Some(value) = &secrets.authorization {
            headers.insert(AUTHORIZATION, value.clone());
        }
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Secrets> {
        // A panic elsewhere while holding the lock leaves only whole header values behind.
        self.secrets
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Marked sensitive so that HTTP-level logging and `Debug` of the header map hide it.
fn sensitive(value: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(value).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secrets = self
            .secrets
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let shown = |set: bool| if set { "<redacted>" } else { "<unset>" };
        f.debug_struct("Credentials")
            .field("api_key", &shown(secrets.api_key.is_some()))
            .field("token", &shown(secrets.authorization.is_some()))
            .field("transport", &self.transport.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_both_secrets_and_clones_share_the_token() {
        let credentials = Credentials::new("key-123", "tok-456");
        let clone = credentials.clone();
        credentials.set_token("tok-789");
        let mut headers = HeaderMap::new();
        clone.apply(&mut headers);
        assert_eq!(headers["authorization"], "Bearer tok-789");
        assert_eq!(headers["x-api-key"], "key-123");
        assert!(headers["authorization"].is_sensitive());
        let debug = format!("{credentials:?} {headers:?}");
        for secret in ["key-123", "tok-456", "tok-789"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        // Hidden, not missing: the output still says what is set, and the bound on reads.
        let set = format!("{credentials:?}");
        for useful in [
            r#"api_key: "<redacted>""#,
            r#"token: "<redacted>""#,
            "max_response_bytes: 16777216",
        ] {
            assert!(set.contains(useful), "{useful} missing from {set}");
        }
        let unset = format!("{:?}", Credentials::default().with_max_response_bytes(1024));
        for useful in [
            r#"api_key: "<unset>""#,
            r#"token: "<unset>""#,
            "max_response_bytes: 1024",
        ] {
            assert!(unset.contains(useful), "{useful} missing from {unset}");
        }
    }

    #[test]
    fn a_value_that_cannot_be_a_header_is_refused() {
        assert_eq!(
            Credentials::try_new("key", "line\nbreak")
                .unwrap_err()
                .to_string(),
            "the bearer token cannot be sent in an HTTP header"
        );
    }
}
