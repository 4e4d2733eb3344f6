//! The recorded exchanges kept as evidence under `spec/recordings/`, each with the schema the
//! spec gives its response, for tests that decode them with the generated types.

use std::path::{Path, PathBuf};

use amazon_music_conformance::{Body, Router, Spec, escape_pointer_token, parse_recorded};
use serde_json::Value;

use crate::examples::resolve;

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
    let router = Router::new(spec);
    let raw = spec.raw();
    let mut files = Vec::new();
    collect_json(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let exchange = parse_recorded(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let Body::Json(body) = exchange.body else {
            continue;
        };
        let route = router
            .find(&exchange.method, &exchange.url)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no operation serves {} {}",
                    file.display(),
                    exchange.method,
                    exchange.url
                )
            });
        let operation = format!(
            "/paths/{}/{}",
            escape_pointer_token(route.template),
            route.method.to_ascii_lowercase()
        );
        let status = exchange.status.to_string();
        let class = format!("{}XX", &status[..1]);
        let response = [status.as_str(), class.as_str(), "default"]
            .into_iter()
            .map(|key| format!("{operation}/responses/{key}"))
            .find(|at| raw.pointer(at).is_some())
            .unwrap_or_else(|| panic!("{}: {operation} has no response {status}", file.display()));
        let response = resolve(raw, &response);
        out.push(RecordedResponse {
            file,
            operation_id: route.operation_id.to_owned(),
            status: exchange.status,
            schema: resolve(raw, &format!("{response}/content/application~1json/schema")),
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

/// Every non-null scalar of `value`, with its JSON pointer. A value that a decoder keeps must
/// be found at the same pointer after re-encoding; `null`s are absent values and may vanish.
pub fn scalars(value: &Value) -> Vec<(String, Value)> {
    fn walk(value: &Value, at: &str, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (key, item) in map {
                    walk(item, &format!("{at}/{}", escape_pointer_token(key)), out);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), out);
                }
            }
            scalar => out.push((at.to_owned(), scalar.clone())),
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}
