//! The loop from traffic to spec: the client records against a drifting mock, `validate
//! recorded --suggest` proposes exactly the changes the mock injected, `--apply` writes them
//! into copies of the spec and the ledger (formatting and comments kept), after which the same
//! recordings show no drift and the ledger still holds together. Unusable recordings are
//! reported one by one while the rest are still read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use amazon_music::playback::PlayRequest;
use amazon_music_conformance::Spec;
use amazon_music_mock::{DriftKind, MockConfig, MockServer};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn amazon_music(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Records a few calls against a mock drifting with `seed`; returns what it injected.
fn record(dir: &Path, seed: u64) -> Vec<amazon_music_mock::DriftInjection> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start(MockConfig::default().drift(seed))
            .await
            .unwrap();
        let client = amazon_music::Client::builder()
            .base_url(server.base_url())
            .api_key("mock-api-key")
            .token("mock-token")
            .record_to(dir)
            .build()
            .unwrap();
        client.get_album("B0064UPU4G").await.unwrap();
        client.save_album("B091MTJT3P").await.unwrap();
        let session = client
            .start_playback(PlayRequest::track_in("B0BS2S4WXN", "B0BS2SB6RC"))
            .await
            .unwrap();
        drop(session);
        client.flush_recording();
        assert_eq!(client.recording_stats().unwrap().written, 3);
        server.state().drift_served()
    })
}

#[test]
fn suggest_proposes_exactly_the_injected_drift_and_apply_writes_it() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("drift-loop");
    let _ = std::fs::remove_dir_all(&root);
    // The first seed whose plan gives these three calls every kind of drift: a plan is drawn
    // over every operation of the spec, so which seed does changes as the spec grows.
    let (recordings, served) = (0..64)
        .map(|seed| {
            let dir = root.join(format!("recordings-{seed}"));
            let served = record(&dir, seed);
            (dir, served)
        })
        .find(|(_, served)| {
            DriftKind::ALL
                .iter()
                .all(|kind| served.iter().any(|s| s.kind == *kind))
        })
        .expect("a seed below 64 serves every kind of drift to these calls");
    let spec = root.join("openapi.yaml");
    let ledger = root.join("corrections.yaml");
    let original_spec = std::fs::read_to_string(workspace().join("spec/openapi.yaml")).unwrap();
    let original_ledger =
        std::fs::read_to_string(workspace().join("spec/corrections.yaml")).unwrap();
    std::fs::write(&spec, &original_spec).unwrap();
    std::fs::write(&ledger, &original_ledger).unwrap();
    let (recordings, spec_arg) = (recordings.display().to_string(), spec.display().to_string());

    // --suggest: a diff of both files, one proposal per injected change, nothing written.
    let out = amazon_music(&[
        "validate",
        "recorded",
        &recordings,
        "--spec",
        &spec_arg,
        "--suggest",
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let proposed: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.split_once("proposed: ").map(|(_, p)| p))
        .collect();
    assert_eq!(proposed.len(), served.len(), "{proposed:#?}\n{served:#?}");
    for injection in &served {
        let expected = match injection.kind {
            DriftKind::UnknownField => format!("`{}` (", injection.found),
            DriftKind::UnlistedValue => format!("add `{}` to", injection.found),
            DriftKind::NullNotNullable => "make ".to_owned(),
        };
        assert!(
            proposed
                .iter()
                .any(|p| p.contains(&expected) && p.contains(&injection.spec_pointer)),
            "no proposal for {injection:?} in {proposed:#?}"
        );
    }
    assert!(stdout.contains(&format!("--- {spec_arg}")), "{stdout}");
    assert!(stdout.contains("+  - id: drift-"), "{stdout}");
    assert!(stdout.contains("confidence: unverified"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), original_spec);

    // --apply: the same changes, written; every line of the ledger and every comment of the
    // spec kept.
    let out = amazon_music(&[
        "validate",
        "recorded",
        &recordings,
        "--spec",
        &spec_arg,
        "--apply",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let applied = std::fs::read_to_string(&spec).unwrap();
    let comments = |t: &str| {
        t.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(comments(&applied), comments(&original_spec));
    let new_ledger = std::fs::read_to_string(&ledger).unwrap();
    assert!(new_ledger.starts_with(&original_ledger));

    // The recordings now conform strictly: no drift is left.
    let out = amazon_music(&[
        "validate",
        "recorded",
        &recordings,
        "--spec",
        &spec_arg,
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    // The ledger still holds together against the new spec.
    let spec = Spec::load(&spec).unwrap();
    let ledger = amazon_music_workspace_tests::spec::ledger_at(&ledger);
    let problems = amazon_music_workspace_tests::spec::ledger_problems(&spec, &ledger);
    assert!(problems.is_empty(), "{problems:#?}");
    let stubs = ledger
        .corrections
        .iter()
        .filter(|c| c.id.starts_with("drift-"))
        .count();
    assert_eq!(stubs, served.len());
}

#[test]
fn unusable_recordings_are_reported_one_by_one() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("drift-loop-bad");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let good = r#"{"specVersion": "1.0", "method": "GET", "url": "/v1/albums/B1", "status": 404,
        "body": {"error": {"status": "404", "code": "RESOURCE_NOT_FOUND", "message": "no"}}}"#;
    std::fs::write(dir.join("1-good.json"), good).unwrap();
    std::fs::write(dir.join("2-other-version.json"), good.replace("1.0", "2.0")).unwrap();
    std::fs::write(dir.join("3-truncated.json"), &good[..40]).unwrap();
    std::fs::write(
        dir.join("4-not-an-exchange.json"),
        r#"{"log": {"entries": []}}"#,
    )
    .unwrap();
    let out = amazon_music(&[
        "validate",
        "recorded",
        &dir.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for (file, says) in [
        (
            "2-other-version.json",
            "recorded against spec version 2.0, but this spec is version 1.0",
        ),
        ("3-truncated.json", "not JSON"),
        (
            "4-not-an-exchange.json",
            "not a recorded exchange: missing field `method`",
        ),
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(file) && l.contains(says)),
            "{file}: {says}\n{stderr}"
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["outcomes"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
}
