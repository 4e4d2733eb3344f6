//! Request checks drawn from the spec: every parameter and request body of an operation is
//! checked against the schema the spec gives it (the spec crate's value checks), and anything
//! out of spec is answered 400 `BAD_REQUEST` before any handler sees it.

use std::collections::HashMap;

use amazon_music_spec::{Location, SchemaId, Spec, SpecError, Type};
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde_json::Value;

use crate::error::ApiError;

/// How a parameter's text becomes the JSON value its schema judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    String,
    Integer,
    /// `style: form, explode: false`: one comma-separated value.
    CommaArray,
}

#[derive(Debug)]
struct ParamCheck {
    name: String,
    location: Location,
    required: bool,
    shape: Shape,
    schema: SchemaId,
}

/// One operation of the spec, with the checks its requests must pass.
#[derive(Debug)]
pub(crate) struct OperationSpec {
    /// The operationId.
    pub(crate) id: String,
    /// Upper-case HTTP method.
    pub(crate) method: &'static str,
    /// The spec's path template, without `/v1`.
    pub(crate) path: String,
    /// The scopes the operation needs.
    pub(crate) scopes: Vec<String>,
    /// The operation's position among the spec's.
    pub(crate) index: usize,
    params: Vec<ParamCheck>,
    body: Option<SchemaId>,
    spec: &'static Spec,
}

/// What a request carried, once checked: typed query values and the parsed body.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) query: HashMap<String, Value>,
    pub(crate) body: Option<Value>,
}

impl Checked {
    pub(crate) fn query_int(&self, name: &str) -> Option<i64> {
        self.query.get(name).and_then(Value::as_i64)
    }

    pub(crate) fn query_str(&self, name: &str) -> Option<&str> {
        self.query.get(name).and_then(Value::as_str)
    }

    pub(crate) fn query_list(&self, name: &str) -> Option<Vec<String>> {
        self.query.get(name).and_then(Value::as_array).map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
    }
}

/// Every operation of `spec`, with its checks; an error for a schema the checks cannot use.
pub(crate) fn operations(spec: &'static Spec) -> Result<Vec<OperationSpec>, SpecError> {
    spec.operations()
        .iter()
        .enumerate()
        .map(|(index, op)| {
            if let Some((_, broken)) = op.broken_refs().first() {
                return Err(SpecError::Schema {
                    pointer: broken.at.clone(),
                    message: format!("$ref {}: {}", broken.target, broken.reason),
                });
            }
            let mut params = Vec::new();
            for param in op.parameters() {
                if param.location() == Location::Cookie {
                    continue;
                }
                let schema = param
                    .schema()
                    .ok_or_else(|| SpecError::Pointer(format!("{}/schema", param.pointer())))?;
                usable(spec, schema)?;
                let shape = match spec.schemas()[schema].types().first() {
                    Some(Type::Integer) => Shape::Integer,
                    Some(Type::Array) => Shape::CommaArray,
                    _ => Shape::String,
                };
                params.push(ParamCheck {
                    name: param.name().to_owned(),
                    location: param.location(),
                    required: param.required(),
                    shape,
                    schema,
                });
            }
            let body = op
                .request_body()
                .and_then(|body| {
                    body.content()
                        .iter()
                        .find(|m| m.name() == "application/json")
                })
                .and_then(|media| media.schema());
            if let Some(schema) = body {
                usable(spec, schema)?;
            }
            Ok(OperationSpec {
                id: op.id().to_owned(),
                method: op.method(),
                path: op.path().to_owned(),
                scopes: op.scopes().to_vec(),
                index,
                params,
                body,
                spec,
            })
        })
        .collect()
}

/// Refuses a schema that reaches a `$ref` leading nowhere: requests could not be judged by it.
fn usable(spec: &Spec, schema: SchemaId) -> Result<(), SpecError> {
    match spec.schemas().broken_below(schema) {
        Some(broken) => Err(SpecError::Schema {
            pointer: broken.pointer().to_owned(),
            message: broken.broken().unwrap_or_default().to_owned(),
        }),
        None => Ok(()),
    }
}

impl OperationSpec {
    /// Checks a request's parameters and body against the spec.
    pub(crate) fn check(
        &self,
        path_params: &[(String, String)],
        query: Option<&str>,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Checked, ApiError> {
        let mut query_values: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            query_values
                .entry(name.into_owned())
                .or_default()
                .push(value.into_owned());
        }
        let mut checked = Checked::default();
        for param in &self.params {
            let kind = param.location.describe();
            let text: Option<String> = match param.location {
                Location::Path => path_params
                    .iter()
                    .find(|(n, _)| *n == param.name)
                    .map(|(_, v)| v.clone()),
                Location::Query => match query_values.get(&param.name).map(Vec::as_slice) {
                    None => None,
                    Some([one]) => Some(one.clone()),
                    Some(_) => {
                        return Err(ApiError::bad_request(format!(
                            "{kind} {} is given more than once; send one comma-separated value",
                            param.name
                        )));
                    }
                },
                Location::Header | Location::Cookie => match headers.get(&param.name) {
                    None => None,
                    Some(v) => Some(
                        v.to_str()
                            .map_err(|_| {
                                ApiError::bad_request(format!(
                                    "{kind} {} is not visible ASCII",
                                    param.name
                                ))
                            })?
                            .to_owned(),
                    ),
                },
            };
            let Some(text) = text else {
                if param.required {
                    return Err(ApiError::bad_request(format!(
                        "{kind} {} is required",
                        param.name
                    )));
                }
                continue;
            };
            let value = match param.shape {
                Shape::String => Value::String(text),
                Shape::Integer => match text.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => {
                        return Err(ApiError::bad_request(format!(
                            "{kind} {} must be an integer, not {text:?}",
                            param.name
                        )));
                    }
                },
                Shape::CommaArray => Value::Array(
                    text.split(',')
                        .map(|s| Value::String(s.to_owned()))
                        .collect(),
                ),
            };
            if let Err(v) = self.spec.schemas().check(param.schema, &value) {
                return Err(ApiError::bad_request(format!(
                    "{kind} {}{}: {}",
                    param.name, v.instance_path, v.message
                )));
            }
            if param.location == Location::Query {
                checked.query.insert(param.name.clone(), value);
            }
        }
        if let Some(schema) = self.body {
            checked.body = Some(check_body(self.spec, schema, headers, body)?);
        }
        Ok(checked)
    }
}

fn check_body(
    spec: &Spec,
    schema: SchemaId,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Value, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::bad_request(format!(
            "the request body must be sent as application/json, not {:?}",
            content_type
        )));
    }
    if body.is_empty() {
        return Err(ApiError::bad_request("a JSON request body is required"));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))?;
    if let Err(v) = spec.schemas().check(schema, &value) {
        let at = if v.instance_path.is_empty() {
            "/"
        } else {
            &v.instance_path
        };
        return Err(ApiError::bad_request(format!(
            "request body {at}: {}",
            v.message
        )));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec made for one test, for as long as the test process runs (the checks hold on to
    /// it, as the server's hold on to the embedded one).
    fn leak(yaml: &str) -> &'static Spec {
        Box::leak(Box::new(Spec::from_yaml_str(yaml).unwrap()))
    }

    fn check(op: &OperationSpec, query: Option<&str>, body: &str) -> Result<Checked, ApiError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        let path = [("sessionId".to_owned(), "s1".to_owned())];
        op.check(&path, query, &headers, &Bytes::from(body.to_owned()))
    }

    /// The mock's spec has only string path parameters, which routing already guarantees;
    /// a path parameter of another type is still checked like a query parameter would be.
    #[test]
    fn path_parameters_are_checked_by_type() {
        let spec = leak(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{n}:\n    get:\n\
             \x20     operationId: getThing\n      parameters:\n\
             \x20       - {name: n, in: path, required: true, schema: {type: integer}}\n\
             \x20     responses: {'200': {description: ok}}\n",
        );
        let ops = operations(spec).unwrap();
        let check = |n: &str| {
            ops[0].check(
                &[("n".to_owned(), n.to_owned())],
                None,
                &HeaderMap::new(),
                &Bytes::new(),
            )
        };
        let refused = check("abc").unwrap_err();
        assert_eq!(
            refused.message,
            "path parameter n must be an integer, not \"abc\""
        );
        assert!(check("12").is_ok());
    }

    /// What the embedded spec asks of requests is checked, each refusal naming the place.
    #[test]
    fn the_embedded_specs_bounds_enums_and_formats_are_checked() {
        let spec = Spec::embedded().unwrap();
        let ops = operations(spec).unwrap();
        let op = |id: &str| ops.iter().find(|o| o.id == id).unwrap();
        let library = op("getLibraryAlbums");
        assert!(check(library, Some("limit=100"), "").is_ok());
        let refused = check(library, Some("limit=101"), "").unwrap_err();
        assert_eq!(
            refused.message,
            "query parameter limit: 101 is greater than the maximum of 100"
        );
        let refused = check(op("getAlbums"), Some("ids=a,,b"), "").unwrap_err();
        assert_eq!(
            refused.message,
            "query parameter ids/1: \"\" is shorter than 1 characters"
        );
        let event = op("reportPlaybackEvent");
        let body = |timestamp: &str| {
            serde_json::json!({"metricId": "m", "event": {"type": "PLAYBACK_STARTED",
                "sessionId": "s", "entityReferenceId": "e", "timestamp": timestamp}})
            .to_string()
        };
        assert!(check(event, None, &body("2026-01-01T00:00:00Z")).is_ok());
        let refused = check(event, None, &body("yesterday")).unwrap_err();
        assert_eq!(
            refused.message,
            "request body /event/timestamp: \"yesterday\" is not a \"date-time\""
        );
        let refused = check(op("setLoopMode"), None, r#"{"loopMode": "LOOP_ON"}"#).unwrap_err();
        assert!(
            refused
                .message
                .starts_with("request body /loopMode: \"LOOP_ON\" is not one of"),
            "{}",
            refused.message
        );
        let refused = check(op("createPlaybackSession"), None, r#"{"playParams": {}}"#);
        assert_eq!(
            refused.unwrap_err().message,
            "request body /playParams: 0 members are fewer than the 1 required"
        );
        assert_eq!(op("getAlbum").scopes, ["music::catalog"]);
    }

    #[test]
    fn a_schema_that_leads_nowhere_is_refused_when_the_checks_are_made() {
        let spec = leak(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n\
             \x20     operationId: getThings\n      parameters:\n\
             \x20       - {name: n, in: query, schema: {$ref: '#/nowhere'}}\n\
             \x20     responses: {'200': {description: ok}}\n",
        );
        let error = operations(spec).unwrap_err().to_string();
        assert!(error.contains("#/nowhere"), "{error}");
    }
}
