//! A loopback server for the tests of bounded reads: it answers every request with a body of a
//! chosen size and framing (a true `Content-Length`, a false one, chunks, or bytes until the
//! connection closes), written straight to the socket so that the framing is exactly what the
//! test asks for, and it counts how much of each body the client took before hanging up.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};

/// Filler for bodies of any size. It looks like nothing the API sends, so a test can check
/// that an error never quotes the body.
pub const FILLER: &[u8] = b"BODY-NEVER-QUOTED ";

/// The size of each write.
const CHUNK: usize = 64 * 1024;

/// How the body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// A `Content-Length` that tells the truth.
    Length,
    /// A `Content-Length` claiming this many bytes, whatever follows; the server closes the
    /// connection once it has written the body it has.
    Declared(u64),
    /// `Transfer-Encoding: chunked`, so no length is known before the end.
    Chunked,
    /// Neither: the body ends when the connection closes.
    UntilClose,
}

/// What the body holds.
#[derive(Debug, Clone)]
pub enum Content {
    /// These bytes.
    Text(Vec<u8>),
    /// This many bytes of [`FILLER`], made as they are written, so the server never holds
    /// them.
    Filler(u64),
}

impl Content {
    fn len(&self) -> u64 {
        match self {
            Content::Text(text) => text.len() as u64,
            Content::Filler(bytes) => *bytes,
        }
    }

    /// The bytes from `offset`, at most one write's worth.
    fn chunk_at(&self, offset: u64) -> Vec<u8> {
        let end = self.len().min(offset + CHUNK as u64);
        match self {
            Content::Text(text) => text[offset as usize..end as usize].to_vec(),
            Content::Filler(_) => (offset..end)
                .map(|i| FILLER[(i % FILLER.len() as u64) as usize])
                .collect(),
        }
    }
}

/// JSON of exactly `bytes` bytes: `json` followed by spaces (which JSON allows after a value).
pub fn padded_json(json: &str, bytes: usize) -> Vec<u8> {
    assert!(json.len() <= bytes, "{json} is longer than {bytes} bytes");
    let mut text = json.as_bytes().to_vec();
    text.resize(bytes, b' ');
    text
}

/// A running server; every connection gets one answer and is then closed.
pub struct Oversize {
    /// `http://127.0.0.1:PORT/v1`
    pub base_url: String,
    sent: Mutex<mpsc::UnboundedReceiver<u64>>,
}

impl Oversize {
    /// Answers every request with `status` and `content` (as `application/json`), framed as
    /// `framing` says.
    pub async fn start(status: u16, framing: Framing, content: Content) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("a bound address");
        let (report, sent) = mpsc::unbounded_channel();
        let content = Arc::new(content);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let content = content.clone();
                let report = report.clone();
                tokio::spawn(async move {
                    let written = answer(socket, status, framing, &content).await;
                    let _ = report.send(written);
                });
            }
        });
        Self {
            base_url: format!("http://{addr}/v1"),
            sent: Mutex::new(sent),
        }
    }

    /// How many bytes of body the next connection to end had written when it ended: all of
    /// them, or what the socket took before the client hung up. Waits for that connection.
    pub async fn body_bytes_sent(&self) -> u64 {
        self.sent
            .lock()
            .await
            .recv()
            .await
            .expect("the server keeps running")
    }
}

/// Reads the request, writes the answer, and says how many body bytes the socket accepted.
async fn answer(mut socket: TcpStream, status: u16, framing: Framing, content: &Content) -> u64 {
    if read_request(&mut socket).await.is_err() {
        return 0;
    }
    let length = match framing {
        Framing::Length => format!("content-length: {}\r\n", content.len()),
        Framing::Declared(declared) => format!("content-length: {declared}\r\n"),
        Framing::Chunked => "transfer-encoding: chunked\r\n".to_owned(),
        Framing::UntilClose => String::new(),
    };
    let head = format!(
        "HTTP/1.1 {status} Answer\r\ncontent-type: application/json\r\nconnection: close\r\n{length}\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return 0;
    }
    let mut written = 0;
    while written < content.len() {
        let chunk = content.chunk_at(written);
        let framed = if framing == Framing::Chunked {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            framed
        } else {
            chunk.clone()
        };
        if socket.write_all(&framed).await.is_err() {
            return written;
        }
        written += chunk.len() as u64;
    }
    if framing == Framing::Chunked {
        let _ = socket.write_all(b"0\r\n\r\n").await;
    }
    let _ = socket.shutdown().await;
    written
}

/// Reads one request's head and its body (by its `Content-Length`), so that closing the socket
/// afterwards does not reset the connection under the answer.
async fn read_request(socket: &mut TcpStream) -> std::io::Result<()> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = socket.read(&mut buffer).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        seen.extend_from_slice(&buffer[..read]);
        if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let body_length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body_read = seen.len() - head_end;
    while body_read < body_length {
        let read = socket.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        body_read += read;
    }
    Ok(())
}
