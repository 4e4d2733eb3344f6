//! `cargo xtask fuzz-seeds`: writes the seed corpora of the fuzz targets into
//! `fuzz/corpus/<target>/` from the spec's examples and the recordings under
//! `spec/recordings/`. Deterministic; the files it writes are committed, and running it again
//! changes nothing unless the spec or the recordings changed (`--check` says whether they
//! did). Files a fuzzer adds to the same directories are ignored by git and removed here.
//!
//! * `decode_responses`: every response example of the spec and every recording's body.
//! * `validate_exchange`: every recording as recorded, one HAR archive of three of them, and
//!   every response example as a bare body.
//! * `mock_requests`: one request per operation (path, query, headers and body from the
//!   spec's request examples and the recordings), the Login with Amazon emulator's routes, and
//!   a few sequences that reach state.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use amazon_music_spec::{Operation, Spec, escape_pointer_token};
use anyhow::{Context, bail};
use serde_json::{Value, json};

/// Where the corpora live, relative to the workspace root.
const CORPUS: &str = "fuzz/corpus";
/// Between two requests of a sequence.
const SEPARATOR: &str = "\n~~~\n";

// The mock's defaults (`MockConfig::default()`, `LwaConfig::default()`).
const API_KEY: &str = "mock-api-key";
const TOKEN: &str = "mock-token";
const CLIENT_ID: &str = "mock-client-id";

/// Path parameters no recording gives: the documented session and entity of the spec's
/// examples.
const FILL: [(&str, &str); 3] = [
    ("id", "B0064UPU4G"),
    ("sessionId", "a133859e-44e6-4917-8893-fe36c8ea312a"),
    ("entityReferenceId", "526af97e-8396-4b5a-ae26-7ee95999d34c"),
];

/// Arguments of `cargo xtask fuzz-seeds`.
#[derive(clap::Args)]
pub struct Args {
    /// Write nothing; fail when the committed seeds differ from what would be written.
    #[arg(long)]
    check: bool,
}

/// Runs the subcommand.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace_root();
    let spec = Spec::load(root.join("spec/openapi.yaml"))?;
    let recordings = recordings(&root.join("spec/recordings"))?;
    let seeds = seeds(&spec, &recordings)?;
    let corpus = root.join(CORPUS);
    if args.check {
        return check(&corpus, &seeds);
    }
    for target in seeds.keys() {
        let dir = corpus.join(target);
        if dir.is_dir() {
            for entry in std::fs::read_dir(&dir).with_context(|| format!("{}", dir.display()))? {
                let path = entry?.path();
                if path.is_file() {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("removing {}", path.display()))?;
                }
            }
        }
    }
    for (target, files) in &seeds {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        println!("{CORPUS}/{target}: {} files", files.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// Compares the seeds with the files on disk (fuzzer finds, which git ignores, aside: they
/// have no `-` in their names).
fn check(
    corpus: &Path,
    seeds: &BTreeMap<&str, BTreeMap<String, String>>,
) -> anyhow::Result<ExitCode> {
    let mut stale = Vec::new();
    for (target, files) in seeds {
        let dir = corpus.join(target);
        for (name, text) in files {
            if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text) {
                stale.push(format!("{target}/{name}"));
            }
        }
        for entry in std::fs::read_dir(&dir).with_context(|| format!("{}", dir.display()))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.contains('-') && !files.contains_key(&name) {
                stale.push(format!("{target}/{name} (no longer a seed)"));
            }
        }
    }
    if stale.is_empty() {
        println!("{CORPUS} matches the spec and the recordings");
        return Ok(ExitCode::SUCCESS);
    }
    for file in &stale {
        println!("stale: {CORPUS}/{file}");
    }
    println!("run `cargo xtask fuzz-seeds` and commit the result");
    Ok(ExitCode::FAILURE)
}

/// One recording: its name (`docs-getAlbum-200`), its text and its JSON.
struct Recording {
    name: String,
    text: String,
    json: Value,
}

/// Every `*/*.json` under `dir`, in path order.
fn recordings(dir: &Path) -> anyhow::Result<Vec<Recording>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for group in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let group = group?.path();
        if !group.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&group)? {
            let file = file?.path();
            if file.extension().is_some_and(|e| e == "json") {
                paths.push(file);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let json = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", path.display()))?;
            let name =
                |p: Option<&std::ffi::OsStr>| p.unwrap_or_default().to_string_lossy().into_owned();
            let group = name(path.parent().and_then(Path::file_name));
            Ok(Recording {
                name: format!("{group}-{}", name(path.file_stem())),
                text,
                json,
            })
        })
        .collect()
}

/// Every seed, by target and file name.
fn seeds<'t>(
    spec: &Spec,
    recordings: &[Recording],
) -> anyhow::Result<BTreeMap<&'t str, BTreeMap<String, String>>> {
    let mut out: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    let mut write = |target: &'t str, name: String, text: String| {
        out.entry(target)
            .or_default()
            .insert(file_name(&name), text);
    };
    let examples = response_examples(spec);

    for (name, text) in &examples {
        write("decode_responses", format!("{name}.json"), text.clone());
    }
    for recording in recordings {
        if let Some(body) = recording.json.get("body") {
            write(
                "decode_responses",
                format!("recording-{}.json", recording.name),
                dump(body),
            );
        }
    }

    let mut har_entries = Vec::new();
    for recording in recordings {
        write(
            "validate_exchange",
            format!("recording-{}.json", recording.name),
            recording.text.clone(),
        );
        if recording.name.starts_with("docs-") && har_entries.len() < 3 {
            let r = &recording.json;
            let headers: Vec<Value> = r["headers"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, value)| json!({"name": name, "value": value}))
                .collect();
            har_entries.push(json!({
                "request": {
                    "method": r["method"],
                    "url": format!("https://api.music.amazon.dev{}", r["url"].as_str().unwrap_or_default()),
                    "headers": [],
                },
                "response": {
                    "status": r["status"],
                    "headers": headers,
                    "content": {
                        "mimeType": "application/json",
                        "text": r.get("body").unwrap_or(&Value::Null).to_string(),
                    },
                },
            }));
        }
    }
    write(
        "validate_exchange",
        "har-docs.har".into(),
        dump(&json!({"log": {"version": "1.2", "entries": har_entries}})),
    );
    for (name, text) in &examples {
        write(
            "validate_exchange",
            format!("body-{name}.json"),
            text.clone(),
        );
    }

    // mock_requests: every operation ...
    let mut recorded: BTreeMap<&str, &str> = BTreeMap::new();
    for recording in recordings {
        let operation = recording.name.split('-').nth(1).unwrap_or_default();
        let url = recording.json["url"].as_str().unwrap_or_default();
        recorded.entry(operation).or_insert(url);
    }
    for op in in_document_order(spec) {
        let target = match recorded.get(op.id()) {
            Some(url) => (*url).to_owned(),
            None => format!("/v1{}", filled(op.path())?),
        };
        write(
            "mock_requests",
            format!("api-{}", op.id()),
            api(op.method(), &target, request_example(op).as_deref()),
        );
    }
    // ... the sign-in emulator's routes ...
    let lwa = lwa_requests();
    for (name, text) in &lwa {
        write("mock_requests", format!("lwa-{name}"), text.clone());
    }
    // ... and sequences that reach state: a device flow, a code grant, a session that moves.
    let step = |name: &str| lwa[name].clone();
    write(
        "mock_requests",
        "seq-device-flow".into(),
        [
            step("codepair"),
            step("code-page"),
            step("code-submit"),
            step("token-device"),
        ]
        .join(SEPARATOR),
    );
    write(
        "mock_requests",
        "seq-code-grant".into(),
        [step("authorize"), step("token-code"), step("token-refresh")].join(SEPARATOR),
    );
    let create = spec
        .operation("createPlaybackSession")
        .context("the spec has no createPlaybackSession")?;
    write(
        "mock_requests",
        "seq-library-and-playback".into(),
        [
            api("PUT", "/v1/me/library/albums/B00D3PLC1K", None),
            api("GET", "/v1/me/library/albums?limit=1", None),
            api("DELETE", "/v1/me/library/albums/B00D3PLC1K", None),
            api(
                "POST",
                "/v1/playback/sessions",
                request_example(create).as_deref(),
            ),
            api("GET", "/v1/playback/sessions/active", None),
        ]
        .join(SEPARATOR),
    );
    write(
        "mock_requests",
        "unknown-path".into(),
        api("GET", "/v1/nothing/here?x=%zz", None),
    );
    write(
        "mock_requests",
        "no-credentials".into(),
        http("GET", "/v1/albums/B0064UPU4G", &[], ""),
    );
    Ok(out)
}

/// The operations as the document writes them: path items in the order of the text, and in
/// each the methods `get`, `put`, `post`, `delete`, `patch`.
fn in_document_order(spec: &Spec) -> Vec<&Operation> {
    let rank = |method: &str| {
        ["GET", "PUT", "POST", "DELETE", "PATCH"]
            .iter()
            .position(|m| *m == method)
            .unwrap_or(usize::MAX)
    };
    let mut ops: Vec<&Operation> = spec.operations().iter().collect();
    ops.sort_by_key(|op| {
        let item = format!("/paths/{}", escape_pointer_token(op.path()));
        (spec.line_of(&item), rank(op.method()))
    });
    ops
}

/// Each response example, named `{operationId}-{status}-{example}`, the first of each text
/// only, in document order.
fn response_examples(spec: &Spec) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for op in in_document_order(spec) {
        let mut responses: Vec<_> = op.responses().iter().collect();
        responses.sort_by_key(|r| {
            spec.line_of(&format!(
                "{}/responses/{}",
                op.pointer(),
                escape_pointer_token(r.status())
            ))
        });
        for response in responses {
            let mut media: Vec<_> = response.content().iter().collect();
            media.sort_by_key(|m| spec.line_of(m.pointer()));
            for m in media {
                for example in examples_in_order(spec, m) {
                    let text = dump(example.value());
                    if seen.insert(text.clone()) {
                        let name = format!("{}-{}-{}", op.id(), response.status(), example.name());
                        out.push((name, text));
                    }
                }
            }
        }
    }
    out
}

/// A media type's examples: `example` first, then `examples` in the order of the text.
fn examples_in_order<'m>(
    spec: &Spec,
    media: &'m amazon_music_spec::MediaType,
) -> Vec<&'m amazon_music_spec::Example> {
    let mut examples: Vec<_> = media.examples().iter().collect();
    examples.sort_by_key(|e| {
        let at = if e.name() == "example" {
            format!("{}/example", media.pointer())
        } else {
            format!(
                "{}/examples/{}",
                media.pointer(),
                escape_pointer_token(e.name())
            )
        };
        (e.name() != "example", spec.line_of(&at))
    });
    examples
}

/// The body of the operation's first request example, compact; `{}` for a body without
/// one; `None` when the operation takes no body.
fn request_example(op: &Operation) -> Option<String> {
    let body = op.request_body()?;
    let value = body
        .content()
        .iter()
        .flat_map(|m| m.examples())
        .map(|e| e.value().to_string())
        .next();
    Some(value.unwrap_or_else(|| "{}".to_owned()))
}

/// The template with every parameter filled from [`FILL`].
fn filled(template: &str) -> anyhow::Result<String> {
    let mut out = String::new();
    for segment in template.split_inclusive('/') {
        let (name, slash) = match segment.strip_suffix('/') {
            Some(s) => (s, "/"),
            None => (segment, ""),
        };
        match name.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            Some(param) => {
                let Some((_, value)) = FILL.iter().find(|(p, _)| *p == param) else {
                    bail!("no seed value for path parameter {param} of {template}");
                };
                out.push_str(value);
            }
            None => out.push_str(name),
        }
        out.push_str(slash);
    }
    Ok(out)
}

fn dump(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Keeps letters, digits, `_`, `.` and `-` of a file name, and makes anything else `_`.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn http(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut head = vec![format!("{method} {target}")];
    head.extend(headers.iter().map(|(k, v)| format!("{k}: {v}")));
    format!("{}\n\n{body}", head.join("\n"))
}

fn api(method: &str, target: &str, body: Option<&str>) -> String {
    let bearer = format!("Bearer {TOKEN}");
    let mut headers = vec![("x-api-key", API_KEY), ("authorization", bearer.as_str())];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    http(method, target, &headers, body.unwrap_or_default())
}

fn form(method: &str, target: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> String {
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut all = vec![
        ("host", "127.0.0.1:8080"),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    all.extend_from_slice(headers);
    http(method, target, &all, &body.join("&"))
}

/// The sign-in emulator's requests, by name.
fn lwa_requests() -> BTreeMap<&'static str, String> {
    let scope = "music%3A%3Acatalog+music%3A%3Aplayback";
    let redirect = "http%3A%2F%2F127.0.0.1%3A53682%2Fcallback";
    BTreeMap::from([
        (
            "codepair",
            form(
                "POST",
                "/auth/o2/create/codepair",
                &[
                    ("response_type", "device_code"),
                    ("client_id", CLIENT_ID),
                    ("scope", scope),
                ],
                &[],
            ),
        ),
        (
            "token-device",
            form(
                "POST",
                "/auth/o2/token",
                &[
                    ("grant_type", "device_code"),
                    ("device_code", "AbCdEfGhIjKlMnOp"),
                    ("user_code", "ABCD1234"),
                    ("client_id", CLIENT_ID),
                ],
                &[],
            ),
        ),
        (
            "token-refresh",
            form(
                "POST",
                "/auth/o2/token",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", "Atzr%7Cmock"),
                    ("client_id", CLIENT_ID),
                ],
                &[],
            ),
        ),
        (
            "token-code",
            form(
                "POST",
                "/auth/o2/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("code", "ANmock"),
                    ("redirect_uri", redirect),
                    ("client_id", CLIENT_ID),
                    (
                        "code_verifier",
                        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                    ),
                ],
                &[],
            ),
        ),
        (
            "authorize",
            http(
                "GET",
                &format!(
                    "/ap/oa?client_id={CLIENT_ID}&scope={scope}&response_type=code\
                     &redirect_uri={redirect}&state=xyz\
                     &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
                     &code_challenge_method=S256"
                ),
                &[],
                "",
            ),
        ),
        (
            "code-page",
            http("GET", "/code", &[("host", "127.0.0.1:8080")], ""),
        ),
        (
            "code-submit",
            form("POST", "/code", &[("user_code", "ABCD-1234")], &[]),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_and_an_unknown_parameter_is_an_error() {
        assert_eq!(
            filled("/playback/sessions/{sessionId}/entities/{entityReferenceId}").unwrap(),
            "/playback/sessions/a133859e-44e6-4917-8893-fe36c8ea312a/entities/526af97e-8396-4b5a-ae26-7ee95999d34c"
        );
        assert_eq!(filled("/albums").unwrap(), "/albums");
        assert!(filled("/x/{other}").is_err());
    }

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            file_name("getAlbum-200-a b/ü.json"),
            "getAlbum-200-a_b__.json"
        );
    }

    /// Every operation gets a request, every response example a body, and the project's
    /// recordings all land in the exchange corpus.
    #[test]
    fn the_seeds_cover_the_spec_and_the_recordings() {
        let root = crate::workspace_root();
        let spec = Spec::load(root.join("spec/openapi.yaml")).unwrap();
        let recordings = recordings(&root.join("spec/recordings")).unwrap();
        let seeds = seeds(&spec, &recordings).unwrap();
        let requests = &seeds["mock_requests"];
        for op in spec.operations() {
            let seed = &requests[&format!("api-{}", op.id())];
            assert!(seed.starts_with(&format!("{} /v1/", op.method())), "{seed}");
            assert!(seed.contains("\nx-api-key: mock-api-key\n"), "{seed}");
            if op.request_body().is_some() {
                let (_, body) = seed.split_once("\n\n").unwrap();
                serde_json::from_str::<Value>(body).unwrap();
            }
        }
        let exchanges = &seeds["validate_exchange"];
        for recording in &recordings {
            assert_eq!(
                exchanges[&format!("recording-{}.json", recording.name)],
                recording.text
            );
        }
        let har: Value = serde_json::from_str(&exchanges["har-docs.har"]).unwrap();
        assert_eq!(har["log"]["entries"].as_array().unwrap().len(), 3);
        let bodies = seeds["decode_responses"].len();
        assert!(bodies > 20, "{bodies}");
        let first = in_document_order(&spec)[0];
        assert_eq!(first.id(), "getAlbum", "the document's first operation");
    }
}
