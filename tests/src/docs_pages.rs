//! Reference pages made from facts: the HTML page that states exactly the given facts, shaped
//! as Amazon's reference pages are and as `docs-check`'s reader expects them (a heading per
//! endpoint with its method and path, the scope line, parameter tables by location, the
//! response table, a `curl` example request and an example response).
//!
//! docs-check's tests serve these pages on loopback instead of pages written by hand, and edit
//! them the ways Amazon edits its pages by editing the facts ([`Facts`]) and rendering again.
//! A round-trip test (rendered, read back with the real reader, the same facts) keeps this
//! renderer and the reader from drifting apart.
//!
//! Facts that no page can state (a row without its type, a limit written twice, a value with a
//! quote in it) are an error naming the fact, never a page that states something else: the
//! renderer checks each description it writes against the reader's own `constraints`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use amazon_music_conformance::docs::digest::Digest;
use amazon_music_conformance::docs::facts::{Constraints, constraints, strip_version};
use serde_json::{Map, Value};

use crate::spec::examples::{Place, SpecExample, spec_examples};

/// The committed digest, `spec/docs-facts.yaml`.
pub fn committed_digest() -> Digest {
    let path = crate::workspace_root().join("spec/docs-facts.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Digest::from_yaml_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The facts of one page, in the order given, to edit before rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts(pub Vec<String>);

impl Facts {
    /// The facts of `page` in the committed digest.
    pub fn committed(page: &str) -> Self {
        let digest = committed_digest();
        let facts = digest
            .pages
            .get(page)
            .unwrap_or_else(|| panic!("no page {page} in spec/docs-facts.yaml"));
        Facts(facts.clone())
    }

    /// Replaces the fact `old` with `new`; `old` must be one of the facts.
    pub fn replace(&mut self, old: &str, new: &str) -> &mut Self {
        let at = self.position(old);
        self.0[at] = new.to_owned();
        self
    }

    /// Adds facts after the last fact of their endpoint (at the end for a new endpoint).
    pub fn add(&mut self, facts: &[&str]) -> &mut Self {
        for fact in facts {
            let key = endpoint_of(fact);
            let at = self
                .0
                .iter()
                .rposition(|f| endpoint_of(f) == key)
                .map_or(self.0.len(), |i| i + 1);
            self.0.insert(at, (*fact).to_owned());
        }
        self
    }

    /// Removes `fact` and every fact that extends it (`fact` then a space); returns them.
    pub fn remove(&mut self, fact: &str) -> Vec<String> {
        self.position(fact);
        let prefix = format!("{fact} ");
        let (gone, kept) = self
            .0
            .drain(..)
            .partition(|f| f == fact || f.starts_with(&prefix));
        self.0 = kept;
        gone
    }

    /// Moves every fact of the endpoint `from` (`METHOD /path`) to the endpoint `to`.
    pub fn move_endpoint(&mut self, from: &str, to: &str) -> &mut Self {
        self.position(from);
        for fact in &mut self.0 {
            if endpoint_of(fact) == from {
                *fact = format!("{to}{}", &fact[from.len()..]);
            }
        }
        self
    }

    fn position(&self, fact: &str) -> usize {
        self.0
            .iter()
            .position(|f| f == fact)
            .unwrap_or_else(|| panic!("no fact {fact:?} to edit"))
    }

    /// The page stating these facts; see [`render`].
    pub fn render(&self, title: &str) -> String {
        render(title, &self.0).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// `METHOD /path`, the first two words of a fact.
fn endpoint_of(fact: &str) -> &str {
    let mut spaces = fact.match_indices(' ');
    match spaces.nth(1) {
        Some((at, _)) => &fact[..at],
        None => fact,
    }
}

/// A row of a parameter or response table, as its facts describe it.
#[derive(Debug, Default)]
struct Row {
    /// `path`, `query`, `header`, `body`, or `response`.
    location: String,
    name: String,
    data_type: Option<String>,
    required: Option<bool>,
    stated: Constraints,
}

#[derive(Debug, Default)]
struct Endpoint {
    method: String,
    path: String,
    scopes: Vec<String>,
    rows: Vec<Row>,
    requests: Vec<(String, String)>,
    /// (JSON pointer, kind) of each leaf of the example response.
    leaves: Vec<(String, String)>,
}

const LOCATIONS: [&str; 5] = ["path", "query", "header", "body", "response"];

/// The HTML page titled `title` that states exactly `facts` (in the vocabulary of
/// `amazon_music_conformance::docs::facts`); an error names a fact no page can state.
///
/// The example response's leaves take the value the spec's own example of that response has
/// at that place, when it has one of the leaf's kind (a page's examples are real answers, which
/// the spec's examples are too, so docs-check finds nothing in them that it would not find in
/// the page's); other leaves take a placeholder of their kind.
pub fn render(title: &str, facts: &[String]) -> Result<String, String> {
    // Read once: a property test renders hundreds of pages.
    static EXAMPLES: OnceLock<Vec<SpecExample>> = OnceLock::new();
    let examples = EXAMPLES.get_or_init(|| spec_examples(&crate::spec::spec()));
    let endpoints = endpoints(facts)?;
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n\
         <body><main>\n<h1>{t}</h1>\n",
        t = escape(title)
    );
    for (n, endpoint) in endpoints.iter().enumerate() {
        let spec_example = |pointer: &str| {
            let path = strip_version(&endpoint.path);
            let path = path
                .strip_suffix('/')
                .filter(|p| !p.is_empty())
                .unwrap_or(path);
            examples
                .iter()
                .filter(|e| e.method == endpoint.method && e.path == path)
                .filter(|e| matches!(&e.place, Place::Response(s) if s.starts_with('2')))
                .find_map(|e| {
                    // A page's list may be longer than the spec example's: its first item.
                    let first: String = pointer
                        .split('/')
                        .map(|t| if t.parse::<usize>().is_ok() { "0" } else { t })
                        .collect::<Vec<_>>()
                        .join("/");
                    e.value
                        .pointer(pointer)
                        .or_else(|| e.value.pointer(&first))
                        .cloned()
                })
        };
        endpoint_html(n + 1, endpoint, &spec_example, &mut html)?;
    }
    html.push_str("</main></body></html>\n");
    Ok(html)
}

/// The endpoints the facts describe, in the order their first fact comes.
fn endpoints(facts: &[String]) -> Result<Vec<Endpoint>, String> {
    let mut endpoints: Vec<Endpoint> = Vec::new();
    for fact in facts {
        let bad = |why: &str| format!("cannot state {fact:?} on a page: {why}");
        let key = endpoint_of(fact);
        let Some((method, path)) = key.split_once(' ') else {
            return Err(bad("a fact starts with METHOD /path"));
        };
        if !path.starts_with('/') || method.is_empty() {
            return Err(bad("a fact starts with METHOD /path"));
        }
        let at = match endpoints
            .iter()
            .position(|e| e.method == method && e.path == path)
        {
            Some(at) => at,
            None => {
                endpoints.push(Endpoint {
                    method: method.to_owned(),
                    path: path.to_owned(),
                    ..Endpoint::default()
                });
                endpoints.len() - 1
            }
        };
        let endpoint = &mut endpoints[at];
        let rest = fact[key.len()..].trim_start();
        if rest.is_empty() {
            continue;
        }
        let (what, rest) = rest
            .split_once(' ')
            .ok_or_else(|| bad("nothing after it"))?;
        match what {
            "scope" => endpoint.scopes.push(rest.to_owned()),
            "example-request" => {
                let (method, url) = rest
                    .split_once(' ')
                    .ok_or_else(|| bad("an example request is METHOD URL"))?;
                if url.contains(['\'', ' ', '\\']) {
                    return Err(bad("a URL with a quote, a space or a backslash"));
                }
                endpoint.requests.push((method.to_owned(), url.to_owned()));
            }
            "example" => {
                let (pointer, kind) = rest
                    .rsplit_once(' ')
                    .ok_or_else(|| bad("an example leaf is POINTER KIND"))?;
                endpoint.leaves.push((pointer.to_owned(), kind.to_owned()));
            }
            location if LOCATIONS.contains(&location) => {
                let (name, attribute) = rest.split_once(' ').unwrap_or((rest, ""));
                if name.contains(['|', '<', '&']) {
                    return Err(bad("a name with markup or a pipe in it"));
                }
                let row = match endpoint
                    .rows
                    .iter()
                    .position(|r| r.location == location && r.name == name)
                {
                    Some(at) => &mut endpoint.rows[at],
                    None => {
                        endpoint.rows.push(Row {
                            location: location.to_owned(),
                            name: name.to_owned(),
                            ..Row::default()
                        });
                        endpoint.rows.last_mut().expect("just pushed")
                    }
                };
                attribute_of(row, attribute).map_err(|why| bad(&why))?;
            }
            _ => return Err(bad("not a fact docs-check states")),
        }
    }
    for endpoint in &endpoints {
        for row in &endpoint.rows {
            if row.data_type.is_none() || row.required.is_none() {
                return Err(format!(
                    "{} {} {} {}: a table row always states type= and required=",
                    endpoint.method, endpoint.path, row.location, row.name
                ));
            }
        }
    }
    Ok(endpoints)
}

fn attribute_of(row: &mut Row, attribute: &str) -> Result<(), String> {
    if attribute.is_empty() {
        return Ok(());
    }
    let (name, value) = attribute
        .split_once('=')
        .ok_or("an attribute is NAME=VALUE")?;
    let number = || value.parse::<i64>().map_err(|e| format!("{value:?}: {e}"));
    let c = &mut row.stated;
    let twice = || format!("{name}= stated twice");
    match name {
        "type" if row.data_type.is_none() => {
            if value.contains(['|', '<', '&']) {
                return Err("a type with markup or a pipe in it".into());
            }
            row.data_type = Some(value.to_owned());
        }
        "required" if row.required.is_none() => {
            row.required = Some(value.parse().map_err(|_| "required= is true or false")?)
        }
        "values" if c.values.is_empty() => {
            c.values = value.split(',').map(str::to_owned).collect();
        }
        "min" if c.min.is_none() => c.min = Some(number()?),
        "max" if c.max.is_none() => c.max = Some(number()?),
        "default" if c.default.is_none() => c.default = Some(number()?),
        "max-items" if c.max_items.is_none() => c.max_items = Some(number()?),
        "type" | "required" | "values" | "min" | "max" | "default" | "max-items" => {
            return Err(twice());
        }
        _ => return Err(format!("no attribute {name}=")),
    }
    Ok(())
}

/// A description stating `stated`, in the wording of Amazon's pages that the reader reads;
/// an error when no wording states exactly that.
fn description(stated: &Constraints) -> Result<String, String> {
    let mut text = "Described here.".to_owned();
    if !stated.values.is_empty() {
        if stated
            .values
            .iter()
            .any(|v| v.is_empty() || v.contains('\''))
        {
            return Err(format!("values {:?}: empty or quoted", stated.values));
        }
        let quoted: Vec<String> = stated.values.iter().map(|v| format!("'{v}'")).collect();
        let (last, first) = quoted.split_last().expect("not empty");
        if first.is_empty() {
            write!(text, " Allowed values are {last}.").expect("a String");
        } else {
            write!(text, " Allowed values are {} and {last}.", first.join(", ")).expect("a String");
        }
    }
    if let Some(n) = stated.default {
        write!(text, " (default: {n})").expect("a String");
    }
    match (stated.min, stated.max) {
        (Some(low), Some(high)) => write!(text, " Minimum of {low}, maximum of {high}."),
        (Some(low), None) => write!(text, " Minimum of {low}."),
        (None, Some(high)) => write!(text, " Maximum of {high}."),
        (None, None) => Ok(()),
    }
    .expect("a String");
    if let Some(n) = stated.max_items {
        write!(text, " A list with a maximum limit of {n} items.").expect("a String");
    }
    let read = constraints(&text);
    if read != *stated {
        return Err(format!(
            "no description states {stated:?}: {text:?} reads as {read:?}"
        ));
    }
    Ok(text)
}

fn endpoint_html(
    n: usize,
    endpoint: &Endpoint,
    spec_example: &dyn Fn(&str) -> Option<Value>,
    html: &mut String,
) -> Result<(), String> {
    // The reader strips a leading `/v1` from paths and URLs; Amazon's pages write it.
    let _ = write!(
        html,
        "<h2 id=\"operation-{n}\">Operation {n}</h2>\n<p><code>{}</code></p>\n<p><code>/v1{}</code></p>\n",
        escape(&endpoint.method),
        escape(&endpoint.path)
    );
    if !endpoint.scopes.is_empty() {
        let _ = writeln!(
            html,
            "<p><strong>Authorization Scope:</strong> [{}]</p>",
            escape(&endpoint.scopes.join(", "))
        );
    }
    html.push_str("<p>What the operation does.</p>\n");
    // One table per run of rows in one place, so that the rows come back in their order.
    let mut rows = endpoint.rows.iter().filter(|r| r.location != "response");
    let mut run: Vec<&Row> = Vec::new();
    loop {
        let next = rows.next();
        if let Some(last) = run.last()
            && next.is_none_or(|r| r.location != last.location)
        {
            let heading = match last.location.as_str() {
                "path" => "Path Parameters",
                "query" => "Query Parameters",
                "header" => "Header Parameters",
                _ => "Request Parameters",
            };
            let _ = writeln!(html, "<h3>{heading}</h3>");
            table(&run, html)?;
            run.clear();
        }
        match next {
            Some(row) => run.push(row),
            None => break,
        }
    }
    if !endpoint.requests.is_empty() {
        html.push_str("<h4>Example request</h4>\n");
        for (method, url) in &endpoint.requests {
            let url = if url.starts_with('/') {
                format!("/v1{url}")
            } else {
                url.clone()
            };
            let _ = writeln!(
                html,
                "<div class=\"highlight\"><button>Copy</button><pre><code>curl --request {} {} \\\n  \
                 --header {}</code></pre></div>",
                escape(method),
                escape(&format!("'<base url>{url}'")),
                escape("'x-api-key: <key>'"),
            );
        }
    }
    let responses: Vec<&Row> = endpoint
        .rows
        .iter()
        .filter(|r| r.location == "response")
        .collect();
    if !responses.is_empty() || !endpoint.leaves.is_empty() {
        html.push_str("<h3>Responses</h3>\n");
    }
    if !responses.is_empty() {
        table(&responses, html)?;
    }
    if !endpoint.leaves.is_empty() {
        let example = example(&endpoint.leaves, spec_example)?;
        let pretty = serde_json::to_string_pretty(&example).expect("JSON");
        let _ = writeln!(
            html,
            "<h4>Example response</h4>\n<pre><code>{}</code></pre>",
            escape(&pretty)
        );
    }
    Ok(())
}

fn table(rows: &[&Row], html: &mut String) -> Result<(), String> {
    html.push_str(
        "<table>\n<thead><tr><th>Name</th><th>Data Type</th><th>Required</th><th>Description</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
        let name = if row.location == "body" {
            format!("body.{}", row.name)
        } else {
            row.name.clone()
        };
        let described = description(&row.stated)
            .map_err(|why| format!("{} {}: {why}", row.location, row.name))?;
        let _ = writeln!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            escape(row.data_type.as_deref().unwrap_or_default()),
            if row.required == Some(true) {
                "Yes"
            } else {
                "No"
            },
            escape(&described),
        );
    }
    html.push_str("</tbody></table>\n");
    Ok(())
}

/// The example response whose leaves are `leaves`: a container whose keys are 0, 1, ... is an
/// array, every other one an object.
fn example(
    leaves: &[(String, String)],
    spec_example: &dyn Fn(&str) -> Option<Value>,
) -> Result<Value, String> {
    #[derive(Default)]
    struct Node {
        leaf: Option<Value>,
        children: BTreeMap<String, Node>,
        order: Vec<String>,
    }
    let mut root = Node::default();
    for (pointer, kind) in leaves {
        let leaf = match kind.as_str() {
            "string" => Value::from("text"),
            "integer" => Value::from(1),
            "number" => Value::from(1.5),
            "boolean" => Value::from(true),
            "null" => Value::Null,
            "object" => Value::Object(Map::new()),
            "array" => Value::Array(Vec::new()),
            other => return Err(format!("example {pointer}: no JSON kind {other}")),
        };
        let leaf = match spec_example(if pointer == "/" { "" } else { pointer }) {
            Some(value) if kind_of(&value) == kind => value,
            _ => leaf,
        };
        let mut node = &mut root;
        if pointer != "/" {
            let Some(tokens) = pointer.strip_prefix('/') else {
                return Err(format!("example {pointer}: a pointer starts with /"));
            };
            for token in tokens.split('/') {
                let token = token.replace("~1", "/").replace("~0", "~");
                if !node.children.contains_key(&token) {
                    node.order.push(token.clone());
                }
                node = node.children.entry(token).or_default();
            }
        }
        if node.leaf.is_some() || !node.children.is_empty() {
            return Err(format!("example {pointer}: stated twice"));
        }
        node.leaf = Some(leaf);
    }
    fn value(node: Node, pointer: &str) -> Result<Value, String> {
        if let Some(leaf) = node.leaf {
            if !node.children.is_empty() {
                return Err(format!("example {pointer}: both a leaf and a container"));
            }
            return Ok(leaf);
        }
        let Node {
            mut children,
            order,
            ..
        } = node;
        let is_array = order.iter().enumerate().all(|(i, k)| *k == i.to_string());
        let items = order.into_iter().map(|k| {
            let child = children.remove(&k).expect("each key once");
            let at = format!("{pointer}/{k}");
            value(child, &at).map(|v| (k, v))
        });
        if is_array {
            items
                .map(|item| item.map(|(_, v)| v))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        } else {
            items.collect::<Result<Map<_, _>, _>>().map(Value::Object)
        }
    }
    let example = value(root, "")?;
    if !example.is_object() && !example.is_array() {
        return Err("an example response is a JSON object or array".into());
    }
    Ok(example)
}

/// The JSON kind of a leaf, as facts name it.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Object(map) if map.is_empty() => "object",
        Value::Array(items) if items.is_empty() => "array",
        Value::Object(_) | Value::Array(_) => "container",
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
    }
}

/// Text as HTML: the characters markup reads escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    fn facts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    /// What no page can state is refused, naming it, rather than rendered as something else.
    #[test]
    fn facts_no_page_states_are_refused() {
        let row = [
            "GET /a",
            "GET /a query n",
            "GET /a query n type=number",
            "GET /a query n required=false",
        ];
        assert!(render("t", &facts(&row)).is_ok());
        for (extra, why) in [
            (&["GET /a query m"][..], "type= and required="),
            (
                &["GET /a query n max=5", "GET /a query n max-items=5"],
                "no description states",
            ),
            (&["GET /a query n values=it's"], "empty or quoted"),
            (&["GET /a query n required=true"], "stated twice"),
            (
                &["GET /a query k type=x", "GET /a query k required=maybe"],
                "true or false",
            ),
            (
                &["GET /a example /x/0 string", "GET /a example /x/0/y string"],
                "/x/0",
            ),
            (&["GET /a example / string"], "object or array"),
            (&["GET /a teapot short"], "not a fact"),
            (&["GET /a example-request GET /a b"], "a space"),
        ] {
            let mut all = facts(&row);
            all.extend(facts(extra));
            let error = render("t", &all).expect_err(&format!("{extra:?} rendered"));
            assert!(error.contains(why), "{extra:?}: {error}");
        }
        assert!(render("t", &facts(&["albums"])).is_err());
    }
}
