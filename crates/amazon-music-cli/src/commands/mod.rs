//! One module per command family, each with its own arguments (clap derive) and what it
//! runs. The program's `main` parses the command line (`crate::cli`) and dispatches to them;
//! no command imports either.
//!
//! Commands that call the API get a [`amazon_music::Client`] built from the resolved
//! credentials (`crate::credentials`) and run on a single-threaded tokio runtime; the mock
//! starts its own multi-threaded one; `validate live` starts a single-threaded one of its own
//! once its spec and recordings are ready; `validate recorded` and `docs-check` need none.
//!
//! Sign-in (`login`, `logout`, `status`) is `auth.rs`; the sign-in it stores is the third
//! source of the token in `crate::credentials`.

pub mod album;
pub mod artist;
pub mod auth;
pub mod completions;
pub mod docs_check;
pub mod library;
pub mod me;
pub mod mock;
pub mod playback;
pub mod playlist;
pub mod search;
pub mod track;
pub mod tracks;
pub mod validate;
