//! `amazon-music validate`: checks recorded traffic (`recorded`) or a live run against the API
//! (`live`) with the spec, and reports violations, drift and coverage.
//!
//! Exit codes: 0 when everything conforms, 1 when anything violates the spec (or drifts, with
//! `--strict`), 2 when an input is unusable (the message names the file).

use std::path::{Path, PathBuf};

use amazon_music_conformance::report::{Format, InputError, Report};
use amazon_music_conformance::{
    Exchange, Outcome, Spec, Validator, parse_har, parse_recorded_versioned,
};
use anyhow::Context as _;
use clap::{Args as ClapArgs, Subcommand};

use crate::exit::{Failure, Status};
use crate::output::{Out, note};

mod live;
mod suggest;

/// Arguments of `amazon-music validate`.
#[derive(ClapArgs, Debug)]
pub struct Args {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand, Debug)]
enum Mode {
    /// Validate recorded exchanges (`.json`, one exchange per file) and HAR 1.2 archives
    /// (`.har`); each PATH a file or a directory searched recursively. With --suggest, print
    /// the spec changes their drift calls for; with --apply, write them.
    #[command(
        after_help = "Examples:\n  amazon-music validate recorded spec/recordings \
                            --format junit > report.xml\n  amazon-music validate recorded \
                            recordings/ --suggest\n  amazon-music validate recorded recordings/ \
                            --apply && cargo xtask generate"
    )]
    Recorded(RecordedArgs),
    /// Call the API's read-only operations (and, with --allow-writes, mutating ones, undone
    /// afterwards) with the API key and token, and validate every response.
    #[command(after_help = "Example: amazon-music validate live --ids B0064UPU4G \
                            --record recordings/")]
    Live(live::LiveArgs),
}

/// Options shared by both modes.
#[derive(ClapArgs, Clone, Debug)]
pub struct ReportArgs {
    /// Report format: human, json or junit.
    #[arg(long, default_value = "human", value_parser = parse_format)]
    pub format: Format,
    /// Fail on drift (unknown fields, unlisted values) too.
    #[arg(long)]
    pub strict: bool,
    /// The spec to validate against [default: spec/openapi.yaml of the checkout the current
    /// directory is in, else the spec built into this program]
    #[arg(long)]
    pub spec: Option<PathBuf>,
}

#[derive(ClapArgs, Debug)]
struct RecordedArgs {
    /// Files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
    /// Print the changes to the spec the drift calls for (a new property typed from every
    /// value seen, a new x-extensible-enum value, nullable: true) as a unified diff of the spec
    /// and of the corrections ledger (an entry stub each, confidence unverified).
    #[arg(long)]
    suggest: bool,
    /// Write those changes into the spec and the ledger, keeping their formatting and
    /// comments (implies --suggest); then run `cargo xtask generate`.
    #[arg(long)]
    apply: bool,
    /// The corrections ledger for --suggest and --apply [default: corrections.yaml beside the
    /// spec]
    #[arg(long, value_name = "PATH")]
    ledger: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// Runs `amazon-music validate`.
pub fn run(args: &Args, verbose: bool) -> Result<Status, Failure> {
    match &args.mode {
        Mode::Recorded(recorded) if recorded.suggest || recorded.apply => suggest::run(
            &recorded.report,
            &recorded.paths,
            recorded.ledger.as_deref(),
            recorded.apply,
            verbose,
        ),
        Mode::Recorded(recorded) => {
            let validator = load_validator(&recorded.report, verbose)?;
            let report = validate_paths(&validator, &recorded.paths, recorded.report.strict);
            emit(&report, recorded.report.format)
        }
        Mode::Live(live) => live::run(live, verbose),
    }
}

/// Loads and compiles the spec: `--spec`, else the checkout's, else the built-in copy (the one
/// the mock serves), so an installed binary validates anywhere.
pub fn load_validator(args: &ReportArgs, verbose: bool) -> anyhow::Result<Validator> {
    let Some(path) = spec_path(args) else {
        if verbose {
            note("spec: the copy built into this program");
        }
        let spec = Spec::from_yaml_str(amazon_music_mock::SPEC_YAML)
            .context("loading the built-in spec")?;
        return Validator::new(spec).context("compiling the built-in spec");
    };
    if verbose {
        note(&format!("spec: {}", path.display()));
    }
    let spec = Spec::load(&path).with_context(|| format!("loading the spec {}", path.display()))?;
    Validator::new(spec).with_context(|| format!("compiling the spec {}", path.display()))
}

/// The spec file: `--spec`, else the checkout's; `None` for the built-in copy.
pub fn spec_path(args: &ReportArgs) -> Option<PathBuf> {
    match &args.spec {
        Some(path) => Some(path.clone()),
        None => crate::checkout::find().map(|root| root.join("spec/openapi.yaml")),
    }
}

/// Prints the report (unusable inputs also on stderr) and returns its exit status.
pub fn emit(report: &Report, format: Format) -> Result<Status, Failure> {
    for error in &report.input_errors {
        Failure::usage(format!("{}: {}", error.file, error.message)).print();
    }
    let rendered = report.render(format);
    // A report quotes what the server sent (unknown fields, unlisted values); the JSON and
    // JUnit encoders escape what their formats must, and programs read those.
    match format {
        Format::Human => Out::stdout().text(&rendered)?,
        Format::Json | Format::Junit => Out::stdout().raw(&rendered)?,
    }
    Ok(match report.exit_code() {
        0 => Status::Success,
        1 => Status::Refused,
        _ => Status::Usage,
    })
}

/// Validates every exchange found under `paths`.
pub fn validate_paths(validator: &Validator, paths: &[PathBuf], strict: bool) -> Report {
    let (checked, errors) = check_paths(validator, paths);
    let outcomes = checked.into_iter().map(|(_, outcome)| outcome).collect();
    Report::new(validator.spec(), outcomes, errors, strict)
}

/// Every exchange found under `paths` with its verdict, and the files that could not be used
/// (each on its own: the others are still checked).
pub fn check_paths(
    validator: &Validator,
    paths: &[PathBuf],
) -> (Vec<(Exchange, Outcome)>, Vec<InputError>) {
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    let spec_version = validator
        .spec()
        .raw()
        .pointer("/info/version")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_owned();
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut errors);
    }
    for file in files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                errors.push(InputError {
                    file: name,
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let is_har = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("har"));
        let parsed: Result<Vec<(String, Exchange)>, _> = if is_har {
            parse_har(&text).map(|entries| {
                entries
                    .into_iter()
                    .enumerate()
                    .filter(|(_, e)| validator.router().is_api_url(&e.url))
                    .map(|(i, e)| (format!("{name}#entries[{i}]"), e))
                    .collect()
            })
        } else {
            match parse_recorded_versioned(&text) {
                Ok((_, Some(version))) if version != spec_version => {
                    errors.push(InputError {
                        file: name,
                        message: format!(
                            "recorded against spec version {version}, but this spec is version \
                             {spec_version}: validate it with that spec (--spec) or record again"
                        ),
                    });
                    continue;
                }
                parsed => parsed.map(|(e, _)| vec![(name.clone(), e)]),
            }
        };
        match parsed {
            Ok(exchanges) => {
                for (source, exchange) in exchanges {
                    let outcome = validator.validate(&exchange, &source);
                    outcomes.push((exchange, outcome));
                }
            }
            Err(e) => errors.push(InputError {
                file: name,
                message: e.to_string(),
            }),
        }
    }
    (outcomes, errors)
}

/// The files under `path`: the file itself, or a directory's `.json` and `.har` files in name
/// order, recursively.
fn collect(path: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(InputError {
                file: path.display().to_string(),
                message: format!("cannot read: {e}"),
            });
            return;
        }
    };
    if !metadata.is_dir() {
        files.push(path.to_owned());
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            errors.push(InputError {
                file: path.display().to_string(),
                message: format!("cannot list: {e}"),
            });
            return;
        }
    };
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, files, errors);
        } else if entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("har"))
        {
            files.push(entry);
        }
    }
}
