//! `amazon-music validate` as a user runs it: real files, real exit codes, and a live run against
//! the mock server on loopback.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("validate-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn amazon_music(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(args)
        .current_dir(workspace())
        .env_remove("AMAZON_MUSIC_API_KEY")
        .env_remove("AMAZON_MUSIC_TOKEN")
        .env_remove("AMAZON_MUSIC_BASE_URL")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

fn album_exchange(album: Value) -> String {
    json!({"method": "GET", "url": "/v1/albums/B1", "status": 200, "body": {"data": {"album": album}}})
        .to_string()
}

#[test]
fn the_recordings_conform() {
    let out = amazon_music(&["validate", "recorded", "spec/recordings"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("0 violations"));
}

#[test]
fn a_violation_exits_1_and_names_the_file() {
    let dir = scratch("violation");
    let file = write(&dir, "bad.json", &album_exchange(json!({"id": 5})));
    let out = amazon_music(&["validate", "recorded", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("FAIL {file}")), "{stdout}");
    assert!(
        stdout.contains("violation at /data/album/id: type"),
        "{stdout}"
    );
}

#[test]
fn an_exchange_matching_no_operation_is_a_violation_not_a_crash() {
    let dir = scratch("unmatched");
    let file = write(
        &dir,
        "x.json",
        r#"{"method": "GET", "url": "https://h/v1/no-such-things/1", "status": 200, "body": {}}"#,
    );
    let out = amazon_music(&["validate", "recorded", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("operation expected a path of the spec"));
}

#[test]
fn drift_passes_unless_strict() {
    let dir = scratch("drift");
    let file = write(
        &dir,
        "drift.json",
        &album_exchange(json!({"id": "B1", "mood": "sunny"})),
    );
    let out = amazon_music(&["validate", "recorded", &file]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("drift at /data/album/mood: unknown field \"mood\""));
    let strict = amazon_music(&["validate", "recorded", "--strict", &file]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn unusable_inputs_exit_2_naming_the_file_and_the_rest_is_still_checked() {
    let dir = scratch("unusable");
    let cases = [
        ("broken.json", "{\"method\": "),
        ("array.json", "[1, 2]"),
        (
            "fields.json",
            r#"{"method": "GET", "url": "/v1/albums/B1"}"#,
        ),
        ("broken.har", "{\"log\": "),
        ("nolog.har", r#"{"entries": []}"#),
        (
            "entry.har",
            r#"{"log": {"entries": [{"request": {"method": "GET"}, "response": {"status": 200}}]}}"#,
        ),
    ];
    let good = write(&dir, "good.json", &album_exchange(json!({"id": "B1"})));
    for (name, contents) in cases {
        let file = write(&dir, name, contents);
        let out = amazon_music(&["validate", "recorded", &file, &good]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&file), "{name}: {stderr}");
        assert!(
            text(&out.stdout).contains(&format!("ok   {good}")),
            "{name}"
        );
    }
    let missing = dir.join("missing.json").display().to_string();
    let out = amazon_music(&["validate", "recorded", &missing]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&missing));
}

#[test]
fn har_entries_under_the_base_path_are_validated() {
    let dir = scratch("har");
    let body = json!({"data": {"album": {"id": "B1"}}}).to_string();
    let har = json!({"log": {"version": "1.2", "entries": [
        {"request": {"method": "GET", "url": "https://cdn.example/app.js"},
         "response": {"status": 200, "content": {"text": "x"}}},
        {"request": {"method": "GET", "url": "https://api.music.amazon.dev/v1/albums/B1"},
         "response": {"status": 200, "content": {"mimeType": "application/json", "text": body}}},
        {"request": {"method": "GET", "url": "https://api.music.amazon.dev/v1/albums/B2"},
         "response": {"status": 200, "content": {"text": "<html>oops</html>"}}}
    ]}});
    let file = write(&dir, "capture.har", &har.to_string());
    let out = amazon_music(&[
        "validate",
        "recorded",
        "--format",
        "json",
        &dir.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let outcomes = report["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2, "the CDN entry is not an API call");
    assert_eq!(outcomes[0]["source"], format!("{file}#entries[1]"));
    assert_eq!(outcomes[0]["violations"], json!([]));
    assert_eq!(outcomes[1]["violations"][0]["keyword"], "content");
    assert_eq!(report["totals"]["failing"], 1);
    assert_eq!(report["exit_code"], 1);
}

#[test]
fn junit_output() {
    let dir = scratch("junit");
    let file = write(&dir, "bad.json", &album_exchange(json!({"id": 5})));
    let out = amazon_music(&["validate", "recorded", "--format", "junit", &file]);
    assert_eq!(out.status.code(), Some(1));
    let xml = text(&out.stdout);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<testcase classname=\"getAlbum\""), "{xml}");
    assert!(
        xml.contains("<failure message=\"1 violations, 0 drift\">"),
        "{xml}"
    );
    let bad_format = amazon_music(&["validate", "recorded", "--format", "yaml", &file]);
    assert_eq!(bad_format.status.code(), Some(2));
}

#[test]
fn live_needs_credentials() {
    let out = amazon_music(&["validate", "live", "--ids", "B0064UPU4G"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("AMAZON_MUSIC_API_KEY"));
    // A key and no token: a sign-in is needed (exit 3), said on one line.
    let out = amazon_music(&["validate", "live", "--api-key", "k", "--ids", "B0064UPU4G"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).starts_with("error: no access token"));
}

/// The credentials and the base URL can come from flags, like every command that calls the API.
#[test]
fn live_takes_its_credentials_from_flags_too() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(amazon_music_mock::MockServer::start(Default::default()))
        .unwrap();
    let base_url = server.base_url();
    let out = amazon_music(&[
        "validate",
        "live",
        "--ids",
        "B0064UPU4G",
        "--base-url",
        &base_url,
        "--api-key",
        "mock-api-key",
        "--token",
        "mock-token",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(server.requests("getAlbum") >= 1);
    runtime.block_on(server.shutdown()).unwrap();
}

/// Runs `validate live` against the mock and returns its output.
fn live_against_mock(extra: &[&str], record: &Path) -> (Output, u64, u64) {
    live_against_mock_with(
        amazon_music_mock::MockConfig::default(),
        ("mock-api-key", "mock-token"),
        extra,
        record,
    )
}

/// Runs `validate live` against a mock configured with `config`, with the credentials `secrets`.
fn live_against_mock_with(
    config: amazon_music_mock::MockConfig,
    (key, token): (&str, &str),
    extra: &[&str],
    record: &Path,
) -> (Output, u64, u64) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(amazon_music_mock::MockServer::start(config))
        .unwrap();
    let record = record.display().to_string();
    let mut args = vec![
        "validate",
        "live",
        "--ids",
        "B0064UPU4G,B00D3PLC1K",
        "--record",
        &record,
    ];
    args.extend_from_slice(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(&args)
        .current_dir(workspace())
        .env("AMAZON_MUSIC_API_KEY", key)
        .env("AMAZON_MUSIC_TOKEN", token)
        .env("AMAZON_MUSIC_BASE_URL", server.base_url())
        .output()
        .unwrap();
    let adds = server.requests("addLibraryAlbum");
    let removes = server.requests("removeLibraryAlbum");
    runtime.block_on(server.shutdown()).unwrap();
    (out, adds, removes)
}

fn recordings(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn live_read_only_against_the_mock() {
    let dir = scratch("live-read");
    let (out, adds, removes) = live_against_mock(&["--format", "json"], &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!((adds, removes), (0, 0), "no write without --allow-writes");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let seen: Vec<(&str, u64)> = report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["operation_id"].as_str().unwrap(),
                o["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(seen.contains(&("getAlbum", 200)), "{seen:?}");
    assert!(seen.contains(&("getAlbum", 404)), "{seen:?}");
    assert!(seen.contains(&("getAlbums", 200)), "{seen:?}");
    assert!(seen.contains(&("getLibraryAlbums", 200)), "{seen:?}");
    assert!(
        seen.contains(&("getActivePlaybackSessions", 200)),
        "{seen:?}"
    );
    let files = recordings(&dir);
    assert_eq!(files.len(), seen.len());
    for (name, contents) in &files {
        assert!(
            !contents.contains("mock-token") && !contents.contains("mock-api-key"),
            "{name}"
        );
        assert!(
            !contents.to_ascii_lowercase().contains("authorization"),
            "{name}"
        );
    }
    assert!(!stdout.contains("mock-token") && !stdout.contains("mock-api-key"));
    // What was recorded validates as recorded traffic.
    let again = amazon_music(&["validate", "recorded", &dir.display().to_string()]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}

#[test]
fn live_writes_are_undone() {
    let dir = scratch("live-write");
    let (out, adds, removes) = live_against_mock(&["--allow-writes"], &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!((adds, removes), (1, 1), "the album added is removed again");
    for op in [
        "createPlaybackSession",
        "getNextPlaybackEntity",
        "setLoopMode",
        "setShuffleMode",
    ] {
        assert!(stdout.contains(&format!("({op})")), "{op}: {stdout}");
    }
}

/// Distinctive secrets, every report format, writes included: neither the key nor the token
/// (nor the header that carries it) reaches a report, a log line or a recording.
#[test]
fn live_reports_and_recordings_carry_no_secret_in_any_format() {
    const KEY: &str = "live-KEY-3f9a1c";
    const TOKEN: &str = "live-TOKEN-b72e44";
    for format in ["human", "json", "junit"] {
        let dir = scratch(&format!("live-secrets-{format}"));
        let config = amazon_music_mock::MockConfig::default().api_key(KEY).token(
            TOKEN,
            "secret-user",
            amazon_music_mock::ALL_SCOPES,
        );
        let (out, adds, _) = live_against_mock_with(
            config,
            (KEY, TOKEN),
            &["--allow-writes", "--format", format],
            &dir,
        );
        let stdout = text(&out.stdout);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stdout}{stderr}");
        assert_eq!(adds, 1, "{format}: the credentials were accepted");
        let files = recordings(&dir);
        assert!(files.len() > 10, "{format}: {} recordings", files.len());
        let mut everything = format!("{stdout}\n{stderr}");
        for (name, contents) in &files {
            everything.push_str(&format!("\n{name}\n{contents}"));
        }
        for secret in [KEY, TOKEN] {
            assert!(!everything.contains(secret), "{format}: {secret} leaked");
        }
        assert!(
            !everything.to_ascii_lowercase().contains("x-api-key"),
            "{format}: a credential header was written"
        );
    }
}

/// An installed binary outside a checkout validates against the spec built into it.
#[test]
fn outside_a_checkout_the_built_in_spec_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.json", &album_exchange(json!({"id": 5})));
    let out = Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(["-v", "validate", "recorded", &file])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("spec: the copy built into this program"));
    assert!(text(&out.stdout).contains("violation at /data/album/id: type"));
}

/// A mock on loopback for one test, with its own runtime; shut down when dropped.
struct Mock {
    runtime: tokio::runtime::Runtime,
    server: Option<amazon_music_mock::MockServer>,
}

impl Mock {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(amazon_music_mock::MockServer::start(Default::default()))
            .unwrap();
        Self {
            runtime,
            server: Some(server),
        }
    }

    fn server(&self) -> &amazon_music_mock::MockServer {
        self.server.as_ref().unwrap()
    }

    /// Requests that reached each operation, those with none left out.
    fn requests(&self) -> std::collections::BTreeMap<String, u64> {
        let server = self.server();
        server
            .state()
            .operation_ids()
            .into_iter()
            .map(|op| (op.to_owned(), server.requests(op)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = self.runtime.block_on(server.shutdown());
        }
    }
}

/// `amazon-music ARGS` with the mock's credentials in the environment.
fn with_mock_credentials(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(args)
        .current_dir(workspace())
        .env("AMAZON_MUSIC_API_KEY", "mock-api-key")
        .env("AMAZON_MUSIC_TOKEN", "mock-token")
        .env_remove("AMAZON_MUSIC_BASE_URL")
        .output()
        .unwrap()
}

/// The API redirects every request to another loopback host: the key and the token stay with
/// the host they were given for, and nothing reaches the other one.
#[test]
fn live_never_follows_a_redirect_to_another_host() {
    use amazon_music_workspace_tests::loopback::hop::Hop;
    const KEY: &str = "live-hop-KEY-0c71";
    const TOKEN: &str = "live-hop-TOKEN-9d2e";
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    for other_ip in ["127.0.0.2", "127.0.0.1"] {
        let (api, elsewhere) = runtime.block_on(async {
            let elsewhere = Hop::start(other_ip, None).await;
            let api = Hop::start("127.0.0.1", Some((307, elsewhere.url()))).await;
            (api, elsewhere)
        });
        let base_url = format!("{}/v1", api.url());
        let out = amazon_music(&[
            "validate",
            "live",
            "--ids",
            "B0064UPU4G",
            "--base-url",
            &base_url,
            "--api-key",
            KEY,
            "--token",
            TOKEN,
            "--format",
            "json",
        ]);
        let stdout = text(&out.stdout);
        assert!(!api.paths().is_empty(), "{other_ip}: nothing was sent");
        assert_eq!(api.headers()[0]["x-api-key"], KEY);
        assert!(
            elsewhere.paths().is_empty(),
            "{other_ip}: the redirect was followed to {:?}",
            elsewhere.paths()
        );
        // The 307s are what the API answered: validated, and not in the spec.
        assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let statuses: Vec<u64> = report["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["status"].as_u64().unwrap())
            .collect();
        assert!(statuses.iter().all(|s| *s == 307), "{statuses:?}");
        for secret in [KEY, TOKEN] {
            assert!(!stdout.contains(secret) && !text(&out.stderr).contains(secret));
        }
    }
}

/// Plain http is refused off loopback unless insisted on with --allow-insecure-http. The
/// client counts an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as off loopback, though it
/// reaches this machine's loopback: nothing leaves the machine either way.
#[test]
fn live_refuses_plain_http_off_loopback_unless_insisted_on() {
    let mock = Mock::start();
    let port = mock.server().addr().port();
    let base_url = format!("http://[::ffff:127.0.0.1]:{port}/v1");
    let args = [
        "validate",
        "live",
        "--ids",
        "B0064UPU4G",
        "--base-url",
        &base_url,
    ];
    let out = with_mock_credentials(&args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("plain http"), "{stderr}");
    assert!(stderr.contains("--allow-insecure-http"), "{stderr}");
    assert!(mock.requests().is_empty(), "{:?}", mock.requests());

    let insisted = with_mock_credentials(&[&args[..], &["--allow-insecure-http"]].concat());
    assert_eq!(
        insisted.status.code(),
        Some(0),
        "{}{}",
        text(&insisted.stdout),
        text(&insisted.stderr)
    );
    assert!(mock.server().requests("getAlbum") >= 1);
}

/// Ids that would change a request's path are reported as input errors naming them and never
/// sent; the others are encoded and reach their own operation only. The writes use the first
/// given id the catalog knows, not the first given.
#[test]
fn live_hostile_ids_are_refused_or_encoded_and_reach_no_other_operation() {
    let mock = Mock::start();
    let base_url = mock.server().base_url();
    let long = "B".repeat(65);
    let ids = format!("../me,a\\b,?x,..,{long},B0064UPU4G");
    let out = with_mock_credentials(&[
        "validate",
        "live",
        "--base-url",
        &base_url,
        "--ids",
        &ids,
        "--allow-writes",
        "--format",
        "json",
    ]);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let refused: Vec<String> = report["input_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["file"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(refused.len(), 4, "{refused:?}");
    for id in ["\"../me\"", "\"a\\\\b\"", "\"..\"", &format!("\"{long}\"")] {
        assert!(
            refused
                .iter()
                .any(|line| line.starts_with("--ids: invalid album id")
                    && line.contains(id)
                    && line.ends_with("; not sent")),
            "{id}: {refused:?}"
        );
        assert!(stderr.contains(id), "{id}: {stderr}");
    }

    let requests = mock.requests();
    // getAlbum: `?x` (encoded), B0064UPU4G, and the unknown album of every run.
    assert_eq!(requests.get("getAlbum"), Some(&3), "{requests:?}");
    assert_eq!(requests.get("getAlbums"), Some(&1), "{requests:?}");
    assert_eq!(requests.get("addLibraryAlbum"), Some(&1), "{requests:?}");
    assert_eq!(requests.get("removeLibraryAlbum"), Some(&1), "{requests:?}");
    // Every request the mock saw reached an operation, and each is in the report: nothing went
    // to a path of no operation.
    let outcomes = report["outcomes"].as_array().unwrap();
    assert_eq!(
        requests.values().sum::<u64>(),
        outcomes.len() as u64,
        "{requests:?}"
    );
    let urls: Vec<&str> = outcomes
        .iter()
        .map(|o| o["url"].as_str().unwrap())
        .collect();
    assert!(urls.contains(&"/v1/albums/%3Fx"), "{urls:?}");
    for outcome in outcomes {
        assert!(outcome["operation_id"].is_string(), "{outcome}");
    }
    for write in ["PUT", "DELETE"] {
        let written: Vec<&str> = outcomes
            .iter()
            .filter(|o| o["method"] == write)
            .filter_map(|o| o["url"].as_str())
            .filter(|url| url.contains("/library/"))
            .collect();
        assert_eq!(written, ["/v1/me/library/albums/B0064UPU4G"], "{write}");
    }
}

/// Recordings hold the user's library and sessions: the directory `--record` creates and every
/// file in it are the owner's only.
#[cfg(unix)]
#[test]
fn live_recordings_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let root = scratch("live-modes");
    let dir = root.join("made").join("here");
    let (out, _, _) = live_against_mock(&[], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    for made in [root.join("made"), dir.clone()] {
        assert_eq!(mode(&made), 0o700, "{}", made.display());
    }
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() > 5, "{files:?}");
    for file in files {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

/// Someone who can write into the record directory plants links to a file of the user's at
/// every name a run of the past would have taken: nothing is written through them, and the
/// run's own recordings are still validated.
#[cfg(unix)]
#[test]
fn live_never_writes_through_a_link_planted_in_the_record_directory() {
    let root = scratch("live-planted");
    let victim = root.join("victim");
    std::fs::write(&victim, "the user's own file").unwrap();
    let dir = root.join("recordings");
    std::fs::create_dir(&dir).unwrap();
    let mut planted = Vec::new();
    for n in 1..=30 {
        for op in [
            "getAlbum",
            "getAlbums",
            "getLibraryAlbums",
            "getActivePlaybackSessions",
        ] {
            for status in [200, 404] {
                let link = dir.join(format!("{n:02}-{op}-{status}.json"));
                std::os::unix::fs::symlink(&victim, &link).unwrap();
                planted.push(link);
            }
        }
    }
    let (out, _, _) = live_against_mock(&["--format", "json"], &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "the user's own file"
    );
    for link in &planted {
        let metadata = std::fs::symlink_metadata(link).unwrap();
        assert!(metadata.is_symlink(), "{}", link.display());
    }
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let outcomes = report["outcomes"].as_array().unwrap().len();
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(files, planted.len() + outcomes);
}
