//! The library against the project's spec: routing, violations versus drift, recordings, line
//! numbers, and the three report formats (snapshots of a small spec written for the tests, so
//! that edits of the real spec do not move them).

use std::path::{Path, PathBuf};

use amazon_music_conformance::report::{Format, InputError, Report};
use amazon_music_conformance::{
    Body, DriftKind, Exchange, Router, Spec, Validator, parse_recorded,
};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn spec_text() -> String {
    std::fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec/openapi.yaml")
}

fn validator() -> Validator {
    Validator::new(Spec::from_yaml_str(&spec_text()).expect("spec")).expect("compiles")
}

fn exchange(method: &str, url: &str, status: u16, body: Body) -> Exchange {
    Exchange {
        method: method.into(),
        url: url.into(),
        status,
        headers: Default::default(),
        body,
    }
}

fn discovery() -> Value {
    Spec::from_yaml_str(&spec_text())
        .unwrap()
        .pointer("/components/examples/GetAlbumDiscovery/value")
        .unwrap()
        .clone()
}

#[test]
fn routes_with_and_without_prefix_host_and_query() {
    let spec = Spec::from_yaml_str(&spec_text()).unwrap();
    let router = Router::new(&spec);
    for url in [
        "/v1/albums/B0064UPU4G",
        "/albums/B0064UPU4G",
        "https://api.music.amazon.dev/v1/albums/B0064UPU4G?market=US",
        "/v1/albums/B0064UPU4G/",
    ] {
        assert_eq!(
            router.find("GET", url).map(|m| m.operation_id),
            Some("getAlbum"),
            "{url}"
        );
    }
    assert_eq!(
        router
            .find("get", "/v1/playback/sessions/active")
            .map(|m| m.operation_id),
        Some("getActivePlaybackSessions")
    );
    assert_eq!(
        router
            .find("GET", "/v1/albums?ids=a,b")
            .map(|m| m.operation_id),
        Some("getAlbums")
    );
    assert!(router.find("POST", "/v1/albums/B1").is_none());
    assert!(router.find("GET", "/v1/albums/B1/tracks").is_none());
    let hit = router
        .find("GET", "/v1/playback/sessions/a%20b/entities/e1")
        .unwrap();
    assert_eq!(
        hit.params,
        vec![
            ("sessionId".to_string(), "a b".to_string()),
            ("entityReferenceId".to_string(), "e1".to_string())
        ]
    );
}

#[test]
fn a_literal_segment_wins_over_a_template_in_either_order() {
    for order in [
        ["/things/{id}", "/things/active"],
        ["/things/active", "/things/{id}"],
    ] {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'http://h/v1'}}]\npaths:\n  \
             {a}:\n    get:\n      operationId: first\n      responses: {{'200': {{description: ok}}}}\n  \
             {b}:\n    get:\n      operationId: second\n      responses: {{'200': {{description: ok}}}}\n",
            a = order[0],
            b = order[1]
        );
        let spec = Spec::from_yaml_str(&yaml).unwrap();
        let router = Router::new(&spec);
        let active = router.find("GET", "/v1/things/active").unwrap();
        assert_eq!(active.template, "/things/active");
        assert_eq!(
            router.find("GET", "/v1/things/x").unwrap().template,
            "/things/{id}"
        );
    }
}

#[test]
fn the_docs_examples_conform() {
    let v = validator();
    let outcome = v.validate(
        &exchange("GET", "/v1/albums/B0064UPU4G", 200, Body::Json(discovery())),
        "t",
    );
    assert_eq!(outcome.operation_id.as_deref(), Some("getAlbum"));
    assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
    assert!(outcome.drift.is_empty(), "{:?}", outcome.drift);
}

#[test]
fn a_wrong_type_is_a_violation_pointing_into_body_and_spec() {
    let v = validator();
    let mut body = discovery();
    body["data"]["album"]["duration"] = json!("61 minutes");
    let outcome = v.validate(
        &exchange("GET", "/v1/albums/B0064UPU4G", 200, Body::Json(body)),
        "t",
    );
    assert_eq!(outcome.violations.len(), 1, "{:?}", outcome.violations);
    let violation = &outcome.violations[0];
    assert_eq!(violation.keyword, "type");
    assert_eq!(violation.body_pointer, "/data/album/duration");
    assert_eq!(
        violation.spec_pointer,
        "/components/schemas/Album/properties/duration/type"
    );
    assert_eq!(violation.expected, "\"integer\"");
    assert_eq!(violation.found, "\"61 minutes\"");
    let text = spec_text();
    let line = text.lines().nth(violation.spec_line.unwrap() - 1).unwrap();
    assert_eq!(line.trim(), "type: integer");
    assert!(outcome.drift.is_empty());
}

#[test]
fn a_missing_required_field_is_a_violation() {
    let v = validator();
    let body = json!({"data": {"albums": [{"title": "no id"}]}});
    let outcome = v.validate(
        &exchange("GET", "/v1/albums?ids=B1", 200, Body::Json(body)),
        "t",
    );
    let violation = &outcome.violations[0];
    assert_eq!(violation.keyword, "required");
    assert_eq!(violation.body_pointer, "/data/albums/0");
    assert_eq!(violation.spec_pointer, "/components/schemas/Album/required");
    assert!(
        violation.expected.contains("\"id\""),
        "{}",
        violation.expected
    );
}

#[test]
fn unknown_fields_and_unlisted_values_are_drift_not_violations() {
    let v = validator();
    let body = json!({"data": {"saveAlbum": {"album": {"id": "B1", "mood": "sunny"}, "saveState": "PENDING"}}});
    let outcome = v.validate(
        &exchange("PUT", "/v1/me/library/albums/B1", 200, Body::Json(body)),
        "t",
    );
    assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
    assert!(outcome.passed(false));
    assert!(!outcome.passed(true));
    let kinds: Vec<(DriftKind, &str, &str)> = outcome
        .drift
        .iter()
        .map(|d| (d.kind, d.body_pointer.as_str(), d.spec_pointer.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                DriftKind::UnknownField,
                "/data/saveAlbum/album/mood",
                "/components/schemas/Album"
            ),
            (
                DriftKind::UnlistedValue,
                "/data/saveAlbum/saveState",
                "/components/schemas/SaveState/x-extensible-enum"
            ),
        ]
    );
    let text = spec_text();
    let line = text
        .lines()
        .nth(outcome.drift[0].spec_line.unwrap() - 1)
        .unwrap();
    assert_eq!(line.trim(), "Album:");
    assert!(outcome.drift[1].known.contains(&"SAVED".to_string()));
}

#[test]
fn null_for_an_optional_field_is_drift_and_for_a_required_one_a_violation() {
    let v = validator();
    let mut body = discovery();
    body["data"]["album"]["artists"] = Value::Null;
    body["data"]["album"]["eligibility"]["isDownloadable"] = Value::Null;
    let outcome = v.validate(
        &exchange("GET", "/v1/albums/B0064UPU4G", 200, Body::Json(body)),
        "t",
    );
    assert!(outcome.violations.is_empty(), "{:?}", outcome.violations);
    assert!(outcome.passed(false));
    assert!(!outcome.passed(true));
    let mut found: Vec<(DriftKind, &str, &str, &[String])> = outcome
        .drift
        .iter()
        .map(|d| {
            (
                d.kind,
                d.body_pointer.as_str(),
                d.spec_pointer.as_str(),
                d.known.as_slice(),
            )
        })
        .collect();
    found.sort_by_key(|f| f.1);
    assert_eq!(
        found,
        vec![
            (
                DriftKind::NullNotNullable,
                "/data/album/artists",
                "/components/schemas/Album/properties/artists",
                &["array".to_owned()][..]
            ),
            (
                DriftKind::NullNotNullable,
                "/data/album/eligibility/isDownloadable",
                "/components/schemas/Eligibility/properties/isDownloadable",
                &["boolean".to_owned()][..]
            ),
        ]
    );
    // The line is where `nullable: true` would go.
    let artists = outcome.drift.iter().find(|d| d.found == "artists").unwrap();
    let text = spec_text();
    let line = text.lines().nth(artists.spec_line.unwrap() - 1).unwrap();
    assert_eq!(line.trim(), "artists:");

    // `id` is required: null there is not absence, and stays a violation.
    let mut body = discovery();
    body["data"]["album"]["id"] = Value::Null;
    let outcome = v.validate(
        &exchange("GET", "/v1/albums/B0064UPU4G", 200, Body::Json(body)),
        "t",
    );
    assert_eq!(outcome.violations.len(), 1, "{:?}", outcome.violations);
    assert_eq!(outcome.violations[0].body_pointer, "/data/album/id");
    assert!(outcome.drift.is_empty(), "{:?}", outcome.drift);

    // A null does not hide what else is wrong.
    let mut body = discovery();
    body["data"]["album"]["artists"] = Value::Null;
    body["data"]["album"]["duration"] = json!("long");
    let outcome = v.validate(
        &exchange("GET", "/v1/albums/B0064UPU4G", 200, Body::Json(body)),
        "t",
    );
    assert_eq!(outcome.violations.len(), 1, "{:?}", outcome.violations);
    assert_eq!(outcome.violations[0].body_pointer, "/data/album/duration");
    assert_eq!(outcome.drift.len(), 1, "{:?}", outcome.drift);
}

#[test]
fn exchanges_the_spec_has_no_place_for_are_violations() {
    let v = validator();
    let cases = [
        (
            exchange("GET", "/v1/genres/B1", 200, Body::Empty),
            "operation",
            None,
        ),
        (
            exchange("GET", "/v1/albums/B1", 418, Body::Empty),
            "status",
            Some("getAlbum"),
        ),
        (
            exchange("GET", "/v1/albums/B1", 200, Body::Empty),
            "content",
            Some("getAlbum"),
        ),
        (
            exchange("GET", "/v1/albums/B1", 200, Body::NotJson("<html>".into())),
            "content",
            Some("getAlbum"),
        ),
        (
            exchange(
                "PUT",
                "/v1/playback/sessions/s/loop",
                200,
                Body::Json(json!({"ok": true})),
            ),
            "content",
            Some("setLoopMode"),
        ),
    ];
    for (exchange, keyword, operation) in cases {
        let outcome = v.validate(&exchange, "t");
        assert_eq!(outcome.operation_id.as_deref(), operation, "{exchange:?}");
        assert_eq!(outcome.violations.len(), 1, "{exchange:?}");
        assert_eq!(outcome.violations[0].keyword, keyword, "{exchange:?}");
        assert!(outcome.violations[0].spec_line.is_some());
    }
    let empty_ok = v.validate(
        &exchange("PUT", "/v1/playback/sessions/s/loop", 200, Body::Empty),
        "t",
    );
    assert!(empty_ok.violations.is_empty());
    let wrong_method = v.validate(&exchange("POST", "/v1/albums/B1", 200, Body::Empty), "t");
    assert_eq!(
        wrong_method.violations[0].expected,
        "one of: GET /albums/{id}"
    );
    let unknown = v.validate(&exchange("GET", "/v1/genres/B1", 200, Body::Empty), "t");
    assert_eq!(unknown.violations[0].expected, "a path of the spec");
    assert_eq!(unknown.violations[0].found, "GET /genres/B1");
}

/// Every recording under spec/recordings conforms without drift, and every response example of
/// the spec is among them.
#[test]
fn recordings_conform_and_cover_the_spec_examples() {
    let v = validator();
    let mut bodies = Vec::new();
    let mut stack = vec![root().join("spec/recordings")];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let exchange =
                parse_recorded(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let outcome = v.validate(&exchange, &path.display().to_string());
            assert!(
                outcome.violations.is_empty(),
                "{}: {:?}",
                path.display(),
                outcome.violations
            );
            assert!(
                outcome.drift.is_empty(),
                "{}: {:?}",
                path.display(),
                outcome.drift
            );
            for (name, value) in exchange.headers {
                assert!(
                    !matches!(name.as_str(), "authorization" | "x-api-key" | "set-cookie"),
                    "{}: {name}: {value}",
                    path.display()
                );
            }
            if let Body::Json(body) = exchange.body {
                bodies.push(body);
            }
            count += 1;
        }
    }
    assert!(count >= 18, "only {count} recordings");
    let spec = v.spec();
    let examples = spec
        .pointer("/components/examples")
        .unwrap()
        .as_object()
        .unwrap();
    for (name, example) in examples {
        let value = &example["value"];
        let is_response = value.get("data").is_some() || value.get("error").is_some();
        if is_response {
            assert!(
                bodies.contains(value),
                "no recording carries the example {name}"
            );
        }
    }
}

/// Every key of the document has a line, and that line writes the key.
#[test]
fn line_numbers_of_every_key_of_the_spec() {
    let text = spec_text();
    let spec = Spec::from_yaml_str(&text).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = 0;
    let mut stack = vec![(String::new(), spec.raw().clone())];
    while let Some((pointer, value)) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_pointer = format!(
                        "{pointer}/{}",
                        amazon_music_conformance::escape_pointer_token(&key)
                    );
                    let line = spec.line_of(&child_pointer).unwrap();
                    let written = lines[line - 1];
                    assert!(
                        written.contains(&format!("{key}:"))
                            || written.contains(&format!("\"{key}\":")),
                        "{child_pointer} -> line {line}: {written}"
                    );
                    checked += 1;
                    stack.push((child_pointer, child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.into_iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), child));
                }
            }
            _ => {}
        }
    }
    assert!(checked > 1000, "{checked}");
}

/// A spec written for these tests, so that edits of the real spec do not move the snapshots.
const SMALL_SPEC: &str = include_str!("fixtures/small.yaml");

fn small_report(strict: bool) -> Report {
    let spec = Spec::from_yaml_str(SMALL_SPEC).unwrap();
    let v = Validator::new(spec.clone()).unwrap();
    let outcomes = vec![
        v.validate(
            &exchange(
                "GET",
                "/v1/things/1",
                200,
                Body::Json(json!({"id": "1", "kind": "A"})),
            ),
            "ok.json",
        ),
        v.validate(
            &exchange(
                "GET",
                "/v1/things/2",
                200,
                Body::Json(json!({"id": 2, "kind": "C", "x": "<&>"})),
            ),
            "bad.json",
        ),
        v.validate(
            &exchange("DELETE", "/v1/things/3", 204, Body::Empty),
            "capture.har#entries[0]",
        ),
        v.validate(
            &exchange(
                "GET",
                "/v1/things/4",
                200,
                Body::Json(json!({"id": "4", "kind": null})),
            ),
            "null.json",
        ),
    ];
    let errors = vec![InputError {
        file: "broken.json".into(),
        message: "not JSON: EOF while parsing an object at line 1 column 1".into(),
    }];
    Report::new(&spec, outcomes, errors, strict)
}

#[test]
fn report_exit_codes() {
    assert_eq!(small_report(false).exit_code(), 2);
    let spec = Spec::from_yaml_str(SMALL_SPEC).unwrap();
    let v = Validator::new(spec.clone()).unwrap();
    let drift_only = vec![v.validate(
        &exchange(
            "GET",
            "/v1/things/1",
            200,
            Body::Json(json!({"id": "1", "extra": 1})),
        ),
        "d",
    )];
    assert_eq!(
        Report::new(&spec, drift_only.clone(), vec![], false).exit_code(),
        0
    );
    assert_eq!(Report::new(&spec, drift_only, vec![], true).exit_code(), 1);
}

#[test]
fn report_human() {
    insta::assert_snapshot!(small_report(false).render(Format::Human));
}

#[test]
fn report_json() {
    let rendered = small_report(true).render(Format::Json);
    let value: Value = serde_json::from_str(&rendered).unwrap();
    assert_eq!(value["exit_code"], 2);
    insta::assert_snapshot!(rendered);
}

#[test]
fn report_junit() {
    insta::assert_snapshot!(small_report(false).render(Format::Junit));
}

/// Drift becomes one suggestion per kind, place and name or value, with every recording that
/// showed it once, and a new property's schema inferred from its values only.
#[test]
fn drift_in_several_recordings_becomes_one_suggestion_each() {
    use amazon_music_conformance::suggest::suggest;
    let spec = Spec::from_yaml_str(SMALL_SPEC).unwrap();
    let v = Validator::new(spec).unwrap();
    let recorded = [
        (json!({"id": "1", "kind": "C", "rank": -3}), "a.json"),
        (json!({"id": "2", "kind": "C", "rank": 5}), "b.json"),
        (json!({"id": "3", "kind": "C"}), "b.json"),
        (json!({"id": "4", "kind": null}), "c.json"),
    ];
    let checked: Vec<(Exchange, _)> = recorded
        .into_iter()
        .map(|(body, source)| {
            let exchange = exchange("GET", "/v1/things/1", 200, Body::Json(body));
            let outcome = v.validate(&exchange, source);
            (exchange, outcome)
        })
        .collect();
    let suggestions = suggest(checked.iter().map(|(e, o)| (e, o)));
    let found: Vec<String> = suggestions
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {} [{}]",
                s.kind.name(),
                s.spec_pointer,
                s.found,
                s.schema.as_ref().map_or("-".to_owned(), Value::to_string),
                s.evidence.join(", ")
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "unknown-field /components/schemas/Thing rank {\"format\":\"int64\",\"type\":\"integer\"} [a.json, b.json]",
            "null-not-nullable /components/schemas/Thing/properties/kind kind - [c.json]",
            "unlisted-value /components/schemas/Thing/properties/kind/x-extensible-enum C - [a.json, b.json]",
        ]
    );
}

/// Strict: drift fails its test case, and a clean exchange still passes.
#[test]
fn report_junit_strict() {
    insta::assert_snapshot!(small_report(true).render(Format::Junit));
}

const SHAPES_SPEC: &str = r##"openapi: 3.0.3
info: {title: shapes, version: "1"}
servers:
  - url: https://api.example/v1
paths:
  /things/{id}:
    get:
      operationId: getThing
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                additionalProperties: false
                properties:
                  id: {type: string}
  /files/{id}:
    get:
      operationId: getFile
      responses:
        "200":
          description: a CSV file, which the validator has no schema language for
          content:
            text/csv:
              schema: {type: string}
        "201":
          description: a JSON variant with parameters
          content:
            "application/vnd.things+json; charset=utf-8":
              schema: {type: object, required: [name]}
"##;

/// A missing or an unexpected property is explained in the validator's words, and what was
/// found says what is there; only JSON media types are validated, `+json` ones included.
#[test]
fn required_and_closed_objects_and_media_types() {
    let v = Validator::new(Spec::from_yaml_str(SHAPES_SPEC).unwrap()).unwrap();
    // What it was built from, counted; not the compiled schemas.
    let shown = format!("{v:?}");
    for useful in ["responses: 3", "schemas: 2"] {
        assert!(shown.contains(useful), "{useful} missing from {shown}");
    }
    let summary = |url: &str, status: u16, body: Body| -> Vec<(String, String, String)> {
        v.validate(&exchange("GET", url, status, body), "t.json")
            .violations
            .into_iter()
            .map(|v| (v.keyword, v.expected, v.found))
            .collect()
    };
    assert_eq!(
        summary("/v1/things/1", 200, Body::Json(json!({}))),
        [(
            "required".to_owned(),
            "\"id\" is a required property".to_owned(),
            "the property is absent".to_owned()
        )]
    );
    assert_eq!(
        summary("/v1/things/1", 200, Body::Json(json!({"id": "1", "x": 1}))),
        [(
            "additionalProperties".to_owned(),
            "Additional properties are not allowed ('x' was unexpected)".to_owned(),
            "{\"id\":\"1\",\"x\":1}".to_owned()
        )]
    );
    // No JSON schema for CSV: any body is accepted, an empty one too.
    assert_eq!(summary("/v1/files/1", 200, Body::Empty), []);
    assert_eq!(
        summary("/v1/files/1", 201, Body::Json(json!({"name": "n"}))),
        []
    );
    assert_eq!(summary("/v1/files/1", 201, Body::Json(json!({}))).len(), 1);
}
