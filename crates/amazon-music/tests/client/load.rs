//! The mock under sustained concurrent load from real clients on loopback: every answer is
//! right, and the only errors are the injected ones.
//!
//! Bounded: `CLIENTS × ROUNDS` requests, under a hang guard. Memory over a long run is a
//! benchmark (BENCHMARKS.md, "Reliability: mock memory under load"), not an assertion.

use std::time::Duration;

use amazon_music::{Client, Error, RetryPolicy};
use amazon_music_mock::{FaultKind, FaultRule, MockConfig, MockServer};
use futures::TryStreamExt;

const CLIENTS: usize = 16;
const ROUNDS: usize = 25;
/// The first this many `getAlbums` requests fail with 503: the only errors allowed.
const INJECTED: u64 = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_get_correct_answers_and_only_injected_errors() {
    let config = MockConfig::default()
        .initial_library(Vec::<String>::new())
        .fault(FaultRule::new("getAlbums", FaultKind::Status(503)).first(INJECTED));
    let server = MockServer::start(config).await.unwrap();
    let catalog = server.state().album_ids();
    let work = (0..CLIENTS).map(|n| {
        // Each client its own user, so library checks are exact despite the concurrency.
        let token = server.issue_token(
            &format!("load-user-{n}"),
            amazon_music_mock::ALL_SCOPES,
            None,
        );
        let client = Client::builder()
            .base_url(server.base_url())
            .api_key("mock-api-key")
            .token(token)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let catalog = catalog.clone();
        tokio::spawn(async move { one_client(client, n, &catalog).await })
    });
    let results = tokio::time::timeout(Duration::from_secs(120), futures::future::join_all(work))
        .await
        .expect("the load finishes (hang guard)");
    let mut injected = 0;
    for result in results {
        injected += result.unwrap();
    }
    assert_eq!(
        injected, INJECTED,
        "every injected fault surfaced, and nothing else failed"
    );
    let sent = |op| server.requests(op);
    let rounds = (CLIENTS * ROUNDS) as u64;
    assert_eq!(sent("getAlbum"), rounds);
    assert_eq!(sent("getAlbums"), rounds);
    assert_eq!(sent("addLibraryAlbum"), rounds);
    assert_eq!(sent("removeLibraryAlbum"), rounds);
}

/// One client's rounds: a lookup, a batch, a save, the library listed, a removal. Returns how
/// many injected errors it saw; any other failure or wrong answer fails the test.
async fn one_client(client: Client, n: usize, catalog: &[String]) -> u64 {
    let mut injected = 0;
    for round in 0..ROUNDS {
        let id = &catalog[(n * ROUNDS + round) % catalog.len()];
        let album = client.get_album(id).await.unwrap();
        assert_eq!(album.id.as_str(), id);

        let pair = [id.as_str(), catalog[(round + 1) % catalog.len()].as_str()];
        match client.get_albums(pair).await {
            Ok(batch) => assert_eq!(batch.albums.len() + batch.missing.len(), 2),
            Err(Error::Api(e)) if e.status.as_u16() == 503 => injected += 1,
            Err(other) => panic!("client {n} round {round}: {other}"),
        }

        client.save_album(id).await.unwrap();
        let library: Vec<String> = client
            .library_albums(100)
            .unwrap()
            .items()
            .map_ok(|edge| edge.node.id.to_string())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            library,
            std::slice::from_ref(id),
            "client {n} round {round}"
        );
        client.remove_album(id).await.unwrap();
    }
    injected
}
