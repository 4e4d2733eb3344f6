//! Facts: what a page states, one short line each, in the project's own vocabulary.
//!
//! Every fact starts with the endpoint, `METHOD /path` (the path as the page writes it, less a
//! leading `/v1`), then says one thing:
//!
//! | fact | meaning |
//! |---|---|
//! | `GET /albums` | the endpoint exists |
//! | `GET /albums scope music::catalog` | it names this authorization scope |
//! | `GET /albums query ids` | a parameter (`path`, `query`, `header`, `body`; body names dotted, without `body.`) |
//! | `GET /albums query ids type=string` | its data type, as written |
//! | `GET /albums query ids required=true` | its required flag |
//! | `... values=A,B` | allowed values stated in its description |
//! | `... min=1`, `max=10`, `default=100`, `max-items=100` | limits stated in its description |
//! | `GET /albums response albums` | a row of the response table (`type=`, `required=` as for parameters) |
//! | `GET /albums example-request GET /albums?ids=a,b` | an example request, method and URL less `<base url>` and `/v1` |
//! | `GET /albums example /data/albums/0/id string` | a leaf of the example response and its JSON kind |
//!
//! Comparison with the spec adds one more form, for what the spec has and the page lacks:
//! `... absent` (for example `POST /playback/sessions header X-Amzn-Device-Id absent`), and
//! describes example-response findings as `... example /pointer KEYWORD`.

use serde_json::Value;

use super::page::{Endpoint, Page, Row};

/// The endpoint prefix of every fact of `endpoint`: `METHOD /path`.
pub fn endpoint_key(endpoint: &Endpoint) -> String {
    format!("{} {}", endpoint.method, strip_version(&endpoint.path))
}

/// The path less a leading `/v1` (the spec's server URL carries it).
pub fn strip_version(path: &str) -> &str {
    match path.strip_prefix("/v1") {
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

/// What a description states about allowed values and limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Allowed values, in the order written.
    pub values: Vec<String>,
    /// Smallest value.
    pub min: Option<i64>,
    /// Largest value.
    pub max: Option<i64>,
    /// Default value.
    pub default: Option<i64>,
    /// Most items of a list.
    pub max_items: Option<i64>,
}

/// Reads allowed values ("Allowed values are 'A' and 'B'") and limits ("between 1 and 10",
/// "Minimum of 1, maximum of 100", "(default: 100)", "a maximum limit of 100 IDs").
pub fn constraints(description: &str) -> Constraints {
    let lower = description.to_ascii_lowercase();
    let mut c = Constraints::default();
    if let Some(at) = lower.find("allowed values") {
        let rest = &description[at..];
        // The sentence ends at the first full stop outside quotes.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, ch)| {
                if ch == '\'' {
                    quoted = !quoted;
                }
                ch == '.' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        c.values = rest[..end]
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .filter(|v| !v.is_empty())
            .collect();
    }
    let is_list = lower.contains("list") || lower.contains("array");
    if let Some(n) = number_after(&lower, "maximum limit of") {
        if is_list {
            c.max_items = Some(n);
        } else {
            c.max = Some(n);
        }
    } else if let Some(n) =
        number_after(&lower, "maximum of").or_else(|| number_after(&lower, "at most"))
    {
        if is_list {
            c.max_items = Some(n);
        } else {
            c.max = Some(n);
        }
    }
    if let Some(n) = number_after(&lower, "minimum of").or_else(|| number_after(&lower, "at least"))
    {
        c.min = Some(n);
    }
    if let Some(at) = lower.find("between ") {
        let rest = &lower[at + 8..];
        if let Some((low, high)) = rest.split_once(" and ")
            && let (Ok(low), Some(high)) = (low.trim().parse(), leading_number(high))
        {
            c.min = Some(low);
            c.max = Some(high);
        }
    }
    c.default = number_after(&lower, "default:").or_else(|| number_after(&lower, "default is"));
    c
}

fn number_after(text: &str, phrase: &str) -> Option<i64> {
    let at = text.find(phrase)?;
    leading_number(&text[at + phrase.len()..])
}

fn leading_number(text: &str) -> Option<i64> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !c.is_ascii_digit() && c != '-')
        .unwrap_or(text.len());
    text[..end].parse().ok()
}

fn row_facts(prefix: &str, row: &Row, out: &mut Vec<String>) {
    let base = format!("{prefix} {}", row.name);
    out.push(base.clone());
    out.push(format!("{base} type={}", row.data_type));
    out.push(format!("{base} required={}", row.required));
    let c = constraints(&row.description);
    if !c.values.is_empty() {
        out.push(format!("{base} values={}", c.values.join(",")));
    }
    for (name, value) in [
        ("min", c.min),
        ("max", c.max),
        ("default", c.default),
        ("max-items", c.max_items),
    ] {
        if let Some(value) = value {
            out.push(format!("{base} {name}={value}"));
        }
    }
}

/// Every fact `endpoint` states, in page order.
pub fn endpoint_facts(endpoint: &Endpoint) -> Vec<String> {
    let key = endpoint_key(endpoint);
    let mut out = vec![key.clone()];
    for scope in &endpoint.scopes {
        out.push(format!("{key} scope {scope}"));
    }
    for param in &endpoint.params {
        row_facts(
            &format!("{key} {}", param.location.as_str()),
            &param.row,
            &mut out,
        );
    }
    for row in &endpoint.response_fields {
        row_facts(&format!("{key} response"), row, &mut out);
    }
    for request in &endpoint.example_requests {
        out.push(format!(
            "{key} example-request {} {}",
            request.method,
            strip_version(&request.url)
        ));
    }
    for example in &endpoint.example_responses {
        leaves(example, &mut String::new(), &mut |pointer, kind| {
            out.push(format!("{key} example {pointer} {kind}"));
        });
    }
    out
}

/// Every fact of a page, in page order, without repeats.
pub fn page_facts(page: &Page) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    page.endpoints
        .iter()
        .flat_map(endpoint_facts)
        .filter(|f| seen.insert(f.clone()))
        .collect()
}

fn leaves(value: &Value, pointer: &mut String, emit: &mut dyn FnMut(&str, &str)) {
    let kind = match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::escape_pointer_token(key));
                leaves(child, pointer, emit);
                pointer.truncate(len);
            }
            return;
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                leaves(child, pointer, emit);
                pointer.truncate(len);
            }
            return;
        }
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
    };
    emit(if pointer.is_empty() { "/" } else { pointer }, kind);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_whole_v1_segment_is_stripped() {
        assert_eq!(strip_version("/v1/albums"), "/albums");
        assert_eq!(strip_version("/v1"), "/v1");
        assert_eq!(strip_version("/v10/albums"), "/v10/albums");
        assert_eq!(strip_version("/albums"), "/albums");
    }

    #[test]
    fn allowed_values_end_at_a_full_stop_outside_quotes() {
        let c = constraints("Allowed values are 'v1.2' and 'LATEST'. Not 'OTHER'.");
        assert_eq!(c.values, ["v1.2", "LATEST"]);
    }

    #[test]
    fn an_example_is_read_as_the_type_of_every_leaf() {
        let example = json!({
            "a": {}, "b": [], "c": [1, 2.5, {"d": null}], "e": true, "f": "s",
            "g": u64::MAX, "h": -1, "i~/j": "k"
        });
        let mut found = Vec::new();
        leaves(&example, &mut String::new(), &mut |pointer, kind| {
            found.push(format!("{pointer} {kind}"));
        });
        assert_eq!(
            found,
            [
                "/a object",
                "/b array",
                "/c/0 integer",
                "/c/1 number",
                "/c/2/d null",
                "/e boolean",
                "/f string",
                "/g integer",
                "/h integer",
                "/i~0~1j string",
            ]
        );
        let mut root = Vec::new();
        leaves(&json!("x"), &mut String::new(), &mut |pointer, kind| {
            root.push(format!("{pointer} {kind}"));
        });
        assert_eq!(root, ["/ string"]);
    }

    #[test]
    fn reads_values_and_limits() {
        let c = constraints(
            "Enable or disable loop mode. Allowed values are 'LOOP_ONE', 'LOOP_ALL', and 'LOOP_OFF'",
        );
        assert_eq!(c.values, ["LOOP_ONE", "LOOP_ALL", "LOOP_OFF"]);
        let c = constraints(
            "The maximum number of albums to return (default: 100). Minimum of 1, maximum of 100.",
        );
        assert_eq!(
            (c.min, c.max, c.default, c.max_items),
            (Some(1), Some(100), Some(100), None)
        );
        let c = constraints("Must be a number between 1 and 10 inclusive.");
        assert_eq!((c.min, c.max), (Some(1), Some(10)));
        let c =
            constraints("A comma-separated list of the IDs. There is a maximum limit of 100 IDs.");
        assert_eq!((c.max, c.max_items), (None, Some(100)));
        assert_eq!(constraints("The id."), Constraints::default());
    }
}
