//! `amazon-music validate recorded`: recorded exchanges (`.json`) and HAR archives (`.har`)
//! found under the given paths, each checked against the spec.

use std::path::{Path, PathBuf};

use amazon_music_conformance::report::{InputError, Report};
use amazon_music_conformance::{Exchange, Outcome, Validator, parse_har, parse_recorded_versioned};
use clap::Args as ClapArgs;

use super::report::{ReportArgs, emit, load_validator};
use crate::exit::{Failure, Status};

/// Arguments of `amazon-music validate recorded`.
#[derive(ClapArgs, Debug)]
pub struct RecordedArgs {
    /// Files or directories.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Print the changes to the spec the drift calls for (a new property typed from every
    /// value seen, a new x-extensible-enum value, nullable: true) as a unified diff of the spec
    /// and of the corrections ledger (an entry stub each, confidence unverified).
    #[arg(long)]
    pub suggest: bool,
    /// Write those changes into the spec and the ledger, keeping their formatting and
    /// comments (implies --suggest); then run `cargo xtask generate`.
    #[arg(long)]
    pub apply: bool,
    /// The corrections ledger for --suggest and --apply [default: corrections.yaml beside the
    /// spec]
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
}

/// Validates the recordings under `args.paths` and prints the report (without --suggest or
/// --apply, which `super::suggest` handles).
pub fn run(args: &RecordedArgs, verbose: bool) -> Result<Status, Failure> {
    let validator = load_validator(&args.report, verbose)?;
    let report = validate_paths(&validator, &args.paths, args.report.strict);
    emit(&report, args.report.format)
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
