//! What an application gets by depending on the client: what it needs to call the API and to
//! sign in, and none of the tools' machinery. `cargo tree` of the client, as a dependant
//! resolves it, must not contain a JSON Schema engine, an OpenAPI model, a YAML parser, a web
//! framework or a regular-expression engine (the generated crate checks the spec's one pattern
//! by hand). What the
//! leaner builds cost is measured by `cargo xtask build-cost` (BENCHMARKS.md).

use std::process::Command;

use amazon_music_workspace_tests::workspace_root;

/// Crates that belong to the tools (conformance, mock, xtask), never to a default dependant.
const HEAVY: &[&str] = &[
    "jsonschema",
    "fancy-regex",
    "openapiv3",
    "serde_yaml",
    "serde_norway",
    "axum",
    "regex",
    "regress",
    "amazon-music-conformance",
    "amazon-music-mock",
];

/// The distinct crate names of `cargo tree -e normal` for `package` with `features`.
fn tree(package: &str, features: &[&str]) -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["tree", "--quiet", "--offline", "--locked", "-e", "normal"])
        .args(["--prefix", "none", "-p", package])
        .args(features)
        .current_dir(workspace_root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree -p {package} {features:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names: Vec<String> = String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn heavy_in(names: &[String]) -> Vec<&str> {
    HEAVY
        .iter()
        .copied()
        .filter(|heavy| names.iter().any(|name| name == heavy))
        .collect()
}

#[test]
fn the_clients_default_features_bring_none_of_the_tools_machinery() {
    let names = tree("amazon-music", &[]);
    // The tree is the client's: a failure to resolve it would leave nothing to look for.
    for needed in ["amazon-music-api", "reqwest", "rustls", "tempfile"] {
        assert!(
            names.iter().any(|n| n == needed),
            "{needed} missing: {names:?}"
        );
    }
    // Signing in is the device flow and refresh, form posts on reqwest: no OAuth framework,
    // and none of the browser flow's hashing and randomness.
    for absent in ["oauth2", "sha2", "rand"] {
        assert!(
            !names.iter().any(|n| n == absent),
            "{absent} present: {names:?}"
        );
    }
    // Recording is opt-in: an application that only calls the API has no use for it.
    assert!(!names.iter().any(|n| n == "amazon-music-spec"), "{names:?}");
    assert_eq!(heavy_in(&names), Vec::<&str>::new());
}

#[test]
fn the_browser_sign_in_brings_its_hash_and_randomness_and_still_no_framework() {
    let names = tree("amazon-music", &["--features", "browser-sign-in"]);
    for needed in ["sha2", "getrandom", "base64", "httparse", "subtle"] {
        assert!(
            names.iter().any(|n| n == needed),
            "{needed} missing: {names:?}"
        );
    }
    assert!(!names.iter().any(|n| n == "oauth2"), "{names:?}");
    assert_eq!(heavy_in(&names), Vec::<&str>::new());
}

#[test]
fn recording_brings_the_exchange_format_and_no_spec_parser() {
    let names = tree("amazon-music", &["--features", "record"]);
    assert!(names.iter().any(|n| n == "amazon-music-spec"), "{names:?}");
    assert_eq!(heavy_in(&names), Vec::<&str>::new());
}

#[test]
fn the_client_without_default_features_is_the_api_and_tls_only() {
    let names = tree(
        "amazon-music",
        &["--no-default-features", "--features", "rustls"],
    );
    assert!(names.iter().any(|n| n == "rustls"), "{names:?}");
    // Nor a second decoder of every response type: decode errors find their path without one.
    for absent in [
        "oauth2",
        "amazon-music-spec",
        "tempfile",
        "serde_path_to_error",
    ] {
        assert!(
            !names.iter().any(|n| n == absent),
            "{absent} present: {names:?}"
        );
    }
    assert_eq!(heavy_in(&names), Vec::<&str>::new());
}

#[test]
fn the_drift_check_brings_the_spec_model_and_still_no_validator() {
    let names = tree("amazon-music", &["--features", "drift-check"]);
    for needed in ["openapiv3", "serde_norway"] {
        assert!(
            names.iter().any(|n| n == needed),
            "{needed} missing: {names:?}"
        );
    }
    for absent in [
        "jsonschema",
        "fancy-regex",
        "amazon-music-conformance",
        "axum",
    ] {
        assert!(
            !names.iter().any(|n| n == absent),
            "{absent} present: {names:?}"
        );
    }
}

#[test]
fn the_generated_crate_alone_is_lean_too() {
    let names = tree("amazon-music-api", &[]);
    assert!(names.iter().any(|n| n == "rustls"), "{names:?}");
    assert_eq!(heavy_in(&names), Vec::<&str>::new());
}
