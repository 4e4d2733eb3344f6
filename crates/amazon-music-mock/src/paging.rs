//! Pages of the API's connections (`{pageInfo, edgeCount, edges}`) over lists that do not
//! change while they are read (the catalog, seeded per-user lists, a search's results).
//!
//! Two token shapes, as the pages show them: lists whose edges carry a cursor use
//! `<index>:<id>` (playlists, podcast episodes), the rest a plain position.

use serde_json::{Value, json};

use crate::error::ApiError;

/// Which items a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Window {
    pub(crate) fn has_next(&self, len: usize) -> bool {
        self.end < len
    }
}

/// The page of `limit` items of a list of `len` that `token` (a position) continues at.
pub(crate) fn by_position(
    len: usize,
    limit: usize,
    token: Option<&str>,
) -> Result<Window, ApiError> {
    let start = match token {
        None => 0,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| ApiError::foreign_cursor(text))?
            .min(len),
    };
    Ok(Window {
        start,
        end: start.saturating_add(limit).min(len),
    })
}

/// The token of the page after `window`, if there is one.
pub(crate) fn position_token(window: Window, len: usize) -> Option<String> {
    window.has_next(len).then(|| window.end.to_string())
}

/// The cursor of the item at `index` whose id is `id`.
pub(crate) fn index_cursor(index: usize, id: &str) -> String {
    format!("{index}:{id}")
}

/// The page of `limit` items of `ids` after the item `cursor` (an edge's cursor) names. A
/// cursor whose index does not hold its id was not made for this list.
pub(crate) fn after_cursor(
    ids: &[&str],
    limit: usize,
    cursor: Option<&str>,
) -> Result<Window, ApiError> {
    let start = match cursor {
        None => 0,
        Some(text) => {
            let (index, id) = text
                .split_once(':')
                .ok_or_else(|| ApiError::foreign_cursor(text))?;
            let index: usize = index.parse().map_err(|_| ApiError::foreign_cursor(text))?;
            if ids.get(index) != Some(&id) {
                return Err(ApiError::foreign_cursor(text));
            }
            index + 1
        }
    };
    Ok(Window {
        start,
        end: start.saturating_add(limit).min(ids.len()),
    })
}

/// A connection of `edges`, with the next page's token when there is one.
pub(crate) fn connection(edges: Vec<Value>, token: Option<String>) -> Value {
    let mut page_info = json!({"hasNextPage": token.is_some()});
    if let Some(token) = token {
        page_info["token"] = Value::String(token);
    }
    json!({"pageInfo": page_info, "edgeCount": edges.len(), "edges": edges})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_walk_the_list_once() {
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let window = by_position(7, 3, token.as_deref()).unwrap();
            seen.extend(window.start..window.end);
            token = position_token(window, 7);
            if token.is_none() {
                break;
            }
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
        assert_eq!(
            by_position(7, 3, Some("99")).unwrap(),
            Window { start: 7, end: 7 }
        );
        assert_eq!(
            by_position(7, 3, Some("x")).unwrap_err().code,
            "BAD_REQUEST"
        );
    }

    #[test]
    fn a_cursor_continues_after_its_item_and_must_name_it() {
        let ids = ["a", "b", "c"];
        assert_eq!(
            after_cursor(&ids, 2, None).unwrap(),
            Window { start: 0, end: 2 }
        );
        let next = after_cursor(&ids, 2, Some(&index_cursor(1, "b"))).unwrap();
        assert_eq!(next, Window { start: 2, end: 3 });
        assert!(!next.has_next(ids.len()));
        for foreign in ["1:c", "9:a", "b", "x:b"] {
            assert_eq!(
                after_cursor(&ids, 2, Some(foreign)).unwrap_err().code,
                "BAD_REQUEST",
                "{foreign}"
            );
        }
        assert_eq!(
            connection(vec![json!({"node": {"id": "a"}})], Some("0:a".into())),
            json!({"pageInfo": {"hasNextPage": true, "token": "0:a"}, "edgeCount": 1,
                   "edges": [{"node": {"id": "a"}}]})
        );
    }
}
