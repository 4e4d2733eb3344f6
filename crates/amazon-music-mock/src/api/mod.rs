//! The API's handlers, one module per domain of the reference pages. The router
//! (`crate::server`) maps each operationId of the spec to one of them; each answers from the
//! state (`crate::state`) with what the pipeline checked (`request`).

pub(crate) mod albums;
pub(crate) mod artists;
pub(crate) mod browse;
pub(crate) mod library;
pub(crate) mod playback;
pub(crate) mod player;
pub(crate) mod playlists;
pub(crate) mod podcasts;
pub(crate) mod request;
pub(crate) mod search;
pub(crate) mod stations;
pub(crate) mod tracks;
pub(crate) mod user;
pub(crate) mod views;
