//! Where a sign-in is kept between runs.
//!
//! [`FileTokenStore`] writes one JSON file per client id and user, in the platform's config
//! directory by default: atomically (a temporary file beside it, flushed, then renamed over
//! it, so an interrupted write leaves the previous file whole), under an advisory lock shared
//! with other processes, and, on Unix, readable by its owner only. A file that is corrupt, cut
//! short, unreadable, another client's, of an earlier format or open to other users is a
//! [`StoreError`] naming the file: never a panic, never a silent fresh start that would throw
//! a sign-in away, and the file is left as it is. [`MemoryTokenStore`] keeps tokens for the
//! life of the process (tests).
//!
//! # The file
//!
//! Format `amazon-music-tokens/2` records, beside the tokens, the hosts the sign-in was made
//! for ([`SignInHosts`]: the Login with Amazon origin its refresh token goes to, the API
//! origin its access token goes to). A file of format `amazon-music-tokens/1`, which did not,
//! is refused with an error that says so rather than read as a sign-in for whatever hosts
//! are configured today: it may come from work against a mock or a staging host. Sign in
//! again to replace it.
//!
//! # Who may read it
//!
//! On Unix, a token file that anyone but its owner may read or change (any group or other
//! permission bit) is refused, and so is a directory holding it that others may change
//! (others could swap the sign-in for one of their own, or remove it). Refused rather than
//! warned about: a library has nowhere a warning is sure to be seen, and the next refresh
//! writes a new owner-only file, which would hide that the old one was exposed while the
//! refresh token it held stays valid. The error names the `chmod` that fixes it. A directory
//! that others may only list or enter is warned about (a `tracing` warning, target
//! `amazon_music::auth`, and [`FileTokenStore::access_warning`]): they see which sign-ins
//! exist, not the tokens, and the file's own mode keeps those private. Directories this store
//! creates are owner-only (`0700`); only the one holding the file is checked, not its parents.
//!
//! Elsewhere (Windows) no permission is checked or set: the file takes the access control
//! list of its directory, which under the default location (the roaming application data
//! directory) is the user's own. Choose a private directory when you give a path.
//!
//! # Between processes
//!
//! Writing and removing take an exclusive advisory lock on a file beside the token file
//! (`<name>.lock`, kept: removing it would race with a process about to lock it), through
//! [`std::fs::File::lock`]; a writer waits for another process's write to finish. Reading
//! takes no lock: the rename makes every read see one whole file. [`FileTokenStore::lock`]
//! holds the lock across a read and a write, for a decision made on what is stored (such as
//! refusing to replace a sign-in made for other hosts). On a file system without locks the
//! store writes without one, with a `tracing` warning.

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::hosts::SignInHosts;
use super::scope::Scope;
use super::token_set::TokenSet;

/// The format line of a token file; a file of another format is refused, not guessed at.
const FORMAT: &str = "amazon-music-tokens/2";
/// The format before the file recorded its hosts.
const FORMAT_WITHOUT_HOSTS: &str = "amazon-music-tokens/1";

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
/// token file is a few hundred bytes read once an hour. Keep the set's
/// [`hosts`](TokenSet::hosts) with it: [`LwaTokenProvider`](super::LwaTokenProvider) refuses a
/// sign-in that does not say which hosts it was made for.
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

/// The file layout: camelCase names, seconds since the epoch, hosts as origins.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenFile {
    format: String,
    client_id: String,
    user: String,
    lwa_origin: String,
    api_origin: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_at: u64,
    scopes: Vec<Scope>,
}

/// The one field read before the rest, to tell an earlier format from a damaged file.
#[derive(Deserialize)]
struct FormatLine {
    format: Option<String>,
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

    /// The file the lock between processes is taken on, beside the token file.
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_owned();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// Takes the lock between processes (waiting for another writer to finish) and holds it
    /// until the guard is dropped: what is read through the guard stays what is stored until
    /// the guard writes. [`save`](TokenStore::save) and [`clear`](TokenStore::clear) take it
    /// themselves; calling them while holding a guard waits for ever.
    ///
    /// A directory others may change is refused here, as by every read and write.
    pub fn lock(&self) -> Result<StoreLock<'_>, StoreError> {
        let dir = self.dir();
        create_private_dir(dir).map_err(|e| self.error(format!("cannot be written: {e}")))?;
        self.check_dir()?;
        self.take_lock()
    }

    /// The lock, in a directory that exists, whatever its mode.
    fn take_lock(&self) -> Result<StoreLock<'_>, StoreError> {
        let lock_path = self.lock_path();
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&lock_path).map_err(|e| {
            self.error(format!(
                "cannot open its lock file {}: {e}",
                lock_path.display()
            ))
        })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                tracing::info!(
                    target: "amazon_music::auth",
                    file = %self.path.display(),
                    "another process is writing the token file; waiting for it"
                );
                self.wait_for(&file)?;
            }
            Err(std::fs::TryLockError::Error(e)) => self.lock_failed(e)?,
        }
        Ok(StoreLock {
            store: self,
            _file: file,
        })
    }

    fn wait_for(&self, file: &File) -> Result<(), StoreError> {
        file.lock().or_else(|e| self.lock_failed(e))
    }

    /// A file system without locks gets writes without one (as before locks were taken);
    /// any other failure to lock stops the write.
    fn lock_failed(&self, error: std::io::Error) -> Result<(), StoreError> {
        if error.kind() == std::io::ErrorKind::Unsupported {
            tracing::warn!(
                target: "amazon_music::auth",
                file = %self.path.display(),
                "this file system takes no locks: writing the token file without one"
            );
            Ok(())
        } else {
            Err(self.error(format!("cannot be locked: {error}")))
        }
    }

    /// What others can learn from this store's directory without its being refused: that it
    /// can be listed or entered by other users (they see which sign-ins exist, not the
    /// tokens). `None` when it cannot, when it does not exist, and off Unix.
    pub fn access_warning(&self) -> Option<String> {
        let mode = dir_mode(self.dir())?;
        (mode & 0o055 != 0).then(|| {
            format!(
                "token directory {} can be listed by other users (mode {:04o}): they can see \
                 which sign-ins exist, not the tokens; `chmod 700` it to hide them",
                self.dir().display(),
                mode & 0o7777
            )
        })
    }

    fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    fn error(&self, problem: impl Into<String>) -> StoreError {
        StoreError::new(&self.path, problem)
    }

    /// Refuses a directory others may change; warns about one they may list.
    fn check_dir(&self) -> Result<(), StoreError> {
        let Some(mode) = dir_mode(self.dir()) else {
            return Ok(());
        };
        if mode & 0o022 != 0 {
            return Err(self.error(format!(
                "its directory {} can be changed by other users (mode {:04o}), who could \
                 replace or remove the sign-in; make it yours alone with `chmod 700 {}`",
                self.dir().display(),
                mode & 0o7777,
                self.dir().display()
            )));
        }
        if let Some(warning) = self.access_warning() {
            tracing::warn!(target: "amazon_music::auth", "{warning}");
        }
        Ok(())
    }

    /// Refuses anything but a regular file, and on Unix one anyone but its owner may read or
    /// change.
    fn check_file(&self, file: &File) -> Result<(), StoreError> {
        let metadata = file
            .metadata()
            .map_err(|e| self.error(format!("cannot be read: {e}")))?;
        if !metadata.is_file() {
            return Err(self.error("cannot be read: it is not a file"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(self.error(format!(
                    "can be read or changed by other users (mode {:04o}), so it is not used; \
                     make it yours alone with `chmod 600 {}`, and if others may have copied \
                     it, remove the app's access in your Amazon account and sign in again",
                    mode & 0o7777,
                    self.path.display()
                )));
            }
        }
        Ok(())
    }

    fn read(&self) -> Result<Option<TokenSet>, StoreError> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.error(format!("cannot be read: {e}"))),
        };
        // Checked on the open file: the mode seen is that of the bytes read.
        self.check_file(&file)?;
        self.check_dir()?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| self.error(format!("cannot be read: {e}")))?;
        self.decode(&bytes).map(Some)
    }

    fn write(&self, bytes: &[u8]) -> Result<(), StoreError> {
        write_atomically(&self.path, |file| file.write_all(bytes))
            .map_err(|e| self.error(format!("cannot be written: {e}")))
    }

    fn remove(&self) -> Result<bool, StoreError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.error(format!("cannot be removed: {e}"))),
        }
    }

    fn encode(&self, tokens: &TokenSet) -> Result<Vec<u8>, StoreError> {
        let hosts = tokens.hosts().ok_or_else(|| {
            self.error(
                "cannot keep a sign-in that does not say which hosts it was made for \
                 (TokenSet::with_hosts)",
            )
        })?;
        let file = TokenFile {
            format: FORMAT.to_owned(),
            client_id: self.client_id.clone(),
            user: self.user.clone(),
            lwa_origin: hosts.lwa().to_owned(),
            api_origin: hosts.api().to_owned(),
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

    /// serde's message can quote a value, and values here are secrets: say where and what
    /// kind of problem, nothing more.
    fn parse_error(&self, e: &serde_json::Error) -> StoreError {
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
    }

    fn decode(&self, bytes: &[u8]) -> Result<TokenSet, StoreError> {
        let line: FormatLine = serde_json::from_slice(bytes).map_err(|e| self.parse_error(&e))?;
        match line.format.as_deref() {
            Some(FORMAT) | None => {}
            Some(FORMAT_WITHOUT_HOSTS) => {
                return Err(self.error(format!(
                    "has format {FORMAT_WITHOUT_HOSTS:?}, written by an earlier version that did \
                     not record which hosts the sign-in was made for, so it is not used (it may \
                     come from a mock or a test host); it is left as it is: sign in again to \
                     replace it"
                )));
            }
            Some(other) => {
                return Err(self.error(format!(
                    "has format {other:?}, this version reads {FORMAT:?}"
                )));
            }
        }
        let file: TokenFile = serde_json::from_slice(bytes).map_err(|e| self.parse_error(&e))?;
        if file.client_id != self.client_id || file.user != self.user {
            return Err(self.error(format!(
                "belongs to client {:?}, user {:?}, not client {:?}, user {:?}",
                file.client_id, file.user, self.client_id, self.user
            )));
        }
        let hosts = SignInHosts::parse(&file.lwa_origin, &file.api_origin).map_err(|e| {
            self.error(format!(
                "records hosts that are not URLs ({e}); sign in again to replace it"
            ))
        })?;
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
        )
        .with_hosts(hosts))
    }
}

/// The permission bits of `dir`, on Unix; `None` elsewhere or when it cannot be read.
fn dir_mode(_dir: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(_dir).ok().map(|m| m.permissions().mode())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The lock between processes on a [`FileTokenStore`], held until dropped; see
/// [`FileTokenStore::lock`].
#[must_use = "the lock is released when the guard is dropped"]
pub struct StoreLock<'a> {
    store: &'a FileTokenStore,
    _file: File,
}

impl fmt::Debug for StoreLock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreLock")
            .field("path", &self.store.path)
            .finish_non_exhaustive()
    }
}

impl StoreLock<'_> {
    /// The stored sign-in, as [`TokenStore::load`].
    pub fn load(&self) -> Result<Option<TokenSet>, StoreError> {
        self.store.read()
    }

    /// Replaces the stored sign-in, as [`TokenStore::save`], under this lock.
    pub fn save(&self, tokens: &TokenSet) -> Result<(), StoreError> {
        self.store.write(&self.store.encode(tokens)?)
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
        self.read()
    }

    fn save(&self, tokens: &TokenSet) -> Result<(), StoreError> {
        // Encoded first: a set that cannot be kept is refused before anything is locked.
        let bytes = self.encode(tokens)?;
        let _lock = self.lock()?;
        self.write(&bytes)
    }

    fn clear(&self) -> Result<bool, StoreError> {
        // Nothing to remove is no reason to create a lock file.
        match std::fs::symlink_metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Ok(metadata) if metadata.is_dir() => {
                return Err(self.error("cannot be removed: it is a directory"));
            }
            _ => {}
        }
        // Removing a sign-in from a directory others may change is no risk, and refusing it
        // would leave the person no way out but by hand.
        let _lock = self.take_lock()?;
        self.remove()
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

/// Creates `dir` and its missing parents, owner-only on Unix. An existing directory keeps its
/// mode; the store checks it instead ([`FileTokenStore`] refuses one others may change).
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

    fn hosts() -> SignInHosts {
        SignInHosts::new("https://api.amazon.com", "https://api.music.amazon.dev/v1").unwrap()
    }

    fn tokens(access: &str) -> TokenSet {
        TokenSet::new(
            access,
            Some("refresh-secret".into()),
            UNIX_EPOCH + Duration::from_secs(2_000_000_000),
            vec![Scope::Catalog, Scope::LibraryRead],
        )
        .with_hosts(hosts())
    }

    /// Sets the permission bits (on Unix; elsewhere nothing is checked, nor set).
    fn chmod(_path: &Path, _mode: u32) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(_path, std::fs::Permissions::from_mode(_mode)).unwrap();
        }
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

    /// Two clears that both saw the file: the one that takes the lock second finds it gone,
    /// which is not an error.
    #[test]
    fn a_file_gone_by_the_time_it_is_removed_was_not_there() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        assert!(store.remove().unwrap());
        assert!(!store.remove().unwrap());
    }

    /// A file system without locks is written without one; any other failure to lock stops
    /// the write.
    #[test]
    fn only_a_file_system_without_locks_is_written_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        let unsupported = std::io::Error::from(std::io::ErrorKind::Unsupported);
        assert!(store.lock_failed(unsupported).is_ok());
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let error = store.lock_failed(denied).unwrap_err();
        assert!(error.to_string().contains("cannot be locked"), "{error}");
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
        let mut left: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        // The lock file stays by design; no temporary file does.
        assert_eq!(
            left,
            [
                std::ffi::OsString::from("me.json"),
                std::ffi::OsString::from("me.json.lock")
            ]
        );
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

    /// Recorded hosts that are not `http(s)` URLs with a host make a damaged file: reported as
    /// one, naming the file and the value, and left in place, never read as a sign-in.
    #[test]
    fn a_token_file_whose_hosts_are_not_urls_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        let mut file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        file["apiOrigin"] = serde_json::json!("ftp://music.example");
        let content = serde_json::to_vec(&file).unwrap();
        std::fs::write(store.path(), &content).unwrap();
        let error = store.load().unwrap_err().to_string();
        assert!(
            error.contains(&store.path().display().to_string())
                && error.contains("records hosts that are not URLs")
                && error.contains("ftp://music.example"),
            "{error}"
        );
        assert_eq!(std::fs::read(store.path()).unwrap(), content);
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
        let shown = format!("{store:?}");
        for field in [
            format!("path: {:?}", store.path()),
            "client_id: \"client-1\"".to_owned(),
            "user: \"me\"".to_owned(),
        ] {
            assert!(shown.contains(&field), "{field} missing: {shown}");
        }
    }

    #[test]
    fn the_memory_store_keeps_one_sign_in() {
        let store = MemoryTokenStore::new();
        assert!(store.load().unwrap().is_none());
        store.save(&tokens("m")).unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens("m")));
        // It holds a sign-in: Debug names the type and shows none of it.
        let shown = format!("{store:?}");
        assert!(shown.starts_with("MemoryTokenStore"), "{shown}");
        assert!(!shown.contains("refresh-secret"), "{shown}");
        assert!(store.clear().unwrap());
        assert!(store.load().unwrap().is_none());
    }

    #[test]
    fn a_sign_in_is_kept_with_its_hosts_and_one_without_them_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        assert_eq!(file["format"], "amazon-music-tokens/2");
        assert_eq!(file["lwaOrigin"], "https://api.amazon.com");
        assert_eq!(file["apiOrigin"], "https://api.music.amazon.dev");
        assert_eq!(store.load().unwrap().unwrap().hosts(), Some(&hosts()));

        let bare = TokenSet::new("b", None, UNIX_EPOCH, Vec::new());
        let error = store.save(&bare).unwrap_err().to_string();
        assert!(error.contains("does not say which hosts"), "{error}");
        assert_eq!(
            store.load().unwrap(),
            Some(tokens("a")),
            "the file is as it was"
        );
    }

    /// A file of the format before hosts were recorded is never read as a sign-in for the
    /// hosts configured now: refused, said why, and left for the person.
    #[test]
    fn a_file_of_the_earlier_format_is_refused_and_left_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        let old = r#"{
  "format": "amazon-music-tokens/1",
  "clientId": "client-1",
  "user": "me",
  "accessToken": "access-secret",
  "refreshToken": "refresh-secret",
  "expiresAt": 2000000000,
  "scopes": ["music::catalog"]
}
"#;
        std::fs::write(store.path(), old).unwrap();
        chmod(store.path(), 0o600);
        let error = store.load().unwrap_err().to_string();
        assert!(
            error.contains("\"amazon-music-tokens/1\"")
                && error.contains("did not record which hosts")
                && error.contains("sign in again"),
            "{error}"
        );
        assert!(!error.contains("secret"), "{error}");
        assert_eq!(std::fs::read_to_string(store.path()).unwrap(), old);
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_or_change_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        let content = std::fs::read(store.path()).unwrap();
        for mode in [0o644, 0o640, 0o604, 0o620, 0o602, 0o660] {
            chmod(store.path(), mode);
            let error = store.load().unwrap_err().to_string();
            assert!(
                error.contains(&format!("(mode {mode:04o})"))
                    && error.contains(&format!("chmod 600 {}", store.path().display())),
                "{mode:o}: {error}"
            );
            assert_eq!(std::fs::read(store.path()).unwrap(), content);
        }
        chmod(store.path(), 0o600);
        assert_eq!(store.load().unwrap(), Some(tokens("a")));
        chmod(store.path(), 0o400);
        assert_eq!(
            store.load().unwrap(),
            Some(tokens("a")),
            "read-only is fine"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_can_change_is_refused_and_one_they_can_list_is_warned_about() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("a")).unwrap();
        let parent = store.path().parent().unwrap();
        assert_eq!(store.access_warning(), None);
        for mode in [0o777, 0o770, 0o720, 0o702, 0o1777] {
            chmod(parent, mode);
            for error in [
                store.load().unwrap_err(),
                store.save(&tokens("b")).unwrap_err(),
            ] {
                let text = error.to_string();
                assert!(
                    text.contains("can be changed by other users")
                        && text.contains(&format!("chmod 700 {}", parent.display())),
                    "{mode:o}: {text}"
                );
            }
        }
        for mode in [0o755, 0o750, 0o711] {
            chmod(parent, mode);
            assert_eq!(store.load().unwrap(), Some(tokens("a")), "{mode:o}");
            let warning = store.access_warning().unwrap();
            assert!(
                warning.contains("can be listed by other users")
                    && warning.contains(&format!("{mode:04o}")),
                "{warning}"
            );
        }
        chmod(parent, 0o700);
        store.save(&tokens("c")).unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens("c")));
    }

    /// Sends each tracing event's message down a channel: how a test learns that a writer
    /// has found the lock taken and is about to wait for it.
    struct Messages(std::sync::mpsc::Sender<String>);

    impl tracing::Subscriber for Messages {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            struct Message(String);
            impl tracing::field::Visit for Message {
                fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
                    if field.name() == "message" {
                        self.0 = format!("{value:?}");
                    }
                }
            }
            let mut message = Message(String::new());
            event.record(&mut message);
            let _ = self.0.send(message.0);
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    /// Another process holding the lock (here another open file, which `flock` treats the
    /// same) keeps a writer waiting: the file is unchanged until the lock is released, then
    /// holds what the writer wrote.
    #[test]
    fn a_writer_waits_for_the_lock_another_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("before")).unwrap();
        let held = store.lock().unwrap();
        let (said, heard) = std::sync::mpsc::channel();
        let writer = {
            let store = store.clone();
            std::thread::spawn(move || {
                tracing::subscriber::with_default(Messages(said), || store.save(&tokens("after")))
            })
        };
        let message = heard
            .recv()
            .expect("the writer finished without meeting the lock");
        assert!(message.contains("waiting"), "{message}");
        assert_eq!(held.load().unwrap(), Some(tokens("before")));
        held.save(&tokens("held")).unwrap();
        drop(held);
        writer.join().unwrap().unwrap();
        assert_eq!(store.load().unwrap(), Some(tokens("after")));
    }

    /// Read, decide and write under one lock: writers that each add one to what they read
    /// lose no update, however they interleave.
    #[test]
    fn a_read_and_write_under_the_lock_lose_no_update() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store.save(&tokens("0")).unwrap();
        let writers: Vec<_> = (0..4)
            .map(|_| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        let lock = store.lock().unwrap();
                        let seen: u32 = lock
                            .load()
                            .unwrap()
                            .unwrap()
                            .access_token()
                            .parse()
                            .unwrap();
                        lock.save(&tokens(&(seen + 1).to_string())).unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(store.load().unwrap(), Some(tokens("100")));
        let shown = format!("{:?}", store.lock().unwrap());
        assert!(shown.starts_with("StoreLock"), "{shown}");
        assert!(shown.contains(&format!("{:?}", store.path())), "{shown}");
    }
}
