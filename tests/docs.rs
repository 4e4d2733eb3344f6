//! The docs cite what exists: every repository path SECURITY.md names is in the repository,
//! and every test it names after a file is a function of that file. A renamed or removed test
//! fails here instead of leaving a promise that nothing proves.

use std::path::Path;

use amazon_music_workspace_tests::workspace_root;

/// Backticked text of `line`, in order.
fn quoted(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// Whether `text` is a repository path (not a placeholder such as `fuzz/corpus/<target>/`).
fn is_repo_path(text: &str) -> bool {
    ["crates/", "tests/", "fuzz/", "spec/", "xtask/", ".ci/"]
        .iter()
        .any(|root| text.starts_with(root))
        && !text.contains(['<', '*', ' '])
}

/// Every (file, test) that `doc` cites as "`file` (`test`, `test`)", and every path it names.
fn citations(doc: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut paths = Vec::new();
    let mut tests = Vec::new();
    for line in doc.lines() {
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            let Some(len) = rest[start + 1..].find('`') else {
                break;
            };
            let text = &rest[start + 1..start + 1 + len];
            rest = &rest[start + len + 2..];
            if !is_repo_path(text) {
                continue;
            }
            paths.push(text.to_owned());
            // "`file.rs` (`a`, `b`)": the names in the parentheses right after it.
            let names = rest.strip_prefix(" (").and_then(|r| r.split(')').next());
            if let Some(inner) = names.filter(|_| text.ends_with(".rs")) {
                for name in quoted(inner) {
                    let is_fn = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
                    if name.chars().all(is_fn) {
                        tests.push((text.to_owned(), name.to_owned()));
                    }
                }
            }
        }
    }
    (paths, tests)
}

#[test]
fn security_md_cites_only_paths_and_tests_that_exist() {
    let root = workspace_root();
    let doc = std::fs::read_to_string(root.join("SECURITY.md")).unwrap();
    let (paths, tests) = citations(&doc);
    assert!(
        paths.len() > 20 && tests.len() > 20,
        "the citations were not found"
    );
    let mut missing = Vec::new();
    for path in &paths {
        if !root.join(path).exists() {
            missing.push(format!("{path}: no such path"));
        }
    }
    for (file, name) in &tests {
        let source = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        if !source.contains(&format!("fn {name}(")) {
            missing.push(format!("{file}: no test `{name}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "SECURITY.md cites:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_missing_test_or_path_is_found() {
    let (paths, tests) =
        citations("| x | `crates/amazon-music/src/lib.rs` (`no_such_test`), `crates/none.rs` |");
    assert_eq!(paths, ["crates/amazon-music/src/lib.rs", "crates/none.rs"]);
    assert_eq!(
        tests,
        [(
            "crates/amazon-music/src/lib.rs".to_owned(),
            "no_such_test".to_owned()
        )]
    );
    assert!(!Path::new(&workspace_root()).join("crates/none.rs").exists());
}
