//! `amazon-music validate live`: calls the API with the user's credentials and validates every
//! response. Read-only operations always; mutating ones only with `--allow-writes`, each undone
//! afterwards (an album added to the library is removed again, one removed is added back).
//!
//! Credentials come from `--api-key` and `--token` or AMAZON_MUSIC_API_KEY and
//! AMAZON_MUSIC_TOKEN (`crate::credentials`) and never reach the report or a recording:
//! recordings go through the conformance library's `Redactor`, the same one the client's
//! `record_to` uses: an allow-list of response headers, credential-looking query values, and
//! any occurrence of either secret in a URL or body replaced by `<redacted>`.

use std::path::PathBuf;
use std::time::Duration;

use amazon_music_conformance::redact::Redactor;
use amazon_music_conformance::report::{InputError, Report};
use amazon_music_conformance::{Body, Exchange, Outcome, Validator};
use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;
use indicatif::ProgressBar;
use serde_json::{Value, json};

use super::{ReportArgs, emit, load_validator};
use crate::cli::ApiArgs;
use crate::credentials::{Resolved, process_env};
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
    /// Save every exchange as a recording (secrets removed) in this directory.
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

struct Session {
    client: reqwest::blocking::Client,
    base: String,
    key: String,
    token: String,
    redactor: Redactor,
    validator: Validator,
    progress: ProgressBar,
    exchanges: Vec<(Exchange, Outcome)>,
    errors: Vec<InputError>,
}

/// Runs the live validation.
pub fn run(args: &LiveArgs, verbose: bool) -> Result<Status, Failure> {
    let credentials = Resolved::resolve(&args.api, &process_env)?;
    if verbose {
        for line in credentials.describe() {
            note(&line);
        }
    }
    let key = secret("the API key", credentials.require_api_key()?)?;
    let token = secret("the access token", credentials.require_token()?)?;
    let validator = load_validator(&args.report, verbose)?;
    let base = credentials
        .base_url
        .value()
        .trim()
        .trim_end_matches('/')
        .to_owned();
    if base.starts_with("https:") && !cfg!(any(feature = "rustls", feature = "native-tls")) {
        return Err(Failure::usage(format!(
            "{base} needs TLS, which this build leaves out: build with the rustls or \
             native-tls feature"
        )));
    }
    let mut ids = args.ids.clone();
    if let Some(config) = &args.config {
        ids.extend(config_ids(config)?);
    }
    ids.retain(|id| !id.trim().is_empty());
    if let Some(dir) = &args.record {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the HTTP client")?;
    let progress = crate::output::progress(0, "{msg}");
    let mut session = Session {
        client,
        base,
        redactor: Redactor::new([&key, &token]),
        key,
        token,
        validator,
        progress,
        exchanges: Vec::new(),
        errors: Vec::new(),
    };
    session.read_only(&ids);
    if args.allow_writes {
        session.writes(&ids);
    }
    session.progress.finish_and_clear();
    if let Some(dir) = &args.record {
        session.record(dir)?;
    }
    let outcomes = session.exchanges.into_iter().map(|(_, o)| o).collect();
    let report = Report::new(
        session.validator.spec(),
        outcomes,
        session.errors,
        args.report.strict,
    );
    emit(&report, args.report.format)
}

fn secret(name: &str, value: &str) -> Result<String, Failure> {
    let value = value.trim();
    if value.chars().any(|c| !c.is_ascii_graphic()) {
        return Err(Failure::usage(format!(
            "{name} holds characters an HTTP header cannot carry"
        )));
    }
    Ok(value.to_owned())
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

impl Session {
    fn read_only(&mut self, ids: &[String]) {
        self.progress.inc_length(ids.len() as u64 + 5);
        for id in ids {
            self.call("GET", &format!("/albums/{id}"), None);
        }
        if !ids.is_empty() {
            self.call("GET", &format!("/albums?ids={}", ids.join(",")), None);
        }
        self.call("GET", &format!("/albums/{UNKNOWN_ALBUM}"), None);
        let first_page = self.call("GET", "/me/library/albums?limit=10", None);
        let next = first_page
            .as_ref()
            .and_then(|page| page.pointer("/data/user/libraryAlbums/pageInfo/token"))
            .and_then(Value::as_str)
            .map(encode);
        if let Some(token) = next {
            self.progress.inc_length(1);
            self.call(
                "GET",
                &format!("/me/library/albums?limit=10&cursor={token}"),
                None,
            );
        }
        let active = self.call("GET", "/playback/sessions/active", None);
        if let Some((session, entity)) = active.as_ref().and_then(first_entity) {
            self.session_reads(&session, &entity);
        }
    }

    fn session_reads(&mut self, session: &str, entity: &str) {
        self.progress.inc_length(3);
        self.call(
            "GET",
            &format!("/playback/sessions/{session}/current"),
            None,
        );
        self.call(
            "GET",
            &format!("/playback/sessions/{session}/queue?limit=10"),
            None,
        );
        self.call(
            "GET",
            &format!("/playback/sessions/{session}/entities/{entity}"),
            None,
        );
    }

    fn writes(&mut self, ids: &[String]) {
        let Some(id) = ids.first() else {
            self.progress
                .suspend(|| note("no album id given: skipping the mutating operations"));
            return;
        };
        // The library is left as found: an album already saved is removed and saved again.
        let saved = self.in_library(id);
        let (first, second) = if saved {
            ("DELETE", "PUT")
        } else {
            ("PUT", "DELETE")
        };
        self.progress.inc_length(2);
        self.call(first, &format!("/me/library/albums/{id}"), None);
        self.call(second, &format!("/me/library/albums/{id}"), None);

        // A new session of our own; next is undone by previous, and the modes are set to the
        // values a new session starts with.
        self.progress.inc_length(1);
        let created = self.call(
            "POST",
            "/playback/sessions",
            Some(json!({"playParams": {"containerIds": [id]}, "playbackOptions": {"shuffleMode": "SHUFFLE_OFF", "loopMode": "LOOP_OFF"}})),
        );
        let Some((session, entity)) = created.as_ref().and_then(first_entity) else {
            return;
        };
        self.session_reads(&session, &entity);
        self.progress.inc_length(4);
        if self
            .call("GET", &format!("/playback/sessions/{session}/next"), None)
            .is_some()
        {
            self.call(
                "GET",
                &format!("/playback/sessions/{session}/previous"),
                None,
            );
        }
        self.call(
            "PUT",
            &format!("/playback/sessions/{session}/shuffle"),
            Some(json!({"shuffleMode": "SHUFFLE_OFF"})),
        );
        self.call(
            "PUT",
            &format!("/playback/sessions/{session}/loop"),
            Some(json!({"loopMode": "LOOP_OFF"})),
        );
    }

    /// Whether `id` is in the library, looking through its first pages.
    fn in_library(&mut self, id: &str) -> bool {
        let mut cursor: Option<String> = None;
        for _ in 0..10 {
            self.progress.inc_length(1);
            let url = match &cursor {
                Some(c) => format!("/me/library/albums?limit=100&cursor={}", encode(c)),
                None => "/me/library/albums?limit=100".to_owned(),
            };
            let Some(page) = self.call("GET", &url, None) else {
                return false;
            };
            let edges = page
                .pointer("/data/user/libraryAlbums/edges")
                .and_then(Value::as_array);
            if edges
                .into_iter()
                .flatten()
                .any(|e| e.pointer("/node/id").and_then(Value::as_str) == Some(id))
            {
                return true;
            }
            cursor = page
                .pointer("/data/user/libraryAlbums/pageInfo/token")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if cursor.is_none() {
                return false;
            }
        }
        false
    }

    /// Sends one request and validates its response; returns the body of a 2xx JSON answer.
    fn call(&mut self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        self.progress.set_message(format!("{method} {path}"));
        let url = format!("{}{path}", self.base);
        let mut request = self
            .client
            .request(method.parse().ok()?, &url)
            .header("x-api-key", sensitive(&self.key))
            .header(
                reqwest::header::AUTHORIZATION,
                sensitive(&format!("Bearer {}", self.token)),
            );
        if let Some(body) = &body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        let result = request.send().and_then(|response| {
            let status = response.status().as_u16();
            let headers = self.redactor.headers(
                response
                    .headers()
                    .iter()
                    .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))),
            );
            let text = response.text()?;
            Ok((status, headers, text))
        });
        self.progress.inc(1);
        let (status, headers, text) = match result {
            Ok(parts) => parts,
            Err(e) => {
                // reqwest's errors carry the URL, never the headers.
                self.errors.push(InputError {
                    file: format!("{method} {}", self.redact(&url)),
                    message: format!("request failed: {e}"),
                });
                return None;
            }
        };
        let body = if text.is_empty() {
            Body::Empty
        } else {
            match serde_json::from_str(&text) {
                Ok(value) => Body::Json(value),
                Err(_) => Body::NotJson(text),
            }
        };
        // Recordings keep the path under the API, not the host it was served from.
        let base_path = match self.base.find("://") {
            Some(at) => self.base[at + 3..]
                .find('/')
                .map_or("", |p| &self.base[at + 3 + p..]),
            None => "",
        };
        let exchange = Exchange {
            method: method.to_owned(),
            url: self.redact(&format!("{base_path}{path}")),
            status,
            headers,
            body: self.redactor.body(body),
        };
        let source = format!("live #{}", self.exchanges.len() + 1);
        let outcome = self.validator.validate(&exchange, &source);
        let answer = match (&exchange.body, status) {
            (Body::Json(value), 200..=299) => Some(value.clone()),
            (_, 200..=299) => Some(Value::Null),
            _ => None,
        };
        self.exchanges.push((exchange, outcome));
        answer
    }

    fn redact(&self, url: &str) -> String {
        self.redactor.url(url)
    }

    fn record(&self, dir: &std::path::Path) -> anyhow::Result<()> {
        for (i, (exchange, outcome)) in self.exchanges.iter().enumerate() {
            let name = format!(
                "{:02}-{}-{}.json",
                i + 1,
                outcome.operation_id.as_deref().unwrap_or("unmatched"),
                exchange.status
            );
            let mut text =
                serde_json::to_string_pretty(exchange).context("serializing an exchange")?;
            text.push('\n');
            let path = dir.join(name);
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

fn sensitive(value: &str) -> reqwest::header::HeaderValue {
    let mut header = reqwest::header::HeaderValue::from_str(value)
        .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
    header.set_sensitive(true);
    header
}

fn first_entity(body: &Value) -> Option<(String, String)> {
    let entity = body.pointer("/data/entities/0")?;
    Some((
        encode(entity.get("sessionId")?.as_str()?),
        encode(entity.get("entityReferenceId")?.as_str()?),
    ))
}

/// Percent-encodes a value for a path segment or query value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
