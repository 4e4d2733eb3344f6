//! What can go wrong while signing in or refreshing, and LWA's error codes.

use std::fmt;
use std::time::Duration;

use crate::auth::hosts::HostMismatch;
use crate::auth::store::StoreError;

/// Everything that can go wrong while signing in or refreshing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LwaError {
    /// The sign-in is misconfigured (no client id, an insecure URL, ...).
    #[error("Login with Amazon configuration: {0}")]
    Config(String),
    /// The refresh token (or authorization code) was refused: revoked, expired or already
    /// used. Only a new sign-in helps.
    #[error("Login with Amazon refused the grant ({description}): sign in again")]
    SignInAgain {
        /// What LWA said.
        description: String,
    },
    /// The device code expired before the person entered the user code.
    #[error("the code expired before it was entered: start the sign-in again")]
    DeviceCodeExpired,
    /// The person declined the sign-in.
    #[error("the sign-in was declined ({description})")]
    Denied {
        /// What LWA said.
        description: String,
    },
    /// The caller cancelled the sign-in.
    #[error("the sign-in was cancelled")]
    Cancelled,
    /// The browser came back with a `state` this sign-in did not send: the answer may come
    /// from another site, so it is refused.
    ///
    /// The browser flow no longer ends with this error: a request with another `state` is
    /// ignored (anyone on the machine could send one), and the flow keeps waiting for its own
    /// until [`LwaError::BrowserTimeout`].
    #[error(
        "the browser's answer carried a state this sign-in did not send; refused (it may come from another site)"
    )]
    StateMismatch,
    /// The browser did not come back with this sign-in's redirect in time.
    #[error(
        "the browser did not come back within {} s ({ignored} other requests to the sign-in listener were ignored): start the sign-in again",
        .waited.as_secs()
    )]
    BrowserTimeout {
        /// How long the listener waited.
        waited: Duration,
        /// How many requests it answered and ignored meanwhile (another `state` or none,
        /// another path, not HTTP): more than zero may mean a redirect URI registered for
        /// another port or path, or an old tab.
        ignored: usize,
    },
    /// LWA answered with an error this crate has no variant for.
    #[error("Login with Amazon answered {code}: {description}")]
    Lwa {
        /// The error code, as LWA spells it.
        code: LwaErrorCode,
        /// What LWA said (may be empty).
        description: String,
    },
    /// LWA could not be reached, or the connection broke.
    #[error("Login with Amazon could not be reached: {0}")]
    Transport(String),
    /// LWA answered something it does not document.
    #[error("Login with Amazon answered something unexpected: {0}")]
    Response(String),
    /// The operating system gave no random bytes for the browser flow's PKCE verifier or
    /// `state`: nothing was sent.
    #[error("no random bytes from the operating system: {0}")]
    Random(String),
    /// The loopback listener of the browser flow failed.
    #[error("the sign-in redirect listener: {0}")]
    Listener(String),
    /// The token store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The sign-in was made with another Login with Amazon service, or for another API, than
    /// this client's: nothing was sent.
    #[error(transparent)]
    WrongHosts(#[from] HostMismatch),
}

macro_rules! lwa_codes {
    ($($variant:ident => $code:literal;)*) => {
        /// The error codes of LWA's token endpoint, with a fallback that keeps an unknown one.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum LwaErrorCode {
            $(
                #[doc = concat!("`", $code, "`")]
                $variant,
            )*
            /// A code this version does not know, as LWA spelled it.
            Other(String),
        }

        impl LwaErrorCode {
            /// The code as LWA spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(LwaErrorCode::$variant => $code,)*
                    LwaErrorCode::Other(code) => code,
                }
            }
        }

        impl From<&str> for LwaErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $($code => LwaErrorCode::$variant,)*
                    other => LwaErrorCode::Other(other.to_owned()),
                }
            }
        }
    };
}

lwa_codes! {
    InvalidRequest => "invalid_request";
    InvalidClient => "invalid_client";
    InvalidGrant => "invalid_grant";
    UnauthorizedClient => "unauthorized_client";
    UnsupportedGrantType => "unsupported_grant_type";
    InvalidScope => "invalid_scope";
    ServerError => "server_error";
    TemporarilyUnavailable => "temporarily_unavailable";
    AuthorizationPending => "authorization_pending";
    SlowDown => "slow_down";
    ExpiredToken => "expired_token";
    AccessDenied => "access_denied";
}

impl fmt::Display for LwaErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl LwaError {
    /// The error for LWA's `{"error", "error_description"}`, typed where a caller acts on it.
    pub(crate) fn from_answer(code: &str, description: Option<&str>) -> Self {
        let description = description.unwrap_or_default().to_owned();
        match LwaErrorCode::from(code) {
            LwaErrorCode::InvalidGrant => LwaError::SignInAgain { description },
            LwaErrorCode::ExpiredToken => LwaError::DeviceCodeExpired,
            LwaErrorCode::AccessDenied => LwaError::Denied { description },
            code => LwaError::Lwa { code, description },
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn answers_map_to_the_errors_callers_act_on() {
        assert!(matches!(
            LwaError::from_answer("invalid_grant", Some("revoked")),
            LwaError::SignInAgain { description } if description == "revoked"
        ));
        assert!(matches!(
            LwaError::from_answer("expired_token", None),
            LwaError::DeviceCodeExpired
        ));
        assert!(matches!(
            LwaError::from_answer("access_denied", None),
            LwaError::Denied { .. }
        ));
        let other = LwaError::from_answer("brand_new", Some("x"));
        assert!(
            matches!(&other, LwaError::Lwa { code: LwaErrorCode::Other(c), .. } if c == "brand_new")
        );
        assert_eq!(other.to_string(), "Login with Amazon answered brand_new: x");
        assert_eq!(LwaErrorCode::from("slow_down"), LwaErrorCode::SlowDown);
    }
}
