//! Every example of the spec decodes into its generated type and encodes back to the same
//! JSON (timestamps compared as instants), and the re-encoded form is pinned by a snapshot.
//!
//! And what a service may send beyond the examples still decodes, for every response schema:
//! any optional field, at any depth, as `null` (read as absent, though the spec has no
//! `nullable`), and unknown fields at any depth (new entries, where the object is a map).

use std::sync::OnceLock;

use amazon_music_api::types;
use amazon_music_spec::{Spec, Type};
use amazon_music_workspace_tests::spec::examples::{
    Extra, Place, Shape, SpecExample, shape, spec_examples,
};
use proptest::prelude::*;
use serde_json::Value;

macro_rules! decoders {
    ($($name:ident),* $(,)?) => {
        /// Decodes `value` as the generated type named `schema` and returns it encoded again.
        fn decode(schema: &str, value: &Value) -> Result<Value, String> {
            match schema {
                $(stringify!($name) => {
                    let decoded: types::$name =
                        serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
                    Ok(serde_json::to_value(&decoded).expect("a decoded value encodes"))
                })*
                other => panic!("no generated type is listed for schema {other}"),
            }
        }

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

decoders!(
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
    GetTrackResponse,
    GetArtistResponse,
    GetArtistsResponse,
    GetFollowedArtistsResponse,
    GetPlaylistResponse,
    GetMyPlaylistsResponse,
    GetCurrentUserResponse,
    UpdateCurrentUserResponse,
    SearchTracksResponse,
    SearchAllResponse,
    GetPodcastShowResponse,
    GetStationResponse,
    GetTopTracksResponse,
    GetHomeViewResponse,
    GetRecentlyPlayedTracksResponse,
    UpdateUserRequest,
    SearchTracksRequest,
);

/// The spec and its examples, read once per test binary.
fn spec() -> &'static (Spec, Vec<SpecExample>) {
    static SPEC: OnceLock<(Spec, Vec<SpecExample>)> = OnceLock::new();
    SPEC.get_or_init(|| {
        let spec = amazon_music_workspace_tests::spec::spec();
        let examples = spec_examples(&spec);
        (spec, examples)
    })
}

#[test]
fn every_example_round_trips_through_its_generated_type() {
    let mut cases = std::collections::BTreeMap::new();
    for example in &spec().1 {
        cases.insert(example.label.clone(), example);
    }
    assert!(cases.len() >= 19, "only {} examples", cases.len());
    for (label, example) in &cases {
        let schema = example.schema_name();
        let encoded = round_trip(schema, &example.value);
        assert_eq!(
            normalize(&encoded),
            normalize(&example.value),
            "{label} ({schema}) loses or changes data"
        );
        insta::assert_snapshot!(
            label.as_str(),
            serde_json::to_string_pretty(&encoded).unwrap()
        );
    }
}

/// The recorded evidence under `spec/recordings/` decodes into the generated types, and every
/// value it carries is still there when the decoded response is encoded again: no field the
/// service sent is dropped for want of a typed home. This is the last step of the loop from
/// traffic to spec (`.ci/drift-loop.sh`): recordings of a field the spec does not know fail it
/// until `validate recorded --apply` and `cargo xtask generate` give the field its type.
#[test]
fn every_recorded_response_keeps_every_value_through_its_generated_type() {
    use amazon_music_workspace_tests::recordings::recorded_responses;
    use amazon_music_workspace_tests::spec::scalars;
    let spec = amazon_music_workspace_tests::spec::spec();
    let dir = amazon_music_workspace_tests::workspace_root().join("spec/recordings");
    let responses = recorded_responses(&spec, &dir);
    assert!(responses.len() >= 20, "only {} recordings", responses.len());
    let mut dropped = Vec::new();
    for response in &responses {
        let schema = response.schema_name();
        let encoded = decode(schema, &response.body)
            .unwrap_or_else(|e| panic!("{}: {schema}: {e}", response.file.display()));
        let encoded = normalize(&encoded);
        for (at, value) in scalars(&normalize(&response.body)) {
            if encoded.pointer(&at) != Some(&value) {
                dropped.push(format!(
                    "{} ({} {}, {schema}): {at} = {value}",
                    response.file.display(),
                    response.operation_id,
                    response.status
                ));
            }
        }
    }
    assert!(
        dropped.is_empty(),
        "values the generated types drop (a field the spec does not describe?):\n{}",
        dropped.join("\n")
    );
}

/// Every response example, distinct, with its shape.
fn responses() -> &'static [(SpecExample, Shape)] {
    static RESPONSES: OnceLock<Vec<(SpecExample, Shape)>> = OnceLock::new();
    RESPONSES.get_or_init(|| {
        let (spec, examples) = spec();
        let mut seen = std::collections::BTreeSet::new();
        examples
            .iter()
            .filter(|e| matches!(e.place, Place::Response(_)) && seen.insert(e.label.clone()))
            .map(|e| (e.clone(), shape(spec, &e.schema, &e.value)))
            .collect()
    })
}

/// `value` with each of `fields` (`(object pointer, property)`) set to `null`, or removed.
/// A field under one already set to `null` is not there any more and is passed over.
fn with_fields(value: &Value, fields: &[(String, String)], null: bool) -> Value {
    let mut out = value.clone();
    for (at, name) in fields {
        if let Some(Value::Object(map)) = out.pointer_mut(at) {
            if null {
                map.insert(name.clone(), Value::Null);
            } else {
                map.remove(name);
            }
        }
    }
    out
}

/// Decoding with the fields `null` must succeed and give what decoding without them gives.
fn nulls_read_as_absent(example: &SpecExample, fields: &[(String, String)]) -> Result<(), String> {
    let schema = example.schema_name();
    let nulled = with_fields(&example.value, fields, true);
    let decoded = decode(schema, &nulled)
        .map_err(|e| format!("{} with {fields:?} null: {e}\n{nulled}", example.label))?;
    let absent = decode(schema, &with_fields(&example.value, fields, false))
        .map_err(|e| format!("{} without {fields:?}: {e}", example.label))?;
    if decoded != absent {
        return Err(format!(
            "{}: {fields:?} as null decodes to {decoded}, absent to {absent}",
            example.label
        ));
    }
    Ok(())
}

/// One key added to one object: `(object pointer, key, value)`.
type Addition = (String, String, Value);

/// `value` with `additions` made; a key the object already has is made new with a suffix, so
/// that an addition is always a new field or a new entry.
fn with_additions(value: &Value, additions: &[Addition]) -> Value {
    let mut out = value.clone();
    for (at, key, added) in additions {
        if let Some(Value::Object(map)) = out.pointer_mut(at) {
            let mut key = key.clone();
            while map.contains_key(&key) {
                key.push('~');
            }
            map.insert(key, added.clone());
        }
    }
    out
}

/// Unknown fields must be ignored and new map entries kept: the result is what decoding the
/// example with the map entries alone gives.
fn additions_decode(
    example: &SpecExample,
    shape: &Shape,
    additions: &[Addition],
) -> Result<(), String> {
    let schema = example.schema_name();
    let extended = with_additions(&example.value, additions);
    let decoded = decode(schema, &extended)
        .map_err(|e| format!("{} with {additions:?}: {e}\n{extended}", example.label))?;
    let entries: Vec<Addition> = additions
        .iter()
        .filter(|(at, _, _)| {
            shape
                .objects
                .iter()
                .any(|o| &o.at == at && o.extra != Extra::Unknown)
        })
        .cloned()
        .collect();
    let expected = decode(schema, &with_additions(&example.value, &entries))
        .map_err(|e| format!("{} with the entries {entries:?}: {e}", example.label))?;
    if decoded != expected {
        return Err(format!(
            "{}: with {additions:?} decodes to {decoded}, expected {expected}",
            example.label
        ));
    }
    Ok(())
}

#[test]
fn every_optional_field_of_every_response_example_may_be_null() {
    let mut fields = 0;
    for (example, shape) in responses() {
        for field in &shape.optional {
            nulls_read_as_absent(example, std::slice::from_ref(field)).unwrap();
            fields += 1;
        }
        nulls_read_as_absent(example, &shape.optional).unwrap();
    }
    // The album's lists, the error's payload and the license headers are among them.
    assert!(fields >= 60, "only {fields} optional fields found");
}

#[test]
fn every_object_of_every_response_example_takes_an_unknown_field() {
    let mut maps = 0;
    for (example, shape) in responses() {
        let all: Vec<Addition> = shape
            .objects
            .iter()
            .map(|object| {
                let value = match &object.extra {
                    Extra::Entries(_) => {
                        maps += 1;
                        Value::from("a new entry")
                    }
                    Extra::Any => serde_json::json!({"free": [1, null]}),
                    Extra::Unknown => serde_json::json!({"id": 7, "data": null}),
                };
                (object.at.clone(), "addedKey".to_owned(), value)
            })
            .collect();
        for one in &all {
            additions_decode(example, shape, std::slice::from_ref(one)).unwrap();
        }
        additions_decode(example, shape, &all).unwrap();
    }
    assert!(maps > 0, "no example has a map to add an entry to");
}

/// A value the schema at `pointer` takes, for a new map entry.
fn entry_value(pointer: &str) -> BoxedStrategy<Value> {
    let spec = &spec().0;
    let schema = spec
        .schema_at(pointer)
        .unwrap_or_else(|| panic!("no schema at {pointer}"));
    match spec.schemas()[schema].types().first() {
        Some(Type::String) => ".{0,16}".prop_map(Value::String).boxed(),
        Some(Type::Integer) => any::<i32>().prop_map(Value::from).boxed(),
        Some(Type::Boolean) => any::<bool>().prop_map(Value::Bool).boxed(),
        other => panic!("{pointer}: no generator for map values of type {other:?}"),
    }
}

/// A response example and some of its optional fields.
fn nulled() -> impl Strategy<Value = (usize, Vec<(String, String)>)> {
    (0..responses().len()).prop_flat_map(|i| {
        let optional = responses()[i].1.optional.clone();
        let len = optional.len();
        (Just(i), prop::sample::subsequence(optional, 0..=len))
    })
}

/// A response example and keys added to some of its objects, at every depth.
fn extended() -> impl Strategy<Value = (usize, Vec<Addition>)> {
    (0..responses().len()).prop_flat_map(|i| {
        let slots: Vec<BoxedStrategy<Option<Addition>>> = responses()[i]
            .1
            .objects
            .iter()
            .map(|object| {
                let value = match &object.extra {
                    Extra::Entries(schema) => entry_value(schema),
                    Extra::Any | Extra::Unknown => {
                        amazon_music_workspace_tests::spec::spec_shaped_json().boxed()
                    }
                };
                let at = object.at.clone();
                prop::option::of(
                    (".{0,8}", value).prop_map(move |(key, value)| (at.clone(), key, value)),
                )
                .boxed()
            })
            .collect();
        (
            Just(i),
            slots.prop_map(|slots| slots.into_iter().flatten().collect()),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_optional_fields_may_be_null_together((i, fields) in nulled()) {
        let result = nulls_read_as_absent(&responses()[i].0, &fields);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    #[test]
    fn unknown_fields_and_new_entries_at_any_depth_decode((i, additions) in extended()) {
        let (example, shape) = &responses()[i];
        let result = additions_decode(example, shape, &additions);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

/// Timestamps are compared as instants: `05:00:00.000Z` and `05:00:00Z` are the same time.
/// An empty list or a `null` in an object is compared as an absent member: the generated types
/// read an absent optional list as empty and a `null` as `None`, and leave both out. (A
/// required member left out would fail `round_trip`'s second decoding, so this hides no loss.)
fn normalize(value: &Value) -> Value {
    match value {
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Value::String(t.to_utc().to_rfc3339()),
            Err(_) => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|items| !items.is_empty()))
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
