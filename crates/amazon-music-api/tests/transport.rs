//! A `Transport` sees every request with its operation id and can change it before sending.

use std::sync::{Arc, Mutex};

use amazon_music_api::{Client, Credentials, Transport, TransportFuture};
use amazon_music_workspace_tests::loopback::capture::{API_KEY, Capture, TOKEN};

#[derive(Default)]
struct Recording {
    operations: Mutex<Vec<&'static str>>,
}

impl Transport for Recording {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> TransportFuture<'a> {
        self.operations.lock().unwrap().push(operation_id);
        request
            .headers_mut()
            .insert("x-layer", reqwest::header::HeaderValue::from_static("seen"));
        Box::pin(client.execute(request))
    }
}

#[tokio::test]
async fn every_request_goes_through_the_transport_with_its_operation() {
    let capture = Capture::start().await;
    capture.reply(200, &serde_json::json!({"data": {"entities": []}}));
    let transport = Arc::new(Recording::default());
    let credentials = Credentials::new(API_KEY, TOKEN).with_transport(transport.clone());
    let client = Client::new(&capture.base_url, credentials);

    client.get_active_playback_sessions().send().await.unwrap();

    assert_eq!(
        *transport.operations.lock().unwrap(),
        ["get_active_playback_sessions"]
    );
    let request = capture.take_one();
    assert_eq!(request.headers["x-layer"], "seen");
    assert_eq!(request.headers["x-api-key"], API_KEY);
}

/// An operation with a request body refuses to send without one: nothing reaches the
/// transport, and the error says what is missing.
#[tokio::test]
async fn an_operation_sent_without_its_body_is_refused_before_the_transport() {
    let capture = Capture::start().await;
    let transport = Arc::new(Recording::default());
    let credentials = Credentials::new(API_KEY, TOKEN).with_transport(transport.clone());
    let client = Client::new(&capture.base_url, credentials);

    let error = client
        .set_loop_mode()
        .session_id("session-1")
        .send()
        .await
        .unwrap_err();

    match error {
        amazon_music_api::Error::InvalidRequest(message) => {
            assert!(message.contains("body"), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(transport.operations.lock().unwrap().is_empty());

    // With the body, the same call goes out.
    capture.reply(200, &serde_json::json!({}));
    client
        .set_loop_mode()
        .session_id("session-1")
        .body(amazon_music_api::types::SetLoopModeRequest {
            loop_mode: amazon_music_api::types::LoopMode::LoopAll,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(*transport.operations.lock().unwrap(), ["set_loop_mode"]);
}
