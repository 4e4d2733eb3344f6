//! Arbitrary input into the conformance validator: as a recorded exchange, as a HAR archive, and
//! as the JSON body of a response of every operation. Reports may say anything; no panic.
#![no_main]

use std::sync::OnceLock;

use amazon_music_conformance::{
    Body, Exchange, SPEC_YAML as SPEC, Spec, Validator, parse_har, parse_recorded,
};
use libfuzzer_sys::fuzz_target;

const TARGETS: &[(&str, &str)] = &[
    ("GET", "/v1/albums/B0064UPU4G"),
    ("GET", "/v1/albums?ids=B0064UPU4G"),
    ("GET", "/v1/me/library/albums?limit=2"),
    ("PUT", "/v1/me/library/albums/B0064UPU4G"),
    ("DELETE", "/v1/me/library/albums/B0064UPU4G"),
    ("POST", "/v1/playback/sessions"),
    ("GET", "/v1/playback/sessions/active"),
    ("GET", "/v1/playback/sessions/s/current"),
    ("GET", "/v1/playback/sessions/s/queue"),
    ("GET", "/v1/playback/sessions/s/entities/e"),
    ("POST", "/v1/playback/event"),
];

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| Validator::new(Spec::from_yaml_str(SPEC).unwrap()).unwrap())
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(exchange) = parse_recorded(text) {
        let _ = validator().validate(&exchange, "fuzz");
    }
    if let Ok(exchanges) = parse_har(text) {
        for exchange in exchanges {
            let _ = validator().validate(&exchange, "fuzz");
        }
    }
    if let Ok(body) = serde_json::from_str::<serde_json::Value>(text) {
        for (method, path) in TARGETS {
            for status in [200, 400, 429, 502] {
                let exchange = Exchange {
                    method: (*method).to_owned(),
                    url: format!("https://api.music.amazon.dev{path}"),
                    status,
                    headers: Default::default(),
                    body: Body::Json(body.clone()),
                };
                let _ = validator().validate(&exchange, "fuzz").passed(true);
            }
        }
    }
});
