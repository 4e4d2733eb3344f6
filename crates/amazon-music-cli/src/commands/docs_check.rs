//! `amazon-music docs-check [PAGE...]`: extracts the facts of Amazon's reference pages,
//! compares them with the spec and lists every difference that no entry of the corrections
//! ledger explains, and every fact that changed since the committed digest.
//!
//! The pages are those of a list (`spec/docs-pages.yaml` inside a checkout, the copy built
//! into the command elsewhere, or `--pages FILE`), fetched into a cache (`fetch`) and turned
//! from HTML into the text form the page parser reads; or page files named on the command
//! line. Inside a checkout (see `crate::checkout`) the ledger, digest and spec default to the
//! checkout's; elsewhere `--ledger` must be given, and the spec is the built-in one unless
//! `--spec` names another.
//!
//! Exit codes: 0 when everything is explained and the digest is current, 1 otherwise, 2 when a
//! page cannot be fetched or read, or the spec, the ledger or the digest cannot be read.

mod fetch;
mod list;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use amazon_music_conformance::docs::compare::{Ledger, compare};
use amazon_music_conformance::docs::digest::Digest;
use amazon_music_conformance::docs::facts::{endpoint_key, page_facts};
use amazon_music_conformance::docs::{html, page};
use anyhow::{Context as _, bail};
use clap::Args as ClapArgs;

use self::fetch::{Cache, Origin};
use self::list::Listed;
use crate::commands::validate::report::{ReportArgs, load_validator};
use crate::exit::{Failure, Status};
use crate::output::{Out, note};

/// Appends a line to the report; writing to a `String` cannot fail.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

/// Arguments of `amazon-music docs-check` (`-v`, global, lists the explained differences too).
#[derive(ClapArgs, Debug)]
#[command(after_help = after_help())]
pub struct Args {
    /// Page files to check instead of the listed pages: HTML (.html, .htm) or the text form
    #[arg(value_name = "PAGE")]
    pages: Vec<PathBuf>,
    /// The list of pages to fetch [default: spec/docs-pages.yaml of the checkout, else the
    /// built-in list]
    #[arg(long = "pages", value_name = "FILE", conflicts_with = "pages")]
    list: Option<PathBuf>,
    /// Where fetched pages are kept [default: amazon-music/docs in the user's cache directory]
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Check the cached copies of the listed pages; fetch nothing
    #[arg(long, conflicts_with = "pages")]
    offline: bool,
    /// Seconds each page's fetch may take, its whole answer included
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
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

/// The text after `--help`'s options.
const AFTER_HELP: &str = "Pages: by default those listed in spec/docs-pages.yaml of the checkout (a directory \
         holding spec/openapi.yaml and spec/corrections.yaml, or below one), elsewhere in the \
         list built into this program, or in --pages FILE. Each is fetched over HTTPS into the \
         cache (--cache-dir) with the validators of its cached copy (If-None-Match, \
         If-Modified-Since): a page not modified since is read from the cache. A page that \
         cannot be fetched (no answer within --timeout, an error status, not HTML, more than \
         4 MiB) fails the run with one line naming it: its cached copy is never used in its \
         place. --offline checks the cached copies instead, and fails naming any page not \
         cached. PAGE... checks files instead of the list: HTML is converted as a fetched \
         page is; any other file is read as the text form.\n\n\
         Inside a checkout the ledger, digest and spec default to its spec/; elsewhere pass \
         --ledger.\n\n\
         Exit codes: 0 every difference explained and the digest current, 1 otherwise, 2 a \
         page cannot be fetched or read, or the spec, the ledger or the digest cannot be read.";

/// The help's closing text, with the pages of the built-in list and their URLs.
fn after_help() -> String {
    let listed = match list::parse(list::EMBEDDED) {
        Ok(pages) => pages
            .iter()
            .map(|page| format!("  {}  {}", page.name, page.url))
            .collect::<Vec<_>>()
            .join("\n"),
        // A test keeps the built-in list readable; the help still prints if it is not.
        Err(why) => format!("  (the built-in list cannot be read: {why})"),
    };
    format!("The built-in list of pages:\n{listed}\n\n{AFTER_HELP}")
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

/// A page to check, in the text form.
struct Source {
    /// Its key in the digest.
    name: String,
    /// How the report names it.
    label: String,
    /// Its text form.
    text: String,
}

fn check(args: &Args, verbose: bool, out: &mut String) -> Result<Status, Failure> {
    let root = crate::checkout::find();
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

    let sources = sources(args, root.as_deref(), verbose)?;

    let mut failed = false;
    let mut endpoints = BTreeSet::new();
    let mut facts_explained = BTreeSet::new();
    for Source { name, label, text } in sources {
        let parsed =
            page::parse(&text).map_err(|e| anyhow::anyhow!("{label}:{}: {}", e.line, e.message))?;
        let facts = page_facts(&parsed);
        say!(
            out,
            "== {label} ({} endpoints, {} facts)",
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

/// The pages to check: the files named on the command line, else the listed pages, fetched
/// (or, `--offline`, from the cache). Every page that cannot be had gets its error line; the
/// last is returned, the others printed first.
fn sources(args: &Args, root: Option<&Path>, verbose: bool) -> Result<Vec<Source>, Failure> {
    if !args.pages.is_empty() {
        return args.pages.iter().map(|path| file_source(path)).collect();
    }
    let (listed, from) = match (&args.list, root) {
        (Some(path), _) => (read(path)?, path.display().to_string()),
        (None, Some(root)) => {
            let path = root.join("spec/docs-pages.yaml");
            (read(&path)?, path.display().to_string())
        }
        (None, None) => (
            list::EMBEDDED.to_owned(),
            "the list built into this program".to_owned(),
        ),
    };
    let pages = list::parse(&listed).map_err(|e| Failure::usage(format!("{from}: {e}")))?;
    let Some(dir) = args
        .cache_dir
        .clone()
        .or_else(|| dirs::cache_dir().map(|dir| dir.join("amazon-music").join("docs")))
    else {
        return Err(Failure::usage(
            "no cache directory is known on this system: pass --cache-dir DIR",
        ));
    };
    let cache = Cache::new(dir);
    if verbose {
        note(&format!("pages: {from}"));
        note(&format!("cache: {}", cache.dir().display()));
    }
    let results: Vec<(Listed, fetch::Got)> = if args.offline {
        pages
            .into_iter()
            .map(|page| {
                let html = cache.read(&page).map(|html| (html, Origin::Cache));
                (page, html)
            })
            .collect()
    } else {
        let timeout = Duration::from_secs(args.timeout);
        let http = fetch::client(timeout).map_err(Failure::usage)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::usage(format!("cannot start the async runtime: {e}")))?;
        runtime.block_on(async {
            let mut results = Vec::new();
            for page in pages {
                let html = fetch::fetch(&http, &cache, &page, timeout).await;
                results.push((page, html));
            }
            results
        })
    };
    let mut sources = Vec::new();
    let mut failures = Vec::new();
    for (page, result) in results {
        match result {
            Ok((html, origin)) => sources.push(Source {
                label: format!("{} ({}, {})", page.name, page.url, origin.describe()),
                name: page.name,
                text: html::to_text(&html),
            }),
            Err(why) => failures.push(Failure::usage(format!(
                "page {} ({}): {why}",
                page.name, page.url
            ))),
        }
    }
    match failures.pop() {
        None => Ok(sources),
        Some(last) => {
            for failure in &failures {
                failure.print();
            }
            Err(last)
        }
    }
}

/// A page file: HTML (by its extension) converted, anything else read as the text form.
fn file_source(path: &Path) -> Result<Source, Failure> {
    let text = read(path)?;
    let is_html = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    Ok(if is_html {
        Source {
            name: page_name(path),
            label: format!("{} (as text)", path.display()),
            text: html::to_text(&text),
        }
    } else {
        Source {
            name: page_name(path),
            label: path.display().to_string(),
            text,
        }
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
