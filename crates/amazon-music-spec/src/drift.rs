//! Drift: what a response carries that the spec does not describe yet, but does not forbid.
//!
//! Objects in this API are open, so an unknown field is valid; a string whose values the spec
//! lists in `x-extensible-enum` may take new values; an optional field sent as `null` is read as
//! absent by the generated client, though the spec has no `nullable` for it. All three are what a
//! maintainer adds to the spec next, so they are found by a visitor of the one walk of the
//! response beside its schema.

use serde::Serialize;
use serde_json::Value;

use crate::schema::{Schema, SchemaId, Schemas};
use crate::walk::{Member, Step, Token, Visitor, pointer_of};
use crate::{Spec, unescape_pointer_token};

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
    /// Every kind, in order.
    pub const ALL: [DriftKind; 3] = [
        DriftKind::UnknownField,
        DriftKind::UnlistedValue,
        DriftKind::NullNotNullable,
    ];

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
    /// Unknown field, unlisted value, or `null` for a property that is not `nullable`.
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

impl Spec {
    /// Every drift finding of `body` against the schema `root`, in walk order, each with the
    /// line its spec pointer is on.
    ///
    /// ```
    /// use amazon_music_spec::{DriftKind, Spec};
    /// let spec = Spec::embedded().unwrap();
    /// let body = spec.operation("getAlbum").unwrap().success().unwrap().json().unwrap().schema().unwrap();
    /// let drift = spec.drift(body, &serde_json::json!({"data": {"album": {"id": "B1", "mood": 1}}}));
    /// assert_eq!(drift[0].kind, DriftKind::UnknownField);
    /// assert_eq!(drift[0].body_pointer, "/data/album/mood");
    /// ```
    pub fn drift(&self, root: SchemaId, body: &Value) -> Vec<Drift> {
        let mut found = find(self.schemas(), root, body);
        for drift in &mut found {
            drift.spec_line = self.line_of(&drift.spec_pointer);
        }
        found
    }
}

fn find(schemas: &Schemas, root: SchemaId, body: &Value) -> Vec<Drift> {
    let mut finder = Finder {
        schemas,
        found: Vec::new(),
    };
    schemas.walk(root, body, &mut finder);
    finder.found
}

struct Finder<'s> {
    schemas: &'s Schemas,
    found: Vec<Drift>,
}

/// The three findings, made alike by both walks (over a parsed value here, and as bytes are
/// parsed in `drift_stream`). `at` gives the body pointer, computed only for a finding.
impl Drift {
    /// `found`, a string where `schema` lists its values in `x-extensible-enum`, if it is not
    /// one of them.
    pub(crate) fn unlisted_value(
        schema: &Schema,
        found: &str,
        at: impl FnOnce() -> String,
    ) -> Option<Drift> {
        let values = schema.extensible()?;
        (!values.iter().any(|v| v == found)).then(|| Drift {
            kind: DriftKind::UnlistedValue,
            body_pointer: at(),
            spec_pointer: format!("{}/x-extensible-enum", schema.pointer()),
            spec_line: None,
            found: found.to_owned(),
            known: values.to_vec(),
        })
    }

    /// `null` for `name`, an optional member of `object` whose schema is `property`, if that
    /// schema is not `nullable`.
    pub(crate) fn null_not_nullable(
        object: &Schema,
        name: &str,
        property: &Schema,
        at: impl FnOnce() -> String,
    ) -> Option<Drift> {
        (!property.nullable()).then(|| Drift {
            kind: DriftKind::NullNotNullable,
            body_pointer: at(),
            spec_pointer: object.property_pointer(name),
            spec_line: None,
            found: name.to_owned(),
            known: property.type_names(),
        })
    }

    /// `name`, a member `object` does not declare.
    pub(crate) fn unknown_field(object: &Schema, name: &str, at: impl FnOnce() -> String) -> Drift {
        Drift {
            kind: DriftKind::UnknownField,
            body_pointer: at(),
            spec_pointer: object.pointer().to_owned(),
            spec_line: None,
            found: name.to_owned(),
            known: object.properties().iter().map(|(n, _)| n.clone()).collect(),
        }
    }
}

impl<'v> Visitor<'v> for Finder<'_> {
    fn visit(&mut self, schema: &Schema, value: &'v Value, path: &[Token<'v>]) -> Step {
        if schema.extensible().is_none() {
            return Step::Descend;
        }
        if let Value::String(s) = value {
            self.found
                .extend(Drift::unlisted_value(schema, s, || pointer_of(path)));
        }
        Step::Skip
    }

    fn member(
        &mut self,
        object: &Schema,
        name: &'v str,
        value: &'v Value,
        member: Member,
        path: &[Token<'v>],
    ) -> Step {
        match member {
            Member::Declared(property) if value.is_null() && !object.is_required(name) => {
                let property = self.schemas.get(property);
                match Drift::null_not_nullable(object, name, property, || pointer_of(path)) {
                    Some(drift) => {
                        self.found.push(drift);
                        Step::Skip
                    }
                    None => Step::Descend,
                }
            }
            Member::Declared(_) | Member::Additional(_) => Step::Descend,
            Member::Allowed => Step::Skip,
            Member::Undeclared => {
                self.found
                    .push(Drift::unknown_field(object, name, || pointer_of(path)));
                Step::Skip
            }
        }
    }
}

/// A copy of `body` without the members at `pointers` (each naming an object's member): a
/// body as clients read it, once the `null`s they take for absent are gone.
pub fn without(body: &Value, pointers: &[&str]) -> Value {
    let mut out = body.clone();
    for pointer in pointers {
        let Some((parent, key)) = pointer.rsplit_once('/') else {
            continue;
        };
        if let Some(Value::Object(map)) = out.pointer_mut(parent) {
            map.remove(&unescape_pointer_token(key));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A spec whose one operation answers 200 with `schema` (and the components given).
    fn spec(schema: Value, components: Value) -> Spec {
        Spec::from_value(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": schema}}
            }}}}},
            "components": {"schemas": components}
        }))
        .unwrap()
    }

    fn drift(spec: &Spec, body: &Value) -> Vec<Drift> {
        let root = spec.operation("a").unwrap().responses()[0]
            .json()
            .unwrap()
            .schema()
            .unwrap();
        spec.drift(root, body)
    }

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
        (schema, body)
    }

    #[test]
    fn drift_is_found_64_levels_deep_along_every_kind_of_nesting_and_no_deeper() {
        for nesting in ["items", "properties", "map with properties", "map"] {
            for (levels, reported) in [(63, true), (64, true), (65, false), (66, false)] {
                let (schema, body) = nested(nesting, levels);
                // Built without the whole document: the typed OpenAPI parse of so deep a schema
                // needs more stack than a test thread has.
                let mut schemas = Schemas::default();
                let root = schemas.build(&json!({ "s": schema }), "/s").unwrap();
                let found: Vec<String> = find(&schemas, root, &body)
                    .into_iter()
                    .map(|d| d.found)
                    .collect();
                let want: &[&str] = if reported { &["b"] } else { &[] };
                assert_eq!(found, want, "{nesting}, {levels} levels");
            }
        }
    }

    #[test]
    fn kind_names_are_their_serialized_form() {
        for kind in DriftKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
            assert!(!kind.describe().is_empty());
        }
        assert_eq!(DriftKind::NullNotNullable.name(), "null-not-nullable");
    }

    #[test]
    fn finds_unknown_fields_and_unlisted_values_with_their_lines() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/A'\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        kind:\n          type: string\n          x-extensible-enum: [X]\n        tags:\n          type: array\n          items:\n            $ref: '#/components/schemas/A'\n        free: {type: object}\n        open: {type: object, properties: {}, additionalProperties: true}\n        headers: {type: object, additionalProperties: {type: string}}\n";
        let spec = Spec::from_yaml_str(text).unwrap();
        let found = drift(
            &spec,
            &json!({"kind": "Y", "tags": [{"kind": "X", "new": 1}], "free": {"a": 1},
                    "open": {"b": 2}, "headers": {"h": "v"}}),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].kind, DriftKind::UnlistedValue);
        assert_eq!(found[0].body_pointer, "/kind");
        assert_eq!(
            found[0].spec_pointer,
            "/components/schemas/A/properties/kind/x-extensible-enum"
        );
        assert_eq!(found[0].spec_line, Some(21));
        assert_eq!(found[0].known, ["X"]);
        assert_eq!(found[1].kind, DriftKind::UnknownField);
        assert_eq!(found[1].body_pointer, "/tags/0/new");
        assert_eq!(found[1].spec_pointer, "/components/schemas/A");
        assert_eq!(found[1].spec_line, Some(16));
        assert_eq!(found[1].known, ["free", "headers", "kind", "open", "tags"]);
    }

    #[test]
    fn null_is_drift_only_for_optional_properties_that_are_not_nullable() {
        let spec = spec(
            json!({"$ref": "#/components/schemas/A"}),
            json!({
                "A": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "note": {"type": "string", "nullable": true},
                    "b": {"$ref": "#/components/schemas/B"},
                    "headers": {"type": "object", "additionalProperties": {"type": "string"}}
                }},
                "B": {"type": "object", "properties": {"x": {"type": "integer"}}}
            }),
        );
        let body = json!({"id": null, "tags": null, "note": null, "b": null,
                          "headers": {"h": null}});
        let mut found = drift(&spec, &body);
        found.sort_by(|a, b| a.body_pointer.cmp(&b.body_pointer));
        let found: Vec<(DriftKind, &str, &str, Vec<String>)> = found
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
        let stripped = without(&body, &["/b", "/tags", "nothing", "/headers/~1x"]);
        assert_eq!(
            stripped,
            json!({"id": null, "note": null, "headers": {"h": null}})
        );
    }
}
