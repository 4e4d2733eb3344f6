//! `cargo xtask build-cost`: what depending on `amazon-music` costs an application's build.
//!
//! Three small applications make the same call (`GET /albums/{id}`, the answer decoded):
//! one written by hand on reqwest (rustls), serde and tokio, one on `amazon-music` with its
//! default features, and one on `amazon-music` with `default-features = false` and the
//! `rustls` feature. Each is a standalone package outside the workspace with a copy of the
//! workspace's `Cargo.lock`, so every crate they share is at the version the workspace tests.
//!
//! Each is built cold (an emptied target directory, `CARGO_INCREMENTAL=0` as for any
//! dependency from a registry), one build at a time, alternating the applications round by
//! round; the table gives the median of the rounds, the ratio of medians to the hand-written
//! one, the median of each round's own ratio (the figure the targets are judged by: this VM's
//! speed drifts by a third from one minute to the next, and builds of one round share the
//! machine's state of that moment), and the crates the build compiles (`cargo tree -e normal`, each name and version once). The
//! downloads happen before the first timed build (`cargo fetch`), so no timing includes the
//! network. BENCHMARKS.md records the table this prints.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail, ensure};

use crate::workspace_root;

/// Arguments of `cargo xtask build-cost`.
#[derive(clap::Args)]
pub struct Args {
    /// Cold builds of each application (the median is reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    rounds: u32,
    /// Where to put the applications and their target directories (emptied first); a
    /// directory of its own under the system's temporary directory by default, removed after.
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// The targets of the issue that asked for this measurement: the ratio of each `amazon-music`
/// application's median to the hand-written one's.
const TARGETS: [(&str, f64); 2] = [
    ("default features", 1.30),
    ("no default features + rustls", 1.15),
];

/// One application: its name in the table, its dependency lines and its `main.rs`.
struct App {
    name: &'static str,
    dir: &'static str,
    dependencies: String,
    main: &'static str,
}

const HAND_WRITTEN_MAIN: &str = r#"//! GET /albums/{id} by hand: the baseline of `cargo xtask build-cost`.
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Envelope {
    data: Data,
}

#[derive(Debug, Deserialize)]
struct Data {
    album: Album,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Album {
    id: String,
    title: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("AMAZON_MUSIC_BASE_URL")
        .unwrap_or_else(|_| "https://api.music.amazon.dev/v1".to_owned());
    let answer: Envelope = reqwest::Client::new()
        .get(format!("{base}/albums/B0064UPU4G"))
        .bearer_auth(std::env::var("AMAZON_MUSIC_TOKEN")?)
        .header("x-api-key", std::env::var("AMAZON_MUSIC_API_KEY")?)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("{:?}", answer.data.album);
    Ok(())
}
"#;

const CLIENT_MAIN: &str = r#"//! GET /albums/{id} through `amazon-music`: measured by `cargo xtask build-cost`.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = amazon_music::Client::from_env()?;
    let album = client.get_album("B0064UPU4G").await?;
    println!("{:?}", album.title);
    Ok(())
}
"#;

fn apps(root: &Path) -> Vec<App> {
    let client = root.join("crates/amazon-music");
    let client = client.display();
    let tokio = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }"#;
    vec![
        App {
            name: "hand-written on reqwest (rustls) + serde + tokio",
            dir: "hand-written",
            dependencies: format!(
                "reqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls\", \"json\"] }}\n\
                 serde = {{ version = \"1\", features = [\"derive\"] }}\n{tokio}\n"
            ),
            main: HAND_WRITTEN_MAIN,
        },
        App {
            name: "default features",
            dir: "default",
            dependencies: format!("amazon-music = {{ path = \"{client}\" }}\n{tokio}\n"),
            main: CLIENT_MAIN,
        },
        App {
            name: "no default features + rustls",
            dir: "lean",
            dependencies: format!(
                "amazon-music = {{ path = \"{client}\", default-features = false, features = [\"rustls\"] }}\n{tokio}\n"
            ),
            main: CLIENT_MAIN,
        },
    ]
}

/// Runs the measurement and prints the table.
pub fn run(args: &Args) -> Result<ExitCode> {
    let root = workspace_root();
    let (dir, remove) = match &args.dir {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("amazon-music-build-cost-{}", std::process::id())),
            true,
        ),
    };
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    let result = measure(&root, &dir, args.rounds);
    if remove {
        // Several gigabytes of target directories; a failure to remove them is reported, not
        // fatal to the measurement.
        if let Err(error) = fs::remove_dir_all(&dir) {
            eprintln!("note: could not remove {}: {error}", dir.display());
        }
    }
    result
}

fn measure(root: &Path, dir: &Path, rounds: u32) -> Result<ExitCode> {
    let apps = apps(root);
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    for app in &apps {
        let path = dir.join(app.dir);
        fs::create_dir_all(path.join("src"))?;
        fs::write(
            path.join("Cargo.toml"),
            format!(
                "[package]\nname = \"build-cost-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 # A workspace of its own: not a member of the one it was copied from.\n[workspace]\n\n\
                 [dependencies]\n{}",
                app.dir, app.dependencies
            ),
        )?;
        fs::write(path.join("src/main.rs"), app.main)?;
        fs::write(path.join("Cargo.lock"), &lock)?;
        // Trims the copied lockfile to what the application uses, at the versions it names.
        cargo(&path, &["fetch", "--quiet"])?;
        check_versions(&lock, &path)?;
    }

    let mut times: Vec<Vec<f64>> = vec![Vec::new(); apps.len()];
    for round in 0..rounds {
        // Alternate the order, so that no application is always built on a warmer machine.
        let mut order: Vec<usize> = (0..apps.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for index in order {
            let path = dir.join(apps[index].dir);
            let target = path.join("target");
            if target.exists() {
                fs::remove_dir_all(&target)?;
            }
            let started = Instant::now();
            cargo(&path, &["build", "--quiet", "--offline", "--locked"])?;
            let took = started.elapsed();
            eprintln!(
                "round {}/{rounds}: {} in {:.1} s",
                round + 1,
                apps[index].name,
                took.as_secs_f64()
            );
            times[index].push(took.as_secs_f64());
        }
    }

    let medians: Vec<f64> = times.iter().map(|t| median(t)).collect();
    let baseline = medians[0];
    println!(
        "| the application | cold debug build (median of {rounds}) | ratio of medians | median of the rounds' ratios | crates (`cargo tree -e normal`) |"
    );
    println!("|---|---|---|---|---|");
    let mut met = true;
    for ((app, median), own) in apps.iter().zip(&medians).zip(&times) {
        let of_medians = median / baseline;
        let ratio = paired_ratio(own, &times[0]);
        let crates = crate_count(&dir.join(app.dir))?;
        println!(
            "| {} | {median:.1} s | {of_medians:.2}× | {ratio:.2}× | {crates} |",
            app.name
        );
        if let Some((_, target)) = TARGETS.iter().find(|(name, _)| *name == app.name) {
            met &= ratio <= *target;
            eprintln!(
                "{}: {ratio:.2}× against a target of at most {target:.2}×: {}",
                app.name,
                if ratio <= *target { "met" } else { "NOT met" }
            );
        }
    }
    println!(
        "\n{} on {}; every build of every round: {}",
        rustc_version(root)?,
        std::env::consts::ARCH,
        apps.iter()
            .zip(&times)
            .map(|(app, t)| format!(
                "{} {}",
                app.dir,
                t.iter()
                    .map(|seconds| format!("{seconds:.1}"))
                    .collect::<Vec<_>>()
                    .join("/")
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    Ok(if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs cargo in `dir` as a dependant would: no incremental compilation of registry crates,
/// the target directory inside the application, no inherited target directory.
fn cargo(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .status()
        .with_context(|| format!("running cargo {} in {}", args.join(" "), dir.display()))?;
    ensure!(
        status.success(),
        "cargo {} failed in {} ({status})",
        args.join(" "),
        dir.display()
    );
    Ok(())
}

/// Every package of the application's lockfile must be one the workspace's lockfile has, at
/// the same version: otherwise the comparison would measure other crates.
fn check_versions(workspace_lock: &str, app: &Path) -> Result<()> {
    let known = packages(workspace_lock);
    let lock = fs::read_to_string(app.join("Cargo.lock"))?;
    let foreign: Vec<String> = packages(&lock)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("build-cost-"))
        .filter(|package| !known.contains(package))
        .map(|(name, version)| format!("{name} {version}"))
        .collect();
    if !foreign.is_empty() {
        bail!(
            "{} uses crates at versions the workspace's Cargo.lock does not have: {}",
            app.display(),
            foreign.join(", ")
        );
    }
    Ok(())
}

/// `(name, version)` of every `[[package]]` of a lockfile.
fn packages(lock: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_owned());
        } else if let Some(value) = line.strip_prefix("version = ")
            && let Some(name) = name.take()
        {
            found.push((name, value.trim_matches('"').to_owned()));
        }
    }
    found
}

/// Distinct crates (name and version) in the application's normal dependency tree, the
/// application itself included.
fn crate_count(app: &Path) -> Result<usize> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "tree",
            "--quiet",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(app)
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo tree")?;
    ensure!(
        output.status.success(),
        "cargo tree failed in {}",
        app.display()
    );
    let text = String::from_utf8(output.stdout).context("cargo tree printed non-UTF-8")?;
    let mut crates: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect();
    crates.sort();
    crates.dedup();
    Ok(crates.len())
}

fn rustc_version(root: &Path) -> Result<String> {
    let output = Command::new("rustc")
        .arg("--version")
        .current_dir(root)
        .output()?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The median of `values` (the mean of the middle two for an even count; NaN for none).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The median over rounds of `times[round] / baseline[round]`: each build against the
/// hand-written build of the same round.
fn paired_ratio(times: &[f64], baseline: &[f64]) -> f64 {
    let ratios: Vec<f64> = times.iter().zip(baseline).map(|(t, b)| t / b).collect();
    median(&ratios)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lockfile_gives_its_packages_with_their_versions() {
        let lock = "version = 4\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.1\"\nsource = \"x\"\n\n[[package]]\nname = \"tokio\"\nversion = \"1.2.3\"\n";
        assert_eq!(
            packages(lock),
            [
                ("serde".into(), "1.0.1".into()),
                ("tokio".into(), "1.2.3".into())
            ]
        );
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn each_round_is_compared_with_the_baseline_of_the_same_round() {
        // A machine twice as slow in the second round: the pairs still say 1.2×, while the
        // ratio of medians would not.
        let baseline = [10.0, 20.0, 10.0];
        let app = [12.0, 24.0, 12.0];
        assert!((paired_ratio(&app, &baseline) - 1.2).abs() < 1e-9);
        assert!((paired_ratio(&[12.0, 30.0, 11.0], &baseline) - 1.2).abs() < 1e-9);
    }
}
