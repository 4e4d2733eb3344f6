//! Request checks drawn from the spec: every parameter and request body of an operation is
//! validated against the schema the spec gives it, and anything out of spec is answered
//! 400 `BAD_REQUEST` before any handler sees it.

use std::collections::HashMap;

use amazon_music_conformance::{SchemaValidator, Spec, SpecError, escape_pointer_token};
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde_json::Value;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    fn describe(self) -> &'static str {
        match self {
            Location::Path => "path parameter",
            Location::Query => "query parameter",
            Location::Header => "header",
        }
    }
}

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
    validator: SchemaValidator,
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
    /// The scope the operation needs.
    pub(crate) scope: String,
    params: Vec<ParamCheck>,
    body: Option<SchemaValidator>,
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

/// Every operation of the spec, compiled.
pub(crate) fn operations(spec: &Spec) -> Result<Vec<OperationSpec>, SpecError> {
    spec.operations()
        .iter()
        .map(|op| {
            let pointer = op.pointer().to_owned();
            let raw = spec
                .pointer(&pointer)
                .ok_or_else(|| SpecError::Pointer(pointer.clone()))?;
            let scope = raw
                .pointer("/security/0/loginWithAmazon/0")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut params = Vec::new();
            let count = raw
                .get("parameters")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                let mut at = format!("{pointer}/parameters/{i}");
                let mut param = spec
                    .pointer(&at)
                    .ok_or_else(|| SpecError::Pointer(at.clone()))?;
                if let Some(target) = param.get("$ref").and_then(Value::as_str) {
                    at = target.trim_start_matches('#').to_owned();
                    param = spec
                        .pointer(&at)
                        .ok_or_else(|| SpecError::Pointer(at.clone()))?;
                }
                let location = match param.get("in").and_then(Value::as_str) {
                    Some("path") => Location::Path,
                    Some("query") => Location::Query,
                    Some("header") => Location::Header,
                    _ => continue,
                };
                let schema_at = format!("{at}/schema");
                let shape = match schema_type(spec, &schema_at) {
                    Some("integer") => Shape::Integer,
                    Some("array") => Shape::CommaArray,
                    _ => Shape::String,
                };
                params.push(ParamCheck {
                    name: param
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    location,
                    required: param.get("required").and_then(Value::as_bool) == Some(true),
                    shape,
                    validator: SchemaValidator::at(spec, &schema_at)?,
                });
            }
            let body_at = format!(
                "{pointer}/requestBody/content/{}/schema",
                escape_pointer_token("application/json")
            );
            let body = match spec.pointer(&body_at) {
                Some(_) => Some(SchemaValidator::at(spec, &body_at)?),
                None => None,
            };
            Ok(OperationSpec {
                id: op.id().to_owned(),
                method: op.method(),
                path: op.path().to_owned(),
                scope,
                params,
                body,
            })
        })
        .collect()
}

/// The `type` of the schema at `pointer`, following `$ref`s.
fn schema_type<'a>(spec: &'a Spec, pointer: &str) -> Option<&'a str> {
    let mut schema = spec.pointer(pointer)?;
    while let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        schema = spec.pointer(target.trim_start_matches('#'))?;
    }
    schema.get("type").and_then(Value::as_str)
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
                Location::Header => match headers.get(&param.name) {
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
            if let Some(v) = param.validator.violations(&value).first() {
                return Err(ApiError::bad_request(format!(
                    "{kind} {}{}: {}",
                    param.name, v.instance_path, v.message
                )));
            }
            if param.location == Location::Query {
                checked.query.insert(param.name.clone(), value);
            }
        }
        if let Some(validator) = &self.body {
            checked.body = Some(check_body(validator, headers, body)?);
        }
        Ok(checked)
    }
}

fn check_body(
    validator: &SchemaValidator,
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
    if let Some(v) = validator.violations(&value).first() {
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

    /// The mock's spec has only string path parameters, which routing already guarantees;
    /// a path parameter of another type is still checked like a query parameter would be.
    #[test]
    fn path_parameters_are_checked_by_type() {
        let spec = Spec::from_yaml_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{n}:\n    get:\n\
             \x20     operationId: getThing\n      parameters:\n\
             \x20       - {name: n, in: path, required: true, schema: {type: integer}}\n\
             \x20     responses: {'200': {description: ok}}\n",
        )
        .unwrap();
        let ops = operations(&spec).unwrap();
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
}
