//! Matching a request (method and URL) to the operation of the document that serves it.

use crate::{Operation, Spec};

/// Finds the operation a request is for, by method and path template.
///
/// The URL may be absolute or a bare path, with or without the server's base path (`/v1`) and
/// with any query string. When several templates match, the one whose first differing segment is
/// literal wins, so `/playback/sessions/active` is never taken for `/playback/sessions/{id}`.
///
/// ```
/// use amazon_music_spec::Spec;
/// let router = Spec::embedded().unwrap().router();
/// let hit = router.find("GET", "https://api.music.amazon.dev/v1/albums/B0064UPU4G%2Fx?x=1").unwrap();
/// assert_eq!(hit.operation_id, "getAlbum");
/// assert_eq!(hit.params, vec![("id".to_string(), "B0064UPU4G/x".to_string())]);
/// ```
#[derive(Debug, Clone)]
pub struct Router {
    base_path: String,
    routes: Vec<Route>,
}

#[derive(Debug, Clone)]
struct Route {
    method: &'static str,
    template: String,
    operation_id: String,
    /// The operation's position in [`Spec::operations`].
    index: usize,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
enum Segment {
    Literal(String),
    Param(String),
}

/// The operation a request matched, and the values of its path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<'r> {
    /// Upper-case method.
    pub method: &'static str,
    /// The path template, as the document writes it.
    pub template: &'r str,
    /// The operation's `operationId`.
    pub operation_id: &'r str,
    /// The operation's position in [`Spec::operations`].
    pub index: usize,
    /// Path parameters in template order, percent-decoded. A segment that does not decode to
    /// UTF-8 is no parameter's value (every parameter of the API is a string), so a path with
    /// one matches no operation rather than one with a stand-in character.
    pub params: Vec<(String, String)>,
}

impl Router {
    /// The routing table of every operation of `spec` (a copy of [`Spec::router`]); the base
    /// path is the path of the first server URL (`/v1`).
    pub fn new(spec: &Spec) -> Self {
        spec.router().clone()
    }

    pub(crate) fn build(base_path: String, operations: &[Operation]) -> Self {
        let routes = operations
            .iter()
            .enumerate()
            .map(|(index, op)| Route {
                method: op.method(),
                template: op.path().to_owned(),
                operation_id: op.id().to_owned(),
                index,
                segments: split(op.path())
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(name) => Segment::Param(name.to_owned()),
                            None => Segment::Literal(s.to_owned()),
                        },
                    )
                    .collect(),
            })
            .collect();
        Self { base_path, routes }
    }

    /// The base path requests are served under, such as `/v1`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Whether `url` lies under the base path (used to pick API calls out of a HAR file).
    pub fn is_api_url(&self, url: &str) -> bool {
        let path = path_of(url);
        self.base_path.is_empty()
            || path == self.base_path
            || path
                .strip_prefix(self.base_path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The path of `url` relative to the base path, without query string or fragment.
    pub fn api_path<'u>(&self, url: &'u str) -> &'u str {
        let path = path_of(url);
        match path.strip_prefix(self.base_path.as_str()) {
            Some(rest)
                if !self.base_path.is_empty() && (rest.is_empty() || rest.starts_with('/')) =>
            {
                rest
            }
            _ => path,
        }
    }

    /// The operation serving `method` on `url`, if any.
    pub fn find(&self, method: &str, url: &str) -> Option<RouteMatch<'_>> {
        let path = self.api_path(url);
        // A trailing slash names the same resource; the published pages write one in places.
        let path = match path.strip_suffix('/') {
            Some(stripped) if !stripped.is_empty() => stripped,
            _ => path,
        };
        let segments: Vec<&str> = split(path).collect();
        self.routes
            .iter()
            .filter(|route| route.method.eq_ignore_ascii_case(method))
            .filter_map(|route| route.matches(&segments).map(|params| (route, params)))
            .max_by(|(a, _), (b, _)| a.specificity().cmp(&b.specificity()))
            .map(|(route, params)| RouteMatch {
                method: route.method,
                template: &route.template,
                operation_id: &route.operation_id,
                index: route.index,
                params,
            })
    }

    /// Every `(method, template, operationId)` the router knows, in document order.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &str, &str)> {
        self.routes
            .iter()
            .map(|r| (r.method, r.template.as_str(), r.operation_id.as_str()))
    }
}

impl Route {
    fn matches(&self, segments: &[&str]) -> Option<Vec<(String, String)>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (segment, pattern) in segments.iter().zip(&self.segments) {
            match pattern {
                Segment::Literal(literal) if literal == segment => {}
                Segment::Literal(_) => return None,
                Segment::Param(_) if segment.is_empty() => return None,
                Segment::Param(name) => params.push((name.clone(), percent_decode(segment)?)),
            }
        }
        Some(params)
    }

    /// Literal segments first: compared left to right, a literal beats a parameter.
    fn specificity(&self) -> Vec<bool> {
        self.segments
            .iter()
            .map(|s| matches!(s, Segment::Literal(_)))
            .collect()
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_start_matches('/')
        .split('/')
        .filter(|_| !path.trim_start_matches('/').is_empty())
}

/// The path of an absolute URL or of a path with query: no scheme, host, query or fragment.
pub(crate) fn path_of(url: &str) -> &str {
    let without_scheme = match url.find("://") {
        Some(at) if !url[..at].contains('/') => {
            let rest = &url[at + 3..];
            match rest.find(['/', '?', '#']) {
                Some(slash) if rest.as_bytes()[slash] == b'/' => &rest[slash..],
                _ => "/",
            }
        }
        _ => url,
    };
    let end = without_scheme
        .find(['?', '#'])
        .unwrap_or(without_scheme.len());
    &without_scheme[..end]
}

/// The value a path segment carries; `None` unless its bytes, decoded, are UTF-8. A `%` not
/// followed by two hex digits stays as it is.
fn percent_decode(segment: &str) -> Option<String> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_urls() {
        assert_eq!(path_of("https://h.example/v1/a?b=c"), "/v1/a");
        // A host shorter than the scheme: the path starts right after it.
        assert_eq!(path_of("http://h/v1/albums"), "/v1/albums");
        assert_eq!(path_of("http://h.example"), "/");
        assert_eq!(path_of("http://h.example?x"), "/");
        assert_eq!(path_of("/v1/a#frag"), "/v1/a");
        assert_eq!(path_of("/v1/a?next=http://x/y"), "/v1/a");
    }

    #[test]
    fn decodes_percent_escapes() {
        for (segment, value) in [
            ("a%20b%2", "a b%2"),
            ("%E2%82%AC", "€"),
            ("%e2%82%ac", "€"),
            ("%zz", "%zz"),
            ("%", "%"),
            ("%252e", "%2e"),
            ("a+b", "a+b"),
            ("%5C%2F%3F%23", "\\/?#"),
            ("%EF%BF%BD", "\u{fffd}"),
        ] {
            assert_eq!(percent_decode(segment).as_deref(), Some(value), "{segment}");
        }
        // Not UTF-8 once decoded: no value, rather than U+FFFD standing in for the bytes.
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(percent_decode("%C0%AF"), None);
    }

    #[test]
    fn a_parameter_that_is_not_utf8_matches_no_operation() {
        let router = router_at("https://h.example/v1");
        assert!(router.find("GET", "/v1/albums/%FF/tracks").is_none());
        let found = router.find("GET", "/v1/albums/%EF%BF%BD/tracks").unwrap();
        assert_eq!(found.params, [("id".to_owned(), "\u{fffd}".to_owned())]);
    }

    fn router_at(server: &str) -> Router {
        let spec = Spec::from_yaml_str(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: '{server}'}}]\n\
             paths:\n  /albums/{{id}}/tracks:\n    get: {{operationId: tracks, responses: {{'200': {{description: ok}}}}}}\n"
        ))
        .unwrap();
        Router::new(&spec)
    }

    #[test]
    fn a_literal_segment_beats_a_parameter_whatever_the_document_order() {
        for paths in [["/s/{id}", "/s/active"], ["/s/active", "/s/{id}"]] {
            let mut yaml = String::from(
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: '/v1'}]\npaths:\n",
            );
            for (i, path) in paths.iter().enumerate() {
                yaml.push_str(&format!(
                    "  {path}:\n    get: {{operationId: op{i}, responses: {{'200': {{description: ok}}}}}}\n"
                ));
            }
            let router = Router::new(&Spec::from_yaml_str(&yaml).unwrap());
            let found = router.find("GET", "/v1/s/active").unwrap();
            assert_eq!(found.template, "/s/active", "{paths:?}");
            assert_eq!(router.find("GET", "/v1/s/x1").unwrap().template, "/s/{id}");
            let mut listed: Vec<_> = router.operations().collect();
            listed.sort();
            let mut expected = [("GET", paths[0], "op0"), ("GET", paths[1], "op1")];
            expected.sort();
            assert_eq!(listed, expected, "{paths:?}");
        }
    }

    #[test]
    fn api_urls_are_those_under_the_base_path_as_whole_segments() {
        let router = router_at("https://h.example/v1");
        for (url, under) in [
            ("https://h.example/v1/albums/a/tracks", true),
            ("https://h.example/v1", true),
            ("/v1?x=1", true),
            ("https://h.example/v10/albums", false),
            ("https://h.example/other/v1/albums", false),
            ("/", false),
        ] {
            assert_eq!(router.is_api_url(url), under, "{url}");
        }
        assert_eq!(router.api_path("/v1/albums/a/tracks?x"), "/albums/a/tracks");
        assert_eq!(router.api_path("/v1"), "");
        assert_eq!(router.api_path("/v10/albums"), "/v10/albums");
        let anywhere = router_at("https://h.example");
        assert!(anywhere.is_api_url("/anything"));
        assert_eq!(anywhere.api_path("/albums/a/tracks"), "/albums/a/tracks");
    }

    #[test]
    fn a_parameter_needs_a_value_and_a_trailing_slash_is_the_same_resource() {
        let router = router_at("https://h.example/v1");
        let found = router.find("GET", "/v1/albums/a%20b/tracks/").unwrap();
        assert_eq!(found.operation_id, "tracks");
        assert_eq!(found.params, [("id".to_owned(), "a b".to_owned())]);
        assert!(router.find("GET", "/v1/albums//tracks").is_none());
        assert!(router.find("POST", "/v1/albums/a/tracks").is_none());
    }

    #[test]
    fn the_base_path_is_the_server_urls_path() {
        let spec = Spec::from_yaml_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://h.example/v1'}]\npaths: {}\n",
        )
        .unwrap();
        assert_eq!(Router::new(&spec).base_path(), "/v1");
    }
}
