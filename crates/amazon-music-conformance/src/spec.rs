//! Loading the OpenAPI document and walking its operations.

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::SpecError;
use crate::schema::SchemaValidator;
use crate::source_map::LineIndex;

/// The curated OpenAPI document, held both as raw JSON (for pointers and schema compilation)
/// and as typed [`openapiv3`] structures (for walking operations).
#[derive(Debug, Clone)]
pub struct Spec {
    raw: Value,
    api: OpenAPI,
    lines: LineIndex,
}

/// One operation of the document: a method on a path template.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// Upper-case HTTP method, such as `GET`.
    pub method: &'static str,
    /// The path template as written in the document, such as `/albums/{id}`.
    pub path: &'a str,
    /// The operation as the document describes it.
    pub operation: &'a openapiv3::Operation,
}

impl Operation<'_> {
    /// The operation's `operationId`, or `""` when it has none (the spec tests forbid that).
    pub fn id(&self) -> &str {
        self.operation.operation_id.as_deref().unwrap_or("")
    }

    /// JSON pointer to this operation inside the document, such as `/paths/~1albums/get`.
    pub fn pointer(&self) -> String {
        format!(
            "/paths/{}/{}",
            escape_pointer_token(self.path),
            self.method.to_ascii_lowercase()
        )
    }
}

impl Spec {
    /// Parses an OpenAPI 3.0.x document from YAML (or JSON, which is YAML too).
    pub fn from_yaml_str(text: &str) -> Result<Self, SpecError> {
        let raw: Value = serde_yaml::from_str(text).map_err(|e| SpecError::Parse(e.to_string()))?;
        let mut spec = Self::from_value(raw)?;
        spec.lines = LineIndex::new(text);
        Ok(spec)
    }

    /// Reads and parses the document at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_yaml_str(&text)
    }

    /// Builds a spec from an already parsed JSON value.
    pub fn from_value(raw: Value) -> Result<Self, SpecError> {
        let version = raw.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("3.0.") {
            return Err(SpecError::Version(version.to_owned()));
        }
        let api: OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| SpecError::Parse(e.to_string()))?;
        Ok(Self {
            raw,
            api,
            lines: LineIndex::default(),
        })
    }

    /// The document as raw JSON.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The 1-based line of the text where the value at `pointer` (or its nearest ancestor with a
    /// line of its own) starts; `None` for a spec built from a value rather than text.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.line_of(pointer)
    }

    /// The document as typed OpenAPI structures.
    pub fn openapi(&self) -> &OpenAPI {
        &self.api
    }

    /// The value at a JSON pointer (RFC 6901) into the document.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }

    /// Every property name declared by the document's component schemas, sorted: the field
    /// names a response may carry, for example to steer generated test input.
    pub fn property_names(&self) -> Vec<String> {
        let mut names = std::collections::BTreeSet::new();
        let schemas = self
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten();
        for (_, schema) in schemas {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                names.extend(properties.keys().cloned());
            }
        }
        names.into_iter().collect()
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let Some(item) = item.as_item() else { continue };
            for (method, operation) in item.iter() {
                out.push(Operation {
                    method: method_name(method),
                    path,
                    operation,
                });
            }
        }
        out
    }

    /// Compiles the OpenAPI schema at `pointer` (for example
    /// `/components/schemas/Album`) into a JSON Schema validator.
    pub fn validator_at(&self, pointer: &str) -> Result<SchemaValidator, SpecError> {
        let schema = self
            .pointer(pointer)
            .ok_or_else(|| SpecError::Pointer(pointer.to_owned()))?;
        SchemaValidator::compile(self, schema, pointer)
    }
}

fn method_name(method: &str) -> &'static str {
    match method {
        "get" => "GET",
        "put" => "PUT",
        "post" => "POST",
        "delete" => "DELETE",
        "options" => "OPTIONS",
        "head" => "HEAD",
        "patch" => "PATCH",
        _ => "TRACE",
    }
}

/// Escapes one reference token of a JSON pointer (`~` and `/`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_names_are_every_components_properties_sorted_once() {
        let spec = Spec::from_yaml_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n\
             \x20   B: {type: object, properties: {title: {}, id: {}}}\n\
             \x20   A: {type: object, properties: {id: {}, artist: {}}}\n\
             \x20   S: {type: string}\n",
        )
        .unwrap();
        assert_eq!(spec.property_names(), ["artist", "id", "title"]);
        let bare =
            Spec::from_yaml_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(bare.unwrap().property_names().is_empty());
    }

    #[test]
    fn every_method_keeps_its_name() {
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        let mut text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n".to_owned();
        for method in methods {
            text.push_str(&format!(
                "    {method}: {{operationId: {method}A, responses: {{'200': {{description: ok}}}}}}\n"
            ));
        }
        let spec = Spec::from_yaml_str(&text).unwrap();
        let mut named: Vec<(String, String)> = spec
            .operations()
            .iter()
            .map(|op| (op.method.to_owned(), op.id().to_owned()))
            .collect();
        named.sort();
        let mut expected: Vec<(String, String)> = methods
            .iter()
            .map(|m| (m.to_ascii_uppercase(), format!("{m}A")))
            .collect();
        expected.sort();
        assert_eq!(named, expected);
    }
}
