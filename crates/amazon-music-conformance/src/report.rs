//! Reports of a validation run: per-exchange verdicts, drift, unusable inputs and coverage,
//! rendered for people (human), for programs (JSON) and for CI dashboards (JUnit XML).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::{Drift, DriftKind, Outcome, Spec};

/// An input that could not be used at all (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// The file.
    pub file: String,
    /// What is wrong with it.
    pub message: String,
}

/// Which operations, and which of their declared statuses, the run saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageEntry {
    /// The operation's id.
    pub operation_id: String,
    /// Upper-case method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Response keys the operation declares.
    pub declared: Vec<String>,
    /// Status codes seen, as response keys they matched.
    pub seen: Vec<String>,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Whether drift fails the run.
    pub strict: bool,
    /// One per exchange, in input order.
    pub outcomes: Vec<Outcome>,
    /// Files that could not be used.
    pub input_errors: Vec<InputError>,
    /// One per operation of the spec, in document order.
    pub coverage: Vec<CoverageEntry>,
}

/// A report's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Exchanges validated.
    pub exchanges: usize,
    /// Exchanges with at least one violation.
    pub failing: usize,
    /// Violations.
    pub violations: usize,
    /// Drift findings.
    pub drift: usize,
    /// Unusable inputs.
    pub input_errors: usize,
}

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Readable text.
    #[default]
    Human,
    /// One JSON object.
    Json,
    /// JUnit XML, one test case per exchange.
    Junit,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(Self::Human),
            "json" => Ok(Self::Json),
            "junit" => Ok(Self::Junit),
            other => Err(format!("unknown format {other:?} (human, json or junit)")),
        }
    }
}

impl Report {
    /// Gathers outcomes and input errors, and computes coverage against `spec`.
    pub fn new(
        spec: &Spec,
        outcomes: Vec<Outcome>,
        input_errors: Vec<InputError>,
        strict: bool,
    ) -> Self {
        let mut seen: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for outcome in &outcomes {
            if let (Some(op), Some(_)) = (&outcome.operation_id, &outcome.response) {
                seen.entry(op)
                    .or_default()
                    .insert(outcome.status.to_string());
            }
        }
        let coverage = spec
            .operations()
            .iter()
            .map(|op| CoverageEntry {
                operation_id: op.id().to_owned(),
                method: op.method().to_owned(),
                path: op.path().to_owned(),
                declared: op
                    .responses()
                    .iter()
                    .map(|r| r.status().to_owned())
                    .collect(),
                seen: seen
                    .get(op.id())
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
            })
            .collect();
        Self {
            strict,
            outcomes,
            input_errors,
            coverage,
        }
    }

    /// The run's totals.
    pub fn totals(&self) -> Totals {
        Totals {
            exchanges: self.outcomes.len(),
            failing: self
                .outcomes
                .iter()
                .filter(|o| !o.passed(self.strict))
                .count(),
            violations: self.outcomes.iter().map(|o| o.violations.len()).sum(),
            drift: self.outcomes.iter().map(|o| o.drift.len()).sum(),
            input_errors: self.input_errors.len(),
        }
    }

    /// 0 when everything conforms, 1 when anything violates the spec (or drifts, when strict),
    /// 2 when an input was unusable.
    pub fn exit_code(&self) -> u8 {
        let totals = self.totals();
        if totals.input_errors > 0 {
            2
        } else if totals.failing > 0 {
            1
        } else {
            0
        }
    }

    /// Renders the report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Human => self.human(),
            Format::Json => self.json(),
            Format::Junit => self.junit(),
        }
    }

    fn human(&self) -> String {
        let mut out = String::new();
        for error in &self.input_errors {
            let _ = writeln!(out, "ERROR {}: {}", error.file, error.message);
        }
        for o in &self.outcomes {
            let verdict = if o.passed(self.strict) {
                "ok  "
            } else {
                "FAIL"
            };
            let op = o.operation_id.as_deref().unwrap_or("no operation");
            let _ = writeln!(
                out,
                "{verdict} {}  {} {} -> {} ({op})",
                o.source, o.method, o.url, o.status
            );
            for v in &o.violations {
                let at = if v.body_pointer.is_empty() {
                    "(exchange)"
                } else {
                    &v.body_pointer
                };
                let _ = writeln!(
                    out,
                    "     violation at {at}: {} expected {}, found {}",
                    v.keyword, v.expected, v.found
                );
                let _ = writeln!(out, "       spec {}{}", v.spec_pointer, line(v.spec_line));
            }
            for d in &o.drift {
                let known = match d.kind {
                    DriftKind::NullNotNullable => "allows",
                    DriftKind::UnknownField | DriftKind::UnlistedValue => "known",
                };
                let _ = writeln!(
                    out,
                    "     drift at {}: {} {:?} ({known}: {})",
                    d.body_pointer,
                    d.kind.describe(),
                    d.found,
                    d.known.join(", ")
                );
                let _ = writeln!(out, "       spec {}{}", d.spec_pointer, line(d.spec_line));
            }
        }
        let seen = self.coverage.iter().filter(|c| !c.seen.is_empty()).count();
        let _ = writeln!(
            out,
            "\ncoverage: {seen} of {} operations seen",
            self.coverage.len()
        );
        for c in &self.coverage {
            let unseen: Vec<&str> = c
                .declared
                .iter()
                .filter(|d| !c.seen.contains(d))
                .map(String::as_str)
                .collect();
            let _ = writeln!(
                out,
                "  {:<28} {:<6} {:<60} seen [{}] not seen [{}]",
                c.operation_id,
                c.method,
                c.path,
                c.seen.join(", "),
                unseen.join(", ")
            );
        }
        let t = self.totals();
        let _ = writeln!(
            out,
            "\n{} exchanges, {} failing, {} violations, {} drift{}, {} unusable inputs",
            t.exchanges,
            t.failing,
            t.violations,
            t.drift,
            if self.strict { " (strict)" } else { "" },
            t.input_errors
        );
        out
    }

    fn json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            #[serde(flatten)]
            report: &'a Report,
            totals: Totals,
            exit_code: u8,
        }
        let document = Document {
            report: self,
            totals: self.totals(),
            exit_code: self.exit_code(),
        };
        serde_json::to_string_pretty(&document)
            .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
    }

    fn junit(&self) -> String {
        let t = self.totals();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"amazon-music-conformance\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            t.exchanges + t.input_errors,
            t.failing,
            t.input_errors
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"validate\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            t.exchanges + t.input_errors,
            t.failing,
            t.input_errors
        );
        for error in &self.input_errors {
            let _ = writeln!(
                out,
                "    <testcase classname=\"input\" name=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>",
                xml(&error.file),
                xml(&error.message)
            );
        }
        for o in &self.outcomes {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\">",
                xml(o.operation_id.as_deref().unwrap_or("unmatched")),
                xml(&format!(
                    "{} {} -> {} ({})",
                    o.method, o.url, o.status, o.source
                ))
            );
            let drift_fails = self.strict && !o.drift.is_empty();
            if !o.violations.is_empty() || drift_fails {
                let mut body = String::new();
                for v in &o.violations {
                    let _ = writeln!(
                        body,
                        "{} at {}: expected {}, found {} (spec {}{})",
                        v.keyword,
                        if v.body_pointer.is_empty() {
                            "/"
                        } else {
                            &v.body_pointer
                        },
                        v.expected,
                        v.found,
                        v.spec_pointer,
                        line(v.spec_line)
                    );
                }
                if drift_fails {
                    drift_lines(&mut body, &o.drift);
                }
                let _ = write!(
                    out,
                    "\n      <failure message=\"{} violations, {} drift\">{}</failure>",
                    o.violations.len(),
                    o.drift.len(),
                    xml(&body)
                );
            }
            if !o.drift.is_empty() && !drift_fails {
                let mut body = String::new();
                drift_lines(&mut body, &o.drift);
                let _ = write!(out, "\n      <system-out>{}</system-out>", xml(&body));
            }
            let closing = if o.violations.is_empty() && o.drift.is_empty() {
                ""
            } else {
                "\n    "
            };
            let _ = writeln!(out, "{closing}</testcase>");
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

/// One line per drift finding, for a JUnit failure or its standard output.
fn drift_lines(body: &mut String, drift: &[Drift]) {
    for d in drift {
        let _ = writeln!(
            body,
            "drift at {}: {} {:?} (spec {}{})",
            d.body_pointer,
            d.kind.describe(),
            d.found,
            d.spec_pointer,
            line(d.spec_line)
        );
    }
}

fn line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Format, xml};

    #[test]
    fn xml_text_is_escaped_and_control_characters_replaced() {
        assert_eq!(
            xml("a<b>&\"c'\u{1}\u{1f}\n\t\r"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}\u{FFFD}\n\t\r"
        );
    }

    #[test]
    fn formats_parse_by_name_and_anything_else_is_refused_naming_the_choices() {
        assert_eq!("human".parse(), Ok(Format::Human));
        assert_eq!("json".parse(), Ok(Format::Json));
        assert_eq!("junit".parse(), Ok(Format::Junit));
        assert_eq!(
            "JSON".parse::<Format>(),
            Err("unknown format \"JSON\" (human, json or junit)".to_owned())
        );
    }
}
