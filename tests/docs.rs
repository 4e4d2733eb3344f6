//! The docs describe the repository as it is. Every Markdown doc of the current state (the
//! README, ARCHITECTURE.md, TESTING.md, BENCHMARKS.md, SECURITY.md and each crate's README; not
//! CHANGELOG.md, which is history) cites only paths that exist and functions (tests, or the
//! code a mutant changed) that are in the file it names them after, and points nowhere outside
//! the repository. A renamed or removed file or function fails here instead of leaving a doc
//! that describes what is gone.
//!
//! What counts as a citation: the text of an inline code span whose first segment is a
//! top-level directory of the repository (`crates/`, `tests/`, `spec/`, ...) or a crate's
//! directory name (`amazon-music-api/...`, read under `crates/`), or, in a crate's README, an
//! entry of that crate's directory (`src/...`, `benches/...`); and the target of every relative
//! Markdown link. A code span is read against the doc's crate first, then the repository root; a
//! link against the doc's directory, as Markdown does. Placeholders (`<target>`, `*`, `...`) are
//! not paths; `{a,b}` names each of its alternatives. A function is cited as
//! "`file.rs` (`name`, `Type::method`, ...)". Fenced code blocks are commands and output: they
//! are searched for pointers outside the repository only.

use std::path::{Component, Path, PathBuf};

use amazon_music_workspace_tests::workspace_root;

/// The root's docs of the current state; each crate's README is found in `crates/`.
const ROOT_DOCS: [&str; 5] = [
    "README.md",
    "ARCHITECTURE.md",
    "TESTING.md",
    "BENCHMARKS.md",
    "SECURITY.md",
];

/// The repository's top-level directories a citation may start with.
const ROOTS: [&str; 7] = ["crates", "tests", "fuzz", "spec", "xtask", ".ci", ".cargo"];

/// Text that places a doc outside the repository, wherever it appears: a sibling checkout's
/// files, or one machine's absolute paths.
const OUTSIDE: [&str; 6] = [
    "../shared",
    "/work/",
    "/tmp/",
    "/home/",
    "/root/",
    "/Users/",
];

/// A path a doc cites, as written, with the bases to read it against (first match wins).
#[derive(Debug, PartialEq)]
struct Cited {
    text: String,
    bases: Vec<PathBuf>,
}

/// What one doc cites: paths, functions as (file as written, name), and lines that point
/// outside the repository.
#[derive(Debug, Default)]
struct Citations {
    paths: Vec<Cited>,
    functions: Vec<(String, String)>,
    outside: Vec<String>,
}

/// Backticked text of `line`, in order.
fn quoted(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// Whether `name` names a function: `a_test`, or `Type::method` (not a module path such as
/// `amazon_music::drift`).
fn is_function(name: &str) -> bool {
    let (owner, function) = name.rsplit_once("::").unwrap_or(("", name));
    let is_fn = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    let is_type = owner.is_empty()
        || (owner.starts_with(|c: char| c.is_ascii_uppercase())
            && owner.chars().all(|c| c.is_ascii_alphanumeric()));
    !function.is_empty() && function.chars().all(is_fn) && is_type
}

/// Whether `source` defines the function `name` (`a_test`, or `Type::method` with `Type` named
/// in it too).
fn defines(source: &str, name: &str) -> bool {
    let (owner, function) = name.rsplit_once("::").unwrap_or(("", name));
    let defined = [format!("fn {function}("), format!("fn {function}<")]
        .iter()
        .any(|def| source.contains(def.as_str()));
    defined && (owner.is_empty() || source.contains(owner))
}

/// Whether `text` stands for many paths or none (`fuzz/corpus/<target>/`, `src/*.rs`).
fn is_placeholder(text: &str) -> bool {
    text.contains(['<', '>', '*', ' ', '…', '$', '|']) || text.contains("...")
}

/// `a/{b,c}.rs` as `a/b.rs` and `a/c.rs`; text without braces as itself.
fn expand(text: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (text.find('{'), text.find('}')) else {
        return vec![text.to_owned()];
    };
    if close < open {
        return vec![text.to_owned()];
    }
    text[open + 1..close]
        .split(',')
        .map(|alt| format!("{}{alt}{}", &text[..open], &text[close + 1..]))
        .collect()
}

/// Where a code span naming a path is read from, or `None` when it names no path of the
/// repository. `crate_dir` is the directory of a crate README, relative to the root.
fn bases_of(text: &str, crate_dir: Option<&Path>, root: &Path) -> Option<Vec<PathBuf>> {
    if is_placeholder(text) || !text.contains('/') {
        return None;
    }
    let first = text.split('/').next().unwrap_or_default();
    // `/v1/albums`, `./x`: a URL's path, or no particular place.
    if first.is_empty() || first == "." {
        return None;
    }
    let mut bases = Vec::new();
    if let Some(dir) = crate_dir {
        let dir = root.join(dir);
        if first == ".." || dir.join(first).exists() {
            bases.push(dir);
        }
    }
    if ROOTS.contains(&first) || (first == ".." && crate_dir.is_none()) {
        bases.push(root.to_path_buf());
    }
    if first.starts_with("amazon-music") {
        bases.push(root.join("crates"));
    }
    (!bases.is_empty()).then_some(bases)
}

/// The relative targets of the Markdown links (`[text](target)`) of `line`, without their
/// `#fragment`; URLs, anchors in the same page and placeholders are left out.
fn link_targets(line: &str) -> Vec<&str> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or_default();
        let is_url = target.contains("://") || target.starts_with("mailto:");
        if !target.is_empty() && !is_url && !is_placeholder(target) {
            targets.push(target);
        }
        rest = &rest[end..];
    }
    targets
}

/// Every citation of `doc`, a Markdown file at `doc_path` (relative to `root`).
fn citations(doc: &str, doc_path: &Path, root: &Path) -> Citations {
    let doc_dir = doc_path.parent().unwrap_or(Path::new(""));
    let crate_dir = doc_dir.starts_with("crates").then_some(doc_dir);
    let mut found = Citations::default();
    let mut fenced = false;
    for (number, line) in doc.lines().enumerate() {
        if OUTSIDE.iter().any(|o| line.contains(o)) {
            found
                .outside
                .push(format!("line {}: {}", number + 1, line.trim()));
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for target in link_targets(line) {
            found.paths.push(Cited {
                text: target.to_owned(),
                bases: vec![root.join(doc_dir)],
            });
        }
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            let Some(len) = rest[start + 1..].find('`') else {
                break;
            };
            let text = &rest[start + 1..start + 1 + len];
            rest = &rest[start + len + 2..];
            let Some(bases) = bases_of(text, crate_dir, root) else {
                continue;
            };
            for path in expand(text) {
                found.paths.push(Cited {
                    text: path,
                    bases: bases.clone(),
                });
            }
            // "`file.rs` (`a`, `b`)": the names in the parentheses right after it.
            let names = rest.strip_prefix(" (").and_then(|r| r.split(')').next());
            if let Some(inner) = names.filter(|_| text.ends_with(".rs")) {
                for name in quoted(inner).into_iter().filter(|n| is_function(n)) {
                    found.functions.push((text.to_owned(), name.to_owned()));
                }
            }
        }
    }
    found
}

/// `base` joined with `text`, `..` and `.` resolved without the file system; `None` when it
/// climbs above `root`.
fn resolve(base: &Path, text: &str, root: &Path) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    for part in base.join(text).components() {
        match part {
            Component::ParentDir => {
                path.pop();
            }
            Component::CurDir => {}
            other => path.push(other),
        }
    }
    path.starts_with(root).then_some(path)
}

/// Where a cited path is: the first base it exists under, or why it is not in the repository.
fn locate(cited: &Cited, root: &Path) -> Result<PathBuf, String> {
    let mut inside = Vec::new();
    for base in &cited.bases {
        match resolve(base, &cited.text, root) {
            Some(path) if path.exists() => return Ok(path),
            Some(path) => inside.push(path),
            None => {}
        }
    }
    if inside.is_empty() {
        Err(format!("{}: outside the repository", cited.text))
    } else {
        Err(format!("{}: no such path", cited.text))
    }
}

/// What is wrong with the doc at `doc_path` (relative to the root), and how many citations it
/// has.
fn problems(doc_path: &str) -> (Vec<String>, usize) {
    let root = workspace_root();
    let doc =
        std::fs::read_to_string(root.join(doc_path)).unwrap_or_else(|e| panic!("{doc_path}: {e}"));
    let found = citations(&doc, Path::new(doc_path), &root);
    let mut problems: Vec<String> = found
        .outside
        .iter()
        .map(|line| format!("points outside the repository, {line}"))
        .collect();
    for cited in &found.paths {
        if let Err(problem) = locate(cited, &root) {
            problems.push(problem);
        }
    }
    for (file, name) in &found.functions {
        let Some(cited) = found.paths.iter().find(|p| &p.text == file) else {
            continue;
        };
        // A missing file is reported above already.
        let Ok(path) = locate(cited, &root) else {
            continue;
        };
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        if !defines(&source, name) {
            problems.push(format!("{file}: no function `{name}`"));
        }
    }
    (problems, found.paths.len())
}

/// Fails naming every problem of the doc at `doc_path`; `at_least` citations must be found, so
/// that a parser gone blind does not pass.
fn check(doc_path: &str, at_least: usize) {
    let (problems, paths) = problems(doc_path);
    assert!(
        problems.is_empty(),
        "{doc_path} cites what is not in the repository:\n{}",
        problems.join("\n")
    );
    assert!(
        paths >= at_least,
        "{doc_path}: {paths} citations found, expected at least {at_least}"
    );
}

#[test]
fn readme_cites_only_what_exists() {
    check(ROOT_DOCS[0], 10);
}

#[test]
fn architecture_md_cites_only_what_exists() {
    check(ROOT_DOCS[1], 10);
}

#[test]
fn testing_md_cites_only_what_exists() {
    check(ROOT_DOCS[2], 20);
}

#[test]
fn benchmarks_md_cites_only_what_exists() {
    check(ROOT_DOCS[3], 5);
}

#[test]
fn security_md_cites_only_paths_and_tests_that_exist() {
    check(ROOT_DOCS[4], 20);
}

#[test]
fn every_crate_readme_cites_only_what_exists() {
    let root = workspace_root();
    let mut readmes = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        let readme = entry.unwrap().path().join("README.md");
        if readme.exists() {
            let relative = readme.strip_prefix(&root).unwrap();
            readmes.push(relative.to_string_lossy().into_owned());
        }
    }
    assert!(readmes.len() >= 6, "the crate READMEs were not found");
    let mut failures = Vec::new();
    for readme in &readmes {
        let (problems, _) = problems(readme);
        if !problems.is_empty() {
            failures.push(format!("{readme}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "crate READMEs cite what is not in the repository:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_missing_test_or_path_is_found() {
    let root = workspace_root();
    let doc = "| x | `crates/amazon-music/src/lib.rs` (`no_such_test`), `crates/none.rs` |";
    let found = citations(doc, Path::new("SECURITY.md"), &root);
    let texts: Vec<_> = found.paths.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, ["crates/amazon-music/src/lib.rs", "crates/none.rs"]);
    assert_eq!(
        found.functions,
        [(
            "crates/amazon-music/src/lib.rs".to_owned(),
            "no_such_test".to_owned()
        )]
    );
    assert!(locate(&found.paths[0], &root).is_ok());
    assert_eq!(
        locate(&found.paths[1], &root),
        Err("crates/none.rs: no such path".to_owned())
    );
}

#[test]
fn a_crate_readme_cites_against_its_crate_then_the_root() {
    let root = workspace_root();
    let doc = "`src/lib.rs`, `spec/openapi.yaml`, `tests/spec.rs`, `src/none.rs`, \
               [the mock](../amazon-music-mock/README.md), `amazon-music-api/src/lib.rs`";
    let found = citations(doc, Path::new("crates/amazon-music-spec/README.md"), &root);
    let located: Vec<_> = found.paths.iter().map(|p| locate(p, &root)).collect();
    let crate_dir = root.join("crates/amazon-music-spec");
    assert_eq!(
        located,
        [
            Ok(root.join("crates/amazon-music-mock/README.md")),
            Ok(crate_dir.join("src/lib.rs")),
            Ok(crate_dir.join("spec/openapi.yaml")),
            Ok(root.join("tests/spec.rs")),
            Err("src/none.rs: no such path".to_owned()),
            Ok(root.join("crates/amazon-music-api/src/lib.rs")),
        ]
    );
    // In a doc at the root, `src/` is no directory of the repository: not a citation.
    let at_root = citations("`src/lib.rs`", Path::new("README.md"), &root);
    assert!(at_root.paths.is_empty());
}

#[test]
fn pointers_outside_the_repository_are_found() {
    let root = workspace_root();
    let doc = "Pages in `../shared/upstream/`.\n\
               ```sh\n\
               cp x /tmp/y\n\
               ```\n\
               See [there](../../elsewhere.md) and `../outside.md`.";
    let found = citations(doc, Path::new("README.md"), &root);
    assert_eq!(found.outside.len(), 2, "{found:?}");
    let located: Vec<_> = found.paths.iter().map(|p| locate(p, &root)).collect();
    assert_eq!(
        located,
        [
            Err("../shared/upstream/: outside the repository".to_owned()),
            Err("../../elsewhere.md: outside the repository".to_owned()),
            Err("../outside.md: outside the repository".to_owned()),
        ]
    );
}

#[test]
fn placeholders_urls_and_code_blocks_are_not_citations() {
    let root = workspace_root();
    let doc = "`fuzz/corpus/<target>/`, `crates/amazon-music-api/src/*.rs`, `spec/...`, \
               [site](https://example.com/a.md), [here](#scores), `cargo test`\n\
               ```sh\n\
               bash crates/none/run.sh `crates/none.rs`\n\
               ```\n\
               `crates/amazon-music-api/src/{lib,auth}.rs`";
    let found = citations(doc, Path::new("TESTING.md"), &root);
    let texts: Vec<_> = found.paths.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "crates/amazon-music-api/src/lib.rs",
            "crates/amazon-music-api/src/auth.rs"
        ]
    );
    assert!(found.outside.is_empty());
}

#[test]
fn a_function_is_found_by_its_name_and_its_type() {
    let source = "impl Store {\n    fn prune(&mut self) {}\n    fn with<T>(t: T) {}\n}";
    assert!(defines(source, "prune"));
    assert!(defines(source, "Store::prune"));
    assert!(defines(source, "Store::with"));
    assert!(!defines(source, "Other::prune"));
    assert!(!defines(source, "pru"));
    assert!(is_function("Store::prune") && is_function("a_test_2"));
    assert!(!is_function("Drop for MockServer") && !is_function("Store::") && !is_function("X"));
    assert!(!is_function("amazon_music::drift"));
}
