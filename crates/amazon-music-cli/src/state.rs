//! The one thing the command line remembers between runs: the playback sessions it started or
//! drove, per base URL, so `amazon-music session next` needs no id and `--session ID` can take
//! up a session that is no longer among the active ones.
//!
//! They live in `sessions.json` in the platform's data directory (`dirs::data_local_dir()`
//! plus `amazon-music`: `~/.local/share/amazon-music` on Linux) or in
//! `$AMAZON_MUSIC_STATE_DIR` when that is set: ids only, never a credential, the most recent
//! first, at most [`KEPT`]. The file is replaced atomically (written beside it, then renamed
//! over it), so a crash leaves the old file or the new one, never half of one. On Unix it is
//! the owner's only (`0600`), and so is a directory the program creates for it (`0700`): the
//! ids say what someone plays. `--session` always wins over the most recent one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::Failure;

/// The file's name inside the state directory.
const FILE: &str = "sessions.json";

/// How many sessions are remembered, across base URLs.
pub const KEPT: usize = 20;

/// A remembered session: enough to take it up again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownSession {
    /// The API the session lives on: a session of the mock means nothing to the real API.
    pub base_url: String,
    /// The session's id.
    pub session_id: String,
    /// An entity of the session (the current one when last seen), which the API needs to
    /// take a session up again.
    pub entity_reference_id: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Remembered {
    /// The most recent first.
    sessions: Vec<KnownSession>,
}

/// Where the remembered sessions are kept.
#[derive(Debug, Clone)]
pub struct Store {
    dir: Option<PathBuf>,
}

impl Store {
    /// The store of this user: `$AMAZON_MUSIC_STATE_DIR`, else the platform's data directory.
    pub fn open() -> Self {
        let dir = std::env::var_os("AMAZON_MUSIC_STATE_DIR")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::data_local_dir().map(|dir| dir.join("amazon-music")));
        Self { dir }
    }

    /// The file, when the platform has a data directory.
    pub fn path(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join(FILE))
    }

    /// The session last started or driven against `base_url`, if any.
    pub fn last(&self, base_url: &str) -> Result<Option<KnownSession>, Failure> {
        Ok(self
            .read()?
            .sessions
            .into_iter()
            .find(|known| known.base_url == base_url))
    }

    /// The remembered session `id` of `base_url`, if this program has seen it.
    pub fn find(&self, base_url: &str, id: &str) -> Result<Option<KnownSession>, Failure> {
        Ok(self
            .read()?
            .sessions
            .into_iter()
            .find(|known| known.base_url == base_url && known.session_id == id))
    }

    /// A file that cannot be read is an error naming it, not silently forgotten sessions.
    fn read(&self) -> Result<Remembered, Failure> {
        let Some(path) = self.path() else {
            return Ok(Remembered::default());
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Remembered::default());
            }
            Err(e) => return Err(unreadable(&path, &e.to_string())),
        };
        serde_json::from_str(&text).map_err(|e| unreadable(&path, &e.to_string()))
    }

    /// Remembers `session` as the most recent, replacing the file atomically.
    pub fn save(&self, session: &KnownSession) -> Result<PathBuf, String> {
        let (Some(dir), Some(path)) = (&self.dir, self.path()) else {
            return Err("this platform has no data directory; set AMAZON_MUSIC_STATE_DIR".into());
        };
        let mut remembered = self.read().map_err(|failure| failure.to_string())?;
        remembered.sessions.retain(|known| {
            known.base_url != session.base_url || known.session_id != session.session_id
        });
        remembered.sessions.insert(0, session.clone());
        remembered.sessions.truncate(KEPT);
        create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut text = serde_json::to_string_pretty(&remembered).map_err(|e| e.to_string())?;
        text.push('\n');
        let mut file = private_temp_file(dir)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        file.persist(&path)
            .map_err(|e| format!("cannot replace {}: {}", path.display(), e.error))?;
        Ok(path)
    }
}

/// Creates `dir` and its missing parents, owner-only on Unix; a directory that exists
/// already keeps its mode (it may be the user's own data directory).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A temporary file in `dir`, owner-only on Unix whatever the umask, so the file renamed over
/// the old one is too.
fn private_temp_file(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    builder.tempfile_in(dir)
}

fn unreadable(path: &Path, why: &str) -> Failure {
    Failure::usage(format!(
        "cannot read the remembered sessions {}: {why}",
        path.display()
    ))
    .hint("pass --session ID, or delete the file")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(base_url: &str, id: &str) -> KnownSession {
        KnownSession {
            base_url: base_url.into(),
            session_id: id.into(),
            entity_reference_id: format!("{id}-entity"),
        }
    }

    #[test]
    fn sessions_are_remembered_per_base_url_most_recent_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: Some(dir.path().join("nested")),
        };
        assert_eq!(store.last("http://a/v1").unwrap(), None);
        store.save(&known("http://a/v1", "s1")).unwrap();
        store.save(&known("http://b/v1", "other")).unwrap();
        store.save(&known("http://a/v1", "s2")).unwrap();
        assert_eq!(
            store.last("http://a/v1").unwrap(),
            Some(known("http://a/v1", "s2"))
        );
        assert_eq!(
            store.last("http://b/v1").unwrap(),
            Some(known("http://b/v1", "other"))
        );
        assert_eq!(
            store.find("http://a/v1", "s1").unwrap(),
            Some(known("http://a/v1", "s1"))
        );
        assert_eq!(store.find("http://b/v1", "s1").unwrap(), None);
        // Driving s1 again makes it the most recent, once.
        store.save(&known("http://a/v1", "s1")).unwrap();
        assert_eq!(
            store.last("http://a/v1").unwrap(),
            Some(known("http://a/v1", "s1"))
        );
        assert_eq!(store.read().unwrap().sessions.len(), 3);
        let files: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(files, [FILE], "no temporary file is left behind");
    }

    /// The file and a directory made for it are the owner's only, and a file left readable
    /// by others (by hand, or by an older version) is replaced by an owner-only one.
    #[cfg(unix)]
    #[test]
    fn the_file_and_a_directory_made_for_it_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("made");
        let store = Store {
            dir: Some(parent.join("amazon-music")),
        };
        store.save(&known("http://a/v1", "s1")).unwrap();
        assert_eq!(mode(&parent), 0o700, "a parent it made");
        assert_eq!(mode(&parent.join("amazon-music")), 0o700);
        let file = store.path().unwrap();
        assert_eq!(mode(&file), 0o600);

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        store.save(&known("http://a/v1", "s2")).unwrap();
        assert_eq!(mode(&file), 0o600, "replaced by an owner-only file");

        // A directory that was there already keeps its mode.
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = Store {
            dir: Some(shared.clone()),
        };
        store.save(&known("http://a/v1", "s1")).unwrap();
        assert_eq!(mode(&shared), 0o755);
        assert_eq!(mode(&store.path().unwrap()), 0o600);
    }

    #[test]
    fn only_the_most_recent_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: Some(dir.path().to_owned()),
        };
        for n in 0..KEPT + 5 {
            store.save(&known("http://a/v1", &format!("s{n}"))).unwrap();
        }
        let sessions = store.read().unwrap().sessions;
        assert_eq!(sessions.len(), KEPT);
        assert_eq!(sessions[0].session_id, format!("s{}", KEPT + 4));
    }

    #[test]
    fn a_damaged_file_is_named_not_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        let store = Store {
            dir: Some(dir.path().to_owned()),
        };
        let failure = store.last("http://a/v1").unwrap_err();
        assert!(failure.message.contains(FILE), "{}", failure.message);
        assert!(
            store.save(&known("http://a/v1", "s1")).is_err(),
            "not overwritten"
        );
    }
}
