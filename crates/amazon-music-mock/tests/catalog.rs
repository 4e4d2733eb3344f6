//! The catalog operations of the other V1 pages, over real HTTP on loopback: tracks,
//! artists, stations, podcast shows, searches and top tracks, each with its documented
//! example, its pages and its refusals.

use std::collections::BTreeSet;

use amazon_music_mock::MockConfig;
use amazon_music_workspace_tests::mock::Api;
use reqwest::Method;
use serde_json::{Value, json};

fn ids(edges: &Value) -> Vec<String> {
    edges
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("a node id").to_owned())
        .collect()
}

#[tokio::test]
async fn tracks_artists_and_stations_are_served_as_the_pages_show_them() {
    let api = Api::default().await;
    let track = api.ok("/tracks/B076YT2CBT").await["data"]["track"].clone();
    assert_eq!(track["title"], "Happy (From \"Despicable Me 2\")");
    assert_eq!(track["globalAsin"], "B076YT2CBT");
    assert_eq!(track["duration"], 232);
    assert_eq!(track["album"]["title"], "G I R L");
    assert_eq!(track["artists"][0]["name"], "Pharrell Williams");
    assert_eq!(track["releaseDate"], "2013-06-18T04:00:00.000Z");
    assert_eq!(track["isrc"], "USQ4E1300686");
    assert_eq!(track["audioQualities"], json!(["SD", "HD", "UHD", "360RA"]));
    assert_eq!(
        api.ok("/tracks/B076YT2CBT?mediaType=AUDIO").await["data"]["track"],
        track
    );
    // Every track of every album is there.
    let discovery = api.ok("/albums/B0064UPU4G").await;
    for listed in discovery["data"]["album"]["tracks"].as_array().unwrap() {
        let id = listed["id"].as_str().unwrap();
        let track = api.ok(&format!("/tracks/{id}")).await;
        assert_eq!(track["data"]["track"]["album"]["id"], "B0064UPU4G");
        assert_eq!(track["data"]["track"]["title"], listed["title"]);
    }

    let tash = api.ok("/artists/B01EJ9KLA6").await["data"]["artist"].clone();
    assert_eq!(tash["name"], "Tash Sultana");
    assert_eq!(tash["images"][0]["imageType"], "BACKGROUND");
    assert_eq!(tash["images"][1]["imageType"], "PROFILE");
    let daft = api.ok("/artists/B000S9ULT8").await["data"]["artist"].clone();
    assert_eq!(daft["name"], "Daft Punk");
    assert!(!daft["images"].as_array().unwrap().is_empty());
    let several = api
        .ok("/artists?ids=B01EJ9KLA6,B000000000,B000S9ULT8")
        .await;
    let names: Vec<&str> = several["data"]["artists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Tash Sultana", "Daft Punk"],
        "order kept, unknown left out"
    );

    let station = api.ok("/stations/A3QXXOBP9MU5LY").await["data"]["station"].clone();
    assert_eq!(station["name"], "Pop Culture Radio");
    assert_eq!(station["images"].as_array().unwrap().len(), 3);

    for path in [
        "/tracks/B000000000",
        "/tracks/B076YT2CBT?mediaType=VIDEO",
        "/artists/B000000000",
        "/stations/A000000000000",
        "/podcasts/shows/00000000-0000-0000-0000-000000000000",
    ] {
        assert_eq!(
            api.get(path).await.error(),
            (404, "RESOURCE_NOT_FOUND".into()),
            "{path}"
        );
    }
    let many = vec!["B000S9ULT8"; 101].join(",");
    for path in [
        "/tracks/B076YT2CBT?mediaType=STREAM".to_owned(),
        format!("/artists?ids={many}"),
        "/artists".to_owned(),
        "/artists?ids=".to_owned(),
    ] {
        assert_eq!(
            api.get(&path).await.error(),
            (400, "BAD_REQUEST".into()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_podcast_shows_episodes_page_by_their_cursors() {
    let api = Api::default().await;
    let show = "/podcasts/shows/63825c25-4a0b-4389-a1cc-c72e5dc8bb7b";
    let first = api.ok(&format!("{show}?limit=3")).await["data"]["podcastShow"].clone();
    assert_eq!(first["title"], "The Line");
    let episodes = &first["episodes"];
    assert_eq!(
        episodes["edges"][0]["cursor"],
        "0:4c580caf-3b61-4311-a9c5-2c006651aa23"
    );
    assert_eq!(
        episodes["edges"][0]["node"]["title"],
        "Introducing \"The Line\""
    );
    assert_eq!(episodes["edgeCount"], 3);
    let mut seen = ids(&episodes["edges"]);
    let mut token = episodes["pageInfo"]["token"].as_str().map(str::to_owned);
    while let Some(cursor) = token {
        let page = api.ok(&format!("{show}?limit=3&cursor={cursor}")).await;
        let episodes = &page["data"]["podcastShow"]["episodes"];
        seen.extend(ids(&episodes["edges"]));
        token = episodes["pageInfo"]["token"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 8);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 8, "{seen:?}");
    assert_eq!(seen[7], "7a0dc6a4-0ab8-46d5-9395-872a22110268");
    for bad in [
        "limit=0",
        "limit=101",
        "cursor=3:not-this-one",
        "cursor=abc",
    ] {
        assert_eq!(
            api.get(&format!("{show}?{bad}")).await.error(),
            (400, "BAD_REQUEST".into()),
            "{bad}"
        );
    }
}

async fn search(api: &Api, body: Value) -> Value {
    let reply = api.call(Method::POST, "/search/tracks", Some(body)).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    reply.json()["data"]["searchTracks"].clone()
}

#[tokio::test]
async fn searching_one_more_time_finds_discovery_first() {
    let api = Api::default().await;
    for sort in [None, Some("relevance")] {
        let mut body = json!({"searchFilters": [{"query": "one more time"}]});
        if let Some(sort) = sort {
            body["sortBy"] = Value::from(sort);
        }
        let found = search(&api, body).await;
        assert_eq!(found["edges"][0]["node"]["id"], "B0064UPUDC", "{sort:?}");
        assert_eq!(found["edges"][0]["node"]["title"], "One More Time");
        assert_eq!(found["edges"][0]["node"]["artists"][0]["name"], "Daft Punk");
    }
    // Any case and punctuation.
    let found = search(
        &api,
        json!({"searchFilters": [{"query": "ONE MORE, time!"}]}),
    )
    .await;
    assert_eq!(found["edges"][0]["node"]["id"], "B0064UPUDC");
}

#[tokio::test]
async fn track_searches_filter_by_every_field_and_page_by_the_body_token() {
    let api = Api::default().await;
    let by =
        |field: &str, query: &str| json!({"searchFilters": [{"field": field, "query": query}]});
    let cases: [(&str, &str, &str); 9] = [
        ("id", "B0064UPUDC", "B0064UPUDC"),
        ("asin", "b076yt2cbt", "B076YT2CBT"),
        ("albumId", "B076YSK8CS", "B076YT2CBT"),
        ("albumName", "endless summer vacation", "B0BS2S4WXN"),
        ("artistId", "B000QJPQTA", "B076YT2CBT"),
        ("artistName", "miley cyrus", "B0BS2S4WXN"),
        ("categoryId", "pop", "B0BS2S4WXN"),
        ("name", "flowers", "B0BS2S4WXN"),
        ("isrc", "GBDUW0000053", "B0064UPUDC"),
    ];
    for (field, query, expected) in cases {
        let found = search(&api, by(field, query)).await;
        assert!(
            ids(&found["edges"]).contains(&expected.to_owned()),
            "{field}={query}: {found}"
        );
        let exact = ["id", "asin", "isrc"].contains(&field);
        if exact {
            assert_eq!(found["edgeCount"], 1, "{field}");
        }
    }
    // Every filter must match.
    let none = search(
        &api,
        json!({"searchFilters": [{"field": "artistName", "query": "miley cyrus"},
                                  {"field": "name", "query": "one more time"}]}),
    )
    .await;
    assert_eq!(none["edgeCount"], 0);
    assert_eq!(none["pageInfo"], json!({"hasNextPage": false}));

    // Pages by the body's token walk every hit once, in the order of one big page.
    let query =
        json!({"searchFilters": [{"field": "categoryId", "query": "rock"}], "sortBy": "name"});
    let mut whole = query.clone();
    whole["limit"] = Value::from(100);
    let all = ids(&search(&api, whole).await["edges"]);
    assert!(all.len() > 30, "{}", all.len());
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = query.clone();
        body["limit"] = Value::from(7);
        if let Some(token) = &token {
            body["token"] = Value::from(token.as_str());
        }
        let page = search(&api, body).await;
        seen.extend(ids(&page["edges"]));
        token = page["pageInfo"]["token"].as_str().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen[..all.len()], all);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len());
    assert!(seen.len() > all.len(), "more than one big page");
}

#[tokio::test]
async fn track_searches_sort_by_every_order() {
    let api = Api::default().await;
    let sorted = |sort: &str| json!({"searchFilters": [{"field": "artistId", "query": "B000S9ULT8"}], "sortBy": sort});
    let nodes = |page: &Value| {
        page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect::<Vec<_>>()
    };
    let by_name = nodes(&search(&api, sorted("name")).await);
    let titles: Vec<String> = by_name
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    let by_release = nodes(&search(&api, sorted("release")).await);
    let dates: Vec<&str> = by_release
        .iter()
        .map(|n| n["releaseDate"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(
        dates[0], "2001-03-07T05:00:00.000Z",
        "Discovery came after Around the world"
    );
    let by_popularity = nodes(&search(&api, sorted("popularity")).await);
    assert_eq!(
        by_popularity[0]["id"], "B0064UPUDC",
        "the most played Daft Punk track"
    );
    let by_relevance = nodes(&search(&api, sorted("relevance")).await);
    assert_eq!(by_relevance.len(), by_name.len());
}

#[tokio::test]
async fn track_searches_refuse_what_the_spec_refuses() {
    let api = Api::default().await;
    for body in [
        json!({"searchFilters": []}),
        json!({}),
        json!({"searchFilters": [{"query": ""}]}),
        json!({"searchFilters": [{"field": "mood", "query": "x"}]}),
        json!({"searchFilters": [{"query": "x"}], "limit": 0}),
        json!({"searchFilters": [{"query": "x"}], "limit": 101}),
        json!({"searchFilters": [{"query": "x"}], "sortBy": "random"}),
        json!({"searchFilters": [{"query": "x"}], "token": "not-a-token"}),
        json!({"searchFilters": vec![json!({"query": "x"}); 51]}),
        json!({"searchFilters": [{"query": "x ".repeat(501)}]}),
    ] {
        let reply = api
            .call(Method::POST, "/search/tracks", Some(body.clone()))
            .await;
        assert_eq!(reply.error(), (400, "BAD_REQUEST".into()), "{body}");
    }
    // At the bounds, still a search.
    let most = json!({"searchFilters": vec![json!({"query": "x".repeat(1000)}); 50]});
    assert_eq!(search(&api, most).await["edgeCount"], 0);
}

#[tokio::test]
async fn search_all_groups_the_catalog_top_hits_first() {
    let api = Api::default().await;
    let views = api.ok("/search?query=daft%20punk&limit=3").await["data"].clone();
    let view = &views[0];
    assert_eq!(view["_type"], "View");
    let groups = view["content"]["entityGroups"].as_array().unwrap();
    assert_eq!(groups[0]["title"], "Top hits");
    assert_eq!(groups[0]["content"]["entities"][0]["_type"], "Artist");
    assert_eq!(groups[0]["content"]["entities"][0]["id"], "B000S9ULT8");
    // A name that is the query beats one that starts with it ("Daft Punk Radio"), which beats
    // an album found only with its artists' names.
    let kinds: Vec<&str> = groups[0]["content"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Artist", "Station", "Album"]);
    let titles: Vec<&str> = groups
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    for wanted in ["Artists", "Albums", "Songs", "Stations"] {
        assert!(titles.contains(&wanted), "{titles:?}");
    }
    for group in groups {
        assert_eq!(group["_type"], "EntityGroup");
        let entities = group["content"]["entities"].as_array().unwrap();
        assert!(entities.len() <= 3, "limit caps each group");
        for entity in entities {
            assert!(
                entity["playParams"]["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("mrn:1.0:catalog:"),
                "{entity}"
            );
        }
    }
    let line = api.ok("/search?query=the%20line").await;
    let top = &line["data"][0]["content"]["entityGroups"][0]["content"]["entities"][0];
    assert_eq!(top["_type"], "PodcastShow", "{line}");
    assert_eq!(top["title"], "The Line");

    let long = format!("/search?query={}", "x".repeat(1001));
    for bad in [
        "/search?query=",
        "/search",
        "/search?query=x&limit=0",
        &long,
    ] {
        assert_eq!(
            api.get(bad).await.error(),
            (400, "BAD_REQUEST".into()),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn top_tracks_lead_with_the_documented_hits_twenty_at_most() {
    let api = Api::default().await;
    let first = api.ok("/browse/tracks/top").await["data"]["topTracks"].clone();
    assert_eq!(first["edgeCount"], 20);
    let top = ids(&first["edges"]);
    assert_eq!(top[..3], ["B0BS2S4WXN", "B0064UPUDC", "B076YT2CBT"]);
    let mut seen = top.clone();
    let mut token = first["pageInfo"]["token"].as_str().map(str::to_owned);
    while let Some(cursor) = token {
        let page = api
            .ok(&format!("/browse/tracks/top?limit=20&cursor={cursor}"))
            .await;
        seen.extend(ids(&page["data"]["topTracks"]["edges"]));
        token = page["data"]["topTracks"]["pageInfo"]["token"]
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len());
    assert!(seen.len() >= 40, "{}", seen.len());
    for bad in ["limit=21", "limit=0", "cursor=abc"] {
        assert_eq!(
            api.get(&format!("/browse/tracks/top?{bad}")).await.error(),
            (400, "BAD_REQUEST".into()),
            "{bad}"
        );
    }
}

/// The same seed gives the same catalog, over the wire too; another seed another.
#[tokio::test]
async fn the_same_seed_answers_the_same() {
    let answers = |api: Api| async move {
        let mut out = Vec::new();
        for path in [
            "/browse/tracks/top",
            "/search?query=harbor",
            "/artists/B000S9ULT8",
            "/podcasts/shows/63825c25-4a0b-4389-a1cc-c72e5dc8bb7b",
        ] {
            out.push(api.ok(path).await);
        }
        out.push(search(&api, json!({"searchFilters": [{"query": "harbor"}]})).await);
        out
    };
    let a = answers(Api::start(MockConfig::default().seed(3)).await).await;
    let b = answers(Api::start(MockConfig::default().seed(3)).await).await;
    let c = answers(Api::start(MockConfig::default().seed(4)).await).await;
    assert_eq!(a, b);
    assert_ne!(a[0], c[0]);
    assert_ne!(a[1], c[1]);
}
