//! Checking a value against a schema: what a server asks of the requests it takes (types,
//! required members, enums, bounds, lengths, patterns, `date-time`, `date` and `time`
//! formats), as a visitor of the one walk. OpenAPI 3.0's dialect is JSON Schema draft 4's, with
//! `nullable`; full validation of responses, with every format, is the conformance library's.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use crate::schema::{Additional, Schema, SchemaId, Schemas};
use crate::walk::{Member, Step, Token, Visitor, pointer_of};

/// One way in which a value breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the value (`""` for the value itself).
    pub instance_path: String,
    /// JSON pointer into the document, to the keyword that failed.
    pub schema_path: String,
    /// The keyword, such as `type`, `required` or `maximum`.
    pub keyword: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() {
            "/"
        } else {
            &self.instance_path
        };
        write!(f, "{at}: {}", self.message)
    }
}

impl Schemas {
    /// Checks `value` against the schema `id`; the first violation found, if any.
    ///
    /// ```
    /// let spec = amazon_music_spec::Spec::embedded().unwrap();
    /// let limit = spec.operation("getLibraryAlbums").unwrap().parameter("limit").unwrap();
    /// let schema = limit.schema().unwrap();
    /// assert!(spec.schemas().check(schema, &serde_json::json!(100)).is_ok());
    /// let refused = spec.schemas().check(schema, &serde_json::json!(101)).unwrap_err();
    /// assert_eq!(refused.keyword, "maximum");
    /// assert_eq!(refused.message, "101 is greater than the maximum of 100");
    /// ```
    pub fn check(&self, id: SchemaId, value: &Value) -> Result<(), Violation> {
        let mut checker = Checker {
            schemas: self,
            first_only: true,
            found: Vec::new(),
        };
        self.walk(id, value, &mut checker);
        match checker.found.into_iter().next() {
            Some(violation) => Err(violation),
            None => Ok(()),
        }
    }

    /// Every violation of the schema `id` by `value`, in walk order; empty when it conforms.
    pub fn violations(&self, id: SchemaId, value: &Value) -> Vec<Violation> {
        let mut checker = Checker {
            schemas: self,
            first_only: false,
            found: Vec::new(),
        };
        self.walk(id, value, &mut checker);
        checker.found
    }

    fn conforms(&self, id: SchemaId, value: &Value) -> bool {
        self.check(id, value).is_ok()
    }
}

struct Checker<'s> {
    schemas: &'s Schemas,
    first_only: bool,
    found: Vec<Violation>,
}

impl Checker<'_> {
    fn done(&self) -> bool {
        self.first_only && !self.found.is_empty()
    }

    fn report(&mut self, schema: &Schema, keyword: &'static str, at: &str, message: String) {
        if self.done() {
            return;
        }
        self.found.push(Violation {
            instance_path: at.to_owned(),
            schema_path: format!("{}/{keyword}", schema.pointer()),
            keyword,
            message,
        });
    }

    /// The keywords that look at `value` itself, not its parts.
    fn local(&mut self, schema: &Schema, value: &Value, at: &str) {
        if let Some(why) = schema.broken() {
            self.report(
                schema,
                "$ref",
                at,
                format!("the schema cannot be read: {why}"),
            );
            return;
        }
        let types = schema.types();
        if !types.is_empty() && !types.iter().any(|t| t.admits(value)) {
            let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
            self.report(
                schema,
                "type",
                at,
                format!("{value} is not of type {}", names.join(" or ")),
            );
            return;
        }
        if let Some(allowed) = schema.enumeration()
            && !allowed.iter().any(|a| equal(a, value))
        {
            let listed: Vec<String> = allowed.iter().map(Value::to_string).collect();
            self.report(
                schema,
                "enum",
                at,
                format!("{value} is not one of {}", listed.join(", ")),
            );
        }
        match value {
            Value::Number(n) => self.number(schema, n, at),
            Value::String(s) => self.string(schema, s, at),
            Value::Array(items) => self.array(schema, items, at),
            Value::Object(map) => self.object(schema, map, at),
            _ => {}
        }
        self.combinators(schema, value, at);
    }

    fn number(&mut self, schema: &Schema, n: &Number, at: &str) {
        if let Some((min, exclusive)) = schema.minimum() {
            let below = match compare(n, min) {
                Some(Ordering::Less) => true,
                Some(Ordering::Equal) => exclusive,
                _ => false,
            };
            if below {
                let what = if exclusive { "or equal to " } else { "" };
                let message = format!("{n} is less than {what}the minimum of {min}");
                self.report(schema, "minimum", at, message);
            }
        }
        if let Some((max, exclusive)) = schema.maximum() {
            let above = match compare(n, max) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => exclusive,
                _ => false,
            };
            if above {
                let what = if exclusive { "or equal to " } else { "" };
                let message = format!("{n} is greater than {what}the maximum of {max}");
                self.report(schema, "maximum", at, message);
            }
        }
        if let Some(step) = schema.multiple_of()
            && !is_multiple(n, step)
        {
            self.report(
                schema,
                "multipleOf",
                at,
                format!("{n} is not a multiple of {step}"),
            );
        }
    }

    fn string(&mut self, schema: &Schema, s: &str, at: &str) {
        let length = s.chars().count() as u64;
        if let Some(min) = schema.min_length()
            && length < min
        {
            let message = format!("{} is shorter than {min} characters", Value::from(s));
            self.report(schema, "minLength", at, message);
        }
        if let Some(max) = schema.max_length()
            && length > max
        {
            let message = format!("{} is longer than {max} characters", Value::from(s));
            self.report(schema, "maxLength", at, message);
        }
        if let Some(pattern) = schema.pattern()
            && !pattern.is_match(s)
        {
            let message = format!("{} does not match {:?}", Value::from(s), pattern.as_str());
            self.report(schema, "pattern", at, message);
        }
        let valid = match schema.format() {
            Some("date-time") => is_date_time(s),
            Some("date") => is_date(s),
            Some("time") => is_time(s),
            _ => true,
        };
        if !valid {
            let message = format!(
                "{} is not a {:?}",
                Value::from(s),
                schema.format().unwrap_or_default()
            );
            self.report(schema, "format", at, message);
        }
    }

    fn array(&mut self, schema: &Schema, items: &[Value], at: &str) {
        let count = items.len() as u64;
        if let Some(min) = schema.min_items()
            && count < min
        {
            let message = format!("{count} items are fewer than the {min} required");
            self.report(schema, "minItems", at, message);
        }
        if let Some(max) = schema.max_items()
            && count > max
        {
            let message = format!("{count} items are more than the {max} allowed");
            self.report(schema, "maxItems", at, message);
        }
        if schema.unique_items() {
            let repeated = items
                .iter()
                .enumerate()
                .any(|(i, a)| items[..i].iter().any(|b| equal(a, b)));
            if repeated {
                self.report(schema, "uniqueItems", at, "has repeated items".into());
            }
        }
    }

    fn object(&mut self, schema: &Schema, map: &serde_json::Map<String, Value>, at: &str) {
        for name in schema.required() {
            if !map.contains_key(name) {
                let message = format!("{} is a required property", Value::from(name.as_str()));
                self.report(schema, "required", at, message);
            }
        }
        let count = map.len() as u64;
        if let Some(min) = schema.min_properties()
            && count < min
        {
            let message = format!("{count} members are fewer than the {min} required");
            self.report(schema, "minProperties", at, message);
        }
        if let Some(max) = schema.max_properties()
            && count > max
        {
            let message = format!("{count} members are more than the {max} allowed");
            self.report(schema, "maxProperties", at, message);
        }
        // With nothing declared the walk does not visit the members; judge them here.
        if schema.additional() == Additional::Forbidden
            && !schema.describes_members()
            && let Some(name) = map.keys().next()
        {
            self.report(schema, "additionalProperties", at, unexpected(name));
        }
    }

    fn combinators(&mut self, schema: &Schema, value: &Value, at: &str) {
        for &part in schema.all_of() {
            for mut violation in self.schemas.violations(part, value) {
                if self.done() {
                    return;
                }
                violation.instance_path = format!("{at}{}", violation.instance_path);
                self.found.push(violation);
            }
        }
        if !schema.any_of().is_empty()
            && !schema
                .any_of()
                .iter()
                .any(|&s| self.schemas.conforms(s, value))
        {
            let message = format!("{value} matches none of the anyOf schemas");
            self.report(schema, "anyOf", at, message);
        }
        if !schema.one_of().is_empty() {
            let matching = schema
                .one_of()
                .iter()
                .filter(|&&s| self.schemas.conforms(s, value))
                .count();
            if matching != 1 {
                let message = format!("{value} matches {matching} of the oneOf schemas, not 1");
                self.report(schema, "oneOf", at, message);
            }
        }
        if let Some(not) = schema.not()
            && self.schemas.conforms(not, value)
        {
            self.report(schema, "not", at, format!("{value} matches the not schema"));
        }
    }
}

impl<'v> Visitor<'v> for Checker<'_> {
    fn visit(&mut self, schema: &Schema, value: &'v Value, path: &[Token<'v>]) -> Step {
        if self.done() || (value.is_null() && schema.nullable()) {
            return Step::Skip;
        }
        let before = self.found.len();
        self.local(schema, value, &pointer_of(path));
        // Parts of a value of the wrong type say nothing more.
        let wrong_type = self.found[before..].iter().any(|v| v.keyword == "type");
        if self.done() || wrong_type {
            Step::Skip
        } else {
            Step::Descend
        }
    }

    fn member(
        &mut self,
        object: &Schema,
        name: &'v str,
        _: &'v Value,
        member: Member,
        path: &[Token<'v>],
    ) -> Step {
        if member == Member::Undeclared && object.additional() == Additional::Forbidden {
            let parent = pointer_of(&path[..path.len() - 1]);
            self.report(object, "additionalProperties", &parent, unexpected(name));
        }
        if self.done() {
            Step::Skip
        } else {
            Step::Descend
        }
    }
}

fn unexpected(name: &str) -> String {
    format!("the member {} is not allowed", Value::from(name))
}

/// JSON equality with numbers compared by value (`1` equals `1.0`), as JSON Schema's `enum`
/// and `uniqueItems` compare.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| equal(a, b)))
        }
        _ => a == b,
    }
}

/// Integers exactly, anything else as floating point.
fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn is_multiple(n: &Number, step: &Number) -> bool {
    if let (Some(x), Some(y)) = (n.as_i64(), step.as_i64())
        && y != 0
    {
        return x % y == 0;
    }
    match (n.as_f64(), step.as_f64()) {
        (Some(x), Some(y)) if y != 0.0 => (x / y).fract() == 0.0,
        _ => false,
    }
}

/// The number `text` writes in ASCII digits; `None` for anything else, or for a range that
/// splits a character.
fn digits(text: Option<&str>) -> Option<u32> {
    let text = text?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// RFC 3339 `full-date`: `YYYY-MM-DD`, a day the month has.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        digits(text.get(..4)),
        digits(text.get(5..7)),
        digits(text.get(8..)),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`: `HH:MM:SS`, optional fraction, then `Z` or an offset; a leap second
/// only at 23:59 UTC.
fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        digits(text.get(..2)),
        digits(text.get(3..5)),
        digits(text.get(6..8)),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let Some(mut rest) = text.get(8..) else {
        return false;
    };
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    let utc_minutes = if rest.eq_ignore_ascii_case("z") {
        (hour * 60 + minute) as i64
    } else {
        let sign = match rest.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return false,
        };
        let offset = &rest[1..];
        if offset.len() != 5 || offset.as_bytes()[2] != b':' {
            return false;
        }
        let (Some(oh), Some(om)) = (digits(offset.get(..2)), digits(offset.get(3..))) else {
            return false;
        };
        if oh > 23 || om > 59 {
            return false;
        }
        ((hour * 60 + minute) as i64 - sign * (oh * 60 + om) as i64).rem_euclid(24 * 60)
    };
    second != 60 || utc_minutes == 23 * 60 + 59
}

/// RFC 3339 `date-time`: a date, `T` (either case), a time.
fn is_date_time(text: &str) -> bool {
    match text.find(['T', 't']) {
        Some(at) => is_date(&text[..at]) && is_time(&text[at + 1..]),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(schema: Value) -> (Schemas, SchemaId) {
        let doc = json!({ "s": schema, "components": {"schemas": {
            "Id": {"type": "string", "minLength": 1},
            "Mode": {"type": "string", "enum": ["ON", "OFF"]}
        }}});
        let mut schemas = Schemas::default();
        let root = schemas.build(&doc, "/s").unwrap();
        (schemas, root)
    }

    fn verdicts(schema: Value, cases: &[(Value, Option<&str>)]) {
        let (schemas, root) = schemas(schema);
        for (value, keyword) in cases {
            let found = schemas.check(root, value).err().map(|v| v.keyword);
            assert_eq!(found, *keyword, "{value}");
        }
    }

    #[test]
    fn types_draft_4_integers_and_nullable() {
        verdicts(
            json!({"type": "integer"}),
            &[
                (json!(3), None),
                (json!(-3), None),
                (json!(3.0), Some("type")),
                (json!("3"), Some("type")),
                (json!(null), Some("type")),
            ],
        );
        verdicts(
            json!({"type": "number", "nullable": true, "minimum": 1}),
            &[(json!(1.5), None), (json!(2), None), (json!(null), None)],
        );
        verdicts(json!({}), &[(json!(null), None), (json!([1]), None)]);
    }

    #[test]
    fn bounds_lengths_counts_and_patterns() {
        verdicts(
            json!({"type": "integer", "minimum": 1, "maximum": 10, "exclusiveMaximum": true}),
            &[
                (json!(1), None),
                (json!(0), Some("minimum")),
                (json!(9), None),
                (json!(10), Some("maximum")),
            ],
        );
        verdicts(
            json!({"type": "number", "minimum": 1, "exclusiveMinimum": true, "maximum": 10}),
            &[
                (json!(1), Some("minimum")),
                (json!(1.5), None),
                (json!(10), None),
                (json!(10.5), Some("maximum")),
            ],
        );
        verdicts(
            json!({"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-zé]+$"}),
            &[
                (json!("éé"), None),
                (json!("é"), Some("minLength")),
                (json!("abcd"), Some("maxLength")),
                (json!("A1"), Some("pattern")),
            ],
        );
        verdicts(
            json!({"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true,
                   "items": {"$ref": "#/components/schemas/Id"}}),
            &[
                (json!(["a"]), None),
                (json!([]), Some("minItems")),
                (json!(["a", "b", "c"]), Some("maxItems")),
                (json!([1]), Some("type")),
                (json!([1, 1.0]), Some("uniqueItems")),
                (json!(["a", "a"]), Some("uniqueItems")),
                (json!(["a", ""]), Some("minLength")),
            ],
        );
        verdicts(
            json!({"type": "number", "multipleOf": 0.5}),
            &[(json!(1.5), None), (json!(1.2), Some("multipleOf"))],
        );
    }

    #[test]
    fn objects_required_members_enums_and_extra_members() {
        let schema = json!({"type": "object", "required": ["mode"], "minProperties": 1,
            "additionalProperties": false,
            "properties": {"mode": {"$ref": "#/components/schemas/Mode"}, "n": {"type": "integer"}}});
        verdicts(
            schema.clone(),
            &[
                (json!({"mode": "ON"}), None),
                (json!({}), Some("required")),
                (json!({"mode": "UP"}), Some("enum")),
                (json!({"mode": "ON", "x": 1}), Some("additionalProperties")),
                (json!({"mode": "ON", "n": "1"}), Some("type")),
            ],
        );
        let (schemas, root) = schemas(schema);
        let all = schemas.violations(root, &json!({"mode": "UP", "n": 1.5, "x": 1}));
        let found: Vec<(&str, &str, &str)> = all
            .iter()
            .map(|v| (v.instance_path.as_str(), v.keyword, v.schema_path.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("/mode", "enum", "/components/schemas/Mode/enum"),
                ("/n", "type", "/s/properties/n/type"),
                ("", "additionalProperties", "/s/additionalProperties"),
            ]
        );
        assert_eq!(
            all[1].to_string(),
            "/n: 1.5 is not of type integer",
            "{all:?}"
        );
        verdicts(
            json!({"type": "object", "additionalProperties": false}),
            &[
                (json!({}), None),
                (json!({"a": 1}), Some("additionalProperties")),
            ],
        );
        verdicts(
            json!({"type": "object", "minProperties": 1}),
            &[(json!({"a": 1}), None), (json!({}), Some("minProperties"))],
        );
    }

    #[test]
    fn combinators_judge_the_whole_value() {
        verdicts(
            json!({"allOf": [{"type": "string"}, {"minLength": 2}]}),
            &[(json!("ab"), None), (json!("a"), Some("minLength"))],
        );
        verdicts(
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            &[(json!(1), None), (json!(true), Some("anyOf"))],
        );
        verdicts(
            json!({"oneOf": [{"type": "number"}, {"type": "integer"}]}),
            &[(json!(1.5), None), (json!(1), Some("oneOf"))],
        );
        verdicts(
            json!({"not": {"type": "string"}}),
            &[(json!(1), None), (json!("a"), Some("not"))],
        );
    }

    #[test]
    fn dates_and_times_follow_rfc_3339() {
        for good in [
            "2024-02-29T12:00:00Z",
            "1999-12-31t23:59:60z",
            "2024-01-01T00:00:00.123+01:00",
            "2024-01-01T00:59:60+01:00",
        ] {
            assert!(is_date_time(good), "{good}");
        }
        for bad in [
            "2023-02-29T12:00:00Z",
            "2024-01-01 12:00:00Z",
            "2024-01-01T12:00:00",
            "2024-01-01T12:00:00.Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T12:00:60Z",
            "2024-13-01T12:00:00Z",
            "2024-01-01T12:00:00+1:00",
            "２０２４-01-01T12:00:00Z",
            "2024-01-01T12:00:0é+01:00",
            "2024-01-01T12:00:00+0é:00",
            "",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
        verdicts(
            json!({"type": "string", "format": "date-time"}),
            &[
                (json!("2024-01-01T00:00:00Z"), None),
                (json!("soon"), Some("format")),
            ],
        );
        verdicts(
            json!({"type": "string", "format": "date"}),
            &[
                (json!("2024-01-31"), None),
                (json!("2024-04-31"), Some("format")),
            ],
        );
        verdicts(
            json!({"type": "string", "format": "time"}),
            &[
                (json!("12:00:00Z"), None),
                (json!("25:00:00Z"), Some("format")),
            ],
        );
        verdicts(
            json!({"type": "string", "format": "int32"}),
            &[(json!("anything"), None)],
        );
    }

    #[test]
    fn member_counts_big_integers_dates_and_offsets_at_their_bounds() {
        verdicts(
            json!({"type": "object", "maxProperties": 2}),
            &[
                (json!({"a": 1, "b": 2}), None),
                (json!({"a": 1, "b": 2, "c": 3}), Some("maxProperties")),
            ],
        );
        verdicts(
            json!({"type": "string", "maxLength": 3}),
            &[(json!("abc"), None), (json!("abcd"), Some("maxLength"))],
        );
        let (schemas, root) = schemas(json!({"type": "object", "additionalProperties": false}));
        let found = schemas.violations(root, &json!({"surprise": 1}));
        assert!(found[0].message.contains("\"surprise\""), "{found:?}");
        assert!(!equal(&json!([1]), &json!([1, 2])));
        assert!(!equal(&json!({"a": 1}), &json!({"b": 1})));
        // Beyond f64's integers: compared as integers, not rounded to the same float.
        assert_eq!(
            compare(&Number::from(u64::MAX), &Number::from(u64::MAX - 1)),
            Some(Ordering::Greater)
        );
        verdicts(
            json!({"type": "integer", "maximum": 9007199254740993_u64}),
            &[
                (json!(9007199254740993_u64), None),
                (json!(9007199254740994_u64), Some("maximum")),
            ],
        );
        for (date, valid) in [
            ("2000-02-29", true),
            ("2024-02-29", true),
            ("1900-02-29", false),
            ("+999-01-01", false),
            ("2024-1-011", false),
            ("2023-02-29", false),
            ("2024-04-30", true),
            ("2023-02-28", true),
            ("2024/01/01", false),
            ("2024-01/01", false),
            ("2024/01-01", false),
            ("2024-04-31", false),
        ] {
            assert_eq!(is_date(date), valid, "{date}");
        }
        for (time, valid) in [
            ("12:00:00+05:59", true),
            ("12:00:00+23:59", true),
            ("12:00:00+05:60", false),
            ("12:00:00+24:00", false),
            // A leap second is the last second of a UTC day, whatever the offset.
            ("23:59:60Z", true),
            ("00:29:60+00:30", true),
            ("12:00:60Z", false),
            ("00:29:60+00:31", false),
            // West of UTC: 18:59 at -05:00 is 23:59 UTC.
            ("12:00:00-05:00", true),
            ("18:59:60-05:00", true),
            ("18:59:60+05:00", false),
            ("12-00:00Z", false),
            ("12:00-00Z", false),
            ("12:60:00Z", false),
            ("12:00:00+00:60", false),
            ("12:00:00+01-00", false),
            ("12:00:00+01:000", false),
        ] {
            assert_eq!(is_time(time), valid, "{time}");
        }
    }

    #[test]
    fn numbers_compare_by_value_across_representations() {
        assert!(equal(&json!(1), &json!(1.0)));
        assert!(equal(&json!([1, {"a": 2}]), &json!([1.0, {"a": 2.0}])));
        assert!(!equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert_eq!(
            compare(&Number::from(u64::MAX), &Number::from(-1)),
            Some(Ordering::Greater)
        );
    }

    /// Integer steps are judged exactly, past what a float holds; decimal steps by division.
    #[test]
    fn multiples_of_integers_exactly_and_of_decimals_by_division() {
        verdicts(
            json!({"type": "integer", "multipleOf": 3}),
            &[
                (json!(9), None),
                (json!(-9), None),
                (json!(10), Some("multipleOf")),
            ],
        );
        // 2^53 + 1: odd, though as a float it rounds to an even number.
        verdicts(
            json!({"type": "integer", "multipleOf": 2}),
            &[
                (json!(9_007_199_254_740_992_i64), None),
                (json!(9_007_199_254_740_993_i64), Some("multipleOf")),
            ],
        );
        verdicts(
            json!({"type": "number", "multipleOf": 2.0}),
            &[(json!(4.0), None), (json!(3.0), Some("multipleOf"))],
        );
    }

    /// Every violation is found, a level's other violations do not hide its parts', and the
    /// parts of a value of the wrong type are not judged.
    #[test]
    fn violations_of_a_value_and_of_its_parts_are_all_found_but_not_inside_a_wrong_type() {
        let (schemas, root) = schemas(json!({
            "type": "object", "required": ["id"],
            "properties": {"a": {"type": "string"}, "b": {"type": "integer", "properties": {"c": {"type": "string"}}}}
        }));
        let found: Vec<(String, &str)> = schemas
            .violations(root, &json!({"a": 1, "b": {"c": 2}}))
            .into_iter()
            .map(|v| (v.instance_path, v.keyword))
            .collect();
        assert_eq!(
            found,
            [
                (String::new(), "required"),
                ("/a".to_owned(), "type"),
                ("/b".to_owned(), "type"),
            ]
        );
    }
}
