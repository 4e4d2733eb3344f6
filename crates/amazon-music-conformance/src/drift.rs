//! Drift: what a response carries that the spec does not describe yet, but does not forbid.
//!
//! Objects in this API are open, so an unknown field is valid; a string whose values the spec
//! lists in `x-extensible-enum` may take new values; an optional field sent as `null` is read as
//! absent by the generated client, though the spec has no `nullable` for it. All three are what a
//! maintainer adds to the spec next, so they are found by a walk of the response beside a model
//! of its schema, compiled once.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

/// What kind of drift a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    /// A property that the object's schema does not declare.
    UnknownField,
    /// A string value that the schema's `x-extensible-enum` does not list.
    UnlistedValue,
    /// `null` for an optional property whose schema is not `nullable`: clients read it as
    /// absent, and the spec may need `nullable: true` there.
    NullNotNullable,
}

impl DriftKind {
    /// What the kind means, in a few words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            DriftKind::UnknownField => "unknown field",
            DriftKind::UnlistedValue => "unlisted value",
            DriftKind::NullNotNullable => "null where the spec has no nullable, for optional",
        }
    }

    /// The kind's name, as serialized: `unknown-field`, `unlisted-value` or
    /// `null-not-nullable`.
    pub fn name(self) -> &'static str {
        match self {
            DriftKind::UnknownField => "unknown-field",
            DriftKind::UnlistedValue => "unlisted-value",
            DriftKind::NullNotNullable => "null-not-nullable",
        }
    }
}

/// One place where a response goes beyond the spec without breaking it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// Unknown field or unlisted value.
    pub kind: DriftKind,
    /// JSON pointer into the body.
    pub body_pointer: String,
    /// JSON pointer into the document: the object schema, its `x-extensible-enum`, or the
    /// property that would need `nullable: true`.
    pub spec_pointer: String,
    /// The line of `spec_pointer` in the document's text.
    pub spec_line: Option<usize>,
    /// The field name or the value found (for a `null`, the property's name).
    pub found: String,
    /// The fields or values the spec knows there (for a `null`, the types it allows).
    pub known: Vec<String>,
}

/// A schema reduced to what drift detection needs, with `$ref`s resolved.
#[derive(Debug)]
pub(crate) struct DriftModel {
    nodes: Vec<Node>,
    /// Schema pointer (after `$ref`s) → node, so shared and recursive schemas are built once.
    memo: HashMap<String, usize>,
}

impl Default for DriftModel {
    fn default() -> Self {
        Self {
            nodes: vec![Node::Any],
            memo: HashMap::new(),
        }
    }
}

#[derive(Debug)]
enum Node {
    /// Nothing to check below.
    Any,
    Object {
        pointer: String,
        properties: HashMap<String, usize>,
        /// Optional, non-nullable properties: name → (schema pointer, the types it allows).
        not_nullable: HashMap<String, (String, Vec<String>)>,
        /// `None`: undeclared properties are drift; `Some(node)`: they are values of that schema.
        additional: Option<usize>,
    },
    Array(usize),
    Extensible {
        pointer: String,
        values: Vec<String>,
    },
}

const ANY: usize = 0;

impl DriftModel {
    /// Adds the schema at `pointer` of `document` to the model; returns its node.
    pub(crate) fn add(&mut self, document: &Value, pointer: &str) -> usize {
        self.node(document, pointer, 0)
    }

    fn node(&mut self, document: &Value, pointer: &str, depth: usize) -> usize {
        let (pointer, schema) = resolve(document, pointer);
        let Some(schema) = schema else { return ANY };
        if depth > 64 {
            return ANY;
        }
        if let Some(id) = self.memo.get(&pointer) {
            return *id;
        }
        let id = self.nodes.len();
        self.nodes.push(Node::Any);
        self.memo.insert(pointer.clone(), id);
        let node = if let Some(values) = schema.get("x-extensible-enum").and_then(Value::as_array) {
            Node::Extensible {
                pointer: format!("{pointer}/x-extensible-enum"),
                values: values
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect(),
            }
        } else if schema.get("items").is_some() {
            Node::Array(self.node(document, &format!("{pointer}/items"), depth + 1))
        } else if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut properties = HashMap::new();
            let mut not_nullable = HashMap::new();
            for name in props.keys() {
                let child = format!("{pointer}/properties/{}", crate::escape_pointer_token(name));
                properties.insert(name.clone(), self.node(document, &child, depth + 1));
                if !required.contains(&name.as_str())
                    && let (_, Some(property)) = resolve(document, &child)
                    && property.get("nullable") != Some(&Value::Bool(true))
                {
                    not_nullable.insert(name.clone(), (child, types_of(property)));
                }
            }
            let additional = match schema.get("additionalProperties") {
                None | Some(Value::Bool(false)) => None,
                Some(Value::Bool(true)) => Some(ANY),
                Some(_) => Some(self.node(
                    document,
                    &format!("{pointer}/additionalProperties"),
                    depth + 1,
                )),
            };
            Node::Object {
                pointer,
                properties,
                not_nullable,
                additional,
            }
        } else if schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
        {
            Node::Object {
                pointer: pointer.clone(),
                properties: HashMap::new(),
                not_nullable: HashMap::new(),
                additional: Some(self.node(
                    document,
                    &format!("{pointer}/additionalProperties"),
                    depth + 1,
                )),
            }
        } else {
            Node::Any
        };
        self.nodes[id] = node;
        id
    }

    /// Every drift finding of `instance` against node `root`.
    pub(crate) fn check(&self, root: usize, instance: &Value, out: &mut Vec<Drift>) {
        let mut path = Vec::new();
        self.walk(root, instance, &mut path, out);
    }

    fn walk<'v>(
        &self,
        node: usize,
        instance: &'v Value,
        path: &mut Vec<Token<'v>>,
        out: &mut Vec<Drift>,
    ) {
        match (&self.nodes[node], instance) {
            (
                Node::Object {
                    pointer,
                    properties,
                    not_nullable,
                    additional,
                },
                Value::Object(map),
            ) => {
                for (key, value) in map {
                    path.push(Token::Key(key));
                    if value.is_null()
                        && let Some((property, types)) = not_nullable.get(key)
                    {
                        out.push(Drift {
                            kind: DriftKind::NullNotNullable,
                            body_pointer: render(path),
                            spec_pointer: property.clone(),
                            spec_line: None,
                            found: key.clone(),
                            known: types.clone(),
                        });
                        path.pop();
                        continue;
                    }
                    match properties.get(key).copied().or(*additional) {
                        Some(child) => self.walk(child, value, path, out),
                        None => {
                            let mut known: Vec<String> = properties.keys().cloned().collect();
                            known.sort();
                            out.push(Drift {
                                kind: DriftKind::UnknownField,
                                body_pointer: render(path),
                                spec_pointer: pointer.clone(),
                                spec_line: None,
                                found: key.clone(),
                                known,
                            });
                        }
                    }
                    path.pop();
                }
            }
            (Node::Array(items), Value::Array(values)) => {
                for (i, value) in values.iter().enumerate() {
                    path.push(Token::Index(i));
                    self.walk(*items, value, path, out);
                    path.pop();
                }
            }
            (Node::Extensible { pointer, values }, Value::String(s))
                if !values.iter().any(|v| v == s) =>
            {
                out.push(Drift {
                    kind: DriftKind::UnlistedValue,
                    body_pointer: render(path),
                    spec_pointer: pointer.clone(),
                    spec_line: None,
                    found: s.clone(),
                    known: values.clone(),
                });
            }
            _ => {}
        }
    }
}

enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

fn render(path: &[Token<'_>]) -> String {
    let mut out = String::new();
    for token in path {
        out.push('/');
        match token {
            Token::Key(key) => out.push_str(&crate::escape_pointer_token(key)),
            Token::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// The JSON types a schema allows, for a report (`object` for one with properties).
fn types_of(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(ty)) => vec![ty.clone()],
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if schema.get("properties").is_some() => vec!["object".to_owned()],
        _ => Vec::new(),
    }
}

/// Removes, from a copy of `body`, the properties at `pointers` (each naming an object's key).
pub(crate) fn without(body: &Value, pointers: &[&str]) -> Value {
    let mut out = body.clone();
    for pointer in pointers {
        let Some((parent, key)) = pointer.rsplit_once('/') else {
            continue;
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        if let Some(Value::Object(map)) = out.pointer_mut(parent) {
            map.remove(&key);
        }
    }
    out
}

/// Follows `$ref`s from `pointer` to the schema they name (local references only): the
/// pointer reached, and the schema there, `None` when it is missing, external or a loop.
pub fn resolve<'d>(document: &'d Value, pointer: &str) -> (String, Option<&'d Value>) {
    let mut pointer = pointer.to_owned();
    for _ in 0..32 {
        let Some(schema) = document.pointer(&pointer) else {
            return (pointer, None);
        };
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with('#') => pointer = target[1..].to_owned(),
            Some(_) => return (pointer, None),
            None => return (pointer, Some(schema)),
        }
    }
    (pointer, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A schema `levels` deep along one kind of nesting, ending in a closed object that declares
    /// only `a`, and a body that follows it with an undeclared `b` at the end.
    fn nested(nesting: &str, levels: usize) -> (Value, Value) {
        let mut schema = json!({"type": "object", "properties": {"a": {}}});
        let mut body = json!({"a": 1, "b": 2});
        for _ in 0..levels {
            (schema, body) = match nesting {
                "items" => (json!({"type": "array", "items": schema}), json!([body])),
                "properties" => (
                    json!({"type": "object", "properties": {"n": schema}}),
                    json!({"n": body}),
                ),
                "map with properties" => (
                    json!({"type": "object", "properties": {}, "additionalProperties": schema}),
                    json!({"k": body}),
                ),
                "map" => (json!({"additionalProperties": schema}), json!({"k": body})),
                other => unreachable!("{other}"),
            };
        }
        (json!({"components": {"schemas": {"A": schema}}}), body)
    }

    #[test]
    fn schemas_are_modelled_64_levels_deep_along_every_kind_of_nesting_and_no_deeper() {
        for nesting in ["items", "properties", "map with properties", "map"] {
            for (levels, reported) in [(63, true), (64, true), (65, false), (66, false)] {
                let (doc, body) = nested(nesting, levels);
                let mut model = DriftModel::default();
                let root = model.add(&doc, "/components/schemas/A");
                let mut out = Vec::new();
                model.check(root, &body, &mut out);
                let found: Vec<&str> = out.iter().map(|d| d.found.as_str()).collect();
                let want: &[&str] = if reported { &["b"] } else { &[] };
                assert_eq!(found, want, "{nesting}, {levels} levels");
            }
        }
    }

    #[test]
    fn a_reference_leads_to_its_local_target_and_stops_at_an_external_or_looping_one() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Far": {"$ref": "other.yaml#/components/schemas/B"},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        assert_eq!(
            resolve(&doc, "/components/schemas/A"),
            (
                "/components/schemas/B".to_owned(),
                Some(&json!({"type": "string"}))
            )
        );
        // Where an external reference was met, not a pointer made of its text.
        assert_eq!(
            resolve(&doc, "/components/schemas/Far"),
            ("/components/schemas/Far".to_owned(), None)
        );
        assert_eq!(resolve(&doc, "/components/schemas/Loop").1, None);
        assert_eq!(resolve(&doc, "/missing").1, None);
    }

    #[test]
    fn the_types_a_null_is_reported_against_come_from_type_or_properties() {
        let doc = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "typed": {"type": "string", "properties": {"x": {}}},
            "shaped": {"properties": {"x": {}}},
            "open": {"description": "anything"}
        }}}}});
        let mut model = DriftModel::default();
        let root = model.add(&doc, "/components/schemas/A");
        let mut out = Vec::new();
        model.check(
            root,
            &json!({"typed": null, "shaped": null, "open": null}),
            &mut out,
        );
        out.sort_by(|a, b| a.found.cmp(&b.found));
        let known: Vec<(&str, Vec<String>)> = out
            .iter()
            .map(|d| (d.found.as_str(), d.known.clone()))
            .collect();
        assert_eq!(
            known,
            [
                ("open", vec![]),
                ("shaped", vec!["object".to_owned()]),
                ("typed", vec!["string".to_owned()]),
            ]
        );
    }

    #[test]
    fn kind_names_are_their_serialized_form() {
        for kind in [
            DriftKind::UnknownField,
            DriftKind::UnlistedValue,
            DriftKind::NullNotNullable,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
        }
        assert_eq!(DriftKind::NullNotNullable.name(), "null-not-nullable");
    }

    #[test]
    fn a_null_reports_every_type_a_type_list_allows() {
        let doc = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "v": {"type": ["string", "integer"]}
        }}}}});
        let mut model = DriftModel::default();
        let root = model.add(&doc, "/components/schemas/A");
        let mut out = Vec::new();
        model.check(root, &json!({"v": null}), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].known, ["string", "integer"]);
    }

    #[test]
    fn finds_unknown_fields_and_unlisted_values() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "kind": {"type": "string", "x-extensible-enum": ["X"]},
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                "free": {"type": "object"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
            }}
        }}});
        let mut model = DriftModel::default();
        let root = model.add(&doc, "/components/schemas/A");
        let mut out = Vec::new();
        model.check(
            root,
            &json!({"kind": "Y", "tags": [{"kind": "X", "new": 1}], "free": {"a": 1},
                    "headers": {"h": "v"}}),
            &mut out,
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].kind, DriftKind::UnlistedValue);
        assert_eq!(out[0].body_pointer, "/kind");
        assert_eq!(
            out[0].spec_pointer,
            "/components/schemas/A/properties/kind/x-extensible-enum"
        );
        assert_eq!(out[1].kind, DriftKind::UnknownField);
        assert_eq!(out[1].body_pointer, "/tags/0/new");
        assert_eq!(out[1].spec_pointer, "/components/schemas/A");
    }

    #[test]
    fn null_is_drift_only_for_optional_properties_that_are_not_nullable() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "note": {"type": "string", "nullable": true},
                "b": {"$ref": "#/components/schemas/B"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
            }},
            "B": {"type": "object", "properties": {"x": {"type": "integer"}}}
        }}});
        let mut model = DriftModel::default();
        let root = model.add(&doc, "/components/schemas/A");
        let mut out = Vec::new();
        let body = json!({"id": null, "tags": null, "note": null, "b": null,
                          "headers": {"h": null}});
        model.check(root, &body, &mut out);
        out.sort_by(|a, b| a.body_pointer.cmp(&b.body_pointer));
        let found: Vec<(DriftKind, &str, &str, Vec<String>)> = out
            .iter()
            .map(|d| {
                (
                    d.kind,
                    d.body_pointer.as_str(),
                    d.spec_pointer.as_str(),
                    d.known.clone(),
                )
            })
            .collect();
        // `id` is required and `note` nullable: a null there is a violation or fine, not drift;
        // a map's entry is not a property.
        assert_eq!(
            found,
            vec![
                (
                    DriftKind::NullNotNullable,
                    "/b",
                    "/components/schemas/A/properties/b",
                    vec!["object".to_owned()]
                ),
                (
                    DriftKind::NullNotNullable,
                    "/tags",
                    "/components/schemas/A/properties/tags",
                    vec!["array".to_owned()]
                ),
            ]
        );
        let stripped = without(&body, &["/b", "/tags"]);
        assert_eq!(
            stripped,
            json!({"id": null, "note": null, "headers": {"h": null}})
        );
    }
}
