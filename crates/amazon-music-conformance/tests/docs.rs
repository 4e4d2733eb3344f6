//! The docs check at the library's level, on two small pages in the two table layouts the
//! published pages use: the facts read from them, how they differ from the spec, what a ledger
//! explains, and what a digest says changed.

use amazon_music_conformance::docs::compare::{Ledger, compare};
use amazon_music_conformance::docs::digest::Digest;
use amazon_music_conformance::docs::facts::{endpoint_key, page_facts};
use amazon_music_conformance::docs::page::{self, Page};
use amazon_music_conformance::{SPEC_YAML, Spec, Validator};

/// A pipe-table page: Get Several Albums, with a limit the spec does not have, a query
/// parameter of another type and a response field the spec does not know.
const PIPE: &str = "Albums\nGet Several Albums\nGET\n/albums\nAuthorization Scope: [music::catalog]\n\
    Query Parameters\nName | Data Type | Required | Description |\n---|---|---|---|\n\
    ids | string | Yes | A comma-separated list of ids. There is a maximum limit of 20 IDs. |\n\
    Example\ncurl --request GET <base url>/v1/albums?ids=B1,B2\n\
    Response\nName | Data Type | Required | Description |\n---|---|---|---|\n\
    albums | Album | Yes | The albums. |\nmood | string | No | Made up. |\n";

/// A space-separated page: Set Loop, with a body field and a wrong set of allowed values.
const SPACE: &str = "Set Loop\n\nPUT\n/v1/playback/sessions/{sessionId}/loop\n\nPath Parameters\n\n\
    Name Data Type Required Description\nsessionId string Yes The session.\n\n\
    Request Parameters\n\nName Data Type Required Description\n\
    body.loopMode string No Allowed values are 'LOOP_ONE' and 'LOOP_OFF'\n\nResponses\n\nHTTP status 200 on success.\n";

fn pages() -> (Page, Page) {
    (page::parse(PIPE).unwrap(), page::parse(SPACE).unwrap())
}

fn validator() -> Validator {
    Validator::new(Spec::from_yaml_str(SPEC_YAML).unwrap()).unwrap()
}

fn differences(page: &Page, ledger: &Ledger) -> Vec<(String, String, Option<String>)> {
    compare(page, &validator(), ledger)
        .into_iter()
        .map(|d| (d.fact, d.spec_says, d.explained_by))
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn unexplained(fact: &str, spec_says: &str) -> (String, String, Option<String>) {
    (fact.to_owned(), spec_says.to_owned(), None)
}

#[test]
fn facts_are_read_from_both_layouts() {
    let (pipe, space) = pages();
    // The spec's server URL carries `/v1`; a page may write it or not.
    assert_eq!(endpoint_key(&pipe.endpoints[0]), "GET /albums");
    assert_eq!(
        endpoint_key(&space.endpoints[0]),
        "PUT /playback/sessions/{sessionId}/loop"
    );
    assert_eq!(
        page_facts(&pipe),
        strings(&[
            "GET /albums",
            "GET /albums scope music::catalog",
            "GET /albums query ids",
            "GET /albums query ids type=string",
            "GET /albums query ids required=true",
            "GET /albums query ids max-items=20",
            "GET /albums response albums",
            "GET /albums response albums type=Album",
            "GET /albums response albums required=true",
            "GET /albums response mood",
            "GET /albums response mood type=string",
            "GET /albums response mood required=false",
            "GET /albums example-request GET /albums?ids=B1,B2",
        ])
    );
    assert_eq!(
        page_facts(&space),
        strings(&[
            "PUT /playback/sessions/{sessionId}/loop",
            "PUT /playback/sessions/{sessionId}/loop path sessionId",
            "PUT /playback/sessions/{sessionId}/loop path sessionId type=string",
            "PUT /playback/sessions/{sessionId}/loop path sessionId required=true",
            "PUT /playback/sessions/{sessionId}/loop body loopMode",
            "PUT /playback/sessions/{sessionId}/loop body loopMode type=string",
            "PUT /playback/sessions/{sessionId}/loop body loopMode required=false",
            "PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_OFF",
        ])
    );
}

#[test]
fn differences_from_the_spec_are_named_and_a_ledger_explains_them() {
    let (pipe, space) = pages();
    let empty = Ledger::from_yaml_str("corrections: []\n").unwrap();
    assert_eq!(
        differences(&pipe, &empty),
        [
            unexplained("GET /albums query ids type=string", "type=array"),
            unexplained("GET /albums query ids max-items=20", "max-items=100"),
            unexplained("GET /albums response mood", "data has albums"),
        ]
    );
    assert_eq!(
        differences(&space, &empty),
        [
            unexplained(
                "PUT /playback/sessions/{sessionId}/loop body loopMode required=false",
                "required=true"
            ),
            unexplained(
                "PUT /playback/sessions/{sessionId}/loop body loopMode values=LOOP_ONE,LOOP_OFF",
                "values=LOOP_ONE,LOOP_ALL,LOOP_OFF"
            ),
        ]
    );

    let ledger = Ledger::from_yaml_str(
        "corrections:\n  - id: ids-array\n    facts: [\"GET /albums query ids type=string\"]\n",
    )
    .unwrap();
    let explained = differences(&pipe, &ledger);
    assert_eq!(explained[0].2.as_deref(), Some("ids-array"));
    assert!(
        explained[1..].iter().all(|d| d.2.is_none()),
        "{explained:?}"
    );
}

#[test]
fn a_renamed_parameter_and_a_changed_method_are_named() {
    let empty = Ledger::from_yaml_str("corrections: []\n").unwrap();
    let renamed = page::parse(&PIPE.replace("ids |", "idz |")).unwrap();
    let found = differences(&renamed, &empty);
    for expected in [
        unexplained("GET /albums query idz", "no such parameter"),
        unexplained(
            "GET /albums query ids absent",
            "the spec has this parameter",
        ),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:#?}");
    }
    let put = page::parse(&PIPE.replace("GET\n/albums", "PUT\n/albums")).unwrap();
    assert_eq!(
        differences(&put, &empty),
        [unexplained(
            "PUT /albums",
            "no such operation; the path has GET /albums"
        )]
    );
}

#[test]
fn a_digest_names_what_was_added_and_removed() {
    let (pipe, _) = pages();
    let facts = page_facts(&pipe);
    let mut digest = Digest::default();
    assert!(digest.change("pipe", &facts).is_none(), "no entry yet");
    digest.pages.insert("pipe".into(), facts.clone());
    assert!(digest.change("pipe", &facts).unwrap().is_empty());

    let edited = page::parse(&PIPE.replace("maximum limit of 20", "maximum limit of 50")).unwrap();
    let change = digest.change("pipe", &page_facts(&edited)).unwrap();
    assert_eq!(
        change.added,
        strings(&["GET /albums query ids max-items=50"])
    );
    assert_eq!(
        change.removed,
        strings(&["GET /albums query ids max-items=20"])
    );

    let again = Digest::from_yaml_str(&digest.to_yaml()).unwrap();
    assert!(again.change("pipe", &facts).unwrap().is_empty());
}

/// A nested body field covers its parents and is covered by them; a top-level one covers
/// nothing else of the body.
#[test]
fn nested_body_fields_and_missing_ones() {
    let empty = Ledger::from_yaml_str("corrections: []\n").unwrap();
    let create = page::parse(
        "Create\nPOST\n/v1/playback/sessions\n\nRequest Parameters\n\nName Data Type Required Description\n\
         body.playParams.id string Yes The track.\n\nResponses\n\nHTTP status 200 on success.\n",
    )
    .unwrap();
    let row = &create.endpoints[0].params[0].row;
    assert_eq!(
        (
            row.name.as_str(),
            row.data_type.as_str(),
            row.required,
            row.description.as_str()
        ),
        ("playParams.id", "string", true, "The track.")
    );
    let key = "POST /playback/sessions";
    let absent = |what: &str| {
        unexplained(
            &format!("{key} {what} absent"),
            "the spec has this parameter",
        )
    };
    assert_eq!(
        differences(&create, &empty),
        [
            unexplained(
                &format!("{key} body playParams.id required=true"),
                "required=false"
            ),
            absent("header X-Amzn-Audio-DRMType"),
            absent("header X-Amzn-Audio-Device-Capability"),
            absent("header X-Amzn-Device-Id"),
            absent("body limit"),
            absent("body playParams.containerIds"),
            absent("body playbackOptions"),
            absent("body playbackOptions.loopMode"),
            absent("body playbackOptions.playbackContinuationMode"),
            absent("body playbackOptions.shuffleMode"),
            absent("body playbackOptions.startAsStation"),
        ]
    );
}

/// The fields of a list's items are named after the list (`searchFilters.field`), as the
/// Search page writes them: they are the spec's, so only their real differences are named.
#[test]
fn fields_of_a_list_of_objects_are_found_in_its_items() {
    let empty = Ledger::from_yaml_str("corrections: []\n").unwrap();
    let search = page::parse(
        "Search Tracks\nPOST\n/search/tracks\nAuthorization Scope: [music::catalog]\n\
         Request Parameters\nName | Data Type | Required | Description |\n---|---|---|---|\n\
         searchFilters | array | Yes | Filters. |\n\
         searchFilters.field | TrackFieldType | No | The field. |\n\
         searchFilters.query | string | Yes | The text. |\n\
         searchFilters.mood | string | No | Made up. |\n\
         limit | integer | No | Minimum of 1, maximum of 100 (default: 100). |\n\
         token | string | No | The page. |\nsortBy | string | No | The order. |\n",
    )
    .unwrap();
    let key = "POST /search/tracks";
    assert_eq!(
        differences(&search, &empty),
        [
            unexplained(
                &format!("{key} body searchFilters.field type=TrackFieldType"),
                "type=string"
            ),
            unexplained(
                &format!("{key} body searchFilters.mood"),
                "no such parameter"
            ),
        ]
    );
}

/// A response field the spec has and the page does not list is named; an example request's
/// URL may carry the scheme and host, which are dropped.
#[test]
fn a_missing_response_field_and_a_full_example_url() {
    let empty = Ledger::from_yaml_str("corrections: []\n").unwrap();
    let page = page::parse(
        &PIPE
            .replace("albums | Album | Yes | The albums. |\n", "")
            .replace(
                "<base url>/v1/albums?ids=B1,B2",
                "'https://api.music.amazon.dev/v1/albums?ids=B1'",
            ),
    )
    .unwrap();
    let found = differences(&page, &empty);
    let expected = unexplained("GET /albums response albums absent", "");
    assert!(
        found.iter().any(|d| d.0 == expected.0),
        "{expected:?} not in {found:#?}"
    );
    assert!(
        page_facts(&page).contains(&"GET /albums example-request GET /albums?ids=B1".to_owned())
    );
}

/// A page's trailing slash names the same operation, also the root; a response field's
/// required flag is compared; a request body is read ten levels deep by the spec and compared
/// nine levels deep, where the deepest of the pages' dotted names end.
#[test]
fn trailing_slashes_required_response_fields_and_deep_bodies() {
    let mut body = "{type: string}".to_owned();
    for name in ["j", "i", "h", "g", "f", "e", "d", "c", "b", "a"] {
        body = format!("{{type: object, properties: {{{name}: {body}}}}}");
    }
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: 'https://api.example/v1'}}]\n\
         paths:\n  /:\n    get: {{operationId: root, responses: {{'200': {{description: ok}}}}}}\n\
         \x20 /deep:\n    post:\n      operationId: deep\n      requestBody:\n        content:\n\
         \x20         application/json:\n            schema: {body}\n\
         \x20     responses: {{'200': {{description: ok}}}}\n"
    );
    let validator = Validator::new(Spec::from_yaml_str(&spec).unwrap()).unwrap();
    let empty = Ledger::from_yaml_str("corrections: []\n").unwrap();
    let found = |text: &str| -> Vec<String> {
        compare(&page::parse(text).unwrap(), &validator, &empty)
            .into_iter()
            .map(|d| format!("{} | {}", d.fact, d.spec_says))
            .collect()
    };
    assert_eq!(
        found("Root\n\nGET\n/v1/\n\nResponses\n\nHTTP status 200 on success.\n"),
        Vec::<String>::new()
    );
    // The trailing slash is itself a difference the ledger must explain.
    let mut expected = vec!["POST /deep/ | the path is written /deep".to_owned()];
    let mut dotted = String::new();
    expected.extend(
        ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .map(|name| {
                dotted = if dotted.is_empty() {
                    (*name).to_owned()
                } else {
                    format!("{dotted}.{name}")
                };
                format!("POST /deep/ body {dotted} absent | the spec has this parameter")
            }),
    );
    assert_eq!(
        found("Deep\n\nPOST\n/v1/deep/\n\nResponses\n\nHTTP status 200 on success.\n"),
        expected
    );

    // The spec's Get Several Albums requires `albums` in `data`.
    let optional =
        page::parse(&PIPE.replace("albums | Album | Yes |", "albums | Album | No |")).unwrap();
    assert!(
        differences(&optional, &empty).contains(&unexplained(
            "GET /albums response albums required=false",
            "required=true"
        )),
        "{:#?}",
        differences(&optional, &empty)
    );
}

/// Header parameters are their own location; a parameter heading that ends the page, with no
/// table under it, adds nothing.
#[test]
fn header_parameters_and_a_heading_at_the_end() {
    let text = "Get Album\nGET\n/albums/{id}\nHeader Parameters\n\
        Name | Data Type | Required | Description |\n---|---|---|---|\n\
        X-Amzn-Device-Id | string | No | The device. |\nQuery Parameters\n";
    let page = page::parse(text).unwrap();
    assert_eq!(
        page_facts(&page),
        strings(&[
            "GET /albums/{id}",
            "GET /albums/{id} header X-Amzn-Device-Id",
            "GET /albums/{id} header X-Amzn-Device-Id type=string",
            "GET /albums/{id} header X-Amzn-Device-Id required=false",
        ])
    );
}

/// Example responses: one ends where its brackets close, so two in a row are two; one left
/// open ends at the next heading or the end of the page.
#[test]
fn example_responses_end_where_they_close_or_at_a_heading() {
    let text = "Get Album\nGET\n/albums/{id}\nResponse\n{\"a\": 1}\n{\"b\": \"x\"}\n\
        Get Albums\nGET\n/albums\nResponse\n{\"c\": [\n  true\n";
    let page = page::parse(text).unwrap();
    let examples: Vec<String> = page_facts(&page)
        .into_iter()
        .filter(|f| f.contains(" example "))
        .collect();
    assert_eq!(
        examples,
        strings(&[
            "GET /albums/{id} example /a integer",
            "GET /albums/{id} example /b string",
            "GET /albums example /c/0 boolean",
        ])
    );
}
