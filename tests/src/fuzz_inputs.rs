//! The committed inputs of a fuzz target, for its stable twin to replay in `cargo test`.

use std::path::PathBuf;

use crate::workspace_root;

/// Every committed seed (`fuzz/corpus/<target>/`) and every input that once failed
/// (`fuzz/regressions/<target>/`) of the fuzz target `target`, with its path, sorted by path.
///
/// Panics when a folder cannot be read: a replay that silently read nothing would pass.
pub fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut inputs = Vec::new();
    for folder in ["corpus", "regressions"] {
        let dir = workspace_root().join("fuzz").join(folder).join(target);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            // The folder's placeholder, kept so that git keeps an empty folder.
            if path.file_name().is_some_and(|name| name == ".gitkeep") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            inputs.push((path, bytes));
        }
    }
    inputs.sort();
    inputs
}

/// Runs `check` on every input of [`fuzz_inputs`], naming the file whose input made it panic.
pub fn replay(target: &str, check: impl Fn(&[u8])) {
    let inputs = fuzz_inputs(target);
    assert!(!inputs.is_empty(), "no committed input for {target}");
    for (path, bytes) in inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        if let Err(panic) = outcome {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            panic!("{}: {why}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::replay;

    #[test]
    #[should_panic(expected = "fuzz/corpus/decode_responses/")]
    fn a_panicking_check_is_reported_with_the_inputs_file() {
        replay("decode_responses", |_| panic!("boom"));
    }
}
