//! Ids checked before anything is sent: what cannot be an id is refused with the name the
//! caller knows it by (`album id`, `track id`, ...), never sent for the API to puzzle over.

use crate::types::CatalogId;
use crate::{Error, Result};

/// Parses a catalog id (an ASIN), refusing what cannot be one before anything is sent.
pub(crate) fn catalog_id(what: &'static str, id: &str) -> Result<CatalogId> {
    parse(what, id)
}

/// Parses `text` into an id type of the generated crate, after [`path_segment`]'s check.
pub(crate) fn parse<T: std::str::FromStr>(what: &'static str, text: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    path_segment(what, text)?;
    text.parse()
        .map_err(|e| Error::validation(what, format!("{text:?}: {e}")))
}

/// Refuses what the generated crate refuses as a path parameter (the empty string, `.` and
/// `..`, which no encoding changes and which move the request to another path: `/albums/..`
/// goes out as `/`, `/albums/` is not `/albums/{id}`), here naming the parameter as the caller
/// knows it. Everything else is percent-encoded into one segment by the generated crate.
pub(crate) fn path_segment(what: &'static str, value: &str) -> Result<()> {
    let problem = match value {
        "" => "it is empty",
        "." | ".." => "it is a dot segment",
        _ => return Ok(()),
    };
    Err(Error::validation(
        what,
        format!("{value:?}: {problem}, which would change the request's path"),
    ))
}
