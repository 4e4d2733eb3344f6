//! Every answer the mock gives, success or error, validates against the spec: this walks
//! every operation on a live server, provokes their success and error answers, and checks each
//! body against the schema the spec documents for that operation and status.

use std::collections::{BTreeMap, BTreeSet};

use amazon_music_conformance::{SchemaValidator, Spec};
use amazon_music_mock::{FaultKind, FaultRule, MockConfig, SPEC_YAML};
use amazon_music_workspace_tests::mock::{Api, Reply, track_id};
use reqwest::Method;
use serde_json::{Value, json};

struct Checker {
    spec: Spec,
    seen: BTreeMap<String, BTreeSet<u16>>,
}

impl Checker {
    fn new() -> Self {
        Self {
            spec: Spec::from_yaml_str(SPEC_YAML).unwrap(),
            seen: BTreeMap::new(),
        }
    }

    /// Checks `reply` against the spec's response for `op` and its status.
    fn check(&mut self, op: &str, reply: &Reply) {
        let operation = self
            .spec
            .operation(op)
            .unwrap_or_else(|| panic!("no operation {op}"));
        let response = operation
            .response(&reply.status.to_string())
            .unwrap_or_else(|| panic!("{op}: status {} is not documented", reply.status));
        if let Some(media) = response.json() {
            let content_type = reply
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert!(
                content_type.starts_with("application/json"),
                "{op}: {content_type}"
            );
            let validator =
                SchemaValidator::new(&self.spec, media.schema().expect("a schema")).unwrap();
            let body = reply.json();
            let violations = validator.violations(&body);
            assert!(
                violations.is_empty(),
                "{op} {}: {body}\n{}",
                reply.status,
                violations
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        } else {
            assert!(
                reply.bytes.is_empty(),
                "{op} {}: the spec gives no body",
                reply.status
            );
        }
        self.seen
            .entry(op.to_owned())
            .or_default()
            .insert(reply.status);
    }
}

#[tokio::test]
async fn every_operation_answers_within_the_spec() {
    let api = Api::start(MockConfig::default().skip_limit(1)).await;
    let mut c = Checker::new();
    let no_auth = |path: &str| {
        api.http
            .get(api.url(path))
            .header("x-api-key", "mock-api-key")
    };

    // Albums.
    c.check("getAlbum", &api.get("/albums/B0064UPU4G").await);
    c.check("getAlbum", &api.get("/albums/B000000000").await);
    c.check(
        "getAlbum",
        &api.get(&format!("/albums/{}", "B".repeat(65))).await,
    );
    c.check(
        "getAlbum",
        &api.send_raw(no_auth("/albums/B0064UPU4G")).await,
    );
    c.check(
        "getAlbum",
        &api.send_raw(api.http.get(api.url("/albums/B0064UPU4G")))
            .await,
    );
    c.check(
        "getAlbums",
        &api.get("/albums?ids=B0064UPU4G,B000000000,B00D3PLC1K")
            .await,
    );
    c.check("getAlbums", &api.get("/albums").await);
    let many = vec!["B0064UPU4G"; 101].join(",");
    c.check("getAlbums", &api.get(&format!("/albums?ids={many}")).await);

    // Library.
    let first = api.get("/me/library/albums?limit=1").await;
    c.check("getLibraryAlbums", &first);
    let token = first.json()["data"]["user"]["libraryAlbums"]["pageInfo"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    c.check(
        "getLibraryAlbums",
        &api.get(&format!("/me/library/albums?limit=1&cursor={token}"))
            .await,
    );
    c.check(
        "getLibraryAlbums",
        &api.get("/me/library/albums?limit=0").await,
    );
    c.check(
        "getLibraryAlbums",
        &api.get("/me/library/albums?cursor=abc").await,
    );
    c.check(
        "addLibraryAlbum",
        &api.call(Method::PUT, "/me/library/albums/B091MTJT3P", None)
            .await,
    );
    c.check(
        "addLibraryAlbum",
        &api.call(Method::PUT, "/me/library/albums/B000000000", None)
            .await,
    );
    c.check(
        "removeLibraryAlbum",
        &api.call(Method::DELETE, "/me/library/albums/B091MTJT3P", None)
            .await,
    );
    c.check(
        "removeLibraryAlbum",
        &api.call(Method::DELETE, "/me/library/albums/B000000000", None)
            .await,
    );

    // Playback.
    let create = json!({
        "playParams": {"id": "B0BS2S4WXN", "containerIds": ["B0BS2SB6RC"]},
        "playbackOptions": {"shuffleMode": "SHUFFLE_OFF", "loopMode": "LOOP_OFF"},
        "limit": 2
    });
    let created = api
        .call(Method::POST, "/playback/sessions", Some(create))
        .await;
    c.check("createPlaybackSession", &created);
    let entity = created.json()["data"]["entities"][0].clone();
    assert_eq!(track_id(&entity), "B0BS2S4WXN");
    let sid = entity["sessionId"].as_str().unwrap().to_owned();
    let reference = entity["entityReferenceId"].as_str().unwrap().to_owned();
    let metric = entity["metricId"].as_str().unwrap().to_owned();
    let raw_post = |body: &'static str, content_type: &'static str| {
        api.request(Method::POST, "/playback/sessions")
            .header("content-type", content_type)
            .body(body)
    };
    c.check(
        "createPlaybackSession",
        &api.send_raw(raw_post("{\"playParams\": ", "application/json"))
            .await,
    );
    c.check(
        "createPlaybackSession",
        &api.send_raw(raw_post(
            "{\"playParams\": {\"id\": \"B0BS2S4WXN\"}}",
            "text/plain",
        ))
        .await,
    );
    c.check(
        "createPlaybackSession",
        &api.call(
            Method::POST,
            "/playback/sessions",
            Some(json!({"playParams": {}})),
        )
        .await,
    );
    c.check(
        "createPlaybackSession",
        &api.call(
            Method::POST,
            "/playback/sessions",
            Some(json!({"playParams": {"id": "B000000000"}})),
        )
        .await,
    );

    c.check(
        "getActivePlaybackSessions",
        &api.get("/playback/sessions/active").await,
    );
    let catalog_only = api
        .server
        .issue_token("mock-user", ["music::catalog"], None);
    let forbidden = api
        .http
        .get(api.url("/playback/sessions/active"))
        .header("x-api-key", "mock-api-key")
        .header("authorization", format!("Bearer {catalog_only}"));
    c.check("getActivePlaybackSessions", &api.send_raw(forbidden).await);
    let s = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    c.check("getCurrentPlaybackEntity", &api.get(&s("/current")).await);
    c.check(
        "getCurrentPlaybackEntity",
        &api.get("/playback/sessions/nope/current").await,
    );
    c.check("getPreviousPlaybackEntity", &api.get(&s("/previous")).await);
    c.check("getNextPlaybackEntity", &api.get(&s("/next?limit=1")).await);
    c.check("getNextPlaybackEntity", &api.get(&s("/next")).await); // skips used up: 403
    c.check(
        "getNextPlaybackEntity",
        &api.get(&s("/next?limit=11")).await,
    );
    c.check("getPreviousPlaybackEntity", &api.get(&s("/previous")).await);
    c.check("getPlaybackQueue", &api.get(&s("/queue?limit=2")).await);
    c.check("getPlaybackQueue", &api.get(&s("/queue?limit=101")).await);
    c.check(
        "refreshPlaybackSession",
        &api.get(&s(&format!("/entities/{reference}"))).await,
    );
    c.check(
        "refreshPlaybackSession",
        &api.get(&s("/entities/nope")).await,
    );
    let insert = json!({"playParams": {"id": "B0064UPUDC", "containerIds": ["B0064UPU4G"]}});
    c.check(
        "queueNext",
        &api.call(Method::POST, &s("/queue/next"), Some(insert.clone()))
            .await,
    );
    c.check(
        "queueNext",
        &api.call(
            Method::POST,
            &s("/queue/next"),
            Some(json!({"playParams": {"containerIds": ["B0064UPU4G"]}})),
        )
        .await,
    );
    c.check(
        "queueLast",
        &api.call(Method::POST, &s("/queue/last"), Some(insert))
            .await,
    );
    c.check(
        "queueLast",
        &api.call(
            Method::POST,
            &s("/queue/last"),
            Some(json!({"playParams": {"id": "B000000000"}})),
        )
        .await,
    );
    c.check(
        "setLoopMode",
        &api.call(
            Method::PUT,
            &s("/loop"),
            Some(json!({"loopMode": "LOOP_ALL"})),
        )
        .await,
    );
    c.check(
        "setLoopMode",
        &api.call(
            Method::PUT,
            &s("/loop"),
            Some(json!({"loopMode": "LOOP_ON"})),
        )
        .await,
    );
    c.check(
        "setShuffleMode",
        &api.call(
            Method::PUT,
            &s("/shuffle"),
            Some(json!({"shuffleMode": "SHUFFLE_ON"})),
        )
        .await,
    );
    c.check(
        "setShuffleMode",
        &api.call(
            Method::PUT,
            "/playback/sessions/nope/shuffle",
            Some(json!({"shuffleMode": "SHUFFLE_ON"})),
        )
        .await,
    );

    let event = |sid: &str, reference: &str, metric: &str, take_over: Option<&str>| {
        let mut body = json!({
            "metricId": metric,
            "event": {"type": "PLAYBACK_STARTED", "sessionId": sid, "entityReferenceId": reference}
        });
        if let Some(t) = take_over {
            body["options"] = json!({"takeOverType": t});
        }
        body
    };
    c.check(
        "reportPlaybackEvent",
        &api.call(
            Method::POST,
            "/playback/event",
            Some(event(&sid, &reference, &metric, None)),
        )
        .await,
    );
    let other = api
        .session(json!({"playParams": {"id": "B0064UPUDC"}}))
        .await;
    let (osid, oref, ometric) = (
        other["sessionId"].as_str().unwrap(),
        other["entityReferenceId"].as_str().unwrap(),
        other["metricId"].as_str().unwrap(),
    );
    c.check(
        "reportPlaybackEvent",
        &api.call(
            Method::POST,
            "/playback/event",
            Some(event(osid, oref, ometric, Some("AUTO"))),
        )
        .await,
    );
    c.check(
        "reportPlaybackEvent",
        &api.call(
            Method::POST,
            "/playback/event",
            Some(event("nope", oref, ometric, None)),
        )
        .await,
    );
    c.check(
        "reportPlaybackEvent",
        &api.call(
            Method::POST,
            "/playback/event",
            Some(json!({"metricId": "m"})),
        )
        .await,
    );

    // The other V1 pages. Recently played has what the sessions above played.
    let pages: [(&str, &str); 31] = [
        ("getTrack", "/tracks/B076YT2CBT"),
        ("getTrack", "/tracks/B0064UPUDC?mediaType=AUDIO"),
        ("getTrack", "/tracks/B000000000"),
        ("getTrack", "/tracks/B076YT2CBT?mediaType=TAPE"),
        ("getArtist", "/artists/B01EJ9KLA6"),
        ("getArtist", "/artists/B000S9ULT8"),
        ("getArtist", "/artists/B000000000"),
        (
            "getArtists",
            "/artists?ids=B01EJ9KLA6,B000000000,B000QJPQTA",
        ),
        ("getArtists", "/artists"),
        ("getFollowedArtists", "/me/followed/artists?limit=2"),
        ("getFollowedArtists", "/me/followed/artists?limit=101"),
        ("getPlaylist", "/playlists/4a5afe86-7316"),
        ("getPlaylist", "/playlists/nope"),
        ("getMyPlaylists", "/me/playlists?limit=2"),
        ("getMyPlaylists", "/me/playlists?cursor=nope"),
        ("getCurrentUser", "/me"),
        ("searchAll", "/search?query=daft%20punk&limit=2"),
        ("searchAll", "/search?query=the%20line"),
        ("searchAll", "/search?query="),
        (
            "getPodcastShow",
            "/podcasts/shows/63825c25-4a0b-4389-a1cc-c72e5dc8bb7b?limit=2",
        ),
        ("getPodcastShow", "/podcasts/shows/nope"),
        (
            "getPodcastShow",
            "/podcasts/shows/63825c25-4a0b-4389-a1cc-c72e5dc8bb7b?limit=0",
        ),
        ("getStation", "/stations/A3QXXOBP9MU5LY"),
        ("getStation", "/stations/nope"),
        ("getTopTracks", "/browse/tracks/top?limit=3"),
        ("getTopTracks", "/browse/tracks/top?limit=21"),
        ("getHomeView", "/views/home?limit=2"),
        ("getHomeView", "/views/home?limit=11"),
        ("getRecentlyPlayedTracks", "/player/recentlyPlayed?limit=2"),
        ("getRecentlyPlayedTracks", "/player/recentlyPlayed?limit=61"),
        (
            "getRecentlyPlayedTracks",
            "/player/recentlyPlayed?cursor=nope",
        ),
    ];
    for (op, path) in pages {
        c.check(op, &api.get(path).await);
    }
    let played = api.ok("/player/recentlyPlayed").await;
    assert!(
        played["data"]["user"]["recentTrackPlayback"]["edgeCount"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{played}"
    );
    let profile_less = api
        .server
        .issue_token("mock-user", ["music::catalog"], None);
    c.check(
        "getCurrentUser",
        &api.send_raw(
            api.http
                .get(api.url("/me"))
                .header("x-api-key", "mock-api-key")
                .header("authorization", format!("Bearer {profile_less}")),
        )
        .await,
    );
    c.check(
        "updateCurrentUser",
        &api.call(
            Method::PUT,
            "/me",
            Some(
                json!({"name": "New Name", "visibility": "PUBLIC", "playbackVisibility": "PUBLIC"}),
            ),
        )
        .await,
    );
    c.check(
        "updateCurrentUser",
        &api.call(Method::PUT, "/me", Some(json!({"name": "New Name"})))
            .await,
    );
    let search = |body: Value| api.call(Method::POST, "/search/tracks", Some(body));
    c.check(
        "searchTracks",
        &search(json!({"searchFilters": [{"query": "one more time"}], "limit": 2, "sortBy": "relevance"})).await,
    );
    c.check(
        "searchTracks",
        &search(json!({"searchFilters": [{"field": "artistId", "query": "B000S9ULT8"}], "limit": 2, "token": "2", "sortBy": "release"})).await,
    );
    c.check("searchTracks", &search(json!({"searchFilters": []})).await);

    // Injected throttling and server errors are in the spec's format too.
    let faulty = Api::start(
        MockConfig::default()
            .fault(
                FaultRule::new(
                    "getAlbum",
                    FaultKind::Throttle {
                        retry_after: Some(1),
                    },
                )
                .first(1),
            )
            .fault(FaultRule::new("getAlbum", FaultKind::Status(500))),
    )
    .await;
    c.check("getAlbum", &faulty.get("/albums/B0064UPU4G").await);
    c.check("getAlbum", &faulty.get("/albums/B0064UPU4G").await);

    let ops: BTreeSet<String> = c.seen.keys().cloned().collect();
    let all: BTreeSet<String> = c
        .spec
        .operations()
        .iter()
        .map(|op| op.id().to_owned())
        .collect();
    assert_eq!(ops, all, "operations walked");
    for (op, statuses) in &c.seen {
        assert!(
            statuses.contains(&200),
            "{op}: no success answer checked ({statuses:?})"
        );
        assert!(
            statuses.iter().any(|s| *s >= 400),
            "{op}: no error answer checked"
        );
    }
    let all: BTreeSet<u16> = c.seen.values().flatten().copied().collect();
    assert_eq!(all, BTreeSet::from([200, 400, 401, 403, 404, 429, 500]));
    api.server.shutdown().await.unwrap();
}
