//! `HttpStatus`, the hand-written type the generation step puts in place of the spec's
//! `HttpStatus` schema, accepts exactly the strings the spec's `pattern` accepts.

use amazon_music_api::HttpStatus;
use amazon_music_spec::Spec;
use proptest::prelude::*;

fn spec_pattern() -> &'static amazon_music_spec::Pattern {
    let spec = Spec::embedded().unwrap();
    let id = spec
        .schemas()
        .at("/components/schemas/HttpStatus")
        .expect("the spec has an HttpStatus schema");
    spec.schemas()
        .get(id)
        .pattern()
        .expect("HttpStatus has a pattern")
}

fn agree(text: &str) {
    assert_eq!(
        text.parse::<HttpStatus>().is_ok(),
        spec_pattern().is_match(text),
        "HttpStatus and the spec's pattern disagree on {text:?}"
    );
}

#[test]
fn every_short_string_of_digits_and_neighbours_is_judged_as_the_pattern_judges_it() {
    // Digits, their ASCII neighbours, a letter, a space and a non-ASCII digit, in every string
    // of up to four characters.
    let alphabet = ['0', '1', '4', '5', '6', '9', '/', ':', 'a', ' ', '٤'];
    let mut strings = vec![String::new()];
    for _ in 0..4 {
        let longer: Vec<String> = strings
            .iter()
            .filter(|s| s.chars().count() == strings.last().unwrap().chars().count())
            .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
            .collect();
        strings.extend(longer);
    }
    for text in &strings {
        agree(text);
    }
}

proptest! {
    #[test]
    fn arbitrary_text_is_judged_as_the_pattern_judges_it(text in "\\PC{0,6}|[0-9]{3}") {
        agree(&text);
    }
}
