//! The document's schemas as one graph: every `$ref` followed once, every schema a node, shared
//! and recursive schemas one node each.

use std::collections::HashMap;

use serde_json::{Number, Value};

use crate::SpecError;
use crate::pointer::{Resolved, join, resolve};

/// A schema of the graph; index into [`Schemas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(u32);

impl SchemaId {
    /// The node's position in the graph, from 0: stable for one parsed document.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A JSON type a schema's `type` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `integer`: a number written without fraction or exponent (JSON Schema draft 4's
    /// reading, which OpenAPI 3.0 follows).
    Integer,
    /// `number`: any number.
    Number,
    /// `string`.
    String,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl Type {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Type::Null,
            "boolean" => Type::Boolean,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "string" => Type::String,
            "array" => Type::Array,
            "object" => Type::Object,
            _ => return None,
        })
    }

    /// The type's name, as the document writes it.
    pub fn name(self) -> &'static str {
        match self {
            Type::Null => "null",
            Type::Boolean => "boolean",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::String => "string",
            Type::Array => "array",
            Type::Object => "object",
        }
    }

    /// Whether `value` is of this type.
    pub fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (Type::Null, Value::Null)
            | (Type::Boolean, Value::Bool(_))
            | (Type::Number, Value::Number(_))
            | (Type::String, Value::String(_))
            | (Type::Array, Value::Array(_))
            | (Type::Object, Value::Object(_)) => true,
            (Type::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            _ => false,
        }
    }
}

/// What a schema says of object members it does not declare (`additionalProperties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Additional {
    /// Nothing: undeclared members are allowed, and not described.
    Absent,
    /// `false`: undeclared members are not allowed.
    Forbidden,
    /// `true`: undeclared members are allowed.
    Allowed,
    /// A schema every undeclared member's value must satisfy.
    Schema(SchemaId),
}

/// One schema, its `$ref` followed, its keywords typed.
#[derive(Debug, Clone)]
pub struct Schema {
    pointer: String,
    raw: Value,
    broken: Option<String>,
    types: Vec<Type>,
    nullable: bool,
    format: Option<String>,
    enumeration: Option<Vec<Value>>,
    extensible: Option<Vec<String>>,
    properties: Option<Vec<(String, SchemaId)>>,
    required: Vec<String>,
    additional: Additional,
    items: Option<SchemaId>,
    all_of: Vec<SchemaId>,
    any_of: Vec<SchemaId>,
    one_of: Vec<SchemaId>,
    not: Option<SchemaId>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
    multiple_of: Option<Number>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<Pattern>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
}

impl Schema {
    fn placeholder(pointer: String) -> Self {
        Self {
            pointer,
            raw: Value::Object(Default::default()),
            broken: None,
            types: Vec::new(),
            nullable: false,
            format: None,
            enumeration: None,
            extensible: None,
            properties: None,
            required: Vec::new(),
            additional: Additional::Absent,
            items: None,
            all_of: Vec::new(),
            any_of: Vec::new(),
            one_of: Vec::new(),
            not: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: false,
            exclusive_maximum: false,
            multiple_of: None,
            min_length: None,
            max_length: None,
            pattern: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            min_properties: None,
            max_properties: None,
        }
    }

    /// JSON pointer to the schema in the document, after `$ref`s: `/components/schemas/Album`
    /// for a component, the schema's own place for an inline one.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The schema object as the document writes it (its subschemas may be `$ref`s).
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// Why the schema could not be reached, when a `$ref` on the way leads nowhere (outside the
    /// document, to nothing, or round in a loop); such a node constrains nothing.
    pub fn broken(&self) -> Option<&str> {
        self.broken.as_deref()
    }

    /// The types `type` allows; empty when it says nothing.
    pub fn types(&self) -> &[Type] {
        &self.types
    }

    /// The types a report names for the schema: its `type`, else `object` when it has
    /// properties.
    pub fn type_names(&self) -> Vec<String> {
        if !self.types.is_empty() {
            self.types.iter().map(|t| t.name().to_owned()).collect()
        } else if self.properties.is_some() {
            vec!["object".to_owned()]
        } else {
            Vec::new()
        }
    }

    /// `nullable: true`.
    pub fn nullable(&self) -> bool {
        self.nullable
    }

    /// `format`, such as `date-time` or `int32`.
    pub fn format(&self) -> Option<&str> {
        self.format.as_deref()
    }

    /// `enum`: the only values allowed.
    pub fn enumeration(&self) -> Option<&[Value]> {
        self.enumeration.as_deref()
    }

    /// `x-extensible-enum`: the values known today of a string the service may extend.
    pub fn extensible(&self) -> Option<&[String]> {
        self.extensible.as_deref()
    }

    /// Whether the schema has `properties` (even none).
    pub fn declares_properties(&self) -> bool {
        self.properties.is_some()
    }

    /// The declared properties, by name, sorted.
    pub fn properties(&self) -> &[(String, SchemaId)] {
        self.properties.as_deref().unwrap_or_default()
    }

    /// The schema of the declared property `name`.
    pub fn property(&self, name: &str) -> Option<SchemaId> {
        self.property_index(name).map(|at| self.properties()[at].1)
    }

    /// Where the declared property `name` is in [`Schema::properties`].
    pub(crate) fn property_index(&self, name: &str) -> Option<usize> {
        self.properties()
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
    }

    /// The pointer of the declared property `name` as the object writes it (before any `$ref`
    /// of the property is followed): where `nullable: true` would go.
    pub fn property_pointer(&self, name: &str) -> String {
        join(&join(&self.pointer, "properties"), name)
    }

    /// `required`: the properties an object must have.
    pub fn required(&self) -> &[String] {
        &self.required
    }

    /// Whether `name` is required.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.iter().any(|r| r == name)
    }

    /// `additionalProperties`.
    pub fn additional(&self) -> Additional {
        self.additional
    }

    /// Whether the schema describes an object's members, declared or not (it has `properties`,
    /// or a schema for `additionalProperties`): the walker looks at members only then.
    pub fn describes_members(&self) -> bool {
        self.properties.is_some() || matches!(self.additional, Additional::Schema(_))
    }

    /// `items`.
    pub fn items(&self) -> Option<SchemaId> {
        self.items
    }

    /// `allOf`.
    pub fn all_of(&self) -> &[SchemaId] {
        &self.all_of
    }

    /// `anyOf`.
    pub fn any_of(&self) -> &[SchemaId] {
        &self.any_of
    }

    /// `oneOf`.
    pub fn one_of(&self) -> &[SchemaId] {
        &self.one_of
    }

    /// `not`.
    pub fn not(&self) -> Option<SchemaId> {
        self.not
    }

    /// `minimum`, and whether `exclusiveMinimum` makes it exclusive.
    pub fn minimum(&self) -> Option<(&Number, bool)> {
        self.minimum.as_ref().map(|n| (n, self.exclusive_minimum))
    }

    /// `maximum`, and whether `exclusiveMaximum` makes it exclusive.
    pub fn maximum(&self) -> Option<(&Number, bool)> {
        self.maximum.as_ref().map(|n| (n, self.exclusive_maximum))
    }

    /// `multipleOf`.
    pub fn multiple_of(&self) -> Option<&Number> {
        self.multiple_of.as_ref()
    }

    /// `minLength`, in characters.
    pub fn min_length(&self) -> Option<u64> {
        self.min_length
    }

    /// `maxLength`, in characters.
    pub fn max_length(&self) -> Option<u64> {
        self.max_length
    }

    /// `pattern`, compiled (matched anywhere in the string, as JSON Schema does).
    pub fn pattern(&self) -> Option<&Pattern> {
        self.pattern.as_ref()
    }

    /// `minItems`.
    pub fn min_items(&self) -> Option<u64> {
        self.min_items
    }

    /// `maxItems`.
    pub fn max_items(&self) -> Option<u64> {
        self.max_items
    }

    /// `uniqueItems`.
    pub fn unique_items(&self) -> bool {
        self.unique_items
    }

    /// `minProperties`.
    pub fn min_properties(&self) -> Option<u64> {
        self.min_properties
    }

    /// `maxProperties`.
    pub fn max_properties(&self) -> Option<u64> {
        self.max_properties
    }

    /// Every subschema, in a fixed order: properties, additional properties, items, then
    /// `allOf`, `anyOf`, `oneOf` and `not`.
    pub fn subschemas(&self) -> impl Iterator<Item = SchemaId> + '_ {
        let additional = match self.additional {
            Additional::Schema(id) => Some(id),
            _ => None,
        };
        self.properties()
            .iter()
            .map(|(_, id)| *id)
            .chain(additional)
            .chain(self.items)
            .chain(self.all_of.iter().copied())
            .chain(self.any_of.iter().copied())
            .chain(self.one_of.iter().copied())
            .chain(self.not)
    }
}

/// A schema's `pattern`: an ECMA-262 regular expression, as OpenAPI and JSON Schema define it,
/// compiled with `regress` (an ECMA-262 engine), so that the mock, the drift check and the
/// conformance library agree on what matches. The generated crate checks the spec's one
/// pattern with a hand-written type that a test holds equal to this one.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: regress::Regex,
}

impl Pattern {
    fn new(source: &str) -> Result<Self, regress::Error> {
        Ok(Self {
            source: source.to_owned(),
            regex: regress::Regex::new(source)?,
        })
    }

    /// The expression as the spec writes it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether it matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.find(text).is_some()
    }
}

/// Every schema of the document, as a graph.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    nodes: Vec<Schema>,
    /// Pointer (resolved, or where a `$ref` was met) → node.
    by_pointer: HashMap<String, SchemaId>,
}

impl std::ops::Index<SchemaId> for Schemas {
    type Output = Schema;

    fn index(&self, id: SchemaId) -> &Schema {
        &self.nodes[id.index()]
    }
}

impl Schemas {
    /// The schema `id` names.
    pub fn get(&self, id: SchemaId) -> &Schema {
        &self[id]
    }

    /// How many schemas the document has.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the document has no schema at all.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every schema, in the order they were met.
    pub fn iter(&self) -> impl Iterator<Item = (SchemaId, &Schema)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, s)| (SchemaId(i as u32), s))
    }

    /// The schema at `pointer`, given as its resolved pointer or as a place that refers to it.
    pub fn at(&self, pointer: &str) -> Option<SchemaId> {
        self.by_pointer.get(pointer).copied()
    }

    /// Every schema reachable from `roots` along the edges the walker follows (properties,
    /// additional properties, items), each once, in the order met; a schema with
    /// `x-extensible-enum` is a leaf, as it is to the walker.
    pub fn reachable(&self, roots: impl IntoIterator<Item = SchemaId>) -> Vec<SchemaId> {
        let mut seen = vec![false; self.nodes.len()];
        let mut out = Vec::new();
        let mut stack: Vec<SchemaId> = roots.into_iter().collect();
        stack.reverse();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            out.push(id);
            let schema = &self[id];
            if schema.extensible.is_some() {
                continue;
            }
            let additional = match schema.additional {
                Additional::Schema(child) => Some(child),
                _ => None,
            };
            let children: Vec<SchemaId> = schema
                .items
                .into_iter()
                .chain(additional)
                .chain(schema.properties().iter().map(|(_, child)| *child))
                .collect();
            stack.extend(children.into_iter().rev());
        }
        out
    }

    /// The first schema at or below `root` (through every subschema, combinators included)
    /// that a `$ref` leading nowhere left unreadable, if any: a value cannot be judged by it.
    pub fn broken_below(&self, root: SchemaId) -> Option<&Schema> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            let schema = &self[id];
            if schema.broken.is_some() {
                return Some(schema);
            }
            stack.extend(schema.subschemas());
        }
        None
    }

    /// The node of the schema at `pointer` of `document`, built with everything it reaches.
    pub(crate) fn build(&mut self, document: &Value, pointer: &str) -> Result<SchemaId, SpecError> {
        let mut queue = Vec::new();
        let root = self.node(document, pointer, &mut queue)?;
        while let Some((id, value)) = queue.pop() {
            self.fill(document, id, value, &mut queue)?;
        }
        Ok(root)
    }

    /// The node for `pointer`: an existing one, or a new one queued to be filled.
    fn node<'d>(
        &mut self,
        document: &'d Value,
        pointer: &str,
        queue: &mut Vec<(SchemaId, &'d Value)>,
    ) -> Result<SchemaId, SpecError> {
        if let Some(id) = self.by_pointer.get(pointer) {
            return Ok(*id);
        }
        let id = match resolve(document, pointer) {
            Resolved::Found(resolved, value) => match self.by_pointer.get(&resolved) {
                Some(id) => *id,
                None => {
                    let id = self.push(Schema::placeholder(resolved.clone()));
                    self.by_pointer.insert(resolved, id);
                    queue.push((id, value));
                    id
                }
            },
            Resolved::Broken { target, reason, .. } => {
                let mut schema = Schema::placeholder(pointer.to_owned());
                schema.raw = document.pointer(pointer).cloned().unwrap_or(Value::Null);
                schema.broken = Some(format!("$ref {target}: {reason}"));
                self.push(schema)
            }
            Resolved::Missing => return Err(SpecError::Pointer(pointer.to_owned())),
        };
        self.by_pointer.insert(pointer.to_owned(), id);
        Ok(id)
    }

    fn push(&mut self, schema: Schema) -> SchemaId {
        self.nodes.push(schema);
        SchemaId((self.nodes.len() - 1) as u32)
    }

    fn fill<'d>(
        &mut self,
        document: &'d Value,
        id: SchemaId,
        value: &'d Value,
        queue: &mut Vec<(SchemaId, &'d Value)>,
    ) -> Result<(), SpecError> {
        let pointer = self[id].pointer.clone();
        let mut schema = Schema::placeholder(pointer.clone());
        schema.raw = value.clone();
        let Value::Object(map) = value else {
            self.nodes[id.index()] = schema;
            return Ok(());
        };
        let bad = |keyword: &str, what: &str| SpecError::Schema {
            pointer: pointer.clone(),
            message: format!("`{keyword}` must be {what}"),
        };
        let mut child = |this: &mut Self, path: &[&str]| -> Result<SchemaId, SpecError> {
            let at = path.iter().fold(pointer.clone(), |p, t| join(&p, t));
            this.node(document, &at, queue)
        };
        for (keyword, value) in map {
            match keyword.as_str() {
                "type" => {
                    let names: Vec<&Value> = match value {
                        Value::Array(names) => names.iter().collect(),
                        one => vec![one],
                    };
                    for name in names {
                        let ty = name.as_str().and_then(Type::parse).ok_or_else(|| {
                            bad("type", "one of the JSON types, or a list of them")
                        })?;
                        schema.types.push(ty);
                    }
                }
                "nullable" => schema.nullable = value == &Value::Bool(true),
                "format" => {
                    schema.format = Some(
                        value
                            .as_str()
                            .ok_or_else(|| bad("format", "a string"))?
                            .to_owned(),
                    );
                }
                "enum" => {
                    schema.enumeration = Some(
                        value
                            .as_array()
                            .ok_or_else(|| bad("enum", "a list"))?
                            .clone(),
                    );
                }
                "x-extensible-enum" => {
                    let values = value
                        .as_array()
                        .ok_or_else(|| bad("x-extensible-enum", "a list"))?;
                    schema.extensible = Some(
                        values
                            .iter()
                            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                            .collect(),
                    );
                }
                "properties" => {
                    let names = value
                        .as_object()
                        .ok_or_else(|| bad("properties", "a mapping"))?;
                    let mut properties = Vec::with_capacity(names.len());
                    for name in names.keys() {
                        properties.push((name.clone(), child(self, &["properties", name])?));
                    }
                    properties.sort_by(|a, b| a.0.cmp(&b.0));
                    schema.properties = Some(properties);
                }
                "required" => {
                    let names = value.as_array().ok_or_else(|| bad("required", "a list"))?;
                    for name in names {
                        let name = name
                            .as_str()
                            .ok_or_else(|| bad("required", "a list of names"))?;
                        schema.required.push(name.to_owned());
                    }
                }
                "additionalProperties" => {
                    schema.additional = match value {
                        Value::Bool(false) => Additional::Forbidden,
                        Value::Bool(true) => Additional::Allowed,
                        Value::Object(_) => {
                            Additional::Schema(child(self, &["additionalProperties"])?)
                        }
                        _ => return Err(bad("additionalProperties", "a boolean or a schema")),
                    };
                }
                "items" => {
                    if !value.is_object() {
                        return Err(bad("items", "a schema"));
                    }
                    schema.items = Some(child(self, &["items"])?);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let list = value
                        .as_array()
                        .ok_or_else(|| bad(keyword, "a list of schemas"))?;
                    let mut ids = Vec::with_capacity(list.len());
                    for i in 0..list.len() {
                        ids.push(child(self, &[keyword, &i.to_string()])?);
                    }
                    match keyword.as_str() {
                        "allOf" => schema.all_of = ids,
                        "anyOf" => schema.any_of = ids,
                        _ => schema.one_of = ids,
                    }
                }
                "not" => schema.not = Some(child(self, &["not"])?),
                "minimum" | "maximum" | "multipleOf" => {
                    let number = match value {
                        Value::Number(n) => n.clone(),
                        _ => return Err(bad(keyword, "a number")),
                    };
                    match keyword.as_str() {
                        "minimum" => schema.minimum = Some(number),
                        "maximum" => schema.maximum = Some(number),
                        _ => schema.multiple_of = Some(number),
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems" => {
                    let flag = value.as_bool().ok_or_else(|| bad(keyword, "a boolean"))?;
                    match keyword.as_str() {
                        "exclusiveMinimum" => schema.exclusive_minimum = flag,
                        "exclusiveMaximum" => schema.exclusive_maximum = flag,
                        _ => schema.unique_items = flag,
                    }
                }
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
                | "maxProperties" => {
                    let count = Some(
                        value
                            .as_u64()
                            .ok_or_else(|| bad(keyword, "a whole number, 0 or more"))?,
                    );
                    match keyword.as_str() {
                        "minLength" => schema.min_length = count,
                        "maxLength" => schema.max_length = count,
                        "minItems" => schema.min_items = count,
                        "maxItems" => schema.max_items = count,
                        "minProperties" => schema.min_properties = count,
                        _ => schema.max_properties = count,
                    }
                }
                "pattern" => {
                    let text = value.as_str().ok_or_else(|| bad("pattern", "a string"))?;
                    schema.pattern = Some(Pattern::new(text).map_err(|e| SpecError::Schema {
                        pointer: pointer.clone(),
                        message: format!("`pattern` does not compile: {e}"),
                    })?);
                }
                _ => {}
            }
        }
        self.nodes[id.index()] = schema;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn graph(doc: &Value, pointer: &str) -> (Schemas, SchemaId) {
        let mut schemas = Schemas::default();
        let root = schemas.build(doc, pointer).unwrap();
        (schemas, root)
    }

    #[test]
    fn shared_and_recursive_schemas_are_one_node_each() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "self": {"$ref": "#/components/schemas/A"},
                "b1": {"$ref": "#/components/schemas/B"},
                "b2": {"$ref": "#/components/schemas/B"},
                "list": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}
            }},
            "B": {"type": "string", "minLength": 1}
        }}});
        let (schemas, a) = graph(&doc, "/components/schemas/A");
        let schema = &schemas[a];
        assert_eq!(schema.pointer(), "/components/schemas/A");
        assert_eq!(schema.property("self"), Some(a));
        assert_eq!(schema.property("b1"), schema.property("b2"));
        let list = schemas.get(schema.property("list").unwrap());
        assert_eq!(list.items(), Some(a));
        assert_eq!(list.pointer(), "/components/schemas/A/properties/list");
        assert_eq!(schemas.len(), 3);
        assert_eq!(
            schemas.at("/components/schemas/A/properties/b1"),
            schemas.at("/components/schemas/B")
        );
        assert_eq!(schemas.reachable([a]).len(), 3);
    }

    #[test]
    fn a_broken_reference_is_a_node_that_says_why() {
        let doc = json!({"s": {"type": "object", "properties": {
            "far": {"$ref": "other.yaml#/X"}, "gone": {"$ref": "#/nowhere"}
        }}});
        let (schemas, root) = graph(&doc, "/s");
        let far = &schemas[schemas[root].property("far").unwrap()];
        assert!(far.broken().unwrap().contains("outside"), "{far:?}");
        let gone = &schemas[schemas[root].property("gone").unwrap()];
        assert!(gone.broken().unwrap().contains("nothing"), "{gone:?}");
        let first = schemas.broken_below(root).unwrap();
        assert!(first.broken().is_some());
        let (fine, fine_root) = graph(&json!({"s": {"allOf": [{"type": "string"}]}}), "/s");
        assert!(fine.broken_below(fine_root).is_none());
    }

    #[test]
    fn keywords_are_typed_and_a_malformed_one_is_an_error_naming_the_schema() {
        let doc = json!({"s": {
            "type": ["string", "null"], "minLength": 2, "pattern": "^a", "enum": ["ab"],
            "x-extensible-enum": ["X", 1], "minimum": 1, "exclusiveMinimum": true,
            "additionalProperties": false, "nullable": true, "format": "date"
        }});
        let (schemas, root) = graph(&doc, "/s");
        let s = &schemas[root];
        assert_eq!(s.types(), [Type::String, Type::Null]);
        assert_eq!(s.min_length(), Some(2));
        assert!(s.pattern().unwrap().is_match("abc"));
        assert_eq!(s.extensible().unwrap(), ["X", "1"]);
        assert_eq!(s.minimum(), Some((&Number::from(1), true)));
        assert_eq!(s.additional(), Additional::Forbidden);
        assert!(s.nullable() && s.format() == Some("date"));
        for (bad, says) in [
            (json!({"type": "text"}), "`type`"),
            (json!({"minLength": -1}), "`minLength`"),
            (json!({"pattern": "("}), "`pattern` does not compile"),
            (json!({"required": [1]}), "`required`"),
            (json!({"items": [{}]}), "`items`"),
        ] {
            let error = Schemas::default()
                .build(&json!({"s": {"properties": {"p": bad}}}), "/s")
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("/s/properties/p") && error.contains(says),
                "{error}"
            );
        }
    }

    #[test]
    fn reports_name_the_type_or_object_for_properties() {
        let doc = json!({"s": {"properties": {
            "typed": {"type": "string", "properties": {"x": {}}},
            "shaped": {"properties": {"x": {}}},
            "open": {"description": "anything"}
        }}});
        let (schemas, root) = graph(&doc, "/s");
        let names = |p: &str| schemas[schemas[root].property(p).unwrap()].type_names();
        assert_eq!(names("typed"), ["string"]);
        assert_eq!(names("shaped"), ["object"]);
        assert!(names("open").is_empty());
    }

    /// The keywords a schema keeps, read back as written; an absent one reads as its default.
    #[test]
    fn keywords_read_back_as_written() {
        let doc = json!({"components": {"schemas": {
            "List": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string", "pattern": "^[A-Z]+$"}},
            "Map": {"type": "object", "additionalProperties": {"type": "integer"}},
            "Bare": {"type": "object", "properties": {}},
            "Plain": {"type": "array"}
        }}});
        let mut schemas = Schemas::default();
        assert!(schemas.is_empty());
        let list = schemas.build(&doc, "/components/schemas/List").unwrap();
        assert!(!schemas.is_empty());
        let map = schemas.build(&doc, "/components/schemas/Map").unwrap();
        let bare = schemas.build(&doc, "/components/schemas/Bare").unwrap();
        let plain = schemas.build(&doc, "/components/schemas/Plain").unwrap();
        assert_eq!(schemas[list].min_items(), Some(2));
        assert!(schemas[list].unique_items());
        assert_eq!(schemas[plain].min_items(), None);
        assert!(!schemas[plain].unique_items());
        let item = schemas[list].items().unwrap();
        assert_eq!(schemas[item].pattern().unwrap().as_str(), "^[A-Z]+$");
        assert!(
            schemas[bare].declares_properties(),
            "properties: {{}} declares none, but declares"
        );
        assert!(!schemas[map].declares_properties());
        let Additional::Schema(value) = schemas[map].additional() else {
            panic!("{:?}", schemas[map].additional());
        };
        assert_eq!(schemas[map].subschemas().collect::<Vec<_>>(), [value]);
        assert_eq!(schemas.reachable([map]), [map, value]);
    }
}
