//! `cargo xtask spec-diff`: which changes of `spec/openapi.yaml` since a git revision break the
//! generated crate's users, as judged by Atlassian's `openapi-diff` (pinned in package.json).

use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

/// Arguments of `cargo xtask spec-diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The git revision whose spec is the baseline.
    #[arg(long, default_value = "main")]
    base: String,
}

/// Runs the subcommand: exit 0 when nothing breaks, 1 when something does.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let tool = root.join("node_modules/.bin/openapi-diff");
    if !tool.exists() {
        bail!("{} is missing: run `npm ci` first", tool.display());
    }
    let old = Command::new("git")
        .args(["show", &format!("{}:spec/openapi.yaml", args.base)])
        .current_dir(&root)
        .output()
        .context("running git")?;
    if !old.status.success() {
        bail!(
            "cannot read spec/openapi.yaml at {}: {}",
            args.base,
            String::from_utf8_lossy(&old.stderr).trim()
        );
    }
    let dir = root.join("target/spec-diff");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let base = dir.join("base.yaml");
    std::fs::write(&base, &old.stdout).with_context(|| format!("writing {}", base.display()))?;
    let status = Command::new(&tool)
        .arg(&base)
        .arg(root.join("spec/openapi.yaml"))
        .current_dir(&root)
        .status()
        .with_context(|| format!("running {}", tool.display()))?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(1) => {
            println!(
                "spec-diff: the spec change since {} breaks users of the generated client",
                args.base
            );
            ExitCode::FAILURE
        }
        other => bail!("openapi-diff failed ({other:?})"),
    })
}
