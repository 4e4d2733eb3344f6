//! The committed digest of page facts (`spec/docs-facts.yaml`): what the pages said when they
//! were last reviewed, so that an edited page shows as a diff of facts rather than of prose.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

/// Facts per page, by page name (its name in `spec/docs-pages.yaml`, or a page file's name
/// without its extension).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    /// Page name → facts in page order.
    pub pages: BTreeMap<String, Vec<String>>,
}

/// How a page's facts changed since the digest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Facts the page states now and did not then.
    pub added: Vec<String>,
    /// Facts the page stated then and does not now.
    pub removed: Vec<String>,
}

impl Change {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

const HEADER: &str = "\
# Facts extracted by `amazon-music docs-check` from Amazon's published reference pages
# (listed in spec/docs-pages.yaml) as last reviewed: one line per fact, in docs-check's vocabulary
# (see amazon_music_conformance::docs::facts), never the pages' prose. Regenerate with
# `amazon-music docs-check --update-digest` after reviewing a change.
";

impl Digest {
    /// Parses the digest's YAML.
    pub fn from_yaml_str(text: &str) -> Result<Self, String> {
        serde_norway::from_str(text).map_err(|e| e.to_string())
    }

    /// The digest as YAML, with its explanatory header.
    pub fn to_yaml(&self) -> String {
        let body = serde_norway::to_string(self).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    /// How `facts` differ from what the digest holds for `page`; `None` when it has no entry.
    pub fn change(&self, page: &str, facts: &[String]) -> Option<Change> {
        let before = self.pages.get(page)?;
        let old: HashSet<&String> = before.iter().collect();
        let new: HashSet<&String> = facts.iter().collect();
        Some(Change {
            added: facts.iter().filter(|f| !old.contains(f)).cloned().collect(),
            removed: before
                .iter()
                .filter(|f| !new.contains(f))
                .cloned()
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Change, Digest};

    /// The committed digest is exactly what `--update-digest` would write for its facts, header
    /// included, so regenerating it after a review changes facts only.
    #[test]
    fn the_committed_digest_is_as_update_digest_writes_it() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/docs-facts.yaml");
        let committed = std::fs::read_to_string(path).unwrap();
        let digest = Digest::from_yaml_str(&committed).unwrap();
        assert!(digest.pages.len() >= 2, "{:?}", digest.pages.keys());
        assert_eq!(digest.to_yaml(), committed);
    }

    #[test]
    fn a_change_is_empty_only_with_nothing_added_and_nothing_removed() {
        let one = || vec!["GET /albums".to_owned()];
        assert!(Change::default().is_empty());
        for change in [
            Change {
                added: one(),
                removed: vec![],
            },
            Change {
                added: vec![],
                removed: one(),
            },
            Change {
                added: one(),
                removed: one(),
            },
        ] {
            assert!(!change.is_empty(), "{change:?}");
        }
    }
}
