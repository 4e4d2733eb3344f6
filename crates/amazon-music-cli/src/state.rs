//! The one thing the command line remembers between runs: the playback session last started
//! or driven, per base URL, so `amazon-music session next` needs no id.
//!
//! It lives in `last-session.json` in the platform's data directory (`dirs::data_local_dir()`
//! plus `amazon-music`: `~/.local/share/amazon-music` on Linux) or in
//! `$AMAZON_MUSIC_STATE_DIR` when that is set. It holds ids only, never a credential, and is
//! replaced atomically (written beside it, then renamed over it), so a crash leaves the old
//! file or the new one, never half of one. `--session` always wins over it.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::exit::Failure;

/// The file's name inside the state directory.
const FILE: &str = "last-session.json";

/// A remembered session: enough to take it up again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSession {
    /// The API the session lives on: a session of the mock means nothing to the real API.
    pub base_url: String,
    /// The session's id.
    pub session_id: String,
    /// An entity of the session (the current one when last seen), which the API needs to
    /// take a session up again.
    pub entity_reference_id: String,
}

/// Where the remembered session is kept.
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

    /// The session remembered for `base_url`, if any. A file that cannot be read is an error
    /// naming it, not a silently forgotten session.
    pub fn load(&self, base_url: &str) -> Result<Option<LastSession>, Failure> {
        let Some(path) = self.path() else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(unreadable(&path, &e.to_string())),
        };
        let last: LastSession =
            serde_json::from_str(&text).map_err(|e| unreadable(&path, &e.to_string()))?;
        Ok((last.base_url == base_url).then_some(last))
    }

    /// Remembers `session`, replacing the file atomically.
    pub fn save(&self, session: &LastSession) -> Result<PathBuf, String> {
        let (Some(dir), Some(path)) = (&self.dir, self.path()) else {
            return Err("this platform has no data directory; set AMAZON_MUSIC_STATE_DIR".into());
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut text = serde_json::to_string_pretty(session).map_err(|e| e.to_string())?;
        text.push('\n');
        let mut file = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        file.persist(&path)
            .map_err(|e| format!("cannot replace {}: {}", path.display(), e.error))?;
        Ok(path)
    }
}

fn unreadable(path: &Path, why: &str) -> Failure {
    Failure::usage(format!(
        "cannot read the remembered session {}: {why}",
        path.display()
    ))
    .hint("pass --session ID, or delete the file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_remembered_per_base_url_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: Some(dir.path().join("nested")),
        };
        assert_eq!(store.load("http://a/v1").unwrap(), None);
        let first = LastSession {
            base_url: "http://a/v1".into(),
            session_id: "s1".into(),
            entity_reference_id: "e1".into(),
        };
        store.save(&first).unwrap();
        let second = LastSession {
            session_id: "s2".into(),
            ..first.clone()
        };
        store.save(&second).unwrap();
        assert_eq!(store.load("http://a/v1").unwrap(), Some(second));
        assert_eq!(store.load("http://b/v1").unwrap(), None);
        let files: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(files, [FILE], "no temporary file is left behind");
    }

    #[test]
    fn a_damaged_file_is_named_not_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        let store = Store {
            dir: Some(dir.path().to_owned()),
        };
        let failure = store.load("http://a/v1").unwrap_err();
        assert!(failure.message.contains(FILE), "{}", failure.message);
    }
}
