//! The `amazon-music` binary as a user runs it, against a seeded mock started in this process
//! on `127.0.0.1:0`: every command's human and JSON output (snapshots, base URL redacted), exit
//! codes, and one clear line for every kind of bad input.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use amazon_music_mock::{MockConfig, MockServer};
use assert_cmd::Command;
use serde_json::Value;

/// A mock for one test (its own seeded state, so outputs are deterministic), a runtime to
/// serve it, and a state directory of its own for the remembered session.
struct Mock {
    server: Option<MockServer>,
    runtime: tokio::runtime::Runtime,
    base_url: String,
    state: tempfile::TempDir,
}

impl Mock {
    fn start() -> Self {
        Self::with(MockConfig::default())
    }

    fn with(config: MockConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(MockServer::start(config)).unwrap();
        Self {
            base_url: server.base_url(),
            server: Some(server),
            runtime,
            state: tempfile::tempdir().unwrap(),
        }
    }

    fn requests(&self, operation: &str) -> u64 {
        self.server.as_ref().unwrap().requests(operation)
    }

    /// The binary with a clean environment: no credentials but the ones a test passes, its
    /// own state directory.
    fn bare(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_amazon-music"));
        command
            .env_remove("AMAZON_MUSIC_BASE_URL")
            .env_remove("AMAZON_MUSIC_API_KEY")
            .env_remove("AMAZON_MUSIC_TOKEN")
            // No stored sign-in may stand in for a missing token.
            .env_remove("AMAZON_MUSIC_CLIENT_ID")
            .env_remove("AMAZON_MUSIC_USER")
            .env_remove("AMAZON_MUSIC_LWA_URL")
            .env_remove("NO_COLOR")
            .env("AMAZON_MUSIC_STATE_DIR", self.state.path());
        command
    }

    /// Runs `args` against the mock, the credentials passed as flags.
    fn run(&self, args: &[&str]) -> Run {
        let mut command = self.bare();
        command.args(args).args([
            "--base-url",
            &self.base_url,
            "--api-key",
            "mock-api-key",
            "--token",
            "mock-token",
        ]);
        self.finish(command)
    }

    fn finish(&self, mut command: Command) -> Run {
        let output = command.output().unwrap();
        let run = Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
            base_url: self.base_url.clone(),
        };
        // Nothing here is a terminal: no colour, whatever the command.
        assert!(
            !run.stdout.contains('\x1b') && !run.stderr.contains('\x1b'),
            "ANSI escape in output:\n{}",
            run.render()
        );
        run
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = self.runtime.block_on(server.shutdown());
        }
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    base_url: String,
}

impl Run {
    /// Exit code and both streams, the mock's address replaced by a placeholder.
    fn render(&self) -> String {
        let text = format!(
            "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        redact_ports(&text.replace(&self.base_url, "[BASE_URL]"))
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.render()))
    }

    /// Asserts the exit code and that stderr is exactly one `error:` line containing `needle`.
    fn fails_with_one_line(&self, code: i32, needle: &str) {
        assert_eq!(self.code, Some(code), "{}", self.render());
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", self.render());
        assert!(lines[0].starts_with("error: "), "{}", self.render());
        assert!(lines[0].contains(needle), "{}", self.render());
        assert!(!self.stderr.contains("panicked"), "{}", self.render());
    }
}

/// The `id` of every object of a JSON array.
fn ids_of(albums: &Value) -> Vec<String> {
    albums
        .as_array()
        .unwrap()
        .iter()
        .map(|album| album["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Replaces every loopback port (`127.0.0.1:41234`) by `[PORT]`.
fn redact_ports(text: &str) -> String {
    let marker = "127.0.0.1:";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        rest = &rest[at + marker.len()..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("[PORT]");
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn album_get_prints_a_table_and_json() {
    let mock = Mock::start();
    let human = mock.run(&["album", "get", "B0064UPU4G", "B00D3PLC1K", "B0064UPU4G"]);
    assert_eq!(human.code, Some(0));
    insta::assert_snapshot!("album_get_human", human.render());
    let json = mock.run(&["album", "get", "--json", "B0064UPU4G", "B00D3PLC1K"]);
    assert_eq!(json.code, Some(0));
    insta::assert_snapshot!("album_get_json", json.render());
    assert_eq!(json.json()["albums"][0]["duration_seconds"], 3660);
    assert_eq!(mock.requests("getAlbums"), 2, "one batched request per run");
}

#[test]
fn album_get_of_an_unknown_id_prints_the_others_then_exits_1() {
    let mock = Mock::start();
    let run = mock.run(&["album", "get", "B0064UPU4G", "B0000NOPE0"]);
    insta::assert_snapshot!("album_get_missing", run.render());
    run.fails_with_one_line(1, "RESOURCE_NOT_FOUND: no album has the id B0000NOPE0");
    let json = mock.run(&["album", "get", "--json", "B0000NOPE0"]);
    assert_eq!(json.code, Some(1));
    assert_eq!(json.json()["missing"][0], "B0000NOPE0");
}

#[test]
fn album_get_of_many_ids_is_batched_without_a_progress_bar_off_a_terminal() {
    let mock = Mock::start();
    let ids: Vec<String> = mock.server.as_ref().unwrap().state().album_ids()[..250].to_vec();
    let mut args = vec!["album", "get", "--json"];
    args.extend(ids.iter().map(String::as_str));
    let run = mock.run(&args);
    assert_eq!(run.code, Some(0), "{}", run.render());
    assert_eq!(run.stderr, "", "no progress bar when nobody watches");
    assert_eq!(
        ids_of(&run.json()["albums"]),
        ids,
        "every album, in the order asked"
    );
    assert_eq!(mock.requests("getAlbums"), 3, "100 ids a request");
}

#[test]
fn library_list_in_every_format() {
    let mock = Mock::start();
    let human = mock.run(&["library", "list"]);
    assert_eq!(human.code, Some(0));
    insta::assert_snapshot!("library_list_human", human.render());
    let json = mock.run(&["library", "list", "--json"]);
    insta::assert_snapshot!("library_list_json", json.render());
    let ndjson = mock.run(&["library", "list", "--ndjson"]);
    insta::assert_snapshot!("library_list_ndjson", ndjson.render());
    for line in ndjson.stdout.lines() {
        let album: Value = serde_json::from_str(line).unwrap();
        assert!(album["id"].is_string(), "{line}");
    }
    let limited = mock.run(&["library", "list", "--limit", "1"]);
    insta::assert_snapshot!("library_list_limit", limited.render());
}

#[test]
fn library_list_all_streams_every_page() {
    let mock = Mock::with(
        MockConfig::default().initial_library(
            amazon_music_mock::MockState::new(&MockConfig::default())
                .unwrap()
                .album_ids()
                .into_iter()
                .take(250),
        ),
    );
    let run = mock.run(&["library", "list", "--all", "--ndjson"]);
    assert_eq!(run.code, Some(0), "{}", run.render());
    assert_eq!(run.stdout.lines().count(), 250);
    assert_eq!(run.stderr, "");
    assert_eq!(mock.requests("getLibraryAlbums"), 3);
    let one_page = mock.run(&["library", "list"]);
    assert_eq!(
        one_page.stdout.lines().count(),
        101,
        "a header and one page"
    );
    assert_eq!(
        one_page.stderr,
        "(the first 100 albums; --all lists every one)\n"
    );
}

#[test]
fn library_add_and_remove() {
    let mock = Mock::start();
    let added = mock.run(&["library", "add", "B0064UPU4G", "B00D3PLC1K"]);
    assert_eq!(added.code, Some(0));
    insta::assert_snapshot!("library_add_human", added.render());
    let removed = mock.run(&["library", "remove", "--json", "B0064UPU4G"]);
    assert_eq!(removed.code, Some(0));
    insta::assert_snapshot!("library_remove_json", removed.render());
    let listed = mock.run(&["library", "list", "--json"]);
    assert_eq!(
        ids_of(&listed.json()["albums"]),
        ["B07B62ZK5S", "B06VWVWDDH", "B00D3PLC1K"]
    );
}

/// A session driven by hand: started, remembered, moved, queued, looped, shuffled, reported.
#[test]
fn a_session_driven_by_hand() {
    let mock = Mock::start();
    let mut transcript = String::new();
    let mut step = |args: &[&str]| {
        let run = mock.run(args);
        assert_eq!(run.code, Some(0), "{}", run.render());
        transcript.push_str(&format!(
            "$ amazon-music {}\n{}\n",
            args.join(" "),
            run.render()
        ));
        run
    };
    let started = step(&["play", "--album", "B0064UPU4G", "--json"]);
    let session = started.json()["session_id"].as_str().unwrap().to_owned();
    step(&["session", "current"]);
    step(&["session", "next"]);
    step(&["session", "next", "--json"]);
    step(&["session", "previous"]);
    step(&["session", "queue", "--limit", "3"]);
    step(&["session", "queue", "--limit", "2", "--json"]);
    step(&["session", "queue", "--limit", "2", "--ndjson"]);
    step(&["session", "loop", "all"]);
    step(&["session", "shuffle", "off", "--json"]);
    step(&["session", "report", "started", "--position", "12"]);
    step(&["sessions"]);
    step(&["sessions", "--json"]);
    // --session names the session explicitly and wins over the remembered one.
    step(&["session", "--session", &session, "current", "--json"]);
    insta::assert_snapshot!("session_by_hand", transcript);
    assert_eq!(mock.requests("createPlaybackSession"), 1);
    assert_eq!(mock.requests("getNextPlaybackEntity"), 2);
}

#[test]
fn a_session_is_found_among_the_active_ones_when_not_remembered() {
    let mock = Mock::start();
    let started = mock.run(&["play", "--track", "B0BS2S4WXN", "--json"]);
    let session = started.json()["session_id"].as_str().unwrap().to_owned();
    // Another state directory: this program has never seen the session.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut command = mock.bare();
    command
        .env("AMAZON_MUSIC_STATE_DIR", elsewhere.path())
        .args(["session", "--session", &session, "current", "--json"])
        .args(["--base-url", &mock.base_url])
        .args(["--api-key", "mock-api-key", "--token", "mock-token"]);
    let run = mock.finish(command);
    assert_eq!(run.code, Some(0), "{}", run.render());
    assert_eq!(run.json()["track"]["id"], "B0BS2S4WXN");
    assert_eq!(mock.requests("getActivePlaybackSessions"), 1);
}

#[test]
fn session_errors_are_one_line() {
    let mock = Mock::start();
    mock.run(&["session", "next"])
        .fails_with_one_line(2, "no session: pass --session ID");
    mock.run(&["session", "--session", "no-such-session", "current"])
        .fails_with_one_line(
            1,
            "session \"no-such-session\" is not among the active sessions",
        );
    mock.run(&["session", "--session", "../x", "current"])
        .fails_with_one_line(2, "invalid session id \"../x\"");
    let started = mock.run(&["play", "--track", "B0BS2S4WXN"]);
    assert_eq!(started.code, Some(0), "{}", started.render());
    let end = mock.run(&["session", "next"]);
    insta::assert_snapshot!("session_next_at_the_end", end.render());
    end.fails_with_one_line(1, "NO_MORE_NEXT_ENTITY: ");
    assert_eq!(
        mock.run(&["session", "previous"]).code,
        Some(1),
        "nothing before the first track either"
    );
}

#[test]
fn a_second_stream_conflicts_unless_it_takes_over() {
    let mock = Mock::start();
    let first = mock.run(&["play", "--album", "B0064UPU4G", "--json"]);
    let first = first.json()["session_id"].as_str().unwrap().to_owned();
    assert_eq!(mock.run(&["session", "report", "started"]).code, Some(0));
    mock.run(&["play", "--track", "B0BS2S4WXN"]);
    let conflict = mock.run(&["session", "report", "started"]);
    insta::assert_snapshot!("report_conflict", conflict.render());
    conflict.fails_with_one_line(1, "MAX_CONCURRENCY_REACHED");
    let taken = mock.run(&["session", "report", "started", "--take-over", "--json"]);
    assert_eq!(taken.code, Some(0), "{}", taken.render());
    assert_eq!(taken.json()["event"], "PLAYBACK_STARTED");
    // The first session lost the stream: reporting there now conflicts in turn.
    mock.run(&["session", "--session", &first, "report", "resumed"])
        .fails_with_one_line(1, "MAX_CONCURRENCY_REACHED");
}

#[test]
fn ids_of_an_impossible_shape_are_refused_before_anything_is_sent() {
    let mock = Mock::start();
    for (id, reason) in [
        ("", "it is empty"),
        ("B00 64", "it contains whitespace"),
        ("B00/64", "it contains '/'"),
        ("..", "it contains a dot segment"),
    ] {
        mock.run(&["album", "get", "B0064UPU4G", id])
            .fails_with_one_line(2, &format!("invalid album id {id:?}: {reason}"));
        mock.run(&["library", "add", id])
            .fails_with_one_line(2, "invalid album id");
        mock.run(&["play", "--album", id])
            .fails_with_one_line(2, "invalid album id");
        mock.run(&["track", "get", id])
            .fails_with_one_line(2, &format!("invalid track id {id:?}: {reason}"));
        mock.run(&["artist", "get", "B01EJ9KLA6", id])
            .fails_with_one_line(2, &format!("invalid artist id {id:?}: {reason}"));
        mock.run(&["playlist", "get", id])
            .fails_with_one_line(2, &format!("invalid playlist id {id:?}: {reason}"));
    }
    mock.run(&["play", "--tracks", "B0BS2S4WXN,,B0064UPU4G"])
        .fails_with_one_line(2, "invalid track id \"\": it is empty");
    for operation in [
        "getAlbums",
        "addLibraryAlbum",
        "createPlaybackSession",
        "getTrack",
        "getArtists",
        "getPlaylist",
    ] {
        assert_eq!(mock.requests(operation), 0, "{operation}: nothing sent");
    }
}

#[test]
fn a_missing_or_refused_token_asks_for_a_sign_in() {
    let mock = Mock::start();
    let mut command = mock.bare();
    command.args(["album", "get", "B0064UPU4G"]).args([
        "--base-url",
        &mock.base_url,
        "--api-key",
        "mock-api-key",
    ]);
    let missing = mock.finish(command);
    insta::assert_snapshot!("token_missing", missing.render());
    missing.fails_with_one_line(3, "no access token (hint: ");
    assert_eq!(mock.requests("getAlbums"), 0);

    let mut command = mock.bare();
    command
        .args(["library", "list", "--base-url", &mock.base_url])
        .args(["--api-key", "mock-api-key", "--token", "expired-token"]);
    let refused = mock.finish(command);
    insta::assert_snapshot!("token_refused", refused.render());
    refused.fails_with_one_line(3, "INVALID_ACCESS_TOKEN: ");
    assert!(!refused.stderr.contains("expired-token"));

    let mut command = mock.bare();
    command
        .args(["sessions", "--base-url", &mock.base_url])
        .args(["--token", "mock-token"]);
    mock.finish(command)
        .fails_with_one_line(2, "no API key: pass --api-key or set AMAZON_MUSIC_API_KEY");
}

#[test]
fn an_unreachable_server_is_one_line_and_exit_1() {
    // A port that was free a moment ago and has no listener now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mock = Mock::start();
    let mut command = mock.bare();
    command
        .args(["album", "get", "B0064UPU4G"])
        .args(["--base-url", &format!("http://127.0.0.1:{port}/v1")])
        .args(["--api-key", "mock-api-key", "--token", "mock-token"]);
    let run = mock.finish(command);
    run.fails_with_one_line(1, "getAlbums: cannot reach the API http://127.0.0.1:");
    assert!(!run.stderr.contains("mock-token"));
}

/// Plain http off loopback is refused before anything is sent, with the flag that insists as
/// the hint, and without a user name or password written into the base URL: those may be
/// secrets, and nothing here needs them.
#[test]
fn plain_http_off_loopback_is_refused_without_its_userinfo() {
    let mock = Mock::start();
    let mut command = mock.bare();
    command
        .args(["album", "get", "B0064UPU4G"])
        .args([
            "--base-url",
            "http://someone:pass-WORD-5e2a@music.example/v1",
        ])
        .args(["--api-key", "mock-api-key", "--token", "mock-token"]);
    let run = mock.finish(command);
    run.fails_with_one_line(2, "base URL http://music.example/v1 is plain http");
    assert!(
        run.stderr.contains("--allow-insecure-http"),
        "{}",
        run.render()
    );
    for secret in ["someone", "pass-WORD-5e2a", "mock-token"] {
        assert!(!run.stderr.contains(secret), "{}", run.render());
    }
}

/// An answer above the client's limit (16 MiB) is one line naming the limit, quoting none of
/// the body, and the command hangs up instead of reading the rest.
#[test]
fn an_answer_above_the_limit_is_one_line_and_exit_1() {
    use amazon_music_workspace_tests::loopback::oversize::{Content, FILLER, Framing, Oversize};
    const HUGE: u64 = 64 * 1024 * 1024;
    let mock = Mock::start();
    for framing in [Framing::Declared(1 << 40), Framing::Chunked] {
        let server = mock
            .runtime
            .block_on(Oversize::start(200, framing, Content::Filler(HUGE)));
        let mut command = mock.bare();
        command
            .args(["album", "get", "B0064UPU4G"])
            .args(["--base-url", &server.base_url])
            .args(["--api-key", "mock-api-key", "--token", "mock-token"]);
        let run = mock.finish(command);
        run.fails_with_one_line(
            1,
            "getAlbums: the response body exceeds the limit of 16777216 bytes",
        );
        let filler = String::from_utf8_lossy(FILLER);
        assert!(!run.stderr.contains(filler.trim()), "{}", run.render());
        let sent = mock.runtime.block_on(server.body_bytes_sent());
        assert!(
            sent < HUGE / 2,
            "{framing:?}: the command read on, {sent} bytes sent"
        );
    }
}

#[test]
fn malformed_command_lines_exit_2_saying_why_on_the_first_line() {
    let mock = Mock::start();
    for (args, needle) in [
        (
            &["album", "get", "--bogus", "B0064UPU4G"][..],
            "unexpected argument '--bogus'",
        ),
        (
            &["library", "list", "--limit", "0"],
            "invalid value '0' for '--limit <N>'",
        ),
        (
            &["library", "list", "--all", "--limit", "5"],
            "cannot be used with",
        ),
        (
            &["library", "list", "--json", "--ndjson"],
            "cannot be used with",
        ),
        (
            &["play"],
            "the following required arguments were not provided",
        ),
        (&["session", "loop", "sideways"], "invalid value 'sideways'"),
        (
            &["album", "get"],
            "the following required arguments were not provided",
        ),
        (
            &[
                "album",
                "get",
                "B0064UPU4G",
                "--base-url",
                "ftp://x/v1",
                "--api-key",
                "k",
                "--token",
                "t",
            ],
            "base URL scheme \"ftp\" is not http(s)",
        ),
    ] {
        let run = mock.bare().args(args).output().unwrap();
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{args:?}: {stderr}");
        assert!(first.contains(needle), "{args:?}: {stderr}");
    }
}

/// clap's own usage errors reach the user whole: what is wrong, naming the argument, and the
/// usage line of the command concerned.
#[test]
fn usage_errors_name_the_argument_and_show_the_usage() {
    let mock = Mock::start();
    for (args, says, usage) in [
        (
            &["album", "get"][..],
            "required arguments were not provided",
            Some("Usage: amazon-music album get"),
        ),
        (
            &["albums"],
            "unrecognized subcommand 'albums'",
            Some("Usage: amazon-music"),
        ),
        (
            &["album", "get", "B0064UPU4G", "--timeout", "0"],
            "invalid value '0' for '--timeout <SECONDS>'",
            None,
        ),
    ] {
        let run = mock.bare().args(args).output().unwrap();
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        if let Some(usage) = usage {
            assert!(stderr.contains(usage), "{args:?}: {stderr}");
        }
    }
    // The missing argument is named, not just announced.
    let run = mock.bare().args(["album", "get"]).output().unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    let missing = stderr.lines().nth(1).unwrap_or_default().trim();
    assert!(missing.starts_with("<ID>"), "{stderr}");
}

/// `--timeout` reaches the client, and a timeout's hint names the flag, not the library's
/// builder.
#[test]
fn a_timeout_is_the_flags_and_its_hint_names_the_flag() {
    let mock = Mock::with(MockConfig::default().fault("*:latency=30s".parse().unwrap()));
    let mut command = mock.bare();
    command.args(["album", "get", "B0064UPU4G", "--timeout", "1"]);
    command.args(["--base-url", &mock.base_url, "--api-key", "mock-api-key"]);
    command.args(["--token", "mock-token"]);
    let run = command.output().unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no response within the timeout"),
        "{stderr}"
    );
    assert!(stderr.contains("--timeout"), "{stderr}");
    assert!(!stderr.contains("ClientBuilder"), "{stderr}");
}

#[test]
fn verbose_names_where_each_setting_came_from_never_the_value() {
    let mock = Mock::start();
    let mut command = mock.bare();
    command
        .env("AMAZON_MUSIC_API_KEY", "mock-api-key")
        .env("AMAZON_MUSIC_BASE_URL", &mock.base_url)
        .args(["-v", "sessions", "--token", "mock-token"]);
    let run = mock.finish(command);
    assert_eq!(run.code, Some(0), "{}", run.render());
    assert_eq!(
        run.stderr,
        "base URL: from $AMAZON_MUSIC_BASE_URL\nAPI key: from $AMAZON_MUSIC_API_KEY\naccess token: from --token\n"
    );
}

#[test]
fn no_color_and_pipes_get_no_escape_codes() {
    let mock = Mock::start();
    for args in [
        &["library", "list"][..],
        &["album", "get", "B0000NOPE0"],
        &["--help"],
    ] {
        let mut command = mock.bare();
        command
            .env("NO_COLOR", "1")
            .args(args)
            .args(["--base-url", &mock.base_url])
            .args(["--api-key", "mock-api-key", "--token", "mock-token"]);
        // `finish` asserts that neither stream holds an escape code.
        let run = mock.finish(command);
        assert!(!run.stdout.is_empty() || !run.stderr.is_empty());
    }
}

#[test]
fn help_completions_and_the_manual_page() {
    let mock = Mock::start();
    let help = mock.bare().arg("--help").output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    for needle in [
        "Examples:",
        "amazon-music play --album B0064UPU4G",
        "Exit codes:",
        "3    sign-in needed",
        "130  interrupted",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from\n{help}");
    }
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = mock.bare().args(["completions", shell]).output().unwrap();
        assert_eq!(run.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(run.stdout).unwrap();
        assert!(script.contains("amazon-music"), "{shell}");
        assert!(script.contains("library"), "{shell}: subcommands completed");
    }
    let bad = mock.bare().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let man = mock.bare().arg("man").output().unwrap();
    assert_eq!(man.status.code(), Some(0));
    let roff = String::from_utf8(man.stdout).unwrap();
    assert!(roff.contains(".TH amazon-music 1"), "{roff}");
    assert!(
        roff.contains("Exit codes"),
        "the manual carries the exit codes"
    );
}

/// `amazon-music mock` serves until Ctrl-C, says when it is ready, and shuts down cleanly.
#[cfg(unix)]
#[test]
fn the_mock_command_serves_until_interrupted() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(["mock", "--addr", "127.0.0.1:0", "--seed", "1"])
        .args(["--token", "cli-token", "--api-key", "cli-key"])
        .args(["--lwa-client-id", "cli-client", "--lwa-user", "cli-user"])
        .args(["--token-lifetime", "60", "--auto-approve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base_url = line
        .trim()
        .strip_prefix("mock Amazon Music API listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let listed = Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(["library", "list", "--json", "--base-url", &base_url])
        .args(["--api-key", "cli-key", "--token", "cli-token"])
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(0));
    let listing: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listing["albums"].as_array().unwrap().len(), 2);

    // The sign-in emulator took the flags: its client, an approval without anyone typing the
    // code, tokens of 60 s that the API accepts.
    let root = base_url.trim_end_matches("/v1");
    let http = reqwest::blocking::Client::new();
    let form = |path: &str, body: String| {
        let response = http
            .post(format!("{root}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = serde_json::from_str(&response.text().unwrap()).unwrap();
        (status, body)
    };
    let (status, _) = form(
        "/auth/o2/create/codepair",
        "response_type=device_code&client_id=mock-client-id&scope=music%3A%3Acatalog".into(),
    );
    assert_eq!(status, 400, "only --lwa-client-id is known");
    let (status, pair) = form(
        "/auth/o2/create/codepair",
        "response_type=device_code&client_id=cli-client&scope=music%3A%3Acatalog".into(),
    );
    assert_eq!(status, 200, "{pair}");
    let (status, tokens) = form(
        "/auth/o2/token",
        format!(
            "grant_type=device_code&device_code={}&user_code={}",
            pair["device_code"].as_str().unwrap(),
            pair["user_code"].as_str().unwrap()
        ),
    );
    assert_eq!(status, 200, "approved at once: {tokens}");
    assert_eq!(tokens["expires_in"], 60);
    let album = Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(["album", "get", "B0064UPU4G", "--base-url", &base_url])
        .args(["--api-key", "cli-key"])
        .env(
            "AMAZON_MUSIC_TOKEN",
            tokens["access_token"].as_str().unwrap(),
        )
        .output()
        .unwrap();
    assert_eq!(album.status.code(), Some(0), "{album:?}");

    interrupt(child.id());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a graceful shutdown");
}

/// A title, an artist name and an error message as a hostile or broken server could send
/// them: escape sequences that clear the screen, set the window title and hide a link, a
/// C1 control sequence introducer, a carriage return and a forged table row, a bidi override.
const HOSTILE_TITLE: &str = "Evil\x1b[2J\x1b]0;pwned\x07Title\u{9b}31m\r\nB0FAKEFAKE  Forged";
const HOSTILE_ARTIST: &str = "Art\x1b]8;;https://evil.example\x07ist\u{202e}gnp.exe";
const HOSTILE_MESSAGE: &str = "No\x1b[1A\x1b[2K such\u{9b}2J thing\u{202e}";

/// A loopback server that answers `getAlbums` with an album carrying [`HOSTILE_TITLE`] and
/// [`HOSTILE_ARTIST`], and anything else with an error carrying [`HOSTILE_MESSAGE`]. One
/// request per connection, answered in turn; it lives as long as the test process.
fn hostile_server() -> String {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or_default();
            let (status, body) = if path.starts_with("/v1/albums?") {
                let album = serde_json::json!({"data": {"albums": [{
                    "id": "B0064UPU4G",
                    "title": HOSTILE_TITLE,
                    "artists": [{"id": "B000QJQ9Y6", "name": HOSTILE_ARTIST}],
                    "trackCount": 1,
                }]}});
                ("200 OK", album.to_string())
            } else {
                let error = serde_json::json!({"error": {
                    "status": "400",
                    "code": "BAD_REQUEST",
                    "message": HOSTILE_MESSAGE,
                }});
                ("400 Bad Request", error.to_string())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}/v1")
}

/// Whether `text` holds a character a terminal would act on instead of showing: a control
/// (newlines aside), or a bidi override.
fn drives_a_terminal(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}'))
}

/// What a server sends reaches people without its escape sequences, in a table and in an
/// error line alike, while `--json` keeps every string exactly as sent.
#[test]
fn server_strings_cannot_drive_the_terminal_but_json_keeps_them() {
    let base_url = hostile_server();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_amazon-music"))
            .args(args)
            .args(["--base-url", &base_url, "--api-key", "k", "--token", "t"])
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };

    let (code, table, stderr) = run(&["album", "get", "B0064UPU4G"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!drives_a_terminal(&table), "{table:?}");
    assert_eq!(table.lines().count(), 2, "a header and one row: {table:?}");
    assert!(
        table.contains("Evil") && table.contains("Forged"),
        "{table}"
    );

    let (code, json, stderr) = run(&["album", "get", "--json", "B0064UPU4G"]);
    assert_eq!(code, Some(0), "{stderr}");
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["albums"][0]["title"], HOSTILE_TITLE);
    assert_eq!(json["albums"][0]["artists"][0], HOSTILE_ARTIST);

    let (code, _, stderr) = run(&["library", "list"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!drives_a_terminal(&stderr), "{stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(stderr.contains("thing"), "{stderr}");
}

/// `amazon-music mock --addr ADDR` run until it is ready, then interrupted: its base URL and
/// everything it wrote on stderr.
#[cfg(unix)]
fn mock_command_stderr(addr: &str) -> (String, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(["mock", "--addr", addr])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base_url = line
        .trim()
        .strip_prefix("mock Amazon Music API listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    interrupt(child.id());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "a graceful shutdown");
    (base_url, String::from_utf8(output.stderr).unwrap())
}

/// A mock bound beyond loopback says so on stderr, since anyone who reaches it can use its
/// published credentials; one on loopback does not. (Binding 0.0.0.0 sends nothing anywhere.)
#[cfg(unix)]
#[test]
fn the_mock_command_warns_when_it_listens_beyond_loopback() {
    let (base_url, stderr) = mock_command_stderr("0.0.0.0:0");
    let port = base_url
        .strip_prefix("http://0.0.0.0:")
        .and_then(|rest| rest.strip_suffix("/v1"))
        .unwrap_or_else(|| panic!("unexpected base URL {base_url}"));
    let warning = stderr
        .lines()
        .find(|line| line.contains("beyond loopback"))
        .unwrap_or_else(|| panic!("no warning on stderr: {stderr:?}"));
    assert!(warning.contains("WARN"), "{warning}");
    assert!(warning.contains(&format!("0.0.0.0:{port}")), "{warning}");

    let (_, stderr) = mock_command_stderr("127.0.0.1:0");
    assert!(!stderr.contains("beyond loopback"), "{stderr}");
}

/// Ctrl-C in the middle of a listing: what arrived is printed, then exit 130.
#[cfg(unix)]
#[test]
fn an_interrupted_listing_keeps_what_it_had_and_exits_130() {
    // Pages that take a while, so the listing is still running when the signal comes.
    let config = MockConfig::default()
        .initial_library(
            amazon_music_mock::MockState::new(&MockConfig::default())
                .unwrap()
                .album_ids()
                .into_iter()
                .take(1000),
        )
        .fault("getLibraryAlbums:latency=1s".parse().unwrap());
    let mock = Mock::with(config);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args([
            "library",
            "list",
            "--all",
            "--ndjson",
            "--base-url",
            &mock.base_url,
        ])
        .args(["--api-key", "mock-api-key", "--token", "mock-token"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    interrupt(child.id());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let lines: Vec<&str> = std::iter::once(first.as_str())
        .chain(rest.lines())
        .collect();
    assert!(
        lines.len() >= 100 && lines.len() < 1000,
        "{} lines: at least the first page, not the whole library",
        lines.len()
    );
    for line in &lines {
        let album: Value = serde_json::from_str(line).unwrap();
        assert!(album["id"].is_string());
    }
    assert_eq!(
        stderr,
        format!("interrupted: {} albums so far\n", lines.len())
    );
}

#[cfg(unix)]
fn interrupt(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// `search` finds Discovery's "One More Time" first, in every output mode.
#[test]
fn search_finds_tracks_in_every_format() {
    let mock = Mock::start();
    let json = mock.run(&["search", "one more time", "--json"]);
    assert_eq!(json.code, Some(0), "{}", json.render());
    let first = &json.json()["tracks"][0];
    assert_eq!(first["id"], "B0064UPUDC");
    assert_eq!(first["title"], "One More Time");
    assert_eq!(first["album_id"], "B0064UPU4G");

    let ndjson = mock.run(&["search", "one more time", "--ndjson", "--limit", "2"]);
    assert_eq!(ndjson.code, Some(0), "{}", ndjson.render());
    let lines: Vec<Value> = ndjson
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(!lines.is_empty() && lines.len() <= 2, "{}", ndjson.render());
    assert_eq!(lines[0]["id"], "B0064UPUDC");

    let human = mock.run(&["search", "one more time", "--limit", "1"]);
    assert_eq!(human.code, Some(0), "{}", human.render());
    let mut rows = human.stdout.lines();
    assert!(rows.next().unwrap().starts_with("ID"), "{}", human.render());
    assert!(
        rows.next().unwrap().starts_with("B0064UPUDC"),
        "{}",
        human.render()
    );
}

/// `--field`, `--sort` and `--all` reach the API; `--all` follows every page.
#[test]
fn search_by_field_sorted_across_every_page() {
    let mock = Mock::start();
    let all = mock.run(&[
        "search",
        "--field",
        "artistName=Daft Punk",
        "--sort",
        "name",
        "--all",
        "--json",
    ]);
    assert_eq!(all.code, Some(0), "{}", all.render());
    let tracks = all.json()["tracks"].as_array().unwrap().clone();
    assert!(tracks.len() >= 2, "{}", all.render());
    let titles: Vec<String> = tracks
        .iter()
        .map(|t| t["title"].as_str().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted, "sorted by name");
    let one = mock.run(&[
        "search",
        "--field",
        "artistName=Daft Punk",
        "--limit",
        "1",
        "--json",
    ]);
    assert_eq!(one.json()["tracks"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_searches_are_usage_errors_before_anything_is_sent() {
    let mock = Mock::start();
    for (args, needle) in [
        (
            &["search", "--field", "artist=Daft Punk"][..],
            "no field \"artist\": one of id, asin, albumId, albumName, artistId, artistName",
        ),
        (
            &["search", "x", "--sort", "loudness"],
            "invalid value 'loudness'",
        ),
        (
            &["search", "x", "--limit", "0"],
            "invalid value '0' for '--limit <N>'",
        ),
        (
            &["search", "--json"],
            "the following required arguments were not provided",
        ),
        (
            &["search", "--field", "name=x", "--everything"],
            "cannot be used with",
        ),
        (&["search", "  "], "invalid search query: it is empty"),
    ] {
        let run = mock.run(args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.render());
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(first.starts_with("error: "), "{args:?}: {}", run.render());
        assert!(first.contains(needle), "{args:?}: {}", run.render());
    }
    assert_eq!(
        mock.requests("searchTracks") + mock.requests("searchAll"),
        0
    );
}

#[test]
fn search_everything_groups_what_it_finds() {
    let mock = Mock::start();
    let run = mock.run(&[
        "search",
        "discovery",
        "--everything",
        "--limit",
        "3",
        "--json",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.render());
    let groups = run.json()["groups"].as_array().unwrap().clone();
    assert!(!groups.is_empty(), "{}", run.render());
    for group in groups {
        let entities = group["entities"].as_array().unwrap();
        assert!(entities.len() <= 3);
        assert!(
            entities
                .iter()
                .all(|e| e["type"].is_string() && e["id"].is_string())
        );
    }
    assert_eq!(mock.requests("searchAll"), 1);
}

#[test]
fn track_get_shows_one_track_or_exits_1() {
    let mock = Mock::start();
    let json = mock.run(&["track", "get", "B0064UPUDC", "--json"]);
    assert_eq!(json.code, Some(0), "{}", json.render());
    assert_eq!(json.json()["title"], "One More Time");
    assert_eq!(json.json()["album_id"], "B0064UPU4G");
    let human = mock.run(&["track", "get", "B0064UPUDC"]);
    assert_eq!(human.code, Some(0), "{}", human.render());
    assert!(human.stdout.contains("One More Time"), "{}", human.render());
    mock.run(&["track", "get", "B000000000"])
        .fails_with_one_line(1, "RESOURCE_NOT_FOUND");
    mock.run(&["track", "get", "B00/64"])
        .fails_with_one_line(2, "invalid track id");
}

#[test]
fn artist_get_takes_one_id_or_several() {
    let mock = Mock::start();
    let one = mock.run(&["artist", "get", "B01EJ9KLA6", "--json"]);
    assert_eq!(one.code, Some(0), "{}", one.render());
    assert_eq!(one.json()["artists"][0]["name"], "Tash Sultana");
    let some_missing = mock.run(&["artist", "get", "B01EJ9KLA6", "B0000NOPE0", "--json"]);
    assert_eq!(some_missing.code, Some(1), "{}", some_missing.render());
    assert_eq!(some_missing.json()["artists"][0]["id"], "B01EJ9KLA6");
    assert_eq!(some_missing.json()["missing"][0], "B0000NOPE0");
    mock.run(&["artist", "get", "B0000NOPE0"])
        .fails_with_one_line(1, "RESOURCE_NOT_FOUND: no artist has the id B0000NOPE0");
    assert_eq!(mock.requests("getArtists"), 3, "one batch a run");
}

#[test]
fn playlist_get_and_list() {
    let mock = Mock::start();
    let one = mock.run(&["playlist", "get", "4a5afe86-7316", "--json"]);
    assert_eq!(one.code, Some(0), "{}", one.render());
    assert_eq!(one.json()["title"], "A day of Pink Floyd");
    mock.run(&["playlist", "get", "no-such-playlist"])
        .fails_with_one_line(1, "RESOURCE_NOT_FOUND");
    let all = mock.run(&["playlist", "list", "--all", "--json"]);
    assert_eq!(all.code, Some(0), "{}", all.render());
    let playlists = all.json()["playlists"].as_array().unwrap().len();
    assert!(playlists >= 1, "{}", all.render());
    let first = mock.run(&["playlist", "list", "--limit", "1", "--ndjson"]);
    assert_eq!(first.stdout.lines().count(), 1, "{}", first.render());
}

#[test]
fn me_shows_the_profile_and_me_set_changes_it() {
    let mock = Mock::start();
    let before = mock.run(&["me", "--json"]);
    assert_eq!(before.code, Some(0), "{}", before.render());
    let id = before.json()["id"].clone();
    assert!(id.is_string(), "{}", before.render());
    let set = mock.run(&[
        "me",
        "set",
        "--name",
        "Tony Starked",
        "--visibility",
        "public",
        "--playback-visibility",
        "private",
        "--json",
    ]);
    assert_eq!(set.code, Some(0), "{}", set.render());
    assert_eq!(set.json()["name"], "Tony Starked");
    let after = mock.run(&["me", "--json"]).json();
    assert_eq!(after["name"], "Tony Starked", "the change is kept");
    assert_eq!(after["id"], id);
    let human = mock.run(&["me"]);
    assert!(human.stdout.contains("Tony Starked"), "{}", human.render());
    // All three are needed: the API replaces the profile whole.
    let partial = mock.run(&["me", "set", "--name", "X"]);
    assert_eq!(partial.code, Some(2), "{}", partial.render());
    assert!(
        partial.stderr.contains("--visibility"),
        "{}",
        partial.render()
    );
    let bad = mock.run(&[
        "me",
        "set",
        "--name",
        "X",
        "--visibility",
        "friends",
        "--playback-visibility",
        "public",
    ]);
    assert_eq!(bad.code, Some(2), "{}", bad.render());
    assert!(bad.stderr.contains("friends"), "{}", bad.render());
    mock.run(&[
        "me",
        "set",
        "--name",
        " ",
        "--visibility",
        "public",
        "--playback-visibility",
        "public",
    ])
    .fails_with_one_line(2, "invalid --name: it is empty");
    assert_eq!(mock.requests("updateCurrentUser"), 1);
}

#[test]
fn recent_and_top_tracks_list_in_pages_of_their_own_size() {
    let mock = Mock::start();
    let nothing = mock.run(&["recent", "--json"]);
    assert_eq!(nothing.code, Some(0), "{}", nothing.render());
    assert_eq!(nothing.json()["tracks"], serde_json::json!([]));
    for track in ["B0064UPUDC", "B0BS2S4WXN", "B076YT2CBT", "B0064UPUDC"] {
        let run = mock.run(&["play", "--track", track]);
        assert_eq!(run.code, Some(0), "{}", run.render());
    }
    let recent = mock.run(&["recent", "--json", "--limit", "2"]);
    assert_eq!(recent.code, Some(0), "{}", recent.render());
    let played = recent.json()["tracks"].as_array().unwrap().clone();
    let ids: Vec<&str> = played.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["B0064UPUDC", "B076YT2CBT"],
        "newest first, each track once"
    );
    assert!(played.iter().all(|t| t["played_at"].is_string()));
    let all = mock.run(&["recent", "--ndjson", "--all"]);
    assert_eq!(all.stdout.lines().count(), 3, "{}", all.render());

    let top = mock.run(&["top", "tracks", "--json"]);
    assert_eq!(top.code, Some(0), "{}", top.render());
    let first_page = top.json()["tracks"].as_array().unwrap().len();
    assert!((1..=20).contains(&first_page), "one page of at most 20");
    let all = mock.run(&["top", "tracks", "--all", "--ndjson"]);
    assert_eq!(all.code, Some(0), "{}", all.render());
    assert!(all.stdout.lines().count() >= first_page);
}

#[test]
fn the_new_commands_are_completed() {
    let mock = Mock::start();
    let run = mock.bare().args(["completions", "bash"]).output().unwrap();
    let script = String::from_utf8(run.stdout).unwrap();
    for command in [
        "search", "track", "artist", "playlist", "me", "recent", "top",
    ] {
        // Each subcommand is a case of the script's dispatch on the words typed so far.
        let case = format!("amazon__music,{command})");
        assert!(script.contains(&case), "{command} not completed");
    }
    assert!(
        script.contains("amazon__music__subcmd__top,tracks)"),
        "top tracks not completed"
    );
}
