//! The curated spec and its ledger hold together: it parses, its references resolve, every
//! example satisfies its own schema, every operation is described completely, and every ledger
//! entry points at something real.

use std::collections::{BTreeMap, BTreeSet};

use amazon_music_conformance::{SchemaValidator, Spec, escape_pointer_token};
use amazon_music_workspace_tests::spec::{Confidence, ledger, spec};
use serde_json::{Value, json};

const JSON: &str = "application~1json";

/// The 32 operations of the published pages that the spec describes, by id: 17 from the Albums
/// and Web Playback pages, 15 from the others. A spec change that adds, drops or renames one
/// must show up here.
const OPERATIONS: [(&str, &str, &str); 32] = [
    ("getAlbum", "GET", "/albums/{id}"),
    ("getAlbums", "GET", "/albums"),
    ("getLibraryAlbums", "GET", "/me/library/albums"),
    ("addLibraryAlbum", "PUT", "/me/library/albums/{id}"),
    ("removeLibraryAlbum", "DELETE", "/me/library/albums/{id}"),
    ("createPlaybackSession", "POST", "/playback/sessions"),
    (
        "getActivePlaybackSessions",
        "GET",
        "/playback/sessions/active",
    ),
    (
        "getCurrentPlaybackEntity",
        "GET",
        "/playback/sessions/{sessionId}/current",
    ),
    (
        "getNextPlaybackEntity",
        "GET",
        "/playback/sessions/{sessionId}/next",
    ),
    (
        "getPreviousPlaybackEntity",
        "GET",
        "/playback/sessions/{sessionId}/previous",
    ),
    (
        "getPlaybackQueue",
        "GET",
        "/playback/sessions/{sessionId}/queue",
    ),
    (
        "refreshPlaybackSession",
        "GET",
        "/playback/sessions/{sessionId}/entities/{entityReferenceId}",
    ),
    (
        "queueNext",
        "POST",
        "/playback/sessions/{sessionId}/queue/next",
    ),
    (
        "queueLast",
        "POST",
        "/playback/sessions/{sessionId}/queue/last",
    ),
    ("setLoopMode", "PUT", "/playback/sessions/{sessionId}/loop"),
    (
        "setShuffleMode",
        "PUT",
        "/playback/sessions/{sessionId}/shuffle",
    ),
    ("reportPlaybackEvent", "POST", "/playback/event"),
    ("getTrack", "GET", "/tracks/{id}"),
    ("getArtist", "GET", "/artists/{id}"),
    ("getArtists", "GET", "/artists"),
    ("getFollowedArtists", "GET", "/me/followed/artists"),
    ("getPlaylist", "GET", "/playlists/{id}"),
    ("getMyPlaylists", "GET", "/me/playlists"),
    ("getCurrentUser", "GET", "/me"),
    ("updateCurrentUser", "PUT", "/me"),
    ("searchTracks", "POST", "/search/tracks"),
    ("searchAll", "GET", "/search"),
    ("getPodcastShow", "GET", "/podcasts/shows/{id}"),
    ("getStation", "GET", "/stations/{id}"),
    ("getTopTracks", "GET", "/browse/tracks/top"),
    ("getHomeView", "GET", "/views/home"),
    ("getRecentlyPlayedTracks", "GET", "/player/recentlyPlayed"),
];

#[test]
fn parses_as_openapi_3_0_3() {
    let spec = spec();
    assert_eq!(spec.openapi().openapi, "3.0.3");
    assert_eq!(
        spec.openapi().servers[0].url,
        "https://api.music.amazon.dev/v1"
    );
}

/// The spec crate embeds its own copy of the spec (a packaged crate cannot reach `spec/`), which
/// the mock serves, the client's drift check compares with and the command line carries: the
/// copy must be the spec, byte for byte, or they would serve and validate against a stale one.
#[test]
fn the_embedded_spec_is_the_spec_verbatim() {
    let root = amazon_music_workspace_tests::workspace_root();
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    assert!(
        read("spec/openapi.yaml") == read("crates/amazon-music-spec/spec/openapi.yaml"),
        "crates/amazon-music-spec/spec/openapi.yaml differs from spec/openapi.yaml: run \
         `cp spec/openapi.yaml crates/amazon-music-spec/spec/openapi.yaml`"
    );
    assert!(
        amazon_music_spec::SPEC_YAML == read("spec/openapi.yaml"),
        "the embedded constant is not spec/openapi.yaml"
    );
}

#[test]
fn a_document_of_another_version_is_refused() {
    let err = Spec::from_yaml_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
        .unwrap_err();
    assert!(err.to_string().contains("3.1.0"), "{err}");
}

#[test]
fn operations_are_those_of_the_pages_with_unique_ids() {
    let spec = spec();
    let found: BTreeSet<(String, String, String)> = spec
        .operations()
        .iter()
        .map(|op| {
            (
                op.id().to_owned(),
                op.method().to_owned(),
                op.path().to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, String)> = OPERATIONS
        .iter()
        .map(|(id, m, p)| (id.to_string(), m.to_string(), p.to_string()))
        .collect();
    assert_eq!(found, expected);

    let mut ids = BTreeMap::new();
    for op in spec.operations() {
        *ids.entry(op.id().to_owned()).or_insert(0) += 1;
    }
    let duplicated: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicated.is_empty(),
        "duplicate operationIds: {duplicated:?}"
    );
}

#[test]
fn every_reference_resolves_inside_the_document() {
    let spec = spec();
    let mut refs = Vec::new();
    collect_refs(spec.raw(), "", &mut refs);
    assert!(refs.len() > 100, "expected a well-factored document");
    let broken: Vec<_> = refs
        .iter()
        .filter(|(_, target)| {
            target
                .strip_prefix('#')
                .is_none_or(|pointer| spec.pointer(pointer).is_none())
        })
        .collect();
    assert!(
        broken.is_empty(),
        "unresolved $refs (at, target): {broken:?}"
    );
}

#[test]
fn every_operation_is_fully_described() {
    let spec = spec();
    let scopes = spec
        .pointer("/components/securitySchemes/loginWithAmazon/flows/authorizationCode/scopes")
        .and_then(Value::as_object)
        .expect("declared scopes");
    // One tag per section of the published pages, each declared at the top of the document
    // and each grouping at least one operation.
    let tags: Vec<&str> = spec
        .pointer("/tags")
        .and_then(Value::as_array)
        .expect("declared tags")
        .iter()
        .filter_map(|tag| tag["name"].as_str())
        .collect();
    let mut problems = Vec::new();
    for tag in &tags {
        if !spec.operations().iter().any(|op| op.tags() == [*tag]) {
            problems.push(format!("tag {tag} groups no operation"));
        }
    }
    for op in spec.operations() {
        let id = op.id();
        if op.summary().unwrap_or("").is_empty() {
            problems.push(format!("{id}: no summary"));
        }
        if op.tags().len() != 1 || !tags.contains(&op.tags()[0].as_str()) {
            problems.push(format!("{id}: tags {:?}", op.tags()));
        }
        // Its own requirement, not the document's default.
        let own = spec
            .pointer(&format!("{}/security", op.pointer()))
            .is_some();
        match op.security().unwrap_or_default() {
            [requirement] if own => {
                if !requirement.schemes().iter().any(|(s, _)| s == "apiKey") {
                    problems.push(format!("{id}: does not require the x-api-key header"));
                }
                match requirement.scopes("loginWithAmazon") {
                    [scope] if scopes.contains_key(scope) => {}
                    other => problems.push(format!("{id}: scopes {other:?}")),
                }
            }
            other => problems.push(format!("{id}: security {other:?}")),
        }
        let statuses: Vec<String> = op
            .responses()
            .iter()
            .map(|r| r.status().to_owned())
            .collect();
        for required in ["200", "400", "401", "403", "429", "500"] {
            if !statuses.iter().any(|s| s == required) {
                problems.push(format!("{id}: no {required} response"));
            }
        }
        if op.path().contains('{') && !statuses.iter().any(|s| s == "404") {
            problems.push(format!("{id}: addresses a resource but has no 404"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn success_bodies_are_enveloped_in_data_and_errors_in_error() {
    let spec = spec();
    let mut problems = Vec::new();
    for op in spec.operations() {
        let responses = spec
            .pointer(&format!("{}/responses", op.pointer()))
            .and_then(Value::as_object)
            .expect("responses");
        for (status, response) in responses {
            let (_, response) = resolve(&spec, response);
            let Some(schema) = response.pointer(&format!("/content/{JSON}/schema")) else {
                if status != "200" {
                    problems.push(format!("{} {status}: error without a body", op.id()));
                }
                continue;
            };
            let (name, schema) = resolve(&spec, schema);
            let envelope = if status.starts_with('2') {
                "data"
            } else {
                "error"
            };
            if schema.get("required") != Some(&json!([envelope])) {
                problems.push(format!(
                    "{} {status}: {name} is not a {envelope} envelope",
                    op.id()
                ));
            }
            if !status.starts_with('2') && name != "/components/schemas/ErrorResponse" {
                problems.push(format!("{} {status}: error body is {name}", op.id()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn path_parameters_are_required_and_match_the_template() {
    let spec = spec();
    let mut problems = Vec::new();
    for op in spec.operations() {
        let template: BTreeSet<&str> = op
            .path()
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let mut declared = BTreeSet::new();
        let params = spec
            .pointer(&format!("{}/parameters", op.pointer()))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for param in &params {
            let (_, param) = resolve(&spec, param);
            if param["in"] == "path" {
                let name = param["name"].as_str().unwrap_or_default();
                declared.insert(name.to_owned());
                if param["required"] != json!(true) {
                    problems.push(format!("{}: path parameter {name} not required", op.id()));
                }
            }
            if param["in"] == "query" && param["name"].as_str().unwrap_or("").contains('.') {
                problems.push(format!("{}: query parameter {}", op.id(), param["name"]));
            }
        }
        let template: BTreeSet<String> = template.into_iter().map(str::to_owned).collect();
        if template != declared {
            problems.push(format!(
                "{}: template {template:?} declared {declared:?}",
                op.id()
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_example_satisfies_its_schema_and_none_is_orphaned() {
    let spec = spec();
    let cases = example_cases(&spec);
    assert!(cases.len() >= 30, "only {} examples found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let validator =
            SchemaValidator::at(&spec, &case.schema).unwrap_or_else(|e| panic!("{}: {e}", case.at));
        for violation in validator.violations(&case.value) {
            failures.push(format!("{} against {}: {violation}", case.at, case.schema));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    let used: BTreeSet<&str> = cases
        .iter()
        .filter_map(|c| c.component.as_deref())
        .collect();
    let declared = spec
        .pointer("/components/examples")
        .and_then(Value::as_object)
        .expect("component examples");
    let orphans: Vec<_> = declared
        .keys()
        .filter(|name| !used.contains(name.as_str()))
        .collect();
    assert!(orphans.is_empty(), "examples nobody uses: {orphans:?}");
}

/// Every operation shows what it answers and, when it takes a body, what it takes: a reader
/// of the spec (and the mock, and the wire tests) can see each documented shape whole.
#[test]
fn every_success_body_and_request_body_has_an_example() {
    let spec = spec();
    let cases = example_cases(&spec);
    let mut missing = Vec::new();
    for op in spec.operations() {
        let base = op.pointer();
        let has = |media: &str| {
            spec.pointer(media).is_none()
                || cases.iter().any(|c| c.schema == format!("{media}/schema"))
        };
        if !has(&format!("{base}/requestBody/content/{JSON}")) {
            missing.push(format!("{}: request body", op.id()));
        }
        if !has(&format!("{base}/responses/200/content/{JSON}")) {
            missing.push(format!("{}: 200 response", op.id()));
        }
    }
    assert!(missing.is_empty(), "no example for {missing:#?}");
}

/// The example check above is only worth something if a wrong example fails it.
#[test]
fn a_broken_example_is_caught() {
    let spec = spec();
    let album = SchemaValidator::at(&spec, "/components/schemas/GetAlbumResponse").unwrap();
    let mut example = spec
        .pointer("/components/examples/GetAlbumDiscovery/value")
        .unwrap()
        .clone();
    assert!(album.is_valid(&example));

    example["data"]["album"]["trackCount"] = json!("14");
    example["data"]["album"]["releaseDate"] = json!("7 March 2001");
    example["data"]["album"]["artists"][0]
        .as_object_mut()
        .unwrap()
        .remove("id");
    let violations = album.violations(&example);
    let found: BTreeSet<(&str, &str)> = violations
        .iter()
        .map(|v| (v.instance_path.as_str(), v.keyword.as_str()))
        .collect();
    assert_eq!(
        found,
        BTreeSet::from([
            ("/data/album/trackCount", "type"),
            ("/data/album/releaseDate", "format"),
            ("/data/album/artists/0", "required"),
        ]),
        "{violations:#?}"
    );

    let error = SchemaValidator::at(&spec, "/components/schemas/ErrorResponse").unwrap();
    let numeric_status =
        json!({"error": {"status": 404, "code": "RESOURCE_NOT_FOUND", "message": "m"}});
    assert!(!error.is_valid(&numeric_status));
}

#[test]
fn unknown_fields_and_values_stay_decodable() {
    let spec = spec();
    let save = SchemaValidator::at(&spec, "/components/schemas/SaveAlbumResponse").unwrap();
    let grown = json!({"data": {"saveAlbum": {
        "album": {"id": "B091MTJT3P", "popularity": 7},
        "saveState": "PENDING",
        "savedAt": "2026-01-01T00:00:00Z"
    }}});
    assert!(save.is_valid(&grown), "{:#?}", save.violations(&grown));
}

#[test]
fn comma_separated_id_lists_are_non_exploded_bounded_arrays() {
    let spec = spec();
    for pointer in [
        "/paths/~1albums/get/parameters/0",
        "/paths/~1me~1library~1albums/get/parameters/0",
        "/paths/~1artists/get/parameters/0",
    ] {
        let param = spec.pointer(pointer).unwrap();
        assert_eq!(param["style"], "form", "{pointer}");
        assert_eq!(param["explode"], false, "{pointer}");
        assert_eq!(param["schema"]["type"], "array", "{pointer}");
        assert_eq!(param["schema"]["maxItems"], 100, "{pointer}");
    }
}

#[test]
fn no_mirror_hosts_or_placeholders_remain_in_examples() {
    let spec = spec();
    let mut strings = Vec::new();
    for case in example_cases(&spec) {
        strings.extend(
            amazon_music_workspace_tests::spec::scalars(&case.value)
                .into_iter()
                .filter_map(|(at, value)| match value {
                    Value::String(s) => Some((format!("{}{at}", case.at), s)),
                    _ => None,
                }),
        );
    }
    let bad: Vec<_> = strings
        .iter()
        .filter(|(_, s)| {
            s.contains("rproxy")
                || s.contains("goskope")
                || s.contains("...")
                || s.contains('…')
                || has_placeholder(s)
        })
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Whether `text` holds a page placeholder such as `<base url>` or `<sessionId>`. The markup
/// of an HTML description (podcast descriptions are HTML) is not one: a bare lowercase tag.
fn has_placeholder(text: &str) -> bool {
    const TAGS: [&str; 9] = ["p", "br", "b", "i", "em", "strong", "ul", "ol", "li"];
    text.split('<').skip(1).any(|rest| {
        let inside = rest.split('>').next().unwrap_or(rest);
        let name = inside.strip_prefix('/').unwrap_or(inside);
        !rest.contains('>') || !TAGS.contains(&name)
    })
}

#[test]
fn html_markup_is_not_a_placeholder() {
    assert!(!has_placeholder("<p>In 2018, a group broke ranks.</p>"));
    assert!(!has_placeholder("no markup"));
    for placeholder in [
        "<base url>/v1",
        "<baseURL>",
        "id <sessionId>",
        "a < b",
        "<p",
    ] {
        assert!(has_placeholder(placeholder), "{placeholder}");
    }
}

/// Each link names a real operation, only parameters that operation takes, and response
/// fields that the source operation's example actually has.
#[test]
fn links_name_real_operations_parameters_and_fields() {
    let spec = spec();
    let example = spec
        .pointer("/components/examples/PlaybackFlowers/value")
        .unwrap();
    let links = spec
        .pointer("/components/links")
        .and_then(Value::as_object)
        .expect("component links");
    assert!(links.len() >= 9);
    let operations = spec.operations();
    for (name, link) in links {
        let id = link["operationId"].as_str().unwrap();
        let op = operations
            .iter()
            .find(|op| op.id() == id)
            .unwrap_or_else(|| panic!("{name}: no operation {id}"));
        let params: BTreeSet<String> = spec
            .pointer(&format!("{}/parameters", op.pointer()))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(&spec, p).1["name"].as_str().unwrap().to_owned())
            .collect();
        for (param, expression) in link["parameters"].as_object().unwrap() {
            assert!(params.contains(param), "{name}: {id} takes no {param}");
            let pointer = expression
                .as_str()
                .and_then(|e| e.strip_prefix("$response.body#"))
                .unwrap_or_else(|| panic!("{name}: {expression}"));
            assert!(
                example.pointer(pointer).is_some(),
                "{name}: {pointer} is not in the playback response"
            );
        }
    }
}

#[test]
fn every_ledger_entry_is_complete_and_points_into_the_spec() {
    let spec = spec();
    let ledger = ledger();
    assert!(ledger.corrections.len() >= 40);
    let problems = amazon_music_workspace_tests::spec::ledger_problems(&spec, &ledger);
    assert!(problems.is_empty(), "{problems:#?}");
    for level in [
        Confidence::Certain,
        Confidence::Inferred,
        Confidence::Unverified,
    ] {
        assert!(
            ledger.corrections.iter().any(|c| c.confidence == level),
            "no {level:?} entry"
        );
    }
}

/// Every operation is corrected somewhere: each operation's section of the pages had at least
/// one departure, and each must be findable from the ledger.
#[test]
fn the_ledger_covers_the_known_contradictions() {
    let spec = spec();
    let ledger = ledger();
    let pointers: BTreeSet<&str> = ledger
        .corrections
        .iter()
        .map(|c| c.pointer.as_str())
        .collect();
    for (pointer, what) in [
        (
            "/paths/~1playback~1sessions/post",
            "create session sent as GET",
        ),
        (
            "/paths/~1playback~1sessions~1{sessionId}~1current/get",
            "current copied from PUT /me",
        ),
        (
            "/paths/~1playback~1sessions~1{sessionId}~1next/get",
            "next copied from library tracks",
        ),
        (
            "/paths/~1playback~1sessions~1{sessionId}~1previous/get",
            "previous copied from followers",
        ),
        (
            "/paths/~1playback~1sessions~1{sessionId}~1queue/get",
            "queue copied from followers",
        ),
        (
            "/paths/~1playback~1sessions~1{sessionId}~1queue~1next/post",
            "queue next sent as PUT",
        ),
        ("/paths/~1playback~1event/post", "report event sent as PUT"),
        (
            "/paths/~1me~1library~1albums~1{id}/delete",
            "delete with the id in the query",
        ),
        (
            "/components/schemas/TakeOverType",
            "takeOverType typed object",
        ),
        (
            "/components/parameters/QueueWindow",
            "query parameter named body.limit",
        ),
        ("/components/schemas/LoopMode", "loop values disagree"),
        (
            "/paths/~1views~1home",
            "home view heading with {groupId}, example without",
        ),
        (
            "/paths/~1me/put/security",
            "a read scope on the profile update",
        ),
        (
            "/components/schemas/UpdateCurrentUserData",
            "profile update table enveloped, example bare",
        ),
        (
            "/components/schemas/GetMyPlaylistsData",
            "user's playlists table says browseCategories",
        ),
        (
            "/components/parameters/ArtistId/required",
            "artist id marked not required",
        ),
        ("/paths/~1search/get", "two versions of the search page"),
        (
            "/components/parameters/PodcastShowId/example",
            "podcast request and response ids differ",
        ),
        (
            "/paths/~1me~1followed~1artists/get",
            "followed artists known from the pagination page only",
        ),
        (
            "/components/schemas/GetArtistsData",
            "several artists' response unread",
        ),
    ] {
        assert!(
            pointers.contains(pointer),
            "no ledger entry for {what} at {pointer}"
        );
        assert!(spec.pointer(pointer).is_some(), "{pointer}");
    }
}

struct ExampleCase {
    /// Where the example is, for messages.
    at: String,
    /// The example value.
    value: Value,
    /// Pointer to the schema it must satisfy.
    schema: String,
    /// The name of the component example, when it is one.
    component: Option<String>,
}

/// Every example attached to a parameter, a request body or a response of an operation.
fn example_cases(spec: &Spec) -> Vec<ExampleCase> {
    let mut cases = Vec::new();
    for op in spec.operations() {
        let base = op.pointer();
        let params = spec
            .pointer(&format!("{base}/parameters"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, param) in params.iter().enumerate() {
            let (at, param) = resolve_at(spec, param, &format!("{base}/parameters/{i}"));
            if let Some(example) = param.get("example") {
                cases.push(ExampleCase {
                    at: format!("{at}/example"),
                    value: example.clone(),
                    schema: format!("{at}/schema"),
                    component: None,
                });
            }
        }
        media_examples(
            spec,
            &format!("{base}/requestBody/content/{JSON}"),
            &mut cases,
        );
        if let Some(responses) = spec
            .pointer(&format!("{base}/responses"))
            .and_then(Value::as_object)
        {
            for (status, response) in responses {
                let at = format!("{base}/responses/{}", escape_pointer_token(status));
                let (at, _) = resolve_at(spec, response, &at);
                media_examples(spec, &format!("{at}/content/{JSON}"), &mut cases);
            }
        }
    }
    cases
}

fn media_examples(spec: &Spec, media: &str, cases: &mut Vec<ExampleCase>) {
    let Some(content) = spec.pointer(media) else {
        return;
    };
    let schema = format!("{media}/schema");
    if let Some(example) = content.get("example") {
        cases.push(ExampleCase {
            at: format!("{media}/example"),
            value: example.clone(),
            schema: schema.clone(),
            component: None,
        });
    }
    for (name, example) in content
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let (at, example) = resolve_at(spec, example, &format!("{media}/examples/{name}"));
        let component = at.strip_prefix("/components/examples/").map(str::to_owned);
        cases.push(ExampleCase {
            at: at.clone(),
            value: example["value"].clone(),
            schema: schema.clone(),
            component,
        });
    }
}

/// Follows one `$ref`, returning the pointer of what was found and the value.
fn resolve<'a>(spec: &'a Spec, value: &'a Value) -> (String, &'a Value) {
    resolve_at(spec, value, "")
}

fn resolve_at<'a>(spec: &'a Spec, value: &'a Value, at: &str) -> (String, &'a Value) {
    match value.get("$ref").and_then(Value::as_str) {
        Some(target) => {
            let pointer = target.trim_start_matches('#');
            let found = spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{at}: unresolved {target}"));
            (pointer.to_owned(), found)
        }
        None => (at.to_owned(), value),
    }
}

fn collect_refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}/{}", escape_pointer_token(k));
                match (k.as_str(), v) {
                    ("$ref", Value::String(target)) => out.push((at.to_owned(), target.clone())),
                    _ => collect_refs(v, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_refs(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
