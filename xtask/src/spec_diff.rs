//! `cargo xtask spec-diff`: what a change of `spec/openapi.yaml` since a git revision means for
//! the generated crate's users, one line per change.
//!
//! Both documents are read by the spec crate and compared as models: operations by
//! `operationId` (method, path, parameters, request body, responses), and every schema they
//! reach, property by property. Each change says what changed, where in the spec, which
//! operations reach it and which items of the generated crate it touches (looked up in the
//! generated code of the revision for what goes, and of the checkout for what comes), and how it
//! counts for semantic versioning:
//!
//! * **breaking**: code that compiled against the old crate may not compile or may fail at
//!   run time: an operation, parameter, property or enum value removed; a type changed; a
//!   property or enum value added to a type users can build with a literal or match on
//!   exhaustively (the generated structs and enums are neither `#[non_exhaustive]` nor
//!   private); a parameter made required;
//! * **additive**: new operations, optional parameters, new values of an `x-extensible-enum`
//!   (a string in the generated code);
//! * **other**: what changes behaviour or documentation only (bounds, patterns, formats).
//!
//! Breaking changes come first. `--format json` prints the same facts for tools; `--changelog`
//! prints them as CHANGELOG.md entries. `--semver-checks` then runs cargo-semver-checks on the
//! generated crate against the same revision, the ecosystem's check of what the regenerated
//! code really breaks (it needs the crate regenerated, and the tool installed).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write as _;
use std::process::{Command, ExitCode};

use amazon_music_spec::{Location, Operation, Schema, SchemaId, Spec};
use anyhow::{Context, bail};
use serde::Serialize;

const GENERATED: &str = "crates/amazon-music-api/src/generated/client.rs";
const MANIFEST: &str = "crates/amazon-music-api/Cargo.toml";

/// Arguments of `cargo xtask spec-diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The git revision whose spec is the baseline.
    #[arg(long, default_value = "main")]
    base: String,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Print the changes as CHANGELOG.md entries (Keep a Changelog sections) instead.
    #[arg(long, conflicts_with = "format")]
    changelog: bool,
    /// Also run cargo-semver-checks on amazon-music-api against the same revision.
    #[arg(long)]
    semver_checks: bool,
}

/// Output formats.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per change.
    Text,
    /// One JSON document: the changes, the version bump and the next version.
    Json,
}

/// How a change counts for semantic versioning, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Code written against the old crate may no longer compile or work.
    Breaking,
    /// Something new; code written against the old crate is unaffected.
    Additive,
    /// Behaviour or documentation only.
    Other,
}

impl Severity {
    fn name(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Other => "other",
        }
    }
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// How it counts.
    pub severity: Severity,
    /// What changed, in a few words.
    pub what: String,
    /// Where, as a JSON pointer into the spec (the new one, or the old one for what went).
    pub pointer: String,
    /// The operations whose requests or responses reach it, by `operationId`.
    pub operations: Vec<String>,
    /// The items of the generated crate it touches (`types::Album::title`,
    /// `Client::get_album`), as far as the generated code shows them.
    pub generated: Vec<String>,
}

/// Runs the subcommand: exit 0 when nothing breaks, 1 when something does.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let old_text = git_show(&args.base, "spec/openapi.yaml")?;
    let old = Spec::from_yaml_str(&old_text)
        .with_context(|| format!("reading spec/openapi.yaml at {}", args.base))?;
    let new = Spec::load(root.join("spec/openapi.yaml")).context("reading spec/openapi.yaml")?;
    // The generated code at the revision names what goes; the checkout's, what comes (it
    // names nothing new until `cargo xtask generate` has run).
    let old_code = git_show(&args.base, GENERATED).unwrap_or_default();
    let new_code = std::fs::read_to_string(root.join(GENERATED)).unwrap_or_default();
    let changes = diff(
        &old,
        &new,
        &Generated::new(&old_code),
        &Generated::new(&new_code),
    );
    let manifest = std::fs::read_to_string(root.join(MANIFEST)).context("reading the manifest")?;
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .context("no version in the generated crate's manifest")?;
    let next = next_version(&version, &changes);

    let out = if args.changelog {
        changelog(&changes)
    } else if args.format == Format::Json {
        #[derive(Serialize)]
        struct Report<'a> {
            base: &'a str,
            crate_version: &'a str,
            next_version: &'a str,
            changes: &'a [Change],
        }
        let report = Report {
            base: &args.base,
            crate_version: &version,
            next_version: &next,
            changes: &changes,
        };
        format!("{}\n", serde_json::to_string_pretty(&report)?)
    } else {
        format!(
            "{}amazon-music-api {version}: next release {next}\n",
            text(&args.base, &changes)
        )
    };
    // A reader that stops early (`| head`) ends the output, not the command with a panic.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(e).context("writing the report");
        }
        _ => {}
    }

    if args.semver_checks {
        semver_checks(&args.base)?;
    }
    Ok(
        if changes.iter().any(|c| c.severity == Severity::Breaking) {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        },
    )
}

fn git_show(rev: &str, path: &str) -> anyhow::Result<String> {
    let out = Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .current_dir(crate::workspace_root())
        .output()
        .context("running git")?;
    if !out.status.success() {
        bail!(
            "cannot read {path} at {rev}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).with_context(|| format!("{path} at {rev} is not UTF-8"))
}

fn semver_checks(base: &str) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let installed = Command::new(&cargo)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        bail!(
            "cargo-semver-checks is not installed: `cargo install cargo-semver-checks --locked`, \
             then run `cargo xtask generate` and this command again"
        );
    }
    let status = Command::new(&cargo)
        .args(["semver-checks", "check-release", "-p", "amazon-music-api"])
        .args(["--baseline-rev", base])
        .current_dir(crate::workspace_root())
        .status()
        .context("running cargo semver-checks")?;
    println!(
        "cargo semver-checks: {}",
        if status.success() {
            "no semver violation"
        } else {
            "semver violations above"
        }
    );
    Ok(())
}

/// The version after `version` that `changes` call for: a breaking change bumps the major
/// version (the minor one in a 0.x crate), an addition the minor one (the patch in 0.x), and
/// anything else the patch. Build metadata (`+v1`, the API version) is kept.
fn next_version(version: &str, changes: &[Change]) -> String {
    let (core, build) = match version.split_once('+') {
        Some((core, build)) => (core, format!("+{build}")),
        None => (version, String::new()),
    };
    let mut parts = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    let Some(worst) = changes.iter().map(|c| c.severity).min() else {
        return format!("{version} (no change)");
    };
    let next = match (worst, major) {
        (Severity::Breaking, 0) => format!("0.{}.0", minor + 1),
        (Severity::Breaking, _) => format!("{}.0.0", major + 1),
        (Severity::Additive, 0) | (Severity::Other, _) => format!("{major}.{minor}.{}", patch + 1),
        (Severity::Additive, _) => format!("{major}.{}.0", minor + 1),
    };
    format!("{next}{build}")
}

fn text(base: &str, changes: &[Change]) -> String {
    let breaking = changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .count();
    let mut out = format!(
        "spec-diff: spec/openapi.yaml since {base}: {} change{}, {breaking} breaking\n",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    for c in changes {
        out.push_str(&format!(
            "{:<9} {} at {}",
            c.severity.name(),
            c.what,
            c.pointer
        ));
        if !c.operations.is_empty() {
            out.push_str(&format!("; operations: {}", c.operations.join(", ")));
        }
        if !c.generated.is_empty() {
            out.push_str(&format!("; generated: {}", c.generated.join(", ")));
        }
        out.push('\n');
    }
    out
}

/// Keep a Changelog entries for `amazon-music-api`: what breaks under "Changed" or "Removed",
/// additions under "Added".
fn changelog(changes: &[Change]) -> String {
    let mut sections: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in changes {
        let section = match c.severity {
            Severity::Additive => "Added",
            Severity::Breaking if c.what.contains("removed") => "Removed",
            _ => "Changed",
        };
        let mut line = format!("- `amazon-music-api`: {} (`{}`)", c.what, c.pointer);
        if !c.generated.is_empty() {
            line.push_str(&format!(
                "; {}",
                c.generated
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if c.severity == Severity::Breaking {
            line.push_str(" **(breaking)**");
        }
        sections.entry(section).or_default().push(line);
    }
    let mut out = String::new();
    for section in ["Added", "Changed", "Removed"] {
        if let Some(lines) = sections.get(section) {
            out.push_str(&format!("### {section}\n{}\n\n", lines.join("\n")));
        }
    }
    out
}

/// The generated code's text, to find the items a change touches.
pub struct Generated<'a> {
    code: &'a str,
}

impl<'a> Generated<'a> {
    /// Wraps the text of `generated/client.rs`.
    pub fn new(code: &'a str) -> Self {
        Self { code }
    }

    /// `Client::method` for an operation, if the code has it.
    fn method(&self, operation_id: &str) -> Option<String> {
        let name = snake_case(operation_id);
        self.code
            .contains(&format!("pub fn {name}(&self)"))
            .then(|| format!("Client::{name}"))
    }

    /// The body of `pub struct NAME {...}` or `pub enum NAME {...}` in the `types` module (the
    /// first one: the builders come after it).
    fn item(&self, name: &str) -> Option<&'a str> {
        ["struct", "enum"].iter().find_map(|kind| {
            let start = self.code.find(&format!("pub {kind} {name} {{"))?;
            let body = &self.code[start..];
            let end = body.find("\n    }\n").unwrap_or(body.len());
            Some(&body[..end])
        })
    }

    /// `types::NAME`, if the code has such a type.
    fn type_named(&self, name: &str) -> Option<String> {
        self.item(name).map(|_| format!("types::{name}"))
    }

    /// `types::NAME::field` for the property `property` of the type `NAME`.
    fn field(&self, type_name: &str, property: &str) -> Option<String> {
        let body = self.item(type_name)?;
        let field = snake_case(property);
        (body.contains(&format!("pub {field}:")) || body.contains(&format!("pub r#{field}:")))
            .then(|| format!("types::{type_name}::{field}"))
    }

    /// `types::NAME::Variant` for the enum value `value` of the type `NAME`.
    fn variant(&self, type_name: &str, value: &str) -> Option<String> {
        let body = self.item(type_name)?;
        body.contains(&format!("rename = \"{value}\""))
            .then(|| format!("types::{type_name} (value {value:?})"))
    }
}

/// `getLibraryAlbums` → `get_library_albums`, `explicitContent` → `explicit_content`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            out.push('_');
            previous_lower = false;
        }
    }
    out
}

/// The component a schema pointer is, if it is one: `/components/schemas/Album` → `Album`.
fn component_name(pointer: &str) -> Option<&str> {
    let name = pointer.strip_prefix("/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

/// Every change from `old` to `new`, breaking ones first, then in spec order.
pub fn diff(old: &Spec, new: &Spec, old_code: &Generated, new_code: &Generated) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        old_code,
        new_code,
        changes: Vec::new(),
        compared: HashSet::new(),
        old_reach: reach(old),
        new_reach: reach(new),
    };
    let old_ops: BTreeMap<&str, &Operation> =
        old.operations().iter().map(|o| (o.id(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> =
        new.operations().iter().map(|o| (o.id(), o)).collect();
    for op in old.operations() {
        match new_ops.get(op.id()) {
            None => differ.push_op(
                Severity::Breaking,
                format!(
                    "operation {} removed ({} {})",
                    op.id(),
                    op.method(),
                    op.path()
                ),
                op.pointer(),
                op.id(),
                old_code.method(op.id()),
            ),
            Some(new_op) => differ.operation(op, new_op),
        }
    }
    for op in new.operations() {
        if !old_ops.contains_key(op.id()) {
            differ.push_op(
                Severity::Additive,
                format!(
                    "operation {} added ({} {})",
                    op.id(),
                    op.method(),
                    op.path()
                ),
                op.pointer(),
                op.id(),
                new_code.method(op.id()),
            );
        }
    }
    // Components no operation reaches still become types of the generated crate.
    for (id, schema) in old.schemas().iter() {
        let Some(name) = component_name(schema.pointer()) else {
            continue;
        };
        match new.schemas().at(schema.pointer()) {
            Some(new_id) => differ.schema(id, new_id),
            None => differ.push(
                Severity::Breaking,
                format!("schema {name} removed"),
                schema.pointer(),
                Side::Old(id),
                old_code.type_named(name),
            ),
        }
    }
    for (id, schema) in new.schemas().iter() {
        if let Some(name) = component_name(schema.pointer())
            && old.schemas().at(schema.pointer()).is_none()
        {
            differ.push(
                Severity::Additive,
                format!("schema {name} added"),
                schema.pointer(),
                Side::New(id),
                new_code.type_named(name),
            );
        }
    }
    let mut changes = differ.changes;
    // Stable: spec order within each severity.
    changes.sort_by_key(|c| c.severity);
    changes
}

/// For each schema, the operations that reach it (through parameters, bodies and responses,
/// along every subschema).
fn reach(spec: &Spec) -> Vec<BTreeSet<String>> {
    let schemas = spec.schemas();
    let mut reached = vec![BTreeSet::new(); schemas.len()];
    for op in spec.operations() {
        let mut stack: Vec<SchemaId> = op
            .parameters()
            .iter()
            .filter_map(|p| p.schema())
            .chain(
                op.request_body()
                    .and_then(|b| b.json())
                    .and_then(|m| m.schema()),
            )
            .chain(
                op.responses()
                    .iter()
                    .filter_map(|r| r.json().and_then(|m| m.schema())),
            )
            .collect();
        let mut seen = HashSet::new();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                reached[id.index()].insert(op.id().to_owned());
                stack.extend(schemas.get(id).subschemas());
            }
        }
    }
    reached
}

/// A schema of one of the two specs.
#[derive(Clone, Copy)]
enum Side {
    Old(SchemaId),
    New(SchemaId),
}

struct Differ<'s, 'g> {
    old: &'s Spec,
    new: &'s Spec,
    old_code: &'g Generated<'g>,
    new_code: &'g Generated<'g>,
    changes: Vec<Change>,
    compared: HashSet<(SchemaId, SchemaId)>,
    old_reach: Vec<BTreeSet<String>>,
    new_reach: Vec<BTreeSet<String>>,
}

impl Differ<'_, '_> {
    fn push(
        &mut self,
        severity: Severity,
        what: String,
        pointer: &str,
        side: Side,
        generated: Option<String>,
    ) {
        let operations = match side {
            Side::Old(id) => &self.old_reach[id.index()],
            Side::New(id) => &self.new_reach[id.index()],
        };
        let change = Change {
            severity,
            what,
            pointer: pointer.to_owned(),
            operations: operations.iter().cloned().collect(),
            generated: generated.into_iter().collect(),
        };
        // A schema reached along several paths is compared once; its changes are listed once.
        if !self.changes.contains(&change) {
            self.changes.push(change);
        }
    }

    fn push_op(
        &mut self,
        severity: Severity,
        what: String,
        pointer: &str,
        operation: &str,
        generated: Option<String>,
    ) {
        self.changes.push(Change {
            severity,
            what,
            pointer: pointer.to_owned(),
            operations: vec![operation.to_owned()],
            generated: generated.into_iter().collect(),
        });
    }

    fn operation(&mut self, old: &Operation, new: &Operation) {
        let id = new.id();
        let method = self
            .new_code
            .method(id)
            .or_else(|| self.old_code.method(id));
        if (old.method(), old.path()) != (new.method(), new.path()) {
            self.push_op(
                Severity::Breaking,
                format!(
                    "operation {id} moved from {} {} to {} {}",
                    old.method(),
                    old.path(),
                    new.method(),
                    new.path()
                ),
                new.pointer(),
                id,
                method.clone(),
            );
        }
        let key = |p: &amazon_music_spec::Parameter| (location(p.location()), p.name().to_owned());
        for p in old.parameters() {
            match new.parameters().iter().find(|n| key(n) == key(p)) {
                None => self.push_op(
                    Severity::Breaking,
                    format!("{} parameter {} of {id} removed", key(p).0, p.name()),
                    p.pointer(),
                    id,
                    method.clone(),
                ),
                Some(n) => {
                    if !p.required() && n.required() {
                        self.push_op(
                            Severity::Breaking,
                            format!("{} parameter {} of {id} made required", key(p).0, p.name()),
                            n.pointer(),
                            id,
                            method.clone(),
                        );
                    } else if p.required() && !n.required() {
                        self.push_op(
                            Severity::Additive,
                            format!("{} parameter {} of {id} made optional", key(p).0, p.name()),
                            n.pointer(),
                            id,
                            method.clone(),
                        );
                    }
                    if let (Some(a), Some(b)) = (p.schema(), n.schema()) {
                        self.schema(a, b);
                    }
                }
            }
        }
        for n in new.parameters() {
            if !old.parameters().iter().any(|p| key(p) == key(n)) {
                let (severity, how) = if n.required() {
                    (Severity::Breaking, "required")
                } else {
                    (Severity::Additive, "optional")
                };
                self.push_op(
                    severity,
                    format!("{how} {} parameter {} of {id} added", key(n).0, n.name()),
                    n.pointer(),
                    id,
                    method.clone(),
                );
            }
        }
        let body = |op: &Operation| {
            op.request_body()
                .and_then(|b| b.json())
                .and_then(|m| m.schema())
        };
        match (body(old), body(new)) {
            (Some(a), Some(b)) => self.schema(a, b),
            (None, None) => {}
            (a, _) => self.push_op(
                Severity::Breaking,
                format!(
                    "request body of {id} {}",
                    if a.is_some() { "removed" } else { "added" }
                ),
                new.pointer(),
                id,
                method.clone(),
            ),
        }
        for r in old.responses() {
            match new.response(r.status()) {
                None => self.push_op(
                    Severity::Breaking,
                    format!("response {} of {id} removed", r.status()),
                    r.pointer(),
                    id,
                    method.clone(),
                ),
                Some(n) => {
                    if let (Some(a), Some(b)) = (
                        r.json().and_then(|m| m.schema()),
                        n.json().and_then(|m| m.schema()),
                    ) {
                        self.schema(a, b);
                    }
                }
            }
        }
        for n in new.responses() {
            if old.response(n.status()).is_none() {
                // A new status changes the generated method's response or error type.
                self.push_op(
                    Severity::Breaking,
                    format!("response {} of {id} added", n.status()),
                    n.pointer(),
                    id,
                    method.clone(),
                );
            }
        }
    }

    /// Compares two schemas and, through their properties and items, all they reach.
    fn schema(&mut self, a: SchemaId, b: SchemaId) {
        if !self.compared.insert((a, b)) {
            return;
        }
        let (old, new) = (self.old.schemas().get(a), self.new.schemas().get(b));
        let here = new.pointer().to_owned();
        let type_name = component_name(&here).map(str::to_owned);
        let generated = |code: &Generated| type_name.as_deref().and_then(|n| code.type_named(n));

        if old.types() != new.types() || old.nullable() != new.nullable() {
            let g = generated(self.new_code);
            self.push(
                Severity::Breaking,
                format!("type changed from {} to {}", describe(old), describe(new)),
                &here,
                Side::New(b),
                g,
            );
        }
        for (name, old_child) in old.properties() {
            match new.property(name) {
                None => {
                    let g = type_name
                        .as_deref()
                        .and_then(|t| self.old_code.field(t, name));
                    self.push(
                        Severity::Breaking,
                        format!("property {name} removed"),
                        &old.property_pointer(name),
                        Side::Old(a),
                        g,
                    );
                }
                Some(new_child) => {
                    if old.is_required(name) != new.is_required(name) {
                        let g = type_name
                            .as_deref()
                            .and_then(|t| self.new_code.field(t, name));
                        self.push(
                            Severity::Breaking,
                            format!(
                                "property {name} made {}",
                                if new.is_required(name) {
                                    "required"
                                } else {
                                    "optional"
                                }
                            ),
                            &new.property_pointer(name),
                            Side::New(b),
                            g,
                        );
                    }
                    self.schema(*old_child, new_child);
                }
            }
        }
        for (name, _) in new.properties() {
            if old.property(name).is_none() {
                let g = type_name
                    .as_deref()
                    .and_then(|t| self.new_code.field(t, name))
                    .or_else(|| generated(self.new_code));
                self.push(
                    Severity::Breaking,
                    format!("property {name} added (a field of a struct users can build)"),
                    &new.property_pointer(name),
                    Side::New(b),
                    g,
                );
            }
        }
        if let (Some(x), Some(y)) = (old.items(), new.items()) {
            self.schema(x, y);
        }
        self.values(a, b, type_name.as_deref());
        let bounds = |s: &Schema| {
            format!(
                "{:?}",
                (
                    s.minimum(),
                    s.maximum(),
                    s.min_length(),
                    s.max_length(),
                    s.pattern().map(|p| p.as_str().to_owned()),
                    s.format(),
                    s.min_items(),
                    s.max_items(),
                )
            )
        };
        if bounds(old) != bounds(new) {
            self.push(
                Severity::Other,
                "bounds, pattern or format changed".to_owned(),
                &here,
                Side::New(b),
                None,
            );
        }
    }

    /// `enum` and `x-extensible-enum` values.
    fn values(&mut self, a: SchemaId, b: SchemaId, type_name: Option<&str>) {
        let (old, new) = (self.old.schemas().get(a), self.new.schemas().get(b));
        let here = new.pointer().to_owned();
        let closed = |s: &Schema| -> Vec<String> {
            s.enumeration()
                .unwrap_or_default()
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect()
        };
        let (before, after) = (closed(old), closed(new));
        for value in before.iter().filter(|v| !after.contains(v)) {
            let g = type_name.and_then(|t| self.old_code.variant(t, value));
            self.push(
                Severity::Breaking,
                format!("enum value {value:?} removed"),
                &format!("{}/enum", old.pointer()),
                Side::Old(a),
                g,
            );
        }
        for value in after.iter().filter(|v| !before.contains(v)) {
            let g = type_name.and_then(|t| self.new_code.variant(t, value));
            self.push(
                Severity::Breaking,
                format!("enum value {value:?} added (a variant of an exhaustive enum)"),
                &format!("{here}/enum"),
                Side::New(b),
                g,
            );
        }
        let open = |s: &Schema| s.extensible().unwrap_or_default().to_vec();
        let (before, after) = (open(old), open(new));
        for value in before.iter().filter(|v| !after.contains(v)) {
            self.push(
                Severity::Other,
                format!("listed value {value:?} no longer listed"),
                &format!("{}/x-extensible-enum", old.pointer()),
                Side::Old(a),
                None,
            );
        }
        for value in after.iter().filter(|v| !before.contains(v)) {
            self.push(
                Severity::Additive,
                format!("listed value {value:?} added"),
                &format!("{here}/x-extensible-enum"),
                Side::New(b),
                None,
            );
        }
    }
}

fn location(location: Location) -> &'static str {
    location.as_str()
}

fn describe(schema: &Schema) -> String {
    let mut types = schema.type_names().join(" or ");
    if types.is_empty() {
        types = "any".to_owned();
    }
    if schema.nullable() {
        types.push_str(", nullable");
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn edited(edit: impl FnOnce(&mut Value)) -> Spec {
        let mut raw = Spec::embedded().expect("the embedded spec").raw().clone();
        edit(&mut raw);
        Spec::from_value(raw).expect("the edited spec still reads")
    }

    fn code() -> String {
        std::fs::read_to_string(crate::workspace_root().join(GENERATED)).unwrap()
    }

    #[test]
    fn the_same_spec_has_no_change_and_keeps_its_version() {
        let spec = Spec::embedded().unwrap();
        let code = code();
        let g = Generated::new(&code);
        let changes = diff(spec, spec, &g, &g);
        assert_eq!(changes, []);
        assert_eq!(next_version("0.1.0+v1", &changes), "0.1.0+v1 (no change)");
    }

    /// The example: one property removed from Album names the property, the
    /// operations whose responses carry albums, the generated field that goes, and the bump.
    #[test]
    fn a_removed_album_property_is_one_breaking_line_naming_operations_and_field() {
        let old = Spec::embedded().unwrap();
        let new = edited(|raw| {
            raw.pointer_mut("/components/schemas/Album/properties")
                .and_then(Value::as_object_mut)
                .unwrap()
                .remove("title")
                .expect("Album has a title");
        });
        let code = code();
        let g = Generated::new(&code);
        let changes = diff(old, &new, &g, &g);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        let change = &changes[0];
        assert_eq!(change.severity, Severity::Breaking);
        assert_eq!(change.what, "property title removed");
        assert_eq!(change.pointer, "/components/schemas/Album/properties/title");
        for op in [
            "getAlbum",
            "getAlbums",
            "getLibraryAlbums",
            "addLibraryAlbum",
        ] {
            assert!(
                change.operations.iter().any(|o| o == op),
                "{op}: {change:?}"
            );
        }
        // Playback reaches tracks, not albums' titles... unless through an album: whatever
        // the spec says, no operation is named that does not reach Album.
        let reach = reach(old);
        let album = old.schemas().at("/components/schemas/Album").unwrap();
        assert_eq!(
            change.operations,
            reach[album.index()].iter().cloned().collect::<Vec<_>>()
        );
        assert_eq!(change.generated, ["types::Album::title"]);
        assert_eq!(next_version("0.1.0+v1", &changes), "0.2.0+v1");
        let printed = text("main", &changes);
        assert_eq!(printed.lines().count(), 2, "{printed}");
        assert!(
            printed
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("breaking  property title removed")
        );
    }

    #[test]
    fn an_optional_parameter_added_is_additive_and_a_required_one_breaks() {
        let old = Spec::embedded().unwrap();
        let add = |required: bool| {
            edited(move |raw| {
                let params = raw
                    .pointer_mut("/paths/~1albums~1{id}/get/parameters")
                    .and_then(Value::as_array_mut)
                    .unwrap();
                params.push(serde_json::json!({
                    "name": "market", "in": "query", "required": required,
                    "schema": {"type": "string"}
                }));
            })
        };
        let code = code();
        let g = Generated::new(&code);
        let optional = diff(old, &add(false), &g, &g);
        assert_eq!(optional.len(), 1, "{optional:#?}");
        assert_eq!(optional[0].severity, Severity::Additive);
        assert_eq!(optional[0].operations, ["getAlbum"]);
        assert_eq!(optional[0].generated, ["Client::get_album"]);
        assert_eq!(next_version("0.1.0+v1", &optional), "0.1.1+v1");
        let required = diff(old, &add(true), &g, &g);
        assert_eq!(required[0].severity, Severity::Breaking);
        assert_eq!(next_version("1.4.2", &required), "2.0.0");
    }

    #[test]
    fn breaking_changes_come_first_and_the_changelog_sorts_them() {
        let old = Spec::embedded().unwrap();
        let new = edited(|raw| {
            let album = raw
                .pointer_mut("/components/schemas/Album/properties")
                .and_then(Value::as_object_mut)
                .unwrap();
            album.insert("mood".into(), serde_json::json!({"type": "string"}));
            album.remove("title");
        });
        let code = code();
        let g = Generated::new(&code);
        let changes = diff(old, &new, &g, &g);
        assert!(
            changes.iter().all(|c| c.severity == Severity::Breaking),
            "{changes:#?}"
        );
        let log = changelog(&changes);
        assert!(
            log.contains("### Changed\n- `amazon-music-api`: property mood added"),
            "{log}"
        );
        assert!(
            log.contains("### Removed\n- `amazon-music-api`: property title removed"),
            "{log}"
        );
    }

    #[test]
    fn operation_ids_become_method_names() {
        assert_eq!(snake_case("getLibraryAlbums"), "get_library_albums");
        assert_eq!(snake_case("explicitContent"), "explicit_content");
        assert_eq!(snake_case("queueNext"), "queue_next");
    }
}
