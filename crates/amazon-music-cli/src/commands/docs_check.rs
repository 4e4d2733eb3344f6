//! `amazon-music docs-check [PAGE...]`: extracts the facts of the upstream reference pages,
//! compares them with the spec and lists every difference that no entry of the corrections
//! ledger explains, and every fact that changed since the committed digest.
//!
//! Inside a checkout (see `crate::checkout`) the pages, ledger, digest and spec default to the
//! checkout's; elsewhere the pages and `--ledger` must be given, and the spec is the built-in
//! one unless `--spec` names another.
//!
//! Exit codes: 0 when everything is explained and the digest is current, 1 otherwise, 2 when a
//! page, the spec, the ledger or the digest cannot be read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use amazon_music_conformance::docs::compare::{Ledger, compare};
use amazon_music_conformance::docs::digest::Digest;
use amazon_music_conformance::docs::facts::{endpoint_key, page_facts};
use amazon_music_conformance::docs::page;
use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;

use crate::commands::validate::report::{ReportArgs, load_validator};
use crate::exit::{Failure, Status};
use crate::output::Out;

/// Appends a line to the report; writing to a `String` cannot fail.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

/// Arguments of `amazon-music docs-check` (`-v`, global, lists the explained differences too).
#[derive(ClapArgs, Debug)]
#[command(
    after_help = "Inside a checkout (a directory holding spec/openapi.yaml and \
                        spec/corrections.yaml, or below one) the defaults are that checkout's \
                        files and the pages ../shared/upstream/*.txt beside it; elsewhere pass \
                        the pages and --ledger.\n\n\
                        Exit codes: 0 every difference explained and the digest current, 1 \
                        otherwise, 2 a page, the spec, the ledger or the digest cannot be read."
)]
pub struct Args {
    /// Pages to check [default inside a checkout: ../shared/upstream/*.txt beside it]
    pages: Vec<PathBuf>,
    /// The corrections ledger [default: spec/corrections.yaml of the checkout]
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// The facts digest [default: spec/docs-facts.yaml of the checkout]
    #[arg(long)]
    digest: Option<PathBuf>,
    /// The spec [default: spec/openapi.yaml of the checkout, else the built-in spec]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// After review: write the pages' facts into the digest.
    #[arg(long)]
    update_digest: bool,
}

/// Runs `amazon-music docs-check`; `verbose` lists the explained differences too.
pub fn run(args: &Args, verbose: bool) -> Result<Status, Failure> {
    // Everything goes to stdout at the end, in one write: a reader that closes the pipe early
    // ends the command quietly instead of with a panic in the middle of a line.
    let mut out = String::new();
    let result = check(args, verbose, &mut out);
    Out::stdout().text(&out)?;
    result
}

fn check(args: &Args, verbose: bool, out: &mut String) -> Result<Status, Failure> {
    let root = crate::checkout::find();
    let pages = if args.pages.is_empty() {
        let Some(root) = &root else {
            return Err(Failure::usage(
                "no pages given, and the current directory is not inside a checkout of \
                 amazon-music-rs: pass the pages to check (PAGE...)",
            ));
        };
        let dir = root.join("../shared/upstream");
        if !dir.is_dir() {
            say!(
                out,
                "docs-check skipped: {} does not exist (pass pages explicitly to check them)",
                dir.display()
            );
            return Ok(Status::Success);
        }
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        pages.sort();
        pages
    } else {
        args.pages.clone()
    };
    let validator = load_validator(
        &ReportArgs {
            format: Default::default(),
            strict: false,
            spec: args.spec.clone(),
        },
        verbose,
    )?;
    let in_checkout = |file: &str| root.as_ref().map(|root| root.join(file));
    let Some(ledger_path) = args
        .ledger
        .clone()
        .or_else(|| in_checkout("spec/corrections.yaml"))
    else {
        return Err(Failure::usage(
            "no corrections ledger: outside a checkout pass --ledger FILE",
        ));
    };
    let ledger = Ledger::from_yaml_str(&read(&ledger_path)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", ledger_path.display()))?;
    let digest_path = args
        .digest
        .clone()
        .or_else(|| in_checkout("spec/docs-facts.yaml"));
    if args.update_digest && digest_path.is_none() {
        return Err(Failure::usage(
            "--update-digest needs a digest to write: outside a checkout pass --digest FILE",
        ));
    }
    let mut digest = match &digest_path {
        Some(path) if path.exists() => Digest::from_yaml_str(&read(path)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        Some(path) => {
            say!(
                out,
                "note: no digest at {}; every page is new",
                path.display()
            );
            Digest::default()
        }
        None => {
            say!(out, "note: no digest given (--digest); every page is new");
            Digest::default()
        }
    };

    let mut failed = false;
    let mut endpoints = BTreeSet::new();
    let mut facts_explained = BTreeSet::new();
    for path in &pages {
        let text = read(path)?;
        let parsed = page::parse(&text)
            .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
        let facts = page_facts(&parsed);
        let name = page_name(path);
        say!(
            out,
            "== {} ({} endpoints, {} facts)",
            path.display(),
            parsed.endpoints.len(),
            facts.len()
        );
        endpoints.extend(parsed.endpoints.iter().map(endpoint_key));
        match digest.change(&name, &facts) {
            Some(change) if !change.is_empty() => {
                say!(
                    out,
                    "changed since the digest ({name} in spec/docs-facts.yaml):"
                );
                for fact in &change.added {
                    say!(out, "  + {fact}");
                }
                for fact in &change.removed {
                    say!(out, "  - {fact}");
                }
                failed |= !args.update_digest;
            }
            Some(_) => say!(out, "facts unchanged since the digest"),
            None => say!(out, "not in the digest: no earlier facts to compare with"),
        }
        let differences = compare(&parsed, &validator, &ledger);
        let (explained, unexplained): (Vec<_>, Vec<_>) =
            differences.iter().partition(|d| d.explained_by.is_some());
        for d in &differences {
            facts_explained.insert(d.fact.clone());
        }
        if unexplained.is_empty() {
            say!(
                out,
                "every difference from the spec is explained ({} by the ledger)",
                explained.len()
            );
        } else {
            failed = true;
            say!(
                out,
                "differences from the spec that no ledger entry explains:"
            );
            for d in &unexplained {
                say!(out, "  {}\n      spec: {}", d.fact, d.spec_says);
            }
        }
        if verbose {
            for d in &explained {
                say!(
                    out,
                    "  explained by {}: {}",
                    d.explained_by.as_deref().unwrap_or(""),
                    d.fact
                );
            }
        }
        if args.update_digest {
            digest.pages.insert(name, facts);
        }
    }
    // A ledger fact about a checked endpoint that no difference produces: the page or the spec
    // changed, and the entry deserves a second look.
    for entry in &ledger.corrections {
        for fact in &entry.facts {
            let about_checked = endpoints
                .iter()
                .any(|e| fact == e || fact.starts_with(&format!("{e} ")));
            if about_checked && !facts_explained.contains(fact) {
                say!(
                    out,
                    "warning: ledger entry {} lists {fact:?}, which no difference produces any more",
                    entry.id
                );
            }
        }
    }
    if let (true, Some(digest_path)) = (args.update_digest, &digest_path) {
        std::fs::write(digest_path, digest.to_yaml())
            .with_context(|| format!("writing {}", digest_path.display()))?;
        say!(out, "wrote {}", digest_path.display());
    }
    Ok(if failed {
        Status::Refused
    } else {
        Status::Success
    })
}

fn read(path: &Path) -> anyhow::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) => bail!("cannot read {}: {e}", path.display()),
    }
}

/// The digest key of a page: its file name without extension.
fn page_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
