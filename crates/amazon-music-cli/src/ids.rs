//! Ids checked before anything is sent: an id of an impossible shape is a usage error (exit 2)
//! naming the id, never a request the API answers with a puzzling 400 or 404.

use crate::exit::Failure;

/// Refuses an id that cannot name anything: empty, with whitespace or control characters,
/// with a `/` or a `\` (which URL parsing reads as `/`), or containing `..` (which URL
/// normalization would turn into another path).
pub fn check<'a>(what: &str, id: &'a str) -> Result<&'a str, Failure> {
    let problem = if id.is_empty() {
        Some("it is empty")
    } else if id.chars().any(char::is_whitespace) {
        Some("it contains whitespace")
    } else if id.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if id.contains('/') {
        Some("it contains '/'")
    } else if id.contains('\\') {
        Some("it contains '\\'")
    } else if id.contains("..") || id == "." {
        Some("it contains a dot segment")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Failure::usage(format!("invalid {what} {id:?}: {problem}"))),
        None => Ok(id),
    }
}

/// Checks every id of a list, so a bad one stops the command before any request.
pub fn check_all<'a>(what: &str, ids: &'a [String]) -> Result<Vec<&'a str>, Failure> {
    ids.iter().map(|id| check(what, id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_shapes_are_refused_with_the_reason() {
        for (id, reason) in [
            ("", "it is empty"),
            ("B00 64", "it contains whitespace"),
            (" B0064UPU4G", "it contains whitespace"),
            ("B0064/UPU4G", "it contains '/'"),
            ("a\\b", "it contains '\\'"),
            ("..", "it contains a dot segment"),
            ("a..b", "it contains a dot segment"),
            (".", "it contains a dot segment"),
            ("B\u{7}", "it contains a control character"),
        ] {
            let failure = check("album id", id).unwrap_err();
            assert_eq!(failure.status, crate::exit::Status::Usage);
            assert_eq!(
                failure.message,
                format!("invalid album id {id:?}: {reason}")
            );
        }
        assert_eq!(check("album id", "B0064UPU4G").unwrap(), "B0064UPU4G");
    }
}
