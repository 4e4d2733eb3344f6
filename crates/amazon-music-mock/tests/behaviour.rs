//! What the mock does, over real HTTP on loopback: auth, bad input, the library's
//! pagination under concurrent changes, playback sessions and request counters.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use amazon_music_mock::{ALL_SCOPES, MockConfig};
use amazon_music_workspace_tests::mock::{Api, track_id};
use reqwest::Method;
use serde_json::{Value, json};

/// The handle says whether only this machine can reach the server. Binding every interface
/// is harmless here: the test sends nothing.
#[tokio::test]
async fn the_handle_says_whether_it_listens_beyond_loopback() {
    let local = Api::default().await;
    assert!(local.server.is_loopback_only());
    let everywhere = Api::start(MockConfig::default().addr("0.0.0.0:0".parse().unwrap())).await;
    assert!(!everywhere.server.is_loopback_only());
}

#[tokio::test]
async fn auth_failures_get_the_documented_status_and_code() {
    let api =
        Api::start(MockConfig::default().token("reader", "u2", ["music::library::read"])).await;
    let url = api.url("/albums/B0064UPU4G");
    let cases: [(Option<&str>, Option<&str>, u16, &str); 6] = [
        (None, Some("Bearer mock-token"), 403, "ACCESS_DENIED"),
        (Some("mock-api-key"), None, 401, "INVALID_AUTH_TYPE"),
        (
            Some("mock-api-key"),
            Some("Bearer "),
            401,
            "INVALID_AUTH_TOKEN",
        ),
        (
            Some("mock-api-key"),
            Some("Bearer unknown"),
            401,
            "INVALID_ACCESS_TOKEN",
        ),
        (
            Some("mock-api-key"),
            Some("Bearer reader"),
            403,
            "ACCESS_DENIED",
        ),
        (Some("mock-api-key"), Some("Bearer mock-token"), 200, ""),
    ];
    for (key, auth, status, code) in cases {
        let mut request = api.http.get(&url);
        if let Some(k) = key {
            request = request.header("x-api-key", k);
        }
        if let Some(a) = auth {
            request = request.header("authorization", a);
        }
        let reply = api.send_raw(request).await;
        if status == 200 {
            assert_eq!(reply.status, 200);
        } else {
            assert_eq!(reply.error(), (status, code.to_owned()), "{key:?} {auth:?}");
        }
    }
}

#[tokio::test]
async fn expired_tokens_are_refused_and_a_fresh_one_works() {
    let mut api = Api::start(MockConfig::default().token_lifetime(Duration::ZERO)).await;
    assert_eq!(
        api.get("/albums/B0064UPU4G").await.error(),
        (401, "INVALID_ACCESS_TOKEN".into())
    );
    api.token = api
        .server
        .issue_token("mock-user", ALL_SCOPES, Duration::ZERO);
    let expired = api.get("/albums/B0064UPU4G").await;
    assert_eq!(expired.error().1, "INVALID_ACCESS_TOKEN");
    assert!(
        expired.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    api.token = api
        .server
        .issue_token("mock-user", ALL_SCOPES, Duration::from_secs(3600));
    assert_eq!(api.get("/albums/B0064UPU4G").await.status, 200);
}

#[tokio::test]
async fn out_of_spec_input_is_a_bad_request_never_a_crash() {
    let api = Api::default().await;
    let many = vec!["B0064UPU4G"; 101].join(",");
    for path in [
        "/me/library/albums?limit=0".to_owned(),
        "/me/library/albums?limit=101".to_owned(),
        "/me/library/albums?limit=ten".to_owned(),
        format!("/albums?ids={many}"),
        "/albums?ids=".to_owned(),
        "/albums?ids=B0064UPU4G&ids=B00D3PLC1K".to_owned(),
        "/albums".to_owned(),
    ] {
        assert_eq!(
            api.get(&path).await.error(),
            (400, "BAD_REQUEST".into()),
            "{path}"
        );
    }
    let sid = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let loop_path = format!("/playback/sessions/{sid}/loop");
    for (content_type, body) in [
        ("application/json", r#"{"loopMode": "LOOP_ON"}"#),
        ("application/json", r#"{"loopMode": "#),
        ("application/json", ""),
        ("text/plain", r#"{"loopMode": "LOOP_ALL"}"#),
    ] {
        let request = api
            .request(Method::PUT, &loop_path)
            .header("content-type", content_type)
            .body(body);
        let reply = api.send_raw(request).await;
        assert_eq!(
            reply.error(),
            (400, "BAD_REQUEST".into()),
            "{content_type} {body}"
        );
    }
    let nowhere = api.get("/no/such/path").await;
    assert_eq!(nowhere.error(), (404, "RESOURCE_NOT_FOUND".into()));
}

#[tokio::test]
async fn get_albums_keeps_order_and_leaves_out_unknown_ids() {
    let api = Api::default().await;
    let body = api.ok("/albums?ids=B00D3PLC1K,B000000000,B0064UPU4G").await;
    let ids: Vec<&str> = body["data"]["albums"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["B00D3PLC1K", "B0064UPU4G"]);
    let discovery = api.ok("/albums/B0064UPU4G").await;
    assert_eq!(
        discovery["data"]["album"]["artists"][0]["name"],
        "Daft Punk"
    );
    assert_eq!(discovery["data"]["album"]["trackCount"], 14);
}

fn library_ids(page: &Value) -> Vec<String> {
    page["data"]["user"]["libraryAlbums"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_pages_are_gap_free_while_others_add_and_remove() {
    // The albums that stay in the library the whole time, and others that come and go.
    let ids = [
        "B0064UPU4G",
        "B00D3PLC1K",
        "B091MTJT3P",
        "B0BS2SB6RC",
        "B07B62ZK5S",
        "B06VWVWDDH",
        "B0101GQZGA",
        "B08XK843KK",
        "B08XJQM7YV",
    ]
    .map(String::from);
    let stable: Vec<String> = ids[..5].to_vec();
    let churn: Vec<String> = ids[5..].to_vec();
    let api = Arc::new(Api::start(MockConfig::default().initial_library(stable.clone())).await);

    let done = Arc::new(AtomicBool::new(false));
    let churner = {
        let (api, done, churn) = (api.clone(), done.clone(), churn.clone());
        tokio::spawn(async move {
            let mut ops = 0;
            while !done.load(Ordering::Relaxed) && ops < 2000 {
                let id = &churn[ops % churn.len()];
                let method = if (ops / churn.len()) % 2 == 0 {
                    Method::PUT
                } else {
                    Method::DELETE
                };
                let reply = api
                    .call(method, &format!("/me/library/albums/{id}"), None)
                    .await;
                assert_eq!(reply.status, 200);
                ops += 1;
            }
            ops
        })
    };
    let mut rounds = 0;
    while rounds < 40 {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/me/library/albums?limit=2&cursor={c}"),
                None => "/me/library/albums?limit=2".to_owned(),
            };
            let page = api.ok(&path).await;
            seen.extend(library_ids(&page));
            let info = &page["data"]["user"]["libraryAlbums"]["pageInfo"];
            match info["token"].as_str() {
                Some(t) if info["hasNextPage"] == true => cursor = Some(t.to_owned()),
                _ => break,
            }
        }
        // A churned album removed and saved again mid-listing is a new entry and may show
        // twice; an album that stayed must show exactly once, in its place.
        let stable_seen: Vec<&String> = seen.iter().filter(|id| stable.contains(id)).collect();
        assert_eq!(
            stable_seen,
            stable.iter().collect::<Vec<_>>(),
            "stable albums in order, none missing"
        );
        rounds += 1;
    }
    done.store(true, Ordering::Relaxed);
    let ops = churner.await.unwrap();
    assert!(ops > 0, "the library changed while it was listed");
}

#[tokio::test]
async fn libraries_belong_to_the_token_user() {
    let api = Api::start(MockConfig::default().initial_library(Vec::<String>::new())).await;
    assert_eq!(
        api.call(Method::PUT, "/me/library/albums/B091MTJT3P", None)
            .await
            .status,
        200
    );
    let mine = api.ok("/me/library/albums").await;
    assert_eq!(library_ids(&mine), ["B091MTJT3P"]);
    assert_eq!(mine["data"]["user"]["id"], "mock-user");
    let mut other = Api::start(MockConfig::default()).await;
    other.token = other.server.issue_token("someone-else", ALL_SCOPES, None);
    let theirs = other.ok("/me/library/albums").await;
    assert!(!library_ids(&theirs).contains(&"B091MTJT3P".to_owned()));
    let removed = api
        .call(Method::DELETE, "/me/library/albums/B091MTJT3P", None)
        .await;
    assert_eq!(
        removed.json()["data"]["removeAlbum"]["saveState"],
        "REMOVED"
    );
    assert!(library_ids(&api.ok("/me/library/albums").await).is_empty());
}

fn entity(reply: &Value) -> &Value {
    &reply["data"]["entities"][0]
}

#[tokio::test]
async fn a_session_moves_through_its_queue_and_stops_at_the_ends() {
    let api = Api::default().await;
    let first = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    assert_eq!(track_id(&first), "B0064UPUDC");
    assert_eq!(first["actions"]["previous"]["isAllowed"], false);
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    assert_eq!(
        api.get(&at("/previous")).await.error(),
        (404, "NO_MORE_PREVIOUS_ENTITY".into())
    );

    let queue = api.ok(&at("/queue?limit=10")).await;
    let info = &queue["data"]["queue"]["pageInfo"];
    assert_eq!(info["hasNextPage"], true);
    let rest = api
        .ok(&at(&format!(
            "/queue?limit=10&cursor={}",
            info["token"].as_str().unwrap()
        )))
        .await;
    assert_eq!(rest["data"]["queue"]["edgeCount"], 4);
    assert_eq!(
        rest["data"]["queue"]["pageInfo"],
        json!({"hasNextPage": false}),
        "the last page gives no token to go on with"
    );

    let mut titles = vec![first["track"]["title"].as_str().unwrap().to_owned()];
    for _ in 0..13 {
        let next = api.ok(&at("/next")).await;
        titles.push(entity(&next)["track"]["title"].as_str().unwrap().to_owned());
    }
    assert_eq!(titles[3], "Harder, Better, Faster, Stronger");
    assert_eq!(titles[13], "Too Long");
    assert_eq!(
        entity(&api.ok(&at("/current")).await)["actions"]["next"]["isAllowed"],
        false
    );
    assert_eq!(
        api.get(&at("/next")).await.error(),
        (404, "NO_MORE_NEXT_ENTITY".into())
    );
    assert_eq!(
        entity(&api.ok(&at("/previous")).await)["track"]["title"],
        "Face to Face"
    );

    // LOOP_ALL wraps round; LOOP_ONE repeats.
    api.call(
        Method::PUT,
        &at("/loop"),
        Some(json!({"loopMode": "LOOP_ALL"})),
    )
    .await;
    api.ok(&at("/next")).await;
    assert_eq!(
        entity(&api.ok(&at("/next")).await)["track"]["title"],
        "One More Time"
    );
    api.call(
        Method::PUT,
        &at("/loop"),
        Some(json!({"loopMode": "LOOP_ONE"})),
    )
    .await;
    assert_eq!(
        entity(&api.ok(&at("/next")).await)["track"]["title"],
        "One More Time"
    );

    // The window: the current entity, then `limit` queued after it.
    let window = api.ok(&at("/current")).await;
    assert_eq!(window["data"]["entities"].as_array().unwrap().len(), 1);
    api.call(
        Method::PUT,
        &at("/loop"),
        Some(json!({"loopMode": "LOOP_OFF"})),
    )
    .await;
    let next = api.ok(&at("/next?limit=3")).await;
    assert_eq!(next["data"]["entities"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn queue_inserts_land_after_the_current_entity_or_at_the_end() {
    let api = Api::default().await;
    let first = api
        .session(json!({"playParams": {"id": "B0BS2S4WXN", "containerIds": ["B0BS2SB6RC"]}}))
        .await;
    assert_eq!(first["track"]["title"], "Flowers");
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    let insert = |id: &str| json!({"playParams": {"id": id}});
    assert_eq!(
        api.call(Method::POST, &at("/queue/next"), Some(insert("B0064UPUDC")))
            .await
            .status,
        200
    );
    assert_eq!(
        api.call(Method::POST, &at("/queue/last"), Some(insert("B0BS2S4WXN")))
            .await
            .status,
        200
    );
    let without_id = json!({"playParams": {"containerIds": ["B0064UPU4G"]}});
    assert_eq!(
        api.call(Method::POST, &at("/queue/next"), Some(without_id))
            .await
            .status,
        400
    );
    let queue = api.ok(&at("/queue")).await;
    let ids: Vec<String> = queue["data"]["queue"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| track_id(&e["node"]))
        .collect();
    assert_eq!(ids[0], "B0BS2S4WXN");
    assert_eq!(ids[1], "B0064UPUDC");
    assert_eq!(ids.last().unwrap(), "B0BS2S4WXN");
    assert_eq!(track_id(entity(&api.ok(&at("/next")).await)), "B0064UPUDC");

    // Refresh: the same entity again, with a fresh stream.
    let reference = first["entityReferenceId"].as_str().unwrap();
    let refreshed = api.ok(&at(&format!("/entities/{reference}"))).await;
    assert_eq!(entity(&refreshed)["entityReferenceId"], reference);
    assert_ne!(
        entity(&refreshed)["track"]["playbackInformation"]["url"],
        first["track"]["playbackInformation"]["url"]
    );
}

/// The track ids of a session's queue, from its current entity on.
async fn queue_track_ids(api: &Api, sid: &str) -> Vec<String> {
    api.ok(&format!("/playback/sessions/{sid}/queue")).await["data"]["queue"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| track_id(&e["node"]))
        .collect()
}

async fn shuffled_order(seed: u64) -> (Vec<String>, Vec<String>) {
    let api = Api::start(MockConfig::default().seed(seed)).await;
    let first = api
        .session(json!({
            "playParams": {"containerIds": ["B0064UPU4G"]},
            "playbackOptions": {"shuffleMode": "SHUFFLE_ON"}
        }))
        .await;
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let shuffled = queue_track_ids(&api, &sid).await;
    let off = json!({"shuffleMode": "SHUFFLE_OFF"});
    api.call(
        Method::PUT,
        &format!("/playback/sessions/{sid}/shuffle"),
        Some(off),
    )
    .await;
    let restored = queue_track_ids(&api, &sid).await;
    (shuffled, restored)
}

#[tokio::test]
async fn shuffle_is_deterministic_from_the_seed_and_restorable() {
    let (a, restored) = shuffled_order(5).await;
    let (b, _) = shuffled_order(5).await;
    let (c, _) = shuffled_order(6).await;
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a[0], "B0064UPUDC", "the first track stays first");
    assert_eq!(restored.len(), 14);
    let mut sorted_a = a.clone();
    sorted_a.sort();
    let mut sorted_r = restored.clone();
    sorted_r.sort();
    assert_eq!(sorted_a, sorted_r);
    assert_ne!(a, restored);
}

#[tokio::test]
async fn skips_run_out_and_actions_say_so_beforehand() {
    let api = Api::start(MockConfig::default().skip_limit(2)).await;
    let first = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    assert_eq!(
        first["actions"]["next"],
        json!({"isAllowed": true, "remainingSkips": 2})
    );
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    api.ok(&at("/next")).await;
    let second = api.ok(&at("/next")).await;
    assert_eq!(
        entity(&second)["actions"]["next"],
        json!({"isAllowed": false, "remainingSkips": 0, "disableType": "NO_MORE_SKIPS"})
    );
    let refused = api.get(&at("/next")).await;
    assert_eq!(refused.error(), (403, "ACCESS_DENIED".into()));
    assert_eq!(
        refused.json()["error"]["payload"]["disableType"],
        "NO_MORE_SKIPS"
    );

    // Another entity finishing frees no skip.
    let earlier = json!({
        "metricId": first["metricId"],
        "event": {"type": "PLAYBACK_FINISHED", "sessionId": sid, "entityReferenceId": first["entityReferenceId"]}
    });
    assert_eq!(
        api.call(Method::POST, "/playback/event", Some(earlier))
            .await
            .status,
        200
    );
    assert_eq!(
        api.get(&at("/next")).await.error(),
        (403, "ACCESS_DENIED".into())
    );

    // Moving on after the entity finished playing is not a skip.
    let current = entity(&second);
    let finished = json!({
        "metricId": current["metricId"],
        "event": {"type": "PLAYBACK_FINISHED", "sessionId": sid, "entityReferenceId": current["entityReferenceId"]}
    });
    assert_eq!(
        api.call(Method::POST, "/playback/event", Some(finished))
            .await
            .status,
        200
    );
    assert_eq!(
        entity(&api.ok(&at("/current")).await)["actions"]["next"]["isAllowed"],
        true
    );
    assert_eq!(api.get(&at("/next")).await.status, 200);
}

/// A playback event of `kind` on the entity `e`.
fn event(e: &Value, kind: &str) -> Value {
    json!({
        "metricId": e["metricId"],
        "event": {"type": kind, "sessionId": e["sessionId"], "entityReferenceId": e["entityReferenceId"], "positionMs": 0}
    })
}

fn started(e: &Value, take_over: Option<&str>) -> Value {
    let mut body = event(e, "PLAYBACK_STARTED");
    if let Some(t) = take_over {
        body["options"] = json!({"takeOverType": t});
    }
    body
}

#[tokio::test]
async fn one_stream_per_user_auto_fails_force_and_default_take_over() {
    let api = Api::default().await;
    let a = api
        .session(json!({"playParams": {"id": "B0BS2S4WXN"}}))
        .await;
    let b = api
        .session(json!({"playParams": {"id": "B0064UPUDC"}}))
        .await;
    let active = |v: Value| -> Vec<String> {
        v["data"]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["sessionId"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(active(api.ok("/playback/sessions/active").await).len(), 2);
    assert_eq!(
        api.call(Method::POST, "/playback/event", Some(started(&a, None)))
            .await
            .status,
        200
    );
    let auto = api
        .call(
            Method::POST,
            "/playback/event",
            Some(started(&b, Some("AUTO"))),
        )
        .await;
    assert_eq!(auto.error(), (429, "MAX_CONCURRENCY_REACHED".into()));
    assert_eq!(
        api.call(Method::POST, "/playback/event", Some(started(&b, None)))
            .await
            .status,
        200
    );
    assert_eq!(
        active(api.ok("/playback/sessions/active").await),
        [b["sessionId"].as_str().unwrap()]
    );
    assert_eq!(
        api.call(
            Method::POST,
            "/playback/event",
            Some(started(&a, Some("FORCE")))
        )
        .await
        .status,
        200
    );
    assert_eq!(
        active(api.ok("/playback/sessions/active").await),
        [a["sessionId"].as_str().unwrap()]
    );

    // Refresh brings the taken-over session back.
    let path = format!(
        "/playback/sessions/{}/entities/{}",
        b["sessionId"].as_str().unwrap(),
        b["entityReferenceId"].as_str().unwrap()
    );
    api.ok(&path).await;
    assert_eq!(active(api.ok("/playback/sessions/active").await).len(), 2);
}

/// A session is its user's: to another user of the same mock, every operation on it answers
/// 404 and changes nothing, and it is not among their active sessions.
#[tokio::test]
async fn another_users_session_is_unknown_to_every_operation_on_it() {
    let mut api = Api::default().await;
    let started = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    let sid = started["sessionId"].as_str().unwrap().to_owned();
    let entity = started["entityReferenceId"].as_str().unwrap().to_owned();
    let queue = format!("/playback/sessions/{sid}/queue");
    let before = api.ok(&queue).await;

    let stranger = api.server.issue_token("stranger", ALL_SCOPES, None);
    let owner = std::mem::replace(&mut api.token, stranger);
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    let track = json!({"playParams": {"id": "B0BS2S4WXN"}});
    for (method, path, body) in [
        (Method::GET, at("/current"), None),
        (Method::GET, at("/next"), None),
        (Method::GET, at("/previous"), None),
        (Method::GET, at("/queue"), None),
        (Method::GET, at(&format!("/entities/{entity}")), None),
        (Method::POST, at("/queue/next"), Some(track.clone())),
        (Method::POST, at("/queue/last"), Some(track)),
        (
            Method::PUT,
            at("/loop"),
            Some(json!({"loopMode": "LOOP_ALL"})),
        ),
        (
            Method::PUT,
            at("/shuffle"),
            Some(json!({"shuffleMode": "SHUFFLE_ON"})),
        ),
    ] {
        assert_eq!(
            api.call(method, &path, body).await.error(),
            (404, "RESOURCE_NOT_FOUND".into()),
            "{path}"
        );
    }
    let theirs = api.ok("/playback/sessions/active").await;
    assert_eq!(theirs["data"]["entities"], json!([]), "{theirs}");

    api.token = owner;
    assert_eq!(api.ok(&queue).await, before);
}

/// The ids of `count` sessions started one after the other with `body`.
async fn session_ids(api: &Api, body: Value, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..count {
        let first = api.session(body.clone()).await;
        ids.push(first["sessionId"].as_str().unwrap().to_owned());
    }
    ids
}

#[tokio::test]
async fn sessions_are_bounded_the_oldest_forgotten_first() {
    let api = Api::start(MockConfig::default().max_sessions(2)).await;
    let ids = session_ids(
        &api,
        json!({"playParams": {"containerIds": ["B0064UPU4G"]}}),
        3,
    )
    .await;
    let active = api.ok("/playback/sessions/active").await;
    let listed: Vec<&str> = active["data"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sessionId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [ids[1].as_str(), ids[2].as_str()]);
    let forgotten = api
        .get(&format!("/playback/sessions/{}/current", ids[0]))
        .await;
    assert_eq!(forgotten.error(), (404, "RESOURCE_NOT_FOUND".into()));
}

#[tokio::test]
async fn a_queue_is_bounded_and_refuses_inserts_beyond() {
    let api = Api::start(MockConfig::default().max_queue(3)).await;
    let started = api
        .session(json!({"playParams": {"id": "B0BS2S4WXN"}}))
        .await;
    let sid = started["sessionId"].as_str().unwrap().to_owned();
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    let insert = json!({"playParams": {"id": "B0064UPUDC"}});
    for route in ["/queue/next", "/queue/last"] {
        let answer = api
            .call(Method::POST, &at(route), Some(insert.clone()))
            .await;
        assert_eq!(answer.status, 200, "{route}");
    }
    for route in ["/queue/next", "/queue/last"] {
        let refused = api
            .call(Method::POST, &at(route), Some(insert.clone()))
            .await;
        assert_eq!(refused.error(), (400, "BAD_REQUEST".into()), "{route}");
    }
    let queue = api.ok(&at("/queue")).await;
    assert_eq!(queue["data"]["queue"]["edges"].as_array().unwrap().len(), 3);
    // Nor can a session start with more than a queue holds: an album of more tracks.
    let album = api
        .call(
            Method::POST,
            "/playback/sessions",
            Some(json!({"playParams": {"containerIds": ["B0064UPU4G"]}})),
        )
        .await;
    assert_eq!(album.error(), (400, "BAD_REQUEST".into()));
}

/// The queues of all sessions together hold at most `max_queue_entries`: an insert beyond is
/// refused like one beyond `max_queue` (400, the queue unchanged), a new session makes room
/// by forgetting the oldest sessions, and one that could never fit is refused outright.
#[tokio::test]
async fn queue_entries_are_bounded_across_sessions() {
    let api = Api::start(MockConfig::default().max_queue_entries(3)).await;
    let one_track = json!({"playParams": {"id": "B0BS2S4WXN"}});
    let insert = json!({"playParams": {"id": "B0064UPUDC"}});
    let oldest = api.session(one_track.clone()).await["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let newer = api.session(one_track.clone()).await["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue_len = |sid: String| {
        let api = &api;
        async move {
            api.ok(&format!("/playback/sessions/{sid}/queue")).await["data"]["queue"]["edges"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    let insert_into = |sid: String| {
        let (api, insert) = (&api, insert.clone());
        async move {
            api.call(
                Method::POST,
                &format!("/playback/sessions/{sid}/queue/last"),
                Some(insert),
            )
            .await
        }
    };
    assert_eq!(insert_into(oldest.clone()).await.status, 200);
    // Three entries now, each queue far below max_queue.
    assert_eq!(
        insert_into(newer.clone()).await.error(),
        (400, "BAD_REQUEST".into())
    );
    assert_eq!(queue_len(newer.clone()).await, 1, "the queue is unchanged");

    // A session too long to fit even alone is refused, and forgets nobody.
    let album = api
        .call(
            Method::POST,
            "/playback/sessions",
            Some(json!({"playParams": {"containerIds": ["B0064UPU4G"]}})),
        )
        .await;
    assert_eq!(album.error(), (400, "BAD_REQUEST".into()));
    assert_eq!(queue_len(oldest.clone()).await, 2);

    // A new session of one entry makes room: the oldest session (two entries) goes.
    let newest = api.session(one_track).await["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let forgotten = api
        .get(&format!("/playback/sessions/{oldest}/current"))
        .await;
    assert_eq!(forgotten.error(), (404, "RESOURCE_NOT_FOUND".into()));
    assert_eq!(queue_len(newest).await, 1);
    assert_eq!(insert_into(newer.clone()).await.status, 200, "room again");
    assert_eq!(queue_len(newer).await, 2);
}

/// A new session forgets as many of the oldest sessions as its entries need, not one.
#[tokio::test]
async fn a_new_session_forgets_as_many_old_ones_as_it_needs() {
    let api = Api::start(MockConfig::default().max_queue_entries(3)).await;
    let sessions = session_ids(&api, json!({"playParams": {"id": "B0BS2S4WXN"}}), 3).await;
    // The album's last two tracks, played on from the first of them.
    let album = api.ok("/albums/B0064UPU4G").await;
    let tracks = album["data"]["album"]["tracks"].as_array().unwrap();
    let second_to_last = tracks[tracks.len() - 2]["id"].as_str().unwrap();
    let two = api
        .session(json!({
            "playParams": {"id": second_to_last},
            "playbackOptions": {"playbackContinuationMode": true}
        }))
        .await;
    let two = two["sessionId"].as_str().unwrap();
    let status = |sid: String| {
        let api = &api;
        async move {
            api.get(&format!("/playback/sessions/{sid}/queue"))
                .await
                .status
        }
    };
    assert_eq!(status(sessions[0].clone()).await, 404);
    assert_eq!(status(sessions[1].clone()).await, 404);
    assert_eq!(status(sessions[2].clone()).await, 200);
    assert_eq!(queue_track_ids(&api, two).await.len(), 2);
}

/// The libraries of all users together hold at most `max_library_entries`: saving beyond is
/// refused with 400 and the library unchanged, saving a saved album still changes nothing,
/// and removing an album makes room. Each user's initial library counts.
#[tokio::test]
async fn library_entries_are_bounded_across_users() {
    let mut api = Api::start(MockConfig::default().max_library_entries(5)).await;
    let mine = api.token.clone();
    let theirs = api.server.issue_token("someone-else", ALL_SCOPES, None);
    let ids = |page: Value| -> Vec<String> {
        page["data"]["user"]["libraryAlbums"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Two initial albums each: four entries.
    assert_eq!(ids(api.ok("/me/library/albums").await).len(), 2);
    api.token = theirs.clone();
    let initial = ids(api.ok("/me/library/albums").await);
    assert_eq!(initial.len(), 2);

    api.token = mine.clone();
    let saved = api
        .call(Method::PUT, "/me/library/albums/B0064UPU4G", None)
        .await;
    assert_eq!(saved.status, 200, "the fifth entry");

    api.token = theirs.clone();
    let refused = api
        .call(Method::PUT, "/me/library/albums/B0064UPU4G", None)
        .await;
    assert_eq!(refused.error(), (400, "BAD_REQUEST".into()));
    assert_eq!(
        ids(api.ok("/me/library/albums").await),
        initial,
        "unchanged"
    );
    let again = api
        .call(
            Method::PUT,
            &format!("/me/library/albums/{}", initial[0]),
            None,
        )
        .await;
    assert_eq!(again.status, 200, "saving a saved album changes nothing");

    api.token = mine;
    let removed = api
        .call(Method::DELETE, "/me/library/albums/B0064UPU4G", None)
        .await;
    assert_eq!(removed.status, 200);
    api.token = theirs;
    let saved = api
        .call(Method::PUT, "/me/library/albums/B0064UPU4G", None)
        .await;
    assert_eq!(saved.status, 200, "room again");
    assert_eq!(ids(api.ok("/me/library/albums").await).len(), 3);
}

/// A session keeps its device id, so its length is bounded, or the sessions kept would
/// multiply whatever header size the HTTP server lets through.
#[tokio::test]
async fn a_device_id_longer_than_the_mock_keeps_is_refused() {
    let api = Api::default().await;
    let create = |device: String| {
        let api = &api;
        async move {
            api.send_raw(
                api.request(Method::POST, "/playback/sessions")
                    .header("content-type", "application/json")
                    .header("x-amzn-device-id", device)
                    .body(json!({"playParams": {"id": "B0BS2S4WXN"}}).to_string()),
            )
            .await
        }
    };
    assert_eq!(create("d".repeat(256)).await.status, 200);
    assert_eq!(
        create("d".repeat(257)).await.error(),
        (400, "BAD_REQUEST".into())
    );
}

/// `MockState::album_ids` lists the whole catalog, documented and generated albums alike, and
/// a generated album looks like a real one: its length fits its tracks, its image is a URL.
#[tokio::test]
async fn the_catalog_is_listed_whole_and_generated_albums_are_plausible() {
    let api = Api::start(MockConfig::default()).await;
    let ids = api.server.state().album_ids();
    assert!(ids.len() > 1000, "{} albums", ids.len());
    assert!(ids.iter().any(|id| id == "B0064UPU4G"));
    // The documented albums come first, the generated ones after.
    for id in ids.iter().take(30).chain(ids.iter().rev().take(25)) {
        let album = api.ok(&format!("/albums/{id}")).await["data"]["album"].clone();
        let tracks = album["trackCount"].as_u64().unwrap();
        let duration = album["duration"].as_u64().unwrap();
        // Two documented albums keep the length their pages give.
        assert!(
            (150 * tracks..=330 * tracks).contains(&duration) || duration == 3660,
            "{id}: {duration} s for {tracks} tracks"
        );
        let image = album["images"][0]["url"].as_str().unwrap();
        assert!(
            image.starts_with("https://m.media-amazon.com/images/I/")
                && image.ends_with(".jpg")
                && image.len() == "https://m.media-amazon.com/images/I/".len() + 11 + 4,
            "{image}"
        );
    }
}

#[tokio::test]
async fn requests_are_counted_per_operation() {
    let api = Api::default().await;
    api.session(json!({"playParams": {"id": "B0BS2S4WXN"}}))
        .await;
    api.get("/albums/B0064UPU4G").await;
    api.get("/albums/B000000000").await;
    api.send_raw(api.http.get(api.url("/albums/B0064UPU4G")))
        .await;
    assert_eq!(api.server.requests("createPlaybackSession"), 1);
    assert_eq!(api.server.requests("getAlbum"), 3);
    assert_eq!(api.server.requests("getAlbums"), 0);
    assert_eq!(api.server.requests("noSuchOperation"), 0);
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let api = Api::default().await;
    let addr = api.server.addr();
    assert!(api.server.base_url().ends_with("/v1"));
    let Api { server, .. } = api;
    server.shutdown().await.unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

/// Dropping the handle stops the server too: the listener closes once the server task sees
/// the signal, which this waits for (a test that hangs here is the failure).
#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let api = Api::default().await;
    let addr = api.server.addr();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    drop(api);
    let closed = async {
        while tokio::net::TcpStream::connect(addr).await.is_ok() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), closed)
        .await
        .expect("the listener closes after the handle is dropped");
}

/// The track ids of Discovery, in order, as Get Album lists them.
async fn discovery_tracks(api: &Api) -> Vec<String> {
    api.ok("/albums/B0064UPU4G").await["data"]["album"]["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn queued_ids(api: &Api, sid: &str) -> Vec<String> {
    let queue = api
        .ok(&format!("/playback/sessions/{sid}/queue?limit=50"))
        .await;
    queue["data"]["queue"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| track_id(&e["node"]))
        .collect()
}

/// A track inside the container asked for starts there, once; a track alone with continuation
/// plays on through the rest of its album.
#[tokio::test]
async fn a_start_track_is_found_in_its_container_and_continuation_follows_its_album() {
    let api = Api::default().await;
    let tracks = discovery_tracks(&api).await;
    let inside = api
        .session(json!({"playParams": {"id": tracks[2], "containerIds": ["B0064UPU4G"]}}))
        .await;
    assert_eq!(track_id(&inside), tracks[2]);
    let sid = inside["sessionId"].as_str().unwrap();
    // The queue runs from the current entity on.
    assert_eq!(
        queued_ids(&api, sid).await,
        tracks[2..],
        "the album, not a track more"
    );

    let continued = api
        .session(json!({
            "playParams": {"id": tracks[11]},
            "playbackOptions": {"playbackContinuationMode": true}
        }))
        .await;
    let sid = continued["sessionId"].as_str().unwrap();
    assert_eq!(queued_ids(&api, sid).await, tracks[11..]);
}

/// Queue Next after a named entity puts the track right after it, not after the current one;
/// refreshing an entity gives actions only to the current one.
#[tokio::test]
async fn queue_next_after_a_named_entity_and_refresh_of_a_queued_one() {
    let api = Api::default().await;
    let tracks = discovery_tracks(&api).await;
    let first = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    let queue = api.ok(&at("/queue?limit=3")).await;
    let third = &queue["data"]["queue"]["edges"][2]["node"];
    assert_eq!(track_id(third), tracks[2]);
    let reference = third["entityReferenceId"].as_str().unwrap();
    let insert = json!({"playParams": {"id": "B0BS2S4WXN"}, "entityReferenceId": reference});
    assert_eq!(
        api.call(Method::POST, &at("/queue/next"), Some(insert))
            .await
            .status,
        200
    );
    let ids = queued_ids(&api, &sid).await;
    assert_eq!(ids[..4], [&tracks[0], &tracks[1], &tracks[2], "B0BS2S4WXN"]);

    let queued = api.ok(&at(&format!("/entities/{reference}"))).await;
    assert!(entity(&queued).get("actions").is_none(), "{queued}");
    let current = first["entityReferenceId"].as_str().unwrap();
    let refreshed = api.ok(&at(&format!("/entities/{current}"))).await;
    assert_eq!(entity(&refreshed)["actions"]["next"]["isAllowed"], true);
}

/// When the oldest session is forgotten to make room, another session's stream is still
/// known: a third session asking to stream with AUTO is still refused.
#[tokio::test]
async fn forgetting_the_oldest_session_keeps_another_sessions_stream() {
    let api = Api::start(MockConfig::default().max_sessions(2)).await;
    let body = json!({"playParams": {"id": "B0BS2S4WXN"}});
    let _oldest = api.session(body.clone()).await;
    let streaming = api.session(body.clone()).await;
    assert_eq!(
        api.call(
            Method::POST,
            "/playback/event",
            Some(started(&streaming, None))
        )
        .await
        .status,
        200
    );
    let newest = api.session(body).await;
    let refused = api
        .call(
            Method::POST,
            "/playback/event",
            Some(started(&newest, Some("AUTO"))),
        )
        .await;
    assert_eq!(refused.error(), (429, "MAX_CONCURRENCY_REACHED".into()));
}

/// The handle tells what it serves: the spec's operations in spec order, the sign-in
/// configuration it was given, and a short `Debug` of its state.
#[tokio::test]
async fn the_handle_reports_its_operations_and_configuration() {
    let lwa = amazon_music_mock::LwaConfig::default().client_id("amzn1.application-oa2-client.t");
    let api = Api::start(MockConfig::default().lwa(lwa)).await;
    let spec = amazon_music_spec::Spec::embedded().unwrap();
    let ids: Vec<String> = spec
        .operations()
        .iter()
        .map(|op| op.id().to_owned())
        .collect();
    assert!(ids.len() > 10, "{ids:?}");
    assert_eq!(api.server.state().operation_ids(), ids);
    assert_eq!(
        api.server.lwa_config().client_id,
        "amzn1.application-oa2-client.t"
    );
    let shown = format!("{:?}", api.server.state());
    assert!(!shown.contains(&api.token), "{shown}");
    for useful in [
        format!("albums: {}", api.server.state().album_ids().len()),
        format!("operations: {}", ids.len()),
    ] {
        assert!(shown.contains(&useful), "{useful} missing from {shown}");
    }
}

/// A session belongs to the user who started it: to anyone else it is as unknown as one that
/// never existed.
#[tokio::test]
async fn another_users_session_is_not_found() {
    let api =
        Api::start(MockConfig::default().token("other-token", "other-user", ALL_SCOPES)).await;
    let first = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    let path = format!(
        "/playback/sessions/{}/current",
        first["sessionId"].as_str().unwrap()
    );
    assert_eq!(api.get(&path).await.status, 200);
    let other = api
        .send_raw(
            api.http
                .get(api.url(&path))
                .header("x-api-key", "mock-api-key")
                .header("authorization", "Bearer other-token"),
        )
        .await;
    assert_eq!(other.error(), (404, "RESOURCE_NOT_FOUND".into()));
    let report = api
        .send_raw(
            api.http
                .post(api.url("/playback/event"))
                .header("x-api-key", "mock-api-key")
                .header("authorization", "Bearer other-token")
                .header("content-type", "application/json")
                .body(started(&first, None).to_string()),
        )
        .await;
    assert_eq!(report.error(), (404, "RESOURCE_NOT_FOUND".into()));
}

/// Stopping the session that streams frees the user's stream; stopping another one does not.
#[tokio::test]
async fn stopping_frees_the_stream_only_from_the_session_that_streams() {
    let api = Api::default().await;
    let mut sessions = Vec::new();
    for id in ["B0BS2S4WXN", "B0064UPUDC", "B0064UPUDC"] {
        sessions.push(api.session(json!({"playParams": {"id": id}})).await);
    }
    let [a, b, c] = &sessions[..] else {
        unreachable!()
    };
    let report = |body: Value| api.call(Method::POST, "/playback/event", Some(body));
    assert_eq!(report(started(a, None)).await.status, 200);
    assert_eq!(report(event(b, "PLAYBACK_STOPPED")).await.status, 200);
    assert_eq!(
        report(started(c, Some("AUTO"))).await.error(),
        (429, "MAX_CONCURRENCY_REACHED".into()),
        "a stops nothing by b stopping"
    );
    assert_eq!(report(event(a, "PLAYBACK_STOPPED")).await.status, 200);
    assert_eq!(report(started(c, Some("AUTO"))).await.status, 200);
}

/// Turning shuffle on when it is already on keeps the order to restore: turning it off then
/// gives the album's order back.
#[tokio::test]
async fn shuffle_on_twice_still_restores_the_original_order() {
    let api = Api::default().await;
    let plain = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    let album_order = queue_track_ids(&api, plain["sessionId"].as_str().unwrap()).await;
    let first = api
        .session(json!({
            "playParams": {"containerIds": ["B0064UPU4G"]},
            "playbackOptions": {"shuffleMode": "SHUFFLE_ON"}
        }))
        .await;
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let path = format!("/playback/sessions/{sid}/shuffle");
    let shuffle = |mode: &str| api.call(Method::PUT, &path, Some(json!({"shuffleMode": mode})));
    assert_eq!(shuffle("SHUFFLE_ON").await.status, 200);
    assert_ne!(queue_track_ids(&api, &sid).await, album_order);
    assert_eq!(shuffle("SHUFFLE_OFF").await.status, 200);
    assert_eq!(queue_track_ids(&api, &sid).await, album_order);
}

/// Queue Last appends at the end whatever else its body holds: an `entityReferenceId`, which
/// only Queue Next reads, is ignored, even one the session does not know.
#[tokio::test]
async fn queue_last_ignores_an_entity_reference() {
    let api = Api::default().await;
    let first = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    let sid = first["sessionId"].as_str().unwrap().to_owned();
    let at = |tail: &str| format!("/playback/sessions/{sid}{tail}");
    let body = json!({
        "playParams": {"id": "B0BS2S4WXN"},
        "entityReferenceId": "00000000-0000-4000-8000-000000000000"
    });
    let reply = api.call(Method::POST, &at("/queue/last"), Some(body)).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    let queue = api.ok(&at("/queue?limit=10&cursor=10")).await;
    let edges = queue["data"]["queue"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 5, "{queue}");
    assert_eq!(track_id(&edges[4]["node"]), "B0BS2S4WXN");
}

/// A header parameter the spec declares is checked like any other: a device id that is not
/// visible ASCII is a 400 naming the header, not a session.
#[tokio::test]
async fn a_declared_header_that_is_not_visible_ascii_is_a_bad_request() {
    let api = Api::default().await;
    let reply = api
        .send_raw(
            api.request(Method::POST, "/playback/sessions")
                .header("content-type", "application/json")
                .header(
                    "X-Amzn-Device-Id",
                    reqwest::header::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
                )
                .body(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}).to_string()),
        )
        .await;
    assert_eq!(reply.error(), (400, "BAD_REQUEST".into()));
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(message, "header X-Amzn-Device-Id is not visible ASCII");
    let active = api.ok("/playback/sessions/active").await;
    assert_eq!(
        active["data"]["entities"],
        json!([]),
        "no session was started"
    );
}

/// Shutting down lets a request in flight finish, and returns only once it has: the request
/// waits out a 300 ms latency, so shutdown cannot return sooner than that after it was sent.
#[tokio::test]
async fn shutdown_waits_for_a_request_in_flight() {
    let latency = Duration::from_millis(300);
    let api = Api::start(
        MockConfig::default().fault(amazon_music_mock::FaultRule::new(
            "getAlbum",
            amazon_music_mock::FaultKind::Latency(latency),
        )),
    )
    .await;
    let sent = std::time::Instant::now();
    let request = api.request(Method::GET, "/albums/B0064UPU4G").send();
    let in_flight = tokio::spawn(async move { request.await.map(|r| r.status().as_u16()) });
    while api.server.requests("getAlbum") == 0 && !in_flight.is_finished() {
        tokio::task::yield_now().await;
    }
    let Api { server, .. } = api;
    server.shutdown().await.unwrap();
    assert!(
        sent.elapsed() >= latency,
        "returned after {:?}",
        sent.elapsed()
    );
    assert_eq!(in_flight.await.unwrap().unwrap(), 200);
}
