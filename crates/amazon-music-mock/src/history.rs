//! What each user played recently, fed by the playback sessions, and Get Recently Played
//! Tracks' pages of it.
//!
//! A track is listed once, at the last time it played: playing it again moves it to the top.
//! Plays are numbered as they come, and a page's `pageInfo.token` (`<playedAt ms>:<number>`,
//! the shape of the documented token) names its last play; the next page lists the plays
//! before it. So a listing neither skips nor repeats a track while other tracks are played
//! between pages (they go above the page already seen).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, SecondsFormat};
use serde_json::{Value, json};

use crate::catalog::{Catalog, TrackRef};
use crate::error::ApiError;

/// Plays each user's history keeps; older ones are forgotten.
const KEPT: usize = 500;

#[derive(Debug, Clone, Copy)]
struct Play {
    track: TrackRef,
    /// Milliseconds since the Unix epoch; later plays have later times.
    at_ms: i64,
}

#[derive(Debug, Default)]
struct Recent {
    next_seq: u64,
    plays: BTreeMap<u64, Play>,
    /// Each track's one play, keyed by (album, index).
    by_track: HashMap<(usize, usize), u64>,
    last_ms: i64,
}

/// The recently played tracks of every user.
#[derive(Debug, Default)]
pub(crate) struct History {
    users: Mutex<HashMap<String, Recent>>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `ms` as the API writes a time, `2022-03-29T09:29:32.376Z`.
fn timestamp(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl History {
    /// Notes that `user` played `track` now.
    pub(crate) fn record(&self, user: &str, track: TrackRef) {
        self.record_at(user, track, now_ms());
    }

    fn record_at(&self, user: &str, track: TrackRef, clock_ms: i64) {
        let mut users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let recent = users.entry(user.to_owned()).or_default();
        // Never earlier than the play before: the list is newest first by time as by number.
        let at_ms = clock_ms.max(recent.last_ms.saturating_add(1));
        recent.last_ms = at_ms;
        let key = (track.album, track.index);
        if let Some(old) = recent.by_track.remove(&key) {
            recent.plays.remove(&old);
        }
        let seq = recent.next_seq;
        recent.next_seq += 1;
        recent.plays.insert(seq, Play { track, at_ms });
        recent.by_track.insert(key, seq);
        while recent.plays.len() > KEPT {
            if let Some((_, oldest)) = recent.plays.pop_first() {
                recent
                    .by_track
                    .remove(&(oldest.track.album, oldest.track.index));
            }
        }
    }

    /// One page of `user`'s recently played tracks, newest first: the connection
    /// (`RecentTrackPlaybackConnection`).
    pub(crate) fn page(
        &self,
        user: &str,
        catalog: &Catalog,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Value, ApiError> {
        let before = match cursor {
            None => u64::MAX,
            Some(text) => text
                .split_once(':')
                .and_then(|(_, seq)| seq.parse::<u64>().ok())
                .ok_or_else(|| ApiError::foreign_cursor(text))?,
        };
        let users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        let empty = BTreeMap::new();
        let plays = users.get(user).map_or(&empty, |r| &r.plays);
        let mut older = plays.range(..before).rev();
        let page: Vec<(&u64, &Play)> = older.by_ref().take(limit).collect();
        let has_next = older.next().is_some();
        let edges: Vec<Value> = page
            .iter()
            .map(|(_, play)| {
                let album = catalog.album_at(play.track.album);
                let track = &album.tracks[play.track.index];
                json!({"playedAt": timestamp(play.at_ms), "node": album.track_json(track)})
            })
            .collect();
        let mut page_info = json!({"hasNextPage": has_next});
        if let Some((seq, play)) = page.last().filter(|_| has_next) {
            page_info["token"] = Value::String(format!("{}:{seq}", play.at_ms));
        }
        Ok(json!({"pageInfo": page_info, "edgeCount": edges.len(), "edges": edges}))
    }

    /// `user`'s tracks, newest first, at most `limit` (for views).
    pub(crate) fn latest(&self, user: &str, limit: usize) -> Vec<TrackRef> {
        let users = self.users.lock().unwrap_or_else(|e| e.into_inner());
        users
            .get(user)
            .map(|r| {
                r.plays
                    .values()
                    .rev()
                    .take(limit)
                    .map(|p| p.track)
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(page: &Value) -> Vec<String> {
        page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    }

    fn at(catalog: &Catalog, id: &str) -> TrackRef {
        catalog.track(id).unwrap()
    }

    #[test]
    fn newest_first_once_per_track_with_times_that_never_go_back() {
        let catalog = Catalog::generate(0, 5);
        let history = History::default();
        // The clock stands still and even goes back: times still follow the order of plays.
        history.record_at("u", at(&catalog, "B0064UPUDC"), 5_000);
        history.record_at("u", at(&catalog, "B0BS2S4WXN"), 5_000);
        history.record_at("u", at(&catalog, "B076YT2CBT"), 4_000);
        history.record_at("u", at(&catalog, "B0064UPUDC"), 4_000);
        history.record_at("other", at(&catalog, "B0BS2S4WXN"), 1);
        let page = history.page("u", &catalog, 60, None).unwrap();
        assert_eq!(ids(&page), ["B0064UPUDC", "B076YT2CBT", "B0BS2S4WXN"]);
        let times: Vec<&str> = page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["playedAt"].as_str().unwrap())
            .collect();
        assert_eq!(
            times,
            [
                "1970-01-01T00:00:05.003Z",
                "1970-01-01T00:00:05.002Z",
                "1970-01-01T00:00:05.001Z"
            ]
        );
        assert_eq!(page["pageInfo"], json!({"hasNextPage": false}));
        assert_eq!(
            ids(&history.page("nobody", &catalog, 5, None).unwrap()).len(),
            0
        );
    }

    #[test]
    fn pages_neither_skip_nor_repeat_while_more_is_played() {
        let catalog = Catalog::generate(0, 5);
        let history = History::default();
        let tracks: Vec<TrackRef> = catalog
            .all_tracks()
            .take(7)
            .map(|(_, t)| at(&catalog, &t.id))
            .collect();
        for track in &tracks[..5] {
            history.record("u", *track);
        }
        let first = history.page("u", &catalog, 2, None).unwrap();
        let token = first["pageInfo"]["token"].as_str().unwrap().to_owned();
        history.record("u", tracks[5]);
        let mut seen = ids(&first);
        let mut cursor = Some(token);
        while let Some(c) = cursor {
            let page = history.page("u", &catalog, 2, Some(&c)).unwrap();
            seen.extend(ids(&page));
            cursor = page["pageInfo"]["token"].as_str().map(str::to_owned);
        }
        let mut expected: Vec<String> = catalog
            .all_tracks()
            .take(5)
            .map(|(_, t)| t.id.clone())
            .collect();
        expected.reverse();
        assert_eq!(seen, expected);
        assert_eq!(
            history
                .page("u", &catalog, 2, Some("abc"))
                .unwrap_err()
                .code,
            "BAD_REQUEST"
        );
    }

    #[test]
    fn only_the_latest_plays_are_kept() {
        let catalog = Catalog::generate(0, 200);
        let history = History::default();
        let tracks: Vec<TrackRef> = catalog
            .all_tracks()
            .take(KEPT + 3)
            .map(|(_, t)| at(&catalog, &t.id))
            .collect();
        for track in &tracks {
            history.record("u", *track);
        }
        let kept = history.latest("u", usize::MAX);
        assert_eq!(kept.len(), KEPT);
        assert_eq!(kept[0].index, tracks[KEPT + 2].index);
        assert_eq!(kept[0].album, tracks[KEPT + 2].album);
    }
}
