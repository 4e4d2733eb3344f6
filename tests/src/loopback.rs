//! Servers on 127.0.0.1 for tests that need a peer of a given behaviour.

pub mod capture;
pub mod examples_server;
pub mod hop;
pub mod oversize;

/// Serves `app` on a loopback port for as long as the runtime runs: the mock's router behind a
/// test's own layer, which `MockServer` has no place for. Gives the base URL, `/v1` included.
pub async fn serve_router(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve the router") });
    format!("http://{addr}/v1")
}
