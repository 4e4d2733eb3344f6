//! `amazon-music docs-check` on the published pages, on edited copies of them, and on small pages
//! written for these tests in both table layouts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn upstream() -> PathBuf {
    workspace().join("../shared/upstream")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docs-check-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn amazon_music(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amazon-music"))
        .arg("docs-check")
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_published_pages_are_explained_and_match_the_digest() {
    let out = amazon_music(&[]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if upstream().is_dir() {
        assert_eq!(
            text.matches("facts unchanged since the digest").count(),
            2,
            "{text}"
        );
        assert_eq!(
            text.matches("every difference from the spec is explained")
                .count(),
            2,
            "{text}"
        );
        assert!(!text.contains("warning:"), "{text}");
    } else {
        assert!(text.contains("docs-check skipped"), "{text}");
    }
}

/// Copies a published page into a scratch directory (same name, so the digest applies) with
/// `edit` applied.
fn edited(name: &str, page: &str, edit: impl Fn(String) -> String) -> Option<PathBuf> {
    let original = std::fs::read_to_string(upstream().join(page)).ok()?;
    let edited = edit(original.clone());
    assert_ne!(edited, original, "the edit must change the page");
    let path = scratch(name).join(page);
    std::fs::write(&path, edited).unwrap();
    Some(path)
}

#[test]
fn an_edited_limit_and_a_new_parameter_are_named() {
    let Some(page) = edited("albums", "albums-v1.txt", |text| {
        text.replace(
            "Minimum of 1, maximum of 100.",
            "Minimum of 1, maximum of 50.",
        )
        .replace(
            "cursor | string | No |",
            "market | string | No | The marketplace. |\ncursor | string | No |",
        )
    }) else {
        return;
    };
    let out = amazon_music(&[page.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for expected in [
        "  + GET /me/library/albums query limit max=50",
        "  - GET /me/library/albums query limit max=100",
        "  + GET /me/library/albums query market",
        "  GET /me/library/albums query limit max=50\n      spec: max=100",
        "  GET /me/library/albums query market\n      spec: no such parameter",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn edited_allowed_values_a_removed_parameter_and_a_new_endpoint_are_named() {
    let Some(page) = edited("playback", "playback-v1.txt", |text| {
        text.replace(
            "Allowed values are 'SHUFFLE_ON' and 'SHUFFLE_OFF'\n",
            "Allowed values are 'SHUFFLE_ON', 'SHUFFLE_OFF' and 'SHUFFLE_SMART'\n",
        )
        .replace(
            "cursor string No The cursor/token for the page to continue pagination results from.\n\nExample\n\ncurl --request GET '<base url>/v1/playback/sessions/<sessionId>/queue'",
            "\nExample\n\ncurl --request GET '<base url>/v1/playback/sessions/<sessionId>/queue'",
        ) + "\n\nStop Session\n\nDELETE\n/v1/playback/sessions/{sessionId}\nEnds a session.\n"
    }) else {
        return;
    };
    let out = amazon_music(&[page.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for expected in [
        "PUT /playback/sessions/{sessionId}/shuffle body shuffleMode values=SHUFFLE_ON,SHUFFLE_OFF,SHUFFLE_SMART\n      spec: values=SHUFFLE_ON,SHUFFLE_OFF",
        "GET /playback/sessions/{sessionId}/queue query cursor absent",
        "DELETE /playback/sessions/{sessionId}\n      spec: no such operation",
        "  - GET /playback/sessions/{sessionId}/queue query cursor type=string",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

/// A page in the pipe layout and one in the space-separated layout, with their own ledger and
/// digest.
#[test]
fn small_pages_in_both_layouts() {
    let dir = scratch("small");
    let pipe = dir.join("pipe.txt");
    std::fs::write(
        &pipe,
        "Albums\nGet Several Albums\nGET\n/albums\nAuthorization Scope: [music::catalog]\nQuery Parameters\n\
         Name | Data Type | Required | Description |\n---|---|---|---|\n\
         ids | string | Yes | A comma-separated list of ids. There is a maximum limit of 20 IDs. |\n\
         Example\ncurl --request GET <base url>/v1/albums?ids=B1,B2\n",
    )
    .unwrap();
    let space = dir.join("space.txt");
    std::fs::write(
        &space,
        "Set Loop\n\nPUT\n/v1/playback/sessions/{sessionId}/loop\n\nPath Parameters\n\n\
         Name Data Type Required Description\nsessionId string Yes The session.\n\n\
         Request Parameters\n\nName Data Type Required Description\n\
         body.loopMode string No Allowed values are 'LOOP_ONE' and 'LOOP_OFF'\n\nResponses\n\nHTTP status 200 on success.\n",
    )
    .unwrap();
    let digest = dir.join("digest.yaml");
    let empty_ledger = dir.join("empty-ledger.yaml");
    std::fs::write(&empty_ledger, "corrections: []\n").unwrap();
    let (p, s, d, l) = (
        pipe.to_str().unwrap(),
        space.to_str().unwrap(),
        digest.to_str().unwrap(),
        empty_ledger.to_str().unwrap(),
    );
    let out = amazon_music(&[p, s, "--digest", d, "--ledger", l]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let unexplained = [
        "GET /albums query ids type=string",
        "GET /albums query ids max-items=20",
        "PUT /playback/sessions/{sessionId}/loop body loopMode required=false",
        "PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_OFF",
    ];
    for fact in unexplained {
        assert!(
            text.contains(&format!("  {fact}\n")),
            "missing {fact:?} in\n{text}"
        );
    }
    assert_eq!(
        text.matches("      spec: ").count(),
        unexplained.len(),
        "{text}"
    );

    // A ledger that explains them, and a digest written after review: all clear.
    let ledger = dir.join("ledger.yaml");
    let facts: Vec<String> = unexplained.iter().map(|f| format!("{f:?}")).collect();
    std::fs::write(
        &ledger,
        format!(
            "corrections:\n  - id: test\n    facts: [{}]\n",
            facts.join(", ")
        ),
    )
    .unwrap();
    let ledger = ledger.to_str().unwrap();
    let out = amazon_music(&[p, s, "--digest", d, "--ledger", ledger, "--update-digest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let written = std::fs::read_to_string(&digest).unwrap();
    assert!(
        written.contains("  pipe:\n  - GET /albums\n  - GET /albums scope music::catalog\n"),
        "{written}"
    );
    assert!(
        written.contains(
            "  - PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_OFF\n"
        ),
        "{written}"
    );
    let out = amazon_music(&[p, s, "--digest", d, "--ledger", ledger]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out)
            .matches("facts unchanged since the digest")
            .count(),
        2
    );

    // A ledger fact that no difference produces any more is pointed out.
    std::fs::write(
        dir.join("stale.yaml"),
        format!("corrections:\n  - id: old\n    facts: [\"GET /albums query ids required=false\", {}]\n", facts.join(", ")),
    )
    .unwrap();
    let out = amazon_music(&[
        p,
        s,
        "--digest",
        d,
        "--ledger",
        dir.join("stale.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out)
            .contains("warning: ledger entry old lists \"GET /albums query ids required=false\"")
    );
}

#[test]
fn unusable_pages_exit_2_naming_the_file() {
    let dir = scratch("unusable");
    let prose = dir.join("prose.txt");
    std::fs::write(&prose, "Nothing but prose here.\n").unwrap();
    let out = amazon_music(&[prose.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:1: no endpoint heading", prose.display())),
        "{stderr}"
    );

    let bad_row = dir.join("row.txt");
    std::fs::write(&bad_row, "T\nGET\n/albums\nQuery Parameters\nName | Data Type | Required | Description |\n---|---|---|---|\nids | string | Perhaps | x |\n").unwrap();
    let out = amazon_music(&[bad_row.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{}:7:", bad_row.display())));

    let missing = dir.join("missing.txt");
    let out = amazon_music(&[missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&missing.display().to_string()));
}

/// As an installed binary runs it, outside any checkout: the pages and the ledger are named on
/// the command line and the spec is the built-in one; without them it says, on one line, what
/// to pass.
#[test]
fn outside_a_checkout_the_pages_and_the_ledger_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_amazon-music"))
            .arg("docs-check")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let stderr = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();

    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pass the pages to check"),
        "{}",
        stderr(&out)
    );

    let page = dir.path().join("pipe.txt");
    std::fs::write(
        &page,
        "Albums\nGet Several Albums\nGET\n/albums\nAuthorization Scope: [music::catalog]\n",
    )
    .unwrap();
    let page = page.to_str().unwrap();
    let out = run(&[page]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("pass --ledger FILE"),
        "{}",
        stderr(&out)
    );

    let ledger = dir.path().join("ledger.yaml");
    std::fs::write(&ledger, "corrections: []\n").unwrap();
    let out = run(&["-v", page, "--ledger", ledger.to_str().unwrap()]);
    let text = stdout(&out);
    // The page leaves out the spec's `ids` parameter, and the empty ledger explains nothing.
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("note: no digest given (--digest)"), "{text}");
    assert!(
        text.contains("  GET /albums query ids absent\n      spec: the spec has this parameter"),
        "{text}"
    );
    assert!(stderr(&out).contains("spec: the copy built into this program"));
}
