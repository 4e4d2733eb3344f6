//! A checkout of this project, found from the current directory: where `validate` and
//! `docs-check` take their defaults (the spec, the corrections ledger, the facts digest, the
//! list of Amazon's reference pages) when run by a maintainer. An installed binary run
//! elsewhere has none and uses its built-in spec and page list, or the paths it is given.

use std::path::{Path, PathBuf};

/// The nearest directory, from the current one up, that holds `spec/openapi.yaml` and
/// `spec/corrections.yaml`.
pub fn find() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    here.ancestors()
        .find(|dir| is_checkout(dir))
        .map(Path::to_path_buf)
}

fn is_checkout(dir: &Path) -> bool {
    dir.join("spec/openapi.yaml").is_file() && dir.join("spec/corrections.yaml").is_file()
}
