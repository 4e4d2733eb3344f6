//! Pre-generation checks: refuse, with a message naming the operation, any spec that progenitor
//! cannot take or would panic on, before progenitor ever sees it.

use std::collections::BTreeMap;

use amazon_music_spec::{Location, MediaType, Operation, Part, Spec, SpecError, Style, Type};

/// The media type every body of this API uses; progenitor supports a few others, but a second
/// one appearing here would be a spec mistake, not a feature.
const JSON: &str = "application/json";

/// Schemas the generated crate implements by hand instead of generating, as `(component name,
/// Rust type)`. progenitor checks a string's `pattern` with the `regress` engine, which would
/// cost every dependant's build several seconds; the spec's only pattern is a three-digit
/// status code, cheaper checked by hand.
pub const HAND_WRITTEN: [(&str, &str); 1] = [("HttpStatus", "crate::HttpStatus")];

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

/// The spec in `text`, or why it is not a document the generator can even look at.
pub fn load(text: &str) -> Result<Spec, Vec<Problem>> {
    Spec::from_yaml_str(text).map_err(|error| {
        vec![match error {
            SpecError::Version(version) => Problem {
                at: "/openapi".into(),
                reason: format!("OpenAPI version {version:?}: progenitor takes only 3.0.x"),
            },
            other => Problem {
                at: "document".into(),
                reason: format!("not a valid OpenAPI 3.0 document: {other}"),
            },
        }]
    })
}

/// Every problem of `spec` that would stop or crash the generator.
pub fn check(spec: &Spec) -> Vec<Problem> {
    let mut problems = Vec::new();
    // The generator resolves only references inside the document.
    for broken in spec.broken_refs() {
        if !broken.target.starts_with('#') {
            problems.push(Problem {
                at: broken.at.clone(),
                reason: format!("$ref {} points outside the document", broken.target),
            });
        }
    }
    for path in spec.path_item_refs() {
        problems.push(Problem {
            at: format!("path {path}"),
            reason: "a path item given by $ref is not supported by the generator".into(),
        });
    }
    for (_, schema) in spec.schemas().iter() {
        let hand_written = HAND_WRITTEN
            .iter()
            .any(|(name, _)| schema.pointer() == format!("/components/schemas/{name}"));
        if schema.pattern().is_some() && !hand_written {
            problems.push(problem(
                schema.pointer(),
                "a `pattern` is checked only by the crate's hand-written types (see \
                 `HAND_WRITTEN` in xtask/src/generate/checks.rs): make the schema a component \
                 and give it a hand-written type, or the generated crate needs a \
                 regular-expression engine",
            ));
        }
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for op in spec.operations() {
        let route = format!("{} {}", op.method(), op.path());
        let Some(id) = op.operation_id() else {
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
        check_operation(spec, op, &at, &mut problems);
    }
    problems
}

fn check_operation(spec: &Spec, op: &Operation, at: &str, out: &mut Vec<Problem>) {
    for (part, _) in op.broken_refs() {
        match part {
            Part::Parameter(_) => out.push(problem(at, "a parameter $ref does not resolve")),
            Part::RequestBody => {
                out.push(problem(at, "a request body given by $ref is not supported"))
            }
            Part::Response(status) => out.push(problem(
                at,
                &format!("response {status}: $ref does not resolve"),
            )),
        }
    }
    for param in op.parameters() {
        let name = param.name();
        match param.location() {
            Location::Cookie => out.push(problem(
                at,
                &format!("cookie parameter {name} is not supported"),
            )),
            Location::Query => {
                if param.explode() && is_array(spec, param.schema()) {
                    out.push(problem(
                        at,
                        &format!(
                            "query parameter {name}: an exploded array (the default for style form) has no adaptation for the httpmock helpers; declare explode: false"
                        ),
                    ));
                }
                if param.style() != Style::Form {
                    out.push(problem(
                        at,
                        &format!("query parameter {name}: only style form is supported"),
                    ));
                }
                if param.by_content() {
                    out.push(problem(
                        at,
                        &format!("query parameter {name} uses content instead of schema"),
                    ));
                }
            }
            Location::Path if !param.required() => out.push(problem(
                at,
                &format!("path parameter {name} must be required"),
            )),
            _ => {}
        }
    }
    if let Some(body) = op.request_body() {
        if body.reference().is_some() {
            out.push(problem(at, "a request body given by $ref is not supported"));
        } else {
            media_types(body.content(), at, "request body", out);
        }
    }
    let mut success_bodies = BTreeMap::new();
    for response in op.responses() {
        let status = response.status();
        media_types(response.content(), at, &format!("response {status}"), out);
        // Shared responses are resolved by the generator itself.
        if response.reference().is_none() && status.starts_with('2') {
            // Compared as written: the same `$ref`, or the same inline schema.
            let schema = response
                .content()
                .iter()
                .find(|m| m.name() == JSON)
                .and_then(|m| spec.pointer(&format!("{}/schema", m.pointer())));
            success_bodies.insert(status.to_owned(), schema);
        }
    }
    let mut kinds = Vec::new();
    for kind in success_bodies.values() {
        if !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }
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

/// Whether a parameter's schema is an array.
pub(super) fn is_array(spec: &Spec, schema: Option<amazon_music_spec::SchemaId>) -> bool {
    schema.is_some_and(|id| spec.schemas()[id].types() == [Type::Array])
}

fn media_types(content: &[MediaType], at: &str, what: &str, out: &mut Vec<Problem>) {
    for media in content {
        if media.name() != JSON {
            out.push(problem(
                at,
                &format!(
                    "{what}: unsupported media type {} (only {JSON})",
                    media.name()
                ),
            ));
        }
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

    fn spec(paths: &str) -> Spec {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        load(&text).unwrap()
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
        let spec = load(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(check(&spec), vec![]);
    }

    #[test]
    fn a_pattern_outside_the_hand_written_types_is_refused() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n\
                    components:\n  schemas:\n\
                    \x20   HttpStatus: {type: string, pattern: '^[1-5][0-9][0-9]$'}\n\
                    \x20   Code: {type: string, pattern: '^[A-Z]+$'}\n";
        let problems = check(&load(text).unwrap());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].at, "/components/schemas/Code");
        assert!(problems[0].reason.contains("pattern"), "{}", problems[0]);
    }

    #[test]
    fn wrong_version_and_a_broken_document_are_refused() {
        let problems =
            load("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at, "/openapi");
        assert!(problems[0].reason.contains("3.1.0"), "{}", problems[0]);
        let problems = load("openapi: 3.0.3\ninfo: {}\n").unwrap_err();
        assert_eq!(problems[0].at, "document", "{}", problems[0]);
    }

    #[test]
    fn exploded_arrays_other_styles_and_optional_path_parameters_are_refused() {
        let found = reasons(concat!(
            "  /a/{p}:\n    get:\n      operationId: a\n      parameters:\n",
            "        - {name: p, in: path, required: false, schema: {type: string}}\n",
            "        - {name: ids, in: query, schema: {type: array, items: {type: string}}}\n",
            "        - {name: csv, in: query, explode: false, schema: {type: array, items: {type: string}}}\n",
            "        - {name: deep, in: query, style: deepObject, schema: {type: object}}\n",
            "      responses: {'200': {description: ok}}\n",
        ));
        assert_eq!(
            found,
            vec![
                "a (GET /a/{p}): path parameter p must be required".to_owned(),
                "a (GET /a/{p}): query parameter ids: an exploded array (the default for style form) has no adaptation for the httpmock helpers; declare explode: false".to_owned(),
                "a (GET /a/{p}): query parameter deep: only style form is supported".to_owned(),
            ]
        );
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
