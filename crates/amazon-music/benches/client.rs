//! Measured, not asserted: the client's costs against the mock on loopback.
//!
//! ```text
//! cargo bench -p amazon-music --bench client [overhead|batching|streaming|prefetch]
//! ```
//!
//! `ROUNDS=N` shortens the overhead run (for example under `valgrind --tool=callgrind`).
//!
//! 1. Per-request overhead: median latency of `Client::get_album` against a hand-written
//!    reqwest + serde_json call of the same route, interleaved on the same mock.
//! 2. 10,000 album ids through `get_albums` against one-by-one `GET /albums/{id}`: requests and
//!    wall time.
//! 3. Streaming a library of 10,000 and of 100,000 albums from a mock in a child process: the
//!    client's resident memory along the way (flat means it does not grow with the library).
//! 4. The gain from prefetch when the consumer works on every item while pages take time to
//!    arrive.

use std::time::{Duration, Instant};

use amazon_music::Client;
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let only = std::env::args()
        .nth(1)
        .filter(|a| !a.starts_with('-') && a != "--bench");
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    runtime.block_on(async {
        if run("overhead") {
            overhead().await;
        }
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

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(KEY)
        .token(TOKEN)
        .build()
        .expect("a client")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn overhead() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let client = client(&server);
    let generated = amazon_music::api::Client::new(
        &server.base_url(),
        amazon_music::api::Credentials::new(KEY, TOKEN),
    );
    // The same timeouts as the client's defaults: a hand-written call should have them too.
    let raw = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let url = format!("{}/albums/B0064UPU4G", server.base_url());
    let id: amazon_music::types::CatalogId = "B0064UPU4G".parse().unwrap();
    let (mut ours, mut bare, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    // Warm the connection pools, then interleave so drift affects all three alike.
    for _ in 0..200 {
        client.get_album("B0064UPU4G").await.unwrap();
        generated.get_album().id(id.clone()).send().await.unwrap();
        raw_get(&raw, &url).await;
    }
    // The order rotates every round, so that no contender always follows the same one.
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6_000);
    for round in 0..rounds {
        for turn in 0..3 {
            let started = Instant::now();
            match (round + turn) % 3 {
                0 => {
                    client.get_album("B0064UPU4G").await.unwrap();
                    ours.push(started.elapsed());
                }
                1 => {
                    generated.get_album().id(id.clone()).send().await.unwrap();
                    bare.push(started.elapsed());
                }
                _ => {
                    raw_get(&raw, &url).await;
                    theirs.push(started.elapsed());
                }
            }
        }
    }
    let (ours, bare, theirs) = (median(ours), median(bare), median(theirs));
    println!(
        "overhead: median latency of get_album {ours:?}; generated client alone {bare:?}; hand-written reqwest + serde_json {theirs:?}; ratio {:.3} (generated alone {:.3})",
        ours.as_secs_f64() / theirs.as_secs_f64(),
        bare.as_secs_f64() / theirs.as_secs_f64()
    );
}

async fn raw_get(client: &reqwest::Client, url: &str) {
    let body = client
        .get(url)
        .header("x-api-key", KEY)
        .bearer_auth(TOKEN)
        .send()
        .await
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
    let client = client(&server);

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
    use std::io::BufRead;
    for size in [10_000usize, 100_000] {
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
        let client = Client::builder()
            .base_url(url.trim())
            .api_key(KEY)
            .token(TOKEN)
            .build()
            .unwrap();
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
        drop(child.stdin.take());
        child.wait().ok();
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
    let client = client(&server);
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
