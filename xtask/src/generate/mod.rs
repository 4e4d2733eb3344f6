//! `cargo xtask generate`: spec → checks → progenitor → `crates/amazon-music-api/src/generated`.
//!
//! `--check` does the same in memory and fails with a diff when the committed files differ, so
//! CI catches a spec edited without regenerating.

mod adapt;
mod checks;
mod render;
mod scopes;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use sha2::{Digest, Sha256};

/// Where the generated crate lives, relative to the workspace root.
const CRATE_DIR: &str = "crates/amazon-music-api";
/// Lines of diff shown per stale file before the rest is summarised.
const DIFF_LINES: usize = 80;

/// Arguments of `cargo xtask generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Regenerate in memory and fail with a diff when the committed crate is stale.
    #[arg(long)]
    check: bool,
    /// The spec to generate from.
    #[arg(long, default_value = "spec/openapi.yaml")]
    spec: std::path::PathBuf,
    /// The crate directory to write `src/generated/` into, instead of the generated crate's
    /// (for trying out a spec change, such as one `validate recorded --apply` made to a copy).
    #[arg(long, value_name = "DIR", conflicts_with = "check")]
    out: Option<std::path::PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let spec_path = root.join(&args.spec);
    let files = generate(&spec_path)?;
    let crate_dir = match &args.out {
        Some(dir) => root.join(dir),
        None => root.join(CRATE_DIR),
    };
    if args.check {
        return check(&crate_dir, &files);
    }
    for file in &files {
        let path = crate_dir.join(file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.text.as_str()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(&path, &file.text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    println!(
        "{} is up to date with {}",
        crate_dir.display(),
        args.spec.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Generates every file from the spec at `spec_path`, without touching the disk.
fn generate(spec_path: &Path) -> anyhow::Result<Vec<render::GeneratedFile>> {
    let bytes =
        std::fs::read(spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{} is not UTF-8", spec_path.display()))?;
    let spec = checks::load(text).map_err(|problems| refused(spec_path, &problems))?;
    let problems = checks::check(&spec);
    if !problems.is_empty() {
        return Err(refused(spec_path, &problems));
    }
    let hash = format!("{:x}", Sha256::digest(&bytes));
    render::render(&spec, &hash)
}

/// Why the spec at `spec_path` cannot be generated from, every problem on a line.
fn refused(spec_path: &Path, problems: &[checks::Problem]) -> anyhow::Error {
    let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
    anyhow::anyhow!(
        "{} cannot be generated from:\n{}",
        spec_path.display(),
        list.join("\n")
    )
}

fn check(crate_dir: &Path, files: &[render::GeneratedFile]) -> anyhow::Result<ExitCode> {
    let mut stale = 0;
    for file in files {
        let path = crate_dir.join(file.path);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == file.text {
            continue;
        }
        stale += 1;
        println!("{CRATE_DIR}/{} is stale:", file.path);
        let diff = similar::TextDiff::from_lines(&committed, &file.text);
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header("committed", "generated from the spec")
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        for line in lines.iter().take(DIFF_LINES) {
            println!("{line}");
        }
        if lines.len() > DIFF_LINES {
            println!("... {} more diff lines", lines.len() - DIFF_LINES);
        }
    }
    if stale == 0 {
        println!("{CRATE_DIR} matches the spec");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{stale} generated file(s) are stale: run `cargo xtask generate` and commit the result"
        );
        Ok(ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let spec = crate::workspace_root().join("spec/openapi.yaml");
        let first = generate(&spec).unwrap();
        let second = generate(&spec).unwrap();
        assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a.path, b.path);
            assert!(a.text == b.text, "{} differs between two runs", a.path);
        }
    }

    /// typify's struct builders are gone, and no operation's body refers to one.
    #[test]
    fn the_client_has_no_struct_builders() {
        let spec = crate::workspace_root().join("spec/openapi.yaml");
        let files = generate(&spec).unwrap();
        let client = &files
            .iter()
            .find(|f| f.path.ends_with("client.rs"))
            .unwrap()
            .text;
        assert!(!client.contains("types::builder"));
        assert!(!client.contains("pub fn builder()"));
        assert!(client.contains("body: Result<types::SetLoopModeRequest, String>,"));
        assert!(client.contains("body: Err(\"body was not initialized\".to_string()),"));
    }

    /// The last step of the loop from traffic to spec: a property that `validate recorded
    /// --apply` adds (the same library edit) comes out of generation as a typed field.
    #[test]
    fn a_property_added_from_drift_is_generated_as_a_typed_field() {
        use amazon_music_conformance::DriftKind;
        use amazon_music_conformance::suggest::{Suggestion, apply, infer};
        let root = crate::workspace_root();
        let text = std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap();
        let added = Suggestion {
            kind: DriftKind::UnknownField,
            spec_pointer: "/components/schemas/GetAlbumData".into(),
            found: "playCount".into(),
            schema: Some(infer(&[serde_json::json!(12), serde_json::json!(7040)])),
            evidence: vec!["recording.json".into()],
        };
        let (edited, errors) = apply(&text, &[added]);
        assert!(errors.is_empty(), "{errors:?}");
        let dir = std::env::temp_dir().join(format!("xtask-drift-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("openapi.yaml");
        std::fs::write(&spec, edited).unwrap();
        let files = generate(&spec).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let client = &files
            .iter()
            .find(|f| f.path.ends_with("client.rs"))
            .unwrap()
            .text;
        let start = client.find("pub struct GetAlbumData {").unwrap();
        let end = start + client[start..].find("\n}").unwrap();
        assert!(
            client[start..end].contains("pub play_count: ::std::option::Option<i64>,"),
            "{}",
            &client[start..end]
        );
    }

    #[test]
    fn a_spec_the_generator_cannot_take_is_an_error_naming_the_operation() {
        let dir = std::env::temp_dir().join(format!("xtask-gen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("bad.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: ok, content: {text/csv: {schema: {type: string}}}}}\n",
        )
        .unwrap();
        let error = generate(&spec).err().expect("refused");
        let message = format!("{error:#}");
        assert!(
            message.contains("a (GET /a): response 200: unsupported media type text/csv"),
            "{message}"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
