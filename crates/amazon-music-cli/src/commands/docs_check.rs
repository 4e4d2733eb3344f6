//! `cargo xtask docs-check [PAGE...]`: extracts the facts of the upstream reference pages,
//! compares them with the spec and lists every difference that no entry of the corrections
//! ledger explains, and every fact that changed since the committed digest.
//!
//! Exit codes: 0 when everything is explained and the digest is current, 1 otherwise, 2 when a
//! page, the spec, the ledger or the digest cannot be read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use amazon_music_conformance::docs::compare::{Ledger, compare};
use amazon_music_conformance::docs::digest::Digest;
use amazon_music_conformance::docs::facts::{endpoint_key, page_facts};
use amazon_music_conformance::docs::page;
use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;

use crate::validate::{ReportArgs, load_validator};

/// Arguments of `cargo xtask docs-check`.
#[derive(ClapArgs)]
pub struct Args {
    /// Pages to check (default: ../shared/upstream/*.txt beside the workspace).
    pages: Vec<PathBuf>,
    /// The corrections ledger (default: spec/corrections.yaml).
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// The facts digest (default: spec/docs-facts.yaml).
    #[arg(long)]
    digest: Option<PathBuf>,
    /// The spec (default: spec/openapi.yaml).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// After review: write the pages' facts into the digest.
    #[arg(long)]
    update_digest: bool,
    /// List the explained differences too.
    #[arg(long, short)]
    verbose: bool,
}

/// Runs `cargo xtask docs-check`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let pages = if args.pages.is_empty() {
        let dir = root.join("../shared/upstream");
        if !dir.is_dir() {
            println!(
                "docs-check skipped: {} does not exist (pass pages explicitly to check them)",
                dir.display()
            );
            return Ok(ExitCode::SUCCESS);
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
    let validator = load_validator(&ReportArgs {
        format: Default::default(),
        strict: false,
        spec: args.spec.clone(),
    })?;
    let ledger_path = args
        .ledger
        .clone()
        .unwrap_or_else(|| root.join("spec/corrections.yaml"));
    let ledger = Ledger::from_yaml_str(&read(&ledger_path)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", ledger_path.display()))?;
    let digest_path = args
        .digest
        .clone()
        .unwrap_or_else(|| root.join("spec/docs-facts.yaml"));
    let mut digest = if digest_path.exists() {
        Digest::from_yaml_str(&read(&digest_path)?)
            .map_err(|e| anyhow::anyhow!("{}: {e}", digest_path.display()))?
    } else {
        println!(
            "note: no digest at {}; every page is new",
            digest_path.display()
        );
        Digest::default()
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
        println!(
            "== {} ({} endpoints, {} facts)",
            path.display(),
            parsed.endpoints.len(),
            facts.len()
        );
        endpoints.extend(parsed.endpoints.iter().map(endpoint_key));
        match digest.change(&name, &facts) {
            Some(change) if !change.is_empty() => {
                println!("changed since the digest ({name} in spec/docs-facts.yaml):");
                for fact in &change.added {
                    println!("  + {fact}");
                }
                for fact in &change.removed {
                    println!("  - {fact}");
                }
                failed |= !args.update_digest;
            }
            Some(_) => println!("facts unchanged since the digest"),
            None => println!("not in the digest: no earlier facts to compare with"),
        }
        let differences = compare(&parsed, &validator, &ledger);
        let (explained, unexplained): (Vec<_>, Vec<_>) =
            differences.iter().partition(|d| d.explained_by.is_some());
        for d in &differences {
            facts_explained.insert(d.fact.clone());
        }
        if unexplained.is_empty() {
            println!(
                "every difference from the spec is explained ({} by the ledger)",
                explained.len()
            );
        } else {
            failed = true;
            println!("differences from the spec that no ledger entry explains:");
            for d in &unexplained {
                println!("  {}\n      spec: {}", d.fact, d.spec_says);
            }
        }
        if args.verbose {
            for d in &explained {
                println!(
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
                println!(
                    "warning: ledger entry {} lists {fact:?}, which no difference produces any more",
                    entry.id
                );
            }
        }
    }
    if args.update_digest {
        std::fs::write(&digest_path, digest.to_yaml())
            .with_context(|| format!("writing {}", digest_path.display()))?;
        println!("wrote {}", digest_path.display());
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
