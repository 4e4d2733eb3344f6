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
