//! Measured, not asserted: the client's costs against the mock on loopback.
//!
//! ```text
//! cargo bench -p amazon-music --bench client [overhead|batching|streaming|prefetch]
//! ```
//!
//! `ROUNDS=N` shortens the overhead run, and `ONLY=ergonomic|generated|hand-written` makes
//! only one contender's calls (both for counting instructions under `valgrind --tool=callgrind`;
//! see [`Rounds`]).
//!
//! 1. Per-request overhead: median latency of `Client::get_album` against a hand-written
//!    reqwest + serde_json call of the same route, interleaved on the same connection to a mock
//!    in a child process, on a current-thread runtime and then on a multi-thread one.
//! 2. 10,000 album ids through `get_albums` against one-by-one `GET /albums/{id}`: requests and
//!    wall time.
//! 3. Streaming a library of 10,000 and of 100,000 albums from a mock in a child process: the
//!    client's resident memory along the way (flat means it does not grow with the library).
//! 4. The gain from prefetch when the consumer works on every item while pages take time to
//!    arrive.

use std::time::{Duration, Instant};

use amazon_music::Client;
use amazon_music::api::ClientInfo;
use amazon_music::types::GetAlbumResponse;
use amazon_music_mock::{FaultKind, FaultRule, MockConfig, MockServer};
use futures::TryStreamExt;

const KEY: &str = "mock-api-key";
const TOKEN: &str = "mock-token";

fn main() {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("serve-library") {
        let size = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
        return serve_library(size);
    }
    let only = std::env::args()
        .nth(1)
        .filter(|a| !a.starts_with('-') && a != "--bench");
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if run("overhead") {
        overhead();
    }
    let runtime = multi_thread();
    runtime.block_on(async {
        if run("batching") {
            batching().await;
        }
        if run("streaming") {
            streaming().await;
        }
        if run("prefetch") {
            prefetch().await;
        }
    });
}

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A mock serving a library of `size` albums (and a catalog of as many) from a child process,
/// so that what this process spends is the client's alone.
struct ChildMock {
    child: std::process::Child,
    base_url: String,
}

impl ChildMock {
    fn start(size: usize) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["serve-library", &size.to_string()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the mock process");
        let mut url = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut url)
            .unwrap();
        Self {
            child,
            base_url: url.trim().to_owned(),
        }
    }
}

impl Drop for ChildMock {
    fn drop(&mut self) {
        // The child serves until its standard input closes.
        drop(self.child.stdin.take());
        self.child.wait().ok();
    }
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(KEY)
        .token(TOKEN)
        .build()
        .expect("a client")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The three ways of making the same call that [`overhead`] compares.
#[derive(Clone, Copy, PartialEq)]
enum Contender {
    /// `Client::get_album`.
    Ergonomic,
    /// The generated client's builder, without the ergonomic layer.
    Generated,
    /// `reqwest` and `serde_json` by hand.
    HandWritten,
}

const CONTENDERS: [Contender; 3] = [
    Contender::Ergonomic,
    Contender::Generated,
    Contender::HandWritten,
];

/// How many rounds the overhead comparison makes, and of which contenders.
struct Rounds {
    count: usize,
    only: Option<Contender>,
}

impl Rounds {
    /// `ROUNDS=N` (default 6,000); `ONLY=ergonomic|generated|hand-written` makes only that
    /// call, for counting one contender's instructions under callgrind against a `ROUNDS=0` run.
    fn from_env() -> Result<Self, String> {
        let count = match std::env::var("ROUNDS") {
            Err(_) => 6_000,
            Ok(text) => text
                .parse()
                .map_err(|_| format!("ROUNDS={text:?}: expected a number of rounds"))?,
        };
        let only = match std::env::var("ONLY").ok().as_deref() {
            None => None,
            Some("ergonomic") => Some(Contender::Ergonomic),
            Some("generated") => Some(Contender::Generated),
            Some("hand-written") => Some(Contender::HandWritten),
            Some(other) => {
                return Err(format!(
                    "ONLY={other:?}: expected ergonomic, generated or hand-written"
                ));
            }
        };
        if count == 0 && only.is_none() {
            // A median of no samples: only a callgrind baseline (with ONLY) wants zero rounds.
            return Err("ROUNDS=0 measures nothing; it is the baseline of an ONLY= count".into());
        }
        Ok(Self { count, only })
    }
}

/// Runs the comparison on a current-thread runtime, then on a multi-thread one.
fn overhead() {
    let rounds = match Rounds::from_env() {
        Ok(rounds) => rounds,
        Err(message) => {
            eprintln!("overhead: {message}");
            std::process::exit(2);
        }
    };
    let mock = ChildMock::start(1_000);
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    for (name, runtime) in [
        ("current-thread", current),
        ("multi-thread", multi_thread()),
    ] {
        runtime.block_on(compare(name, &mock.base_url, &rounds));
    }
}

async fn compare(runtime: &str, base: &str, rounds: &Rounds) {
    let client = client(base);
    // One reqwest client (one pool, so one keep-alive connection) under all three contenders:
    // with a client each, each connection's luck in scheduling biased the figures by a few per
    // cent, as much as the difference being measured.
    let http = client.api().client().clone();
    let generated = amazon_music::api::Client::new_with_client(
        base,
        http.clone(),
        amazon_music::api::Credentials::new(KEY, TOKEN),
    );
    let id: amazon_music::types::CatalogId = "B0064UPU4G".parse().unwrap();
    let call = |contender: Contender| {
        let (client, generated, http, id) = (&client, &generated, &http, &id);
        async move {
            match contender {
                Contender::Ergonomic => {
                    std::hint::black_box(client.get_album("B0064UPU4G").await.unwrap());
                }
                Contender::Generated => {
                    let album = generated.get_album().id(id.clone()).send().await.unwrap();
                    std::hint::black_box(album);
                }
                Contender::HandWritten => hand_written(http, base, "B0064UPU4G").await,
            }
        }
    };
    for _ in 0..200 {
        for contender in CONTENDERS {
            call(contender).await;
        }
    }
    let mut samples: [Vec<Duration>; 3] = Default::default();
    let only = rounds.only;
    for round in 0..rounds.count {
        // The order rotates every round, so that no contender always follows the same one.
        for turn in 0..3 {
            let index = (round + turn) % 3;
            let contender = CONTENDERS[index];
            if only.is_some_and(|o| o != contender) {
                continue;
            }
            let started = Instant::now();
            call(contender).await;
            samples[index].push(started.elapsed());
        }
    }
    if only.is_some() {
        println!("overhead ({runtime} runtime): {} calls made", rounds.count);
        return;
    }
    let [ours, bare, theirs] = samples.map(median);
    println!(
        "overhead ({runtime} runtime): median latency of get_album {ours:?}; generated client alone {bare:?}; hand-written reqwest + serde_json {theirs:?}; ratio {:.3} (generated alone {:.3})",
        ours.as_secs_f64() / theirs.as_secs_f64(),
        bare.as_secs_f64() / theirs.as_secs_f64()
    );
}

/// A careful hand-written `get_album(id)`: the URL built from the id, the same headers as the
/// generated client's, and the status checked before the body is decoded.
async fn hand_written(client: &reqwest::Client, base: &str, id: &str) {
    let body = client
        .get(format!("{base}/albums/{id}"))
        .header(reqwest::header::ACCEPT, "application/json")
        .header("x-api-key", KEY)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let album: GetAlbumResponse = serde_json::from_slice(&body).unwrap();
    std::hint::black_box(album);
}

async fn batching() {
    let config = MockConfig::default().catalog_size(10_000);
    let server = MockServer::start(config).await.unwrap();
    let ids: Vec<String> = server
        .state()
        .album_ids()
        .into_iter()
        .take(10_000)
        .collect();
    let client = client(&server.base_url());

    let started = Instant::now();
    let batch = client.get_albums(&ids).await.unwrap();
    let batched = started.elapsed();
    assert_eq!(batch.albums.len(), ids.len());
    let batched_requests = server.requests("getAlbums");

    let started = Instant::now();
    for id in &ids {
        client.get_album(id).await.unwrap();
    }
    let naive = started.elapsed();
    let naive_requests = server.requests("getAlbum");
    println!(
        "batching: 10,000 ids in {batched_requests} requests / {batched:?} with get_albums; {naive_requests} requests / {naive:?} one by one; {}x fewer requests, {:.1}x less wall time",
        naive_requests / batched_requests.max(1),
        naive.as_secs_f64() / batched.as_secs_f64()
    );
}

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The child process of [`streaming`]: a mock whose library holds `size` albums, serving until
/// its standard input closes.
fn serve_library(size: usize) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let config = MockConfig::default().catalog_size(size);
        let ids = amazon_music_mock::MockState::new(&config)
            .unwrap()
            .album_ids();
        let config = config.initial_library(ids.into_iter().take(size));
        let server = MockServer::start(config).await.unwrap();
        println!("{}", server.base_url());
        tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new()))
            .await
            .ok();
    });
}

/// Streams whole libraries from a mock in another process, so that the resident memory
/// measured here is the client's alone.
async fn streaming() {
    for size in [10_000usize, 100_000] {
        let mock = ChildMock::start(size);
        let client = client(&mock.base_url);
        let before = resident_kib();
        let (mut count, mut quarter, mut half) = (0usize, 0, 0);
        let mut stream = std::pin::pin!(client.library_albums(100).unwrap().items());
        while let Some(edge) = stream.try_next().await.unwrap() {
            std::hint::black_box(&edge);
            count += 1;
            if count == size / 4 {
                quarter = resident_kib();
            }
            if count == size / 2 {
                half = resident_kib();
            }
        }
        let after = resident_kib();
        drop(mock);
        println!(
            "streaming: {count} library albums, the client's resident memory: {before} KiB before, {quarter} KiB at 1/4, {half} KiB at 1/2, {after} KiB at the end"
        );
    }
}

async fn prefetch() {
    let config = MockConfig::default().catalog_size(2_000);
    let ids = amazon_music_mock::MockState::new(&config)
        .unwrap()
        .album_ids();
    let config = config
        .initial_library(ids.into_iter().take(2_000))
        .fault(FaultRule::new(
            "getLibraryAlbums",
            FaultKind::Latency(Duration::from_millis(10)),
        ));
    let server = MockServer::start(config).await.unwrap();
    let client = client(&server.base_url());
    let mut timings = Vec::new();
    for prefetch in [false, true] {
        let started = Instant::now();
        let mut stream = std::pin::pin!(
            client
                .library_albums(50)
                .unwrap()
                .prefetch(prefetch)
                .items()
        );
        while let Some(edge) = stream.try_next().await.unwrap() {
            // The consumer's own work: 0.25 ms of CPU per album, 12.5 ms per page of 50 (a
            // spin, since timers are too coarse for it).
            std::hint::black_box(&edge);
            let until = Instant::now() + Duration::from_micros(250);
            while Instant::now() < until {
                std::hint::spin_loop();
            }
        }
        timings.push(started.elapsed());
    }
    println!(
        "prefetch: 2,000 albums, pages of 50 taking 10 ms, 0.25 ms of work per album: {:?} without prefetch, {:?} with ({:.2}x)",
        timings[0],
        timings[1],
        timings[0].as_secs_f64() / timings[1].as_secs_f64()
    );
}
