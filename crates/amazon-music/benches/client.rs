//! Measured, not asserted: the client's costs against the mock on loopback.
//!
//! ```text
//! cargo bench -p amazon-music --bench client [overhead|batching|streaming|prefetch]
//! ```
//!
//! 1. Per-request overhead: median latency of `Client::get_album` against a hand-written
//!    reqwest + serde_json call of the same route, interleaved on the same mock.
//! 2. 10,000 album ids through `get_albums` against one-by-one `GET /albums/{id}`: requests and
//!    wall time.
//! 3. Streaming a library of 10,000 and of 100,000 albums: resident memory before and after
//!    (flat means it does not grow with the library), and the gain from prefetch when the
//!    consumer works on every item while pages take time to arrive.

use std::time::{Duration, Instant};

use amazon_music::Client;
use amazon_music::types::GetAlbumResponse;
use amazon_music_mock::{FaultKind, FaultRule, MockConfig, MockServer};
use futures::TryStreamExt;

const KEY: &str = "mock-api-key";
const TOKEN: &str = "mock-token";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let only = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
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
    // The same timeouts as the client's defaults: a hand-written call should have them too.
    let raw = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let url = format!("{}/albums/B0064UPU4G", server.base_url());
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    // Warm both connection pools, then interleave so drift affects both alike.
    for _ in 0..200 {
        client.get_album("B0064UPU4G").await.unwrap();
        raw_get(&raw, &url).await;
    }
    for _ in 0..5_000 {
        let started = Instant::now();
        client.get_album("B0064UPU4G").await.unwrap();
        ours.push(started.elapsed());
        let started = Instant::now();
        raw_get(&raw, &url).await;
        theirs.push(started.elapsed());
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "overhead: get_album median {:?}, hand-written reqwest + serde_json median {:?}, ratio {:.3}",
        ours,
        theirs,
        ours.as_secs_f64() / theirs.as_secs_f64()
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

async fn streaming() {
    for size in [10_000usize, 100_000] {
        let config = MockConfig::default().catalog_size(size);
        let ids = amazon_music_mock::MockState::new(&config)
            .unwrap()
            .album_ids();
        let config = config.initial_library(ids.into_iter().take(size));
        let server = MockServer::start(config).await.unwrap();
        let client = client(&server);
        let before = resident_kib();
        let mut count = 0usize;
        let mut stream = std::pin::pin!(client.library_albums(100).unwrap().items());
        let mut mid = 0;
        while let Some(edge) = stream.try_next().await.unwrap() {
            std::hint::black_box(&edge);
            count += 1;
            if count == size / 2 {
                mid = resident_kib();
            }
        }
        let after = resident_kib();
        println!(
            "streaming: {count} library albums; resident memory {before} KiB before, {mid} KiB half way, {after} KiB after (the mock's catalog and library live in the same process)"
        );
        server.shutdown().await.unwrap();
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
