//! Drift found while a body's bytes are read: the walk of [`Spec::drift`] driven by the JSON
//! parser instead of over a parsed value, so that checking a response builds no JSON value.
//! Parsing a few kilobytes into a `serde_json::Value` costs several times what the walk does;
//! an in-process drift check (the client's) pays for the parse on every response.
//!
//! The findings are those of [`Spec::drift`] on the parsed body, in the same order (the walk
//! of a parsed value meets an object's members in the order its map keeps, key order unless
//! `serde_json`'s `preserve_order` is on, so the findings are sorted by their path here when
//! it is not). A
//! body with a key twice in one object, which a parsed value keeps only the last of, is
//! handed to [`Spec::drift`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::Spec;
use crate::drift::Drift;
use crate::drift_model::DriftModel;
use crate::schema::{Additional, SchemaId, Schemas};
use crate::walk::{MAX_DEPTH, Token, pointer_of};

/// One step of a path in the body; a key borrowed from the text unless it had escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

impl Spec {
    /// The findings of [`Spec::drift`] for the JSON text `bytes`, found as it is parsed; an
    /// error if `bytes` is not JSON.
    ///
    /// ```
    /// use amazon_music_spec::Spec;
    /// let spec = Spec::embedded().unwrap();
    /// let body = spec.operation("getAlbum").unwrap().success().unwrap().json().unwrap().schema().unwrap();
    /// let text = br#"{"data": {"album": {"id": "B1", "mood": 1}}}"#;
    /// let value = serde_json::from_slice(text).unwrap();
    /// assert_eq!(spec.drift_in(body, text).unwrap(), spec.drift(body, &value));
    /// ```
    pub fn drift_in(&self, root: SchemaId, bytes: &[u8]) -> Result<Vec<Drift>, serde_json::Error> {
        // Checked as UTF-8 once, in one pass, rather than string by string as the parser of
        // a byte slice does; text that is not UTF-8 is left to that parser to report.
        let streamed = match std::str::from_utf8(bytes) {
            Ok(text) => self.drift_streamed(root, text)?,
            Err(_) => None,
        };
        match streamed {
            Some(found) => Ok(found),
            None => {
                let value: Value = serde_json::from_slice(bytes)?;
                Ok(self.drift(root, &value))
            }
        }
    }

    /// The findings for `text` as it is parsed, or `None` when an object gives a member name
    /// twice: which of the two a parsed value keeps is the parser's to say, so such a body (rare)
    /// is parsed whole and walked instead.
    fn drift_streamed(
        &self,
        root: SchemaId,
        text: &str,
    ) -> Result<Option<Vec<Drift>>, serde_json::Error> {
        let mut walk = Walk {
            schemas: self.schemas(),
            model: self.drift_model(),
            path: Vec::new(),
            found: Vec::new(),
            names: Vec::new(),
            duplicate_key: false,
        };
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Node {
            walk: &mut walk,
            schema: root,
            depth: 0,
            null: None,
        }
        .deserialize(&mut deserializer)?;
        deserializer.end()?;
        if walk.duplicate_key {
            return Ok(None);
        }
        if !maps_keep_insertion_order() {
            walk.found.sort_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(Some(
            walk.found
                .into_iter()
                .map(|(_, mut drift)| {
                    drift.spec_line = self.line_of(&drift.spec_pointer);
                    drift
                })
                .collect(),
        ))
    }
}

/// Whether `serde_json`'s maps iterate in insertion order (its `preserve_order` feature, which
/// any crate of a build may turn on) rather than in key order: the walk of a parsed value meets
/// members in that order, and so must the findings here.
fn maps_keep_insertion_order() -> bool {
    static ORDER: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ORDER.get_or_init(|| {
        let mut map = serde_json::Map::new();
        map.insert("b".into(), Value::Null);
        map.insert("a".into(), Value::Null);
        map.keys().next().is_some_and(|k| k == "b")
    })
}

struct Walk<'s, 'de> {
    schemas: &'s Schemas,
    model: &'s DriftModel,
    path: Vec<Step<'de>>,
    /// Each finding with the path it was found at, for the walk's order.
    found: Vec<(Vec<Step<'de>>, Drift)>,
    /// The member names of the objects being read, innermost last: one buffer for the whole
    /// body, to notice a name given twice without a set per object.
    names: Vec<Cow<'de, str>>,
    duplicate_key: bool,
}

impl Walk<'_, '_> {
    fn push(&mut self, drift: Drift) {
        self.found.push((self.path.clone(), drift));
    }

    fn pointer(&self) -> String {
        let tokens: Vec<Token<'_>> = self
            .path
            .iter()
            .map(|step| match step {
                Step::Key(key) => Token::Key(key.as_ref()),
                Step::Index(i) => Token::Index(*i),
            })
            .collect();
        pointer_of(&tokens)
    }
}

/// A declared member, whose `null` is drift if it is optional: the object's schema, the
/// member's place among its properties, and its name.
type NullRule<'de> = (SchemaId, usize, Cow<'de, str>);

/// The walk at one value: its schema and depth.
struct Node<'w, 's, 'de> {
    walk: &'w mut Walk<'s, 'de>,
    schema: SchemaId,
    depth: usize,
    /// Set for a declared member: a `null` there is drift if the member is optional and not
    /// `nullable` (whether it is required is looked up only for a `null`, which is rare).
    null: Option<NullRule<'de>>,
}

/// A member's name, borrowed from the text when it can be.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // Beyond the walk's depth nothing is looked at, as in `Schemas::walk`; a member's
        // `null` was judged by its object, one level up.
        if self.depth > MAX_DEPTH && self.null.is_none() {
            deserializer.deserialize_ignored_any(IgnoredAny)?;
            return Ok(());
        }
        if self.walk.model.node(self.schema).is_leaf() {
            // A leaf of the walk: nothing in the value can be drift but a `null`, so the value
            // is skipped, not read (a string is not copied out or checked).
            return match self.null {
                Some(_) => deserializer.deserialize_option(NullOnly(self)),
                None => deserializer.deserialize_ignored_any(IgnoredAny).map(drop),
            };
        }
        deserializer.deserialize_any(self)
    }
}

/// A leaf's value, looked at only for whether it is `null`.
struct NullOnly<'w, 's, 'de>(Node<'w, 's, 'de>);

impl<'de> Visitor<'de> for NullOnly<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_ignored_any(IgnoredAny).map(drop)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        let Some((object_id, at, name)) = self.null else {
            return Ok(());
        };
        let model = self.walk.model;
        if model.node(self.schema).nullable {
            return Ok(());
        }
        let schemas = self.walk.schemas;
        let object = schemas.get(object_id);
        let required = model
            .is_required(model.node(object_id), at)
            .unwrap_or_else(|| object.is_required(&name));
        if required {
            return Ok(());
        }
        let property = schemas.get(self.schema);
        let walk = &*self.walk;
        if let Some(drift) = Drift::null_not_nullable(object, &name, property, || walk.pointer()) {
            self.walk.push(drift);
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        if self.depth > MAX_DEPTH || !self.walk.model.node(self.schema).extensible {
            return Ok(());
        }
        let schema = self.walk.schemas.get(self.schema);
        let walk = &*self.walk;
        if let Some(drift) = Drift::unlisted_value(schema, s, || walk.pointer()) {
            self.walk.push(drift);
        }
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // An extensible string's schema is a leaf: the model gives it no items.
        let item = match self.walk.model.node(self.schema).items {
            Some(item) if self.depth <= MAX_DEPTH => item,
            _ => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
        };
        let mut index = 0;
        loop {
            self.walk.path.push(Step::Index(index));
            let more = seq.next_element_seed(Node {
                walk: &mut *self.walk,
                schema: item,
                depth: self.depth + 1,
                null: None,
            })?;
            self.walk.path.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let model = self.walk.model;
        let node = model.node(self.schema);
        if self.depth > MAX_DEPTH || node.extensible || !node.describes_members {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        // A name given twice is noticed without comparing names: declared members by their
        // place among the properties (one bit each), the rest, which are rare, by name.
        let mut declared_seen: u64 = 0;
        let first = self.walk.names.len();
        // Bodies usually give an object's members in one order, often the properties' own
        // (sorted) order: the property after the last one found is tried before a search.
        let mut next = 0;
        let count = model.member_count(node);
        while let Some(name) = map.next_key_seed(Key)? {
            let index = if next < count && model.member(node, next).0 == name.as_bytes() {
                Some(next)
            } else {
                model.find(node, &name)
            };
            match index {
                Some(at) => {
                    next = at + 1;
                    if at < 64 {
                        let bit = 1u64 << at;
                        if declared_seen & bit != 0 {
                            self.walk.duplicate_key = true;
                        }
                        declared_seen |= bit;
                    } else {
                        self.note_name(first, name.clone());
                    }
                }
                None => self.note_name(first, name.clone()),
            }
            self.walk.path.push(Step::Key(name.clone()));
            match (index, node.additional) {
                (Some(at), _) => {
                    let child = model.member(node, at).1;
                    map.next_value_seed(Node {
                        walk: &mut *self.walk,
                        schema: child,
                        depth: self.depth + 1,
                        null: Some((self.schema, at, name)),
                    })?;
                }
                (None, Additional::Schema(child)) => {
                    map.next_value_seed(Node {
                        walk: &mut *self.walk,
                        schema: child,
                        depth: self.depth + 1,
                        null: None,
                    })?;
                }
                (None, Additional::Allowed) => {
                    map.next_value::<IgnoredAny>()?;
                }
                (None, Additional::Absent | Additional::Forbidden) => {
                    let schema = self.walk.schemas.get(self.schema);
                    let walk = &*self.walk;
                    let drift = Drift::unknown_field(schema, &name, || walk.pointer());
                    self.walk.push(drift);
                    map.next_value::<IgnoredAny>()?;
                }
            }
            self.walk.path.pop();
        }
        self.walk.names.truncate(first);
        Ok(())
    }
}

impl<'de> Node<'_, '_, 'de> {
    /// Notes an undeclared member's name (or a declared one past the first 64), and whether
    /// the object being read already had it.
    fn note_name(&mut self, first: usize, name: Cow<'de, str>) {
        if self.walk.names[first..].contains(&name) {
            self.walk.duplicate_key = true;
        }
        self.walk.names.push(name);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use crate::Spec;

    /// A JSON document as written: members in the order given, which a parsed value does not
    /// keep.
    #[derive(Debug, Clone)]
    enum Doc {
        Leaf(Value),
        Array(Vec<Doc>),
        Object(Vec<(String, Doc)>),
    }

    impl Doc {
        fn text(&self) -> String {
            match self {
                Doc::Leaf(v) => v.to_string(),
                Doc::Array(items) => {
                    let items: Vec<String> = items.iter().map(Doc::text).collect();
                    format!("[{}]", items.join(","))
                }
                Doc::Object(members) => {
                    let members: Vec<String> = members
                        .iter()
                        .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v.text()))
                        .collect();
                    format!("{{{}}}", members.join(","))
                }
            }
        }
    }

    /// Documents made of the names and values the spec's responses use, and others.
    fn spec_like_doc() -> impl Strategy<Value = Doc> {
        let names = prop::sample::select(vec![
            "data",
            "album",
            "albums",
            "id",
            "title",
            "tracks",
            "images",
            "url",
            "height",
            "saveState",
            "mediaType",
            "explicitContent",
            "artists",
            "name",
            "mood",
            "entities",
            "track",
            "queue",
            "edges",
            "node",
            "cursor",
            "pageInfo",
            "a/b",
            "~x",
            "zz",
            "aa",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            prop::sample::select(vec!["SAVED", "REMOVED", "AUDIO", "NEW", ""])
                .prop_map(Value::from),
            "\\PC{0,8}".prop_map(Value::from),
        ]
        .prop_map(Doc::Leaf);
        leaf.prop_recursive(6, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Doc::Array),
                prop::collection::vec((names.clone(), inner), 0..6).prop_map(|members| {
                    Doc::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest::proptest! {
        /// Any body, against every response schema of the spec: the same findings, in the same
        /// order, as the walk of the parsed value (members written in any order, keys given
        /// twice included).
        #[test]
        fn the_findings_are_those_of_the_parsed_walk(doc in spec_like_doc(), wrap in any::<bool>()) {
            let spec = Spec::embedded().unwrap();
            let text = if wrap { format!("{{\"data\":{}}}", doc.text()) } else { doc.text() };
            let body: Value = serde_json::from_str(&text).unwrap();
            for op in spec.operations() {
                for response in op.responses() {
                    let Some(schema) = response.json().and_then(|m| m.schema()) else { continue };
                    prop_assert_eq!(spec.drift_in(schema, text.as_bytes()).unwrap(), spec.drift(schema, &body));
                }
            }
        }
    }

    /// The spec and the schema of `getAlbum`'s success.
    fn get_album() -> (&'static Spec, crate::SchemaId) {
        let spec = Spec::embedded().unwrap();
        let op = spec.operation("getAlbum").unwrap();
        (
            spec,
            op.success().unwrap().json().unwrap().schema().unwrap(),
        )
    }

    #[test]
    fn a_key_given_twice_is_judged_as_a_parsed_value_keeps_it() {
        let (spec, schema) = get_album();
        let text = br#"{"data": {"album": {"mood": 1, "id": "B1", "mood": 2, "saveState": null}}}"#;
        let value: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(
            spec.drift_in(schema, text).unwrap(),
            spec.drift(schema, &value)
        );
    }

    /// A declared member given twice is noticed as well as an undeclared one, and the last
    /// of the two is the one judged.
    #[test]
    fn a_declared_key_given_twice_is_judged_as_a_parsed_value_keeps_it() {
        let (spec, schema) = get_album();
        let text = br#"{"data": {"album": {"id": "B1", "title": null, "title": "T"}}}"#;
        let value: Value = serde_json::from_slice(text).unwrap();
        let found = spec.drift_in(schema, text).unwrap();
        assert_eq!(found, spec.drift(schema, &value));
        assert!(found.is_empty(), "{found:?}");
    }

    /// A schema that nests itself: the stream stops at the depth bound exactly where the walk
    /// of a parsed value stops, for members and for listed values alike.
    #[test]
    fn a_recursive_schema_is_walked_to_the_same_depth_as_a_parsed_value() {
        let (spec, schema) = node_spec();
        let mut body = json!({"mode": "NEW", "extra": 1});
        // Through members and through array items by turns: each counts as a level.
        for level in 0..crate::MAX_DEPTH + 8 {
            body = if level % 2 == 0 {
                json!({"mode": "NEW", "extra": 1, "child": body})
            } else {
                json!({"mode": "NEW", "extra": 1, "children": [body]})
            };
        }
        let text = serde_json::to_vec(&body).unwrap();
        let streamed = spec.drift_in(schema, &text).unwrap();
        assert_eq!(streamed, spec.drift(schema, &body));
        // Both kinds of drift are found, and only down to the bound.
        assert!(
            streamed
                .iter()
                .any(|d| d.kind == crate::DriftKind::UnknownField)
        );
        assert!(
            streamed
                .iter()
                .any(|d| d.kind == crate::DriftKind::UnlistedValue)
        );
        assert!(
            streamed.len() < 2 * (crate::MAX_DEPTH + 9),
            "{}",
            streamed.len()
        );
    }

    /// A schema of 70 members `p00` to `p69`, each `property` (YAML), with `required` (a YAML
    /// list): past the 64 the drift walk keeps one bit each for.
    fn wide_spec(property: &str, required: &str) -> (Spec, crate::SchemaId, Vec<String>) {
        let names: Vec<String> = (0..70).map(|i| format!("p{i:02}")).collect();
        let mut yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n\
             \x20   Wide:\n      type: object\n      required: {required}\n      properties:\n",
        );
        for name in &names {
            yaml.push_str(&format!("        {name}: {property}\n"));
        }
        let spec = Spec::from_yaml_str(&yaml).unwrap();
        let schema = spec.schema_at("/components/schemas/Wide").unwrap();
        (spec, schema, names)
    }

    /// Past 64 members, where the one-bit-per-member bookkeeping ends, members are still
    /// walked and a name given twice still noticed.
    #[test]
    fn an_object_of_more_than_64_members_is_walked_like_any_other() {
        let (spec, schema, names) =
            wide_spec("{type: string, x-extensible-enum: [A]}", "[p63, p64, p69]");
        let mut body = serde_json::Map::new();
        for name in &names {
            body.insert(name.clone(), json!("B"));
        }
        body.insert("extra".into(), json!(1));
        let body = Value::Object(body);
        let found = spec
            .drift_in(schema, &serde_json::to_vec(&body).unwrap())
            .unwrap();
        assert_eq!(found, spec.drift(schema, &body));
        assert_eq!(found.len(), 71);
        let twice = br#"{"p68": "B", "p68": "A"}"#;
        let parsed: Value = serde_json::from_slice(twice).unwrap();
        assert_eq!(
            spec.drift_in(schema, twice).unwrap(),
            spec.drift(schema, &parsed)
        );
    }

    #[test]
    fn deep_bodies_stop_where_the_walk_stops_and_bad_json_is_an_error() {
        let (spec, schema) = get_album();
        let mut deep = json!({"x": 1});
        for level in 0..100 {
            deep = if level % 2 == 0 {
                json!({"data": deep, "mood": null})
            } else {
                json!([deep, {"album": null}])
            };
        }
        let text = serde_json::to_vec(&deep).unwrap();
        assert_eq!(
            spec.drift_in(schema, &text).unwrap(),
            spec.drift(schema, &deep)
        );
        assert!(spec.drift_in(schema, b"<html>").is_err());
        // Not UTF-8 inside a string: the byte parser's error, as when parsed whole.
        assert!(
            spec.drift_in(schema, b"{\"data\": {\"album\": {\"id\": \"B\xff\"}}}")
                .is_err()
        );
        assert!(spec.drift_in(schema, b"{} trailing").is_err());
    }

    /// The recursive schema of the depth tests: an extensible `mode`, one `child`, a list of
    /// `children`.
    fn node_spec() -> (Spec, crate::SchemaId) {
        let spec = Spec::from_yaml_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n\
             \x20   Node:\n      type: object\n      properties:\n\
             \x20       mode: {type: string, x-extensible-enum: [ON, OFF]}\n\
             \x20       child: {$ref: '#/components/schemas/Node'}\n\
             \x20       children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n\
             \x20       byName: {type: object, additionalProperties: {$ref: '#/components/schemas/Node'}}\n",
        )
        .unwrap();
        let schema = spec.schema_at("/components/schemas/Node").unwrap();
        (spec, schema)
    }

    /// Nested through declared members only, through lists only, through a member then lists,
    /// and through undeclared members an `additionalProperties` schema describes: an object, a
    /// list and a string each land exactly on the depth bound and one past it, and the stream
    /// finds there what the walk of the parsed value finds, no more and no less.
    #[test]
    fn every_kind_of_value_at_and_past_the_depth_bound_is_judged_as_the_parsed_walk_does() {
        let (spec, schema) = node_spec();
        let level = |inner: Value, how: &str| match how {
            "list" => json!({"mode": "NEW", "extra": 1, "children": [inner, {"mode": "NEW"}]}),
            "map" => json!({"mode": "NEW", "extra": 1, "byName": {"k": inner}}),
            _ => json!({"mode": "NEW", "extra": 1, "child": inner}),
        };
        for name in ["members", "lists", "member, lists", "maps"] {
            let mut body = json!({"mode": "NEW", "extra": 1});
            let levels = crate::MAX_DEPTH + 4;
            for i in (0..levels).rev() {
                let how = match name {
                    "members" => "member",
                    "lists" => "list",
                    "maps" => "map",
                    _ if i == 0 => "member",
                    _ => "list",
                };
                body = level(body, how);
            }
            let text = serde_json::to_vec(&body).unwrap();
            let streamed = spec.drift_in(schema, &text).unwrap();
            let parsed = spec.drift(schema, &body);
            assert_eq!(streamed, parsed, "nested through {name}");
            let deepest = parsed
                .iter()
                .map(|d| d.body_pointer.matches('/').count())
                .max()
                .unwrap();
            assert!(
                (crate::MAX_DEPTH - 1..=crate::MAX_DEPTH + 1).contains(&deepest),
                "{name}: the deepest finding is {deepest} levels down"
            );
        }
    }

    /// Member names written with escapes are read as the names they spell.
    #[test]
    fn escaped_member_names_are_the_names_they_spell() {
        let (spec, schema) = get_album();
        let text = br#"{"d\u0061ta": {"\u0061lbum": {"m\u006fod": 1, "saveSt\u0061te": "NEW"}}}"#;
        let value: Value = serde_json::from_slice(text).unwrap();
        let found = spec.drift_in(schema, text).unwrap();
        assert_eq!(found, spec.drift(schema, &value));
        let pointers: Vec<&str> = found.iter().map(|d| d.body_pointer.as_str()).collect();
        assert_eq!(pointers, ["/data/album/mood", "/data/album/saveState"]);
    }

    /// A body whose names are each given once is judged as it streams, however many members an
    /// object has and in whatever order; a name given twice, declared (among the first 64 or
    /// past them) or not, sends it to be parsed whole.
    #[test]
    fn only_a_name_given_twice_sends_a_body_to_be_parsed_whole() {
        let (spec, schema, names) = wide_spec("{type: integer}", "[]");
        let object = |names: &mut dyn Iterator<Item = &String>| {
            let members: Vec<String> = names.map(|n| format!("\"{n}\": 1")).collect();
            format!("{{{}, \"x\": 1, \"y\": 2}}", members.join(", "))
        };
        for once in [object(&mut names.iter()), object(&mut names.iter().rev())] {
            assert!(
                spec.drift_streamed(schema, &once).unwrap().is_some(),
                "{once}"
            );
        }
        for twice in [
            r#"{"p03": 1, "p04": 1, "p03": 2}"#,
            r#"{"p66": 1, "p67": 1, "p66": 2}"#,
            r#"{"x": 1, "p01": 1, "x": 2}"#,
        ] {
            assert!(
                spec.drift_streamed(schema, twice).unwrap().is_none(),
                "{twice}"
            );
            let parsed: Value = serde_json::from_str(twice).unwrap();
            assert_eq!(
                spec.drift_in(schema, twice.as_bytes()).unwrap(),
                spec.drift(schema, &parsed)
            );
        }
    }

    /// Past the 64th member, whether a member is required is the schema's to say: a `null`
    /// there is drift only for an optional member, whatever the first members are.
    #[test]
    fn a_null_past_the_64th_member_is_drift_only_if_that_member_is_optional() {
        let (spec, schema, _) = wide_spec("{type: integer}", "[p01, p64]");
        let text = br#"{"p00": null, "p01": null, "p64": null, "p65": null}"#;
        let parsed: Value = serde_json::from_slice(text).unwrap();
        let found = spec.drift_in(schema, text).unwrap();
        assert_eq!(found, spec.drift(schema, &parsed));
        let pointers: Vec<&str> = found.iter().map(|d| d.body_pointer.as_str()).collect();
        assert_eq!(pointers, ["/p00", "/p65"]);
    }
}
