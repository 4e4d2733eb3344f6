//! Signing in with Login with Amazon (LWA): the device flow, the browser flow and refresh.
//!
//! Every grant is a form posted to LWA's token endpoint and read by one path (`grants.rs`):
//! LWA's device flow is not standard (its code-pair request and its `grant_type=device_code`
//! poll with the `user_code` predate RFC 8628's final form), and refresh and the browser flow's
//! code exchange are the same post with other fields. The browser flow itself (PKCE, `state`,
//! the loopback listener) is the `browser-sign-in` feature.
//!
//! ```no_run
//! use amazon_music::auth::lwa::{Lwa, LwaConfig};
//! use amazon_music::auth::scopes_for;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let lwa = Lwa::new(LwaConfig::from_env()?)?;
//! let scopes = scopes_for(&["getAlbum", "getLibraryAlbums"])?;
//! let pending = lwa.start_device_flow(&scopes).await?;
//! println!("Open {} and enter {}", pending.verification_uri(), pending.user_code());
//! let tokens = lwa.poll_device_flow(&pending, std::future::pending()).await?;
//! println!("signed in until {:?}", tokens.expires_at());
//! # Ok(())
//! # }
//! ```

mod client;
mod config;
mod device;
mod error;
mod grants;
mod http;
#[cfg(test)]
mod test_server;

#[cfg(feature = "browser-sign-in")]
pub use super::browser::BrowserSignIn;
pub use super::token_set::TokenSet;
pub use client::Lwa;
pub use config::{LwaConfig, PRODUCTION_API_URL, PRODUCTION_CONSENT_URL};
pub use device::DeviceAuthorization;
pub use error::{LwaError, LwaErrorCode};
