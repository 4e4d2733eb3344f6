//! A drifting service: success bodies carry what the spec does not know yet, deterministically
//! per seed, so that the whole loop (record, see drift, propose spec changes) can be tested and
//! downstream code can prove it tolerates a service that grows.
//!
//! The plan is drawn once from the spec: a few object schemas get a new field, a few
//! `x-extensible-enum` strings get a new value, and one optional property comes back `null`.
//! Every change stays within the spec (objects are open, extensible strings are plain strings,
//! optional properties are read as absent when `null`), so a validator calls it drift, never a
//! violation.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::prng::Prng;

/// How many object schemas get a new field, extensible strings a new value, and optional
/// properties a `null`, per seed.
const FIELDS: usize = 3;
const VALUES: usize = 2;
const NULLS: usize = 1;

/// Names a new field can take, with the JSON type of its values; each is checked against the
/// schema's own properties before use.
const NEW_FIELDS: [(&str, FieldType); 8] = [
    ("popularity", FieldType::Integer),
    ("releaseYear", FieldType::Integer),
    ("explicitContent", FieldType::Boolean),
    ("labelName", FieldType::String),
    ("regionCode", FieldType::String),
    ("playCount", FieldType::Integer),
    ("isPreview", FieldType::Boolean),
    ("editorialNote", FieldType::String),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FieldType {
    Integer,
    Boolean,
    String,
}

/// What kind of change the drifting mock made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DriftInjectionKind {
    /// A property the object's schema does not declare.
    UnknownField,
    /// A value the string's `x-extensible-enum` does not list.
    UnlistedValue,
    /// `null` for an optional property whose schema is not `nullable`.
    NullNotNullable,
}

/// One change the drifting mock made to a response it served, in the terms of the
/// conformance library's drift findings, so a test can compare the two.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DriftInjection {
    /// What kind of change.
    pub kind: DriftInjectionKind,
    /// JSON pointer into the spec: the object schema (new field), its `x-extensible-enum`
    /// (new value), or the property sent as `null`.
    pub spec_pointer: String,
    /// The field's name, the new value, or the property's name.
    pub found: String,
}

/// The changes drawn for one seed, and the ones actually served.
#[derive(Debug)]
pub(crate) struct DriftPlan {
    seed: u64,
    /// Per operation (in the mock's order), the pointer of its success body's schema.
    roots: Vec<Option<String>>,
    /// Object schema → new field.
    fields: BTreeMap<String, (String, FieldType)>,
    /// Pointer of an extensible string schema → the new value.
    values: BTreeMap<String, String>,
    /// Object schema → property sent as `null` (its pointer, its name).
    nulls: BTreeMap<String, (String, String)>,
    served: Mutex<BTreeSet<DriftInjection>>,
}

/// What the schemas reachable from success bodies offer to drift.
#[derive(Default)]
struct Candidates {
    objects: BTreeMap<String, BTreeSet<String>>,
    extensible: BTreeSet<String>,
    /// (object schema, property pointer, property name) of optional, non-nullable properties.
    optional: BTreeSet<(String, String, String)>,
}

impl DriftPlan {
    /// Draws the plan for `seed` from `document`; `operations` are the operations' pointers in
    /// the mock's order.
    pub(crate) fn new(seed: u64, document: &Value, operations: &[String]) -> Self {
        let mut candidates = Candidates::default();
        let mut seen = HashSet::new();
        let roots: Vec<Option<String>> = operations
            .iter()
            .map(|op| {
                let root = success_schema(document, op)?;
                collect(document, &root, &mut candidates, &mut seen);
                Some(root)
            })
            .collect();

        let mut prng = Prng::derived(seed, "drift", 0);
        let mut fields = BTreeMap::new();
        for pointer in draw(&mut prng, candidates.objects.keys(), FIELDS) {
            let known = &candidates.objects[&pointer];
            let start = prng.below(NEW_FIELDS.len() as u64) as usize;
            let free = (0..NEW_FIELDS.len())
                .map(|i| NEW_FIELDS[(start + i) % NEW_FIELDS.len()])
                .find(|(name, _)| !known.contains(*name));
            if let Some((name, ty)) = free {
                fields.insert(pointer, (name.to_owned(), ty));
            }
        }
        let mut values = BTreeMap::new();
        for pointer in draw(&mut prng, candidates.extensible.iter(), VALUES) {
            let suffix: String = (0..4)
                .map(|_| char::from(b'A' + prng.below(26) as u8))
                .collect();
            values.insert(pointer, format!("DRIFT_{suffix}"));
        }
        let mut nulls = BTreeMap::new();
        for (object, property, name) in draw(&mut prng, candidates.optional.iter(), NULLS) {
            nulls.insert(object, (property, name));
        }
        Self {
            seed,
            roots,
            fields,
            values,
            nulls,
            served: Mutex::new(BTreeSet::new()),
        }
    }

    /// Changes the success body of operation `op` in place.
    pub(crate) fn apply(&self, document: &Value, op: usize, body: &mut Value) {
        let Some(Some(root)) = self.roots.get(op) else {
            return;
        };
        let mut served = Vec::new();
        let mut path = String::new();
        self.walk(document, root, body, &mut path, &mut served, 0);
        if !served.is_empty() {
            let mut all = self.served.lock().unwrap_or_else(|e| e.into_inner());
            all.extend(served);
        }
    }

    /// Every change served so far.
    pub(crate) fn served(&self) -> Vec<DriftInjection> {
        let served = self.served.lock().unwrap_or_else(|e| e.into_inner());
        served.iter().cloned().collect()
    }

    fn walk(
        &self,
        document: &Value,
        pointer: &str,
        value: &mut Value,
        path: &mut String,
        served: &mut Vec<DriftInjection>,
        depth: usize,
    ) {
        let (pointer, Some(schema)) = resolve(document, pointer) else {
            return;
        };
        if depth > 32 {
            return;
        }
        if schema.get("x-extensible-enum").is_some() {
            if let (Some(new), Value::String(s)) = (self.values.get(&pointer), &mut *value) {
                *s = new.clone();
                served.push(DriftInjection {
                    kind: DriftInjectionKind::UnlistedValue,
                    spec_pointer: format!("{pointer}/x-extensible-enum"),
                    found: new.clone(),
                });
            }
            return;
        }
        match value {
            Value::Array(items) if schema.get("items").is_some() => {
                let at = format!("{pointer}/items");
                for (i, item) in items.iter_mut().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    self.walk(document, &at, item, path, served, depth + 1);
                    path.truncate(len);
                }
            }
            Value::Object(map) => {
                if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                    // What is about to be replaced by `null` serves nothing below it.
                    let nulled = self.nulls.get(&pointer).map(|(_, name)| name.as_str());
                    for (name, child) in map.iter_mut() {
                        if props.contains_key(name) && Some(name.as_str()) != nulled {
                            let at = format!(
                                "{pointer}/properties/{}",
                                amazon_music_conformance::escape_pointer_token(name)
                            );
                            let len = path.len();
                            path.push('/');
                            path.push_str(name);
                            self.walk(document, &at, child, path, served, depth + 1);
                            path.truncate(len);
                        }
                    }
                } else if schema
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                {
                    let at = format!("{pointer}/additionalProperties");
                    for child in map.values_mut() {
                        self.walk(document, &at, child, path, served, depth + 1);
                    }
                }
                self.change_object(&pointer, map, path, served);
            }
            _ => {}
        }
    }

    fn change_object(
        &self,
        pointer: &str,
        map: &mut Map<String, Value>,
        path: &str,
        served: &mut Vec<DriftInjection>,
    ) {
        if let Some((name, ty)) = self.fields.get(pointer) {
            // Each object gets its own value, the same on every run with this seed.
            let mut prng = Prng::derived(self.seed, path, map.len() as u64);
            let value = match ty {
                FieldType::Integer => Value::from(prng.range(1, 10_000)),
                FieldType::Boolean => Value::Bool(prng.below(2) == 1),
                FieldType::String => Value::String(format!("drift-{}", prng.range(100, 999))),
            };
            map.insert(name.clone(), value);
            served.push(DriftInjection {
                kind: DriftInjectionKind::UnknownField,
                spec_pointer: pointer.to_owned(),
                found: name.clone(),
            });
        }
        if let Some((property, name)) = self.nulls.get(pointer) {
            map.insert(name.clone(), Value::Null);
            served.push(DriftInjection {
                kind: DriftInjectionKind::NullNotNullable,
                spec_pointer: property.clone(),
                found: name.clone(),
            });
        }
    }
}

/// Up to `n` distinct items of `items`, drawn by `prng`, in the items' order.
fn draw<'a, T: Clone + Ord + 'a>(
    prng: &mut Prng,
    items: impl Iterator<Item = &'a T>,
    n: usize,
) -> Vec<T> {
    let mut pool: Vec<T> = items.cloned().collect();
    let mut out = Vec::new();
    while out.len() < n && !pool.is_empty() {
        out.push(pool.remove(prng.below(pool.len() as u64) as usize));
    }
    out.sort();
    out
}

/// The schema of the first 2xx JSON response of the operation at `op`.
fn success_schema(document: &Value, op: &str) -> Option<String> {
    let responses = document.pointer(&format!("{op}/responses"))?.as_object()?;
    let key = responses.keys().find(|k| k.starts_with('2'))?;
    let (response, Some(resolved)) = resolve(document, &format!("{op}/responses/{key}")) else {
        return None;
    };
    let content = resolved.get("content")?.as_object()?;
    let media = content.keys().find(|m| m.contains("json"))?;
    let at = format!(
        "{response}/content/{}/schema",
        amazon_music_conformance::escape_pointer_token(media)
    );
    Some(resolve(document, &at).0)
}

fn collect(document: &Value, pointer: &str, out: &mut Candidates, seen: &mut HashSet<String>) {
    let (pointer, Some(schema)) = resolve(document, pointer) else {
        return;
    };
    if !seen.insert(pointer.clone()) {
        return;
    }
    if schema.get("x-extensible-enum").is_some() {
        out.extensible.insert(pointer);
        return;
    }
    if schema.get("items").is_some() {
        collect(document, &format!("{pointer}/items"), out, seen);
    }
    if schema
        .get("additionalProperties")
        .is_some_and(Value::is_object)
    {
        collect(
            document,
            &format!("{pointer}/additionalProperties"),
            out,
            seen,
        );
    }
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.objects
        .insert(pointer.clone(), props.keys().cloned().collect());
    for name in props.keys() {
        let at = format!(
            "{pointer}/properties/{}",
            amazon_music_conformance::escape_pointer_token(name)
        );
        if !required.contains(&name.as_str())
            && let (_, Some(property)) = resolve(document, &at)
            && property.get("nullable") != Some(&Value::Bool(true))
        {
            out.optional
                .insert((pointer.clone(), at.clone(), name.clone()));
        }
        collect(document, &at, out, seen);
    }
}

/// Follows `$ref`s from `pointer` (local references only): the pointer reached and the
/// schema there, `None` when it is missing, external or a loop.
fn resolve<'d>(document: &'d Value, pointer: &str) -> (String, Option<&'d Value>) {
    let mut pointer = pointer.to_owned();
    for _ in 0..32 {
        let Some(schema) = document.pointer(&pointer) else {
            return (pointer, None);
        };
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with('#') => pointer = target[1..].to_owned(),
            Some(_) => return (pointer, None),
            None => return (pointer, Some(schema)),
        }
    }
    (pointer, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document whose operations `/0`, `/1`... answer 200 with `schemas` in order.
    fn document(schemas: &[Value]) -> (Value, Vec<String>) {
        let mut paths = Map::new();
        for (i, schema) in schemas.iter().enumerate() {
            paths.insert(
                format!("/{i}"),
                json!({"get": {"responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}}
                }}}}),
            );
        }
        let ops = (0..schemas.len())
            .map(|i| format!("/paths/~1{i}/get"))
            .collect();
        (json!({ "paths": paths }), ops)
    }

    fn extensible() -> Value {
        json!({"type": "string", "x-extensible-enum": ["A"]})
    }

    /// How one level nests in the next.
    #[derive(Debug, Clone, Copy)]
    enum Nesting {
        Property,
        Item,
        MapValue,
    }

    /// An extensible string `levels` levels deep, each level a `nesting`, and a body that
    /// reaches it.
    fn chain(nesting: Nesting, levels: usize) -> (Value, Value) {
        let (mut schema, mut body) = (extensible(), json!("A"));
        for _ in 0..levels {
            (schema, body) = match nesting {
                Nesting::Property => (
                    json!({"type": "object", "required": ["n"], "properties": {"n": schema}}),
                    json!({ "n": body }),
                ),
                Nesting::Item => (json!({"type": "array", "items": schema}), json!([body])),
                Nesting::MapValue => (
                    json!({"type": "object", "additionalProperties": schema}),
                    json!({ "n": body }),
                ),
            };
        }
        (schema, body)
    }

    fn leaf(nesting: Nesting, body: &Value, levels: usize) -> &Value {
        (0..levels).fold(body, |v, _| match nesting {
            Nesting::Item => &v[0],
            Nesting::Property | Nesting::MapValue => &v["n"],
        })
    }

    /// The depth limit holds along every kind of nesting the walk follows.
    #[test]
    fn values_are_changed_32_levels_deep_and_no_deeper() {
        for nesting in [Nesting::Property, Nesting::Item, Nesting::MapValue] {
            let (deep, deep_body) = chain(nesting, 32);
            let (deeper, deeper_body) = chain(nesting, 33);
            let (doc, ops) = document(&[deep, deeper]);
            let plan = DriftPlan::new(1, &doc, &ops);
            let mut body = deep_body;
            plan.apply(&doc, 0, &mut body);
            let changed = leaf(nesting, &body, 32);
            assert!(
                changed.as_str().unwrap().starts_with("DRIFT_"),
                "{nesting:?}: {changed}"
            );
            let mut body = deeper_body;
            plan.apply(&doc, 1, &mut body);
            assert_eq!(leaf(nesting, &body, 33), "A", "{nesting:?}");
        }
    }

    /// With as few candidates as the plan draws, every kind of change lands where it belongs:
    /// a new field in each object (the root and every array item), a new value in each item's
    /// extensible string, and `null` for the one optional property that is not `nullable`.
    #[test]
    fn every_kind_of_change_reaches_its_place() {
        let schema = json!({
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {"type": "array", "items": {
                    "type": "object", "required": ["kind"], "properties": {"kind": extensible()}
                }},
                "note": {"type": "string"},
                "maybe": {"type": "string", "nullable": true}
            }
        });
        let (doc, ops) = document(&[schema]);
        let root = "/paths/~10/get/responses/200/content/application~1json/schema";
        for seed in 0..4 {
            let plan = DriftPlan::new(seed, &doc, &ops);
            let mut body =
                json!({"items": [{"kind": "A"}, {"kind": "A"}], "note": "n", "maybe": "m"});
            plan.apply(&doc, 0, &mut body);

            assert_eq!(body["note"], Value::Null, "seed {seed}: {body}");
            assert_eq!(
                body["maybe"], "m",
                "seed {seed}: a nullable property keeps its value"
            );
            let new = |object: &Value, known: &[&str]| -> Vec<String> {
                let map = object.as_object().unwrap();
                map.keys()
                    .filter(|k| !known.contains(&k.as_str()))
                    .cloned()
                    .collect()
            };
            let root_field = new(&body, &["items", "note", "maybe"]);
            assert_eq!(root_field.len(), 1, "seed {seed}: {body}");
            let kind = body["items"][0]["kind"].as_str().unwrap().to_owned();
            assert!(kind.starts_with("DRIFT_"), "seed {seed}: {body}");
            let item_field = new(&body["items"][0], &["kind"]);
            for item in body["items"].as_array().unwrap() {
                assert_eq!(item["kind"], kind.as_str(), "seed {seed}");
                assert_eq!(new(item, &["kind"]), item_field, "seed {seed}: {body}");
            }
            assert_eq!(item_field.len(), 1, "seed {seed}: {body}");

            let served: Vec<(DriftInjectionKind, String)> = plan
                .served()
                .into_iter()
                .map(|d| (d.kind, d.found))
                .collect();
            for want in [
                (DriftInjectionKind::UnknownField, root_field[0].clone()),
                (DriftInjectionKind::UnknownField, item_field[0].clone()),
                (DriftInjectionKind::UnlistedValue, kind.clone()),
                (DriftInjectionKind::NullNotNullable, "note".to_owned()),
            ] {
                assert!(
                    served.contains(&want),
                    "seed {seed}: {want:?} not in {served:?}"
                );
            }
            assert_eq!(served.len(), 4, "seed {seed}: {served:?}");
            assert!(plan.served().iter().any(|d| d.spec_pointer == root));
        }
    }

    #[test]
    fn draw_takes_up_to_n_distinct_items_in_their_order() {
        let items: Vec<u32> = (0..10).collect();
        let mut prng = Prng::new(3);
        for n in [0, 1, 3, 10] {
            let drawn = draw(&mut prng, items.iter(), n);
            assert_eq!(drawn.len(), n);
            assert!(drawn.windows(2).all(|w| w[0] < w[1]), "{drawn:?}");
        }
        assert_eq!(draw(&mut prng, items[..2].iter(), 5), [0, 1]);
    }

    #[test]
    fn values_of_a_map_at_the_root_drift_too() {
        let map = json!({"type": "object", "additionalProperties": extensible()});
        let (doc, ops) = document(&[map]);
        let plan = DriftPlan::new(1, &doc, &ops);
        let mut body = json!({"k": "A", "l": "A"});
        plan.apply(&doc, 0, &mut body);
        let changed = body["k"].as_str().unwrap();
        assert!(changed.starts_with("DRIFT_"), "{body}");
        assert_eq!(body["l"], changed, "one new value per schema");
        assert_eq!(
            plan.served(),
            [DriftInjection {
                kind: DriftInjectionKind::UnlistedValue,
                spec_pointer: "/paths/~10/get/responses/200/content/application~1json/schema/additionalProperties/x-extensible-enum".into(),
                found: changed.to_owned(),
            }]
        );
    }
}
