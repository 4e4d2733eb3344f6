//! No secret reaches tracing output, `Debug` or `Display`.
//!
//! Alone in its binary: tracing caches whether a callsite is enabled, and a test without a
//! subscriber running beside this one on another thread could make it cache "disabled".

mod support;

#[tokio::test]
async fn tracing_and_debug_output_carry_no_secret() {
    let trace = support::TraceCapture::start();

    let server = httpmock::MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/albums/B0064UPU4G");
        then.status(401)
            .header("content-type", "application/json")
            .body(r#"{"error": {"status": "401", "code": "INVALID_ACCESS_TOKEN", "message": "expired"}}"#);
    });
    let client = support::httpmock_client(&server);
    let error = client.get_album("B0064UPU4G").await.unwrap_err();

    let logged = trace.text();
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
