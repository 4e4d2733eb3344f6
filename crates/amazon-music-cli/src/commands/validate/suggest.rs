//! `amazon-music validate recorded --suggest | --apply`: the drift in recordings turned into
//! proposed changes of the spec and its corrections ledger, printed as a unified diff or
//! written in place (a text edit at the lines the parsed spec locates, so formatting and
//! comments stay).

use std::path::{Path, PathBuf};

use amazon_music_conformance::report::Report;
use amazon_music_conformance::suggest::{self, Suggestion};
use anyhow::{Context as _, bail};

use super::recorded::check_paths;
use super::report::{ReportArgs, load_validator, spec_path};
use crate::exit::{Failure, Status};
use crate::output::{Out, note};

/// Runs `--suggest` (print) or `--apply` (write).
pub fn run(
    args: &ReportArgs,
    paths: &[PathBuf],
    ledger: Option<&Path>,
    apply: bool,
    verbose: bool,
) -> Result<Status, Failure> {
    let Some(spec_file) = spec_path(args) else {
        return Err(Failure::usage(
            "--suggest and --apply edit a spec file: name it with --spec (outside a checkout \
             there is only the built-in copy)",
        ));
    };
    let ledger = match ledger {
        Some(path) => path.to_owned(),
        None => spec_file.with_file_name("corrections.yaml"),
    };
    let validator = load_validator(args, verbose)?;
    let (checked, errors) = check_paths(&validator, paths);
    let suggestions = suggest::suggest(checked.iter().map(|(e, o)| (e, o)));

    let spec_text = read(&spec_file)?;
    let ledger_text = read(&ledger)?;
    let (new_spec, edit_errors) = suggest::apply(&spec_text, &suggestions);
    let failed: Vec<String> = edit_errors.iter().map(|e| e.pointer.clone()).collect();
    let written: Vec<&Suggestion> = suggestions
        .iter()
        .filter(|s| !failed.contains(&s.target_pointer()))
        .collect();
    let new_ledger = with_stubs(&ledger_text, &written)?;

    for suggestion in &written {
        note(&format!("proposed: {}", suggestion.describe()));
    }
    for error in &edit_errors {
        Failure::usage(format!("not proposed: {error}")).print();
    }
    if apply {
        if new_spec != spec_text {
            write(&spec_file, &new_spec)?;
            write(&ledger, &new_ledger)?;
            note(&format!(
                "wrote {} change(s) to {} and {}; next: cargo xtask generate",
                written.len(),
                spec_file.display(),
                ledger.display()
            ));
        } else {
            note("nothing to change: the recordings show no drift");
        }
    } else {
        let mut out = diff(&spec_text, &new_spec, &spec_file);
        out.push_str(&diff(&ledger_text, &new_ledger, &ledger));
        if out.is_empty() {
            note("no drift: nothing to propose");
        }
        Out::stdout().text(&out)?;
    }

    let outcomes = checked.into_iter().map(|(_, outcome)| outcome).collect();
    let report = Report::new(validator.spec(), outcomes, errors, false);
    for error in &report.input_errors {
        Failure::usage(format!("{}: {}", error.file, error.message)).print();
    }
    Ok(match report.exit_code() {
        _ if !edit_errors.is_empty() => Status::Refused,
        0 => Status::Success,
        1 => Status::Refused,
        _ => Status::Usage,
    })
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes through a temporary file and a rename, so an interrupted run leaves the old file.
fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let mut temp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new(".")))
        .with_context(|| format!("cannot write beside {}", path.display()))?;
    std::io::Write::write_all(&mut temp, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// The ledger with an entry stub per suggestion appended to its `corrections:` list (the
/// file's last top-level key, as in this project).
fn with_stubs(ledger: &str, suggestions: &[&Suggestion]) -> anyhow::Result<String> {
    if suggestions.is_empty() {
        return Ok(ledger.to_owned());
    }
    let last_top_level = ledger
        .lines()
        .rfind(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.trim().is_empty());
    if last_top_level.map(str::trim_end) != Some("corrections:") {
        bail!("the ledger's last top-level key is not `corrections:`: add the entries by hand");
    }
    let mut out = ledger.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    const HEADER: &str = "  # ---------------------------------------------------------------- from recorded traffic\n";
    if !out.contains(HEADER) {
        out.push_str(HEADER);
    }
    for suggestion in suggestions {
        out.push_str(&suggestion.ledger_stub());
    }
    Ok(out)
}

fn diff(old: &str, new: &str, path: &Path) -> String {
    if old == new {
        return String::new();
    }
    let name = path.display().to_string();
    // `a/` and `b/` for a relative path, as `git apply -p1` expects; an absolute one as it is.
    let (old_name, new_name) = if path.is_absolute() {
        (name.clone(), name)
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}
