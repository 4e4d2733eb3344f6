//! Fetching the listed pages into the cache, and reading them back from it.
//!
//! The cache holds, per page, `<name>.html` (the page as served) and `<name>.meta.json` (its
//! URL and the validators the server sent with it: `ETag`, `Last-Modified`). Each file is
//! written to a temporary file in the cache directory and renamed into place, the page before
//! its validators: a run stopped between the two leaves the validators of the older copy,
//! which do not match the page now served, so the next run fetches it whole.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, HeaderName, HeaderValue, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED,
};
use reqwest::{StatusCode, redirect};
use serde::{Deserialize, Serialize};

use super::list::{Listed, fetchable};
use crate::output::note;

/// The largest page accepted, in bytes: a reference page is a few hundred KiB.
pub const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;

/// Redirects followed, at most.
const MAX_REDIRECTS: usize = 5;

/// Where the HTML of a page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Fetched now (and cached).
    Fetched,
    /// The server said the cached copy is current (304).
    NotModified,
    /// Read from the cache without asking (`--offline`).
    Cache,
}

impl Origin {
    /// How the report says it.
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Fetched => "fetched",
            Origin::NotModified => "not modified since the cached copy",
            Origin::Cache => "the cached copy, offline",
        }
    }
}

/// A page's HTML and where it came from, or one line saying why there is none.
pub type Got = Result<(String, Origin), String>;

/// What the cache keeps beside a page.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Meta {
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
}

/// The directory of cached pages.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache in `dir` (created when a page is first stored).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn page_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.html"))
    }

    fn meta_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.meta.json"))
    }

    /// The cached copy of `page` (of whatever URL) with what was kept beside it; `None`
    /// when there is none.
    fn load(&self, page: &Listed) -> Result<Option<(Meta, String)>, String> {
        let Some(meta) = read_if_there(&self.meta_path(&page.name))? else {
            return Ok(None);
        };
        let meta: Meta = serde_json::from_str(&meta)
            .map_err(|e| format!("{}: {e}", self.meta_path(&page.name).display()))?;
        Ok(read_if_there(&self.page_path(&page.name))?.map(|html| (meta, html)))
    }

    /// The cached copy of `page`, for `--offline`: an error says why there is none.
    pub fn read(&self, page: &Listed) -> Result<String, String> {
        match self.load(page)? {
            Some((meta, html)) if meta.url == page.url.as_str() => Ok(html),
            Some((meta, _)) => Err(format!(
                "the copy in the cache {} is of {}, not of the listed URL (run without \
                 --offline to fetch it)",
                self.dir.display(),
                meta.url
            )),
            None => Err(format!(
                "not in the cache {} (run without --offline to fetch it)",
                self.dir.display()
            )),
        }
    }

    fn store(&self, page: &Listed, meta: &Meta, html: &str) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create the cache {}: {e}", self.dir.display()))?;
        write_atomically(&self.dir, &self.page_path(&page.name), html.as_bytes())?;
        let meta = serde_json::to_vec_pretty(meta).map_err(|e| e.to_string())?;
        write_atomically(&self.dir, &self.meta_path(&page.name), &meta)
    }
}

fn read_if_there(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Writes `bytes` to a temporary file in `dir` and renames it to `path`: a reader sees the old
/// file or the new one, never a part, and a link planted at `path` is replaced, not followed.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    file.write_all(bytes).map_err(|e| fail(&e))?;
    file.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// The HTTP client for pages: a total `timeout` per request, and redirects followed only to
/// URLs a list may name (https, or http on loopback), at most [`MAX_REDIRECTS`].
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    let policy = redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if let Err(why) = fetchable(attempt.url()) {
            attempt.error(format!("a redirect refused: {why}"))
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(policy)
        .user_agent(concat!(
            "amazon-music-docs-check/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {}", root_cause(&e)))
}

/// Fetches `page`, sending the validators of its cached copy, and caches what is new. The
/// error is one line saying what went wrong (the caller names the page).
pub async fn fetch(http: &reqwest::Client, cache: &Cache, page: &Listed, timeout: Duration) -> Got {
    let cached = match cache.load(page) {
        Ok(Some((meta, html))) if meta.url == page.url.as_str() => Some((meta, html)),
        Ok(_) => None,
        Err(why) => {
            note(&format!(
                "{}: the cached copy is unreadable and is fetched again: {why}",
                page.name
            ));
            None
        }
    };
    let mut request = http
        .get(page.url.clone())
        .header(ACCEPT, "text/html, application/xhtml+xml;q=0.9");
    if let Some((meta, _)) = &cached {
        for (name, value) in [
            (IF_NONE_MATCH, &meta.etag),
            (IF_MODIFIED_SINCE, &meta.last_modified),
        ] {
            // A value the cache file holds that is no header value is not sent.
            if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                request = request.header(name, value);
            }
        }
    }
    let response = request.send().await.map_err(|e| failed(&e, timeout))?;
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return match cached {
            Some((_, html)) => Ok((html, Origin::NotModified)),
            None => Err("answered 304 Not Modified, but nothing is cached to reuse".into()),
        };
    }
    if !status.is_success() {
        return Err(format!("answered {status}"));
    }
    match response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| media_type(v.as_bytes()))
        .as_deref()
    {
        Some("text/html" | "application/xhtml+xml") => {}
        Some(other) => return Err(format!("answered {other:?}, not HTML")),
        None => return Err("answered without a Content-Type, so not HTML".into()),
    }
    let meta = Meta {
        url: page.url.to_string(),
        etag: header_text(response.headers(), &ETAG),
        last_modified: header_text(response.headers(), &LAST_MODIFIED),
    };
    let body = read_bounded(response, timeout).await?;
    let html = String::from_utf8(body).map_err(|_| "answered a page that is not UTF-8")?;
    cache
        .store(page, &meta, &html)
        .map_err(|why| format!("fetched, but {why}"))?;
    Ok((html, Origin::Fetched))
}

/// The body, up to [`MAX_PAGE_BYTES`]: a longer declared length is refused unread, and any
/// other body is counted as it comes.
async fn read_bounded(
    mut response: reqwest::Response,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let too_long = || format!("answered more than the limit of {MAX_PAGE_BYTES} bytes");
    if response
        .content_length()
        .is_some_and(|len| len > MAX_PAGE_BYTES)
    {
        return Err(too_long());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| failed(&e, timeout))? {
        if (body.len() + chunk.len()) as u64 > MAX_PAGE_BYTES {
            return Err(too_long());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `text/html` of `text/html; charset=utf-8`, lower case.
fn media_type(value: &[u8]) -> String {
    let value = String::from_utf8_lossy(value);
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn header_text(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn failed(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        format!(
            "no complete answer within {} s (--timeout)",
            timeout.as_secs()
        )
    } else if error.is_connect() {
        format!("cannot connect: {}", root_cause(error))
    } else {
        format!("the request failed: {}", root_cause(error))
    }
}

/// The innermost cause ("Connection refused (os error 111)"), which says more than reqwest's
/// "error sending request".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(name: &str, url: &str) -> Listed {
        Listed {
            name: name.into(),
            url: url.parse().unwrap(),
        }
    }

    #[test]
    fn a_stored_page_reads_back_and_only_for_its_url() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("docs"));
        let albums = page("albums-v1", "https://example.com/albums.html");
        assert!(
            cache
                .read(&albums)
                .unwrap_err()
                .starts_with("not in the cache ")
        );
        let meta = Meta {
            url: albums.url.to_string(),
            etag: Some("\"1\"".into()),
            last_modified: None,
        };
        cache.store(&albums, &meta, "<p>one</p>").unwrap();
        assert_eq!(cache.read(&albums).unwrap(), "<p>one</p>");
        cache.store(&albums, &meta, "<p>two</p>").unwrap();
        assert_eq!(cache.read(&albums).unwrap(), "<p>two</p>");
        // Nothing but the page and its validators is left in the directory.
        let mut names: Vec<String> = std::fs::read_dir(cache.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["albums-v1.html", "albums-v1.meta.json"]);

        let moved = page("albums-v1", "https://example.com/moved.html");
        let error = cache.read(&moved).unwrap_err();
        assert!(
            error.contains("is of https://example.com/albums.html"),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_a_cache_file_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "keep").unwrap();
        let cache = Cache::new(dir.path().join("docs"));
        std::fs::create_dir_all(cache.dir()).unwrap();
        std::os::unix::fs::symlink(&target, cache.dir().join("albums-v1.html")).unwrap();
        let albums = page("albums-v1", "https://example.com/albums.html");
        let meta = Meta {
            url: albums.url.to_string(),
            ..Meta::default()
        };
        cache.store(&albums, &meta, "<p>page</p>").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert_eq!(cache.read(&albums).unwrap(), "<p>page</p>");
    }

    #[test]
    fn the_media_type_is_read_without_its_parameters() {
        assert_eq!(media_type(b"Text/HTML; charset=UTF-8"), "text/html");
        assert_eq!(media_type(b"application/json"), "application/json");
        assert_eq!(media_type(b"\xff"), "\u{fffd}");
    }
}
