//! JSON pointers (RFC 6901) into the document, and the one place `$ref`s are followed.

#[cfg(feature = "model")]
use serde_json::Value;

/// Escapes one reference token of a JSON pointer (`~` and `/`).
///
/// ```
/// assert_eq!(amazon_music_spec::escape_pointer_token("/albums/{id}"), "~1albums~1{id}");
/// ```
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_pointer_token`].
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(feature = "model")]
/// A `$ref` that cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRef {
    /// JSON pointer to the object that holds the `$ref`.
    pub at: String,
    /// The `$ref`'s text.
    pub target: String,
    /// Why it leads nowhere: outside the document, to nothing, or round in a loop.
    pub reason: String,
}

#[cfg(feature = "model")]
/// How many `$ref`s in a row are followed before the chain counts as a loop.
const MAX_HOPS: usize = 32;

#[cfg(feature = "model")]
/// Where following the `$ref`s from a pointer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved<'d> {
    /// The value reached, and its pointer.
    Found(String, &'d Value),
    /// A `$ref` that cannot be followed: the pointer of the object holding it, its target, and
    /// why.
    Broken {
        at: String,
        target: String,
        reason: &'static str,
    },
    /// Nothing at the pointer itself.
    Missing,
}

#[cfg(feature = "model")]
/// Follows `$ref`s from `pointer` (local references only) to the value they lead to.
pub(crate) fn resolve<'d>(document: &'d Value, pointer: &str) -> Resolved<'d> {
    let mut pointer = pointer.to_owned();
    let Some(mut value) = document.pointer(&pointer) else {
        return Resolved::Missing;
    };
    for _ in 0..MAX_HOPS {
        let Some(target) = value.get("$ref") else {
            return Resolved::Found(pointer, value);
        };
        let Some(target) = target.as_str() else {
            return Resolved::Broken {
                at: pointer,
                target: target.to_string(),
                reason: "the $ref is not a string",
            };
        };
        let Some(next) = target.strip_prefix('#') else {
            return Resolved::Broken {
                at: pointer,
                target: target.to_owned(),
                reason: "the $ref points outside the document",
            };
        };
        match document.pointer(next) {
            Some(found) => {
                pointer = next.to_owned();
                value = found;
            }
            None => {
                return Resolved::Broken {
                    at: pointer,
                    target: target.to_owned(),
                    reason: "the $ref names nothing in the document",
                };
            }
        }
    }
    Resolved::Broken {
        at: pointer,
        target: value
            .get("$ref")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        reason: "the $refs form a loop",
    }
}

#[cfg(feature = "model")]
/// `base` with one more token.
pub(crate) fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "model")]
    use serde_json::json;

    #[cfg(feature = "model")]
    #[test]
    fn a_reference_leads_to_its_local_target_and_stops_at_an_external_or_looping_one() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Far": {"$ref": "other.yaml#/B"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Gone": {"$ref": "#/nowhere"},
            "Odd": {"$ref": 7}
        }}});
        assert_eq!(
            resolve(&doc, "/components/schemas/A"),
            Resolved::Found("/components/schemas/B".into(), &json!({"type": "string"}))
        );
        // Where the external reference was met, not a pointer made of its text.
        let far = resolve(&doc, "/components/schemas/Far");
        assert!(
            matches!(&far, Resolved::Broken { at, reason, .. }
                if at == "/components/schemas/Far" && reason.contains("outside")),
            "{far:?}"
        );
        for (name, why) in [("Loop", "loop"), ("Gone", "nothing"), ("Odd", "string")] {
            let broken = resolve(&doc, &format!("/components/schemas/{name}"));
            assert!(
                matches!(&broken, Resolved::Broken { reason, .. } if reason.contains(why)),
                "{name}: {broken:?}"
            );
        }
        assert_eq!(resolve(&doc, "/missing"), Resolved::Missing);
    }

    #[test]
    fn tokens_round_trip() {
        for token in ["a/b", "~1", "x~y/z", ""] {
            assert_eq!(unescape_pointer_token(&escape_pointer_token(token)), token);
        }
    }

    #[cfg(feature = "model")]
    #[test]
    fn a_token_joins_a_pointer_escaped() {
        assert_eq!(join("/paths", "/a/{b}"), "/paths/~1a~1{b}");
    }
}
