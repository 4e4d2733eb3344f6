//! The fuzz targets' stable twin for the validator: arbitrary JSON as response bodies of every
//! operation, arbitrary text as recorded exchanges and HAR files, arbitrary values against every
//! schema of the spec. Validation may report anything; it must not panic.
//!
//! CI runs a bounded number of cases; `fuzz/` has the cargo-fuzz targets for longer runs
//! (`cargo +nightly fuzz run validate_exchange`).

use std::sync::OnceLock;

use amazon_music_conformance::{
    Body, Exchange, SchemaValidator, Spec, Validator, parse_har, parse_recorded,
};
use proptest::prelude::*;

const SPEC: &str = amazon_music_conformance::SPEC_YAML;

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new(Spec::from_yaml_str(SPEC).unwrap()).unwrap())
}

/// Every schema under `components/schemas`, compiled once.
fn schemas() -> &'static [SchemaValidator] {
    static SCHEMAS: OnceLock<Vec<SchemaValidator>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let spec = Spec::from_yaml_str(SPEC).unwrap();
        spec.component_schemas()
            .iter()
            .map(|(_, id)| SchemaValidator::new(&spec, *id).unwrap())
            .collect()
    })
}

/// Requests each operation of the spec answers, plus paths and methods it does not know.
const TARGETS: &[(&str, &str)] = &[
    ("GET", "/v1/albums/B0064UPU4G"),
    ("GET", "/v1/albums?ids=B0064UPU4G,B00D3PLC1K"),
    ("GET", "/v1/me/library/albums?limit=2&cursor=1"),
    ("PUT", "/v1/me/library/albums/B0064UPU4G"),
    ("DELETE", "/v1/me/library/albums/B0064UPU4G"),
    ("POST", "/v1/playback/sessions"),
    ("GET", "/v1/playback/sessions/active"),
    ("GET", "/v1/playback/sessions/s-1/current"),
    ("GET", "/v1/playback/sessions/s-1/next"),
    ("GET", "/v1/playback/sessions/s-1/previous"),
    ("GET", "/v1/playback/sessions/s-1/queue"),
    ("GET", "/v1/playback/sessions/s-1/entities/e-1"),
    ("POST", "/v1/playback/sessions/s-1/queue/next"),
    ("POST", "/v1/playback/sessions/s-1/queue/last"),
    ("PUT", "/v1/playback/sessions/s-1/loop"),
    ("PUT", "/v1/playback/sessions/s-1/shuffle"),
    ("POST", "/v1/playback/event"),
    ("PATCH", "/v1/albums/x"),
    ("GET", "/v2/nowhere/%zz/../.."),
    ("GET", ""),
];

use amazon_music_workspace_tests::spec::spec_shaped_json as json;

fn exchange() -> impl Strategy<Value = Exchange> {
    (
        prop::sample::select(TARGETS),
        prop_oneof![
            Just(200u16),
            Just(400),
            Just(404),
            Just(429),
            Just(502),
            any::<u16>()
        ],
        prop_oneof![
            Just(Body::Empty),
            json().prop_map(|data| Body::Json(serde_json::json!({ "data": data }))),
            json().prop_map(Body::Json),
            ".{0,40}".prop_map(Body::NotJson),
        ],
        prop_oneof![
            Just("application/json"),
            Just("text/html"),
            Just(""),
            Just("application/json; charset=\u{0}")
        ],
    )
        .prop_map(|((method, path), status, body, content_type)| Exchange {
            method: method.to_owned(),
            url: format!("https://api.music.amazon.dev{path}"),
            status,
            headers: [("content-type".to_owned(), content_type.into())]
                .into_iter()
                .collect(),
            body,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_exchanges_validate_without_panicking(exchange in exchange()) {
        let outcome = validator().validate(&exchange, "fuzz");
        let _ = outcome.passed(true);
    }

    #[test]
    fn arbitrary_values_against_every_schema(value in json()) {
        for schema in schemas() {
            let valid = schema.is_valid(&value);
            // The two entry points agree.
            prop_assert_eq!(valid, schema.violations(&value).is_empty(), "{}", schema.pointer());
        }
    }

    #[test]
    fn arbitrary_text_as_recorded_exchanges_and_har(text in ".{0,200}", value in json()) {
        let _ = parse_recorded(&text);
        let _ = parse_har(&text);
        let as_json = value.to_string();
        if let Ok(exchange) = parse_recorded(&as_json) {
            let _ = validator().validate(&exchange, "fuzz");
        }
        if let Ok(exchanges) = parse_har(&as_json) {
            for exchange in exchanges {
                let _ = validator().validate(&exchange, "fuzz");
            }
        }
    }
}

#[test]
fn every_component_schema_is_fuzzed() {
    assert!(schemas().len() > 20, "{} schemas", schemas().len());
}

/// The `validate_exchange` target's seeds and every input that once failed it, through the
/// target's own three uses: a recorded exchange, a HAR archive, and a body of every operation.
#[test]
fn the_fuzz_targets_seeds_and_regressions_replay() {
    amazon_music_workspace_tests::fuzz_inputs::replay("validate_exchange", |bytes| {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        if let Ok(exchange) = parse_recorded(text) {
            let _ = validator().validate(&exchange, "fuzz").passed(true);
        }
        for exchange in parse_har(text).unwrap_or_default() {
            let _ = validator().validate(&exchange, "fuzz").passed(true);
        }
        if let Ok(body) = serde_json::from_str::<serde_json::Value>(text) {
            for path in ["/v1/albums/B0064UPU4G", "/v1/playback/sessions/s/queue"] {
                let exchange = Exchange {
                    method: "GET".to_owned(),
                    url: format!("https://api.music.amazon.dev{path}"),
                    status: 200,
                    headers: Default::default(),
                    body: Body::Json(body.clone()),
                };
                let _ = validator().validate(&exchange, "fuzz").passed(true);
            }
        }
    });
}
