//! Access tokens: a fixed one, or one a [`TokenProvider`] refreshes; signing in with Login
//! with Amazon; and the scopes each operation needs.
//!
//! Login with Amazon tokens last about an hour. With a provider, the client refreshes a token
//! shortly before it expires and once more when the API answers `401 INVALID_ACCESS_TOKEN`;
//! however many requests wait at that moment, one refresh is in flight.
//!
//! With the `lwa` feature (on by default), [`lwa`] signs a person in with the device flow,
//! [`store`] keeps the tokens between runs, and [`LwaTokenProvider`] refreshes them for the
//! client. The `browser-sign-in` feature adds the browser flow with PKCE, for desktop apps.

mod access;
#[cfg(feature = "browser-sign-in")]
mod browser;
#[cfg(feature = "lwa")]
mod hosts;
#[cfg(feature = "lwa")]
pub mod lwa;
#[cfg(feature = "lwa")]
mod provider;
mod scope;
#[cfg(feature = "lwa")]
pub mod store;
#[cfg(feature = "lwa")]
mod token_set;

pub(crate) use access::TokenSource;
pub use access::{AccessToken, REFRESH_MARGIN, TokenError, TokenFuture, TokenProvider};
#[cfg(feature = "lwa")]
pub use hosts::{HostMismatch, SignInHosts};
#[cfg(feature = "lwa")]
pub use provider::LwaTokenProvider;
pub use scope::{Scope, scopes_for};
