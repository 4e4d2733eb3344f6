//! The one walk of a JSON value beside its schema. Value checks, drift detection and the mock's
//! drift injection are visitors of it, so they agree on what a value's parts are and how deep
//! anything looks.

use serde_json::Value;

use crate::pointer::escape_pointer_token;
use crate::schema::{Additional, Schema, SchemaId, Schemas};

/// How many levels below the root the walk descends: deeper parts of a value are not looked
/// at. Every body of the API is far shallower; the bound keeps a hostile value from costing
/// more than that.
pub const MAX_DEPTH: usize = 64;

/// Whether the walk goes on below the current place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Look at the value's parts.
    Descend,
    /// Leave them.
    Skip,
}

/// One step of the path from the root value to where the walk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'v> {
    /// An object member.
    Key(&'v str),
    /// An array element.
    Index(usize),
}

/// The JSON pointer (RFC 6901) of a path.
pub fn pointer_of(path: &[Token<'_>]) -> String {
    let mut out = String::new();
    for token in path {
        out.push('/');
        match token {
            Token::Key(key) => out.push_str(&escape_pointer_token(key)),
            Token::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// What an object's schema says of one of its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// A declared property, with its schema.
    Declared(SchemaId),
    /// Not declared; described by `additionalProperties`.
    Additional(SchemaId),
    /// Not declared; allowed by `additionalProperties: true`.
    Allowed,
    /// Not declared, and nothing allows it explicitly (`additionalProperties` absent or
    /// `false`).
    Undeclared,
}

impl Member {
    /// The schema the member's value is walked against, if any.
    pub fn schema(self) -> Option<SchemaId> {
        match self {
            Member::Declared(id) | Member::Additional(id) => Some(id),
            Member::Allowed | Member::Undeclared => None,
        }
    }
}

impl Schema {
    /// What this schema says of an object member called `name`.
    pub fn member(&self, name: &str) -> Member {
        if let Some(id) = self.property(name) {
            return Member::Declared(id);
        }
        match self.additional() {
            Additional::Schema(id) => Member::Additional(id),
            Additional::Allowed => Member::Allowed,
            Additional::Absent | Additional::Forbidden => Member::Undeclared,
        }
    }
}

/// What a walk tells as it goes. `'v` is the walked value's lifetime, so a visitor may keep
/// parts of it.
pub trait Visitor<'v> {
    /// The walk reached `value`, which `schema` describes, at `path`.
    fn visit(&mut self, schema: &Schema, value: &'v Value, path: &[Token<'v>]) -> Step;

    /// The walk reached member `name` (its value `value`, the last token of `path`) of an
    /// object that `object` describes ([`Schema::describes_members`]). On
    /// [`Step::Descend`] the walk visits the value against the member's schema, if it has
    /// one.
    fn member(
        &mut self,
        object: &Schema,
        name: &'v str,
        value: &'v Value,
        member: Member,
        path: &[Token<'v>],
    ) -> Step {
        let _ = (object, name, value, member, path);
        Step::Descend
    }
}

impl Schemas {
    /// Walks `value` beside the schema `root`: every place the schema describes is visited,
    /// arrays through `items`, objects through their members when the schema describes them,
    /// down to [`MAX_DEPTH`] levels. Combinators (`allOf`, `anyOf`, `oneOf`, `not`) are not
    /// followed: a visitor that needs them looks at them where it is.
    pub fn walk<'v>(&self, root: SchemaId, value: &'v Value, visitor: &mut impl Visitor<'v>) {
        let mut path = Vec::new();
        self.walk_at(root, value, &mut path, 0, visitor);
    }

    fn walk_at<'v>(
        &self,
        id: SchemaId,
        value: &'v Value,
        path: &mut Vec<Token<'v>>,
        depth: usize,
        visitor: &mut impl Visitor<'v>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = &self[id];
        if visitor.visit(schema, value, path) == Step::Skip {
            return;
        }
        match value {
            Value::Array(items) => {
                let Some(item) = schema.items() else { return };
                for (i, element) in items.iter().enumerate() {
                    path.push(Token::Index(i));
                    self.walk_at(item, element, path, depth + 1, visitor);
                    path.pop();
                }
            }
            Value::Object(map) if schema.describes_members() => {
                for (name, member_value) in map {
                    let member = schema.member(name);
                    path.push(Token::Key(name));
                    if visitor.member(schema, name, member_value, member, path) == Step::Descend
                        && let Some(child) = member.schema()
                    {
                        self.walk_at(child, member_value, path, depth + 1, visitor);
                    }
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Records the pointer of every place visited.
    struct Places(Vec<String>);

    impl<'v> Visitor<'v> for Places {
        fn visit(&mut self, _: &Schema, _: &'v Value, path: &[Token<'v>]) -> Step {
            self.0.push(pointer_of(path));
            Step::Descend
        }
    }

    #[test]
    fn the_walk_follows_items_declared_and_additional_members_only() {
        let doc = json!({"s": {"type": "object", "properties": {
            "list": {"type": "array", "items": {"type": "string"}},
            "map": {"additionalProperties": {"type": "integer"}},
            "free": {"type": "object"}
        }}});
        let mut schemas = Schemas::default();
        let root = schemas.build(&doc, "/s").unwrap();
        let value = json!({"list": ["a", "b"], "map": {"x/y": 1}, "free": {"deep": {}},
                           "extra": 1});
        let mut places = Places(Vec::new());
        schemas.walk(root, &value, &mut places);
        places.0.sort();
        assert_eq!(
            places.0,
            [
                "",
                "/free",
                "/list",
                "/list/0",
                "/list/1",
                "/map",
                "/map/x~1y"
            ]
        );
    }

    #[test]
    fn the_walk_stops_below_the_depth_bound() {
        let doc = json!({"s": {"type": "array", "items": {"$ref": "#/s"}}});
        let mut schemas = Schemas::default();
        let root = schemas.build(&doc, "/s").unwrap();
        let mut value = json!([]);
        for _ in 0..(MAX_DEPTH + 5) {
            value = json!([value]);
        }
        let mut places = Places(Vec::new());
        schemas.walk(root, &value, &mut places);
        assert_eq!(places.0.len(), MAX_DEPTH + 1);
        assert_eq!(
            places.0.last().unwrap().matches('/').count(),
            MAX_DEPTH,
            "the deepest place visited is {MAX_DEPTH} levels down"
        );
    }
}
