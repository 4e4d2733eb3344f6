//! Path parameters, checked before the generated code puts them in a URL (the generation step
//! routes every `encode_path` argument through [`segment`]).

/// Refuses `.` and `..` as a path parameter. Percent-encoding leaves them as they are (they are
/// legal in a segment, and `%2E` is decoded back by URL parsing), and URL normalization then
/// removes them with the segment before: a session id `..` would send
/// `GET /playback/sessions/../current` to `/playback/current`, another operation's path.
pub(crate) fn segment(value: String) -> Result<String, String> {
    if value == "." || value == ".." {
        return Err(format!(
            "path parameter {value:?} is a dot segment, which would change the request's path"
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn dot_segments_are_refused_and_everything_else_passes() {
        assert!(segment(".".into()).is_err());
        assert!(segment("..".into()).is_err());
        for fine in ["...", ".a", "a..", "B0064UPU4G", "%2E", "a/b"] {
            assert_eq!(segment(fine.into()).as_deref(), Ok(fine));
        }
    }
}
