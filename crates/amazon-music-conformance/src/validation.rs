//! Validation of an exchange: the operation it is for, its status, and its body against the
//! response the operation declares for that status.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use amazon_music_spec::{Body, Drift, DriftKind, Exchange, SchemaId, without};

use crate::{SchemaValidator, Spec, SpecError};

/// One way in which an exchange breaks the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// What failed: a JSON Schema keyword (`type`, `required`, ...), or `operation`, `status`,
    /// `content` for an exchange the document has no place for.
    pub keyword: String,
    /// JSON pointer into the response body (`""` for the whole exchange).
    pub body_pointer: String,
    /// JSON pointer into the document, to what was broken.
    pub spec_pointer: String,
    /// The line of `spec_pointer` in the document's text.
    pub spec_line: Option<usize>,
    /// What the spec expects there.
    pub expected: String,
    /// What the exchange has.
    pub found: String,
}

/// The verdict on one exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Where the exchange came from (a file, or a file and HAR entry), for reports.
    pub source: String,
    /// Request method.
    pub method: String,
    /// Request URL as recorded.
    pub url: String,
    /// Response status.
    pub status: u16,
    /// The operation the request matched, if any.
    pub operation_id: Option<String>,
    /// The response key of the operation the status matched (`"200"`, `"4XX"`, `"default"`).
    pub response: Option<String>,
    /// Everything that breaks the spec.
    pub violations: Vec<Violation>,
    /// Everything the spec does not describe yet.
    pub drift: Vec<Drift>,
}

impl Outcome {
    /// Whether the exchange conforms (drift allowed unless `strict`).
    pub fn passed(&self, strict: bool) -> bool {
        self.violations.is_empty() && (!strict || self.drift.is_empty())
    }
}

/// Checks exchanges against the document: compiled once, then cheap per exchange.
///
/// ```
/// use amazon_music_conformance::{Body, Exchange, Spec, Validator};
/// # let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/openapi.yaml");
/// let validator = Validator::new(Spec::load(spec_path)?)?;
/// let exchange = Exchange {
///     method: "GET".into(),
///     url: "/v1/albums/B0064UPU4G".into(),
///     status: 200,
///     headers: Default::default(),
///     body: Body::Json(serde_json::json!({"data": {"album": {"id": 7, "mood": "happy"}}})),
/// };
/// let outcome = validator.validate(&exchange, "example");
/// assert_eq!(outcome.operation_id.as_deref(), Some("getAlbum"));
/// assert_eq!(outcome.violations[0].body_pointer, "/data/album/id");
/// assert_eq!(outcome.drift[0].found, "mood");
/// # Ok::<(), amazon_music_conformance::SpecError>(())
/// ```
pub struct Validator {
    spec: Spec,
    /// (operation index, response key) → what that response allows.
    responses: HashMap<(usize, String), ResponseCheck>,
    /// Compiled validators, by schema.
    schemas: HashMap<SchemaId, SchemaValidator>,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("responses", &self.responses.len())
            .field("schemas", &self.schemas.len())
            .finish_non_exhaustive()
    }
}

struct ResponseCheck {
    /// Pointer to the response object (after its `$ref`).
    pointer: String,
    /// The schema of its JSON body, when it has one.
    schema: Option<SchemaId>,
}

impl Validator {
    /// Compiles every response schema of `spec`.
    pub fn new(spec: Spec) -> Result<Self, SpecError> {
        let mut schemas = HashMap::new();
        let mut responses = HashMap::new();
        for (index, op) in spec.operations().iter().enumerate() {
            for response in op.responses() {
                let schema = match response.json() {
                    Some(media) => Some(media.schema().ok_or_else(|| {
                        SpecError::Pointer(format!("{}/schema", media.pointer()))
                    })?),
                    None => None,
                };
                // Responses sharing a component share its compiled validator.
                if let Some(id) = schema
                    && !schemas.contains_key(&id)
                {
                    schemas.insert(id, SchemaValidator::new(&spec, id)?);
                }
                responses.insert(
                    (index, response.status().to_owned()),
                    ResponseCheck {
                        pointer: response.pointer().to_owned(),
                        schema,
                    },
                );
            }
        }
        Ok(Self {
            spec,
            responses,
            schemas,
        })
    }

    /// The document.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The routing table.
    pub fn router(&self) -> &amazon_music_spec::Router {
        self.spec.router()
    }

    /// Validates one exchange; `source` says where it came from in reports.
    pub fn validate(&self, exchange: &Exchange, source: &str) -> Outcome {
        let mut outcome = Outcome {
            source: source.to_owned(),
            method: exchange.method.clone(),
            url: exchange.url.clone(),
            status: exchange.status,
            operation_id: None,
            response: None,
            violations: Vec::new(),
            drift: Vec::new(),
        };
        let router = self.spec.router();
        let Some(route) = router.find(&exchange.method, &exchange.url) else {
            let path = router.api_path(&exchange.url);
            let allowed: Vec<String> = router
                .operations()
                .filter(|(m, t, _)| {
                    router
                        .find(m, &exchange.url)
                        .is_some_and(|r| r.template == *t)
                })
                .map(|(m, t, _)| format!("{m} {t}"))
                .collect();
            outcome.violations.push(self.violation(
                "operation",
                "",
                "/paths",
                if allowed.is_empty() {
                    "a path of the spec".to_owned()
                } else {
                    format!("one of: {}", allowed.join(", "))
                },
                format!("{} {path}", exchange.method),
            ));
            return outcome;
        };
        outcome.operation_id = Some(route.operation_id.to_owned());
        let op = &self.spec.operations()[route.index];
        let Some(response) = op.response_for(exchange.status) else {
            let declared: Vec<&str> = op.responses().iter().map(|r| r.status()).collect();
            outcome.violations.push(self.violation(
                "status",
                "",
                &format!("{}/responses", op.pointer()),
                format!("one of: {}", declared.join(", ")),
                exchange.status.to_string(),
            ));
            return outcome;
        };
        outcome.response = Some(response.status().to_owned());
        let check = &self.responses[&(route.index, response.status().to_owned())];
        match (check.schema, &exchange.body) {
            (Some(_), Body::Empty) => outcome.violations.push(self.violation(
                "content",
                "",
                &format!("{}/content", check.pointer),
                "a JSON body".into(),
                "no body".into(),
            )),
            (Some(_), Body::NotJson(text)) => outcome.violations.push(self.violation(
                "content",
                "",
                &format!("{}/content", check.pointer),
                "a JSON body".into(),
                format!(
                    "text that is not JSON: {}",
                    abbreviate(&Value::String(text.clone()))
                ),
            )),
            (Some(schema), Body::Json(body)) => {
                let validator = &self.schemas[&schema];
                outcome.drift = self.spec.drift(schema, body);
                // A `null` for an optional property is drift (clients read it as absent), so
                // the schema judges the body without those properties, as clients see it.
                let nulls: Vec<&str> = outcome
                    .drift
                    .iter()
                    .filter(|d| d.kind == DriftKind::NullNotNullable)
                    .map(|d| d.body_pointer.as_str())
                    .collect();
                let stripped;
                let body = if nulls.is_empty() {
                    body
                } else {
                    stripped = without(body, &nulls);
                    &stripped
                };
                if !validator.is_valid(body) {
                    for v in validator.violations(body) {
                        let expected = match v.keyword.as_str() {
                            "required" | "additionalProperties" => v.message.clone(),
                            _ => self
                                .spec
                                .pointer(&v.schema_path)
                                .map(abbreviate)
                                .unwrap_or_else(|| v.message.clone()),
                        };
                        let found = match v.keyword.as_str() {
                            "required" => "the property is absent".to_owned(),
                            _ => body
                                .pointer(&v.instance_path)
                                .map(abbreviate)
                                .unwrap_or_default(),
                        };
                        outcome.violations.push(self.violation(
                            &v.keyword,
                            &v.instance_path,
                            &v.schema_path,
                            expected,
                            found,
                        ));
                    }
                }
            }
            (None, Body::Empty) => {}
            (None, body) => outcome.violations.push(self.violation(
                "content",
                "",
                &check.pointer,
                "no body".into(),
                match body {
                    Body::Json(value) => abbreviate(value),
                    Body::NotJson(text) => abbreviate(&Value::String(text.clone())),
                    Body::Empty => String::new(),
                },
            )),
        }
        outcome
    }

    fn violation(
        &self,
        keyword: &str,
        body_pointer: &str,
        spec_pointer: &str,
        expected: String,
        found: String,
    ) -> Violation {
        Violation {
            keyword: keyword.to_owned(),
            body_pointer: body_pointer.to_owned(),
            spec_pointer: spec_pointer.to_owned(),
            spec_line: self.spec.line_of(spec_pointer),
            expected,
            found,
        }
    }
}

/// A value in compact JSON, cut short so that one line of a report holds it.
fn abbreviate(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 {
        text
    } else {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    }
}
