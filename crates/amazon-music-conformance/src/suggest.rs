//! From drift to proposed spec changes: each kind of drift found in recorded traffic becomes
//! one edit of `spec/openapi.yaml` (a new property typed from every value seen, a new value in
//! an `x-extensible-enum`, `nullable: true`) and one `spec/corrections.yaml` entry stub.
//!
//! Edits are made to the text, at the lines the parsed document locates, so the spec keeps its
//! formatting and comments: nothing is re-serialized.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use amazon_music_spec::{Body, DriftKind, Exchange, LineIndex};

use crate::validation::Outcome;

/// One proposed change to the spec, with the recordings that call for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The kind of drift it answers.
    pub kind: DriftKind,
    /// Where the drift points in the spec: the object schema (new property), its
    /// `x-extensible-enum` (new value) or the property (nullable).
    pub spec_pointer: String,
    /// The new property's name, the new value, or the nullable property's name.
    pub found: String,
    /// For a new property, its schema, inferred from every value seen.
    pub schema: Option<Value>,
    /// The recordings (files, HAR entries) where it was seen, each once, in order.
    pub evidence: Vec<String>,
}

impl Suggestion {
    /// The pointer of what the change adds or changes, for the ledger entry.
    pub fn target_pointer(&self) -> String {
        match self.kind {
            DriftKind::UnknownField => format!(
                "{}/properties/{}",
                self.spec_pointer,
                crate::escape_pointer_token(&self.found)
            ),
            DriftKind::UnlistedValue | DriftKind::NullNotNullable => self.spec_pointer.clone(),
        }
    }

    /// A one-line description, for reports.
    pub fn describe(&self) -> String {
        match self.kind {
            DriftKind::UnknownField => format!(
                "add property `{}` ({}) to {}",
                self.found,
                self.schema
                    .as_ref()
                    .map_or_else(|| "any".to_owned(), |s| s.to_string()),
                self.spec_pointer
            ),
            DriftKind::UnlistedValue => format!("add `{}` to {}", self.found, self.spec_pointer),
            DriftKind::NullNotNullable => format!("make {} nullable", self.spec_pointer),
        }
    }

    /// A stub of the `spec/corrections.yaml` entry that records the change, as YAML list item
    /// lines indented for the ledger's `corrections:` list.
    pub fn ledger_stub(&self) -> String {
        let id = ledger_id(self);
        let spec = match self.kind {
            DriftKind::UnknownField => format!(
                "Adds the property {} ({}), seen in recorded responses.",
                self.found,
                self.schema
                    .as_ref()
                    .and_then(|s| s.get("type"))
                    .and_then(Value::as_str)
                    .unwrap_or("any type")
            ),
            DriftKind::UnlistedValue => {
                format!("Lists {} among the known values.", self.found)
            }
            DriftKind::NullNotNullable => {
                format!("{} is nullable: the service sends null for it.", self.found)
            }
        };
        let why = format!(
            "Recorded traffic: {} ({} recording{}). Confirm with live responses.",
            self.evidence.join(", "),
            self.evidence.len(),
            if self.evidence.len() == 1 { "" } else { "s" }
        );
        format!(
            "  - id: {id}\n    pointer: {}\n    docs: {{page: none, section: recorded traffic, says: {}}}\n    spec: {}\n    why: {}\n    confidence: unverified\n",
            self.target_pointer(),
            quote("Not in the reference pages."),
            quote(&spec),
            quote(&why),
        )
    }
}

fn ledger_id(s: &Suggestion) -> String {
    let schema = s
        .spec_pointer
        .strip_prefix("/components/schemas/")
        .unwrap_or(&s.spec_pointer)
        .replace("/x-extensible-enum", "")
        .replace("/properties/", "-");
    let raw = match s.kind {
        DriftKind::UnknownField => format!("drift-{schema}-{}", s.found),
        DriftKind::UnlistedValue => format!("drift-{schema}-value-{}", s.found),
        DriftKind::NullNotNullable => format!("drift-{schema}-nullable"),
    };
    let mut id = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The changes the drift in `checked` calls for, one per kind, place and name or value, in
/// the order of the spec pointer.
pub fn suggest<'a>(
    checked: impl IntoIterator<Item = (&'a Exchange, &'a Outcome)>,
) -> Vec<Suggestion> {
    let mut by_key: BTreeMap<(String, u8, String), (Suggestion, Vec<Value>)> = BTreeMap::new();
    for (exchange, outcome) in checked {
        for drift in &outcome.drift {
            let rank = match drift.kind {
                DriftKind::UnknownField => 0,
                DriftKind::UnlistedValue => 1,
                DriftKind::NullNotNullable => 2,
            };
            let key = (drift.spec_pointer.clone(), rank, drift.found.clone());
            let (suggestion, values) = by_key.entry(key).or_insert_with(|| {
                (
                    Suggestion {
                        kind: drift.kind,
                        spec_pointer: drift.spec_pointer.clone(),
                        found: drift.found.clone(),
                        schema: None,
                        evidence: Vec::new(),
                    },
                    Vec::new(),
                )
            });
            if !suggestion.evidence.contains(&outcome.source) {
                suggestion.evidence.push(outcome.source.clone());
            }
            if drift.kind == DriftKind::UnknownField
                && let Body::Json(body) = &exchange.body
                && let Some(value) = body.pointer(&drift.body_pointer)
            {
                values.push(value.clone());
            }
        }
    }
    by_key
        .into_values()
        .map(|(mut suggestion, values)| {
            if suggestion.kind == DriftKind::UnknownField {
                suggestion.schema = Some(infer(&values));
            }
            suggestion
        })
        .collect()
}

/// The narrowest OpenAPI 3.0 schema that every value satisfies: one type (integers widen to
/// `number`), `nullable` when a `null` was seen, `items` inferred from every element; `{}`
/// when the values disagree.
pub fn infer(values: &[Value]) -> Value {
    let mut types: Vec<&str> = Vec::new();
    let mut nullable = false;
    for value in values {
        let ty = match value {
            Value::Null => {
                nullable = true;
                continue;
            }
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.contains(&ty) {
            types.push(ty);
        }
    }
    if types.len() == 2 && types.contains(&"integer") && types.contains(&"number") {
        types = vec!["number"];
    }
    let mut schema = Map::new();
    if let [ty] = types.as_slice() {
        schema.insert("type".into(), Value::String((*ty).to_owned()));
        match *ty {
            "integer" => {
                schema.insert("format".into(), Value::String("int64".into()));
            }
            "array" => {
                let items: Vec<Value> = values
                    .iter()
                    .filter_map(Value::as_array)
                    .flatten()
                    .cloned()
                    .collect();
                schema.insert("items".into(), infer(&items));
            }
            _ => {}
        }
    }
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Value::Object(schema)
}

/// Why a suggestion could not be written into the spec's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot edit {pointer}: {reason}")]
pub struct EditError {
    /// What was to be edited.
    pub pointer: String,
    /// Why not.
    pub reason: String,
}

/// `text` (the spec's YAML) with `suggestions` written in, its formatting and comments kept.
/// Each suggestion that cannot be written (a place written in a style the editor does not
/// handle, or a `$ref` property made nullable) is returned as an error instead; the others
/// are still applied.
pub fn apply(text: &str, suggestions: &[Suggestion]) -> (String, Vec<EditError>) {
    let mut text = text.to_owned();
    let mut errors = Vec::new();
    for suggestion in suggestions {
        // The index is rebuilt after each edit: lines move.
        let index = LineIndex::new(&text);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let result = match suggestion.kind {
            DriftKind::UnknownField => add_property(&index, &mut lines, suggestion),
            DriftKind::UnlistedValue => add_value(&index, &mut lines, suggestion),
            DriftKind::NullNotNullable => make_nullable(&index, &mut lines, suggestion),
        };
        match result {
            Ok(()) => {
                let mut joined = lines.join("\n");
                if text.ends_with('\n') {
                    joined.push('\n');
                }
                text = joined;
            }
            Err(reason) => errors.push(EditError {
                pointer: suggestion.target_pointer(),
                reason,
            }),
        }
    }
    (text, errors)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// The 0-based index of the line of `pointer`, checking that it is `key:` with nothing after.
fn block_key(index: &LineIndex, lines: &[String], pointer: &str) -> Result<usize, String> {
    let line = index
        .line_of(pointer)
        .ok_or_else(|| "the spec's text has no line for it".to_owned())?
        - 1;
    let key = pointer.rsplit('/').next().unwrap_or("");
    let content = lines.get(line).map(|l| l.trim_start()).unwrap_or("");
    let content = content.strip_prefix("- ").unwrap_or(content);
    if !content.starts_with(key) {
        return Err(format!("line {} is not the key `{key}`", line + 1));
    }
    Ok(line)
}

/// The index just past the block under the key at `line`, and the indentation of its children.
fn block_end(lines: &[String], line: usize) -> (usize, Option<usize>) {
    let key_indent = indent_of(&lines[line]);
    let mut end = line + 1;
    let mut child = None;
    for (i, l) in lines.iter().enumerate().skip(line + 1) {
        if !is_content(l) {
            continue;
        }
        let indent = indent_of(l);
        let item = l.trim_start().starts_with("- ");
        if indent < key_indent || (indent == key_indent && !item) {
            break;
        }
        child.get_or_insert(indent);
        end = i + 1;
    }
    (end, child)
}

fn add_property(index: &LineIndex, lines: &mut Vec<String>, s: &Suggestion) -> Result<(), String> {
    let at = format!("{}/properties", s.spec_pointer);
    let line = block_key(index, lines, &at)?;
    if lines[line].trim_end().ends_with('}') {
        return Err("its properties are a one-line flow mapping".into());
    }
    let (end, child) = block_end(lines, line);
    let key_indent = indent_of(&lines[line]);
    let child = child.unwrap_or(key_indent + 2);
    let step = child - key_indent;
    let mut new = vec![format!("{}{}:", " ".repeat(child), yaml_key(&s.found))];
    let schema = s
        .schema
        .clone()
        .unwrap_or_else(|| Value::Object(Map::new()));
    write_schema(&schema, child + step, step, &mut new);
    if new.len() == 1 {
        new[0].push_str(" {}");
    }
    lines.splice(end..end, new);
    Ok(())
}

fn write_schema(schema: &Value, indent: usize, step: usize, out: &mut Vec<String>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    // `type` first, as the spec writes it.
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| (k.as_str() != "type", k.as_str() == "items"));
    for key in keys {
        let pad = " ".repeat(indent);
        match &map[key] {
            Value::Object(inner) if inner.is_empty() => out.push(format!("{pad}{key}: {{}}")),
            value @ Value::Object(_) => {
                out.push(format!("{pad}{key}:"));
                write_schema(value, indent + step, step, out);
            }
            Value::String(text) => out.push(format!("{pad}{key}: {}", yaml_scalar(text))),
            other => out.push(format!("{pad}{key}: {other}")),
        }
    }
}

fn yaml_key(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.starts_with('-');
    if plain { name.to_owned() } else { quote(name) }
}

fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        && value.parse::<f64>().is_err()
        && !["true", "false", "null", "yes", "no", "on", "off", "~"]
            .contains(&value.to_ascii_lowercase().as_str());
    if plain {
        value.to_owned()
    } else {
        quote(value)
    }
}

fn add_value(index: &LineIndex, lines: &mut Vec<String>, s: &Suggestion) -> Result<(), String> {
    let line = block_key(index, lines, &s.spec_pointer)?;
    let value = yaml_scalar(&s.found);
    let current = lines[line].clone();
    let (before, after) = current
        .split_once(':')
        .ok_or_else(|| format!("line {} has no `:`", line + 1))?;
    let after_trimmed = after.trim();
    if after_trimmed.starts_with('[') {
        let close = current
            .rfind(']')
            .ok_or_else(|| "its flow list does not close on its line".to_owned())?;
        let inside = current[before.len() + 1..close]
            .trim()
            .trim_start_matches('[');
        let separator = if inside.trim().is_empty() { "" } else { ", " };
        lines[line] = format!(
            "{}{separator}{value}{}",
            &current[..close],
            &current[close..]
        );
        return Ok(());
    }
    if !after_trimmed.is_empty() && !after_trimmed.starts_with('#') {
        return Err(format!(
            "line {} is neither a flow nor a block list",
            line + 1
        ));
    }
    let (end, child) = block_end(lines, line);
    let child = child.ok_or_else(|| "the list is empty".to_owned())?;
    lines.insert(end, format!("{}- {value}", " ".repeat(child)));
    Ok(())
}

fn make_nullable(index: &LineIndex, lines: &mut Vec<String>, s: &Suggestion) -> Result<(), String> {
    let line = block_key(index, lines, &s.spec_pointer)?;
    let current = lines[line].clone();
    let after = current.split_once(':').map_or("", |(_, a)| a).trim();
    if after.starts_with('{') && after.ends_with('}') {
        let close = current.rfind('}').unwrap_or(current.len());
        if current.contains("$ref") {
            return Err("a `$ref` property cannot take `nullable` beside it in OpenAPI 3.0; wrap it in `allOf` by hand".into());
        }
        lines[line] = format!("{}, nullable: true{}", &current[..close], &current[close..]);
        return Ok(());
    }
    if !after.is_empty() && !after.starts_with('#') {
        return Err(format!(
            "line {} is neither a flow nor a block mapping",
            line + 1
        ));
    }
    let (end, child) = block_end(lines, line);
    let child = child.ok_or_else(|| "the property has no schema".to_owned())?;
    if lines[line + 1..end]
        .iter()
        .any(|l| indent_of(l) == child && l.trim_start().starts_with("$ref:"))
    {
        return Err("a `$ref` property cannot take `nullable` beside it in OpenAPI 3.0; wrap it in `allOf` by hand".into());
    }
    // Right under the key, before anything nested, so it is the property's own keyword.
    lines.insert(line + 1, format!("{}nullable: true", " ".repeat(child)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: &str = "components:\n  schemas:\n    # A comment that stays.\n    A:\n      type: object\n      properties:\n        kind:\n          type: string\n          x-extensible-enum: [X, Y]\n        code:\n          type: string\n          x-extensible-enum:\n            - ONE\n            - TWO\n        tags:\n          type: array\n          items:\n            type: string\n    B:\n      type: object\n";

    fn suggestion(
        kind: DriftKind,
        pointer: &str,
        found: &str,
        schema: Option<Value>,
    ) -> Suggestion {
        Suggestion {
            kind,
            spec_pointer: pointer.into(),
            found: found.into(),
            schema,
            evidence: vec!["r1.json".into()],
        }
    }

    /// `text` with one suggestion (no schema) applied.
    fn one(text: &str, kind: DriftKind, pointer: &str, found: &str) -> (String, Vec<EditError>) {
        apply(text, &[suggestion(kind, pointer, found, None)])
    }

    #[test]
    fn edits_keep_everything_else_and_parse_to_the_change() {
        let suggestions = [
            suggestion(
                DriftKind::UnknownField,
                "/components/schemas/A",
                "popularity",
                Some(infer(&[json!(1), json!(7)])),
            ),
            suggestion(
                DriftKind::UnlistedValue,
                "/components/schemas/A/properties/kind/x-extensible-enum",
                "Z",
                None,
            ),
            suggestion(
                DriftKind::UnlistedValue,
                "/components/schemas/A/properties/code/x-extensible-enum",
                "THREE",
                None,
            ),
            suggestion(
                DriftKind::NullNotNullable,
                "/components/schemas/A/properties/tags",
                "tags",
                None,
            ),
        ];
        let (edited, errors) = apply(TEXT, &suggestions);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(edited.contains("    # A comment that stays.\n"));
        let value: Value = serde_norway::from_str(&edited).unwrap();
        let a = &value["components"]["schemas"]["A"];
        assert_eq!(
            a["properties"]["popularity"],
            json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(
            a["properties"]["kind"]["x-extensible-enum"],
            json!(["X", "Y", "Z"])
        );
        assert_eq!(
            a["properties"]["code"]["x-extensible-enum"],
            json!(["ONE", "TWO", "THREE"])
        );
        assert_eq!(a["properties"]["tags"]["nullable"], json!(true));
        assert_eq!(a["properties"]["tags"]["items"], json!({"type": "string"}));
        assert_eq!(
            value["components"]["schemas"]["B"],
            json!({"type": "object"})
        );
        let original: Value = serde_norway::from_str(TEXT).unwrap();
        assert_eq!(
            original["components"]["schemas"]["A"]["properties"]
                .as_object()
                .unwrap()
                .len(),
            3
        );
    }

    /// A block list may sit at its key's own indentation; a new value joins it there.
    #[test]
    fn a_list_at_its_keys_indentation_takes_a_value() {
        let text = "components:\n  schemas:\n    A:\n      type: string\n      x-extensible-enum:\n      - ONE\n      - TWO\n      description: d\n";
        let (edited, errors) = one(
            text,
            DriftKind::UnlistedValue,
            "/components/schemas/A/x-extensible-enum",
            "THREE",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            edited.contains("      - TWO\n      - THREE\n      description: d\n"),
            "{edited}"
        );
    }

    /// A new property's schema is written as the spec writes one: `type` first, `items` last.
    #[test]
    fn a_new_schema_lists_type_first_and_items_last() {
        let schema = json!({"items": {"type": "string"}, "nullable": true, "type": "array"});
        let (edited, errors) = apply(
            TEXT,
            &[suggestion(
                DriftKind::UnknownField,
                "/components/schemas/A",
                "labels",
                Some(schema),
            )],
        );
        assert!(errors.is_empty(), "{errors:?}");
        let expected = "        labels:\n          type: array\n          nullable: true\n          items:\n            type: string\n";
        assert!(edited.contains(expected), "{edited}");
    }

    #[test]
    fn each_kind_is_described_targeted_and_stubbed_for_the_ledger() {
        let mut new_field = suggestion(
            DriftKind::UnknownField,
            "/components/schemas/Album",
            "play/Count",
            Some(json!({"type": "integer"})),
        );
        new_field.evidence.push("r2.json".into());
        assert_eq!(
            new_field.target_pointer(),
            "/components/schemas/Album/properties/play~1Count"
        );
        assert_eq!(
            new_field.describe(),
            "add property `play/Count` ({\"type\":\"integer\"}) to /components/schemas/Album"
        );
        assert_eq!(
            new_field.ledger_stub(),
            "  - id: drift-album-play-count\n    pointer: /components/schemas/Album/properties/play~1Count\n    docs: {page: none, section: recorded traffic, says: \"Not in the reference pages.\"}\n    spec: \"Adds the property play/Count (integer), seen in recorded responses.\"\n    why: \"Recorded traffic: r1.json, r2.json (2 recordings). Confirm with live responses.\"\n    confidence: unverified\n"
        );

        let value = suggestion(
            DriftKind::UnlistedValue,
            "/components/schemas/Album/properties/kind/x-extensible-enum",
            "NEW_KIND",
            None,
        );
        let pointer = "/components/schemas/Album/properties/kind/x-extensible-enum";
        assert_eq!(value.target_pointer(), pointer);
        assert_eq!(value.describe(), format!("add `NEW_KIND` to {pointer}"));
        let stub = value.ledger_stub();
        assert!(
            stub.starts_with("  - id: drift-album-kind-value-new-kind\n"),
            "{stub}"
        );
        assert!(
            stub.contains("spec: \"Lists NEW_KIND among the known values.\"\n"),
            "{stub}"
        );
        assert!(stub.contains("(1 recording)"), "{stub}");

        let null = suggestion(
            DriftKind::NullNotNullable,
            "/components/schemas/Album/properties/images",
            "images",
            None,
        );
        assert_eq!(
            null.target_pointer(),
            "/components/schemas/Album/properties/images"
        );
        assert_eq!(
            null.describe(),
            "make /components/schemas/Album/properties/images nullable"
        );
        let stub = null.ledger_stub();
        assert!(
            stub.starts_with("  - id: drift-album-images-nullable\n"),
            "{stub}"
        );
        assert!(
            stub.contains("spec: \"images is nullable: the service sends null for it.\"\n"),
            "{stub}"
        );
    }

    #[test]
    fn comments_and_blank_lines_inside_a_block_do_not_end_it() {
        let text = "components:\n  schemas:\n    A:\n      x-extensible-enum:\n        - ONE\n\n# between values\n        - TWO\n      type: string\n";
        let (edited, errors) = one(
            text,
            DriftKind::UnlistedValue,
            "/components/schemas/A/x-extensible-enum",
            "THREE",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            edited.contains("        - TWO\n        - THREE\n      type: string\n"),
            "{edited}"
        );
    }

    #[test]
    fn a_property_joins_an_empty_properties_block() {
        let text = "components:\n  schemas:\n    A:\n      properties:\n      type: object\n";
        let (edited, errors) = apply(
            text,
            &[suggestion(
                DriftKind::UnknownField,
                "/components/schemas/A",
                "n",
                Some(json!({"type": "string"})),
            )],
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            edited,
            "components:\n  schemas:\n    A:\n      properties:\n        n:\n          type: string\n      type: object\n"
        );
    }

    #[test]
    fn keys_and_values_are_quoted_only_when_yaml_would_read_them_otherwise() {
        for (name, written) in [
            ("playCount", "playCount"),
            ("a_b-c9", "a_b-c9"),
            ("", "\"\""),
            ("-x", "\"-x\""),
            ("a b", "\"a b\""),
            ("a:b", "\"a:b\""),
            ("a.b", "\"a.b\""),
        ] {
            assert_eq!(yaml_key(name), written, "key {name:?}");
        }
        for (value, written) in [
            ("NEW_KIND", "NEW_KIND"),
            ("v1.2-beta", "v1.2-beta"),
            ("", "\"\""),
            ("12", "\"12\""),
            ("1e3", "\"1e3\""),
            ("No", "\"No\""),
            ("null", "\"null\""),
            ("a b", "\"a b\""),
            ("a#b", "\"a#b\""),
        ] {
            assert_eq!(yaml_scalar(value), written, "value {value:?}");
        }
    }

    #[test]
    fn an_empty_schema_is_written_as_a_flow_mapping() {
        let (edited, errors) = apply(
            TEXT,
            &[suggestion(
                DriftKind::UnknownField,
                "/components/schemas/A",
                "any",
                Some(json!({"type": "array", "items": {}})),
            )],
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            edited.contains("        any:\n          type: array\n          items: {}\n"),
            "{edited}"
        );
    }

    #[test]
    fn values_join_empty_flow_lists_and_lists_with_a_comment_after_the_key() {
        let pointer = "/components/schemas/A/x-extensible-enum";
        let text = "components:\n  schemas:\n    A:\n      x-extensible-enum: []\n";
        let (edited, errors) = one(text, DriftKind::UnlistedValue, pointer, "Z");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            edited.contains("      x-extensible-enum: [Z]\n"),
            "{edited}"
        );

        let text =
            "components:\n  schemas:\n    A:\n      x-extensible-enum: # known\n        - X\n";
        let (edited, errors) = one(text, DriftKind::UnlistedValue, pointer, "Z");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(edited.ends_with("        - X\n        - Z\n"), "{edited}");

        let text = "components:\n  schemas:\n    A:\n      x-extensible-enum: X\n";
        let (edited, errors) = one(text, DriftKind::UnlistedValue, pointer, "Z");
        assert_eq!(edited, text);
        assert_eq!(
            errors[0].reason,
            "line 4 is neither a flow nor a block list"
        );
    }

    #[test]
    fn nullable_goes_under_a_commented_key_and_not_into_a_flow_mapping_split_over_lines() {
        let pointer = "/components/schemas/A/properties/b";
        let text = "components:\n  schemas:\n    A:\n      properties:\n        a:\n          $ref: \"#/x\"\n        b: # the b\n          type: string\n";
        let (edited, errors) = one(text, DriftKind::NullNotNullable, pointer, "b");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            edited.ends_with(
                "        b: # the b\n          nullable: true\n          type: string\n"
            ),
            "{edited}"
        );

        let text = "components:\n  schemas:\n    A:\n      properties:\n        b: {type: string,\n          format: date}\n";
        let (edited, errors) = one(text, DriftKind::NullNotNullable, pointer, "b");
        assert_eq!(edited, text);
        assert_eq!(
            errors[0].reason,
            "line 5 is neither a flow nor a block mapping"
        );

        let text =
            "components:\n  schemas:\n    A:\n      properties:\n        b: {type: string}\n";
        let (edited, errors) = one(text, DriftKind::NullNotNullable, pointer, "b");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            edited.ends_with("        b: {type: string, nullable: true}\n"),
            "{edited}"
        );
    }

    #[test]
    fn inference_takes_every_value() {
        assert_eq!(
            infer(&[json!(-3)]),
            json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(infer(&[json!(1), json!(2.5)]), json!({"type": "number"}));
        assert_eq!(
            infer(&[json!("a"), json!(null)]),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(infer(&[json!("a"), json!(1)]), json!({}));
        assert_eq!(
            infer(&[json!([true]), json!([])]),
            json!({"type": "array", "items": {"type": "boolean"}})
        );
    }

    #[test]
    fn a_place_the_editor_cannot_handle_is_an_error_not_a_guess() {
        let text = "components:\n  schemas:\n    A:\n      properties:\n        b:\n          $ref: \"#/x\"\n";
        let (edited, errors) = one(
            text,
            DriftKind::NullNotNullable,
            "/components/schemas/A/properties/b",
            "b",
        );
        assert_eq!(edited, text);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].reason.contains("$ref"), "{errors:?}");
    }
}
