//! The recorded exchanges kept as evidence under `spec/recordings/`, each with the schema the
//! spec gives its response, for tests that decode them with the generated types.

use std::path::{Path, PathBuf};

use amazon_music_conformance::{Body, Spec, Validator, parse_recorded};
use serde_json::Value;

/// One recorded response with a JSON body, and where the spec describes it.
#[derive(Debug, Clone)]
pub struct RecordedResponse {
    /// The file it was read from.
    pub file: PathBuf,
    /// The operation the request matched.
    pub operation_id: String,
    /// The response status.
    pub status: u16,
    /// Pointer to the response's schema, after `$ref`s (`/components/schemas/GetAlbumResponse`).
    pub schema: String,
    /// The body as recorded.
    pub body: Value,
}

impl RecordedResponse {
    /// The schema's component name, which is the generated type's name.
    pub fn schema_name(&self) -> &str {
        self.schema.rsplit('/').next().unwrap_or_default()
    }
}

/// Every recording with a JSON body under `dir` (recursively, in path order), matched to its
/// operation and response schema.
///
/// # Panics
/// On a file that cannot be read or parsed, a request no operation serves, or a status the
/// operation does not describe: evidence kept in the repository must be usable.
pub fn recorded_responses(spec: &Spec, dir: &Path) -> Vec<RecordedResponse> {
    // The validator routes the request and picks the response the status falls under
    // (`404`, else `4XX`, else `default`), as `validate recorded` does.
    let validator = Validator::new(spec.clone()).expect("the spec compiles");
    let mut files = Vec::new();
    collect_json(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let exchange = parse_recorded(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let outcome = validator.validate(&exchange, &file.display().to_string());
        let Body::Json(body) = exchange.body else {
            continue;
        };
        let (Some(operation_id), Some(key)) = (outcome.operation_id, outcome.response) else {
            panic!(
                "{}: no operation of the spec describes {} {} answered {}: {:?}",
                file.display(),
                exchange.method,
                exchange.url,
                exchange.status,
                outcome.violations
            )
        };
        let schema = spec
            .operation(&operation_id)
            .and_then(|op| op.response(&key))
            .and_then(|response| response.json()?.schema())
            .unwrap_or_else(|| panic!("{}: {operation_id} {key} has no JSON body", file.display()));
        out.push(RecordedResponse {
            file,
            operation_id,
            status: exchange.status,
            schema: spec.schemas()[schema].pointer().to_owned(),
            body,
        });
    }
    out
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
