//! No secret reaches tracing output, `Debug` or `Display`.
//!
//! Alone in its binary: tracing caches whether a callsite is enabled, and a test without a
//! subscriber running beside this one on another thread could make it cache "disabled".

use std::sync::{Arc, Mutex};

use amazon_music::Client;

fn client(server: &httpmock::MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key("key-SECRET-1")
        .token("token-SECRET-2")
        .build()
        .unwrap()
}

/// Collects everything tracing writes.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_and_debug_output_carry_no_secret() {
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = httpmock::MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/albums/B0064UPU4G");
        then.status(401)
            .header("content-type", "application/json")
            .body(r#"{"error": {"status": "401", "code": "INVALID_ACCESS_TOKEN", "message": "expired"}}"#);
    });
    let client = client(&server);
    let error = client.get_album("B0064UPU4G").await.unwrap_err();

    let logged = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("amazon_music.request"),
        "no span was logged: {logged}"
    );
    let everything = format!("{logged}\n{error}\n{error:?}\n{client:?}");
    for secret in ["key-SECRET-1", "token-SECRET-2"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
}
