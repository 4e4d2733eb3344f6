//! `amazon-music docs-check`: the listed pages fetched from a server on loopback (pages written
//! for these tests, in both table layouts and with the markup a site adds), cached, revalidated
//! and read offline; fetch failures; page files given on the command line; and the committed
//! pages rendered from the digest's facts (`amazon_music_workspace_tests::docs_pages`), served
//! unchanged and then edited the ways Amazon edits its pages, against this checkout's digest,
//! ledger and spec. Nothing here reaches beyond 127.0.0.1.

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use amazon_music_workspace_tests::docs_pages::{self, Facts};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docs-check-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn amazon_music(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .arg("docs-check")
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A library-albums page in the current layout: tables with a head of `th` cells.
const ALBUMS: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Albums, a test page</title>
<script>document.write("<h2>Not Content</h2><p>GET</p><p>/nothing</p>");</script></head>
<body><nav><ul><li><a href="#list">Library albums</a></li></ul></nav>
<main>
<h1>Albums (a page written for the tests)</h1>
<h2 id="list">Library albums</h2>
<p><code>GET</code></p>
<p><code>/me/library/albums</code></p>
<p><strong>Authorization Scope:</strong> [music::library::read]</p>
<p>Lists the saved albums, one page per call.</p>
<h3>Query Parameters</h3>
<table>
<thead><tr><th>Name</th><th>Data Type</th><th>Required</th><th>Description</th></tr></thead>
<tbody>
<tr><td><code>limit</code></td><td>integer</td><td>No</td><td>Page size. Minimum of 1, maximum of 100.</td></tr>
<tr><td><code>cursor</code></td><td>string</td><td>No</td><td>Where the next page starts.</td></tr>
</tbody></table>
<h4>Example</h4>
<div class="highlight"><button>Copy</button><pre><code>curl --request GET &#39;&lt;base url&gt;/v1/me/library/albums?limit=2&#39; \
  --header &#39;x-api-key: &lt;key&gt;&#39;</code></pre></div>
</main></body></html>
"##;

/// A playback page in the older layout: tables without a head, the header a row of plain cells.
const PLAYBACK: &str = r##"<html><body><div class="content">
<h2>Set Shuffle</h2>
<p>PUT<br>/v1/playback/sessions/{sessionId}/shuffle</p>
<h3>Path Parameters</h3>
<table><tr><td>Name</td><td>Data Type</td><td>Required</td><td>Description</td></tr>
<tr><td>sessionId</td><td>string</td><td>Yes</td><td>The session.</td></tr></table>
<h3>Request Parameters</h3>
<table><tr><td>Name</td><td>Data Type</td><td>Required</td><td>Description</td></tr>
<tr><td>body.shuffleMode</td><td>string</td><td>Yes</td><td>Turns shuffling on or off. Allowed values are &#39;SHUFFLE_ON&#39; and &#39;SHUFFLE_OFF&#39;.</td></tr></table>
<h2>Get Queue</h2>
<p>GET<br>/v1/playback/sessions/{sessionId}/queue</p>
<h3>Path Parameters</h3>
<table><tr><td>Name</td><td>Data Type</td><td>Required</td><td>Description</td></tr>
<tr><td>sessionId</td><td>string</td><td>Yes</td><td>The session.</td></tr></table>
<h3>Query Parameters</h3>
<table><tr><td>Name</td><td>Data Type</td><td>Required</td><td>Description</td></tr>
<tr><td>cursor</td><td>string</td><td>No</td><td>Where the next page starts.</td></tr></table>
</div></body></html>
"##;

/// What the test server answers on a path.
#[derive(Clone)]
enum Serve {
    /// The page, with its `ETag`; `304` to a request that names it in `If-None-Match`.
    Page { html: String, etag: String },
    /// This status and a short HTML body.
    Status(u16),
    /// Nothing, ever.
    Hang,
    /// JSON instead of HTML.
    Json,
    /// A body of this many bytes, its length declared.
    Declared(usize),
    /// A body of this many bytes in chunks, no length declared.
    Streamed(usize),
}

/// What the server holds and what it was asked.
#[derive(Default)]
struct Served {
    routes: HashMap<String, Serve>,
    /// (path, `If-None-Match`, status answered)
    requests: Vec<(String, Option<String>, u16)>,
}

/// A page server on 127.0.0.1; dropping it stops it.
struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<Served>>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(Mutex::new(Served::default()));
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new()
            .fallback(serve)
            .with_state(state.clone());
        runtime.spawn(async move { axum::serve(listener, app).await });
        Server {
            addr,
            state,
            _runtime: runtime,
        }
    }

    fn set(&self, path: &str, serve: Serve) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.to_owned(), serve);
    }

    fn page(&self, path: &str, html: &str, etag: &str) {
        self.set(
            path,
            Serve::Page {
                html: html.to_owned(),
                etag: etag.to_owned(),
            },
        );
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests so far, and forgets them.
    fn take_requests(&self) -> Vec<(String, Option<String>, u16)> {
        std::mem::take(&mut self.state.lock().unwrap().requests)
    }
}

async fn serve(State(state): State<Arc<Mutex<Served>>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_owned();
    let validator = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let route = state.lock().unwrap().routes.get(&path).cloned();
    let response = match route {
        None => StatusCode::NOT_FOUND.into_response(),
        Some(Serve::Page { html: _, etag }) if validator.as_deref() == Some(etag.as_str()) => {
            (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
        }
        Some(Serve::Page { html, etag }) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                (header::ETAG, etag),
            ],
            html,
        )
            .into_response(),
        Some(Serve::Status(code)) => (
            StatusCode::from_u16(code).unwrap(),
            [(header::CONTENT_TYPE, "text/html")],
            "<p>GET</p><p>/error/page</p>",
        )
            .into_response(),
        Some(Serve::Hang) => std::future::pending().await,
        Some(Serve::Json) => (
            [(header::CONTENT_TYPE, "application/json")],
            "{\"data\": {}}",
        )
            .into_response(),
        Some(Serve::Declared(len)) => {
            ([(header::CONTENT_TYPE, "text/html")], vec![b' '; len]).into_response()
        }
        Some(Serve::Streamed(len)) => {
            const CHUNK: usize = 64 * 1024;
            let chunks = (0..len.div_ceil(CHUNK)).map(move |i| {
                let size = CHUNK.min(len - i * CHUNK);
                Ok::<_, std::convert::Infallible>(Bytes::from(vec![b' '; size]))
            });
            (
                [(header::CONTENT_TYPE, "text/html")],
                Body::from_stream(futures_util::stream::iter(chunks)),
            )
                .into_response()
        }
    };
    state
        .lock()
        .unwrap()
        .requests
        .push((path, validator, response.status().as_u16()));
    response
}

/// A list of pages, name → URL, written to `dir`.
fn list(dir: &Path, pages: &[(&str, String)]) -> PathBuf {
    let mut text = "pages:\n".to_owned();
    for (name, url) in pages {
        text.push_str(&format!("  {name}: {url}\n"));
    }
    let path = dir.join("pages.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn empty_ledger(dir: &Path) -> PathBuf {
    let path = dir.join("ledger.yaml");
    std::fs::write(&path, "corrections: []\n").unwrap();
    path
}

/// `docs-check` on the list `pages`, caching in `dir/cache`, with an empty ledger and the
/// digest `dir/digest.yaml`.
fn check_listed(dir: &Path, pages: &Path, extra: &[&str]) -> Output {
    let (cache, digest, ledger) = (
        dir.join("cache"),
        dir.join("digest.yaml"),
        dir.join("ledger.yaml"),
    );
    if !ledger.exists() {
        empty_ledger(dir);
    }
    let mut args = vec![
        "--pages",
        pages.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
        "--digest",
        digest.to_str().unwrap(),
        "--ledger",
        ledger.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    amazon_music(&args)
}

/// The lines of a report that state facts and findings (not where the pages came from).
fn findings(report: &str) -> Vec<&str> {
    report.lines().filter(|l| !l.starts_with("== ")).collect()
}

#[test]
fn listed_pages_are_fetched_cached_revalidated_and_read_offline() {
    let dir = scratch("fetch");
    let server = Server::start();
    server.page("/albums.html", ALBUMS, "\"a1\"");
    server.page("/playback.html", PLAYBACK, "\"p1\"");
    let pages = list(
        &dir,
        &[
            ("albums-v1", server.url("/albums.html")),
            ("playback-v1", server.url("/playback.html")),
        ],
    );

    // First run: both pages fetched (no validator to send), cached, and their facts written.
    let first = check_listed(&dir, &pages, &["--update-digest"]);
    let report = stdout(&first);
    assert_eq!(first.status.code(), Some(1), "{report}{}", stderr(&first));
    for (name, path) in [
        ("albums-v1", "/albums.html"),
        ("playback-v1", "/playback.html"),
    ] {
        assert!(
            report.contains(&format!("== {name} ({}, fetched) (", server.url(path))),
            "{report}"
        );
    }
    let mut requests = server.take_requests();
    requests.sort();
    assert_eq!(
        requests,
        [
            ("/albums.html".to_owned(), None, 200),
            ("/playback.html".to_owned(), None, 200)
        ]
    );
    let digest = std::fs::read_to_string(dir.join("digest.yaml")).unwrap();
    for fact in [
        "  albums-v1:\n  - GET /me/library/albums\n  - GET /me/library/albums scope music::library::read\n",
        "  - GET /me/library/albums query limit max=100\n",
        "  - GET /me/library/albums example-request GET /me/library/albums?limit=2\n",
        "  - PUT /playback/sessions/{sessionId}/shuffle body shuffleMode values=SHUFFLE_ON,SHUFFLE_OFF\n",
        "  - GET /playback/sessions/{sessionId}/queue query cursor type=string\n",
    ] {
        assert!(digest.contains(fact), "missing {fact:?} in\n{digest}");
    }
    assert!(
        !digest.contains("Not Content") && !digest.contains("/nothing"),
        "{digest}"
    );
    let cache = dir.join("cache");
    assert_eq!(
        std::fs::read_to_string(cache.join("albums-v1.html")).unwrap(),
        ALBUMS
    );
    assert!(
        std::fs::read_to_string(cache.join("playback-v1.meta.json"))
            .unwrap()
            .contains(r#""etag": "\"p1\"""#)
    );

    // Second run: each request carries the cached copy's ETag, the server answers 304, and
    // the cached copy gives the same facts, unchanged since the digest.
    let second = check_listed(&dir, &pages, &[]);
    let again = stdout(&second);
    assert_eq!(second.status.code(), Some(1), "{again}{}", stderr(&second));
    let mut requests = server.take_requests();
    requests.sort();
    assert_eq!(
        requests,
        [
            ("/albums.html".to_owned(), Some("\"a1\"".to_owned()), 304),
            ("/playback.html".to_owned(), Some("\"p1\"".to_owned()), 304)
        ]
    );
    assert_eq!(
        again
            .matches(", not modified since the cached copy) (")
            .count(),
        2,
        "{again}"
    );
    assert_eq!(
        again.matches("facts unchanged since the digest").count(),
        2,
        "{again}"
    );

    // Offline, with the server gone: the cached copies, the same findings.
    drop(server);
    let offline = check_listed(&dir, &pages, &["--offline"]);
    let text = stdout(&offline);
    assert_eq!(offline.status.code(), Some(1), "{text}{}", stderr(&offline));
    assert_eq!(
        text.matches(", the cached copy, offline) (").count(),
        2,
        "{text}"
    );
    assert_eq!(findings(&text), findings(&again));
}

#[test]
fn offline_with_nothing_cached_is_exit_2_naming_each_page_and_the_cache() {
    let dir = scratch("offline-empty");
    empty_ledger(&dir);
    // Port 9 (discard): were anything sent, it would fail differently.
    let pages = list(
        &dir,
        &[("albums-v1", "http://127.0.0.1:9/albums.html".into())],
    );
    let out = check_listed(&dir, &pages, &["--offline"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let cache = dir.join("cache");
    assert_eq!(
        stderr(&out),
        format!(
            "error: page albums-v1 (http://127.0.0.1:9/albums.html): not in the cache {} (run \
             without --offline to fetch it)\n",
            cache.display()
        )
    );
}

/// Every way a fetch can fail is exit 2 with one line naming the page and saying what went
/// wrong; the copy cached by an earlier run is not used instead.
#[test]
fn fetch_failures_are_exit_2_one_line_per_page_never_the_cached_copy() {
    let dir = scratch("failures");
    let server = Server::start();
    server.page("/albums.html", ALBUMS, "\"a1\"");
    let pages = list(&dir, &[("albums-v1", server.url("/albums.html"))]);
    let out = check_listed(&dir, &pages, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(dir.join("cache/albums-v1.html").is_file());

    const LIMIT: usize = 4 * 1024 * 1024;
    server.set("/albums.html", Serve::Status(500));
    server.set("/hang.html", Serve::Hang);
    server.set("/json.html", Serve::Json);
    server.set("/declared.html", Serve::Declared(LIMIT + 1));
    server.set("/streamed.html", Serve::Streamed(LIMIT + 1));
    let failing = [
        (
            "albums-v1",
            "/albums.html",
            "answered 500 Internal Server Error",
        ),
        ("gone", "/gone.html", "answered 404 Not Found"),
        (
            "hang",
            "/hang.html",
            "no complete answer within 1 s (--timeout)",
        ),
        (
            "json",
            "/json.html",
            "answered \"application/json\", not HTML",
        ),
        (
            "declared",
            "/declared.html",
            "answered more than the limit of 4194304 bytes",
        ),
        (
            "streamed",
            "/streamed.html",
            "answered more than the limit of 4194304 bytes",
        ),
    ];
    let pages = list(
        &dir,
        &failing
            .iter()
            .map(|(name, path, _)| (*name, server.url(path)))
            .collect::<Vec<_>>(),
    );
    let out = check_listed(&dir, &pages, &["--timeout", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let errors = stderr(&out);
    assert_eq!(errors.lines().count(), failing.len(), "{errors}");
    for (name, path, why) in failing {
        let line = format!("error: page {name} ({}): {why}\n", server.url(path));
        assert!(errors.contains(&line), "missing {line:?} in\n{errors}");
    }
    assert!(!stdout(&out).contains("== "), "{}", stdout(&out));
    // A body just within the limit is read.
    server.set("/declared.html", Serve::Declared(LIMIT));
    let pages = list(&dir, &[("declared", server.url("/declared.html"))]);
    let out = check_listed(&dir, &pages, &[]);
    assert_eq!(out.status.code(), Some(2));
    let parsed = format!(
        "error: declared ({}, fetched):1: no endpoint heading",
        server.url("/declared.html")
    );
    assert!(stderr(&out).starts_with(&parsed), "{}", stderr(&out));
}

/// An https page is fetched over TLS: the server is sent a TLS handshake. (It answers in plain
/// HTTP, which the client refuses: exit 2 naming the page.)
#[test]
fn an_https_page_is_fetched_over_tls() {
    use std::io::{Read as _, Write as _};
    let dir = scratch("tls");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let url = format!("https://{addr}/albums.html");
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut first = [0u8; 3];
        stream.read_exact(&mut first).unwrap();
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        first
    });
    let pages = list(&dir, &[("tls", url.clone())]);
    let out = check_listed(&dir, &pages, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).starts_with(&format!("error: page tls ({url}): cannot connect: ")),
        "{}",
        stderr(&out)
    );
    // Had the command not connected, this connection ends the server's wait (and the test).
    if let Ok(mut stream) = std::net::TcpStream::connect(addr) {
        let _ = stream.write_all(b"not");
    }
    // A TLS record of type handshake (22), version 3.x.
    let first = server.join().unwrap();
    assert_eq!(&first[..2], &[22, 3], "{first:?}");
}

/// `--help` names every page it checks by default, with its URL.
#[test]
fn the_help_names_the_urls_it_checks() {
    let list = std::fs::read_to_string(workspace().join("spec/docs-pages.yaml")).unwrap();
    let urls: Vec<&str> = list
        .lines()
        .filter_map(|line| line.split_once("https://").map(|(_, rest)| rest.trim()))
        .collect();
    assert!(!urls.is_empty(), "{list}");
    let help = stdout(&amazon_music(&["--help"]));
    for url in urls {
        assert!(
            help.contains(&format!("https://{url}")),
            "{url} missing in\n{help}"
        );
    }
}

/// An HTML file named on the command line is converted as a fetched page is.
#[test]
fn an_html_file_reads_as_the_same_page_fetched() {
    let dir = scratch("html-file");
    let server = Server::start();
    server.page("/albums.html", ALBUMS, "\"a1\"");
    let pages = list(&dir, &[("albums-v1", server.url("/albums.html"))]);
    let out = check_listed(&dir, &pages, &["--update-digest"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let fetched = std::fs::read_to_string(dir.join("digest.yaml")).unwrap();

    let file = dir.join("albums-v1.html");
    std::fs::write(&file, ALBUMS).unwrap();
    let digest = dir.join("from-file.yaml");
    let ledger = dir.join("ledger.yaml");
    let out = amazon_music(&[
        file.to_str().unwrap(),
        "--digest",
        digest.to_str().unwrap(),
        "--ledger",
        ledger.to_str().unwrap(),
        "--update-digest",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("== {} (as text) (", file.display())),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&digest).unwrap(), fetched);
}

/// Without `--pages` the list is the checkout's `spec/docs-pages.yaml`, whose names are the
/// digest's; its copy built into the command is the same file.
#[test]
fn the_default_list_is_the_committed_one() {
    let committed = std::fs::read_to_string(workspace().join("spec/docs-pages.yaml")).unwrap();
    let built_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands/docs_check/docs-pages.yaml"),
    )
    .unwrap();
    assert_eq!(
        built_in, committed,
        "the built-in list differs from spec/docs-pages.yaml"
    );

    // Offline with an empty cache: nothing is fetched, and each listed page is named.
    let dir = scratch("default-list");
    let cache = dir.join("cache");
    let out = amazon_music(&["--offline", "--cache-dir", cache.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let errors = stderr(&out);
    let digest = std::fs::read_to_string(workspace().join("spec/docs-facts.yaml")).unwrap();
    let mut names = 0;
    for line in committed.lines().skip_while(|l| *l != "pages:").skip(1) {
        let (name, url) = line.trim().split_once(": ").unwrap();
        assert!(
            errors.contains(&format!(
                "error: page {name} ({url}): not in the cache {}",
                cache.display()
            )),
            "{errors}"
        );
        assert!(
            digest.contains(&format!("\n  {name}:\n")),
            "{name} is not in the digest"
        );
        names += 1;
    }
    assert_eq!(names, 2);
    assert_eq!(errors.lines().count(), names, "{errors}");
}

/// A page in the pipe layout and one in the space-separated layout, with their own ledger and
/// digest.
#[test]
fn small_pages_in_both_layouts() {
    let dir = scratch("small");
    let pipe = dir.join("pipe.txt");
    std::fs::write(
        &pipe,
        "Albums\nGet Several Albums\nGET\n/albums\nAuthorization Scope: [music::catalog]\nQuery Parameters\n\
         Name | Data Type | Required | Description |\n---|---|---|---|\n\
         ids | string | Yes | A comma-separated list of ids. There is a maximum limit of 20 IDs. |\n\
         Example\ncurl --request GET <base url>/v1/albums?ids=B1,B2\n",
    )
    .unwrap();
    let space = dir.join("space.txt");
    std::fs::write(
        &space,
        "Set Loop\n\nPUT\n/v1/playback/sessions/{sessionId}/loop\n\nPath Parameters\n\n\
         Name Data Type Required Description\nsessionId string Yes The session.\n\n\
         Request Parameters\n\nName Data Type Required Description\n\
         body.loopMode string No Allowed values are 'LOOP_ONE' and 'LOOP_OFF'\n\nResponses\n\nHTTP status 200 on success.\n",
    )
    .unwrap();
    let digest = dir.join("digest.yaml");
    let empty_ledger = dir.join("empty-ledger.yaml");
    std::fs::write(&empty_ledger, "corrections: []\n").unwrap();
    let (p, s, d, l) = (
        pipe.to_str().unwrap(),
        space.to_str().unwrap(),
        digest.to_str().unwrap(),
        empty_ledger.to_str().unwrap(),
    );
    let out = amazon_music(&[p, s, "--digest", d, "--ledger", l]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let unexplained = [
        "GET /albums query ids type=string",
        "GET /albums query ids max-items=20",
        "PUT /playback/sessions/{sessionId}/loop body loopMode required=false",
        "PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_OFF",
    ];
    for fact in unexplained {
        assert!(
            text.contains(&format!("  {fact}\n")),
            "missing {fact:?} in\n{text}"
        );
    }
    assert_eq!(
        text.matches("      spec: ").count(),
        unexplained.len(),
        "{text}"
    );

    // A ledger that explains them, and a digest written after review: all clear.
    let ledger = dir.join("ledger.yaml");
    let facts: Vec<String> = unexplained.iter().map(|f| format!("{f:?}")).collect();
    std::fs::write(
        &ledger,
        format!(
            "corrections:\n  - id: test\n    facts: [{}]\n",
            facts.join(", ")
        ),
    )
    .unwrap();
    let ledger = ledger.to_str().unwrap();
    let out = amazon_music(&[p, s, "--digest", d, "--ledger", ledger, "--update-digest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let written = std::fs::read_to_string(&digest).unwrap();
    assert!(
        written.contains("  pipe:\n  - GET /albums\n  - GET /albums scope music::catalog\n"),
        "{written}"
    );
    assert!(
        written.contains(
            "  - PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_OFF\n"
        ),
        "{written}"
    );
    let out = amazon_music(&[p, s, "--digest", d, "--ledger", ledger]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out)
            .matches("facts unchanged since the digest")
            .count(),
        2
    );

    // A ledger fact that no difference produces any more is pointed out.
    std::fs::write(
        dir.join("stale.yaml"),
        format!("corrections:\n  - id: old\n    facts: [\"GET /albums query ids required=false\", {}]\n", facts.join(", ")),
    )
    .unwrap();
    let out = amazon_music(&[
        p,
        s,
        "--digest",
        d,
        "--ledger",
        dir.join("stale.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out)
            .contains("warning: ledger entry old lists \"GET /albums query ids required=false\"")
    );
}

#[test]
fn unusable_pages_exit_2_naming_the_file() {
    let dir = scratch("unusable");
    let prose = dir.join("prose.txt");
    std::fs::write(&prose, "Nothing but prose here.\n").unwrap();
    let out = amazon_music(&[prose.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:1: no endpoint heading", prose.display())),
        "{stderr}"
    );

    let bad_row = dir.join("row.txt");
    std::fs::write(&bad_row, "T\nGET\n/albums\nQuery Parameters\nName | Data Type | Required | Description |\n---|---|---|---|\nids | string | Perhaps | x |\n").unwrap();
    let out = amazon_music(&[bad_row.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{}:7:", bad_row.display())));

    let missing = dir.join("missing.txt");
    let out = amazon_music(&[missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&missing.display().to_string()));
}

/// As an installed binary runs it, outside any checkout: the ledger is named on the command
/// line and the spec is the built-in one; without a ledger it says, on one line, what to pass,
/// before fetching anything.
#[test]
fn outside_a_checkout_the_ledger_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_amazon-music"))
            .arg("docs-check")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let stderr = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pass --ledger FILE"),
        "{}",
        stderr(&out)
    );

    let page = dir.path().join("pipe.txt");
    std::fs::write(
        &page,
        "Albums\nGet Several Albums\nGET\n/albums\nAuthorization Scope: [music::catalog]\n",
    )
    .unwrap();
    let page = page.to_str().unwrap();
    let out = run(&[page]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("pass --ledger FILE"),
        "{}",
        stderr(&out)
    );

    let ledger = dir.path().join("ledger.yaml");
    std::fs::write(&ledger, "corrections: []\n").unwrap();
    let out = run(&["-v", page, "--ledger", ledger.to_str().unwrap()]);
    let text = stdout(&out);
    // The page leaves out the spec's `ids` parameter, and the empty ledger explains nothing.
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("note: no digest given (--digest)"), "{text}");
    assert!(
        text.contains("  GET /albums query ids absent\n      spec: the spec has this parameter"),
        "{text}"
    );
    assert!(stderr(&out).contains("spec: the copy built into this program"));

    // Without pages, the list built into the command (offline here: nothing is fetched).
    let cache = dir.path().join("cache");
    let out = run(&[
        "--offline",
        "--cache-dir",
        cache.to_str().unwrap(),
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "error: page playback-v1 (https://developer.amazon.com/docs/music/API_playback_sessions.html): not in the cache"
        ),
        "{}",
        stderr(&out)
    );
}

// Pages rendered from the committed digest's facts, served on loopback: unchanged they are
// what the digest, the ledger and the spec of this checkout describe; each edit Amazon makes
// to a page is made on its facts, the page rendered again, and docs-check names exactly it.

/// The committed pages rendered from their facts, on a server on loopback, in a list.
struct Rendered {
    dir: PathBuf,
    server: Server,
    pages: PathBuf,
}

/// Every page of the committed digest, rendered unchanged; `name` names the scratch dir.
fn rendered(name: &str) -> Rendered {
    let dir = scratch(name);
    let server = Server::start();
    let digest = docs_pages::committed_digest();
    let mut listed = Vec::new();
    for page in digest.pages.keys() {
        let path = format!("/{page}.html");
        server.page(&path, &Facts::committed(page).render(page), "\"v1\"");
        listed.push((page.as_str(), server.url(&path)));
    }
    let pages = list(&dir, &listed);
    Rendered { dir, server, pages }
}

impl Rendered {
    /// Serves `facts` as the page `page`, under a new ETag.
    fn serve(&self, page: &str, facts: &Facts) {
        let path = format!("/{page}.html");
        self.server.page(&path, &facts.render(page), "\"v2\"");
    }

    /// docs-check against this checkout's digest, ledger and spec (never written to).
    fn check(&self) -> (Option<i32>, Findings, String) {
        let (digest, ledger) = (
            workspace().join("spec/docs-facts.yaml"),
            workspace().join("spec/corrections.yaml"),
        );
        let cache = self.dir.join("cache");
        let out = amazon_music(&[
            "--pages",
            self.pages.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
            "--digest",
            digest.to_str().unwrap(),
            "--ledger",
            ledger.to_str().unwrap(),
        ]);
        let report = stdout(&out);
        assert!(
            !report.contains(", not modified since the cached copy)"),
            "a page was not fetched afresh:\n{report}"
        );
        let report = format!("{report}{}", stderr(&out));
        (out.status.code(), Findings::read(&report), report)
    }
}

/// What a report finds: facts added and removed since the digest, differences from the spec
/// no ledger entry explains (fact, what the spec says), and warnings.
#[derive(Debug, Default, PartialEq)]
struct Findings {
    added: BTreeSet<String>,
    removed: BTreeSet<String>,
    unexplained: BTreeSet<(String, String)>,
    warnings: Vec<String>,
}

impl Findings {
    fn read(report: &str) -> Self {
        let mut found = Findings::default();
        let mut fact: Option<&str> = None;
        for line in report.lines() {
            if let Some(added) = line.strip_prefix("  + ") {
                found.added.insert(added.to_owned());
            } else if let Some(removed) = line.strip_prefix("  - ") {
                found.removed.insert(removed.to_owned());
            } else if let Some(says) = line.strip_prefix("      spec: ") {
                let fact = fact.take().expect("a difference names its fact first");
                found.unexplained.insert((fact.to_owned(), says.to_owned()));
            } else if let Some(difference) = line.strip_prefix("  ") {
                fact = Some(difference);
            } else if line.starts_with("warning: ") || line.starts_with("error: ") {
                found.warnings.push(line.to_owned());
            }
        }
        found
    }
}

/// The facts of `page` in the committed digest, edited by `edit`.
fn edit(page: &str, edit: impl FnOnce(&mut Facts)) -> (&str, Facts) {
    let mut facts = Facts::committed(page);
    edit(&mut facts);
    (page, facts)
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    items.into_iter().map(str::to_owned).collect()
}

fn unexplained<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeSet<(String, String)> {
    items
        .into_iter()
        .map(|(fact, says)| (fact.to_owned(), says.to_owned()))
        .collect()
}

/// The pages as the digest has them: nothing changed, every difference from the spec
/// explained by the ledger, exit 0.
#[test]
fn the_digest_rendered_and_served_unchanged_finds_nothing() {
    let pages = rendered("rendered-unchanged");
    let (code, found, report) = pages.check();
    assert_eq!(found, Findings::default(), "{report}");
    assert_eq!(
        report.matches("facts unchanged since the digest").count(),
        docs_pages::committed_digest().pages.len(),
        "{report}"
    );
    assert_eq!(code, Some(0), "{report}");
}

/// Serves the committed pages with `page` rendered from `facts` instead (its committed facts
/// edited), and checks them: exit 1, and exactly `added` and `removed` since the digest and
/// `differences` from the spec (fact, what the spec says) that the ledger does not explain.
fn edited(
    name: &str,
    (page, facts): (&str, Facts),
    added: BTreeSet<String>,
    removed: BTreeSet<String>,
    differences: BTreeSet<(String, String)>,
) {
    let pages = rendered(name);
    pages.serve(page, &facts);
    let (code, found, report) = pages.check();
    assert_eq!(
        found,
        Findings {
            added,
            removed,
            unexplained: differences,
            warnings: Vec::new(),
        },
        "{report}"
    );
    assert_eq!(code, Some(1), "{report}");
}

#[test]
fn a_changed_limit_is_named() {
    let (old, new) = (
        "GET /me/library/albums query limit max=100",
        "GET /me/library/albums query limit max=50",
    );
    edited(
        "rendered-limit",
        edit("albums-v1", |facts| {
            facts.replace(old, new);
        }),
        strings([new]),
        strings([old]),
        unexplained([(new, "max=100")]),
    );
}

#[test]
fn an_added_parameter_is_named() {
    let added = [
        "GET /albums query market",
        "GET /albums query market type=string",
        "GET /albums query market required=false",
    ];
    edited(
        "rendered-added-parameter",
        edit("albums-v1", |facts| {
            facts.add(&added);
        }),
        strings(added),
        strings([]),
        unexplained([("GET /albums query market", "no such parameter")]),
    );
}

#[test]
fn a_removed_parameter_is_named() {
    edited(
        "rendered-removed-parameter",
        edit("playback-v1", |facts| {
            let removed = facts.remove("GET /playback/sessions/{sessionId}/queue query cursor");
            assert_eq!(removed.len(), 3, "{removed:?}");
        }),
        strings([]),
        strings([
            "GET /playback/sessions/{sessionId}/queue query cursor",
            "GET /playback/sessions/{sessionId}/queue query cursor type=string",
            "GET /playback/sessions/{sessionId}/queue query cursor required=false",
        ]),
        unexplained([(
            "GET /playback/sessions/{sessionId}/queue query cursor absent",
            "the spec has this parameter",
        )]),
    );
}

#[test]
fn a_changed_method_is_named() {
    let (from, to) = (
        "PUT /me/library/albums/{id}",
        "POST /me/library/albums/{id}",
    );
    let of = |facts: &Facts, endpoint: &str| -> BTreeSet<String> {
        let prefix = format!("{endpoint} ");
        let facts: BTreeSet<String> = (facts.0.iter())
            .filter(|f| *f == endpoint || f.starts_with(&prefix))
            .cloned()
            .collect();
        assert_eq!(facts.len(), 13, "{facts:?}");
        facts
    };
    let before = of(&Facts::committed("albums-v1"), from);
    let (page, facts) = edit("albums-v1", |facts| {
        facts.move_endpoint(from, to);
        facts.replace(
            "POST /me/library/albums/{id} example-request PUT /me/library/albums/B0101GQZGA",
            "POST /me/library/albums/{id} example-request POST /me/library/albums/B0101GQZGA",
        );
    });
    let after = of(&facts, to);
    edited(
        "rendered-method",
        (page, facts),
        after,
        before,
        unexplained([(
            to,
            "no such operation; the path has PUT /me/library/albums/{id}, DELETE /me/library/albums/{id}",
        )]),
    );
}

#[test]
fn a_changed_scope_is_named() {
    let (old, new) = (
        "GET /albums scope music::catalog",
        "GET /albums scope music::library::read",
    );
    edited(
        "rendered-scope",
        edit("albums-v1", |facts| {
            facts.replace(old, new);
        }),
        strings([new]),
        strings([old]),
        unexplained([
            (new, "scopes are music::catalog"),
            (
                "GET /albums scope music::catalog absent",
                "the operation requires it",
            ),
        ]),
    );
}

#[test]
fn a_new_operation_is_named() {
    let added = [
        "DELETE /playback/sessions/{sessionId}",
        "DELETE /playback/sessions/{sessionId} path sessionId",
        "DELETE /playback/sessions/{sessionId} path sessionId type=string",
        "DELETE /playback/sessions/{sessionId} path sessionId required=true",
    ];
    edited(
        "rendered-new-operation",
        edit("playback-v1", |facts| {
            facts.add(&added);
        }),
        strings(added),
        strings([]),
        unexplained([("DELETE /playback/sessions/{sessionId}", "no such operation")]),
    );
}

#[test]
fn an_added_enum_value_is_named() {
    let (old, new) = (
        "PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_ALL,LOOP_OFF",
        "PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_ALL,LOOP_OFF,LOOP_SHUFFLE",
    );
    edited(
        "rendered-enum-value",
        edit("playback-v1", |facts| {
            facts.replace(old, new);
        }),
        strings([new]),
        strings([old]),
        unexplained([(new, "values=LOOP_ONE,LOOP_ALL,LOOP_OFF")]),
    );
}
