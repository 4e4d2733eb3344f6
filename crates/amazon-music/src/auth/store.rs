//! Where a sign-in is kept between runs.
//!
//! [`FileTokenStore`] writes one JSON file per client id and user, in the platform's config
//! directory by default: atomically (a temporary file beside it, flushed, then renamed over
//! it, so an interrupted write leaves the previous file whole) and, on Unix, readable by its
//! owner only. A file that is corrupt, cut short, unreadable or another client's is a
//! [`StoreError`] naming the file: never a panic, never a silent fresh start that would throw
//! a sign-in away. [`MemoryTokenStore`] keeps tokens for the life of the process (tests).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Scope;
use super::lwa::TokenSet;

/// The format line of a token file; a file of another format is refused, not guessed at.
const FORMAT: &str = "amazon-music-tokens/1";

/// Why a token store could not load, save or clear a sign-in.
#[derive(Debug, thiserror::Error)]
#[error("token file {}: {problem}", path.display())]
pub struct StoreError {
    path: PathBuf,
    problem: String,
}

impl StoreError {
    fn new(path: &Path, problem: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            problem: problem.into(),
        }
    }

    /// The file concerned.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Keeps one sign-in (a [`TokenSet`]) between runs.
///
/// Implement it over a keychain or a secrets manager; the methods are synchronous because a
/// token file is a few hundred bytes read once an hour.
pub trait TokenStore: Send + Sync + 'static {
    /// The stored sign-in, or `None` when there is none yet.
    fn load(&self) -> Result<Option<TokenSet>, StoreError>;
    /// Replaces the stored sign-in.
    fn save(&self, tokens: &TokenSet) -> Result<(), StoreError>;
    /// Forgets the sign-in; `true` when there was one.
    fn clear(&self) -> Result<bool, StoreError>;
    /// Where the sign-in is kept, for messages (`/home/me/.config/...`, `memory`).
    fn location(&self) -> String;
}

/// The file layout: camelCase names, seconds since the epoch.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenFile {
    format: String,
    client_id: String,
    user: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_at: u64,
    scopes: Vec<Scope>,
}

/// A sign-in kept in a file, one per client id and user.
#[derive(Clone)]
pub struct FileTokenStore {
    path: PathBuf,
    client_id: String,
    user: String,
}

impl fmt::Debug for FileTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileTokenStore")
            .field("path", &self.path)
            .field("client_id", &self.client_id)
            .field("user", &self.user)
            .finish()
    }
}

impl FileTokenStore {
    /// The store of `client_id` and `user` (any name you give the account, such as
    /// `default`) in the platform's config directory:
    /// `<config dir>/amazon-music/tokens/<client id>/<user>.json`.
    pub fn for_user(client_id: &str, user: &str) -> Result<Self, StoreError> {
        let base = dirs::config_dir().ok_or_else(|| {
            StoreError::new(
                Path::new("<config dir>"),
                "this platform has no config directory (set HOME, or give a path)",
            )
        })?;
        let path = base
            .join("amazon-music")
            .join("tokens")
            .join(file_name(client_id, "client id")?)
            .join(format!("{}.json", file_name(user, "user")?));
        Ok(Self::at(path, client_id, user))
    }

    /// The store of `client_id` and `user` at `path`.
    pub fn at(path: impl Into<PathBuf>, client_id: &str, user: &str) -> Self {
        Self {
            path: path.into(),
            client_id: client_id.to_owned(),
            user: user.to_owned(),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, problem: impl Into<String>) -> StoreError {
        StoreError::new(&self.path, problem)
    }

    fn encode(&self, tokens: &TokenSet) -> Result<Vec<u8>, StoreError> {
        let file = TokenFile {
            format: FORMAT.to_owned(),
            client_id: self.client_id.clone(),
            user: self.user.clone(),
            access_token: tokens.access_token().to_owned(),
            refresh_token: tokens.refresh_token().map(str::to_owned),
            expires_at: tokens
                .expires_at()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs(),
            scopes: tokens.scopes().to_vec(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file)
            .map_err(|e| self.error(format!("cannot encode: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    fn decode(&self, bytes: &[u8]) -> Result<TokenSet, StoreError> {
        let file: TokenFile = serde_json::from_slice(bytes).map_err(|e| {
            // serde's message can quote a value, and values here are secrets: say where and
            // what kind of problem, nothing more.
            let what = match e.classify() {
                serde_json::error::Category::Eof => "is cut short",
                serde_json::error::Category::Syntax => "is not JSON",
                serde_json::error::Category::Data => "is not a token file of this version",
                serde_json::error::Category::Io => "cannot be read",
            };
            self.error(format!(
                "{what} (line {}, column {}); sign in again to replace it",
                e.line(),
                e.column()
            ))
        })?;
        if file.format != FORMAT {
            return Err(self.error(format!(
                "has format {:?}, this version reads {FORMAT:?}",
                file.format
            )));
        }
        if file.client_id != self.client_id || file.user != self.user {
            return Err(self.error(format!(
                "belongs to client {:?}, user {:?}, not client {:?}, user {:?}",
                file.client_id, file.user, self.client_id, self.user
            )));
        }
        let expires_at = UNIX_EPOCH
            .checked_add(Duration::from_secs(file.expires_at))
            .ok_or_else(|| {
                self.error(format!(
                    "has an expiry ({}) beyond what the clock can hold; sign in again to replace it",
                    file.expires_at
                ))
            })?;
        Ok(TokenSet::new(
            file.access_token,
            file.refresh_token,
            expires_at,
            file.scopes,
        ))
    }
}

/// A client id or user name as one path component: no separators, no dot names, so a name
/// cannot reach outside the tokens directory.
fn file_name(name: &str, what: &str) -> Result<String, StoreError> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':') || c.is_control());
    if bad {
        return Err(StoreError::new(
            Path::new(name),
            format!(
                "the {what} cannot name a token file (empty, a dot name, or holds / \\ : or a control character)"
            ),
        ));
    }
    Ok(name.to_owned())
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Result<Option<TokenSet>, StoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => self.decode(&bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.error(format!("cannot be read: {e}"))),
        }
    }

    fn save(&self, tokens: &TokenSet) -> Result<(), StoreError> {
        let bytes = self.encode(tokens)?;
        write_atomically(&self.path, |file| file.write_all(&bytes))
            .map_err(|e| self.error(format!("cannot be written: {e}")))
    }

    fn clear(&self) -> Result<bool, StoreError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.error(format!("cannot be removed: {e}"))),
        }
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

/// Writes `path` through a temporary file in the same directory (owner-only on Unix),
/// flushed to disk, then renamed over `path`: a reader sees the old file or the new one,
/// never half of either, and a failure leaves the old file as it was.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    // tempfile creates the file with mode 0600 on Unix.
    let mut temp = tempfile::Builder::new()
        .prefix(".tokens-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `dir` and its missing parents, owner-only on Unix (an existing directory keeps its
/// mode: it is the user's to choose).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A sign-in kept in memory only: for tests, and for processes that sign in each run.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<Option<TokenSet>>,
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore").finish_non_exhaustive()
    }
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `tokens`.
    pub fn with(tokens: TokenSet) -> Self {
        Self {
            tokens: Mutex::new(Some(tokens)),
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<TokenSet>> {
        // The guarded value is replaced whole, so a panic elsewhere cannot leave it half set.
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<TokenSet>, StoreError> {
        Ok(self.slot().clone())
    }

    fn save(&self, tokens: &TokenSet) -> Result<(), StoreError> {
        *self.slot() = Some(tokens.clone());
        Ok(())
    }

    fn clear(&self) -> Result<bool, StoreError> {
        Ok(self.slot().take().is_some())
    }

    fn location(&self) -> String {
        "memory".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(access: &str) -> TokenSet {
        TokenSet::new(
            access,
            Some("refresh-secret".into()),
            UNIX_EPOCH + Duration::from_secs(2_000_000_000),
            vec![Scope::Catalog, Scope::LibraryRead],
        )
    }

    fn store(dir: &tempfile::TempDir) -> FileTokenStore {
        FileTokenStore::at(dir.path().join("sub/me.json"), "client-1", "me")
    }

    #[test]
    fn a_saved_sign_in_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        assert!(store.load().unwrap().is_none());
        store.save(&tokens("access-1")).unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens("access-1")));
        store.save(&tokens("access-2")).unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens("access-2")));
        assert!(store.clear().unwrap());
        assert!(!store.clear().unwrap());
        assert!(store.load().unwrap().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_directory_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let parent = std::fs::metadata(store.path().parent().unwrap()).unwrap();
        assert_eq!(parent.permissions().mode() & 0o777, 0o700);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_intact_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("before")).unwrap();
        let before = std::fs::read(store.path()).unwrap();
        let error = write_atomically(store.path(), |file| {
            file.write_all(b"{\"format\": \"amazon-mu")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "disk full");
        assert_eq!(std::fs::read(store.path()).unwrap(), before);
        assert_eq!(store.load().unwrap(), Some(tokens("before")));
        let left: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("me.json")]);
    }

    #[test]
    fn corrupt_truncated_foreign_and_unreadable_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("access-secret")).unwrap();
        let good = std::fs::read_to_string(store.path()).unwrap();
        let path = store.path().display().to_string();
        let cases = [
            (good[..good.len() / 2].to_owned(), "is cut short"),
            ("not json at all".to_owned(), "is not JSON"),
            (
                "{\"tokens\": 1}".to_owned(),
                "is not a token file of this version",
            ),
            (good.replace(FORMAT, "amazon-music-tokens/9"), "has format"),
            (
                good.replace("client-1", "client-2"),
                "belongs to client \"client-2\"",
            ),
        ];
        for (content, expected) in cases {
            std::fs::write(store.path(), &content).unwrap();
            let error = store.load().unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("token file {path}: ")),
                "{error}"
            );
            assert!(error.contains(expected), "{expected}: {error}");
            assert!(
                !error.contains("access-secret") && !error.contains("refresh-secret"),
                "{error}"
            );
            // Nothing was thrown away: the bad file is still there for the person to look at.
            assert_eq!(std::fs::read_to_string(store.path()).unwrap(), content);
        }
        // A directory where the file should be cannot be read (permissions do not stop root).
        let unreadable = FileTokenStore::at(dir.path(), "client-1", "me");
        let error = unreadable.load().unwrap_err().to_string();
        assert!(error.contains("cannot be read"), "{error}");
        // Nor removed: signing out says so, rather than reporting that there was no sign-in.
        let error = unreadable.clear().unwrap_err();
        assert_eq!(error.path(), dir.path());
        assert!(error.to_string().contains("cannot be removed"), "{error}");
        assert!(dir.path().is_dir());
    }

    /// An expiry no clock can hold is a damaged file, reported as one, not a panic.
    #[test]
    fn an_expiry_beyond_the_clock_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        let mut file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        file["expiresAt"] = serde_json::json!(u64::MAX);
        std::fs::write(store.path(), serde_json::to_vec(&file).unwrap()).unwrap();
        let error = store.load().unwrap_err().to_string();
        assert!(
            error.contains(&store.path().display().to_string())
                && error.contains("beyond what the clock can hold"),
            "{error}"
        );
    }

    #[test]
    fn names_that_would_leave_the_tokens_directory_are_refused() {
        for bad in ["", ".", "..", "a/b", "a\\b", "c:", "a\nb"] {
            assert!(file_name(bad, "user").is_err(), "{bad:?}");
        }
        assert_eq!(
            file_name("amzn1.application-oa2-client.abc", "client id").unwrap(),
            "amzn1.application-oa2-client.abc"
        );
    }

    #[test]
    fn a_file_store_says_where_and_whose() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        assert_eq!(store.location(), store.path().display().to_string());
        assert_eq!(
            format!("{store:?}"),
            format!(
                "FileTokenStore {{ path: {:?}, client_id: \"client-1\", user: \"me\" }}",
                store.path()
            )
        );
    }

    #[test]
    fn the_memory_store_keeps_one_sign_in() {
        let store = MemoryTokenStore::new();
        assert!(store.load().unwrap().is_none());
        store.save(&tokens("m")).unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens("m")));
        // It holds a sign-in: Debug names the type and shows none of it.
        assert_eq!(format!("{store:?}"), "MemoryTokenStore { .. }");
        assert!(store.clear().unwrap());
        assert!(store.load().unwrap().is_none());
    }
}
