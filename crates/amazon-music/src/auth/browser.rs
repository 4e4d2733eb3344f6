//! The browser flow: the authorization code grant with PKCE (S256) and a `state` check, the
//! redirect received on a loopback listener. Feature `browser-sign-in`.
//!
//! The verifier and the `state` are 32 bytes from the operating system's random source
//! (`getrandom`), in base64url: 43 characters, RFC 7636's recommended verifier. The challenge
//! is the verifier's SHA-256 (`sha2`), in base64url, the one method LWA takes.
//!
//! The listener is a one-shot HTTP/1 server written here on tokio's `TcpListener` and
//! `httparse` rather than a web framework: it reads one bounded request head per connection,
//! answers with fixed pages, and has one thing to wait for.

use std::fmt;
use std::future::Future;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::stream::{FuturesUnordered, StreamExt};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::lwa::{Lwa, LwaError};
use super::scope::Scope;
use super::token_set::TokenSet;

/// The path LWA redirects the browser to on the loopback listener.
const CALLBACK_PATH: &str = "/callback";
/// The longest request head read: a browser's redirect is well under 2 KiB.
const MAX_REQUEST_HEAD: usize = 8 * 1024;
/// The most header lines read from one request.
const MAX_HEADERS: usize = 64;
/// How long one connection may take to send its request and read its answer.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections are read at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 16;

/// A browser sign-in in progress: open [`authorize_url`](Self::authorize_url) in the person's
/// browser, then [`finish`](Self::finish). The listener is already bound, so the redirect
/// cannot arrive before anyone listens.
pub struct BrowserSignIn {
    lwa: Lwa,
    listener: TcpListener,
    authorize_url: String,
    redirect_uri: String,
    state: String,
    verifier: String,
    scopes: Vec<Scope>,
    timeout: Duration,
}

impl fmt::Debug for BrowserSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL carries the state and the PKCE challenge; neither is secret alone, but the
        // state is what keeps a forged redirect out, so it is not printed.
        f.debug_struct("BrowserSignIn")
            .field("redirect_uri", &self.redirect_uri)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl Lwa {
    /// Starts a browser sign-in: binds a listener on `127.0.0.1:port` (0 for any free port;
    /// give the port registered on the security profile as `http://127.0.0.1:<port>/callback`)
    /// and builds the consent URL, with a fresh `state` and PKCE challenge.
    pub async fn start_browser_flow(
        &self,
        scopes: &[Scope],
        port: u16,
    ) -> Result<BrowserSignIn, LwaError> {
        if scopes.is_empty() {
            return Err(LwaError::Config(
                "no scopes: ask for at least one (see scopes_for)".into(),
            ));
        }
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .await
            .map_err(|e| LwaError::Listener(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| LwaError::Listener(e.to_string()))?;
        let redirect_uri = format!("http://{bound}{CALLBACK_PATH}");
        let verifier = random_token()?;
        let state = random_token()?;
        let mut url = self.authorize_url().clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", self.config().client_id())
            .append_pair("state", &state)
            .append_pair("code_challenge", &s256_challenge(&verifier))
            .append_pair("code_challenge_method", "S256")
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &Scope::join(scopes));
        Ok(BrowserSignIn {
            lwa: self.clone(),
            listener,
            authorize_url: url.into(),
            redirect_uri,
            state,
            verifier,
            scopes: scopes.to_vec(),
            timeout: BrowserSignIn::DEFAULT_TIMEOUT,
        })
    }
}

impl BrowserSignIn {
    /// How long [`finish`](Self::finish) waits for the browser unless told otherwise.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

    /// The consent page to open in the person's browser.
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    /// Where LWA sends the browser back: `http://127.0.0.1:<port>/callback`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// How long [`finish`](Self::finish) waits for the browser to come back
    /// ([`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT), five minutes, unless set).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Waits for the browser to come back with this sign-in's `state`, exchanges the code (with
    /// the PKCE verifier) for tokens, then answers the browser with a fixed page saying whether
    /// it worked.
    ///
    /// Every other request to the listener (another `state` or none, another path, something
    /// that is not HTTP, a connection that sends nothing) is answered with a fixed page, or
    /// closed, and ignored: a local page cannot end the sign-in. The first redirect with the
    /// right `state` ends the wait and the listener closes. Ends with [`LwaError::Denied`]
    /// when that redirect says `error=access_denied` (another LWA error, with its own
    /// variant), with [`LwaError::BrowserTimeout`] when no such redirect came within the
    /// [`timeout`](Self::timeout), and with [`LwaError::Cancelled`] as soon as `cancel`
    /// completes.
    pub async fn finish(self, cancel: impl Future<Output = ()>) -> Result<TokenSet, LwaError> {
        let BrowserSignIn {
            lwa,
            listener,
            redirect_uri,
            state,
            verifier,
            scopes,
            timeout,
            ..
        } = self;
        let (mut browser, redirect) = tokio::select! {
            biased;
            () = cancel => return Err(LwaError::Cancelled),
            callback = wait_for_callback(&listener, &state, timeout) => callback?,
        };
        // Nothing listens once the callback is in: a second connection is refused.
        drop(listener);
        let result = match redirect {
            Ok(code) => {
                lwa.exchange_code(&code, &verifier, &redirect_uri, &scopes)
                    .await
            }
            Err(error) => Err(error),
        };
        let page = if result.is_ok() { &SIGNED_IN } else { &FAILED };
        // The tokens are in hand (or the error is): a browser that does not read its page
        // changes neither.
        let _ = tokio::time::timeout(CONNECTION_TIMEOUT, page.write_to(&mut browser)).await;
        result
    }
}

/// 32 bytes from the operating system's random source, in base64url (43 characters): a PKCE
/// verifier or a `state`.
fn random_token() -> Result<String, LwaError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| LwaError::Random(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The S256 challenge of a PKCE verifier (RFC 7636, 4.2).
fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A fixed answer of the listener: nothing in it comes from the request.
struct Page {
    status: &'static str,
    body: &'static str,
}

impl Page {
    async fn write_to(&self, stream: &mut TcpStream) -> std::io::Result<()> {
        let head = format!(
            "HTTP/1.1 {}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\
             cache-control: no-store\r\nx-content-type-options: nosniff\r\n\
             content-security-policy: default-src 'none'\r\nreferrer-policy: no-referrer\r\n\
             connection: close\r\n\r\n",
            self.status,
            self.body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(self.body.as_bytes()).await?;
        stream.shutdown().await
    }
}

const SIGNED_IN: Page = Page {
    status: "200 OK",
    body: "<!doctype html><title>Signed in</title><p>Signed in to Amazon Music. You can close this tab and return to the application.</p>",
};
const FAILED: Page = Page {
    status: "400 Bad Request",
    body: "<!doctype html><title>Sign-in failed</title><p>The sign-in did not complete. Return to the application for details.</p>",
};
const NOT_THIS_SIGN_IN: Page = Page {
    status: "400 Bad Request",
    body: "<!doctype html><title>Not this sign-in</title><p>This is not the answer the application is waiting for, so it was ignored. Finish the sign-in in the tab the application opened.</p>",
};
const NOT_FOUND: Page = Page {
    status: "404 Not Found",
    body: "<!doctype html><title>Not found</title><p>Nothing here.</p>",
};
const NOT_ALLOWED: Page = Page {
    status: "405 Method Not Allowed",
    body: "<!doctype html><title>Method not allowed</title><p>Only GET is answered here.</p>",
};
const BAD_REQUEST: Page = Page {
    status: "400 Bad Request",
    body: "<!doctype html><title>Bad request</title><p>This is not an HTTP request.</p>",
};
const TOO_LARGE: Page = Page {
    status: "431 Request Header Fields Too Large",
    body: "<!doctype html><title>Too large</title><p>The request is too large.</p>",
};

/// What the browser brought back with the right `state`: the code, or LWA's error.
type Redirect = Result<String, LwaError>;

/// Serves the listener until a request carries `expected_state`, answering and forgetting every
/// other one, for at most `timeout`. Connections are read side by side, so one that sends
/// nothing holds up no other; at most [`MAX_CONNECTIONS`] at a time (more wait in the
/// listen queue), each for at most [`CONNECTION_TIMEOUT`].
async fn wait_for_callback(
    listener: &TcpListener,
    expected_state: &str,
    timeout: Duration,
) -> Result<(TcpStream, Redirect), LwaError> {
    let expired = tokio::time::sleep(timeout);
    tokio::pin!(expired);
    let mut connections = FuturesUnordered::new();
    let mut ignored = 0_usize;
    loop {
        tokio::select! {
            biased;
            () = &mut expired => {
                return Err(LwaError::BrowserTimeout { waited: timeout, ignored });
            }
            Some(handled) = connections.next(), if !connections.is_empty() => match handled {
                Some(callback) => return Ok(callback),
                None => ignored = ignored.saturating_add(1),
            },
            accepted = listener.accept(), if connections.len() < MAX_CONNECTIONS => {
                match accepted {
                    Ok((stream, _)) => connections.push(handle(stream, expected_state)),
                    // The peer gave up between its connect and our accept: nothing to serve.
                    Err(e) if matches!(
                        e.kind(),
                        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
                    ) => {}
                    Err(e) => {
                        return Err(LwaError::Listener(format!("cannot accept a connection: {e}")));
                    }
                }
            }
        }
    }
}

/// Reads one request from `stream` and either hands back the callback (the stream kept, to be
/// answered once the code is exchanged) or answers with a fixed page and gives `None`.
async fn handle(mut stream: TcpStream, expected_state: &str) -> Option<(TcpStream, Redirect)> {
    let deadline = tokio::time::Instant::now() + CONNECTION_TIMEOUT;
    let verdict = match tokio::time::timeout_at(deadline, read_request(&mut stream)).await {
        Ok(Ok(Some(head))) => classify(&head, expected_state),
        // Too slow, gone, or closed before a whole request: nobody to answer.
        Err(_) | Ok(Err(_)) | Ok(Ok(None)) => return None,
    };
    match verdict {
        Verdict::Callback(redirect) => Some((stream, redirect)),
        Verdict::Answer(page) => {
            let _ = tokio::time::timeout_at(deadline, page.write_to(&mut stream)).await;
            None
        }
    }
}

/// The head of one request, read up to [`MAX_REQUEST_HEAD`] bytes: `Ok(None)` when the peer
/// closed first. A head that does not end within the bound is returned as it is, and
/// [`classify`] refuses it.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut head = vec![0_u8; MAX_REQUEST_HEAD];
    let mut filled = 0;
    loop {
        let read = stream.read(&mut head[filled..]).await?;
        if read == 0 {
            return Ok(None);
        }
        filled += read;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        match httparse::Request::new(&mut headers).parse(&head[..filled]) {
            Ok(httparse::Status::Partial) if filled < MAX_REQUEST_HEAD => {}
            _ => {
                head.truncate(filled);
                return Ok(Some(head));
            }
        }
    }
}

/// What to do with one request.
enum Verdict {
    /// This sign-in's redirect: it ends the wait.
    Callback(Redirect),
    /// Anything else: answered with this page, then forgotten.
    Answer(&'static Page),
}

fn classify(head: &[u8], expected_state: &str) -> Verdict {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        // Still partial at the bound, or too many header lines.
        Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
            return Verdict::Answer(&TOO_LARGE);
        }
        Err(_) => return Verdict::Answer(&BAD_REQUEST),
    }
    let (Some(method), Some(target)) = (request.method, request.path) else {
        return Verdict::Answer(&BAD_REQUEST);
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != CALLBACK_PATH {
        return Verdict::Answer(&NOT_FOUND);
    }
    if method != "GET" {
        return Verdict::Answer(&NOT_ALLOWED);
    }
    match CallbackParams::parse(query).and_then(|p| p.outcome(expected_state)) {
        Some(redirect) => Verdict::Callback(redirect),
        None => Verdict::Answer(&NOT_THIS_SIGN_IN),
    }
}

/// The parameters of a redirect that this listener reads.
#[derive(Default)]
struct CallbackParams {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl CallbackParams {
    /// `None` when one of them is given twice: LWA sends each once, and which of two `state`s
    /// would count is a question better not answered.
    fn parse(query: &str) -> Option<Self> {
        let mut params = Self::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_ref() {
                "state" => &mut params.state,
                "code" => &mut params.code,
                "error" => &mut params.error,
                "error_description" => &mut params.error_description,
                _ => continue,
            };
            if slot.replace(value.into_owned()).is_some() {
                return None;
            }
        }
        Some(params)
    }

    /// This sign-in's redirect (the code, or LWA's error), or `None` when the `state` is
    /// missing or another.
    fn outcome(self, expected_state: &str) -> Option<Redirect> {
        if !same_state(self.state.as_deref()?, expected_state) {
            return None;
        }
        if let Some(error) = self.error {
            return Some(Err(LwaError::from_answer(
                &error,
                self.error_description.as_deref(),
            )));
        }
        Some(self.code.filter(|c| !c.is_empty()).ok_or_else(|| {
            LwaError::Response("the redirect carries neither a code nor an error".into())
        }))
    }
}

/// Compares the states in time that depends on their lengths only, so that the answer's timing
/// tells a guesser nothing about how much of a guess was right.
fn same_state(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636's example (Appendix B).
    #[test]
    fn the_challenge_is_the_rfcs() {
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    /// Verifiers of RFC 7636's recommended form: 43 characters of its alphabet, never twice the
    /// same.
    #[test]
    fn tokens_are_43_unreserved_characters_and_differ() {
        let tokens: Vec<String> = (0..64).map(|_| random_token().unwrap()).collect();
        for token in &tokens {
            assert_eq!(token.len(), 43, "{token}");
            assert!(
                token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{token}"
            );
        }
        let mut unique = tokens.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), tokens.len());
    }

    fn outcome(query: &str) -> Option<Redirect> {
        CallbackParams::parse(query).and_then(|p| p.outcome("s"))
    }

    #[test]
    fn only_the_right_state_makes_a_callback() {
        assert!(outcome("code=c&state=other").is_none());
        assert!(outcome("code=c&state=").is_none());
        assert!(outcome("code=c").is_none());
        assert!(outcome("code=c&state=ss").is_none(), "a longer state");
        assert!(outcome("code=c&state=S").is_none());
        // Which of two states would count is not asked: neither does.
        assert!(outcome("code=c&state=s&state=other").is_none());
        assert!(outcome("code=c&state=other&state=s").is_none());
        assert!(outcome("code=c&code=d&state=s").is_none());
        assert!(matches!(
            outcome("error=access_denied&error_description=no&state=s"),
            Some(Err(LwaError::Denied { description })) if description == "no"
        ));
        assert!(matches!(
            outcome("state=s"),
            Some(Err(LwaError::Response(_)))
        ));
        assert!(matches!(
            outcome("code=&state=s"),
            Some(Err(LwaError::Response(_)))
        ));
        assert_eq!(
            outcome("code=c%2Bd&state=s&scope=x").unwrap().unwrap(),
            "c+d"
        );
    }

    #[test]
    fn states_compare_equal_only_when_equal() {
        assert!(same_state("abc", "abc"));
        assert!(!same_state("abd", "abc"));
        assert!(!same_state("ab", "abc"));
        assert!(!same_state("abcd", "abc"));
        assert!(!same_state("", "abc"));
    }

    fn answer(head: &[u8]) -> Option<&'static str> {
        match classify(head, "s") {
            Verdict::Answer(page) => Some(page.status),
            Verdict::Callback(_) => None,
        }
    }

    /// A head that fills the buffer without ending is handed on to be refused, not read
    /// further into a full buffer (which would wait for more, or take the end for a peer
    /// gone without a word).
    #[tokio::test]
    async fn a_head_as_long_as_the_bound_is_returned_whole() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut peer = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut stream, _) = listener.accept().await.unwrap();
        let endless = [
            b"GET /callback HTTP/1.1\r\nx: ".as_slice(),
            &[b'a'; MAX_REQUEST_HEAD],
        ]
        .concat();
        peer.write_all(&endless[..MAX_REQUEST_HEAD]).await.unwrap();
        // Closed after it: one more read would find the end, not wait.
        peer.shutdown().await.unwrap();
        let head = read_request(&mut stream).await.unwrap();
        assert_eq!(head.map(|h| h.len()), Some(MAX_REQUEST_HEAD));
    }

    #[test]
    fn requests_other_than_the_callback_get_a_fixed_answer() {
        assert_eq!(
            answer(b"GET /favicon.ico HTTP/1.1\r\nhost: x\r\n\r\n"),
            Some("404 Not Found")
        );
        assert_eq!(
            answer(b"GET /callbackx?code=c&state=s HTTP/1.1\r\n\r\n"),
            Some("404 Not Found")
        );
        assert_eq!(
            answer(b"POST /callback?code=c&state=s HTTP/1.1\r\n\r\n"),
            Some("405 Method Not Allowed")
        );
        assert_eq!(
            answer(b"GET /callback?code=c&state=t HTTP/1.1\r\n\r\n"),
            Some("400 Bad Request")
        );
        assert_eq!(
            answer(b"\x16\x03\x01\x02\x00\r\n\r\n"),
            Some("400 Bad Request")
        );
        let endless = [b"GET /callback HTTP/1.1\r\nx: ".as_slice(), &[b'a'; 9000]].concat();
        assert_eq!(
            answer(&endless[..MAX_REQUEST_HEAD]),
            Some("431 Request Header Fields Too Large")
        );
        let many = format!(
            "GET /callback HTTP/1.1\r\n{}\r\n",
            "x: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(
            answer(many.as_bytes()),
            Some("431 Request Header Fields Too Large")
        );
        assert!(answer(b"GET /callback?code=c&state=s HTTP/1.1\r\nhost: x\r\n\r\n").is_none());
    }
}
