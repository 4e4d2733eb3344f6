//! Pre-generation checks: refuse, with a message naming the operation, any spec that progenitor
//! cannot take or would panic on, before progenitor ever sees it.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};
use serde_json::Value;

/// The media type every body of this API uses; progenitor supports a few others, but a second
/// one appearing here would be a spec mistake, not a feature.
const JSON: &str = "application/json";

/// One reason the spec cannot be generated from.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    /// `operationId (METHOD /path)`, or the document location when no operation is involved.
    pub at: String,
    /// What is wrong, in words a spec author can act on.
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// Every problem of `raw` (the document as JSON) that would stop or crash the generator.
pub fn check(raw: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let version = raw.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        problems.push(Problem {
            at: "/openapi".into(),
            reason: format!("OpenAPI version {version:?}: progenitor takes only 3.0.x"),
        });
        return problems;
    }
    external_refs(raw, "", &mut problems);
    let api: OpenAPI = match serde_json::from_value(raw.clone()) {
        Ok(api) => api,
        Err(e) => {
            problems.push(Problem {
                at: "document".into(),
                reason: format!("not a valid OpenAPI 3.0 document: {e}"),
            });
            return problems;
        }
    };
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            problems.push(Problem {
                at: format!("path {path}"),
                reason: "a path item given by $ref is not supported by the generator".into(),
            });
            continue;
        };
        for (method, op) in item.iter() {
            let route = format!("{} {path}", method.to_uppercase());
            let Some(id) = op.operation_id.as_deref() else {
                problems.push(Problem {
                    at: route,
                    reason: "no operationId".into(),
                });
                continue;
            };
            let at = format!("{id} ({route})");
            if !is_identifier(id) {
                problems.push(problem(&at, "operationId must be an ASCII identifier (letters and digits, starting with a letter)"));
            }
            if let Some(first) = ids.insert(id.to_owned(), route.clone()) {
                problems.push(problem(&at, &format!("operationId also used by {first}")));
            }
            check_operation(&api, op, &at, &mut problems);
        }
    }
    problems
}

fn check_operation(api: &OpenAPI, op: &openapiv3::Operation, at: &str, out: &mut Vec<Problem>) {
    for param in &op.parameters {
        let Some(param) = resolve_parameter(api, param) else {
            out.push(problem(at, "a parameter $ref does not resolve"));
            continue;
        };
        match param {
            Parameter::Cookie { parameter_data, .. } => out.push(problem(
                at,
                &format!("cookie parameter {} is not supported", parameter_data.name),
            )),
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                if parameter_data.explode != Some(false) && is_array(api, &parameter_data.format) {
                    out.push(problem(
                        at,
                        &format!(
                            "query parameter {}: an exploded array (the default for style form) has no adaptation for the httpmock helpers; declare explode: false",
                            parameter_data.name
                        ),
                    ));
                }
                if !matches!(style, QueryStyle::Form) {
                    out.push(problem(
                        at,
                        &format!(
                            "query parameter {}: only style form is supported",
                            parameter_data.name
                        ),
                    ));
                }
                if matches!(parameter_data.format, ParameterSchemaOrContent::Content(_)) {
                    out.push(problem(
                        at,
                        &format!(
                            "query parameter {} uses content instead of schema",
                            parameter_data.name
                        ),
                    ));
                }
            }
            Parameter::Path { parameter_data, .. } if !parameter_data.required => {
                out.push(problem(
                    at,
                    &format!("path parameter {} must be required", parameter_data.name),
                ))
            }
            _ => {}
        }
    }
    if let Some(body) = &op.request_body {
        match body {
            ReferenceOr::Item(body) => media_types(body.content.keys(), at, "request body", out),
            ReferenceOr::Reference { .. } => {
                out.push(problem(at, "a request body given by $ref is not supported"))
            }
        }
    }
    let mut success_bodies = BTreeMap::new();
    for (status, response) in &op.responses.responses {
        let ReferenceOr::Item(response) = response else {
            // Shared responses are resolved by the generator itself; check the target here.
            let Some(target) = resolve_response(api, response) else {
                out.push(problem(
                    at,
                    &format!("response {status}: $ref does not resolve"),
                ));
                continue;
            };
            media_types(
                target.content.keys(),
                at,
                &format!("response {status}"),
                out,
            );
            continue;
        };
        media_types(
            response.content.keys(),
            at,
            &format!("response {status}"),
            out,
        );
        if status.to_string().starts_with('2') {
            let schema = response
                .content
                .get(JSON)
                .and_then(|media| media.schema.as_ref())
                .map(|schema| format!("{schema:?}"));
            success_bodies.insert(status.to_string(), schema);
        }
    }
    let kinds: std::collections::BTreeSet<_> = success_bodies.values().collect();
    if kinds.len() > 1 {
        out.push(problem(
            at,
            &format!(
                "more than one kind of success response ({}): the generator needs one success type",
                success_bodies
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
}

/// Whether a parameter's schema is an array (following one `$ref`).
pub(super) fn is_array(api: &OpenAPI, format: &ParameterSchemaOrContent) -> bool {
    let ParameterSchemaOrContent::Schema(schema) = format else {
        return false;
    };
    let schema = match schema {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| api.components.as_ref()?.schemas.get(name))
            .and_then(ReferenceOr::as_item),
    };
    matches!(
        schema.map(|s| &s.schema_kind),
        Some(openapiv3::SchemaKind::Type(openapiv3::Type::Array(_)))
    )
}

fn media_types<'a>(
    types: impl Iterator<Item = &'a String>,
    at: &str,
    what: &str,
    out: &mut Vec<Problem>,
) {
    for media in types {
        if media != JSON {
            out.push(problem(
                at,
                &format!("{what}: unsupported media type {media} (only {JSON})"),
            ));
        }
    }
}

fn resolve_parameter<'a>(
    api: &'a OpenAPI,
    param: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match param {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            api.components.as_ref()?.parameters.get(name)?.as_item()
        }
    }
}

fn resolve_response<'a>(
    api: &'a OpenAPI,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a openapiv3::Response> {
    match response {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            api.components.as_ref()?.responses.get(name)?.as_item()
        }
    }
}

/// The generator resolves only references inside the document.
fn external_refs(value: &Value, at: &str, out: &mut Vec<Problem>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) if !target.starts_with("#/") => {
                        out.push(Problem {
                            at: at.to_owned(),
                            reason: format!("$ref {target} points outside the document"),
                        })
                    }
                    _ => external_refs(v, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                external_refs(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

fn problem(at: &str, reason: &str) -> Problem {
    Problem {
        at: at.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(paths: &str) -> Value {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        serde_yaml::from_str(&text).unwrap()
    }

    fn reasons(paths: &str) -> Vec<String> {
        check(&spec(paths))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_project_spec_passes() {
        let path = crate::workspace_root().join("spec/openapi.yaml");
        let raw: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(check(&raw), vec![]);
    }

    #[test]
    fn wrong_version_is_refused() {
        let raw: Value =
            serde_yaml::from_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}")
                .unwrap();
        let problems = check(&raw);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].reason.contains("3.1.0"), "{}", problems[0]);
    }

    #[test]
    fn missing_and_duplicate_operation_ids_name_the_route() {
        let found = reasons(
            "  /a:\n    get: {responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: x, responses: {'200': {description: ok}}}\n  /c:\n    get: {operationId: x, responses: {'200': {description: ok}}}\n",
        );
        assert_eq!(
            found,
            vec![
                "GET /a: no operationId".to_owned(),
                "x (GET /c): operationId also used by GET /b".to_owned(),
            ]
        );
    }

    #[test]
    fn two_kinds_of_success_and_foreign_media_types_are_refused() {
        let found = reasons(concat!(
            "  /a:\n    get:\n      operationId: a\n      responses:\n",
            "        '200': {description: ok, content: {application/json: {schema: {type: string}}}}\n",
            "        '201': {description: ok, content: {application/json: {schema: {type: integer}}}}\n",
            "        '400': {description: no, content: {text/html: {schema: {type: string}}}}\n",
        ));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("a (GET /a): response 400: unsupported media type text/html"),
            "{found:?}"
        );
        assert!(
            found[1].contains("more than one kind of success response (200, 201)"),
            "{found:?}"
        );
    }

    #[test]
    fn cookie_parameters_external_refs_and_bad_ids_are_refused() {
        let found = reasons(concat!(
            "  /a:\n    get:\n      operationId: get-a\n",
            "      parameters: [{name: c, in: cookie, schema: {type: string}}]\n",
            "      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: 'other.yaml#/X'}}}}}\n",
        ));
        assert!(
            found
                .iter()
                .any(|p| p.contains("points outside the document")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("get-a (GET /a): operationId must be an ASCII identifier")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("cookie parameter c is not supported")),
            "{found:?}"
        );
    }
}
