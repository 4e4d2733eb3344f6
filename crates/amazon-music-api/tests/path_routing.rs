//! Any string as any path parameter of any operation: the client either refuses it before
//! sending (`Error::InvalidRequest`, nothing sent) or sends a URL that the spec's own router
//! (the conformance library's) takes to that same operation with that same value.
//!
//! The operations and their path parameters come from the spec, so an operation added to it
//! fails here until the test can call it. A refusal must have a reason: the value is empty, a
//! dot segment, or outside its schema (a catalog id longer than 64 characters, say); anything
//! else must go out.

use std::sync::{Arc, Mutex};

use amazon_music_api::types::{self, ErrorResponse};
use amazon_music_api::{Client, Credentials, Error, Transport, TransportFuture};
use amazon_music_conformance::{Router, SchemaValidator, Spec};
use amazon_music_spec::Location;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

/// One operation with path parameters, as the spec declares it.
struct Operation {
    id: String,
    method: &'static str,
    /// Each path parameter in template order, with the validator of its schema.
    parameters: Vec<(String, SchemaValidator)>,
}

fn operations(spec: &Spec) -> Vec<Operation> {
    spec.operations()
        .iter()
        .filter_map(|op| {
            let parameters: Vec<(String, SchemaValidator)> = op
                .parameters()
                .iter()
                .filter(|p| p.location() == Location::Path)
                .map(|p| {
                    let schema = p
                        .schema()
                        .unwrap_or_else(|| panic!("{}: no schema", p.pointer()));
                    let validator = SchemaValidator::new(spec, schema)
                        .unwrap_or_else(|e| panic!("{}: {e}", p.pointer()));
                    (p.name().to_owned(), validator)
                })
                .collect();
            (!parameters.is_empty()).then(|| Operation {
                id: op.id().to_owned(),
                method: op.method(),
                parameters,
            })
        })
        .collect()
}

/// Remembers every request instead of sending it, and answers `404` with no body.
#[derive(Default)]
struct Capture {
    sent: Mutex<Vec<(String, String)>>,
}

impl Capture {
    fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }
}

impl Transport for Capture {
    fn execute<'a>(
        &'a self,
        _client: &'a reqwest::Client,
        request: reqwest::Request,
        _operation_id: &'static str,
    ) -> TransportFuture<'a> {
        self.sent
            .lock()
            .unwrap()
            .push((request.method().to_string(), request.url().to_string()));
        let response = axum::http::Response::builder()
            .status(404)
            .body("")
            .expect("a valid response");
        Box::pin(async move { Ok(reqwest::Response::from(response)) })
    }
}

fn body<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a body the spec allows")
}

/// Calls operation `id` with `values` for its path parameters (by the spec's names) and
/// valid everything else; `None` for an operation this test does not know how to call.
async fn call(
    client: &Client,
    id: &str,
    values: &[(String, String)],
) -> Option<Result<(), Error<ErrorResponse>>> {
    let value = |name: &str| -> &str {
        values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{id}: no value for {name}"))
    };
    let track = json!({"playParams": {"id": "B0064UPU4G"}});
    Some(match id {
        "getAlbum" => client.get_album().id(value("id")).send().await.map(drop),
        "addLibraryAlbum" => client
            .add_library_album()
            .id(value("id"))
            .send()
            .await
            .map(drop),
        "removeLibraryAlbum" => client
            .remove_library_album()
            .id(value("id"))
            .send()
            .await
            .map(drop),
        "getCurrentPlaybackEntity" => client
            .get_current_playback_entity()
            .session_id(value("sessionId"))
            .send()
            .await
            .map(drop),
        "getNextPlaybackEntity" => client
            .get_next_playback_entity()
            .session_id(value("sessionId"))
            .send()
            .await
            .map(drop),
        "getPreviousPlaybackEntity" => client
            .get_previous_playback_entity()
            .session_id(value("sessionId"))
            .send()
            .await
            .map(drop),
        "getPlaybackQueue" => client
            .get_playback_queue()
            .session_id(value("sessionId"))
            .send()
            .await
            .map(drop),
        "refreshPlaybackSession" => client
            .refresh_playback_session()
            .session_id(value("sessionId"))
            .entity_reference_id(value("entityReferenceId"))
            .send()
            .await
            .map(drop),
        "queueNext" => client
            .queue_next()
            .session_id(value("sessionId"))
            .body(body::<types::QueueNextRequest>(track))
            .send()
            .await
            .map(drop),
        "queueLast" => client
            .queue_last()
            .session_id(value("sessionId"))
            .body(body::<types::QueueLastRequest>(track))
            .send()
            .await
            .map(drop),
        "setLoopMode" => client
            .set_loop_mode()
            .session_id(value("sessionId"))
            .body(body::<types::SetLoopModeRequest>(
                json!({"loopMode": "LOOP_ALL"}),
            ))
            .send()
            .await
            .map(drop),
        "setShuffleMode" => client
            .set_shuffle_mode()
            .session_id(value("sessionId"))
            .body(body::<types::SetShuffleModeRequest>(
                json!({"shuffleMode": "SHUFFLE_ON"}),
            ))
            .send()
            .await
            .map(drop),
        "getTrack" => client.get_track().id(value("id")).send().await.map(drop),
        "getArtist" => client.get_artist().id(value("id")).send().await.map(drop),
        "getPlaylist" => client.get_playlist().id(value("id")).send().await.map(drop),
        "getPodcastShow" => client
            .get_podcast_show()
            .id(value("id"))
            .send()
            .await
            .map(drop),
        "getStation" => client.get_station().id(value("id")).send().await.map(drop),
        _ => return None,
    })
}

/// What goes wrong when `op` is called with `values`, if anything.
async fn check(
    client: &Client,
    capture: &Capture,
    router: &Router,
    op: &Operation,
    values: &[(String, String)],
) -> Result<(), String> {
    let result = call(client, &op.id, values).await.ok_or_else(|| {
        format!(
            "{}: an operation with path parameters this test cannot call; add it to `call`",
            op.id
        )
    })?;
    let sent = capture.take();
    let refusable = op
        .parameters
        .iter()
        .zip(values)
        .any(|((_, schema), (_, v))| {
            matches!(v.as_str(), "" | "." | "..") || !schema.is_valid(&Value::from(v.as_str()))
        });
    match result {
        Err(Error::InvalidRequest(why)) => {
            if !sent.is_empty() {
                return Err(format!("{}: refused ({why}), yet sent {sent:?}", op.id));
            }
            if !refusable {
                return Err(format!(
                    "{}: refused {values:?}, a valid value ({why})",
                    op.id
                ));
            }
            Ok(())
        }
        _ => {
            let [(method, url)] = sent.as_slice() else {
                return Err(format!("{}: not refused, and sent {sent:?}", op.id));
            };
            if refusable {
                return Err(format!("{}: sent {url} for {values:?}", op.id));
            }
            let Some(route) = router.find(method, url) else {
                return Err(format!("{}: {method} {url} is no operation's", op.id));
            };
            if route.operation_id != op.id || *method != op.method || route.params != values {
                return Err(format!(
                    "{}: {values:?} went out as {method} {url}, which is {} with {:?}",
                    op.id, route.operation_id, route.params
                ));
            }
            Ok(())
        }
    }
}

/// Pieces of a hostile value: what a URL parser reads specially, weighted in, and the rest
/// of Unicode.
fn piece() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "\\", "/", "%", "?", "#", ".", "..", "%2e", "%2E", "%2e%2e", ".%2e", "%2f", "%5C", "%25",
        ";", ":", "@", "&", "=", "+", ",", " ", "[", "]", "\0", "\t", "\r", "\n", "\u{7f}",
        "\u{85}", "\u{2028}", "\u{feff}", "\u{fffd}",
    ]);
    prop_oneof![
        4 => special.prop_map(str::to_owned),
        3 => any::<char>().prop_map(String::from),
        2 => "[\\x00-\\x1f]",
        2 => "[A-Za-z0-9_~-]{1,6}",
    ]
}

/// A whole value: pieces, dot segments between separators, or one of the values no encoding
/// changes; now and then one longer than a catalog id may be.
fn value() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("%2e%2e".to_owned()),
        Just(".%2E".to_owned()),
        "[a-z]{1,3}",
    ];
    let separator = prop::sample::select(vec!["/", "\\", "%2F", "%5c"]);
    prop_oneof![
        8 => prop::collection::vec(piece(), 0..8).prop_map(|p| p.concat()),
        3 => prop::collection::vec((segment, separator), 1..5).prop_map(|parts| {
            parts.into_iter().map(|(s, sep)| format!("{sep}{s}")).collect::<String>()
        }),
        1 => prop::sample::select(vec!["", ".", ".."]).prop_map(str::to_owned),
        1 => "[a-z]{60,70}",
    ]
}

fn setup() -> (Spec, Router, Vec<Operation>, Client, Arc<Capture>) {
    let spec = amazon_music_workspace_tests::spec::spec();
    let router = Router::new(&spec);
    let operations = operations(&spec);
    let capture = Arc::new(Capture::default());
    // Loopback, never contacted: the transport answers every request itself.
    let client = Client::new(
        "http://127.0.0.1:9/v1",
        Credentials::new("route-key", "route-token").with_transport(capture.clone()),
    );
    (spec, router, operations, client, capture)
}

/// Every operation of the spec with a path parameter is one the property below calls, and an
/// ordinary id goes to its own operation: so the property cannot pass by calling nothing.
#[test]
fn every_operation_with_a_path_parameter_is_exercised() {
    let (_spec, router, operations, client, capture) = setup();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert!(
        operations.iter().any(|op| op.parameters.len() > 1),
        "the spec's operations with path parameters were found, one with two among them"
    );
    for op in &operations {
        let values: Vec<(String, String)> = op
            .parameters
            .iter()
            .map(|(name, _)| (name.clone(), "B0064UPU4G".to_owned()))
            .collect();
        runtime
            .block_on(check(&client, &capture, &router, op, &values))
            .unwrap();
    }
}

#[test]
fn any_path_parameter_is_refused_or_reaches_its_own_operation_unchanged() {
    let (_spec, router, operations, client, capture) = setup();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let most = operations
        .iter()
        .map(|op| op.parameters.len())
        .max()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(value(), most), |drawn| {
            for op in &operations {
                let values: Vec<(String, String)> = op
                    .parameters
                    .iter()
                    .zip(&drawn)
                    .map(|((name, _), v)| (name.clone(), v.clone()))
                    .collect();
                runtime
                    .block_on(check(&client, &capture, &router, op, &values))
                    .map_err(TestCaseError::fail)?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
