//! The pages' example JSON, read leniently: abridged with `...`, sometimes with a bracket too
//! many. Whatever is well-formed is kept; ellipses are dropped; a closing bracket that closes
//! nothing open is skipped; anything left open at the end is closed.

use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open(char),
    Close(char),
    Colon,
    Comma,
    Str(String),
    Scalar(Value),
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '[' => out.push(Token::Open(c)),
            '}' | ']' => out.push(Token::Close(c)),
            ':' => out.push(Token::Colon),
            ',' => out.push(Token::Comma),
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                        s.push(match chars[i] {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    } else {
                        s.push(chars[i]);
                    }
                    i += 1;
                }
                out.push(Token::Str(s));
            }
            c if c.is_whitespace() || c == '.' => {}
            _ => {
                let start = i;
                while i + 1 < chars.len()
                    && !matches!(chars[i + 1], ',' | '}' | ']' | ':' | '"')
                    && !chars[i + 1].is_whitespace()
                {
                    i += 1;
                }
                let word: String = chars[start..=i].iter().collect();
                let value = match word.as_str() {
                    "true" => Some(Value::Bool(true)),
                    "false" => Some(Value::Bool(false)),
                    "null" => Some(Value::Null),
                    w => serde_json::from_str::<Number>(w).ok().map(Value::Number),
                };
                if let Some(value) = value {
                    out.push(Token::Scalar(value));
                }
            }
        }
        i += 1;
    }
    out
}

/// How much `line` opens minus how much it closes (strings skipped).
pub(crate) fn depth_change(line: &str) -> i64 {
    tokenize(line)
        .iter()
        .map(|t| match t {
            Token::Open(_) => 1,
            Token::Close(_) => -1,
            _ => 0,
        })
        .sum()
}

/// Reads an example body leniently.
pub fn parse(text: &str) -> Value {
    let tokens = tokenize(text);
    let mut at = 0;
    value(&tokens, &mut at).unwrap_or(Value::Null)
}

fn value(tokens: &[Token], at: &mut usize) -> Option<Value> {
    let token = tokens.get(*at)?.clone();
    *at += 1;
    match token {
        Token::Open('{') => {
            let mut map = Map::new();
            while let Some(token) = tokens.get(*at) {
                match token {
                    Token::Close('}') => {
                        *at += 1;
                        break;
                    }
                    // Closes nothing open here: a stray bracket of the page.
                    Token::Close(_)
                    | Token::Comma
                    | Token::Colon
                    | Token::Scalar(_)
                    | Token::Open(_) => {
                        *at += 1;
                    }
                    Token::Str(key) => {
                        let key = key.clone();
                        *at += 1;
                        if tokens.get(*at) == Some(&Token::Colon) {
                            *at += 1;
                            match tokens.get(*at) {
                                Some(Token::Close(_) | Token::Comma) | None => {}
                                Some(_) => {
                                    if let Some(v) = value(tokens, at) {
                                        map.insert(key, v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Some(Value::Object(map))
        }
        Token::Open(_) => {
            let mut items = Vec::new();
            while let Some(token) = tokens.get(*at) {
                match token {
                    Token::Close(']') => {
                        *at += 1;
                        break;
                    }
                    // An object's closer ends an array left open; the object takes it.
                    Token::Close(_) => break,
                    Token::Comma | Token::Colon => *at += 1,
                    _ => items.extend(value(tokens, at)),
                }
            }
            Some(Value::Array(items))
        }
        Token::Str(s) => Some(Value::String(s)),
        Token::Scalar(v) => Some(v),
        Token::Close(_) | Token::Colon | Token::Comma => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn skips_ellipses_and_stray_brackets() {
        let text = "{\"a\": {\"b\": \"x...y\", ...\n ]\n}, \"c\": [1, 2.5, ...], \"d\": true, \"e\": {...}";
        assert_eq!(
            parse(text),
            json!({"a": {"b": "x...y"}, "c": [1, 2.5], "d": true, "e": {}})
        );
    }

    #[test]
    fn strings_keep_their_escapes_and_may_be_cut_short() {
        assert_eq!(
            parse(r#"{"a": "x\"y\n\tz\\", "b": 1}"#),
            json!({"a": "x\"y\n\tz\\", "b": 1})
        );
        // A page's example cut off mid-string, or mid-escape.
        assert_eq!(parse("{\"a\": \"open"), json!({"a": "open"}));
        assert_eq!(parse("\"ab\\"), json!("ab\\"));
    }

    #[test]
    fn scalars_end_at_punctuation_whitespace_or_the_text() {
        assert_eq!(parse("12"), json!(12));
        assert_eq!(parse("[1 2,-3.5e1]"), json!([1, 2, -35.0]));
        assert_eq!(parse("[true"), json!([true]));
        assert_eq!(parse("[true false\tnull]"), json!([true, false, null]));
        assert_eq!(parse("{\"n\":null}"), json!({"n": null}));
    }

    #[test]
    fn a_key_without_a_value_is_dropped_not_given_the_next_key() {
        assert_eq!(parse("{\"a\": , \"b\": 1}"), json!({"b": 1}));
        assert_eq!(parse("{\"a\": }"), json!({}));
    }

    #[test]
    fn arrays_nest_and_an_objects_closer_ends_an_array_left_open() {
        assert_eq!(parse("[[1], [], 2]"), json!([[1], [], 2]));
        assert_eq!(parse("[{\"a\": [1}, 3]"), json!([{"a": [1]}, 3]));
    }

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(depth_change("{\"a\": \"{[\", ["), 2);
        assert_eq!(depth_change("]}, \"]\""), -2);
        assert_eq!(depth_change("{[]}"), 0);
    }
}
