//! OpenAPI 3.0 schema objects as JSON Schema validators.
//!
//! OpenAPI 3.0's schema dialect is close to JSON Schema draft 4 but not the same: `nullable`
//! widens a type to include `null`, a `$ref` ignores its siblings, and keywords such as
//! `example`, `discriminator` and `x-*` extensions mean nothing to a validator. Each schema is
//! rewritten into draft 4 and validated in a document that also holds the rewritten
//! `components/schemas`, so that `#/components/schemas/...` references resolve unchanged.

use jsonschema::Validator;
use serde_json::{Map, Value, json};

use crate::{Spec, SpecError};

/// A compiled validator for one schema of the document.
pub struct SchemaValidator {
    validator: Validator,
    pointer: String,
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
    /// Compiles `schema`, written in OpenAPI's dialect and found at `pointer` in `spec`.
    pub fn compile(spec: &Spec, schema: &Value, pointer: &str) -> Result<Self, SpecError> {
        let mut root = match to_json_schema(schema) {
            Value::Object(map) => map,
            // `true`/`false` schemas cannot carry the components beside them.
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), json!([other]));
                map
            }
        };
        let components = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .map(|(name, s)| (name.clone(), to_json_schema(s)))
                    .collect::<Map<_, _>>()
            })
            .unwrap_or_default();
        root.insert("components".into(), json!({ "schemas": components }));
        let validator = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&Value::Object(root))
            .map_err(|e| SpecError::Schema {
                pointer: pointer.to_owned(),
                message: e.to_string(),
            })?;
        Ok(Self {
            validator,
            pointer: pointer.to_owned(),
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

    /// Maps a path inside the compiled schema back to a pointer into the OpenAPI document.
    fn document_pointer(&self, schema_path: &str) -> String {
        // A failure inside a referenced component is reported relative to that component.
        match schema_path.rfind("/components/schemas/") {
            Some(at) => schema_path[at..].to_owned(),
            None => format!("{}{}", self.pointer, schema_path),
        }
    }
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
        let spec =
            Spec::from_yaml_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
                .unwrap();
        let pointer = "/paths/~1a/get/responses/200/content/application~1json/schema";
        let validator = SchemaValidator::compile(
            &spec,
            &json!({"type": "object", "required": ["id"]}),
            pointer,
        )
        .unwrap();
        assert_eq!(validator.pointer(), pointer);
        assert_eq!(
            format!("{validator:?}"),
            format!("SchemaValidator {{ pointer: {pointer:?}, .. }}")
        );
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
                "example": {"$ref": "#/components/schemas/X", "description": "ignored"},
                "x-count": {"type": "integer", "example": 3}
            }
        }));
        assert_eq!(
            converted,
            json!({"type": "object", "properties": {
                "example": {"$ref": "#/components/schemas/X"},
                "x-count": {"type": "integer"}
            }})
        );
    }
}
