//! Operations and their parts, as the model holds them: every `$ref` already followed.

use serde_json::Value;

use crate::pointer::BrokenRef;
use crate::schema::SchemaId;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl Location {
    /// The location as the document writes it (`in:`).
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }

    /// The kind of parameter, in words: `path parameter`, `query parameter`, `header`,
    /// `cookie`.
    pub fn describe(self) -> &'static str {
        match self {
            Location::Path => "path parameter",
            Location::Query => "query parameter",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            _ => return None,
        })
    }
}

/// How a parameter's value is serialized (`style:`); the default is the location's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form` (query, cookie): `ids=a,b`, or `ids=a&ids=b` when exploded.
    Form,
    /// `simple` (path, header): `a,b`.
    Simple,
    /// `matrix` (path).
    Matrix,
    /// `label` (path).
    Label,
    /// `spaceDelimited` (query).
    SpaceDelimited,
    /// `pipeDelimited` (query).
    PipeDelimited,
    /// `deepObject` (query).
    DeepObject,
}

impl Style {
    pub(crate) fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "form" => Style::Form,
            "simple" => Style::Simple,
            "matrix" => Style::Matrix,
            "label" => Style::Label,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            _ => return None,
        })
    }

    pub(crate) fn default_for(location: Location) -> Self {
        match location {
            Location::Query | Location::Cookie => Style::Form,
            Location::Path | Location::Header => Style::Simple,
        }
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) style: Style,
    pub(crate) explode: bool,
    pub(crate) schema: Option<SchemaId>,
    pub(crate) by_content: bool,
    pub(crate) pointer: String,
}

impl Parameter {
    /// The name on the wire.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it travels.
    pub fn location(&self) -> Location {
        self.location
    }

    /// Whether a request must carry it (path parameters always must).
    pub fn required(&self) -> bool {
        self.required
    }

    /// How its value is serialized.
    pub fn style(&self) -> Style {
        self.style
    }

    /// Whether a list or object value is exploded into one parameter per item (`explode:`,
    /// by default true for `form` and false otherwise).
    pub fn explode(&self) -> bool {
        self.explode
    }

    /// The schema its value must satisfy; `None` when it is described by `content` instead.
    pub fn schema(&self) -> Option<SchemaId> {
        self.schema
    }

    /// Whether it is described by `content` rather than `schema`.
    pub fn by_content(&self) -> bool {
        self.by_content
    }

    /// JSON pointer to the parameter object, after its `$ref`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }
}

/// One example of a media type: `example`, or an entry of `examples` that has a `value`.
#[derive(Debug, Clone)]
pub struct Example {
    pub(crate) name: String,
    pub(crate) value: Value,
    pub(crate) pointer: String,
}

impl Example {
    /// `example` for the single example, else its key in `examples`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The example value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// JSON pointer to the example object (after its `$ref`), or to `example`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }
}

/// A body's description for one media type.
#[derive(Debug, Clone)]
pub struct MediaType {
    pub(crate) name: String,
    pub(crate) pointer: String,
    pub(crate) schema: Option<SchemaId>,
    pub(crate) examples: Vec<Example>,
}

impl MediaType {
    /// The media type, such as `application/json`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// JSON pointer to the media type object.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The body's schema.
    pub fn schema(&self) -> Option<SchemaId> {
        self.schema
    }

    /// Its examples: `example` first, then `examples` in key order.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Whether this is JSON: `application/json` or a `+json` type, parameters aside.
    pub fn is_json(&self) -> bool {
        let essence = self.name.split(';').next().unwrap_or("").trim();
        essence == "application/json" || essence.ends_with("+json")
    }
}

fn json_of(content: &[MediaType]) -> Option<&MediaType> {
    content.iter().find(|m| m.is_json())
}

/// An operation's request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    pub(crate) pointer: String,
    pub(crate) reference: Option<String>,
    pub(crate) required: bool,
    pub(crate) content: Vec<MediaType>,
}

impl RequestBody {
    /// JSON pointer to the request body object, after its `$ref`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The `$ref` the operation gives its body by, if it does.
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// Whether a request must carry it.
    pub fn required(&self) -> bool {
        self.required
    }

    /// Its media types, in key order.
    pub fn content(&self) -> &[MediaType] {
        &self.content
    }

    /// The first JSON media type.
    pub fn json(&self) -> Option<&MediaType> {
        json_of(&self.content)
    }
}

/// One response an operation declares.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) status: String,
    pub(crate) pointer: String,
    pub(crate) reference: Option<String>,
    pub(crate) content: Vec<MediaType>,
}

impl Response {
    /// The key it is declared under: `200`, `4XX` or `default`.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// JSON pointer to the response object, after its `$ref`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The `$ref` the operation gives it by, if it does.
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// Its media types, in key order.
    pub fn content(&self) -> &[MediaType] {
        &self.content
    }

    /// The first JSON media type.
    pub fn json(&self) -> Option<&MediaType> {
        json_of(&self.content)
    }
}

/// One security requirement: every scheme it names must be satisfied, with the scopes listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirement {
    pub(crate) schemes: Vec<(String, Vec<String>)>,
}

impl Requirement {
    /// Each scheme it names, with the scopes it needs of it, in scheme-name order.
    pub fn schemes(&self) -> &[(String, Vec<String>)] {
        &self.schemes
    }

    /// The scopes it needs of `scheme`; empty when it does not name the scheme.
    pub fn scopes(&self, scheme: &str) -> &[String] {
        self.schemes
            .iter()
            .find(|(name, _)| name == scheme)
            .map_or(&[], |(_, scopes)| scopes.as_slice())
    }
}

/// Which part of an operation a `$ref` that leads nowhere was meant to give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A parameter, by position.
    Parameter(usize),
    /// The request body.
    RequestBody,
    /// The response of a status key.
    Response(String),
}

/// One operation of the document: a method on a path template, and everything it declares.
#[derive(Debug, Clone)]
pub struct Operation {
    pub(crate) id: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) pointer: String,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) request_body: Option<RequestBody>,
    pub(crate) responses: Vec<Response>,
    pub(crate) security: Option<Vec<Requirement>>,
    pub(crate) scopes: Vec<String>,
    pub(crate) broken: Vec<(Part, BrokenRef)>,
}

impl Operation {
    /// The `operationId`, or `""` when it has none (the generator's checks refuse that).
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or("")
    }

    /// The `operationId`, if any.
    pub fn operation_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `summary`, if any.
    pub fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }

    /// `tags`, in order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// Upper-case HTTP method, such as `GET`.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The path template as the document writes it, such as `/albums/{id}`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// JSON pointer to the operation, such as `/paths/~1albums/get`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// Its parameters, its own first in the order written, then those of its path item it
    /// does not redefine.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter called `name` (any location).
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// Its request body.
    pub fn request_body(&self) -> Option<&RequestBody> {
        self.request_body.as_ref()
    }

    /// Its responses, by status key in key order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// The response declared for `key` exactly (`"200"`, `"4XX"`, `"default"`).
    pub fn response(&self, key: &str) -> Option<&Response> {
        self.responses.iter().find(|r| r.status == key)
    }

    /// The response a status code gets: its own key, else its range (`4XX`), else `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        [exact.as_str(), range.as_str(), "default"]
            .into_iter()
            .find_map(|key| self.response(key))
    }

    /// The first success (`2xx`) response.
    pub fn success(&self) -> Option<&Response> {
        self.responses.iter().find(|r| r.status.starts_with('2'))
    }

    /// Its security requirements (any one of them suffices): its own, else the document's;
    /// `None` when neither declares any.
    pub fn security(&self) -> Option<&[Requirement]> {
        self.security.as_deref()
    }

    /// Every scope its security requirements name, each once, in the order written.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The `$ref`s of its parameters, request body or responses that lead nowhere; those
    /// parts are missing from the model.
    pub fn broken_refs(&self) -> &[(Part, BrokenRef)] {
        &self.broken
    }
}
