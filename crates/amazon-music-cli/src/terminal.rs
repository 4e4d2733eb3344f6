//! What a terminal may be sent: whether to colour a stream, and text made safe to show.
//!
//! A leaf: the error line (`crate::exit`) and everything else printed (`crate::output`) both
//! rely on it, so neither depends on the other for it.

use std::borrow::Cow;

/// `text` safe to show on a terminal: each character a terminal would act on rather than show
/// is replaced by its escape (`\u{1b}` for ESC): the C0 controls, DEL and the C1 controls
/// (so no escape sequence, bell or carriage return survives), and the Unicode characters that
/// reorder or break text unseen (bidirectional embeddings, overrides, isolates and marks, the
/// line and paragraph separators). With `lines`, newline and tab are kept, for text that has
/// lines of its own; without, a value stays on its one line or in its one cell.
pub fn printable(text: &str, lines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(lines && matches!(c, '\n' | '\t')))
            || matches!(
                c,
                '\u{061c}'
                    | '\u{200e}'
                    | '\u{200f}'
                    | '\u{2028}'
                    | '\u{2029}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2066}'..='\u{2069}'
            )
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether to colour a stream that is (or is not) a terminal, honouring `NO_COLOR`.
pub fn color_on(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character a terminal acts on is shown as its escape, whatever the server sent;
    /// ordinary text, accents and emoji included, is left alone.
    #[test]
    fn printable_text_has_no_character_a_terminal_acts_on() {
        let hostile =
            "a\x1b[2Jb\x1b]0;title\x07c\u{9b}31md\re\0f\x7fg\u{202e}h\u{2066}i\u{200f}j\u{2028}k";
        let shown = printable(hostile, false);
        assert_eq!(
            shown,
            "a\\u{1b}[2Jb\\u{1b}]0;title\\u{7}c\\u{9b}31md\\u{d}e\\u{0}f\\u{7f}g\\u{202e}h\\u{2066}i\\u{200f}j\\u{2028}k"
        );
        assert!(
            !shown.chars().any(|c| c.is_control()),
            "no control character left: {shown:?}"
        );
        assert_eq!(
            printable("two\nlines\tand a tab", true),
            "two\nlines\tand a tab"
        );
        assert_eq!(
            printable("two\nlines\tand a tab", false),
            "two\\u{a}lines\\u{9}and a tab"
        );
        assert!(matches!(
            printable("Beyoncé — Renaissance 🎶", false),
            Cow::Borrowed(_)
        ));
    }
}
