//! Page facts against the spec: every difference, and the ledger entry that explains it.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;

use super::facts::{constraints, endpoint_key, strip_version};
use super::page::{Endpoint, Location, Page};
use crate::{Body, Exchange, Spec, Validator};
use amazon_music_spec::{Location as SpecLocation, SchemaId};

/// One place where a page and the spec disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The fact, in the vocabulary of [`super::facts`], that a ledger entry must list to explain
    /// this difference.
    pub fact: String,
    /// What the spec says instead.
    pub spec_says: String,
    /// The ledger entry that explains it, if any.
    pub explained_by: Option<String>,
}

/// The ledger (`spec/corrections.yaml`) as docs-check reads it: ids and facts.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Ledger {
    /// Every correction.
    pub corrections: Vec<LedgerEntry>,
}

/// One correction, as far as docs-check cares.
#[derive(Debug, Clone, Deserialize)]
pub struct LedgerEntry {
    /// Its id.
    pub id: String,
    /// The facts it explains.
    #[serde(default)]
    pub facts: Vec<String>,
}

impl Ledger {
    /// Parses the ledger's YAML.
    pub fn from_yaml_str(text: &str) -> Result<Self, String> {
        serde_norway::from_str(text).map_err(|e| e.to_string())
    }

    /// The entry listing `fact`, if any.
    pub fn explains(&self, fact: &str) -> Option<&str> {
        self.corrections
            .iter()
            .find(|c| c.facts.iter().any(|f| f == fact))
            .map(|c| c.id.as_str())
    }
}

/// Compares every endpoint of `page` with `validator`'s spec; differences are in page order.
pub fn compare(page: &Page, validator: &Validator, ledger: &Ledger) -> Vec<Difference> {
    let mut out = Vec::new();
    for endpoint in &page.endpoints {
        compare_endpoint(endpoint, validator, &mut out);
    }
    for d in &mut out {
        d.explained_by = ledger.explains(&d.fact).map(str::to_owned);
    }
    out
}

fn push(out: &mut Vec<Difference>, fact: String, spec_says: String) {
    out.push(Difference {
        fact,
        spec_says,
        explained_by: None,
    });
}

/// A spec parameter: its schema and required flag.
struct SpecParam {
    schema: Option<SchemaId>,
    required: bool,
}

fn compare_endpoint(endpoint: &Endpoint, validator: &Validator, out: &mut Vec<Difference>) {
    let spec = validator.spec();
    let key = endpoint_key(endpoint);
    let path = strip_version(&endpoint.path);
    let normalized = match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    };
    let operations = spec.operations();
    let Some(op) = operations
        .iter()
        .find(|op| op.method() == endpoint.method && op.path() == normalized)
    else {
        let others: Vec<String> = operations
            .iter()
            .filter(|op| op.path() == normalized)
            .map(|op| format!("{} {}", op.method(), op.path()))
            .collect();
        push(
            out,
            key,
            if others.is_empty() {
                "no such operation".into()
            } else {
                format!("no such operation; the path has {}", others.join(", "))
            },
        );
        return;
    };
    if path != op.path() {
        push(
            out,
            key.clone(),
            format!("the path is written {}", op.path()),
        );
    }

    // Scopes, when the page states them.
    if !endpoint.scopes.is_empty() {
        let spec_scopes = op.scopes();
        for scope in &endpoint.scopes {
            if !spec_scopes.contains(scope) {
                push(
                    out,
                    format!("{key} scope {scope}"),
                    format!("scopes are {}", spec_scopes.join(", ")),
                );
            }
        }
        for scope in spec_scopes {
            if !endpoint.scopes.contains(scope) {
                push(
                    out,
                    format!("{key} scope {scope} absent"),
                    "the operation requires it".into(),
                );
            }
        }
    }

    // Parameters.
    let mut spec_params: BTreeMap<(Location, String), SpecParam> = BTreeMap::new();
    for param in op.parameters() {
        let location = match param.location() {
            SpecLocation::Path => Location::Path,
            SpecLocation::Query => Location::Query,
            SpecLocation::Header => Location::Header,
            SpecLocation::Cookie => continue,
        };
        spec_params.insert(
            (location, param.name().to_owned()),
            SpecParam {
                schema: param.schema(),
                required: param.required(),
            },
        );
    }
    if let Some(media) = op
        .request_body()
        .and_then(|body| body.content().iter().find(|m| m.name().contains("json")))
        && let Some(schema) = media.schema()
    {
        flatten_body(spec, schema, "", &mut spec_params, 0);
    }
    for param in &endpoint.params {
        let row = &param.row;
        let base = format!("{key} {} {}", param.location.as_str(), row.name);
        let Some(spec_param) = spec_params.get(&(param.location, row.name.clone())) else {
            push(out, base, "no such parameter".into());
            continue;
        };
        let schema = spec_param
            .schema
            .map_or(Value::Null, |id| spec.schemas()[id].raw().clone());
        let spec_type = schema.get("type").and_then(Value::as_str).unwrap_or("any");
        if row.data_type != spec_type {
            push(
                out,
                format!("{base} type={}", row.data_type),
                format!("type={spec_type}"),
            );
        }
        if row.required != spec_param.required {
            push(
                out,
                format!("{base} required={}", row.required),
                format!("required={}", spec_param.required),
            );
        }
        let stated = constraints(&row.description);
        if !stated.values.is_empty() {
            let enumerated = schema
                .get("enum")
                .or_else(|| schema.get("x-extensible-enum"))
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let mut a = stated.values.clone();
            let mut b = enumerated.clone();
            a.sort();
            b.sort();
            if a != b {
                push(
                    out,
                    format!("{base} values={}", stated.values.join(",")),
                    format!("values={}", enumerated.join(",")),
                );
            }
        }
        for (name, stated, keyword) in [
            ("min", stated.min, "minimum"),
            ("max", stated.max, "maximum"),
            ("default", stated.default, "default"),
            ("max-items", stated.max_items, "maxItems"),
        ] {
            let Some(stated) = stated else { continue };
            let spec_value = schema.get(keyword).and_then(Value::as_i64);
            if spec_value != Some(stated) {
                push(
                    out,
                    format!("{base} {name}={stated}"),
                    spec_value.map_or_else(|| format!("no {keyword}"), |v| format!("{name}={v}")),
                );
            }
        }
    }
    for (location, name) in spec_params.keys() {
        let covered = endpoint.params.iter().any(|p| {
            p.location == *location
                && (p.row.name == *name
                    || (*location == Location::Body
                        && (p.row.name.starts_with(&format!("{name}."))
                            || name.starts_with(&format!("{}.", p.row.name)))))
        });
        if !covered {
            push(
                out,
                format!("{key} {} {name} absent", location.as_str()),
                "the spec has this parameter".into(),
            );
        }
    }

    // The response table names the fields of the success body's `data`.
    let success = op.success();
    if !endpoint.response_fields.is_empty() {
        let data = success
            .and_then(|response| {
                response
                    .content()
                    .iter()
                    .find(|m| m.name().contains("json"))
            })
            .and_then(|media| media.schema())
            .and_then(|schema| spec.schemas()[schema].property("data"));
        let fields: HashMap<String, bool> = data
            .map(|data| {
                let data = &spec.schemas()[data];
                data.properties()
                    .iter()
                    .map(|(name, _)| (name.clone(), data.is_required(name)))
                    .collect()
            })
            .unwrap_or_default();
        for row in &endpoint.response_fields {
            let base = format!("{key} response {}", row.name);
            match fields.get(&row.name) {
                None => push(out, base, format!("data has {}", sorted(fields.keys()))),
                Some(required) if *required != row.required => push(
                    out,
                    format!("{base} required={}", row.required),
                    format!("required={required}"),
                ),
                Some(_) => {}
            }
        }
        for name in fields.keys() {
            if !endpoint.response_fields.iter().any(|r| &r.name == name) {
                push(
                    out,
                    format!("{key} response {name} absent"),
                    "the spec's data has this field".into(),
                );
            }
        }
    }

    // Example requests must reach this operation.
    for request in &endpoint.example_requests {
        let reached = validator.router().find(&request.method, &request.url);
        if reached.as_ref().map(|r| r.operation_id) != Some(op.id()) {
            push(
                out,
                format!(
                    "{key} example-request {} {}",
                    request.method,
                    strip_version(&request.url)
                ),
                match reached {
                    Some(r) => format!(
                        "that request is {} ({} {})",
                        r.operation_id, r.method, r.template
                    ),
                    None => "that request matches no operation".into(),
                },
            );
        }
    }

    // Example responses must be valid success responses; drift is a difference too.
    if let Some(status) = success.and_then(|s| s.status().parse::<u16>().ok()) {
        for example in &endpoint.example_responses {
            let exchange = Exchange {
                method: op.method().to_owned(),
                url: op.path().to_owned(),
                status,
                headers: Default::default(),
                body: Body::Json(example.clone()),
            };
            let outcome = validator.validate(&exchange, &key);
            for v in &outcome.violations {
                let at = if v.body_pointer.is_empty() {
                    "/"
                } else {
                    &v.body_pointer
                };
                push(
                    out,
                    format!("{key} example {at} {}", v.keyword),
                    format!("expected {}", v.expected),
                );
            }
            for d in &outcome.drift {
                push(
                    out,
                    format!("{key} example {} {}", d.body_pointer, d.kind.name()),
                    format!("known: {}", d.known.join(",")),
                );
            }
        }
    }
}

fn sorted<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let mut keys: Vec<&str> = keys.map(String::as_str).collect();
    keys.sort();
    keys.join(", ")
}

/// Every property of a request body schema, dotted (`playParams.id`; a list's items take the
/// list's name, `searchFilters.field`), with its required flag in its own object.
fn flatten_body(
    spec: &Spec,
    schema: SchemaId,
    prefix: &str,
    out: &mut BTreeMap<(Location, String), SpecParam>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let schema = &spec.schemas()[schema];
    // A list of objects: the pages name its items' fields after the list
    // (`searchFilters.field` for the field of each filter).
    if let Some(items) = schema.items() {
        flatten_body(spec, items, prefix, out, depth + 1);
    }
    for (name, child) in schema.properties() {
        let dotted = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        out.insert(
            (Location::Body, dotted.clone()),
            SpecParam {
                schema: Some(*child),
                required: schema.is_required(name),
            },
        );
        flatten_body(spec, *child, &dotted, out, depth + 1);
    }
}
