//! Recording every exchange to a directory, as evidence for the spec (feature `record`, on by
//! default): [`ClientBuilder::record_to`](crate::ClientBuilder::record_to) or
//! `AMAZON_MUSIC_RECORD=dir` with [`Client::from_env`](crate::Client::from_env).
//!
//! Each exchange becomes one file in the conformance tool's recorded format (`method`, `url`,
//! `status`, kept `headers`, `body`), which `amazon-music validate recorded DIR` reads. What is
//! written goes through the spec crate's [`Redactor`]: the API key and the bearer
//! token the request carried, cookies and every other response header outside an allow-list,
//! credential-looking query values and Login with Amazon token shapes are removed.
//!
//! A request never waits on the disk: the exchange is handed to a writer thread through a
//! bounded queue, and dropped (counted in [`RecordingStats::dropped`]) when the queue is full.
//! The queue holds each body as the bytes the service sent (the writer parses them), and a
//! body longer than [`Recording::max_file_bytes`] is skipped when handed over, never queued
//! (counted in [`RecordingStats::skipped`]): the bodies waiting take at most
//! [`Recording::queue`] × `max_file_bytes`. Skipped, not cut short: a truncated body is no
//! longer what the service said, and would read as drift to the conformance tool.
//! A failure to record never fails a request; it is logged once with `tracing::warn!` and
//! counted. Files are written whole (a temporary name, then a rename), so a reader never sees
//! half an exchange. They are the owner's only (`0600`, and `0700` for a directory the recorder
//! creates), and never written through a link or onto an entry already there: a file or a link
//! planted at a recording's name makes that recording fail (counted), never land elsewhere.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use amazon_music_spec::redact::Redactor;
use amazon_music_spec::{Body, Exchange};
use reqwest::header::{AUTHORIZATION, HeaderMap};

/// Where and how much a client records.
///
/// ```
/// let recording = amazon_music::Recording::new("recordings")
///     .max_file_bytes(256 * 1024)
///     .max_files(1_000);
/// let client = amazon_music::Client::builder()
///     .api_key("security-profile-id")
///     .token("access-token")
///     .record(recording)
///     .build()?;
/// # drop(client);
/// # Ok::<(), amazon_music::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Recording {
    dir: PathBuf,
    max_file_bytes: usize,
    max_files: usize,
    queue: usize,
}

impl Recording {
    /// Records into `dir` (created when missing), at most 1 MiB a file, 10,000 files in the
    /// directory (counting those already there), with 64 exchanges waiting at most.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            max_file_bytes: 1 << 20,
            max_files: 10_000,
            queue: 64,
        }
    }

    /// The largest file written; a larger exchange is skipped (and counted). A response body
    /// longer than this is skipped before it is queued, which bounds what waits for the writer.
    pub fn max_file_bytes(mut self, bytes: usize) -> Self {
        self.max_file_bytes = bytes;
        self
    }

    /// How many `.json` files the directory may hold; once reached, nothing more is written.
    pub fn max_files(mut self, files: usize) -> Self {
        self.max_files = files;
        self
    }

    /// How many exchanges may wait for the writer before new ones are dropped (at least 1);
    /// with [`Recording::max_file_bytes`], it bounds the memory they take.
    pub fn queue(mut self, exchanges: usize) -> Self {
        self.queue = exchanges.max(1);
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// What a client's recorder has done so far; see [`Client::recording_stats`](crate::Client::recording_stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordingStats {
    /// Files written.
    pub written: u64,
    /// Exchanges dropped because the writer was behind (the queue was full).
    pub dropped: u64,
    /// Exchanges not written because of a cap: a body or a file larger than the file limit,
    /// or the directory full.
    pub skipped: u64,
    /// Exchanges not written because the disk refused (an error was logged the first time).
    pub failed: u64,
}

enum Message {
    Exchange {
        /// Everything but the body, which the writer parses from `body`.
        exchange: Exchange,
        body: bytes::Bytes,
        operation: &'static str,
        secrets: Vec<String>,
    },
    Flush(mpsc::Sender<()>),
}

#[derive(Default)]
struct Counters {
    written: AtomicU64,
    dropped: AtomicU64,
    skipped: AtomicU64,
    failed: AtomicU64,
    warned: AtomicBool,
}

impl Counters {
    /// Logs the first problem only: a full disk must not flood the application's log.
    fn warn_once(&self, message: std::fmt::Arguments<'_>) {
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "amazon_music recording: {message} (further problems are counted, not logged)"
            );
        }
    }
}

/// The client's half of the recorder: hands exchanges to the writer thread.
pub(crate) struct Recorder {
    queue: mpsc::SyncSender<Message>,
    counters: Arc<Counters>,
    /// The longest body queued: a longer one could not be written anyway.
    max_body_bytes: usize,
}

impl Recorder {
    /// Starts the writer thread; it ends when the last client clone is dropped.
    pub(crate) fn start(recording: Recording) -> std::io::Result<Self> {
        let (queue, inbox) = mpsc::sync_channel(recording.queue);
        let counters = Arc::new(Counters::default());
        let max_body_bytes = recording.max_file_bytes;
        let writer = Writer {
            recording,
            counters: counters.clone(),
            files: None,
            sequence: 0,
        };
        std::thread::Builder::new()
            .name("amazon-music-recorder".into())
            .spawn(move || writer.run(inbox))?;
        Ok(Self {
            queue,
            counters,
            max_body_bytes,
        })
    }

    pub(crate) fn stats(&self) -> RecordingStats {
        RecordingStats {
            written: self.counters.written.load(Ordering::Relaxed),
            dropped: self.counters.dropped.load(Ordering::Relaxed),
            skipped: self.counters.skipped.load(Ordering::Relaxed),
            failed: self.counters.failed.load(Ordering::Relaxed),
        }
    }

    /// Blocks until every exchange handed over so far is written (or given up on).
    pub(crate) fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.queue.send(Message::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }

    /// Whether a body of `length` bytes may be queued; when not, it is counted as skipped.
    /// A longer body than the file limit could not be written anyway.
    pub(crate) fn takes(&self, length: usize) -> bool {
        if length <= self.max_body_bytes {
            return true;
        }
        self.counters.skipped.fetch_add(1, Ordering::Relaxed);
        self.counters.warn_once(format_args!(
            "a body of {length} bytes is over the {}-byte file limit: skipped",
            self.max_body_bytes
        ));
        false
    }

    /// Hands `exchange` with its `body` (read by the client's observers) to the writer, without
    /// waiting: when the writer is behind, the exchange is dropped and counted; a body longer
    /// than the file limit is skipped and counted (see [`Recorder::takes`]).
    pub(crate) fn hand_over(
        &self,
        exchange: Exchange,
        body: bytes::Bytes,
        operation: &'static str,
        secrets: Vec<String>,
    ) {
        if !self.takes(body.len()) {
            return;
        }
        let message = Message::Exchange {
            exchange,
            body,
            operation,
            secrets,
        };
        match self.queue.try_send(message) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(_)) => {
                self.counters.dropped.fetch_add(1, Ordering::Relaxed);
                self.counters
                    .warn_once(format_args!("the writer is behind; exchanges are dropped"));
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                self.counters.failed.fetch_add(1, Ordering::Relaxed);
                self.counters
                    .warn_once(format_args!("the writer thread has stopped"));
            }
        }
    }
}

/// The response headers a recording keeps (an allow-list: every other header is dropped).
pub(crate) fn kept_headers(headers: &HeaderMap) -> serde_json::Map<String, serde_json::Value> {
    headers
        .iter()
        .filter(|(name, _)| amazon_music_spec::redact::KEPT_HEADERS.contains(&name.as_str()))
        .filter_map(|(name, value)| {
            Some((
                name.as_str().to_owned(),
                serde_json::Value::String(value.to_str().ok()?.to_owned()),
            ))
        })
        .collect()
}

/// The credentials a request carries, to be removed wherever they appear in its exchange.
pub(crate) fn secrets_of(headers: &HeaderMap) -> Vec<String> {
    let mut secrets = Vec::new();
    for (name, value) in headers {
        if name == AUTHORIZATION || amazon_music_spec::redact::is_credential_name(name.as_str()) {
            let Ok(value) = value.to_str() else { continue };
            secrets.push(value.to_owned());
            if let Some((_, credential)) = value.split_once(' ') {
                secrets.push(credential.trim().to_owned());
            }
        }
    }
    secrets
}

struct Writer {
    recording: Recording,
    counters: Arc<Counters>,
    /// Files in the directory: counted on the first exchange, so that starting a client never
    /// waits for a listing.
    files: Option<usize>,
    sequence: u64,
}

impl Writer {
    fn run(mut self, inbox: mpsc::Receiver<Message>) {
        for message in inbox {
            match message {
                Message::Flush(done) => {
                    let _ = done.send(());
                }
                Message::Exchange {
                    mut exchange,
                    body,
                    operation,
                    secrets,
                } => {
                    exchange.body = Body::from_bytes(&body);
                    drop(body);
                    self.write(exchange, operation, &secrets);
                }
            }
        }
    }

    fn write(&mut self, exchange: Exchange, operation: &str, secrets: &[String]) {
        let dir = &self.recording.dir;
        let files = match self.files {
            Some(files) => files,
            None => match count_files(dir) {
                Ok(files) => *self.files.insert(files),
                Err(e) => {
                    self.counters.failed.fetch_add(1, Ordering::Relaxed);
                    self.counters
                        .warn_once(format_args!("cannot use {}: {e}", dir.display()));
                    return;
                }
            },
        };
        if files >= self.recording.max_files {
            self.counters.skipped.fetch_add(1, Ordering::Relaxed);
            self.counters.warn_once(format_args!(
                "{} holds {} files, the limit: nothing more is recorded",
                dir.display(),
                self.recording.max_files
            ));
            return;
        }
        let exchange = Redactor::new(secrets).exchange(exchange);
        // The spec's version, so that a reader can tell what the exchange was checked against
        // once the spec moves on.
        let mut document = serde_json::Map::new();
        document.insert(
            "specVersion".into(),
            <amazon_music_api::Client as amazon_music_api::ClientInfo<_>>::api_version().into(),
        );
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&exchange) {
            document.extend(fields);
        }
        let mut text = match serde_json::to_vec_pretty(&document) {
            Ok(text) => text,
            Err(e) => {
                self.counters.failed.fetch_add(1, Ordering::Relaxed);
                self.counters
                    .warn_once(format_args!("cannot serialize an exchange: {e}"));
                return;
            }
        };
        text.push(b'\n');
        if text.len() > self.recording.max_file_bytes {
            self.counters.skipped.fetch_add(1, Ordering::Relaxed);
            self.counters.warn_once(format_args!(
                "an exchange of {} bytes is over the {}-byte limit: skipped",
                text.len(),
                self.recording.max_file_bytes
            ));
            return;
        }
        self.sequence += 1;
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        // Unique across processes recording into one directory, and in time order.
        let name = format!(
            "{millis}-{}-{:06}-{operation}-{}.json",
            std::process::id(),
            self.sequence,
            exchange.status
        );
        let path = dir.join(&name);
        match write_new(dir, &path, &text) {
            Ok(()) => {
                self.files = Some(files + 1);
                self.counters.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.counters.failed.fetch_add(1, Ordering::Relaxed);
                self.counters
                    .warn_once(format_args!("cannot write {}: {e}", path.display()));
            }
        }
    }
}

/// Writes `text` to `path` (inside `dir`) as a new owner-only file, whole or not at all.
///
/// A recording holds the user's library and sessions, and the directory may be shared, so
/// nothing here follows a link or reuses a file someone else put there: the text goes to a
/// temporary file of an unpredictable name, created exclusively with mode `0600`, which then
/// takes `path` only if no entry has it (a file or a link planted there makes this fail).
fn write_new(dir: &Path, path: &Path, text: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut partial = tempfile::Builder::new()
        .prefix(".")
        .suffix(".partial")
        .tempfile_in(dir)?;
    partial.write_all(text)?;
    // Dropped on failure, which removes the temporary file.
    partial.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `dir` if needed (owner-only, as every directory it creates on the way) and counts
/// its `.json` files.
fn count_files(dir: &Path) -> std::io::Result<usize> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    Ok(std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange() -> Exchange {
        Exchange {
            method: "GET".into(),
            url: "/v1/albums/B0064UPU4G".into(),
            status: 200,
            headers: Default::default(),
            body: Default::default(),
        }
    }

    /// A body longer than the file limit never enters the queue (which would hold it until the
    /// writer got to it): at most `queue` bodies of at most `max_file_bytes` wait. One of
    /// exactly the limit is queued whole.
    #[test]
    fn a_body_over_the_file_limit_is_skipped_before_the_queue() {
        // With a subscriber: this test reaches `warn_once`'s callsite too (see below).
        let trace = amazon_music_workspace_tests::trace::TraceCapture::start();
        let (queue, inbox) = mpsc::sync_channel(4);
        let recorder = Recorder {
            queue,
            counters: Arc::default(),
            max_body_bytes: 1024,
        };
        recorder.hand_over(
            exchange(),
            bytes::Bytes::from(vec![b' '; 1025]),
            "getAlbum",
            Vec::new(),
        );
        assert!(inbox.try_recv().is_err(), "queued");
        assert_eq!(recorder.stats().skipped, 1);
        assert!(
            trace
                .text()
                .contains("a body of 1025 bytes is over the 1024-byte file limit: skipped"),
            "{}",
            trace.text()
        );

        recorder.hand_over(
            exchange(),
            bytes::Bytes::from(vec![b' '; 1024]),
            "getAlbum",
            Vec::new(),
        );
        match inbox.try_recv() {
            Ok(Message::Exchange { body, .. }) => assert_eq!(body.len(), 1024),
            _ => panic!("a body of the limit was not queued"),
        }
        assert_eq!(recorder.stats().skipped, 1);
    }

    /// A problem is logged the first time only: a full disk must not flood the log.
    ///
    /// A tracing capture among tests without one is safe here only because this test and the
    /// one above, which captures too, are the only ones to reach `warn_once`'s callsite: tracing caches whether a callsite is enabled, and
    /// a test reaching it first without a subscriber would make it cache "disabled" (why the
    /// integration tests that capture keep a binary of their own).
    #[test]
    fn only_the_first_problem_is_logged() {
        let trace = amazon_music_workspace_tests::trace::TraceCapture::start();
        let counters = Counters::default();
        counters.warn_once(format_args!("the first problem"));
        counters.warn_once(format_args!("the second problem"));
        let logged = trace.text();
        assert!(
            logged.contains(
                "amazon_music recording: the first problem (further problems are counted, not logged)"
            ),
            "{logged}"
        );
        assert!(!logged.contains("the second problem"), "{logged}");
    }

    /// `flush` returns only once the writer has written everything handed over before it:
    /// a full queue of exchanges, handed over faster than files can be written.
    #[test]
    fn flush_waits_for_every_exchange_handed_over() {
        let dir = tempfile::tempdir().unwrap();
        let exchanges = 64;
        let recorder = Recorder::start(Recording::new(dir.path()).queue(exchanges)).unwrap();
        for _ in 0..exchanges {
            recorder.hand_over(exchange(), Default::default(), "getAlbum", Vec::new());
        }
        recorder.flush();
        let stats = recorder.stats();
        assert_eq!(stats.written, exchanges as u64, "{stats:?}");
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, exchanges);
    }

    /// A recording holds the user's library and sessions: the files are the owner's only, and
    /// so is every directory the recorder creates on the way to its own.
    #[cfg(unix)]
    #[test]
    fn recordings_and_the_directories_made_for_them_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("made").join("here");
        let recorder = Recorder::start(Recording::new(&dir)).unwrap();
        let exchange = Exchange {
            method: "GET".into(),
            url: "/v1/albums/B0064UPU4G".into(),
            status: 200,
            headers: Default::default(),
            body: Default::default(),
        };
        recorder.hand_over(exchange, Default::default(), "getAlbum", Vec::new());
        recorder.flush();
        assert_eq!(recorder.stats().written, 1, "{:?}", recorder.stats());
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        for made in [root.path().join("made"), dir.clone()] {
            assert_eq!(mode(&made), 0o700, "{}", made.display());
        }
        let files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(mode(&files[0]), 0o600, "{}", files[0].display());
    }

    /// Someone who can write into the directory plants links (to a file of the user's) and a
    /// file of their own at the names a recording would take, and at the temporary name it was
    /// written under before: the recording fails, and nothing is written through a link or into
    /// a planted file.
    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_planted_link_or_into_a_planted_file() {
        let root = tempfile::tempdir().unwrap();
        let victim = root.path().join("victim");
        std::fs::write(&victim, "the user's own file").unwrap();
        let dir = root.path().join("recordings");
        std::fs::create_dir(&dir).unwrap();
        let linked = dir.join("1-2-000001-get_album-200.json");
        for name in [
            "1-2-000001-get_album-200.json",
            ".1-2-000001-get_album-200.json.partial",
        ] {
            std::os::unix::fs::symlink(&victim, dir.join(name)).unwrap();
        }
        let error = write_new(&dir, &linked, b"recorded").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists, "{error}");
        let planted = dir.join("1-2-000002-get_album-200.json");
        std::fs::write(&planted, "planted").unwrap();
        let error = write_new(&dir, &planted, b"recorded").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists, "{error}");

        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "the user's own file"
        );
        assert_eq!(std::fs::read_to_string(&planted).unwrap(), "planted");
        assert!(std::fs::symlink_metadata(&linked).unwrap().is_symlink());
        // Nothing is left behind: the two links and the planted file only.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
        // Where nothing was planted, the file is written.
        let free = dir.join("1-2-000003-get_album-200.json");
        write_new(&dir, &free, b"recorded").unwrap();
        assert_eq!(std::fs::read_to_string(&free).unwrap(), "recorded");
    }

    /// The credentials are the `Authorization` value (whole, and the token after its scheme)
    /// and the API key; no other header's value is taken for one, or a recording would lose
    /// every place it appears (an `application/json` in a body, say).
    #[test]
    fn secrets_are_the_credentials_and_nothing_else() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, "Bearer tok-1".parse().unwrap());
        headers.insert("x-api-key", "key-2".parse().unwrap());
        headers.insert("accept", "application/json".parse().unwrap());
        headers.insert("user-agent", "amazon-music/0.1".parse().unwrap());
        let mut secrets = secrets_of(&headers);
        secrets.sort();
        assert_eq!(secrets, ["Bearer tok-1", "key-2", "tok-1"]);
    }
}
