//! Line numbers of JSON pointers in the YAML text of the document.
//!
//! The YAML parser keeps no positions, so the text is walked once, line by line, tracking the block
//! mappings and sequences that contain each line. The walk understands what this project's
//! documents use (block mappings and sequences, compact `- key:` items, quoted keys, block
//! scalars, one-line flow collections); a pointer into a flow collection or a scalar resolves to
//! the line of its nearest indexed ancestor.

use std::collections::HashMap;

use crate::pointer::escape_pointer_token;

/// A map from JSON pointers into a YAML document to 1-based line numbers.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

struct Frame {
    indent: usize,
    pointer: String,
    seq: bool,
    next: usize,
}

impl LineIndex {
    /// Indexes the block structure of `text`.
    pub fn new(text: &str) -> Self {
        let mut lines = HashMap::new();
        lines.insert(String::new(), 1);
        let mut frames = vec![Frame {
            indent: 0,
            pointer: String::new(),
            seq: false,
            next: 0,
        }];
        // (indent of the key, pointer of the key) of a key whose value is on the next lines.
        let mut pending: Option<(usize, String)> = None;
        // Lines indented deeper than this belong to a block scalar.
        let mut block_scalar: Option<usize> = None;
        for (number, raw) in text.lines().enumerate() {
            let number = number + 1;
            let content = raw.trim_start();
            if content.is_empty() || content.starts_with('#') || content.starts_with("---") {
                continue;
            }
            let indent = raw.len() - content.len();
            if let Some(limit) = block_scalar {
                if indent > limit {
                    continue;
                }
                block_scalar = None;
            }
            let is_item = content == "-" || content.starts_with("- ");
            if let Some((key_indent, pointer)) = pending.take()
                && (indent > key_indent || (indent == key_indent && is_item))
            {
                while frames.last().is_some_and(|f| f.indent > key_indent) {
                    frames.pop();
                }
                frames.push(Frame {
                    indent,
                    pointer,
                    seq: is_item,
                    next: 0,
                });
            }
            while frames.len() > 1 {
                let top = frames.last().expect("non-empty");
                if top.indent > indent || (top.indent == indent && top.seq != is_item) {
                    frames.pop();
                } else {
                    break;
                }
            }
            let Some(top) = frames.last_mut() else { break };
            if top.indent != indent {
                // A continuation line of a multi-line plain scalar.
                continue;
            }
            let (mut indent, mut rest) = (indent, content);
            if is_item {
                if !top.seq {
                    continue;
                }
                let pointer = format!("{}/{}", top.pointer, top.next);
                top.next += 1;
                lines.insert(pointer.clone(), number);
                let after = content[1..].trim_start();
                if after.is_empty() || after.starts_with('#') {
                    pending = Some((indent, pointer));
                    continue;
                }
                match split_key(after) {
                    Some(_) => {
                        indent += content.len() - after.len();
                        frames.push(Frame {
                            indent,
                            pointer,
                            seq: false,
                            next: 0,
                        });
                        rest = after;
                    }
                    None => continue,
                }
            }
            let Some(frame) = frames.last() else { break };
            if frame.seq {
                continue;
            }
            let Some((key, value)) = split_key(rest) else {
                continue;
            };
            let pointer = format!("{}/{}", frame.pointer, escape_pointer_token(&key));
            lines.insert(pointer.clone(), number);
            if value.is_empty() || value.starts_with('#') {
                pending = Some((indent, pointer));
            } else if value.starts_with('|') || value.starts_with('>') {
                block_scalar = Some(indent);
            }
        }
        Self { lines }
    }

    /// The line of `pointer`, or of its nearest ancestor that has a line of its own.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut candidate = pointer;
        loop {
            if let Some(line) = self.lines.get(candidate) {
                return Some(*line);
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }
}

/// Splits `key: value` (the key plain or quoted) into the unquoted key and the trimmed value.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(quote @ ('"' | '\'')) = text.chars().next() {
        let end = text[1..].find(quote)? + 1;
        (text[1..end].to_owned(), &text[end + 1..])
    } else {
        if text.starts_with(['[', '{']) {
            return None;
        }
        let end = text
            .find(": ")
            .or_else(|| text.strip_suffix(':').map(|t| t.len()))?;
        (text[..end].trim_end().to_owned(), &text[end..])
    };
    let value = after.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((key, value.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
openapi: 3.0.3
info:
  description: |
    text: with a colon
    - and a dash
  title: T
tags:
  - name: a
    description: first
  - name: b
paths:
  /albums/{id}:
    get:
      parameters:
        - $ref: \"#/x\"
      responses:
        \"200\":
          description: ok
list:
- one
- two
flow: [a, b]
";

    #[test]
    fn finds_keys_items_and_quoted_keys() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_of("/info/title"), Some(6));
        assert_eq!(index.line_of("/tags/1/name"), Some(10));
        assert_eq!(index.line_of("/tags/0/description"), Some(9));
        assert_eq!(
            index.line_of("/paths/~1albums~1{id}/get/parameters/0/$ref"),
            Some(15)
        );
        assert_eq!(
            index.line_of("/paths/~1albums~1{id}/get/responses/200/description"),
            Some(18)
        );
        assert_eq!(index.line_of("/list/1"), Some(21));
        assert_eq!(index.line_of("/flow/1"), Some(22));
        assert_eq!(index.line_of("/info/description"), Some(3));
    }
}
