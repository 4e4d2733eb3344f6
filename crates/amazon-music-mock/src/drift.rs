//! A drifting service: success bodies carry what the spec does not know yet, deterministically
//! per seed, so that the whole loop (record, see drift, propose spec changes) can be tested and
//! downstream code can prove it tolerates a service that grows.
//!
//! The plan is drawn once from the spec: a few object schemas get a new field, a few
//! `x-extensible-enum` strings get a new value, and one optional property comes back `null`.
//! Every change stays within the spec (objects are open, extensible strings are plain strings,
//! optional properties are read as absent when `null`), so a validator calls it drift, never a
//! violation.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use amazon_music_spec::{DriftKind, Schema, SchemaId, Spec, Step, Token, Visitor, pointer_of};
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

/// One change the drifting mock made to a response it served, in the terms of drift findings
/// (`amazon_music_spec::Drift`), so a test can compare the two.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DriftInjection {
    /// What kind of change.
    pub kind: DriftKind,
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
    /// Per operation (in the mock's order), its success body's schema.
    roots: Vec<Option<SchemaId>>,
    /// Object schema → new field.
    fields: BTreeMap<String, (String, FieldType)>,
    /// Pointer of an extensible string schema → the new value.
    values: BTreeMap<String, String>,
    /// Object schema → property sent as `null` (its pointer, its name).
    nulls: BTreeMap<String, (String, String)>,
    served: Mutex<BTreeSet<DriftInjection>>,
}

/// What the schemas reachable from success bodies offer to drift, by schema pointer.
#[derive(Default)]
struct Candidates {
    objects: BTreeMap<String, BTreeSet<String>>,
    extensible: BTreeSet<String>,
    /// (object schema, property pointer, property name) of optional, non-nullable properties.
    optional: BTreeSet<(String, String, String)>,
}

impl DriftPlan {
    /// Draws the plan for `seed` from `spec`; `roots` are the operations' success body
    /// schemas, in the mock's order.
    pub(crate) fn new(seed: u64, spec: &Spec, roots: Vec<Option<SchemaId>>) -> Self {
        let schemas = spec.schemas();
        let mut candidates = Candidates::default();
        for id in schemas.reachable(roots.iter().flatten().copied()) {
            let schema = &schemas[id];
            if schema.extensible().is_some() {
                candidates.extensible.insert(schema.pointer().to_owned());
                continue;
            }
            if !schema.declares_properties() {
                continue;
            }
            let names = schema.properties().iter().map(|(n, _)| n.clone()).collect();
            candidates
                .objects
                .insert(schema.pointer().to_owned(), names);
            for (name, property) in schema.properties() {
                let property = &schemas[*property];
                if !schema.is_required(name) && !property.nullable() && property.broken().is_none()
                {
                    candidates.optional.insert((
                        schema.pointer().to_owned(),
                        schema.property_pointer(name),
                        name.clone(),
                    ));
                }
            }
        }

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

    /// Changes the success body of operation `op` (its position in the mock's order) in place;
    /// `spec` is the one the plan was drawn from.
    pub(crate) fn apply(&self, spec: &Spec, op: usize, body: &mut Value) {
        let Some(Some(root)) = self.roots.get(op) else {
            return;
        };
        let mut changes = Changes {
            plan: self,
            edits: Vec::new(),
            served: Vec::new(),
        };
        spec.schemas().walk(*root, body, &mut changes);
        let Changes { edits, served, .. } = changes;
        for edit in edits {
            match edit {
                Edit::Replace { at, value } => {
                    if let Some(place) = body.pointer_mut(&at) {
                        *place = value;
                    }
                }
                Edit::Insert { at, name, value } => {
                    if let Some(Value::Object(map)) = body.pointer_mut(&at) {
                        map.insert(name, value);
                    }
                }
            }
        }
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
}

/// A change to make to the body once the walk is over.
enum Edit {
    /// The value at `at` becomes `value`.
    Replace { at: String, value: Value },
    /// The object at `at` gets member `name`.
    Insert {
        at: String,
        name: String,
        value: Value,
    },
}

/// The walk of a body that finds where the plan changes it.
struct Changes<'p> {
    plan: &'p DriftPlan,
    edits: Vec<Edit>,
    served: Vec<DriftInjection>,
}

impl<'v> Visitor<'v> for Changes<'_> {
    fn visit(&mut self, schema: &Schema, value: &'v Value, path: &[Token<'v>]) -> Step {
        if schema.extensible().is_some() {
            if let (Some(new), Value::String(_)) = (self.plan.values.get(schema.pointer()), value) {
                self.edits.push(Edit::Replace {
                    at: pointer_of(path),
                    value: Value::String(new.clone()),
                });
                self.served.push(DriftInjection {
                    kind: DriftKind::UnlistedValue,
                    spec_pointer: format!("{}/x-extensible-enum", schema.pointer()),
                    found: new.clone(),
                });
            }
            return Step::Skip;
        }
        if let Value::Object(map) = value {
            self.change_object(schema.pointer(), map, path);
        }
        Step::Descend
    }

    fn member(
        &mut self,
        object: &Schema,
        name: &'v str,
        _: &'v Value,
        member: amazon_music_spec::Member,
        _: &[Token<'v>],
    ) -> Step {
        // What is about to be replaced by `null` serves nothing below it.
        let nulled = self
            .plan
            .nulls
            .get(object.pointer())
            .map(|(_, n)| n.as_str());
        if nulled == Some(name) || member.schema().is_none() {
            Step::Skip
        } else {
            Step::Descend
        }
    }
}

impl Changes<'_> {
    fn change_object(&mut self, pointer: &str, map: &Map<String, Value>, path: &[Token<'_>]) {
        let at = pointer_of(path);
        if let Some((name, ty)) = self.plan.fields.get(pointer) {
            // Each object gets its own value, the same on every run with this seed.
            let mut prng = Prng::derived(self.plan.seed, &raw_path(path), map.len() as u64);
            let value = match ty {
                FieldType::Integer => Value::from(prng.range(1, 10_000)),
                FieldType::Boolean => Value::Bool(prng.below(2) == 1),
                FieldType::String => Value::String(format!("drift-{}", prng.range(100, 999))),
            };
            self.edits.push(Edit::Insert {
                at: at.clone(),
                name: name.clone(),
                value,
            });
            self.served.push(DriftInjection {
                kind: DriftKind::UnknownField,
                spec_pointer: pointer.to_owned(),
                found: name.clone(),
            });
        }
        if let Some((property, name)) = self.plan.nulls.get(pointer) {
            self.edits.push(Edit::Insert {
                at,
                name: name.clone(),
                value: Value::Null,
            });
            self.served.push(DriftInjection {
                kind: DriftKind::NullNotNullable,
                spec_pointer: property.clone(),
                found: name.clone(),
            });
        }
    }
}

/// The path as the seed of a new field's value takes it: names as they are, not escaped, so
/// that the values served for a seed stay what they were.
fn raw_path(path: &[Token<'_>]) -> String {
    let mut out = String::new();
    for token in path {
        match token {
            Token::Key(key) => {
                out.push('/');
                out.push_str(key);
            }
            Token::Index(i) => out.push_str(&format!("/{i}")),
        }
    }
    out
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

/// The schema of the first 2xx JSON response of `op`, the body a drifting mock changes.
pub(crate) fn success_schema(op: &amazon_music_spec::Operation) -> Option<SchemaId> {
    op.success()?
        .content()
        .iter()
        .find(|m| m.name().contains("json"))?
        .schema()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A spec whose operations `/0`, `/1`... answer 200 with `schemas` in order, and their
    /// success schemas.
    fn document(schemas: &[Value]) -> (Spec, Vec<Option<SchemaId>>) {
        let mut paths = Map::new();
        for (i, schema) in schemas.iter().enumerate() {
            paths.insert(
                format!("/{i}"),
                json!({"get": {"operationId": format!("op{i}"), "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}}
                }}}}),
            );
        }
        let spec = Spec::from_value(json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths
        }))
        .unwrap();
        let roots = (0..schemas.len())
            .map(|i| success_schema(spec.operation(&format!("op{i}")).unwrap()))
            .collect();
        (spec, roots)
    }

    /// The members of `object` other than `known`: those the drift added.
    fn added(object: &Value, known: &[&str]) -> Vec<String> {
        let map = object.as_object().unwrap();
        map.keys()
            .filter(|k| !known.contains(&k.as_str()))
            .cloned()
            .collect()
    }

    /// What `plan` reports as served: each change's kind and what was found.
    fn served(plan: &DriftPlan) -> Vec<(DriftKind, String)> {
        plan.served()
            .into_iter()
            .map(|d| (d.kind, d.found))
            .collect()
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

    /// The walk's depth limit ([`amazon_music_spec::MAX_DEPTH`]) holds along every kind of
    /// nesting it follows: drift detection sees exactly as deep as injection changes.
    #[test]
    fn values_are_changed_as_deep_as_the_walk_goes_and_no_deeper() {
        const DEEP: usize = amazon_music_spec::MAX_DEPTH;
        // The typed OpenAPI parse of schemas this deep needs more stack than a test thread has.
        let run = || {
            for nesting in [Nesting::Property, Nesting::Item, Nesting::MapValue] {
                let (deep, deep_body) = chain(nesting, DEEP);
                let (deeper, deeper_body) = chain(nesting, DEEP + 1);
                let (spec, roots) = document(&[deep, deeper]);
                let plan = DriftPlan::new(1, &spec, roots);
                let mut body = deep_body;
                plan.apply(&spec, 0, &mut body);
                let changed = leaf(nesting, &body, DEEP);
                assert!(
                    changed.as_str().unwrap().starts_with("DRIFT_"),
                    "{nesting:?}: {changed}"
                );
                let mut body = deeper_body;
                plan.apply(&spec, 1, &mut body);
                assert_eq!(leaf(nesting, &body, DEEP + 1), "A", "{nesting:?}");
            }
        };
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
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
        let (spec, roots) = document(&[schema]);
        let root = "/paths/~10/get/responses/200/content/application~1json/schema";
        for seed in 0..4 {
            let plan = DriftPlan::new(seed, &spec, roots.clone());
            let mut body =
                json!({"items": [{"kind": "A"}, {"kind": "A"}], "note": "n", "maybe": "m"});
            plan.apply(&spec, 0, &mut body);

            assert_eq!(body["note"], Value::Null, "seed {seed}: {body}");
            assert_eq!(
                body["maybe"], "m",
                "seed {seed}: a nullable property keeps its value"
            );
            let root_field = added(&body, &["items", "note", "maybe"]);
            assert_eq!(root_field.len(), 1, "seed {seed}: {body}");
            let kind = body["items"][0]["kind"].as_str().unwrap().to_owned();
            assert!(kind.starts_with("DRIFT_"), "seed {seed}: {body}");
            let item_field = added(&body["items"][0], &["kind"]);
            for item in body["items"].as_array().unwrap() {
                assert_eq!(item["kind"], kind.as_str(), "seed {seed}");
                assert_eq!(added(item, &["kind"]), item_field, "seed {seed}: {body}");
            }
            assert_eq!(item_field.len(), 1, "seed {seed}: {body}");

            let served = served(&plan);
            for want in [
                (DriftKind::UnknownField, root_field[0].clone()),
                (DriftKind::UnknownField, item_field[0].clone()),
                (DriftKind::UnlistedValue, kind.clone()),
                (DriftKind::NullNotNullable, "note".to_owned()),
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

    /// What a planned `null` replaces is not changed, nor reported as served: the new field
    /// and value planned inside it never reach the client.
    #[test]
    fn nothing_inside_a_nulled_member_is_served() {
        let schema = json!({
            "type": "object",
            "properties": {
                "inner": {
                    "type": "object", "required": ["kind"], "properties": {"kind": extensible()}
                }
            }
        });
        let (spec, roots) = document(&[schema]);
        for seed in 0..4 {
            let plan = DriftPlan::new(seed, &spec, roots.clone());
            let mut body = json!({"inner": {"kind": "A"}});
            plan.apply(&spec, 0, &mut body);
            assert_eq!(body["inner"], Value::Null, "seed {seed}: {body}");
            let served = served(&plan);
            let root_field = added(&body, &["inner"]);
            assert_eq!(root_field.len(), 1, "seed {seed}: {body}");
            assert_eq!(
                served,
                [
                    (DriftKind::UnknownField, root_field[0].clone()),
                    (DriftKind::NullNotNullable, "inner".to_owned())
                ],
                "seed {seed}"
            );
        }
    }

    /// A new field's value is drawn per object, from where it stands: the items of a list get
    /// values of their own, and the same ones on every run with the seed.
    #[test]
    fn each_object_gets_its_own_value_the_same_every_run() {
        let schema = json!({"type": "array", "items": {
            "type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}
        }});
        let (spec, roots) = document(&[schema]);
        let plan = DriftPlan::new(1, &spec, roots);
        let new_values = |plan: &DriftPlan| {
            let mut body = Value::Array((0..8).map(|n| json!({ "n": n })).collect());
            plan.apply(&spec, 0, &mut body);
            body.as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(n, item)| {
                    assert_eq!(item["n"], n, "{item}");
                    let field = added(item, &["n"]);
                    assert_eq!(field.len(), 1, "{item}");
                    item[&field[0]].clone()
                })
                .collect::<Vec<Value>>()
        };
        let values = new_values(&plan);
        assert!(values.iter().any(|v| *v != values[0]), "{values:?}");
        assert_eq!(new_values(&plan), values);
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
        let (spec, roots) = document(&[map]);
        let plan = DriftPlan::new(1, &spec, roots);
        let mut body = json!({"k": "A", "l": "A"});
        plan.apply(&spec, 0, &mut body);
        let changed = body["k"].as_str().unwrap();
        assert!(changed.starts_with("DRIFT_"), "{body}");
        assert_eq!(body["l"], changed, "one new value per schema");
        assert_eq!(
            plan.served(),
            [DriftInjection {
                kind: DriftKind::UnlistedValue,
                spec_pointer: "/paths/~10/get/responses/200/content/application~1json/schema/additionalProperties/x-extensible-enum".into(),
                found: changed.to_owned(),
            }]
        );
    }
}
