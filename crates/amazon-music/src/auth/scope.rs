//! Login with Amazon scopes: what a token lets an application do, and which ones each
//! operation needs (generated from the spec's security requirements).

use std::fmt;
use std::str::FromStr;

use amazon_music_api::scopes::{OPERATION_SCOPES, SCOPES};

use crate::Error;

/// A Login with Amazon scope of the Music API.
///
/// The ones the spec declares are variants; a scope Login with Amazon grants that this
/// version does not know (`profile`, say) is kept as [`Scope::Other`], so reading a stored
/// grant never fails on it.
///
/// ```
/// use amazon_music::auth::Scope;
///
/// let scope: Scope = "music::library::read".parse()?;
/// assert_eq!(scope, Scope::LibraryRead);
/// assert_eq!(scope.to_string(), "music::library::read");
/// # Ok::<(), amazon_music::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scope {
    /// `music::catalog`: read the catalog.
    Catalog,
    /// `music::history`: read what the user played recently.
    History,
    /// `music::library`: read and change the user's library (includes [`Scope::LibraryRead`]).
    Library,
    /// `music::library::read`: read the user's library.
    LibraryRead,
    /// `music::playback`: start and drive playback sessions.
    Playback,
    /// `music::profile`: read and change the user's profile.
    Profile,
    /// A scope this version does not know, as Login with Amazon spells it.
    Other(String),
}

impl Scope {
    /// The scopes the spec declares, in the spec's order.
    pub fn all() -> Vec<Scope> {
        SCOPES
            .iter()
            .map(|(name, _)| Scope::from_known(name))
            .collect()
    }

    /// The scope as Login with Amazon spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Scope::Catalog => "music::catalog",
            Scope::History => "music::history",
            Scope::Library => "music::library",
            Scope::LibraryRead => "music::library::read",
            Scope::Playback => "music::playback",
            Scope::Profile => "music::profile",
            Scope::Other(name) => name,
        }
    }

    /// What the scope grants, as the spec describes it (`None` for [`Scope::Other`]).
    pub fn description(&self) -> Option<&'static str> {
        SCOPES
            .iter()
            .find(|(name, _)| *name == self.as_str())
            .map(|(_, description)| *description)
    }

    fn from_known(name: &str) -> Scope {
        match name {
            "music::catalog" => Scope::Catalog,
            "music::history" => Scope::History,
            "music::library" => Scope::Library,
            "music::library::read" => Scope::LibraryRead,
            "music::playback" => Scope::Playback,
            "music::profile" => Scope::Profile,
            other => Scope::Other(other.to_owned()),
        }
    }

    /// The scopes as one space-separated string, as Login with Amazon takes them.
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Parses a space-separated list, as Login with Amazon sends and takes them.
    pub fn split(list: &str) -> Result<Vec<Scope>, Error> {
        list.split_ascii_whitespace().map(str::parse).collect()
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;

    /// Any non-empty scope without white space parses; those the spec declares become their
    /// variant.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::validation(
                "scope",
                format!("{name:?} is not a scope (empty, or contains white space)"),
            ));
        }
        Ok(Scope::from_known(name))
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// The scopes an application needs to call `operations` (operationIds as the spec names them,
/// such as `getAlbum`), sorted and without repeats: ask Login with Amazon for exactly these.
///
/// ```
/// use amazon_music::auth::{Scope, scopes_for};
///
/// let scopes = scopes_for(&["getAlbum", "getAlbums", "createPlaybackSession"])?;
/// assert_eq!(scopes, [Scope::Catalog, Scope::Playback]);
/// # Ok::<(), amazon_music::Error>(())
/// ```
///
/// An operationId the spec does not have is an error naming it, not silently no scope.
pub fn scopes_for(operations: &[&str]) -> Result<Vec<Scope>, Error> {
    let mut scopes = Vec::new();
    for operation in operations {
        let (_, needed) = OPERATION_SCOPES
            .iter()
            .find(|(id, _)| id == operation)
            .ok_or_else(|| {
                Error::validation(
                    "operation",
                    format!("the spec has no operation {operation:?}"),
                )
            })?;
        scopes.extend(needed.iter().map(|name| Scope::from_known(name)));
    }
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_scope_is_a_variant_and_round_trips() {
        let all = Scope::all();
        assert_eq!(all.len(), 6);
        for scope in all {
            assert!(!matches!(scope, Scope::Other(_)), "{scope} has no variant");
            assert_eq!(scope.as_str().parse::<Scope>().unwrap(), scope);
            // Display is what goes into a `scope=` parameter and the command line's output.
            assert_eq!(scope.to_string(), scope.as_str());
            assert!(scope.to_string().starts_with("music::"), "{scope:?}");
            let description = scope.description().unwrap();
            assert!(description.len() > 10, "{scope}: {description:?}");
        }
    }

    #[test]
    fn a_scope_the_spec_does_not_declare_has_no_description() {
        let other: Scope = "profile".parse().unwrap();
        assert_eq!(other, Scope::Other("profile".into()));
        assert_eq!(other.description(), None);
    }

    #[test]
    fn every_operation_needs_a_declared_scope() {
        // Albums and Web Playback (17), and the operations of the other V1 pages (15).
        assert_eq!(OPERATION_SCOPES.len(), 32);
        for (operation, _) in OPERATION_SCOPES {
            let scopes = scopes_for(&[operation]).unwrap();
            assert_eq!(scopes.len(), 1, "{operation}");
            assert!(!matches!(scopes[0], Scope::Other(_)), "{operation}");
        }
    }

    #[test]
    fn library_writes_need_the_full_library_scope_and_reads_the_read_one() {
        assert_eq!(scopes_for(&["addLibraryAlbum"]).unwrap(), [Scope::Library]);
        assert_eq!(
            scopes_for(&["getLibraryAlbums"]).unwrap(),
            [Scope::LibraryRead]
        );
    }

    /// The operations of the pages beyond Albums and Web Playback get their scopes from the
    /// same generated table: a profile, the listening history, the catalog, the library.
    #[test]
    fn the_new_operations_need_the_scopes_the_spec_gives_them() {
        assert_eq!(scopes_for(&["getCurrentUser"]).unwrap(), [Scope::Profile]);
        assert_eq!(
            scopes_for(&["updateCurrentUser"]).unwrap(),
            [Scope::Profile]
        );
        assert_eq!(
            scopes_for(&["getRecentlyPlayedTracks"]).unwrap(),
            [Scope::History]
        );
        assert_eq!(
            scopes_for(&["getMyPlaylists", "getFollowedArtists"]).unwrap(),
            [Scope::Library]
        );
        assert_eq!(
            scopes_for(&[
                "searchTracks",
                "searchAll",
                "getTrack",
                "getArtists",
                "getTopTracks",
                "getHomeView",
                "getStation",
                "getPodcastShow",
            ])
            .unwrap(),
            [Scope::Catalog]
        );
        // What the tour calls, sorted and without repeats.
        assert_eq!(
            scopes_for(&[
                "searchTracks",
                "getRecentlyPlayedTracks",
                "getCurrentUser",
                "getTrack"
            ])
            .unwrap(),
            [Scope::Catalog, Scope::History, Scope::Profile]
        );
    }

    #[test]
    fn an_unknown_operation_is_named() {
        let error = scopes_for(&["getAlbum", "getAlbumz"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid operation: the spec has no operation \"getAlbumz\""
        );
    }

    #[test]
    fn lists_split_and_join_and_bad_scopes_are_refused() {
        let scopes = Scope::split(" music::catalog  profile ").unwrap();
        assert_eq!(scopes, [Scope::Catalog, Scope::Other("profile".into())]);
        assert_eq!(Scope::join(&scopes), "music::catalog profile");
        assert!("".parse::<Scope>().is_err());
        assert!("a\u{0}b".parse::<Scope>().is_err());
        let json: Vec<Scope> = serde_json::from_str(r#"["music::playback"]"#).unwrap();
        assert_eq!(json, [Scope::Playback]);
        assert!(serde_json::from_str::<Scope>(r#""""#).is_err());
    }
}
