//! What both modes of `amazon-music validate` share, and `docs-check` too: the spec to check
//! against (`--spec`, else the checkout's, else the built-in copy), the report's format and
//! strictness, and printing the report with its exit status.

use std::path::PathBuf;

use amazon_music_conformance::report::{Format, Report};
use amazon_music_conformance::{Spec, Validator};
use anyhow::Context as _;
use clap::Args as ClapArgs;

use crate::exit::{Failure, Status};
use crate::output::{Out, note};

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

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
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
