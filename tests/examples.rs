//! The spec's examples of request and response bodies, each with the operation, the place it
//! belongs to and the schema it illustrates; and the shape of an example as its schema sees it
//! (which fields are optional, which objects are open to new keys), for tests that vary it.

use amazon_music_conformance::{Spec, escape_pointer_token};
use serde_json::Value;

const JSON: &str = "application~1json";

/// Where an example sits in its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The request body.
    Request,
    /// The response for this key of `responses` (`"200"`, `"4XX"`, `"default"`).
    Response(String),
}

/// One example of a body, as the spec gives it.
#[derive(Debug, Clone)]
pub struct SpecExample {
    /// The component example's name, or `{operationId}-{name}` for an inline one.
    pub label: String,
    /// The operation it belongs to.
    pub operation_id: String,
    /// Upper-case method.
    pub method: String,
    /// Path template, as the spec writes it (`/albums/{id}`).
    pub path: String,
    /// Request body or response.
    pub place: Place,
    /// Pointer to the schema it illustrates, after `$ref`s (`/components/schemas/Album`).
    pub schema: String,
    /// The example value.
    pub value: Value,
}

impl SpecExample {
    /// The schema's component name (`GetAlbumResponse`), which is the generated type's name.
    pub fn schema_name(&self) -> &str {
        self.schema.rsplit('/').next().unwrap_or_default()
    }
}

/// Every example of a request body or a response body of every operation, in document order
/// (responses in the order the operation declares them).
pub fn spec_examples(spec: &Spec) -> Vec<SpecExample> {
    let raw = spec.raw();
    let mut out = Vec::new();
    for op in spec.operations() {
        let base = op.pointer();
        let mut places = vec![(Place::Request, format!("{base}/requestBody/content/{JSON}"))];
        for key in raw
            .pointer(&format!("{base}/responses"))
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.keys())
        {
            let at = resolve(
                raw,
                &format!("{base}/responses/{}", escape_pointer_token(key)),
            );
            places.push((Place::Response(key.clone()), format!("{at}/content/{JSON}")));
        }
        for (place, media) in places {
            let Some(content) = raw.pointer(&media) else {
                continue;
            };
            let schema = resolve(raw, &format!("{media}/schema"));
            for name in content
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|e| e.keys())
            {
                let at = resolve(
                    raw,
                    &format!("{media}/examples/{}", escape_pointer_token(name)),
                );
                let example = raw.pointer(&at).unwrap_or(&Value::Null);
                let label = match at.strip_prefix("/components/examples/") {
                    Some(component) => component.to_owned(),
                    None => format!("{}-{name}", op.id()),
                };
                out.push(SpecExample {
                    label,
                    operation_id: op.id().to_owned(),
                    method: op.method().to_owned(),
                    path: op.path().to_owned(),
                    place: place.clone(),
                    schema: schema.clone(),
                    value: example.get("value").cloned().unwrap_or(Value::Null),
                });
            }
        }
    }
    out
}

/// Follows `$ref`s from `pointer` to the pointer of what they name (local references only).
pub fn resolve(document: &Value, pointer: &str) -> String {
    let mut pointer = pointer.to_owned();
    for _ in 0..32 {
        match document
            .pointer(&pointer)
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
        {
            Some(target) if target.starts_with('#') => pointer = target[1..].to_owned(),
            _ => break,
        }
    }
    pointer
}

/// What an object of a body may take besides the properties it declares.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// Undeclared keys are unknown fields (a struct of the generated code, which ignores them).
    Unknown,
    /// Undeclared keys are entries of a map whose values are anything (`type: object` and no
    /// `properties`, or `additionalProperties: true`).
    Any,
    /// Undeclared keys are entries of a map whose values follow the schema at this pointer.
    Entries(String),
}

/// One object of a body, as its schema sees it.
#[derive(Debug, Clone)]
pub struct ObjectSlot {
    /// JSON pointer into the body.
    pub at: String,
    /// The properties the schema declares.
    pub declared: Vec<String>,
    /// What another key would be.
    pub extra: Extra,
}

/// The shape of a body: its objects, and its optional fields that the schema does not make
/// `nullable` (present in the body or not).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Every object of the body, at every depth, outermost first.
    pub objects: Vec<ObjectSlot>,
    /// `(pointer of the object, property)` for every optional, non-nullable property of every
    /// object of the body, at every depth.
    pub optional: Vec<(String, String)>,
}

/// Walks `value` beside the schema at `schema` of `document`.
pub fn shape(document: &Value, schema: &str, value: &Value) -> Shape {
    let mut out = Shape::default();
    walk(document, schema, value, "", &mut out, 0);
    out
}

fn walk(document: &Value, schema: &str, value: &Value, at: &str, out: &mut Shape, depth: usize) {
    let schema = resolve(document, schema);
    let Some(node) = document.pointer(&schema) else {
        return;
    };
    if depth > 64 {
        return;
    }
    match value {
        Value::Object(map) => {
            let properties = node.get("properties").and_then(Value::as_object);
            let declared: Vec<String> = properties
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            let extra = match node.get("additionalProperties") {
                Some(Value::Bool(true)) => Extra::Any,
                Some(Value::Object(_)) => Extra::Entries(format!("{schema}/additionalProperties")),
                Some(_) => Extra::Unknown,
                None if properties.is_none() => Extra::Any,
                None => Extra::Unknown,
            };
            let required: Vec<&str> = node
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for name in &declared {
                let property = resolve(
                    document,
                    &format!("{schema}/properties/{}", escape_pointer_token(name)),
                );
                let nullable = document
                    .pointer(&format!("{property}/nullable"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if !required.contains(&name.as_str()) && !nullable {
                    out.optional.push((at.to_owned(), name.clone()));
                }
            }
            out.objects.push(ObjectSlot {
                at: at.to_owned(),
                declared: declared.clone(),
                extra: extra.clone(),
            });
            for (key, child) in map {
                let child_at = format!("{at}/{}", escape_pointer_token(key));
                let child_schema = if declared.contains(key) {
                    format!("{schema}/properties/{}", escape_pointer_token(key))
                } else if let Extra::Entries(entries) = &extra {
                    entries.clone()
                } else {
                    continue;
                };
                walk(document, &child_schema, child, &child_at, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(
                    document,
                    &format!("{schema}/items"),
                    item,
                    &format!("{at}/{i}"),
                    out,
                    depth + 1,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_optional_fields_and_open_objects_at_every_depth() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "note": {"type": "string", "nullable": true},
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                "payload": {"type": "object"}
            }},
            "B": {"type": "object", "properties": {"name": {"type": "string"}}}
        }}});
        let value = json!({"id": "1", "tags": [{"name": "x"}], "headers": {"h": "v"},
                           "payload": {"free": 1}});
        let shape = shape(&doc, "/components/schemas/A", &value);
        // Sorted: map order depends on serde_json's features in the build.
        let mut optional: Vec<(&str, &str)> = shape
            .optional
            .iter()
            .map(|(at, name)| (at.as_str(), name.as_str()))
            .collect();
        optional.sort();
        assert_eq!(
            optional,
            vec![
                ("", "headers"),
                ("", "payload"),
                ("", "tags"),
                ("/tags/0", "name")
            ]
        );
        let mut objects: Vec<(&str, Extra)> = shape
            .objects
            .iter()
            .map(|o| (o.at.as_str(), o.extra.clone()))
            .collect();
        objects.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(
            objects,
            vec![
                ("", Extra::Unknown),
                (
                    "/headers",
                    Extra::Entries(
                        "/components/schemas/A/properties/headers/additionalProperties".into()
                    )
                ),
                ("/payload", Extra::Any),
                ("/tags/0", Extra::Unknown),
            ]
        );
    }
}
