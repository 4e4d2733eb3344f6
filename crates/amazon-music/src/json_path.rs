//! Where in a JSON body serde_json stopped: the JSON path of a decoding error.
//!
//! A [`crate::Error::Decode`] names the path where the body departs from the spec
//! (`data.albums[0].trackCount`). Decoding again with a path-tracking deserializer would say
//! the same, but it instantiates every response type's `Deserialize` a second time, for the
//! tracking deserializer: that was most of this crate's compiled code and a second and more of
//! every dependant's build. serde_json's error already carries the line and column where it
//! stopped; this module walks the body's bytes up to that point, keeping the stack of objects
//! and arrays it is in, and names the key or index in each. The path is written as
//! serde_path_to_error writes its paths (a test holds the two equal on the generated types).

/// One container the walk is inside.
enum Frame {
    /// An object, with the key whose value the walk is in or has just read (`None` before the
    /// first key is complete).
    Object(Option<String>),
    /// An array, with the index of the element the walk is in.
    Array(usize),
}

/// The JSON path at which `error` stopped reading `body`: keys joined by `.`, array indices
/// as `[i]`, `.` for the document itself (serde_path_to_error's notation).
pub(crate) fn of_error(body: &[u8], error: &serde_json::Error) -> String {
    if error.line() == 0 {
        // Not tied to a position in the input.
        return ".".to_owned();
    }
    path_at(body, offset(body, error.line(), error.column()))
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes before the position on
/// its line).
fn offset(body: &[u8], line: usize, column: usize) -> usize {
    let start_of_line = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(at, _)| at + 1)
    };
    (start_of_line + column).min(body.len())
}

/// The path of the value the bytes before `end` leave the walk in.
fn path_at(body: &[u8], end: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut at = 0;
    while at < end {
        match body[at] {
            b'"' => {
                let start = at;
                at += 1;
                while at < body.len() && body[at] != b'"' {
                    // An escape takes the next byte with it, a quote included.
                    at += if body[at] == b'\\' { 2 } else { 1 };
                }
                // A key counts once it is complete before `end`; a key cut by the error
                // position is not yet where the walk is.
                if expect_key && at < end {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = serde_json::from_slice::<String>(&body[start..=at]).ok();
                    }
                    expect_key = false;
                }
            }
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            _ => {}
        }
        at += 1;
    }
    render(&stack)
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Album {
        id: String,
        #[serde(rename = "trackCount")]
        track_count: Option<i64>,
        tracks: Option<Vec<Track>>,
        ratings: Option<Vec<i64>>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Track {
        id: String,
        kind: Option<Kind>,
    }

    #[derive(serde::Deserialize, Debug)]
    enum Kind {
        Song,
    }

    fn path(body: &str) -> String {
        let error = serde_json::from_str::<Album>(body).unwrap_err();
        of_error(body.as_bytes(), &error)
    }

    #[test]
    fn a_wrong_type_missing_field_or_bad_variant_is_named_where_it_is() {
        assert_eq!(path(r#"{"id":"a","trackCount":"x"}"#), "trackCount");
        assert_eq!(path(r#"{"trackCount":3}"#), ".");
        assert_eq!(path(r#"{"id":"a","tracks":[{"id":"t"},{}]}"#), "tracks[1]");
        assert_eq!(
            path(r#"{"id":"a","tracks":[{"id":"t"},{"id":"u","kind":"Film"}]}"#),
            "tracks[1].kind"
        );
        assert_eq!(
            path("{\n  \"id\": \"a\",\n  \"tracks\": [\n    {\"id\": 7}\n  ]\n}"),
            "tracks[0].id"
        );
    }

    #[test]
    fn escaped_keys_and_quotes_inside_strings_do_not_mislead_the_walk() {
        assert_eq!(
            path(r#"{"id":"a \"}\" [","tracks":[{"id":"t","kind":3}]}"#),
            "tracks[0].kind"
        );
        let body = r#"{"a\"b":{"c":1}}"#;
        let error =
            serde_json::from_str::<std::collections::BTreeMap<String, Album>>(body).unwrap_err();
        assert_eq!(of_error(body.as_bytes(), &error), "a\"b");
    }

    #[test]
    fn a_body_that_is_not_json_is_placed_where_it_breaks() {
        assert_eq!(path(r#"{"id":"a","tracks":[{"id":"#), "tracks[0].id");
        assert_eq!(path(""), ".");
        assert_eq!(path("[]"), ".");
    }

    /// A body cut inside a string is placed where the cut is; the walk never reads past the
    /// body's end, even after an escape's backslash.
    #[test]
    fn a_body_cut_inside_a_string_is_placed_where_it_breaks() {
        assert_eq!(
            path(r#"{"id":"a","tracks":[{"id":"t","kind":"So"#),
            "tracks[0].kind"
        );
        assert_eq!(path(r#"{"id":"a\"#), "id");
    }

    /// The element named is the one that failed, not the one after it.
    #[test]
    fn a_wrong_element_is_named_by_its_own_index() {
        assert_eq!(path(r#"{"id":"a","ratings":[1,"x",3]}"#), "ratings[1]");
        assert_eq!(path(r#"{"id":"a","ratings":[1,2,"x"]}"#), "ratings[2]");
        assert_eq!(path(r#"{"id":"a","ratings":[[1]]}"#), "ratings[0]");
    }

    /// The documented example answer of `operation`.
    fn example(operation: &str) -> serde_json::Value {
        let spec = amazon_music_conformance::Spec::embedded().unwrap();
        let media = spec
            .operation(operation)
            .unwrap()
            .success()
            .unwrap()
            .json()
            .unwrap();
        media.examples()[0].value().clone()
    }

    /// Every pointer to a value inside `value`, the document's own excepted.
    fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
        let children: Vec<(String, &serde_json::Value)> = match value {
            serde_json::Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
                .collect(),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => return,
        };
        for (token, child) in children {
            let pointer = format!("{at}/{token}");
            out.push(pointer.clone());
            pointers(child, pointer, out);
        }
    }

    /// The path serde_path_to_error gives for decoding `body` as `T`, if it fails.
    fn tracked<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<String> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .err()
            .map(|e| e.path().to_string())
    }

    fn ours<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<String> {
        serde_json::from_slice::<T>(body)
            .err()
            .map(|e| of_error(body, &e))
    }

    /// `example` with the value at `pointer` replaced (or removed, for `None`).
    fn broken(
        example: &serde_json::Value,
        pointer: &str,
        replacement: Option<&serde_json::Value>,
    ) -> serde_json::Value {
        let mut value = example.clone();
        let (parent, last) = pointer.rsplit_once('/').unwrap();
        let last = last.replace("~1", "/").replace("~0", "~");
        match value.pointer_mut(parent).unwrap() {
            serde_json::Value::Object(map) => match replacement {
                Some(new) => {
                    map.insert(last, new.clone());
                }
                None => {
                    map.remove(&last);
                }
            },
            serde_json::Value::Array(items) => {
                let index: usize = last.parse().unwrap();
                match replacement {
                    Some(new) => items[index] = new.clone(),
                    None => {
                        items.remove(index);
                    }
                }
            }
            _ => unreachable!("a pointer's parent is a container"),
        }
        value
    }

    /// Both paths for `body` decoded as `T`: serde_path_to_error's and this module's.
    type Check = fn(&[u8]) -> (Option<String>, Option<String>);

    fn both<T: serde::de::DeserializeOwned>(body: &[u8]) -> (Option<String>, Option<String>) {
        (tracked::<T>(body), ours::<T>(body))
    }

    /// On generated types and their documented answers, every value in turn replaced by a value
    /// of each kind or removed, written compact and pretty: wherever decoding fails, the path is
    /// the one serde_path_to_error tracks.
    #[test]
    fn the_path_is_the_one_a_tracking_deserializer_gives() {
        use amazon_music_api::types;
        let cases: [(&str, Check); 6] = [
            ("getAlbum", both::<types::GetAlbumResponse>),
            ("getAlbums", both::<types::GetAlbumsResponse>),
            ("searchTracks", both::<types::SearchTracksResponse>),
            ("getHomeView", both::<types::GetHomeViewResponse>),
            ("getPlaybackQueue", both::<types::PlaybackQueueResponse>),
            (
                "getRecentlyPlayedTracks",
                both::<types::GetRecentlyPlayedTracksResponse>,
            ),
        ];
        let replacements = [
            None,
            Some(serde_json::json!(17)),
            Some(serde_json::json!("text")),
            Some(serde_json::json!(true)),
            Some(serde_json::json!([1, "a\"}]"])),
            Some(serde_json::json!({"k\"ey": [{}]})),
            Some(serde_json::Value::Null),
        ];
        let (mut failures, mut cases_run) = (0, 0);
        for (operation, check) in cases {
            let example = example(operation);
            let mut all = Vec::new();
            pointers(&example, String::new(), &mut all);
            for pointer in &all {
                for replacement in &replacements {
                    let value = broken(&example, pointer, replacement.as_ref());
                    for body in [
                        serde_json::to_vec(&value).unwrap(),
                        serde_json::to_vec_pretty(&value).unwrap(),
                    ] {
                        let (expected, actual) = check(&body);
                        assert_eq!(expected, actual, "{}", String::from_utf8_lossy(&body));
                        cases_run += 1;
                        failures += usize::from(expected.is_some());
                    }
                }
            }
        }
        // The comparison means something only where decoding fails.
        assert!(
            failures * 4 > cases_run,
            "{failures} of {cases_run} bodies failed to decode"
        );
    }
}
