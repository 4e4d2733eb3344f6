//! The current user's operations of the other V1 pages, over real HTTP on loopback: the
//! profile, playlists, followed artists, recently played tracks (fed by playback) and the
//! home view; each user sees only their own.

use std::collections::BTreeSet;

use amazon_music_mock::{ALL_SCOPES, MockConfig};
use amazon_music_workspace_tests::mock::Api;
use reqwest::Method;
use serde_json::{Value, json};

fn node_ids(edges: &Value) -> Vec<String> {
    edges
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("a node id").to_owned())
        .collect()
}

fn unix_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// A mock with a second user, `other`, whose token is `other-token`.
async fn two_users() -> Api {
    Api::start(MockConfig::default().token("other-token", "other", ALL_SCOPES)).await
}

#[tokio::test]
async fn an_update_of_the_profile_is_what_get_me_then_shows() {
    let mut api = two_users().await;
    let before = api.ok("/me").await["data"]["user"].clone();
    assert_eq!(before["id"], "mock-user");
    assert_eq!(before["url"], "https://music.amazon.com/profiles/mock-user");
    assert!(before["name"].as_str().is_some_and(|n| !n.is_empty()));
    let update =
        json!({"name": "New Name", "visibility": "PUBLIC", "playbackVisibility": "PRIVATE"});
    let reply = api.call(Method::PUT, "/me", Some(update)).await;
    assert_eq!(reply.status, 200);
    let updated = reply.json()["data"]["updateUser"].clone();
    assert_eq!(updated["name"], "New Name");
    assert_eq!(api.ok("/me").await["data"]["user"], updated);
    api.token = "other-token".to_owned();
    assert_ne!(api.ok("/me").await["data"]["user"]["name"], "New Name");

    for body in [
        json!({"name": "x", "visibility": "PUBLIC"}),
        json!({"name": "x", "visibility": "FRIENDS", "playbackVisibility": "PUBLIC"}),
        json!({"name": 3, "visibility": "PUBLIC", "playbackVisibility": "PUBLIC"}),
    ] {
        let reply = api.call(Method::PUT, "/me", Some(body.clone())).await;
        assert_eq!(reply.error(), (400, "BAD_REQUEST".into()), "{body}");
    }
}

#[tokio::test]
async fn each_user_pages_their_own_playlists_and_gets_only_those() {
    let mut api = two_users().await;
    let first = api.ok("/me/playlists?limit=2").await["data"]["user"].clone();
    assert_eq!(first["id"], "mock-user");
    let playlists = &first["playlists"];
    assert_eq!(playlists["edgeCount"], 2);
    assert_eq!(playlists["edges"][0]["cursor"], "0:4a5afe86-7316");
    let mut seen = node_ids(&playlists["edges"]);
    let mut token = playlists["pageInfo"]["token"].as_str().map(str::to_owned);
    while let Some(cursor) = token {
        let page = api
            .ok(&format!("/me/playlists?limit=2&cursor={cursor}"))
            .await;
        let playlists = &page["data"]["user"]["playlists"];
        seen.extend(node_ids(&playlists["edges"]));
        token = playlists["pageInfo"]["token"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 4);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 4);
    let all = api.ok("/me/playlists").await;
    assert_eq!(node_ids(&all["data"]["user"]["playlists"]["edges"]), seen);

    let pink = api.ok("/playlists/4a5afe86-7316").await["data"]["playlist"].clone();
    assert_eq!(pink["title"], "A day of Pink Floyd");
    assert_eq!(pink["trackCount"], 59);
    let mine = seen[1].clone();
    assert_eq!(
        api.ok(&format!("/playlists/{mine}")).await["data"]["playlist"]["id"],
        mine
    );

    api.token = "other-token".to_owned();
    assert_eq!(
        api.get(&format!("/playlists/{mine}")).await.error(),
        (404, "RESOURCE_NOT_FOUND".into()),
        "another user's playlist"
    );
    let theirs = node_ids(&api.ok("/me/playlists").await["data"]["user"]["playlists"]["edges"]);
    assert_eq!(theirs[0], "4a5afe86-7316");
    assert!(!theirs.contains(&mine));
    for bad in ["limit=0", "limit=101", "cursor=1:someone-elses", "cursor=x"] {
        assert_eq!(
            api.get(&format!("/me/playlists?{bad}")).await.error(),
            (400, "BAD_REQUEST".into()),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn followed_artists_page_by_cursor() {
    let api = Api::default().await;
    let all =
        api.ok("/me/followed/artists").await["data"]["user"]["followedArtists"]["edges"].clone();
    let all = node_ids(&all);
    assert_eq!(all[..3], ["B000S9ULT8", "B01EJ9KLA6", "B000QJPQTA"]);
    assert!(all.len() > 3, "artists drawn for the user follow: {all:?}");
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>().len(),
        all.len(),
        "each once"
    );
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/me/followed/artists?limit=1&cursor={c}"),
            None => "/me/followed/artists?limit=1".to_owned(),
        };
        let page = api.ok(&path).await["data"]["user"]["followedArtists"].clone();
        seen.extend(node_ids(&page["edges"]));
        cursor = page["pageInfo"]["token"].as_str().map(str::to_owned);
        if cursor.is_none() {
            assert_eq!(page["pageInfo"], json!({"hasNextPage": false}));
            break;
        }
    }
    assert_eq!(seen, all);
    assert_eq!(
        api.get("/me/followed/artists?limit=101").await.error(),
        (400, "BAD_REQUEST".into())
    );
}

#[tokio::test]
async fn what_a_session_plays_is_recently_played_newest_first() {
    let mut api = two_users().await;
    let empty = api.ok("/player/recentlyPlayed").await["data"]["user"].clone();
    assert_eq!(empty["id"], "mock-user");
    assert_eq!(empty["url"], "https://music.amazon.com/profiles/mock-user");
    assert_eq!(empty["recentTrackPlayback"]["edgeCount"], 0);

    let started_ms = unix_ms();
    let entity = api
        .session(json!({"playParams": {"containerIds": ["B0064UPU4G"]}}))
        .await;
    let sid = entity["sessionId"].as_str().unwrap().to_owned();
    let next = api.ok(&format!("/playback/sessions/{sid}/next")).await;
    assert_eq!(next["data"]["entities"][0]["track"]["title"], "Aerodynamic");
    api.session(json!({"playParams": {"id": "B076YT2CBT"}}))
        .await;

    let played = api.ok("/player/recentlyPlayed").await["data"]["user"].clone();
    let edges = &played["recentTrackPlayback"]["edges"];
    let ids = node_ids(edges);
    assert_eq!(ids[0], "B076YT2CBT");
    assert_eq!(
        ids[1..],
        [
            next["data"]["entities"][0]["track"]["id"].as_str().unwrap(),
            "B0064UPUDC"
        ]
    );
    let times: Vec<&str> = edges
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["playedAt"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] > w[1]), "{times:?}");
    assert!(
        times[0].ends_with('Z') && times[0].len() == 24,
        "{}",
        times[0]
    );
    // Each play is timed when it happened; plays within one millisecond are a millisecond apart.
    let ended_ms = unix_ms();
    for time in &times {
        let ms = chrono::DateTime::parse_from_rfc3339(time)
            .unwrap()
            .timestamp_millis();
        assert!(
            (started_ms..=ended_ms + times.len() as i64).contains(&ms),
            "{time}"
        );
    }
    assert_eq!(
        edges[0]["node"]["title"],
        "Happy (From \"Despicable Me 2\")"
    );

    // Pages of one.
    let first = api.ok("/player/recentlyPlayed?limit=1").await;
    let token = first["data"]["user"]["recentTrackPlayback"]["pageInfo"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = api
        .ok(&format!("/player/recentlyPlayed?limit=1&cursor={token}"))
        .await;
    assert_eq!(
        node_ids(&second["data"]["user"]["recentTrackPlayback"]["edges"]),
        [ids[1].clone()]
    );

    // Another user played nothing.
    api.token = "other-token".to_owned();
    let theirs = api.ok("/player/recentlyPlayed").await;
    assert_eq!(
        theirs["data"]["user"]["recentTrackPlayback"]["edgeCount"],
        0
    );
    for bad in ["limit=61", "limit=0", "cursor=abc"] {
        assert_eq!(
            api.get(&format!("/player/recentlyPlayed?{bad}"))
                .await
                .error(),
            (400, "BAD_REQUEST".into()),
            "{bad}"
        );
    }
    // The history scope is needed.
    api.token = api
        .server
        .issue_token("mock-user", ["music::catalog"], None);
    assert_eq!(
        api.get("/player/recentlyPlayed").await.error(),
        (403, "ACCESS_DENIED".into())
    );
}

#[tokio::test]
async fn the_home_view_groups_the_users_music_a_few_groups_at_a_time() {
    let api = Api::default().await;
    let groups_of = |view: &Value| -> Vec<String> {
        view["content"]["entityGroups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut all = Vec::new();
    let first = api.ok("/views/home?limit=2").await["data"].clone();
    assert_eq!(first["_type"], "View");
    assert_eq!(first["id"], "home");
    assert_eq!(first["content"]["_type"], "ViewContent");
    for group in first["content"]["entityGroups"].as_array().unwrap() {
        assert_eq!(group["_type"], "EntityGroup");
        assert_eq!(group["content"]["_type"], "EntityGroupContent");
        let entities = group["content"]["entities"].as_array().unwrap();
        assert!(!entities.is_empty() && entities.len() <= 2, "{group}");
    }
    all.extend(groups_of(&first));
    let mut token = first["content"]["nextPageToken"]
        .as_str()
        .map(str::to_owned);
    while let Some(cursor) = token {
        let page = api
            .ok(&format!("/views/home?limit=2&cursor={cursor}"))
            .await["data"]
            .clone();
        all.extend(groups_of(&page));
        token = page["content"]["nextPageToken"].as_str().map(str::to_owned);
    }
    assert!(
        !all.contains(&"recently-played".to_owned()),
        "nothing played yet"
    );
    for wanted in [
        "top-tracks",
        "your-playlists",
        "stations",
        "podcasts",
        "followed-artists",
    ] {
        assert!(all.contains(&wanted.to_owned()), "{all:?}");
    }

    api.session(json!({"playParams": {"id": "B0BS2S4WXN"}}))
        .await;
    let home = api.ok("/views/home").await["data"].clone();
    let played = &home["content"]["entityGroups"][0];
    assert_eq!(played["id"], "recently-played");
    assert_eq!(played["content"]["entities"][0]["id"], "B0BS2S4WXN");
    assert_eq!(played["content"]["entities"][0]["_type"], "Track");

    // What a view gives to play, playback takes: a track's MRN, an album's as a container.
    let top = &home["content"]["entityGroups"][1];
    assert_eq!(top["id"], "top-tracks");
    let track = top["content"]["entities"][1].clone();
    let entity = api
        .session(json!({"playParams": track["playParams"]}))
        .await;
    assert_eq!(entity["track"]["id"], track["id"]);
    let releases = home["content"]["entityGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "new-releases")
        .unwrap()
        .clone();
    let album = &releases["content"]["entities"][0];
    let mrn = album["playParams"]["id"].as_str().unwrap();
    let entity = api
        .session(json!({"playParams": {"containerIds": [mrn]}}))
        .await;
    let first = api
        .ok(&format!("/albums/{}", album["id"].as_str().unwrap()))
        .await;
    assert_eq!(
        entity["track"]["id"],
        first["data"]["album"]["tracks"][0]["id"]
    );

    let localized = api
        .request(Method::GET, "/views/home")
        .header("accept-language", "de-DE")
        .header("amzn-image-style", "square");
    assert_eq!(api.send_raw(localized).await.status, 200);
    for bad in ["limit=11", "limit=0", "cursor=abc"] {
        assert_eq!(
            api.get(&format!("/views/home?{bad}")).await.error(),
            (400, "BAD_REQUEST".into()),
            "{bad}"
        );
    }
}
