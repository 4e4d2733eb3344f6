//! The list of pages docs-check reads (`spec/docs-pages.yaml`): each page's name (its key in
//! the facts digest and its file name in the cache) and the URL it is published at.

use std::collections::BTreeMap;
use std::net::IpAddr;

use reqwest::Url;
use serde::Deserialize;

/// The copy built into the command, for use outside a checkout; a test holds it equal to
/// `spec/docs-pages.yaml`.
pub const EMBEDDED: &str = include_str!("docs-pages.yaml");

/// One listed page.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its name.
    pub name: String,
    /// Where it is published.
    pub url: Url,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    pages: BTreeMap<String, String>,
}

/// Reads a list, checking every name and URL.
pub fn parse(text: &str) -> Result<Vec<Listed>, String> {
    let file: ListFile = serde_norway::from_str(text).map_err(|e| e.to_string())?;
    if file.pages.is_empty() {
        return Err("the list names no page".into());
    }
    file.pages
        .into_iter()
        .map(|(name, url)| {
            if !valid_name(&name) {
                return Err(format!(
                    "page name {name:?}: use 1 to 64 letters, digits, '-', '_' or '.', not \
                     starting with '.' (the name is a file name in the cache)"
                ));
            }
            let url = Url::parse(&url).map_err(|e| format!("page {name}: {url:?}: {e}"))?;
            fetchable(&url).map_err(|e| format!("page {name}: {e}"))?;
            Ok(Listed { name, url })
        })
        .collect()
}

/// Whether `name` can name a page: it becomes a file name in the cache, so nothing that could
/// leave the cache directory or hide in it.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether `url` may be fetched: `https`, or plain `http` to a loopback host (a local server),
/// without a user name or password.
pub fn fetchable(url: &Url) -> Result<(), String> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{}: a page URL carries no user name or password",
            without_credentials(url)
        ));
    }
    match url.scheme() {
        "https" if url.host_str().is_some() => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "{url}: plain http is accepted for loopback addresses only; use https"
        )),
        _ => Err(format!("{url}: not an https URL")),
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn without_credentials(url: &Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_reads() {
        let pages = parse(EMBEDDED).unwrap();
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["albums-v1", "playback-v1"]);
        assert!(pages.iter().all(|p| p.url.scheme() == "https"));
    }

    #[test]
    fn names_that_could_leave_the_cache_are_refused() {
        for name in ["albums-v1", "a.b_c", "X9"] {
            assert!(valid_name(name), "{name}");
        }
        for name in [
            "",
            ".",
            "..",
            ".hidden",
            "../up",
            "a/b",
            "a\\b",
            "c:d",
            "sp ace",
            "é",
            &"x".repeat(65),
        ] {
            assert!(!valid_name(name), "{name}");
            let list = format!("pages:\n  {name:?}: https://example.com/p.html\n");
            let error = parse(&list).unwrap_err();
            assert!(error.contains("page name"), "{name}: {error}");
        }
    }

    #[test]
    fn only_https_or_loopback_http_without_credentials_is_fetched() {
        for url in [
            "https://example.com/p.html",
            "http://127.0.0.1:8080/p.html",
            "http://127.9.9.9/p.html",
            "http://[::1]:1/p.html",
            "http://localhost/p.html",
        ] {
            assert_eq!(fetchable(&Url::parse(url).unwrap()), Ok(()), "{url}");
        }
        for (url, why) in [
            ("http://example.com/p.html", "loopback addresses only"),
            ("http://10.0.0.1/p.html", "loopback addresses only"),
            ("ftp://example.com/p.html", "not an https URL"),
            ("file:///etc/passwd", "not an https URL"),
            (
                "https://user:secret@example.com/p",
                "no user name or password",
            ),
        ] {
            let error = fetchable(&Url::parse(url).unwrap()).unwrap_err();
            assert!(error.contains(why), "{url}: {error}");
            assert!(!error.contains("secret"), "{error}");
        }
    }

    #[test]
    fn a_list_must_be_a_map_of_pages() {
        for (text, why) in [
            ("pages: {}\n", "names no page"),
            ("pages:\n  a: not a url\n", "page a"),
            ("pages:\n  a: https://e.com/\nother: 1\n", "unknown field"),
            ("- a\n", "invalid type"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
        }
    }
}
