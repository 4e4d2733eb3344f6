//! The curated spec and its ledger, as the tests read them: where they live, the ledger's
//! shape and its problems, spec-shaped JSON for property tests, the scalars of a JSON value,
//! and the spec's examples ([`examples`]).

pub mod examples;

use amazon_music_conformance::{Spec, escape_pointer_token};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use crate::workspace_root;

/// The curated OpenAPI document.
pub fn spec() -> Spec {
    let path = workspace_root().join("spec/openapi.yaml");
    Spec::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The corrections ledger, `spec/corrections.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// Every correction, in the order the file lists them.
    pub corrections: Vec<Correction>,
}

/// One departure of the spec from the published docs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Stable id, never reused.
    pub id: String,
    /// JSON pointer into `spec/openapi.yaml`.
    pub pointer: String,
    /// What the docs say.
    pub docs: DocsClaim,
    /// What the spec says instead.
    pub spec: String,
    /// Why.
    pub why: String,
    /// `certain`, `inferred` or `unverified`.
    pub confidence: Confidence,
    /// Doc facts, in docs-check's vocabulary, that this entry explains.
    #[serde(default)]
    pub facts: Vec<String>,
}

/// Where in the docs a claim is made, and the claim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocsClaim {
    /// The page: `albums`, `playback`, `both`, or a companion page.
    pub page: String,
    /// The section of the page.
    pub section: String,
    /// A short paraphrase.
    pub says: String,
}

/// How sure the project is of a correction.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The docs contradict themselves and one side is clearly right.
    Certain,
    /// From a companion page or HTTP conventions.
    Inferred,
    /// A best guess that live responses must confirm.
    Unverified,
}

/// Loads `spec/corrections.yaml`.
pub fn ledger() -> Ledger {
    ledger_at(&workspace_root().join("spec/corrections.yaml"))
}

/// Loads a corrections ledger (a copy being edited, say).
pub fn ledger_at(path: &std::path::Path) -> Ledger {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What is wrong with `ledger` against `spec`: duplicate ids, pointers that resolve to
/// nothing, empty fields.
pub fn ledger_problems(spec: &Spec, ledger: &Ledger) -> Vec<String> {
    let mut ids = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for c in &ledger.corrections {
        if !ids.insert(c.id.as_str()) {
            problems.push(format!("{}: duplicate id", c.id));
        }
        if spec.pointer(&c.pointer).is_none() {
            problems.push(format!(
                "{}: pointer {} resolves to nothing",
                c.id, c.pointer
            ));
        }
        for (field, text) in [
            ("docs.page", &c.docs.page),
            ("docs.section", &c.docs.section),
            ("docs.says", &c.docs.says),
            ("spec", &c.spec),
            ("why", &c.why),
        ] {
            if text.trim().is_empty() {
                problems.push(format!("{}: empty {field}", c.id));
            }
        }
        if c.facts.iter().any(|f| f.trim().is_empty()) {
            problems.push(format!("{}: empty fact", c.id));
        }
    }
    problems
}

/// Arbitrary JSON shaped like the API's bodies: objects whose keys are mostly the spec's own
/// property names (so decoding and validation get past the first unknown field), and leaves
/// that include real ids and enum values. Shared by the fuzz-style tests of several crates.
pub fn spec_shaped_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| spec().property_names()).clone();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["B0064UPU4G", "SAVED", "REMOVED", "THROTTLED", "1", ""])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![prop::sample::select(keys.clone()), ".{0,6}"],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every non-null scalar of `value` (string, number, boolean), with its JSON pointer, in
/// document order. Leaves a decoder must keep, strings to search; `null`s are absent values.
pub fn scalars(value: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, at: &str, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (key, item) in map {
                    walk(item, &format!("{at}/{}", escape_pointer_token(key)), out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), out);
                }
            }
            scalar => out.push((at.to_owned(), scalar.clone())),
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}
