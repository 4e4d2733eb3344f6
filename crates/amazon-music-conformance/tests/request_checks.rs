//! The spec crate's value checks, which the mock judges requests by, agree with full JSON
//! Schema validation on every parameter and request body schema of the spec: generated values
//! near every bound, enum, length and format of those schemas get the same verdict from both.

use std::sync::OnceLock;

use amazon_music_conformance::{SchemaValidator, Spec};
use amazon_music_spec::SchemaId;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every schema a request is judged by, with its compiled full validator.
fn request_schemas() -> &'static [(String, SchemaId, SchemaValidator)] {
    static SCHEMAS: OnceLock<Vec<(String, SchemaId, SchemaValidator)>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let spec = Spec::embedded().unwrap();
        let mut out: Vec<(String, SchemaId, SchemaValidator)> = Vec::new();
        for op in spec.operations() {
            let params = op
                .parameters()
                .iter()
                .map(|p| (format!("{} {}", op.id(), p.name()), p.schema().unwrap()));
            let body = op
                .request_body()
                .and_then(|b| b.json())
                .and_then(|m| m.schema())
                .map(|id| (format!("{} body", op.id()), id));
            for (name, id) in params.chain(body) {
                if !out.iter().any(|(_, seen, _)| *seen == id) {
                    out.push((name, id, SchemaValidator::new(spec, id).unwrap()));
                }
            }
        }
        out
    })
}

/// Words the request schemas care about: their property names, enum values, and strings on
/// both sides of their lengths and formats.
fn words() -> Vec<String> {
    let spec = Spec::embedded().unwrap();
    let mut words: Vec<String> = [
        "",
        "a",
        "B0064UPU4G",
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00.5+01:00",
        "2026-02-30T00:00:00Z",
        "2026-01-01 00:00:00Z",
        "2026-01-01t23:59:60z",
        "yesterday",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    words.push("x".repeat(64));
    words.push("x".repeat(65));
    for (_, schema) in spec.schemas().iter() {
        words.extend(schema.properties().iter().map(|(name, _)| name.clone()));
        for value in schema.enumeration().into_iter().flatten() {
            words.extend(value.as_str().map(str::to_owned));
        }
    }
    words.sort();
    words.dedup();
    words
}

fn value() -> impl Strategy<Value = Value> {
    let words = words();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(vec![-1i64, 0, 1, 2, 9, 10, 11, 99, 100, 101, i64::MAX])
            .prop_map(Value::from),
        prop::sample::select(vec![0.5f64, 1.0, 10.0, 100.5, -0.0]).prop_map(|f| json!(f)),
        prop::sample::select(words.clone()).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(words.clone()), inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_checks_and_full_validation_agree(value in value()) {
        let spec = Spec::embedded().unwrap();
        for (name, id, full) in request_schemas() {
            let checked = spec.schemas().check(*id, &value);
            prop_assert_eq!(
                checked.is_ok(),
                full.is_valid(&value),
                "{}: {} ({:?}; full: {:?})",
                name,
                value,
                checked.err(),
                full.violations(&value)
            );
        }
    }
}

/// Hand-picked values the generator may miss: whole request bodies, valid and not.
#[test]
fn whole_request_bodies_get_the_same_verdict() {
    let spec = Spec::embedded().unwrap();
    let body = |id: &str| {
        let op = spec.operation(id).unwrap();
        op.request_body().unwrap().json().unwrap().schema().unwrap()
    };
    let cases = [
        (
            "createPlaybackSession",
            json!({"playParams": {"containerIds": ["B0064UPU4G"]}}),
        ),
        ("createPlaybackSession", json!({"playParams": {}})),
        (
            "createPlaybackSession",
            json!({"playParams": {"id": "B1"}, "limit": 0}),
        ),
        (
            "createPlaybackSession",
            json!({"playParams": {"id": "B1"}, "playbackOptions": {"loopMode": "LOOP_ON"}}),
        ),
        ("queueNext", json!({"playParams": {"containerIds": []}})),
        ("setShuffleMode", json!({"shuffleMode": null})),
        (
            "reportPlaybackEvent",
            json!({"metricId": "m", "event": {"type": "PLAYBACK_STARTED", "sessionId": "s",
                   "entityReferenceId": "e", "positionMs": 1.0}}),
        ),
    ];
    let event = |timestamp: &str| {
        json!({"metricId": "m", "event": {"type": "PLAYBACK_STARTED", "sessionId": "s",
               "entityReferenceId": "e", "timestamp": timestamp}})
    };
    let timestamps = words()
        .into_iter()
        .map(|w| ("reportPlaybackEvent", event(&w)));
    for (id, value) in cases.into_iter().chain(timestamps) {
        let schema = body(id);
        let full = SchemaValidator::new(spec, schema).unwrap();
        assert_eq!(
            spec.schemas().check(schema, &value).is_ok(),
            full.is_valid(&value),
            "{id}: {value}"
        );
    }
}
