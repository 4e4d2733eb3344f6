//! The docs check at the library's level, on two small pages in the two table layouts the
//! published pages use: the facts read from them, how they differ from the spec, what a ledger
//! explains, and what a digest says changed. And the pages the command's tests render from
//! facts (`amazon_music_workspace_tests::docs_pages`): every page of the committed digest, and
//! made-up pages of every kind of fact, read back by the real reader as the facts they were
//! rendered from.

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

/// A ledger that explains nothing.
fn no_corrections() -> Ledger {
    Ledger::from_yaml_str("corrections: []\n").unwrap()
}

fn differences(page: &Page, ledger: &Ledger) -> Vec<(String, String, Option<String>)> {
    compare(page, &validator(), ledger)
        .into_iter()
        .map(|d| (d.fact, d.spec_says, d.explained_by))
        .collect()
}

/// What a page's text differs in from a spec of a test's own, with no ledger to explain
/// anything: one `fact | spec says` line each.
fn unexplained_against(spec_yaml: &str, page_text: &str) -> Vec<String> {
    let validator = Validator::new(Spec::from_yaml_str(spec_yaml).unwrap()).unwrap();
    let empty = no_corrections();
    compare(&page::parse(page_text).unwrap(), &validator, &empty)
        .into_iter()
        .map(|d| format!("{} | {}", d.fact, d.spec_says))
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
    let empty = no_corrections();
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
    let empty = no_corrections();
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
    let empty = no_corrections();
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
    let empty = no_corrections();
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
    let empty = no_corrections();
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

/// A list in a request body is a level of its own: a body that nests itself through a list of
/// its own kind (a tree of `children`) is read as deep as any other body, counting each list,
/// and is never walked for ever.
#[test]
fn bodies_nesting_through_lists_count_each_list_as_a_level() {
    let found = unexplained_against(
        include_str!("fixtures/tree-body.yaml"),
        "Plant\n\nPOST\n/v1/trees\n\nResponses\n\nHTTP status 200 on success.\n",
    );
    // The property and the list each take a level: `children` at 0 and 1, its items' `children`
    // at 2 and 3, and so on to the eighth level.
    let expected: Vec<String> = (1..=5)
        .map(|n| {
            format!(
                "POST /trees body {} absent | the spec has this parameter",
                vec!["children"; n].join(".")
            )
        })
        .collect();
    assert_eq!(found, expected);
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
    let found = |text: &str| unexplained_against(&spec, text);
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
    let empty = no_corrections();
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

/// The pages docs-check's tests serve are rendered from facts. Read back with the real reader
/// (HTML to text, the page parser, the facts), every page of the committed digest gives its
/// facts back, in order: the renderer cannot drift from the reader unnoticed.
#[test]
fn every_digest_page_rendered_reads_back_as_its_facts() {
    use amazon_music_conformance::docs::html;
    use amazon_music_workspace_tests::docs_pages::{committed_digest, render};
    let digest = committed_digest();
    assert!(digest.pages.len() >= 2, "{:?}", digest.pages.keys());
    for (name, facts) in &digest.pages {
        let rendered = render(name, facts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed = page::parse(&html::to_text(&rendered))
            .unwrap_or_else(|e| panic!("{name}: line {}: {}", e.line, e.message));
        assert_eq!(&page_facts(&parsed), facts, "{name}");
    }
}

/// A made-up page as facts, in the order the reader states them: endpoints with scopes,
/// parameters in every place (dotted names, the `body.` prefix's quirks), limits and allowed
/// values, response rows, example requests and example responses of every JSON kind.
mod made_up {
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    #[derive(Debug, Clone)]
    pub struct Row {
        location: &'static str,
        name: String,
        data_type: &'static str,
        required: bool,
        values: Vec<String>,
        min: Option<i64>,
        max: Option<i64>,
        default: Option<i64>,
        max_items: Option<i64>,
    }

    #[derive(Debug, Clone)]
    pub struct Endpoint {
        method: &'static str,
        path: String,
        scopes: Vec<String>,
        rows: Vec<Row>,
        requests: Vec<(&'static str, String)>,
        example: Option<Value>,
    }

    const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];
    const LOCATIONS: [&str; 5] = ["path", "query", "header", "body", "response"];
    const TYPES: [&str; 7] = [
        "string",
        "number",
        "integer",
        "bool",
        "object",
        "Album[]",
        "Response Collection",
    ];

    fn row() -> impl Strategy<Value = Row> {
        let limit = prop_oneof![
            Just((None, None)),
            (-1000i64..1000).prop_map(|n| (Some(n), None)),
            (0i64..1000).prop_map(|n| (None, Some(n))),
        ];
        (
            (
                prop::sample::select(&LOCATIONS[..]),
                "[a-z][a-zA-Z0-9]{0,6}(\\.[a-z][a-zA-Z0-9]{0,6})?",
                prop::sample::select(&TYPES[..]),
                any::<bool>(),
            ),
            // Letters that spell none of the words the reader looks for in a description.
            prop::collection::vec("[A-H_]{1,8}", 0..4),
            proptest::option::of(-1000i64..1000),
            limit,
            proptest::option::of(-1000i64..1000),
        )
            .prop_map(
                |(
                    (location, name, data_type, required),
                    values,
                    min,
                    (max, max_items),
                    default,
                )| {
                    Row {
                        location,
                        name,
                        data_type,
                        required,
                        values,
                        min,
                        max,
                        default,
                        max_items,
                    }
                },
            )
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::from("s")),
            Just(Value::from(7)),
            Just(Value::from(0.5)),
            Just(Value::from(false)),
            Just(Value::Null),
            Just(Value::Object(Map::new())),
            Just(Value::Array(Vec::new())),
        ];
        leaf.prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..3).prop_map(Value::Array),
                prop::collection::btree_map("[a-zA-Z_-]{1,6}", inner, 1..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn endpoint() -> impl Strategy<Value = Endpoint> {
        (
            prop::sample::select(&METHODS[..]),
            prop::collection::vec("[a-z]{1,6}|\\{[a-z]{1,4}\\}", 1..4),
            any::<bool>(),
            prop::collection::vec("[a-z]{1,5}(::[a-z]{1,5}){0,2}", 0..3),
            prop::collection::vec(row(), 0..6),
            prop::collection::vec(
                (prop::sample::select(&METHODS[..]), "(\\?[a-z]=[0-9]{1,3})?"),
                0..2,
            ),
            proptest::option::of(
                prop::collection::btree_map("[a-z]{1,6}", json(), 1..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ),
        )
            .prop_map(
                |(method, segments, slash, scopes, rows, requests, example)| {
                    let path = format!("/{}{}", segments.join("/"), if slash { "/" } else { "" });
                    let url = path.replace(['{', '}'], "");
                    Endpoint {
                        method,
                        requests: requests
                            .into_iter()
                            .map(|(method, query)| (method, format!("{url}{query}")))
                            .collect(),
                        path,
                        scopes,
                        rows,
                        example,
                    }
                },
            )
    }

    /// The facts of up to four endpoints, without repeats, as the reader orders them.
    pub fn page() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(endpoint(), 1..4).prop_map(|endpoints| {
            let mut facts = Vec::new();
            let mut keys = std::collections::HashSet::new();
            for e in endpoints {
                let key = format!("{} {}", e.method, e.path);
                if !keys.insert(key.clone()) {
                    continue;
                }
                facts.push(key.clone());
                facts.extend(e.scopes.iter().map(|s| format!("{key} scope {s}")));
                let mut rows = std::collections::HashSet::new();
                let rows: Vec<&Row> = (e.rows.iter())
                    .filter(|r| rows.insert((r.location, r.name.clone())))
                    .collect();
                // Parameters first, then the response table, as a page lists them.
                let (responses, params): (Vec<&Row>, Vec<&Row>) =
                    rows.into_iter().partition(|r| r.location == "response");
                for r in params.into_iter().chain(responses) {
                    let base = format!("{key} {} {}", r.location, r.name);
                    facts.push(base.clone());
                    facts.push(format!("{base} type={}", r.data_type));
                    facts.push(format!("{base} required={}", r.required));
                    if !r.values.is_empty() {
                        facts.push(format!("{base} values={}", r.values.join(",")));
                    }
                    for (name, value) in [
                        ("min", r.min),
                        ("max", r.max),
                        ("default", r.default),
                        ("max-items", r.max_items),
                    ] {
                        if let Some(value) = value {
                            facts.push(format!("{base} {name}={value}"));
                        }
                    }
                }
                for (method, url) in &e.requests {
                    facts.push(format!("{key} example-request {method} {url}"));
                }
                if let Some(example) = &e.example {
                    leaves(example, "", &mut |pointer, kind| {
                        facts.push(format!("{key} example {pointer} {kind}"))
                    });
                }
            }
            let mut seen = std::collections::HashSet::new();
            facts.retain(|f| seen.insert(f.clone()));
            facts
        })
    }

    fn leaves(value: &Value, pointer: &str, emit: &mut dyn FnMut(&str, &str)) {
        let kind = match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, child) in map {
                    let token = key.replace('~', "~0").replace('/', "~1");
                    leaves(child, &format!("{pointer}/{token}"), emit);
                }
                return;
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, child) in items.iter().enumerate() {
                    leaves(child, &format!("{pointer}/{i}"), emit);
                }
                return;
            }
            Value::Object(_) => "object",
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Number(n) if n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Null => "null",
        };
        emit(pointer, kind);
    }
}

proptest::proptest! {
    /// Any page the reader can state, rendered and read back, gives its facts back in order.
    #[test]
    fn a_made_up_page_rendered_reads_back_as_its_facts(facts in made_up::page()) {
        use amazon_music_conformance::docs::html;
        use amazon_music_workspace_tests::docs_pages::render;
        let rendered = render("made-up", &facts).map_err(proptest::test_runner::TestCaseError::fail)?;
        let text = html::to_text(&rendered);
        let parsed = page::parse(&text).map_err(|e| {
            proptest::test_runner::TestCaseError::fail(format!("line {}: {}\n{text}", e.line, e.message))
        })?;
        proptest::prop_assert_eq!(page_facts(&parsed), facts, "{}", text);
    }
}
