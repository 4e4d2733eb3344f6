//! Signing in with Login with Amazon (LWA): the device flow, the browser flow and refresh.
//!
//! The standard parts (the authorization URL with PKCE, the code exchange, refresh, the error
//! object) go through the `oauth2` crate. LWA's device flow is not standard (its code-pair
//! request and its `grant_type=device_code` poll with the `user_code` predate RFC 8628's final
//! form), so that part is written here, by hand, and parsed into the same token types.
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
mod http;
mod oauth;
#[cfg(test)]
mod test_server;

pub use super::token_set::TokenSet;
pub use client::Lwa;
pub use config::{LwaConfig, PRODUCTION_API_URL, PRODUCTION_CONSENT_URL};
pub use device::DeviceAuthorization;
pub use error::{LwaError, LwaErrorCode};
