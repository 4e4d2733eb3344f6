//! The drifting mock: what it adds stays within the spec (drift, never a violation), is the
//! same for the same seed, and is exactly what a validator then finds.

use std::collections::BTreeSet;

use amazon_music_conformance::{Body, Exchange, Spec, Validator};
use amazon_music_mock::{DriftInjection, MockConfig, SPEC_YAML};
use amazon_music_workspace_tests::mock::{Api, Reply};
use reqwest::Method;
use serde_json::json;

/// Calls every operation with a success body, and returns each exchange.
async fn walk(api: &Api) -> Vec<Exchange> {
    let mut out = Vec::new();
    let mut keep = |method: &str, path: &str, reply: Reply| {
        assert!(
            reply.status < 300,
            "{method} {path}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.bytes)
        );
        out.push(Exchange {
            method: method.to_owned(),
            url: format!("/v1{path}"),
            status: reply.status,
            headers: Default::default(),
            body: if reply.bytes.is_empty() {
                Body::Empty
            } else {
                Body::Json(reply.json())
            },
        });
    };
    for path in [
        "/albums/B0064UPU4G",
        "/albums?ids=B0064UPU4G,B00D3PLC1K",
        "/me/library/albums?limit=2",
        "/playback/sessions/active",
    ] {
        keep("GET", path, api.get(path).await);
    }
    for (method, path) in [
        (Method::PUT, "/me/library/albums/B091MTJT3P"),
        (Method::DELETE, "/me/library/albums/B091MTJT3P"),
    ] {
        keep(
            method.as_str(),
            path,
            api.call(method.clone(), path, None).await,
        );
    }
    let create = json!({"playParams": {"containerIds": ["B0BS2SB6RC"]}});
    let created = api
        .call(Method::POST, "/playback/sessions", Some(create))
        .await;
    let entity = created.json()["data"]["entities"][0].clone();
    keep("POST", "/playback/sessions", created);
    let session = entity["sessionId"]
        .as_str()
        .expect("a session id")
        .to_owned();
    for tail in ["current", "queue?limit=3", "next", "previous"] {
        let path = format!("/playback/sessions/{session}/{tail}");
        keep("GET", &path, api.get(&path).await);
    }
    // The other V1 pages; recently played has what the session played.
    for path in [
        "/tracks/B076YT2CBT",
        "/artists/B01EJ9KLA6",
        "/artists?ids=B01EJ9KLA6,B000S9ULT8",
        "/me/followed/artists?limit=2",
        "/playlists/4a5afe86-7316",
        "/me/playlists?limit=2",
        "/me",
        "/search?query=daft%20punk&limit=2",
        "/podcasts/shows/63825c25-4a0b-4389-a1cc-c72e5dc8bb7b?limit=2",
        "/stations/A3QXXOBP9MU5LY",
        "/browse/tracks/top?limit=2",
        "/views/home?limit=2",
        "/player/recentlyPlayed?limit=2",
    ] {
        keep("GET", path, api.get(path).await);
    }
    let update =
        json!({"name": "New Name", "visibility": "PUBLIC", "playbackVisibility": "PUBLIC"});
    keep(
        "PUT",
        "/me",
        api.call(Method::PUT, "/me", Some(update)).await,
    );
    let search = json!({"searchFilters": [{"query": "one more time"}], "limit": 2});
    keep(
        "POST",
        "/search/tracks",
        api.call(Method::POST, "/search/tracks", Some(search)).await,
    );
    out
}

/// Schemas only the operations of the other V1 pages answer with.
const NEW_ONLY: [&str; 12] = [
    "Playlist",
    "PlaylistsUser",
    "User",
    "RecentlyPlayedUser",
    "FollowedArtistsUser",
    "PodcastShow",
    "PodcastEpisode",
    "Station",
    "View",
    "ViewContent",
    "EntityGroup",
    "ViewEntity",
];

#[tokio::test]
async fn drift_is_drift_never_a_violation_and_exactly_what_was_served() {
    let validator = Validator::new(Spec::from_yaml_str(SPEC_YAML).unwrap()).unwrap();
    let mut on_new_answers = BTreeSet::new();
    for seed in 0..6 {
        let api = Api::start(MockConfig::default().drift(seed)).await;
        let exchanges = walk(&api).await;
        let mut found = BTreeSet::new();
        for exchange in &exchanges {
            let outcome = validator.validate(exchange, "drift");
            assert!(
                outcome.violations.is_empty(),
                "seed {seed}: {} {}: {:?}",
                exchange.method,
                exchange.url,
                outcome.violations
            );
            found.extend(outcome.drift.iter().map(|d| DriftInjection {
                kind: d.kind,
                spec_pointer: d.spec_pointer.clone(),
                found: d.found.clone(),
            }));
        }
        let served: BTreeSet<DriftInjection> =
            api.server.state().drift_served().into_iter().collect();
        assert!(!served.is_empty(), "seed {seed} served no drift");
        assert_eq!(found, served, "seed {seed}");
        on_new_answers.extend(served.into_iter().filter(|d| {
            NEW_ONLY.iter().any(|name| {
                let schema = format!("/components/schemas/{name}");
                d.spec_pointer == schema || d.spec_pointer.starts_with(&format!("{schema}/"))
            })
        }));
    }
    assert!(
        on_new_answers.len() >= 3,
        "the new operations' answers drift too: {on_new_answers:?}"
    );
}

#[tokio::test]
async fn the_same_seed_drifts_the_same_way() {
    let bodies = |exchanges: Vec<Exchange>| -> Vec<String> {
        exchanges
            .into_iter()
            // Playback answers carry fresh stream ids, recently played the time of playing.
            .filter(|e| !e.url.contains("/playback/") && !e.url.contains("/player/"))
            .map(|e| serde_json::to_string(&e.body).unwrap())
            .collect()
    };
    let a = Api::start(MockConfig::default().drift(3)).await;
    let b = Api::start(MockConfig::default().drift(3)).await;
    let c = Api::start(MockConfig::default().drift(4)).await;
    let plain = Api::start(MockConfig::default()).await;
    let (a, b, c, plain) = (
        bodies(walk(&a).await),
        bodies(walk(&b).await),
        bodies(walk(&c).await),
        bodies(walk(&plain).await),
    );
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_ne!(a, plain);
}
