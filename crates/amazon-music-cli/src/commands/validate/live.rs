//! `amazon-music validate live`: calls the API with the user's credentials and validates every
//! response. Read-only operations always; mutating ones only with `--allow-writes`, each undone
//! afterwards (an album added to the library is removed again, one removed is added back).
//!
//! Every request goes through the ergonomic client (`amazon_music::Client`), so it gets the
//! client's guards: redirects followed to the same origin only, plain http refused off loopback
//! (unless `--allow-insecure-http`), path parameters encoded or refused, bounded answers. What
//! is called next, and with which ids and cursors, comes from the client's typed answers.
//!
//! What is validated is what the client recorded (`ClientBuilder::record`): each exchange as it
//! was received, every attempt of a retried call included, with the credentials removed by the
//! conformance library's `Redactor`. The recordings go to `--record DIR`, or to a private
//! temporary directory removed afterwards; they are read back from there and checked with the
//! conformance `Validator`, so the report and the recordings cannot disagree.

use std::collections::HashSet;
use std::ffi::OsString;
use std::future::Future;
use std::path::{Path, PathBuf};

use amazon_music::playback::PlayRequest;
use amazon_music::types::LoopMode;
use amazon_music::{Client, Error, Recording, RecordingStats};
use amazon_music_conformance::redact::Redactor;
use amazon_music_conformance::report::{InputError, Report};
use amazon_music_conformance::{Outcome, Validator, parse_recorded_versioned};
use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;
use indicatif::ProgressBar;
use serde_json::Value;

use super::report::{ReportArgs, emit, load_validator};
use crate::credentials::{ApiArgs, Resolved, process_env};
use crate::exit::{Failure, Status};
use crate::output::note;

/// Arguments of `amazon-music validate live`.
#[derive(ClapArgs, Debug)]
pub struct LiveArgs {
    #[command(flatten)]
    api: ApiArgs,
    /// Album ids to read (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    ids: Vec<String>,
    /// A YAML or JSON file `{ids: [...]}` with more album ids.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Save every exchange as a recording (secrets removed, owner-only files) in this
    /// directory, created owner-only when missing; these files are what is validated.
    #[arg(long)]
    record: Option<PathBuf>,
    /// Also call mutating operations (library add/remove, a new playback session), undoing
    /// what can be undone.
    #[arg(long)]
    allow_writes: bool,
    #[command(flatten)]
    report: ReportArgs,
}

/// An id no album has, to see the API's 404.
const UNKNOWN_ALBUM: &str = "B000000000";

/// How many pages of 100 albums are read to learn whether the album the writes use is in the
/// library; beyond, the library is left alone rather than changed without a sure undo.
const LIBRARY_PAGES: usize = 50;

/// The largest recording kept: a recording skipped for its size is not validated (and said so).
const MAX_RECORDING_BYTES: usize = 16 << 20;

/// How many exchanges may wait for the recorder: calls are made one at a time, so this is never
/// reached; one dropped would be reported as not validated.
const RECORDING_QUEUE: usize = 1024;

/// An album id and where it was given (`--ids` or the config file), for the error naming it.
struct Given {
    id: String,
    from: String,
}

/// Runs the live validation.
pub fn run(args: &LiveArgs, verbose: bool) -> Result<Status, Failure> {
    let credentials = Resolved::resolve(&args.api, &process_env)?;
    if verbose {
        for line in credentials.describe() {
            note(&line);
        }
    }
    let builder = credentials.builder()?;
    let validator = load_validator(&args.report, verbose)?;
    let base = credentials.base_url.value().trim();
    if base.starts_with("https:") && !cfg!(any(feature = "rustls", feature = "native-tls")) {
        return Err(Failure::usage(format!(
            "{base} needs TLS, which this build leaves out: build with the rustls or \
             native-tls feature"
        )));
    }
    let mut ids: Vec<Given> = args
        .ids
        .iter()
        .map(|id| Given {
            id: id.clone(),
            from: "--ids".to_owned(),
        })
        .collect();
    if let Some(config) = &args.config {
        let from = config.display().to_string();
        ids.extend(config_ids(config)?.into_iter().map(|id| Given {
            id,
            from: from.clone(),
        }));
    }
    ids.retain(|given| !given.id.trim().is_empty());
    let mut seen = HashSet::new();
    ids.retain(|given| seen.insert(given.id.clone()));

    let recordings = Recordings::open(args.record.as_deref())?;
    let recording = Recording::new(&recordings.dir)
        .max_file_bytes(MAX_RECORDING_BYTES)
        .queue(RECORDING_QUEUE);
    let client = builder.record(recording).build()?;
    // The client removes its credentials from every recording; its errors carry none either,
    // and this is a second guard for the lines this command writes from them.
    let secrets = [&credentials.api_key, &credentials.token]
        .into_iter()
        .flatten()
        .map(|setting| setting.value().to_owned());
    let mut session = Session {
        client,
        redactor: Redactor::new(secrets),
        progress: crate::output::progress(0, "{msg}"),
        errors: Vec::new(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::refused(format!("cannot start the async runtime: {e}")))?;
    let calls = runtime.block_on(async {
        let known = session.read_only(&ids).await?;
        if args.allow_writes {
            session.writes(&known).await?;
        }
        Ok::<(), Failure>(())
    });
    session.progress.finish_and_clear();
    session.client.flush_recording();
    calls?;
    let stats = session.client.recording_stats().unwrap_or_default();
    let (outcomes, mut errors) = recordings.validate(&validator, stats);
    session.errors.append(&mut errors);
    let report = Report::new(
        validator.spec(),
        outcomes,
        session.errors,
        args.report.strict,
    );
    emit(&report, args.report.format)
}

fn config_ids(path: &PathBuf) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: Value = serde_norway::from_str(&text)
        .with_context(|| format!("{} is not YAML or JSON", path.display()))?;
    let Some(ids) = value.get("ids").and_then(Value::as_array) else {
        bail!("{}: expected a mapping with an `ids` list", path.display());
    };
    ids.iter()
        .map(|id| {
            id.as_str().map(str::to_owned).with_context(|| {
                format!("{}: every id must be a string, found {id}", path.display())
            })
        })
        .collect()
}

struct Session {
    client: Client,
    redactor: Redactor,
    progress: ProgressBar,
    /// What could not be sent or brought no answer: nothing was recorded for it.
    errors: Vec<InputError>,
}

impl Session {
    /// The read-only calls; returns the ids of `ids` the catalog knows, for the writes.
    async fn read_only(&mut self, ids: &[Given]) -> Result<Vec<String>, Failure> {
        let client = self.client.clone();
        let mut sendable = Vec::new();
        for given in ids {
            match crate::ids::check("album id", &given.id) {
                Ok(_) => sendable.push(given),
                Err(refused) => self.refused(given, &refused.message),
            }
        }
        self.progress.inc_length(sendable.len() as u64 + 4);
        let mut asked = Vec::new();
        let mut known = Vec::new();
        for given in sendable {
            let what = format!("getAlbum {}", given.id);
            let result = self.attempt(&what, client.get_album(&given.id)).await;
            match result {
                Err(error @ Error::Validation { .. }) => self.refused(given, &error.to_string()),
                result => {
                    asked.push(given.id.as_str());
                    if self.settle(&what, result)?.is_some() {
                        known.push(given.id.clone());
                    }
                }
            }
        }
        if !asked.is_empty() {
            self.progress.inc_length(1);
            self.call("getAlbums", client.get_albums(&asked)).await?;
        }
        self.call("getAlbum (unknown)", client.get_album(UNKNOWN_ALBUM))
            .await?;
        let first_page = self
            .call("getLibraryAlbums", client.library_albums_page(10, None))
            .await?;
        if let Some(next) = first_page.and_then(|page| page.next_cursor) {
            self.progress.inc_length(1);
            self.call(
                "getLibraryAlbums (next page)",
                client.library_albums_page(10, Some(&next)),
            )
            .await?;
        }
        let active = self
            .call("getActivePlaybackSessions", client.active_sessions())
            .await?;
        if let Some(entity) = active.and_then(|entities| entities.into_iter().next()) {
            self.progress.inc_length(3);
            let resumed = self
                .call(
                    "refreshPlaybackSession",
                    client.resume_session(&entity.session_id, &entity.entity_reference_id),
                )
                .await?;
            if let Some(mut session) = resumed {
                self.call("getCurrentPlaybackEntity", session.reload())
                    .await?;
                self.call("getPlaybackQueue", session.queue_page(10, None))
                    .await?;
            }
        }
        Ok(known)
    }

    /// The mutating calls, on the first album of `known`, each undone.
    async fn writes(&mut self, known: &[String]) -> Result<(), Failure> {
        let client = self.client.clone();
        let Some(id) = known.first() else {
            self.progress.suspend(|| {
                note("no album id was given, or none the catalog knows: skipping the writes")
            });
            return Ok(());
        };
        // The library is left as found: an album already saved is removed and saved again.
        match self.in_library(id).await? {
            None => self.progress.suspend(|| {
                note(&format!(
                    "cannot tell whether {id} is in the library: leaving the library alone"
                ))
            }),
            Some(saved) => {
                self.progress.inc_length(2);
                // Both calls are made whatever the first answered: each is idempotent, so the
                // second restores the library the first may have changed.
                let undone = if saved {
                    self.call("removeLibraryAlbum", client.remove_album(id))
                        .await?;
                    self.call("addLibraryAlbum", client.save_album(id)).await?
                } else {
                    self.call("addLibraryAlbum", client.save_album(id)).await?;
                    self.call("removeLibraryAlbum", client.remove_album(id))
                        .await?
                };
                if undone.is_none() {
                    let (now, fix) = if saved {
                        ("may be missing from", "add")
                    } else {
                        ("may still be in", "remove")
                    };
                    self.progress.suspend(|| {
                        note(&format!(
                            "could not undo: album {id} {now} the library; run \
                             `amazon-music library {fix} {id}`"
                        ))
                    });
                }
            }
        }

        // A new session of our own; next is undone by previous, and the modes are set to the
        // values the session was started with.
        self.progress.inc_length(1);
        let request = PlayRequest::album(id)
            .shuffle(false)
            .loop_mode(LoopMode::LoopOff);
        let Some(mut session) = self
            .call("createPlaybackSession", client.start_playback(request))
            .await?
        else {
            return Ok(());
        };
        self.progress.inc_length(6);
        self.call("getCurrentPlaybackEntity", session.reload())
            .await?;
        self.call("getPlaybackQueue", session.queue_page(10, None))
            .await?;
        self.call("refreshPlaybackSession", session.refresh())
            .await?;
        if self
            .call("getNextPlaybackEntity", session.next())
            .await?
            .is_some()
        {
            self.call("getPreviousPlaybackEntity", session.previous())
                .await?;
        }
        self.call("setShuffleMode", session.set_shuffle(false))
            .await?;
        self.call("setLoopMode", session.set_loop(LoopMode::LoopOff))
            .await?;
        Ok(())
    }

    /// Whether `id` is in the library, reading it page after page; `None` when that cannot be
    /// told (a page failed, or the library is longer than [`LIBRARY_PAGES`] pages).
    async fn in_library(&mut self, id: &str) -> Result<Option<bool>, Failure> {
        let client = self.client.clone();
        let mut cursors = HashSet::new();
        let mut cursor: Option<String> = None;
        for _ in 0..LIBRARY_PAGES {
            self.progress.inc_length(1);
            let Some(page) = self
                .call(
                    "getLibraryAlbums",
                    client.library_albums_page(100, cursor.as_deref()),
                )
                .await?
            else {
                return Ok(None);
            };
            if page.items.iter().any(|edge| edge.node.id.as_str() == id) {
                return Ok(Some(true));
            }
            match page.next_cursor {
                None => return Ok(Some(false)),
                // A cursor seen before would list the same pages again.
                Some(next) if !cursors.insert(next.clone()) => return Ok(None),
                Some(next) => cursor = Some(next),
            }
        }
        Ok(None)
    }

    /// Makes one call, labelled `what` on the progress bar; see [`Session::settle`].
    async fn call<T>(
        &mut self,
        what: &str,
        call: impl Future<Output = amazon_music::Result<T>>,
    ) -> Result<Option<T>, Failure> {
        let result = self.attempt(what, call).await;
        self.settle(what, result)
    }

    /// Makes one call and counts it on the progress bar.
    async fn attempt<T>(
        &mut self,
        what: &str,
        call: impl Future<Output = amazon_music::Result<T>>,
    ) -> amazon_music::Result<T> {
        self.progress.set_message(what.to_owned());
        let result = call.await;
        self.progress.inc(1);
        result
    }

    /// The value of a call that gave one. An error answer of the API is no failure here: it was
    /// recorded, and is validated with the rest. A call that brought no answer (refused before
    /// sending, unreachable, timed out) is an input error; a token that cannot be had ends the
    /// run.
    fn settle<T>(
        &mut self,
        what: &str,
        result: amazon_music::Result<T>,
    ) -> Result<Option<T>, Failure> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(Error::Api(_) | Error::UnexpectedResponse { .. }) => Ok(None),
            Err(error @ Error::Decode { .. }) => {
                let line = format!("{what}: the client cannot read the answer: {error}");
                let line = self.redactor.text(&line);
                self.progress.suspend(|| note(&line));
                Ok(None)
            }
            Err(error @ (Error::Token(_) | Error::SignInRequired(_) | Error::Config(_))) => {
                Err(error.into())
            }
            Err(error) => {
                self.errors.push(InputError {
                    file: what.to_owned(),
                    message: self.redactor.text(&error.to_string()),
                });
                Ok(None)
            }
        }
    }

    /// An id that is not sent: an input error naming it and where it was given.
    fn refused(&mut self, given: &Given, why: &str) {
        self.errors.push(InputError {
            file: given.from.clone(),
            message: format!("{why}; not sent"),
        });
    }
}

/// Where the client records this run, and how its recordings are found again.
struct Recordings {
    dir: PathBuf,
    /// The private directory used when `--record` was not given, removed when dropped.
    temporary: Option<tempfile::TempDir>,
    /// The files the directory held before the run: not this run's.
    before: HashSet<OsString>,
}

impl Recordings {
    /// `--record DIR` (created owner-only when missing), or a private temporary directory.
    fn open(record: Option<&Path>) -> Result<Self, Failure> {
        let Some(dir) = record else {
            let temporary = tempfile::Builder::new()
                .prefix("amazon-music-live-")
                .tempdir()
                .map_err(|e| Failure::usage(format!("cannot make a temporary directory: {e}")))?;
            return Ok(Self {
                dir: temporary.path().to_owned(),
                temporary: Some(temporary),
                before: HashSet::new(),
            });
        };
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
        let before = std::fs::read_dir(dir)
            .map_err(|e| Failure::usage(format!("cannot list {}: {e}", dir.display())))?
            .filter_map(|entry| entry.ok().map(|entry| entry.file_name()))
            .collect();
        Ok(Self {
            dir: dir.to_owned(),
            temporary: None,
            before,
        })
    }

    /// Validates every recording of this run, in the order recorded; what the recorder could
    /// not write, or what cannot be read back, is an input error.
    fn validate(
        &self,
        validator: &Validator,
        stats: RecordingStats,
    ) -> (Vec<Outcome>, Vec<InputError>) {
        let mut errors = Vec::new();
        let dir = self.dir.display().to_string();
        let lost = [
            (stats.dropped, "dropped (the recorder was behind)"),
            (
                stats.skipped,
                "skipped (over the size limit, or the directory full)",
            ),
            (stats.failed, "not written (the disk refused)"),
        ];
        for (count, why) in lost {
            if count > 0 {
                errors.push(InputError {
                    file: dir.clone(),
                    message: format!("{count} exchanges {why}: not validated"),
                });
            }
        }
        let files = match self.of_this_run() {
            Ok(files) => files,
            Err(e) => {
                errors.push(InputError {
                    file: dir,
                    message: format!("cannot list the recordings: {e}"),
                });
                return (Vec::new(), errors);
            }
        };
        if files.len() as u64 != stats.written {
            errors.push(InputError {
                file: dir,
                message: format!(
                    "holds {} recordings of this run where {} were written: the directory \
                     changed under the run",
                    files.len(),
                    stats.written
                ),
            });
        }
        let mut outcomes = Vec::new();
        for (n, path) in files.iter().enumerate() {
            let name = path.display().to_string();
            let exchange = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read: {e}"))
                .and_then(|text| parse_recorded_versioned(&text).map_err(|e| e.to_string()));
            match exchange {
                Ok((exchange, _)) => {
                    // A kept file is named by its path; a temporary one by its place in the run.
                    let source = match self.temporary {
                        Some(_) => format!("live #{}", n + 1),
                        None => name,
                    };
                    outcomes.push(validator.validate(&exchange, &source));
                }
                Err(message) => errors.push(InputError {
                    file: name,
                    message,
                }),
            }
        }
        (outcomes, errors)
    }

    /// The regular files this process recorded during the run, in the order recorded. The
    /// recorder names them `<millis>-<pid>-<sequence>-<operation>-<status>.json`; a link, or a
    /// file of another process, is not one of them.
    fn of_this_run(&self) -> std::io::Result<Vec<PathBuf>> {
        let pid = std::process::id().to_string();
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if self.before.contains(&name) || !entry.file_type()?.is_file() {
                continue;
            }
            let Some(name) = name.to_str() else { continue };
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            let mut fields = stem.split('-');
            let (Some(_millis), Some(process), Some(sequence)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(sequence) = sequence.parse::<u64>() else {
                continue;
            };
            if process == pid {
                files.push((sequence, entry.path()));
            }
        }
        files.sort();
        Ok(files.into_iter().map(|(_, path)| path).collect())
    }
}
