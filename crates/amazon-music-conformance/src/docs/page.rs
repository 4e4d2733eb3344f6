//! The upstream reference page format: endpoint headings (a title, a method line, a path line),
//! `Authorization Scope:` lines, parameter and response tables in either the pipe layout
//! (`a | b | c |`) or the space-separated layout, `curl` example requests and example JSON.

use serde_json::Value;

use super::example_json;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A property of the JSON request body (dotted for nested properties).
    Body,
}

impl Location {
    /// The word facts use: `path`, `query`, `header`, `body`.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
        }
    }
}

/// One row of a parameter or response table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The name as the page writes it (a `body.` prefix of body parameters removed).
    pub name: String,
    /// The data type column.
    pub data_type: String,
    /// The required column.
    pub required: bool,
    /// The description column.
    pub description: String,
}

/// One parameter of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Where it travels.
    pub location: Location,
    /// Its row.
    pub row: Row,
}

/// A `curl` example request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleRequest {
    /// The method it sends.
    pub method: String,
    /// The URL after `<base url>`, with its query.
    pub url: String,
}

/// One endpoint of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The heading.
    pub title: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// Upper-case method.
    pub method: String,
    /// The path as written.
    pub path: String,
    /// Authorization scopes, when the page states them.
    pub scopes: Vec<String>,
    /// Parameters, in page order.
    pub params: Vec<Param>,
    /// Rows of the response table.
    pub response_fields: Vec<Row>,
    /// Example requests.
    pub example_requests: Vec<ExampleRequest>,
    /// Example response bodies, read leniently (`...` and stray brackets skipped).
    pub example_responses: Vec<Value>,
}

/// A parsed page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Endpoints in page order.
    pub endpoints: Vec<Endpoint>,
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct PageError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// Parses a page.
///
/// ```
/// use amazon_music_conformance::docs::page::{parse, Location};
/// let page = parse("Get Thing\nGET\n/things/{id}\nPath Parameters\n\
///     Name | Data Type | Required | Description |\n---|---|---|---|\n\
///     id | string | Yes | The id. |\n")?;
/// assert_eq!(page.endpoints[0].params[0].location, Location::Path);
/// assert!(page.endpoints[0].params[0].row.required);
/// # Ok::<(), amazon_music_conformance::docs::page::PageError>(())
/// ```
pub fn parse(text: &str) -> Result<Page, PageError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut in_response = false;
    let mut i = 0;
    while i < lines.len() {
        if let Some((method, path, used)) = heading(&lines[i..]) {
            endpoints.push(Endpoint {
                title: lines[i].1.to_owned(),
                line: lines[i].0,
                method,
                path,
                scopes: Vec::new(),
                params: Vec::new(),
                response_fields: Vec::new(),
                example_requests: Vec::new(),
                example_responses: Vec::new(),
            });
            in_response = false;
            i += used;
            continue;
        }
        let (number, line) = lines[i];
        let Some(endpoint) = endpoints.last_mut() else {
            i += 1;
            continue;
        };
        if let Some(scopes) = line.strip_prefix("Authorization Scope:") {
            endpoint.scopes = scopes
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            i += 1;
            continue;
        }
        let location = match line {
            "Path Parameters" => Some(Location::Path),
            "Query Parameters" => Some(Location::Query),
            "Header Parameters" => Some(Location::Header),
            "Request Parameters" | "Body Parameters" => Some(Location::Body),
            _ => None,
        };
        if let Some(location) = location {
            in_response = false;
            let (rows, used) = table(&lines[i + 1..])?;
            for mut row in rows {
                if location == Location::Body
                    && let Some(name) = row.name.strip_prefix("body.")
                {
                    row.name = name.to_owned();
                }
                endpoint.params.push(Param { location, row });
            }
            i += 1 + used;
            continue;
        }
        if line == "Responses" || line == "Response" {
            in_response = true;
            i += 1;
            continue;
        }
        if in_response && is_table_header(line) {
            let (rows, used) = table(&lines[i..])?;
            endpoint.response_fields.extend(rows);
            i += used;
            continue;
        }
        if line.starts_with("curl ") {
            endpoint
                .example_requests
                .push(example_request(line).ok_or_else(|| PageError {
                    line: number,
                    message: format!("a curl example without a URL: {line}"),
                })?);
            i += 1;
            continue;
        }
        if in_response && (line.starts_with('{') || line.starts_with('[')) {
            let start = i;
            let mut depth = 0i64;
            while i < lines.len() {
                depth += example_json::depth_change(lines[i].1);
                i += 1;
                if depth <= 0 || heading(&lines[i.min(lines.len())..]).is_some() {
                    break;
                }
            }
            let block: Vec<&str> = lines[start..i].iter().map(|(_, l)| *l).collect();
            endpoint
                .example_responses
                .push(example_json::parse(&block.join("\n")));
            continue;
        }
        i += 1;
    }
    if endpoints.is_empty() {
        return Err(PageError {
            line: 1,
            message: "no endpoint heading (a title, a method line and a path line) found".into(),
        });
    }
    Ok(Page { endpoints })
}

/// An endpoint heading at the start of `lines`: (method, path, lines used).
fn heading(lines: &[(usize, &str)]) -> Option<(String, String, usize)> {
    let (_, title) = lines.first()?;
    if METHODS.contains(title) || title.starts_with('/') {
        return None;
    }
    let (_, second) = lines.get(1)?;
    if METHODS.contains(second) {
        let (_, path) = lines.get(2)?;
        if path.starts_with('/') && !path.contains(' ') {
            return Some(((*second).to_owned(), (*path).to_owned(), 3));
        }
        return None;
    }
    // A method and path on one line: `GET /albums`.
    let (method, path) = second.split_once(' ')?;
    (METHODS.contains(&method) && path.starts_with('/') && !path.contains(' '))
        .then(|| (method.to_owned(), path.to_owned(), 2))
}

fn is_table_header(line: &str) -> bool {
    line.starts_with("Name") && line.contains("Required")
}

/// A table whose header is the first line: its rows and the number of lines used.
fn table(lines: &[(usize, &str)]) -> Result<(Vec<Row>, usize), PageError> {
    let Some(&(number, header)) = lines.first() else {
        return Ok((Vec::new(), 0));
    };
    if !is_table_header(header) {
        return Err(PageError {
            line: number,
            message: format!(
                "expected a table header (Name, Data Type, Required, Description), found {header:?}"
            ),
        });
    }
    let mut rows = Vec::new();
    let mut used = 1;
    if header.contains('|') {
        if lines
            .get(1)
            .is_some_and(|(_, l)| l.chars().all(|c| matches!(c, '-' | '|' | ' ' | ':')))
        {
            used += 1;
        }
        for &(number, line) in &lines[used..] {
            if !line.contains('|') {
                break;
            }
            let cells: Vec<&str> = line
                .trim_end_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            if cells.len() < 3 {
                return Err(PageError {
                    line: number,
                    message: format!(
                        "a table row with {} cells, expected at least 3: {line}",
                        cells.len()
                    ),
                });
            }
            rows.push(Row {
                name: cells[0].to_owned(),
                data_type: cells[1].to_owned(),
                required: required(cells[2]).ok_or_else(|| PageError {
                    line: number,
                    message: format!("the Required cell is {:?}, expected Yes or No", cells[2]),
                })?,
                description: cells[3..].join(" | ").trim().to_owned(),
            });
            used += 1;
        }
    } else {
        // Space-separated: name, a type of one or more words, Yes/No, then the description.
        for &(_, line) in &lines[1..] {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(at) = words.iter().skip(2).position(|w| required(w).is_some()) else {
                break;
            };
            let at = at + 2;
            rows.push(Row {
                name: words[0].to_owned(),
                data_type: words[1..at].join(" "),
                required: required(words[at]).unwrap_or(false),
                description: words[at + 1..].join(" "),
            });
            used += 1;
        }
    }
    Ok((rows, used))
}

fn required(cell: &str) -> Option<bool> {
    match cell {
        "Yes" | "yes" | "Y" | "true" => Some(true),
        "No" | "no" | "N" | "false" => Some(false),
        _ => None,
    }
}

/// Method and URL of a `curl` line; the method defaults to GET as curl's does.
fn example_request(line: &str) -> Option<ExampleRequest> {
    let line = line.replace("<base url>", "");
    let words = shell_words(&line);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut method = "GET".to_owned();
    let mut url = None;
    let mut i = 1;
    while i < words.len() {
        match words[i] {
            "--request" | "-X" => {
                method = words.get(i + 1)?.to_ascii_uppercase();
                i += 2;
            }
            "--header" | "-H" | "--data" | "-d" => i += 2,
            word if url.is_none() && !word.starts_with('-') => {
                url = Some(word);
                i += 1;
            }
            _ => i += 1,
        }
    }
    let url = url?;
    let url = match url.find("://") {
        Some(at) => url[at + 3..].find('/').map_or("/", |p| &url[at + 3 + p..]),
        None => url,
    };
    Some(ExampleRequest {
        method,
        url: url.to_owned(),
    })
}

/// The words of a shell command line as the shell reads them: quotes group words (a header
/// such as `'x-api-key: k'` is one word) and are removed, a backslash keeps the next character,
/// and one that ends the line (a continuation) is dropped. Lenient, as page text needs: an
/// unclosed quote runs to the end of the line, less a continuation.
/// (The `shell-words` crate refuses such a line outright, and the playback page has one.)
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_default().push(next);
                }
            }
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    if quote.is_some() {
        // A page that forgot to close a quote before its line continuation: the quote ends
        // where the line does, and the continuation is not part of the word.
        word = word.map(|w| w.trim_end().trim_end_matches('\\').trim_end().to_owned());
    }
    words.extend(word);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_table_layouts() {
        let page = parse(
            "Intro\nThing\nPOST\n/v1/things\n\nRequest Parameters\n\nName Data Type Required Description\n\
             body.a.b string No Allowed values are 'X' and 'Y'.\nbody.c Response Collection Yes Many words here\n\n\
             Example\n\ncurl --request GET '<base url>/v1/things?x=1' \\\n--header 'a: b'\n\n\
             Response\n\nName | Data Type | Required | Description |\n---|---|---|---|\nthing | Thing | No |\n\
             Example\n{\n\"data\": {\"a\": [1, ...], ...\n]\n}\n}\nOther\nGET /v1/other\n",
        )
        .unwrap();
        let thing = &page.endpoints[0];
        assert_eq!(
            (thing.method.as_str(), thing.path.as_str()),
            ("POST", "/v1/things")
        );
        assert_eq!(thing.params.len(), 2);
        assert_eq!(thing.params[0].row.name, "a.b");
        assert_eq!(thing.params[1].row.data_type, "Response Collection");
        assert!(thing.params[1].row.required);
        assert_eq!(
            thing.example_requests,
            vec![ExampleRequest {
                method: "GET".into(),
                url: "/v1/things?x=1".into()
            }]
        );
        assert_eq!(thing.response_fields[0].name, "thing");
        assert_eq!(
            thing.example_responses,
            vec![serde_json::json!({"data": {"a": [1]}})]
        );
        assert_eq!(page.endpoints[1].path, "/v1/other");
    }

    fn numbered<'a>(lines: &[&'a str]) -> Vec<(usize, &'a str)> {
        lines.iter().enumerate().map(|(i, l)| (i + 1, *l)).collect()
    }

    #[test]
    fn a_heading_is_a_title_then_a_method_and_a_path() {
        let at = |lines: &[&str]| heading(&numbered(lines));
        assert_eq!(
            at(&["Get Album", "GET", "/albums/{id}"]),
            Some(("GET".into(), "/albums/{id}".into(), 3))
        );
        assert_eq!(
            at(&["Get Album", "GET /albums/{id}"]),
            Some(("GET".into(), "/albums/{id}".into(), 2))
        );
        for lines in [
            &["GET", "GET", "/x"][..],
            &["/albums", "GET", "/x"],
            &["Title", "GET", "/albums and more"],
            &["Title", "GET", "albums"],
            &["Title", "FETCH /albums"],
            &["Title", "GET albums"],
            &["Title", "GET /albums and more"],
        ] {
            assert_eq!(at(lines), None, "{lines:?}");
        }
    }

    #[test]
    fn a_table_header_names_its_columns_and_a_table_counts_its_lines() {
        assert!(is_table_header(
            "Name | Data Type | Required | Description |"
        ));
        assert!(!is_table_header("Name Data Type Description"));
        assert!(!is_table_header("Required Name"));
        let pipe = numbered(&[
            "Name | Data Type | Required | Description |",
            "---|---|---|---|",
            "a | string | Yes | d |",
            "b | string | No | d |",
            "Example",
        ]);
        let (rows, used) = table(&pipe).unwrap();
        assert_eq!((rows.len(), used), (2, 4));
        let spaced = numbered(&[
            "Name Data Type Required Description",
            "a string Yes d",
            "b string No d",
            "",
            "Example",
        ]);
        let (rows, used) = table(&spaced).unwrap();
        assert_eq!((rows.len(), used), (2, 3));
    }

    #[test]
    fn a_curl_line_gives_its_method_and_url_past_headers_and_data() {
        let request = example_request(
            "curl -H 'x-api-key: k' --data '{}' -X post --header 'a: b' '<base url>/v1/albums?x=1' -d '[]'",
        );
        assert_eq!(
            request,
            Some(ExampleRequest {
                method: "POST".into(),
                url: "/v1/albums?x=1".into()
            })
        );
        assert_eq!(
            example_request("curl https://api.example/v1/a"),
            Some(ExampleRequest {
                method: "GET".into(),
                url: "/v1/a".into()
            })
        );
        assert_eq!(example_request("curl -X"), None);
        assert_eq!(
            shell_words(r#"curl -H "a: \"b\"" 'c d'e \\x \"#),
            ["curl", "-H", "a: \"b\"", "c de", "\\x"]
        );
        assert_eq!(shell_words("'' 'open quote"), ["", "open quote"]);
        // As on the playback page: a quote left open before the line's continuation.
        assert_eq!(
            shell_words("curl 'https://h/v1/a \\"),
            ["curl", "https://h/v1/a"]
        );
        assert_eq!(example_request("curl --verbose"), None);
    }

    #[test]
    fn bad_pages_are_errors() {
        assert!(
            parse("just prose\n")
                .unwrap_err()
                .message
                .contains("no endpoint")
        );
        let bad_row = parse(
            "T\nGET\n/x\nPath Parameters\nName | Data Type | Required | Description |\n---|---|---|---|\nid | string | Maybe | d |\n",
        );
        assert_eq!(bad_row.unwrap_err().line, 7);
        let no_header = parse("T\nGET\n/x\nPath Parameters\nid string Yes d\n");
        assert_eq!(no_header.unwrap_err().line, 5);
    }
}
