//! Lookups of any number of catalog ids through an operation that takes at most 100 at once
//! (`getAlbums`, `getArtists`): ids checked and de-duplicated first, requests run a few at a
//! time, results in the order asked, unknown ids listed.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use futures_util::{StreamExt, TryStreamExt, stream};

use crate::types::CatalogId;
use crate::{Result, ids};

/// The most ids one batch request takes (the spec's `maxItems` of `getAlbums` and `getArtists`).
pub(crate) const MAX_IDS_PER_REQUEST: usize = 100;

/// What a batched lookup found, in the order asked, and the ids it did not.
pub(crate) struct Found<T> {
    pub(crate) found: Vec<T>,
    pub(crate) missing: Vec<String>,
}

/// Looks `asked` up, `concurrency` requests at once, each of at most
/// [`MAX_IDS_PER_REQUEST`] ids; `id_of` says which id an answer is for. Every id is checked
/// (named `what`) before the first request.
pub(crate) async fn lookup<I, S, T, F, Fut>(
    what: &'static str,
    asked: I,
    concurrency: usize,
    fetch: F,
    id_of: fn(&T) -> &str,
) -> Result<Found<T>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
    F: Fn(Vec<CatalogId>) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    let mut seen = HashSet::new();
    let mut unique = Vec::new();
    for id in asked {
        let id = ids::catalog_id(what, id.as_ref())?;
        if seen.insert(id.to_string()) {
            unique.push(id);
        }
    }
    let chunks: Vec<Vec<CatalogId>> = unique
        .chunks(MAX_IDS_PER_REQUEST)
        .map(<[CatalogId]>::to_vec)
        .collect();
    let answers: Vec<Vec<T>> = stream::iter(chunks)
        .map(fetch)
        .buffered(concurrency)
        .try_collect()
        .await?;
    let mut by_id: HashMap<String, T> = answers
        .into_iter()
        .flatten()
        .map(|item| (id_of(&item).to_owned(), item))
        .collect();
    let mut found = Found {
        found: Vec::new(),
        missing: Vec::new(),
    };
    for id in unique {
        match by_id.remove(id.as_str()) {
            Some(item) => found.found.push(item),
            None => found.missing.push(id.to_string()),
        }
    }
    Ok(found)
}
