//! The crate speaks HTTPS on its own (feature `rustls`, the default): an application that
//! depends on it alone reaches an `https` base URL. Without a TLS feature reqwest refuses one
//! with "scheme is not http" before connecting.
//!
//! The server is a TLS listener on `127.0.0.1:0` with a freshly made self-signed certificate,
//! which no trust store holds: the generated `Client::new` must get as far as the handshake
//! and refuse the certificate. Given the certificate as a root, the same call succeeds.

#![cfg(any(feature = "rustls", feature = "native-tls"))]

use std::sync::Arc;

use amazon_music_api::types::CatalogId;
use amazon_music_api::{Client, Credentials, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

const ALBUM: &str = r#"{"data": {"album": {"id": "B0064UPU4G", "title": "Discovery"}}}"#;

/// A TLS server on a loopback port: it reports how each handshake ended and answers every
/// request that gets through with one album.
struct TlsServer {
    url: String,
    certificate: CertificateDer<'static>,
    handshakes: mpsc::UnboundedReceiver<Result<(), String>>,
}

impl TlsServer {
    async fn start() -> Self {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .expect("a self-signed certificate");
        let certificate = made.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![certificate.clone()], key)
        .expect("a server configuration");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (report, handshakes) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let report = report.clone();
                tokio::spawn(async move {
                    match acceptor.accept(tcp).await {
                        Err(e) => {
                            let _ = report.send(Err(e.to_string()));
                        }
                        Ok(mut tls) => {
                            let _ = report.send(Ok(()));
                            answer(&mut tls).await;
                        }
                    }
                });
            }
        });
        Self {
            url: format!("https://{addr}/v1"),
            certificate,
            handshakes,
        }
    }
}

/// Reads one request's head and answers with the album, closing the connection.
async fn answer(tls: &mut tokio_rustls::server::TlsStream<tokio::net::TcpStream>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ALBUM}",
        ALBUM.len()
    );
    let _ = tls.write_all(response.as_bytes()).await;
    let _ = tls.shutdown().await;
}

fn album() -> CatalogId {
    "B0064UPU4G".parse().unwrap()
}

/// Every message of an error and of its sources, for looking into.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(" / ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn an_https_base_url_gets_a_tls_handshake_and_an_untrusted_certificate_is_refused() {
    let mut server = TlsServer::start().await;
    let client = Client::new(&server.url, Credentials::new("tls-key", "tls-token"));

    let error = client.get_album().id(album()).send().await.unwrap_err();
    let Error::CommunicationError(source) = &error else {
        panic!("expected a connection error, got {error:?}");
    };
    let said = chain(source);
    assert!(!said.contains("scheme is not http"), "{said}");
    assert!(
        said.to_lowercase().contains("certificate"),
        "the certificate is what was refused: {said}"
    );
    // The server saw a TLS client hello and the client's alert that ended it.
    let handshake = server.handshakes.recv().await.expect("a connection");
    let refused = handshake.expect_err("the client must not accept an unknown certificate");
    assert!(refused.to_lowercase().contains("alert"), "{refused}");
}

#[tokio::test]
async fn with_the_certificate_trusted_the_call_goes_through() {
    let mut server = TlsServer::start().await;
    let root = reqwest::Certificate::from_der(&server.certificate).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([root])
        .redirect(amazon_music_api::same_origin_redirects())
        .build()
        .unwrap();
    let client =
        Client::new_with_client(&server.url, http, Credentials::new("tls-key", "tls-token"));

    let album = client.get_album().id(album()).send().await.unwrap();
    assert_eq!(album.data.album.title.as_deref(), Some("Discovery"));
    assert_eq!(server.handshakes.recv().await, Some(Ok(())));
}
