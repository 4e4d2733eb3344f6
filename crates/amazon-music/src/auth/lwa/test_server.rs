//! Loopback servers that answer as LWA would, or as it must not, for the tests of this
//! module.

use std::sync::Arc;
use std::time::Duration;

/// Reads one request, body included: a socket closed with unread data is reset, and the
/// reset can reach the client before the answer does.
fn read_request(stream: &std::net::TcpStream) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Read};
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut length = 0;
    while reader.read_line(&mut line)? > 2 {
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        line.clear();
    }
    reader.read_exact(&mut vec![0; length])
}

/// Serves `connections` connections, one request each: reads the request, then lets
/// `answer` write. A connection's error ends only that connection: a client may stop
/// reading early, and the tests check what the client made of what it got. Gives the
/// server's URL.
pub(super) fn serve(
    connections: usize,
    answer: impl Fn(&mut std::net::TcpStream) -> std::io::Result<()> + Send + 'static,
) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let _ = stream.and_then(|mut stream| {
                read_request(&stream)?;
                answer(&mut stream)
            });
        }
    });
    url
}

/// Writes a JSON answer with `status` (such as `200 OK`), closing the connection after it.
fn write_json(out: &mut std::net::TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    use std::io::Write;
    write!(
        out,
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Serves one answer whose body is sent as chunks of these sizes (each its own chunk of
/// the chunked encoding, so the client sees them one by one).
pub(super) fn serve_in_chunks(sizes: Vec<usize>) -> String {
    use std::io::Write;
    serve(1, move |out| {
        out.write_all(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        )?;
        for &size in &sizes {
            write!(out, "{size:x}\r\n")?;
            out.write_all(&vec![b' '; size])?;
            out.write_all(b"\r\n")?;
        }
        out.write_all(b"0\r\n\r\n")
    })
}

/// Serves one `200` JSON answer.
pub(super) fn serve_json(body: &'static str) -> String {
    serve(1, move |out| write_json(out, "200 OK", body))
}

/// A token endpoint that says `authorization_pending` to every poll, for ever.
pub(super) fn serve_pending() -> String {
    serve(usize::MAX, |out| {
        write_json(
            out,
            "400 Bad Request",
            r#"{"error":"authorization_pending"}"#,
        )
    })
}

/// An LWA inside the test's runtime, so that it reads tokio's clock, paused or not: the
/// code pair `pair`, then `poll` (an error object, with a 400) to every poll. Gives its URL
/// and when each poll came, counted from its start.
pub(super) async fn device_flow_server(
    pair: &'static str,
    poll: &'static str,
) -> (String, Arc<std::sync::Mutex<Vec<Duration>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let polls = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = polls.clone();
    let started = tokio::time::Instant::now();
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((stream, _)) = listener.accept().await {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            let mut length = 0;
            while reader.read_line(&mut line).await.unwrap_or(0) > 2 {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let _ = reader.read_exact(&mut vec![0; length]).await;
            let (status, answer) = if std::mem::take(&mut first) {
                ("200 OK", pair)
            } else {
                seen.lock().unwrap().push(started.elapsed());
                ("400 Bad Request", poll)
            };
            let text = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = reader.get_mut().write_all(text.as_bytes()).await;
        }
    });
    (url, polls)
}
