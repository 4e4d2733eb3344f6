//! OpenAPI 3.0 schema objects as JSON Schema validators.
//!
//! OpenAPI 3.0's schema dialect is close to JSON Schema draft 4 but not the same: `nullable`
//! widens a type to include `null`, a `$ref` ignores its siblings, and keywords such as
//! `example`, `discriminator` and `x-*` extensions mean nothing to a validator. The schemas come
//! from the spec's model, their `$ref`s already followed: each schema a validator reaches is
//! rewritten into draft 4 once, under a key of its own in the compiled document, and its
//! subschemas refer to those keys, so that nothing here follows a `$ref` of the spec.

use std::collections::BTreeMap;

use amazon_music_spec::{Additional, SchemaId, Spec, SpecError};
use jsonschema::Validator;
use serde_json::{Map, Value, json};

/// Where the compiled document keeps the schemas a validator reaches, by node.
const DEFINITIONS: &str = "x-schemas";

/// A compiled validator for one schema of the document.
pub struct SchemaValidator {
    validator: Validator,
    pointer: String,
    /// Node index → where the node is in the document.
    pointers: BTreeMap<usize, String>,
}

impl std::fmt::Debug for SchemaValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaValidator")
            .field("pointer", &self.pointer)
            .finish_non_exhaustive()
    }
}

/// One way in which a JSON value breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON pointer into the validated value.
    pub instance_path: String,
    /// JSON pointer into the document, to the keyword that failed.
    pub schema_path: String,
    /// The failing keyword, such as `required` or `maximum`.
    pub keyword: String,
    /// What the validator says.
    pub message: String,
}

impl std::fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "/"
        } else {
            &self.instance_path
        };
        write!(f, "{at}: {} ({})", self.message, self.schema_path)
    }
}

impl SchemaValidator {
    /// Compiles the schema at `pointer` of `spec` (for example `/components/schemas/Album`, or
    /// the place of an inline schema, or of a `$ref` to one).
    ///
    /// ```
    /// use amazon_music_conformance::{SchemaValidator, Spec};
    /// let spec = Spec::embedded().unwrap();
    /// let album = SchemaValidator::at(spec, "/components/schemas/Album")?;
    /// assert!(album.is_valid(&serde_json::json!({"id": "B0064UPU4G", "title": "Discovery"})));
    /// assert!(!album.is_valid(&serde_json::json!({"title": "no id"})));
    /// # Ok::<(), amazon_music_conformance::SpecError>(())
    /// ```
    pub fn at(spec: &Spec, pointer: &str) -> Result<Self, SpecError> {
        let id = spec
            .schema_at(pointer)
            .ok_or_else(|| SpecError::Pointer(pointer.to_owned()))?;
        Self::new(spec, id)
    }

    /// Compiles the schema `id` of `spec`.
    pub fn new(spec: &Spec, id: SchemaId) -> Result<Self, SpecError> {
        let schemas = spec.schemas();
        let pointer = schemas[id].pointer().to_owned();
        let mut definitions = Map::new();
        let mut pointers = BTreeMap::new();
        let mut stack = vec![id];
        while let Some(next) = stack.pop() {
            if pointers.contains_key(&next.index()) {
                continue;
            }
            let schema = &schemas[next];
            if let Some(why) = schema.broken() {
                return Err(SpecError::Schema {
                    pointer: schema.pointer().to_owned(),
                    message: why.to_owned(),
                });
            }
            pointers.insert(next.index(), schema.pointer().to_owned());
            definitions.insert(key(next), draft4(spec, next));
            stack.extend(schema.subschemas());
        }
        let mut root = Map::new();
        root.insert("$ref".into(), reference(id)["$ref"].take());
        root.insert(DEFINITIONS.into(), Value::Object(definitions));
        let root = Value::Object(root);
        let validator = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| SpecError::Schema {
                pointer: pointer.clone(),
                message: e.to_string(),
            })?;
        Ok(Self {
            validator,
            pointer,
            pointers,
        })
    }

    /// Where in the document the schema is.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// Whether `instance` satisfies the schema.
    pub fn is_valid(&self, instance: &Value) -> bool {
        self.validator.is_valid(instance)
    }

    /// Every way in which `instance` breaks the schema; empty when it is valid.
    pub fn violations(&self, instance: &Value) -> Vec<SchemaViolation> {
        self.validator
            .iter_errors(instance)
            .map(|error| {
                let schema_path = error.schema_path().as_str().to_owned();
                let keyword = schema_path
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                SchemaViolation {
                    instance_path: error.instance_path().as_str().to_owned(),
                    schema_path: self.document_pointer(&schema_path),
                    keyword,
                    message: error.to_string(),
                }
            })
            .collect()
    }

    /// Maps a path inside the compiled document back to a pointer into the OpenAPI document:
    /// the innermost schema the path passes through, then what follows inside it.
    fn document_pointer(&self, schema_path: &str) -> String {
        let marker = format!("/{DEFINITIONS}/n");
        let Some(at) = schema_path.rfind(&marker) else {
            return format!("{}{schema_path}", self.pointer);
        };
        let rest = &schema_path[at + marker.len()..];
        let digits = rest.find('/').unwrap_or(rest.len());
        match rest[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| self.pointers.get(&n))
        {
            Some(pointer) => format!("{pointer}{}", &rest[digits..]),
            None => format!("{}{schema_path}", self.pointer),
        }
    }
}

fn key(id: SchemaId) -> String {
    format!("n{}", id.index())
}

fn reference(id: SchemaId) -> Value {
    json!({ "$ref": format!("#/{DEFINITIONS}/{}", key(id)) })
}

/// The schema `id` in draft 4, each subschema a reference to its own definition.
fn draft4(spec: &Spec, id: SchemaId) -> Value {
    let schema = &spec.schemas()[id];
    let mut converted = to_json_schema(schema.raw());
    let Value::Object(out) = &mut converted else {
        return converted;
    };
    if schema.declares_properties() {
        let properties: Map<String, Value> = schema
            .properties()
            .iter()
            .map(|(name, child)| (name.clone(), reference(*child)))
            .collect();
        out.insert("properties".into(), Value::Object(properties));
    }
    if let Additional::Schema(child) = schema.additional() {
        out.insert("additionalProperties".into(), reference(child));
    }
    if let Some(child) = schema.items() {
        out.insert("items".into(), reference(child));
    }
    if let Some(child) = schema.not() {
        out.insert("not".into(), reference(child));
    }
    for (keyword, parts) in [
        ("allOf", schema.all_of()),
        ("anyOf", schema.any_of()),
        ("oneOf", schema.one_of()),
    ] {
        if !parts.is_empty() {
            out.insert(
                keyword.into(),
                parts.iter().map(|c| reference(*c)).collect(),
            );
        }
    }
    converted
}

/// Rewrites one OpenAPI 3.0 schema object into JSON Schema draft 4.
pub fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    if let Some(reference) = map.get("$ref") {
        return json!({ "$ref": reference });
    }
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "properties" => match value {
                Value::Object(props) => Value::Object(
                    props
                        .iter()
                        .map(|(name, s)| (name.clone(), to_json_schema(s)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            "allOf" | "anyOf" | "oneOf" => match value {
                Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
                other => other.clone(),
            },
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" | "deprecated"
            | "readOnly" | "writeOnly" => continue,
            extension if extension.starts_with("x-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(Value::String(ty)) = out.get("type").cloned() {
            out.insert("type".into(), json!([ty, "null"]));
        }
        if let Some(Value::Array(values)) = out.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_schemas_under_every_keyword_are_rewritten() {
        let nullable = json!({"type": "string", "nullable": true, "example": "a"});
        let rewritten = json!({"type": ["string", "null"]});
        let converted = to_json_schema(&json!({
            "items": nullable, "additionalProperties": nullable, "not": nullable,
            "allOf": [nullable], "anyOf": [nullable], "oneOf": [nullable]
        }));
        assert_eq!(
            converted,
            json!({
                "items": rewritten, "additionalProperties": rewritten, "not": rewritten,
                "allOf": [rewritten], "anyOf": [rewritten], "oneOf": [rewritten]
            })
        );
    }

    #[test]
    fn a_validator_names_its_schema_and_a_violation_where_it_is() {
        let spec = Spec::from_yaml_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n\
             \x20     responses:\n        '200':\n          description: ok\n\
             \x20         content:\n            application/json:\n\
             \x20             schema: {type: object, required: [id]}\n",
        )
        .unwrap();
        let pointer = "/paths/~1a/get/responses/200/content/application~1json/schema";
        let validator = SchemaValidator::at(&spec, pointer).unwrap();
        assert_eq!(validator.pointer(), pointer);
        // The compiled schema is left out of the output; the pointer says which one it is.
        let shown = format!("{validator:?}");
        assert!(shown.contains(&format!("pointer: {pointer:?}")), "{shown}");
        let violations = validator.violations(&json!({}));
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(
            violations[0].to_string(),
            format!("/: {} ({pointer}/required)", violations[0].message)
        );
        let nested = SchemaViolation {
            instance_path: "/a/0".into(),
            schema_path: "/s/type".into(),
            keyword: "type".into(),
            message: "1 is not of type \"string\"".into(),
        };
        assert_eq!(
            nested.to_string(),
            "/a/0: 1 is not of type \"string\" (/s/type)"
        );
    }

    #[test]
    fn nullable_widens_type_and_enum() {
        let converted = to_json_schema(&json!({
            "type": "string", "enum": ["A"], "nullable": true, "x-extensible-enum": ["B"]
        }));
        assert_eq!(
            converted,
            json!({"type": ["string", "null"], "enum": ["A", null]})
        );
    }

    #[test]
    fn ref_siblings_are_dropped_and_properties_named_like_keywords_kept() {
        let converted = to_json_schema(&json!({
            "type": "object",
            "properties": {
                "example": {"$ref": "#/definitions/X", "description": "ignored"},
                "x-count": {"type": "integer", "example": 3}
            }
        }));
        assert_eq!(
            converted,
            json!({"type": "object", "properties": {
                "example": {"$ref": "#/definitions/X"},
                "x-count": {"type": "integer"}
            }})
        );
    }
}
