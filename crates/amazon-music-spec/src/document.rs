//! Reading the document: YAML text to JSON, JSON to the model, once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::drift_model::DriftModel;
use crate::operation::{
    Example, Location, MediaType, Operation, Parameter, Part, RequestBody, Requirement, Response,
    Style,
};
use crate::pointer::{BrokenRef, Resolved, join, resolve};
use crate::routing::Router;
use crate::schema::{SchemaId, Schemas};
use crate::source_map::LineIndex;
use crate::{SPEC_YAML, SpecError};

/// The methods a path item may hold, in the order operations are listed.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A security scheme of `components/securitySchemes`.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    name: String,
    kind: SchemeKind,
}

impl SecurityScheme {
    /// Its name, which requirements refer to it by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What kind of scheme it is.
    pub fn kind(&self) -> &SchemeKind {
        &self.kind
    }
}

/// The kinds of security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// A key in a header, query parameter or cookie.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: String,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// HTTP authentication, such as `bearer`.
    Http {
        /// The scheme, such as `bearer`.
        scheme: String,
    },
    /// OAuth 2.
    OAuth2 {
        /// Its flows, in key order.
        flows: Vec<OAuthFlow>,
    },
    /// OpenID Connect.
    OpenIdConnect,
    /// A type this model does not know.
    Other(String),
}

/// One OAuth 2 flow of a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthFlow {
    /// `authorizationCode`, `implicit`, `password` or `clientCredentials`.
    pub kind: String,
    /// The scopes it declares, with what each grants, in key order.
    pub scopes: Vec<(String, String)>,
}

/// The curated OpenAPI document, parsed once and its `$ref`s resolved once into a typed model.
///
/// The raw JSON stays at hand ([`Spec::raw`], [`Spec::pointer`]) for pointers into the document
/// and for checks of the spec itself; everything else reads the model.
#[derive(Debug, Clone)]
pub struct Spec {
    raw: Value,
    api: openapiv3::OpenAPI,
    lines: LineIndex,
    base_path: String,
    operations: Vec<Operation>,
    by_id: HashMap<String, usize>,
    schemas: Schemas,
    components: Vec<(String, SchemaId)>,
    schemes: Vec<SecurityScheme>,
    references: Vec<(String, String)>,
    broken: Vec<BrokenRef>,
    path_item_refs: Vec<String>,
    router: Router,
    /// The schemas compiled for finding drift (`Spec::drift_in`).
    drift_model: DriftModel,
}

impl Spec {
    /// Parses an OpenAPI 3.0.x document from YAML (or JSON, which is YAML too).
    pub fn from_yaml_str(text: &str) -> Result<Self, SpecError> {
        let raw: Value =
            serde_norway::from_str(text).map_err(|e| SpecError::Parse(e.to_string()))?;
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

    /// The built-in spec ([`SPEC_YAML`]), parsed once per process.
    pub fn embedded() -> Result<&'static Spec, &'static SpecError> {
        static EMBEDDED: OnceLock<Result<Spec, SpecError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Spec::from_yaml_str(SPEC_YAML))
            .as_ref()
    }

    /// Builds the model from an already parsed JSON value.
    pub fn from_value(raw: Value) -> Result<Self, SpecError> {
        let version = raw.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("3.0.") {
            return Err(SpecError::Version(version.to_owned()));
        }
        let api: openapiv3::OpenAPI =
            serde_json::from_value(raw.clone()).map_err(|e| SpecError::Parse(e.to_string()))?;
        let base_path = api
            .servers
            .first()
            .map(|server| {
                crate::routing::path_of(&server.url)
                    .trim_end_matches('/')
                    .to_owned()
            })
            .unwrap_or_default();
        let mut builder = Builder {
            raw: &raw,
            schemas: Schemas::default(),
        };
        let components = builder.components()?;
        let schemes = builder.schemes()?;
        let (operations, path_item_refs) = builder.operations()?;
        let mut references = Vec::new();
        collect_refs(&raw, "", &mut references);
        let broken = references
            .iter()
            .filter_map(|(at, target)| broken_ref(&raw, at, target))
            .collect();
        let by_id = operations
            .iter()
            .enumerate()
            .filter_map(|(i, op)| Some((op.operation_id()?.to_owned(), i)))
            .collect();
        let router = Router::build(base_path.clone(), &operations);
        let drift_model = DriftModel::compile(&builder.schemas);
        Ok(Self {
            drift_model,
            schemas: builder.schemas,
            raw,
            api,
            lines: LineIndex::default(),
            base_path,
            operations,
            by_id,
            components,
            schemes,
            references,
            broken,
            path_item_refs,
            router,
        })
    }

    /// The document as raw JSON.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The value at a JSON pointer (RFC 6901) into the document.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }

    /// The 1-based line of the text where the value at `pointer` (or its nearest ancestor with a
    /// line of its own) starts; `None` for a spec built from a value rather than text.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.line_of(pointer)
    }

    /// The document as typed `openapiv3` structures: the code generator's input.
    pub fn openapi(&self) -> &openapiv3::OpenAPI {
        &self.api
    }

    /// `openapi`: the OpenAPI version, such as `3.0.3`.
    pub fn openapi_version(&self) -> &str {
        &self.api.openapi
    }

    /// `info.version`: the document's own version.
    pub fn version(&self) -> &str {
        &self.api.info.version
    }

    /// The URLs of `servers`, in order.
    pub fn servers(&self) -> Vec<&str> {
        self.api.servers.iter().map(|s| s.url.as_str()).collect()
    }

    /// The path of the first server URL, without a trailing slash (`/v1`): what request paths
    /// start with.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Every operation, by path template in key order, then by method (`get`, `put`, `post`,
    /// `delete`, `options`, `head`, `patch`, `trace`).
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.by_id.get(id).map(|i| &self.operations[*i])
    }

    /// The schemas compiled for finding drift.
    pub(crate) fn drift_model(&self) -> &DriftModel {
        &self.drift_model
    }

    /// Every schema.
    pub fn schemas(&self) -> &Schemas {
        &self.schemas
    }

    /// The schema at `pointer` (following `$ref`s), if the model has it: every component
    /// schema, every schema of a parameter, request or response, and everything they reach.
    pub fn schema_at(&self, pointer: &str) -> Option<SchemaId> {
        self.schemas
            .at(pointer)
            .or_else(|| match resolve(&self.raw, pointer) {
                Resolved::Found(resolved, _) => self.schemas.at(&resolved),
                _ => None,
            })
    }

    /// The schemas of `components/schemas`, by name in key order.
    pub fn component_schemas(&self) -> &[(String, SchemaId)] {
        &self.components
    }

    /// The component schema called `name`.
    pub fn component_schema(&self, name: &str) -> Option<SchemaId> {
        self.components
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }

    /// Every property name declared by the component schemas, sorted: the field names a
    /// response may carry, for example to steer generated test input.
    pub fn property_names(&self) -> Vec<String> {
        let mut names = std::collections::BTreeSet::new();
        for (_, id) in &self.components {
            names.extend(
                self.schemas[*id]
                    .properties()
                    .iter()
                    .map(|(n, _)| n.clone()),
            );
        }
        names.into_iter().collect()
    }

    /// The security schemes, by name in key order.
    pub fn security_schemes(&self) -> &[SecurityScheme] {
        &self.schemes
    }

    /// The security scheme called `name`.
    pub fn security_scheme(&self, name: &str) -> Option<&SecurityScheme> {
        self.schemes.iter().find(|s| s.name == name)
    }

    /// Every scope the OAuth 2 schemes declare, with what it grants, each once, in scheme,
    /// flow and key order.
    pub fn scopes(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for scheme in &self.schemes {
            let SchemeKind::OAuth2 { flows } = &scheme.kind else {
                continue;
            };
            for (scope, grants) in flows.iter().flat_map(|f| &f.scopes) {
                if !out.iter().any(|(s, _)| s == scope) {
                    out.push((scope, grants));
                }
            }
        }
        out
    }

    /// Every `$ref` of the document, as (pointer of the object holding it, its text), in
    /// document order.
    pub fn references(&self) -> &[(String, String)] {
        &self.references
    }

    /// Every `$ref` of the document that cannot be followed.
    pub fn broken_refs(&self) -> &[BrokenRef] {
        &self.broken
    }

    /// The path templates whose path item is a `$ref`; their operations are not in the model.
    pub fn path_item_refs(&self) -> &[String] {
        &self.path_item_refs
    }

    /// The routing table of every operation.
    pub fn router(&self) -> &Router {
        &self.router
    }
}

/// Every `$ref` under `value`, with where it is.
fn collect_refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push((at.to_owned(), target.clone()));
            }
            for (key, v) in map {
                collect_refs(v, &join(at, key), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_refs(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Whether the `$ref` at `at` leads nowhere, judged by its own first step (so that a chain
/// broken further on is reported once, where it breaks).
fn broken_ref(raw: &Value, at: &str, target: &str) -> Option<BrokenRef> {
    let broken = |reason: &str| {
        Some(BrokenRef {
            at: at.to_owned(),
            target: target.to_owned(),
            reason: reason.to_owned(),
        })
    };
    let Some(local) = target.strip_prefix('#') else {
        return broken("the $ref points outside the document");
    };
    if raw.pointer(local).is_none() {
        return broken("the $ref names nothing in the document");
    }
    match resolve(raw, at) {
        Resolved::Broken { reason, .. } if reason.contains("loop") => broken(reason),
        _ => None,
    }
}

/// What the model is made from, while it is being made.
struct Builder<'d> {
    raw: &'d Value,
    schemas: Schemas,
}

fn malformed(pointer: &str, what: &str) -> SpecError {
    SpecError::Parse(format!("{pointer}: {what}"))
}

impl<'d> Builder<'d> {
    fn object(&self, pointer: &str) -> Option<&'d Map<String, Value>> {
        self.raw.pointer(pointer).and_then(Value::as_object)
    }

    fn components(&mut self) -> Result<Vec<(String, SchemaId)>, SpecError> {
        let mut out = Vec::new();
        let Some(schemas) = self.object("/components/schemas") else {
            return Ok(out);
        };
        for name in schemas.keys() {
            let id = self
                .schemas
                .build(self.raw, &join("/components/schemas", name))?;
            out.push((name.clone(), id));
        }
        Ok(out)
    }

    fn schemes(&self) -> Result<Vec<SecurityScheme>, SpecError> {
        let mut out = Vec::new();
        let Some(schemes) = self.object("/components/securitySchemes") else {
            return Ok(out);
        };
        for name in schemes.keys() {
            let Resolved::Found(at, scheme) =
                resolve(self.raw, &join("/components/securitySchemes", name))
            else {
                continue;
            };
            let text = |key: &str| {
                scheme
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let kind = match text("type").as_str() {
                "apiKey" => SchemeKind::ApiKey {
                    location: text("in"),
                    name: text("name"),
                },
                "http" => SchemeKind::Http {
                    scheme: text("scheme"),
                },
                "oauth2" => {
                    let mut flows = Vec::new();
                    for (kind, flow) in self.object(&join(&at, "flows")).into_iter().flatten() {
                        let scopes = flow
                            .get("scopes")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flatten()
                            .map(|(scope, grants)| {
                                (
                                    scope.clone(),
                                    grants.as_str().unwrap_or_default().to_owned(),
                                )
                            })
                            .collect();
                        flows.push(OAuthFlow {
                            kind: kind.clone(),
                            scopes,
                        });
                    }
                    SchemeKind::OAuth2 { flows }
                }
                "openIdConnect" => SchemeKind::OpenIdConnect,
                other => SchemeKind::Other(other.to_owned()),
            };
            out.push(SecurityScheme {
                name: name.clone(),
                kind,
            });
        }
        Ok(out)
    }

    fn operations(&mut self) -> Result<(Vec<Operation>, Vec<String>), SpecError> {
        let mut operations = Vec::new();
        let mut by_ref = Vec::new();
        let document_security = self.raw.get("security");
        for (path, item) in self.object("/paths").into_iter().flatten() {
            let item_at = join("/paths", path);
            let Some(item) = item.as_object() else {
                return Err(malformed(&item_at, "a path item must be a mapping"));
            };
            if item.contains_key("$ref") {
                by_ref.push(path.clone());
                continue;
            }
            for method in METHODS {
                if !item.contains_key(method) {
                    continue;
                }
                let at = join(&item_at, method);
                let mut op = self.operation(path, method, &at, document_security)?;
                self.parameters(&mut op, &join(&at, "parameters"), false)?;
                self.parameters(&mut op, &join(&item_at, "parameters"), true)?;
                operations.push(op);
            }
        }
        Ok((operations, by_ref))
    }

    fn operation(
        &mut self,
        path: &str,
        method: &'static str,
        at: &str,
        document_security: Option<&Value>,
    ) -> Result<Operation, SpecError> {
        let raw = self
            .object(at)
            .ok_or_else(|| malformed(at, "an operation must be a mapping"))?;
        let mut op = Operation {
            id: raw
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            summary: raw
                .get("summary")
                .and_then(Value::as_str)
                .map(str::to_owned),
            tags: raw
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            method: method_name(method),
            path: path.to_owned(),
            pointer: at.to_owned(),
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: None,
            scopes: Vec::new(),
            broken: Vec::new(),
        };
        if raw.contains_key("requestBody") {
            let body_at = join(at, "requestBody");
            match resolve(self.raw, &body_at) {
                Resolved::Found(resolved, body) => {
                    op.request_body = Some(RequestBody {
                        content: self.content(&resolved)?,
                        required: body.get("required") == Some(&Value::Bool(true)),
                        reference: reference(self.raw, &body_at),
                        pointer: resolved,
                    });
                }
                Resolved::Broken { at, target, reason } => op.broken.push((
                    Part::RequestBody,
                    BrokenRef {
                        at,
                        target,
                        reason: reason.to_owned(),
                    },
                )),
                Resolved::Missing => {}
            }
        }
        for status in self
            .object(&join(at, "responses"))
            .into_iter()
            .flat_map(Map::keys)
        {
            let response_at = join(&join(at, "responses"), status);
            match resolve(self.raw, &response_at) {
                Resolved::Found(resolved, _) => op.responses.push(Response {
                    status: status.clone(),
                    content: self.content(&resolved)?,
                    reference: reference(self.raw, &response_at),
                    pointer: resolved,
                }),
                Resolved::Broken { at, target, reason } => op.broken.push((
                    Part::Response(status.clone()),
                    BrokenRef {
                        at,
                        target,
                        reason: reason.to_owned(),
                    },
                )),
                Resolved::Missing => {}
            }
        }
        let security = raw.get("security").or(document_security);
        if let Some(security) = security {
            let list = security
                .as_array()
                .ok_or_else(|| malformed(at, "security must be a list"))?;
            let mut requirements = Vec::new();
            for requirement in list {
                let map = requirement
                    .as_object()
                    .ok_or_else(|| malformed(at, "a security requirement must be a mapping"))?;
                let mut schemes = Vec::new();
                for (scheme, scopes) in map {
                    let scopes: Vec<String> = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    for scope in &scopes {
                        if !op.scopes.contains(scope) {
                            op.scopes.push(scope.clone());
                        }
                    }
                    schemes.push((scheme.clone(), scopes));
                }
                requirements.push(Requirement { schemes });
            }
            op.security = Some(requirements);
        }
        Ok(op)
    }

    /// Adds the parameters listed at `list_at`; those of the path item (`inherited`) only when
    /// the operation does not define its own of the same name and location.
    fn parameters(
        &mut self,
        op: &mut Operation,
        list_at: &str,
        inherited: bool,
    ) -> Result<(), SpecError> {
        let count = match self.raw.pointer(list_at) {
            None => return Ok(()),
            Some(Value::Array(list)) => list.len(),
            Some(_) => return Err(malformed(list_at, "parameters must be a list")),
        };
        for i in 0..count {
            let at = format!("{list_at}/{i}");
            let (resolved, raw) = match resolve(self.raw, &at) {
                Resolved::Found(resolved, raw) => (resolved, raw),
                Resolved::Broken { at, target, reason } => {
                    op.broken.push((
                        Part::Parameter(op.parameters.len()),
                        BrokenRef {
                            at,
                            target,
                            reason: reason.to_owned(),
                        },
                    ));
                    continue;
                }
                Resolved::Missing => continue,
            };
            let text = |key: &str| raw.get(key).and_then(Value::as_str);
            let name =
                text("name").ok_or_else(|| malformed(&resolved, "a parameter needs a name"))?;
            let location = text("in")
                .and_then(Location::parse)
                .ok_or_else(|| malformed(&resolved, "a parameter's `in` is unknown"))?;
            if inherited
                && op
                    .parameters
                    .iter()
                    .any(|p| p.name == name && p.location == location)
            {
                continue;
            }
            let style = match text("style") {
                Some(style) => Style::parse(style)
                    .ok_or_else(|| malformed(&resolved, "a parameter's style is unknown"))?,
                None => Style::default_for(location),
            };
            let explode = raw
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == Style::Form);
            let schema = match raw.get("schema") {
                Some(_) => Some(self.schemas.build(self.raw, &join(&resolved, "schema"))?),
                None => None,
            };
            op.parameters.push(Parameter {
                name: name.to_owned(),
                location,
                required: raw.get("required") == Some(&Value::Bool(true)),
                style,
                explode,
                schema,
                by_content: raw.get("content").is_some(),
                pointer: resolved,
            });
        }
        Ok(())
    }

    /// The media types of the `content` of the body or response at `at`.
    fn content(&mut self, at: &str) -> Result<Vec<MediaType>, SpecError> {
        let content_at = join(at, "content");
        let mut out = Vec::new();
        for (name, media) in self.object(&content_at).into_iter().flatten() {
            let media_at = join(&content_at, name);
            let schema = match media.get("schema") {
                Some(_) => Some(self.schemas.build(self.raw, &join(&media_at, "schema"))?),
                None => None,
            };
            let mut examples = Vec::new();
            if let Some(value) = media.get("example") {
                examples.push(Example {
                    name: "example".to_owned(),
                    value: value.clone(),
                    pointer: join(&media_at, "example"),
                });
            }
            for name in media
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(Map::keys)
            {
                let example_at = join(&join(&media_at, "examples"), name);
                if let Resolved::Found(resolved, example) = resolve(self.raw, &example_at)
                    && let Some(value) = example.get("value")
                {
                    examples.push(Example {
                        name: name.clone(),
                        value: value.clone(),
                        pointer: resolved,
                    });
                }
            }
            out.push(MediaType {
                name: name.clone(),
                pointer: media_at,
                schema,
                examples,
            });
        }
        Ok(out)
    }
}

/// The `$ref` written at `at` itself, if any.
fn reference(raw: &Value, at: &str) -> Option<String> {
    raw.pointer(at)?.get("$ref")?.as_str().map(str::to_owned)
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn every_method_keeps_its_name_and_operations_follow_path_then_method_order() {
        let mut text = format!("{HEAD}paths:\n  /b:\n");
        for method in METHODS.iter().rev() {
            text.push_str(&format!(
                "    {method}: {{operationId: {method}B, responses: {{'200': {{description: ok}}}}}}\n"
            ));
        }
        text.push_str(
            "  /a:\n    post: {operationId: postA, responses: {'200': {description: ok}}}\n",
        );
        let spec = Spec::from_yaml_str(&text).unwrap();
        let named: Vec<(&str, &str)> = spec
            .operations()
            .iter()
            .map(|op| (op.method(), op.id()))
            .collect();
        // Spelled out rather than through `method_name`, which is what is tested.
        let expected = [
            ("POST", "postA"),
            ("GET", "getB"),
            ("PUT", "putB"),
            ("POST", "postB"),
            ("DELETE", "deleteB"),
            ("OPTIONS", "optionsB"),
            ("HEAD", "headB"),
            ("PATCH", "patchB"),
            ("TRACE", "traceB"),
        ];
        assert_eq!(named, expected);
        assert_eq!(
            spec.operation("headB").unwrap().pointer(),
            "/paths/~1b/head"
        );
    }

    #[test]
    fn property_names_are_every_components_properties_sorted_once() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n\
             \x20   B: {{type: object, properties: {{title: {{}}, id: {{}}}}}}\n\
             \x20   A: {{type: object, properties: {{id: {{}}, artist: {{}}}}}}\n\
             \x20   S: {{type: string}}\n"
        ))
        .unwrap();
        assert_eq!(spec.property_names(), ["artist", "id", "title"]);
        let bare = Spec::from_yaml_str(&format!("{HEAD}paths: {{}}\n")).unwrap();
        assert!(bare.property_names().is_empty());
    }

    #[test]
    fn parameters_security_and_bodies_are_resolved() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}security: [{{key: []}}]\npaths:\n  /things/{{id}}:\n\
             \x20   parameters:\n\
             \x20     - {{name: id, in: path, required: true, schema: {{type: string}}}}\n\
             \x20     - {{name: trace, in: header, schema: {{type: string}}}}\n\
             \x20   put:\n      operationId: putThing\n\
             \x20     security: [{{oauth: [a, b]}}, {{oauth: [b], key: []}}]\n\
             \x20     parameters:\n\
             \x20       - $ref: '#/components/parameters/Ids'\n\
             \x20       - {{name: trace, in: header, required: true, schema: {{type: integer}}}}\n\
             \x20       - $ref: 'elsewhere.yaml#/P'\n\
             \x20     requestBody: {{$ref: '#/components/requestBodies/Thing'}}\n\
             \x20     responses:\n\
             \x20       '200': {{description: ok}}\n\
             \x20       '4XX': {{$ref: '#/components/responses/Nope'}}\n\
             \x20   get: {{operationId: getThing, responses: {{'200': {{description: ok}}}}}}\n\
             components:\n\
             \x20 parameters:\n\
             \x20   Ids: {{name: ids, in: query, style: form, explode: false, schema: {{type: array, items: {{type: string}}}}}}\n\
             \x20 requestBodies:\n\
             \x20   Thing: {{required: true, content: {{application/json: {{schema: {{type: object}}, example: {{a: 1}}}}}}}}\n\
             \x20 responses:\n\
             \x20   Nope: {{description: no, content: {{application/problem+json: {{schema: {{type: string}}}}}}}}\n\
             \x20 securitySchemes:\n\
             \x20   key: {{type: apiKey, in: header, name: x-key}}\n\
             \x20   oauth:\n      type: oauth2\n      flows:\n\
             \x20       authorizationCode:\n          authorizationUrl: https://a/oa\n          tokenUrl: https://a/t\n\
             \x20         scopes: {{a: Read, b: Write}}\n"
        ))
        .unwrap();
        let put = spec.operation("putThing").unwrap();
        let params: Vec<(&str, Location, bool, bool)> = put
            .parameters()
            .iter()
            .map(|p| (p.name(), p.location(), p.required(), p.explode()))
            .collect();
        assert_eq!(
            params,
            [
                ("ids", Location::Query, false, false),
                ("trace", Location::Header, true, false),
                ("id", Location::Path, true, false),
            ]
        );
        assert_eq!(put.parameters()[0].pointer(), "/components/parameters/Ids");
        assert_eq!(put.broken_refs().len(), 1);
        assert_eq!(put.broken_refs()[0].0, Part::Parameter(2));
        assert_eq!(put.scopes(), ["a", "b"]);
        assert_eq!(put.security().unwrap()[1].scopes("oauth"), ["b"]);
        let body = put.request_body().unwrap();
        assert!(body.required());
        assert_eq!(body.reference(), Some("#/components/requestBodies/Thing"));
        assert_eq!(body.json().unwrap().examples()[0].name(), "example");
        assert_eq!(put.response_for(404).unwrap().status(), "4XX");
        assert!(put.response_for(404).unwrap().json().is_some());
        assert!(put.response_for(500).is_none());
        let get = spec.operation("getThing").unwrap();
        assert_eq!(get.scopes(), [] as [&str; 0]);
        assert_eq!(get.security().unwrap()[0].schemes()[0].0, "key");
        assert_eq!(spec.scopes(), [("a", "Read"), ("b", "Write")]);
        assert!(matches!(
            spec.security_scheme("key").unwrap().kind(),
            SchemeKind::ApiKey { name, .. } if name == "x-key"
        ));
        assert_eq!(spec.broken_refs().len(), 1);
        assert!(spec.broken_refs()[0].reason.contains("outside"));
        assert_eq!(spec.references().len(), 4);
    }

    #[test]
    fn a_document_of_another_version_or_shape_is_refused() {
        let err =
            Spec::from_yaml_str("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
                .unwrap_err();
        assert!(err.to_string().contains("3.1.0"), "{err}");
        assert!(matches!(
            Spec::from_yaml_str("openapi: 3.0.3\ninfo: {}\n"),
            Err(SpecError::Parse(_))
        ));
        assert!(matches!(Spec::from_yaml_str("{"), Err(SpecError::Parse(_))));
        assert!(matches!(
            Spec::load("/nonexistent/openapi.yaml"),
            Err(SpecError::Read { .. })
        ));
    }

    #[test]
    fn the_embedded_spec_parses_once() {
        let first = Spec::embedded().unwrap();
        assert!(std::ptr::eq(first, Spec::embedded().unwrap()));
        assert_eq!(first.base_path(), "/v1");
    }

    /// The typed document, the component schemas by name, and path items given by `$ref`.
    #[test]
    fn the_typed_document_components_and_referenced_path_items() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}paths:\n\
             \x20 /a: {{get: {{operationId: getA, responses: {{'200': {{description: ok}}}}}}}}\n\
             \x20 /b: {{$ref: '#/paths/~1a'}}\n\
             components:\n  schemas:\n    A: {{type: string}}\n    B: {{type: integer}}\n"
        ))
        .unwrap();
        assert_eq!(spec.openapi().info.title, "t");
        assert_eq!(spec.openapi().paths.paths.len(), 2);
        let [(a, a_id), (b, b_id)] = spec.component_schemas() else {
            panic!("{:?}", spec.component_schemas());
        };
        assert_eq!((a.as_str(), b.as_str()), ("A", "B"));
        assert_eq!(spec.component_schema("A"), Some(*a_id));
        assert_eq!(spec.component_schema("B"), Some(*b_id));
        assert_ne!(a_id, b_id);
        assert_eq!(spec.component_schema("C"), None);
        assert_eq!(spec.path_item_refs(), ["/b"]);
        assert_eq!(
            spec.operations().len(),
            1,
            "a referenced path item adds none"
        );
    }

    /// A place the model does not index (a member of `allOf`, a response header's schema)
    /// whose `$ref` reaches a schema it does index gives that schema.
    #[test]
    fn a_schema_is_found_through_the_reference_that_reaches_it() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n\
             \x20       '200':\n          description: ok\n\
             \x20         headers: {{x-n: {{schema: {{$ref: '#/components/schemas/N'}}}}}}\n\
             \x20         content: {{application/json: {{schema: {{$ref: '#/components/schemas/All'}}}}}}\n\
             components:\n  schemas:\n    N: {{type: integer}}\n\
             \x20   All: {{allOf: [{{$ref: '#/components/schemas/N'}}]}}\n"
        ))
        .unwrap();
        let n = spec.component_schema("N").unwrap();
        for place in [
            "/components/schemas/All/allOf/0",
            "/paths/~1a/get/responses/200/headers/x-n/schema",
        ] {
            assert_eq!(spec.schema_at(place), Some(n), "{place}");
        }
        assert_eq!(spec.schema_at("/components/schemas/All/allOf/1"), None);
    }

    /// A loop of `$ref`s is reported, at each of its references; a chain that breaks further
    /// on is reported once, where it breaks.
    #[test]
    fn loops_and_chains_of_references_are_reported_where_they_break() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n\
             \x20   Loop1: {{$ref: '#/components/schemas/Loop2'}}\n\
             \x20   Loop2: {{$ref: '#/components/schemas/Loop1'}}\n\
             \x20   Chain: {{$ref: '#/components/schemas/Gap'}}\n\
             \x20   Gap: {{$ref: '#/components/schemas/Nothing'}}\n"
        ))
        .unwrap();
        let mut broken: Vec<(&str, bool)> = spec
            .broken_refs()
            .iter()
            .map(|b| (b.at.as_str(), b.reason.contains("loop")))
            .collect();
        broken.sort();
        assert_eq!(
            broken,
            [
                ("/components/schemas/Gap", false),
                ("/components/schemas/Loop1", true),
                ("/components/schemas/Loop2", true),
            ]
        );
    }

    /// An operation's own parameter hides the path item's of the same name and location only:
    /// the same name elsewhere, or another name in the same place, is kept.
    #[test]
    fn only_a_parameter_of_the_same_name_and_location_is_hidden() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}paths:\n  /a:\n    parameters:\n\
             \x20     - {{name: x, in: header, schema: {{type: string}}}}\n\
             \x20     - {{name: x, in: query, schema: {{type: string}}}}\n\
             \x20     - {{name: y, in: header, schema: {{type: string}}}}\n\
             \x20   get:\n      operationId: getA\n      parameters:\n\
             \x20       - {{name: x, in: header, required: true, schema: {{type: string}}}}\n\
             \x20     responses: {{'200': {{description: ok}}}}\n"
        ))
        .unwrap();
        let params: Vec<(&str, Location, bool)> = spec.operations()[0]
            .parameters()
            .iter()
            .map(|p| (p.name(), p.location(), p.required()))
            .collect();
        assert_eq!(
            params,
            [
                ("x", Location::Header, true),
                ("x", Location::Query, false),
                ("y", Location::Header, false),
            ]
        );
    }

    /// Every location and style is read as the variant of its name, and an unknown one is
    /// refused.
    #[test]
    fn every_location_and_style_is_read_by_its_name() {
        let mut text = format!(
            "{HEAD}paths:\n  /a/{{matrix}}/{{label}}/{{simple}}:\n    get:\n      operationId: getA\n\
             \x20     parameters:\n"
        );
        // Each style where OpenAPI allows it: three in the path, four in the query.
        let styles = [
            ("matrix", "path", Style::Matrix),
            ("label", "path", Style::Label),
            ("simple", "path", Style::Simple),
            ("form", "query", Style::Form),
            ("spaceDelimited", "query", Style::SpaceDelimited),
            ("pipeDelimited", "query", Style::PipeDelimited),
            ("deepObject", "query", Style::DeepObject),
        ];
        for (name, location, _) in &styles {
            text.push_str(&format!(
                "        - {{name: {name}, in: {location}, required: true, style: {name}, schema: {{type: string}}}}\n"
            ));
        }
        for location in ["path", "query", "header", "cookie"] {
            text.push_str(&format!(
                "        - {{name: at-{location}, in: {location}, required: true, schema: {{type: string}}}}\n"
            ));
        }
        text.push_str("      responses: {'200': {description: ok}}\n");
        let spec = Spec::from_yaml_str(&text).unwrap();
        let params = spec.operations()[0].parameters();
        let read: Vec<Style> = params[..styles.len()].iter().map(|p| p.style()).collect();
        let expected: Vec<Style> = styles.iter().map(|(_, _, s)| *s).collect();
        assert_eq!(read, expected);
        let at: Vec<(Location, Style)> = params[styles.len()..]
            .iter()
            .map(|p| (p.location(), p.style()))
            .collect();
        assert_eq!(
            at,
            [
                (Location::Path, Style::Simple),
                (Location::Query, Style::Form),
                (Location::Header, Style::Simple),
                (Location::Cookie, Style::Form),
            ]
        );
        for (what, bad) in [("style", "style: tabbed, in: query"), ("in", "in: body")] {
            let error = Spec::from_yaml_str(&format!(
                "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n\
                 \x20     parameters: [{{name: x, {bad}, schema: {{type: string}}}}]\n\
                 \x20     responses: {{'200': {{description: ok}}}}\n"
            ))
            .err()
            .unwrap_or_else(|| panic!("an unknown {what} is refused"));
            assert!(error.to_string().contains("unknown"), "{what}: {error}");
        }
    }

    /// What a parameter, a body and its media types say of themselves: described by content or
    /// by schema, required or not, which types are JSON, where each example is, and the tags.
    #[test]
    fn parameters_bodies_media_types_examples_and_tags_say_what_the_document_says() {
        let spec = Spec::from_yaml_str(&format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: postA\n      tags: [Zeta, Alpha]\n\
             \x20     parameters:\n\
             \x20       - {{name: s, in: query, schema: {{type: string}}}}\n\
             \x20       - {{name: c, in: query, content: {{application/json: {{schema: {{type: object}}}}}}}}\n\
             \x20     requestBody:\n        content:\n\
             \x20         text/plain: {{schema: {{type: string}}}}\n\
             \x20         application/vnd.thing+json; charset=utf-8:\n\
             \x20           example: {{a: 1}}\n\
             \x20           examples: {{one: {{$ref: '#/components/examples/One'}}}}\n\
             \x20     responses: {{'200': {{description: ok}}}}\n\
             components:\n  examples:\n    One: {{value: {{a: 2}}}}\n"
        ))
        .unwrap();
        let op = spec.operation("postA").unwrap();
        assert_eq!(op.tags(), ["Zeta", "Alpha"]);
        let by_content: Vec<bool> = op.parameters().iter().map(|p| p.by_content()).collect();
        assert_eq!(by_content, [false, true]);
        let body = op.request_body().unwrap();
        assert!(!body.required(), "a body is optional unless it says so");
        let json: Vec<(&str, bool)> = body
            .content()
            .iter()
            .map(|m| (m.name(), m.is_json()))
            .collect();
        assert_eq!(
            json,
            [
                ("application/vnd.thing+json; charset=utf-8", true),
                ("text/plain", false),
            ]
        );
        let examples: Vec<(&str, &str)> = body
            .json()
            .unwrap()
            .examples()
            .iter()
            .map(|e| (e.name(), e.pointer()))
            .collect();
        assert_eq!(
            examples,
            [
                (
                    "example",
                    "/paths/~1a/post/requestBody/content/application~1vnd.thing+json; charset=utf-8/example"
                ),
                ("one", "/components/examples/One"),
            ]
        );
    }
}
