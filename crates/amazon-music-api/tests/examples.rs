//! Every example of the spec decodes into its generated type and encodes back to the same
//! JSON (timestamps compared as instants), and the re-encoded form is pinned by a snapshot.

use amazon_music_api::types;
use serde_json::Value;

macro_rules! round_trips {
    ($($name:ident),* $(,)?) => {
        /// Decodes `value` as the generated type named `schema`, checks that decoding the
        /// re-encoded value gives the same thing, and returns the re-encoded value.
        fn round_trip(schema: &str, value: &Value) -> Value {
            match schema {
                $(stringify!($name) => {
                    let decoded: types::$name = serde_json::from_value(value.clone())
                        .unwrap_or_else(|e| panic!("{schema}: {e}"));
                    let encoded = serde_json::to_value(&decoded).unwrap();
                    let again: types::$name = serde_json::from_value(encoded.clone()).unwrap();
                    assert_eq!(again, decoded, "{schema} changes in a second round trip");
                    encoded
                })*
                other => panic!("no generated type is listed for schema {other}"),
            }
        }
    };
}

round_trips!(
    GetAlbumResponse,
    GetAlbumsResponse,
    GetLibraryAlbumsResponse,
    SaveAlbumResponse,
    RemoveAlbumResponse,
    PlaybackResponse,
    PlaybackQueueResponse,
    ErrorResponse,
    CreatePlaybackSessionRequest,
    QueueNextRequest,
    QueueLastRequest,
    SetLoopModeRequest,
    SetShuffleModeRequest,
    ReportPlaybackEventRequest,
);

#[test]
fn every_example_round_trips_through_its_generated_type() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/openapi.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut cases = std::collections::BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let mut media = vec![op.pointer("/requestBody/content/application~1json")];
            for response in op["responses"].as_object().unwrap().values() {
                let response = resolve(&spec, response);
                media.push(response.pointer("/content/application~1json"));
            }
            for media in media.into_iter().flatten() {
                let schema = media["schema"]["$ref"].as_str().expect("a named schema");
                let schema = schema.rsplit('/').next().unwrap().to_owned();
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    let label = example["$ref"]
                        .as_str()
                        .map(|r| r.rsplit('/').next().unwrap().to_owned())
                        .unwrap_or_else(|| {
                            format!("{}-{name}", op["operationId"].as_str().unwrap())
                        });
                    let value = resolve(&spec, example)["value"].clone();
                    cases.insert(label, (schema.clone(), value));
                }
            }
        }
    }
    assert!(cases.len() >= 19, "only {} examples", cases.len());
    for (label, (schema, value)) in &cases {
        let encoded = round_trip(schema, value);
        assert_eq!(
            normalize(&encoded),
            normalize(value),
            "{label} ({schema}) loses or changes data"
        );
        insta::assert_snapshot!(
            label.as_str(),
            serde_json::to_string_pretty(&encoded).unwrap()
        );
    }
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(r) => spec.pointer(r.trim_start_matches('#')).unwrap(),
        None => value,
    }
}

/// Timestamps are compared as instants: `05:00:00.000Z` and `05:00:00Z` are the same time.
fn normalize(value: &Value) -> Value {
    match value {
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Value::String(t.to_utc().to_rfc3339()),
            Err(_) => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}
