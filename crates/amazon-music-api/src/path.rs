//! Path parameters, made into one path segment each before the generated code puts them in a
//! URL (the generation step routes every path parameter through [`segment`], in place of
//! progenitor's `encode_path`).
//!
//! The URL parser the request goes through (WHATWG URL, as the `url` crate implements it) reads
//! more into a path than `/`: in an `http(s)` URL a `\` is a `/` too, and `.`, `..`, `%2e` and
//! `%2e%2e` are dot segments that take the segment before with them. progenitor's encoder left
//! `\` as it was, so an album id `..\me\library\albums` was sent to `/me/library/albums`. Here
//! every byte outside RFC 3986's unreserved set is percent-encoded, so what is left can only be
//! letters, digits, `-`, `.`, `_`, `~` and `%XX` escapes of its own making (`%` itself is
//! encoded, so no `%2e` can come through), and the three values that stay special whatever
//! the encoding are refused: the empty string (the segment would vanish or the path end in
//! `/`, another operation's), `.` and `..`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte but RFC 3986's unreserved characters (`ALPHA / DIGIT / "-" / "." / "_" / "~"`).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The path parameter `name` (as the builder method that sets it is called), percent-encoded
/// into one segment that URL parsing leaves as it is; or why it cannot be one.
pub(crate) fn segment(name: &str, value: &str) -> Result<String, String> {
    match value {
        "" => Err(format!(
            "path parameter `{name}` is empty, which would change the request's path"
        )),
        "." | ".." => Err(format!(
            "path parameter `{name}` is {value:?}, a dot segment, which would change the request's path"
        )),
        _ => Ok(encode(value)),
    }
}

/// `value` as [`segment`] puts it in a path, refused or not: the typed httpmock helpers match
/// requests against it.
#[cfg_attr(not(feature = "httpmock"), allow(dead_code))]
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn empty_and_dot_segments_are_refused_naming_the_parameter() {
        for bad in ["", ".", ".."] {
            let message = segment("session_id", bad).unwrap_err();
            assert!(message.contains("`session_id`"), "{message}");
        }
        assert!(segment("id", "..").unwrap_err().contains("dot segment"));
    }

    #[test]
    fn everything_but_unreserved_characters_is_encoded() {
        for (value, sent) in [
            ("B0064UPU4G", "B0064UPU4G"),
            ("a-b.c_d~e", "a-b.c_d~e"),
            ("...", "..."),
            (".a", ".a"),
            ("a/b", "a%2Fb"),
            ("..\\me", "..%5Cme"),
            ("%2e%2e", "%252e%252e"),
            ("?x=1#f;g", "%3Fx%3D1%23f%3Bg"),
            ("a b+c,d", "a%20b%2Bc%2Cd"),
            ("\r\n\0", "%0D%0A%00"),
            ("é💿", "%C3%A9%F0%9F%92%BF"),
        ] {
            assert_eq!(segment("id", value).as_deref(), Ok(sent), "{value:?}");
        }
    }

    /// The point of the encoding: whatever comes out, URL parsing keeps it as one segment and
    /// decodes it back to the value.
    #[test]
    fn an_encoded_segment_survives_url_parsing() {
        for value in [
            "..\\..\\me",
            "%2e%2e",
            "%2E",
            ".%2e",
            "a\\b",
            "\u{7f}\t",
            "x:y@z",
        ] {
            let encoded = segment("id", value).unwrap();
            let url = url::Url::parse(&format!("https://h.example/v1/albums/{encoded}")).unwrap();
            let segments: Vec<&str> = url.path_segments().unwrap().collect();
            assert_eq!(segments, ["v1", "albums", encoded.as_str()], "{value:?}");
            let decoded = percent_encoding::percent_decode_str(segments[2]).decode_utf8();
            assert_eq!(decoded.unwrap(), value);
        }
    }
}
