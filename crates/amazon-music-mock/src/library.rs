//! Each user's library of saved albums, and the three library operations.
//!
//! Entries are numbered in the order they are saved and listed in that order. A page's
//! `pageInfo.token` is the number of its last entry, and the next page starts after it. So
//! a listing neither skips nor repeats an album that stays in the library while other requests
//! add (new entries go after every existing one) or remove (a removed entry just stops
//! appearing) albums between pages.

use std::collections::hash_map;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::prng::Prng;

#[derive(Debug)]
struct Entry {
    album: String,
    object_id: String,
}

#[derive(Debug, Default)]
struct Library {
    next_seq: u64,
    entries: BTreeMap<u64, Entry>,
    by_album: HashMap<String, u64>,
}

#[derive(Debug, Default)]
struct Users {
    by_name: HashMap<String, Library>,
    /// Entries of every library together, kept with `by_name`.
    entries: usize,
}

/// The libraries of every user, created on first use with the configured initial albums.
#[derive(Debug)]
pub(crate) struct Libraries {
    seed: u64,
    initial: Vec<String>,
    max_entries: usize,
    users: Mutex<Users>,
}

impl Libraries {
    pub(crate) fn new(seed: u64, initial: Vec<String>, max_entries: usize) -> Self {
        Self {
            seed,
            initial,
            max_entries: max_entries.max(1),
            users: Mutex::new(Users::default()),
        }
    }

    /// Runs `f` on `user`'s library with the count of every library's entries, which `f`
    /// keeps true.
    fn with_library<T>(
        &self,
        user: &str,
        f: impl FnOnce(&mut Library, &mut usize, &mut Prng) -> T,
    ) -> T {
        let mut guard = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let users = &mut *guard;
        let library = match users.by_name.entry(user.to_owned()) {
            hash_map::Entry::Occupied(found) => found.into_mut(),
            // Given whatever the total: users come from the tokens, not from callers.
            hash_map::Entry::Vacant(place) => {
                let mut library = Library::default();
                let mut prng = Prng::derived(self.seed, user, 0);
                for album in &self.initial {
                    users.entries += usize::from(library.insert(album, &mut prng));
                }
                place.insert(library)
            }
        };
        // Entry ids depend on the user and the entry's number only, never on other users.
        let mut prng = Prng::derived(self.seed, user, library.next_seq + 1);
        f(library, &mut users.entries, &mut prng)
    }

    /// Get Current User's Library Albums.
    pub(crate) fn list(
        &self,
        user: &str,
        catalog: &Catalog,
        limit: usize,
        cursor: Option<&str>,
        album_ids: Option<&[String]>,
    ) -> Result<Value, ApiError> {
        let after = match cursor {
            None => None,
            Some(text) => Some(
                text.parse::<u64>()
                    .map_err(|_| ApiError::foreign_cursor(text))?,
            ),
        };
        let filter: Option<HashSet<&str>> =
            album_ids.map(|ids| ids.iter().map(String::as_str).collect());
        self.with_library(user, |library, _, _| {
            let start = after.map_or(0, |seq| seq.saturating_add(1));
            let mut matching = library
                .entries
                .range(start..)
                .filter(|(_, e)| filter.as_ref().is_none_or(|f| f.contains(e.album.as_str())));
            let page: Vec<(&u64, &Entry)> = matching.by_ref().take(limit).collect();
            let has_next = matching.next().is_some();
            let edges: Vec<Value> = page
                .iter()
                .map(|(_, entry)| {
                    let node = catalog
                        .album(&entry.album)
                        .map_or_else(|| json!({"id": entry.album}), |a| a.summary_json());
                    json!({
                        "node": node,
                        "purchased": false,
                        "uploaded": false,
                        "objectId": entry.object_id,
                    })
                })
                .collect();
            let mut page_info = json!({ "hasNextPage": has_next });
            if let Some((seq, _)) = page.last().filter(|_| has_next) {
                page_info["token"] = Value::String(seq.to_string());
            }
            Ok(json!({
                "data": {
                    "user": {
                        "id": user,
                        "libraryAlbums": {
                            "pageInfo": page_info,
                            "edgeCount": edges.len(),
                            "edges": edges,
                        }
                    }
                }
            }))
        })
    }

    /// Add Album to Current User's Library: saving a saved album changes nothing.
    pub(crate) fn add(&self, user: &str, catalog: &Catalog, id: &str) -> Result<Value, ApiError> {
        let album = catalog
            .album(id)
            .ok_or_else(|| ApiError::not_found(format!("No album has the id {id}.")))?;
        self.with_library(user, |library, entries, prng| {
            if library.by_album.contains_key(id) {
                return Ok(());
            }
            // Refused, not made room for: forgetting an entry would drop an album some user
            // saved, and the queues refuse inserts beyond their bound the same way.
            if *entries >= self.max_entries {
                return Err(ApiError::bad_request(format!(
                    "the libraries of all users already hold {entries} entries, the most this \
                     mock keeps (max_library_entries); remove an album first"
                )));
            }
            *entries += usize::from(library.insert(id, prng));
            Ok(())
        })?;
        Ok(json!({"data": {"saveAlbum": {"album": album.summary_json(), "saveState": "SAVED"}}}))
    }

    /// Delete Album From Current User's Library: removing an absent album changes nothing.
    pub(crate) fn remove(
        &self,
        user: &str,
        catalog: &Catalog,
        id: &str,
    ) -> Result<Value, ApiError> {
        let album = catalog
            .album(id)
            .ok_or_else(|| ApiError::not_found(format!("No album has the id {id}.")))?;
        self.with_library(user, |library, entries, _| {
            if let Some(seq) = library.by_album.remove(id) {
                library.entries.remove(&seq);
                *entries -= 1;
            }
        });
        Ok(
            json!({"data": {"removeAlbum": {"album": album.summary_json(), "saveState": "REMOVED"}}}),
        )
    }
}

impl Library {
    /// Saves `album` unless it is saved already; whether it was added.
    fn insert(&mut self, album: &str, prng: &mut Prng) -> bool {
        if self.by_album.contains_key(album) {
            return false;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.insert(
            seq,
            Entry {
                album: album.to_owned(),
                object_id: prng.uuid(),
            },
        );
        self.by_album.insert(album.to_owned(), seq);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(page: &Value) -> Vec<String> {
        page["data"]["user"]["libraryAlbums"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    }

    fn token(page: &Value) -> Option<String> {
        page["data"]["user"]["libraryAlbums"]["pageInfo"]["token"]
            .as_str()
            .map(str::to_owned)
    }

    #[test]
    fn pages_stay_gap_free_while_albums_come_and_go() {
        let catalog = Catalog::generate(1, 50);
        let all: Vec<String> = catalog.album_ids().map(str::to_owned).collect();
        let libs = Libraries::new(1, all[..10].to_vec(), 100);
        let first = libs.list("u", &catalog, 4, None, None).unwrap();
        assert_eq!(ids(&first), all[..4]);
        // Between pages: remove one already listed and one not yet listed, add a new one.
        libs.remove("u", &catalog, &all[1]).unwrap();
        libs.remove("u", &catalog, &all[6]).unwrap();
        libs.add("u", &catalog, &all[20]).unwrap();
        let mut seen = ids(&first);
        let mut cursor = token(&first);
        while let Some(c) = cursor {
            let page = libs.list("u", &catalog, 4, Some(&c), None).unwrap();
            seen.extend(ids(&page));
            cursor = token(&page);
        }
        let mut expected: Vec<String> = all[..10]
            .iter()
            .filter(|id| **id != all[6])
            .cloned()
            .collect();
        expected.push(all[20].clone());
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_foreign_cursor_is_a_bad_request_and_saving_twice_changes_nothing() {
        let catalog = Catalog::generate(1, 5);
        let libs = Libraries::new(1, vec![], 100);
        let err = libs.list("u", &catalog, 5, Some("abc"), None).unwrap_err();
        assert_eq!(err.code, "BAD_REQUEST");
        let id = catalog.album_ids().next().unwrap().to_owned();
        libs.add("u", &catalog, &id).unwrap();
        libs.add("u", &catalog, &id).unwrap();
        let page = libs.list("u", &catalog, 5, None, None).unwrap();
        assert_eq!(ids(&page), [id]);
        assert_eq!(
            libs.add("u", &catalog, "B000000000").unwrap_err().code,
            "RESOURCE_NOT_FOUND"
        );
    }

    /// Every entry of a library has its own `objectId`, those saved later included: each
    /// save draws from its own sequence, never again from the one the initial library used.
    #[test]
    fn every_entry_has_its_own_object_id() {
        let catalog = Catalog::generate(2, 20);
        let all: Vec<String> = catalog.album_ids().map(str::to_owned).collect();
        let libs = Libraries::new(2, all[..3].to_vec(), 100);
        for id in &all[3..6] {
            libs.add("u", &catalog, id).unwrap();
        }
        let page = libs.list("u", &catalog, 10, None, None).unwrap();
        let object_ids: std::collections::BTreeSet<&str> =
            page["data"]["user"]["libraryAlbums"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["objectId"].as_str().unwrap())
                .collect();
        assert_eq!(object_ids.len(), 6, "{object_ids:?}");
    }
}
