//! The model holds the whole spec: every operation, parameter, body, response, scope and schema
//! of `spec/openapi.yaml` appears in it, where the document puts it. The document is read here
//! a second way, as plain YAML walked by hand, so that a part the model's builder skipped shows
//! up as a difference.

use std::collections::BTreeSet;

use amazon_music_spec::{Location, SPEC_YAML, Spec, escape_pointer_token};
use serde_json::Value;

fn document() -> Value {
    serde_norway::from_str(SPEC_YAML).expect("the spec is YAML")
}

fn spec() -> &'static Spec {
    Spec::embedded().expect("the spec parses")
}

/// Follows `$ref`s by hand: the pointer reached and the value there.
fn follow<'d>(doc: &'d Value, pointer: &str) -> (String, &'d Value) {
    let mut pointer = pointer.to_owned();
    loop {
        let value = doc.pointer(&pointer).unwrap_or_else(|| panic!("{pointer}"));
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => pointer = target.trim_start_matches('#').to_owned(),
            None => return (pointer, value),
        }
    }
}

fn at(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

#[test]
fn every_operation_with_its_parameters_bodies_responses_and_scopes() {
    let doc = document();
    let spec = spec();
    let mut seen = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, raw) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let id = raw["operationId"].as_str().unwrap();
            let op = spec
                .operation(id)
                .unwrap_or_else(|| panic!("{id} is missing"));
            let pointer = at(&at("/paths", path), method);
            assert_eq!(
                (op.method(), op.path(), op.pointer()),
                (
                    method.to_ascii_uppercase().as_str(),
                    path.as_str(),
                    pointer.as_str()
                ),
                "{id}"
            );
            seen.insert(id.to_owned());
            assert_eq!(op.summary(), raw["summary"].as_str(), "{id}");

            let raw_params = raw["parameters"].as_array().map_or(0, Vec::len);
            assert_eq!(op.parameters().len(), raw_params, "{id}");
            for (i, param) in op.parameters().iter().enumerate() {
                let (resolved, value) = follow(&doc, &format!("{pointer}/parameters/{i}"));
                assert_eq!(param.pointer(), resolved, "{id}");
                assert_eq!(param.name(), value["name"], "{id}");
                assert_eq!(param.location().as_str(), value["in"], "{id}");
                assert_eq!(
                    param.required(),
                    value["required"] == true || param.location() == Location::Path,
                    "{id} {}",
                    param.name()
                );
                let explode = value["explode"].as_bool().unwrap_or(true);
                if param.location() == Location::Query {
                    assert_eq!(param.explode(), explode, "{id} {}", param.name());
                }
                let (schema_at, _) = follow(&doc, &format!("{resolved}/schema"));
                let schema = param.schema().expect("every parameter has a schema");
                assert_eq!(spec.schemas()[schema].pointer(), schema_at, "{id}");
            }

            match raw.get("requestBody") {
                None => assert!(op.request_body().is_none(), "{id}"),
                Some(_) => {
                    let (body_at, body) = follow(&doc, &format!("{pointer}/requestBody"));
                    let model = op.request_body().expect("a request body");
                    assert_eq!(model.pointer(), body_at);
                    let media: Vec<&String> = body["content"].as_object().unwrap().keys().collect();
                    let names: Vec<&str> = model.content().iter().map(|m| m.name()).collect();
                    assert_eq!(names, media, "{id}");
                    for m in model.content() {
                        let (schema_at, _) = follow(&doc, &format!("{}/schema", m.pointer()));
                        assert_eq!(spec.schemas()[m.schema().unwrap()].pointer(), schema_at);
                    }
                }
            }

            let statuses: Vec<&String> = raw["responses"].as_object().unwrap().keys().collect();
            let model: Vec<&str> = op.responses().iter().map(|r| r.status()).collect();
            assert_eq!(model, statuses, "{id}");
            for response in op.responses() {
                let (response_at, value) = follow(
                    &doc,
                    &at(&format!("{pointer}/responses"), response.status()),
                );
                assert_eq!(response.pointer(), response_at, "{id}");
                let written_ref = raw["responses"][response.status()]
                    .get("$ref")
                    .and_then(Value::as_str);
                assert_eq!(response.reference(), written_ref, "{id}");
                let media = value["content"].as_object().map_or(0, |c| c.len());
                assert_eq!(response.content().len(), media, "{id}");
                for m in response.content() {
                    let (schema_at, _) = follow(&doc, &format!("{}/schema", m.pointer()));
                    assert_eq!(spec.schemas()[m.schema().unwrap()].pointer(), schema_at);
                    let examples = usize::from(
                        value
                            .pointer(&format!(
                                "/content/{}/example",
                                escape_pointer_token(m.name())
                            ))
                            .is_some(),
                    ) + value["content"][m.name()]["examples"]
                        .as_object()
                        .map_or(0, |e| e.len());
                    assert_eq!(m.examples().len(), examples, "{id} {}", response.status());
                    if let Some(first) = m.examples().first() {
                        let media =
                            format!("{response_at}/content/{}", escape_pointer_token(m.name()));
                        let written = match doc.pointer(&format!("{media}/example")) {
                            Some(single) => single,
                            None => {
                                let named = escape_pointer_token(first.name());
                                &follow(&doc, &format!("{media}/examples/{named}")).1["value"]
                            }
                        };
                        assert_eq!(first.value(), written, "{id} {}", response.status());
                    }
                }
            }

            let security = raw.get("security").unwrap_or(&doc["security"]);
            let mut scopes = Vec::new();
            for requirement in security.as_array().unwrap() {
                for list in requirement.as_object().unwrap().values() {
                    for scope in list.as_array().unwrap() {
                        let scope = scope.as_str().unwrap().to_owned();
                        if !scopes.contains(&scope) {
                            scopes.push(scope);
                        }
                    }
                }
            }
            assert_eq!(op.scopes(), scopes, "{id}");
            assert_eq!(
                op.security().unwrap().len(),
                security.as_array().unwrap().len()
            );
        }
    }
    let modelled: BTreeSet<String> = spec
        .operations()
        .iter()
        .map(|o| o.id().to_owned())
        .collect();
    assert_eq!(modelled, seen);
}

/// Every place of the document where a schema is written, with the schema's pointer once its
/// `$ref`s are followed.
fn schema_places(doc: &Value) -> Vec<(String, String)> {
    fn schema(doc: &Value, pointer: String, out: &mut Vec<(String, String)>) {
        if out.iter().any(|(p, _)| *p == pointer) {
            return;
        }
        let (resolved, value) = follow(doc, &pointer);
        out.push((pointer, resolved.clone()));
        if let Some(props) = value["properties"].as_object() {
            for name in props.keys() {
                schema(doc, at(&at(&resolved, "properties"), name), out);
            }
        }
        for key in ["items", "not"] {
            if value.get(key).is_some() {
                schema(doc, format!("{resolved}/{key}"), out);
            }
        }
        if value["additionalProperties"].is_object() {
            schema(doc, format!("{resolved}/additionalProperties"), out);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for i in 0..value[key].as_array().map_or(0, Vec::len) {
                schema(doc, format!("{resolved}/{key}/{i}"), out);
            }
        }
    }
    fn content(doc: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
        let (resolved, value) = follow(doc, pointer);
        for media in value["content"]
            .as_object()
            .into_iter()
            .flat_map(|c| c.keys())
        {
            schema(
                doc,
                format!("{}/schema", at(&format!("{resolved}/content"), media)),
                out,
            );
        }
    }
    let mut out = Vec::new();
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        schema(doc, at("/components/schemas", name), &mut out);
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let op_at = at(&at("/paths", path), method);
            for i in 0..op["parameters"].as_array().map_or(0, Vec::len) {
                let (param, _) = follow(doc, &format!("{op_at}/parameters/{i}"));
                schema(doc, format!("{param}/schema"), &mut out);
            }
            if op.get("requestBody").is_some() {
                content(doc, &format!("{op_at}/requestBody"), &mut out);
            }
            for status in op["responses"].as_object().unwrap().keys() {
                content(doc, &at(&format!("{op_at}/responses"), status), &mut out);
            }
        }
    }
    out
}

#[test]
fn every_schema_is_one_node_at_its_place() {
    let doc = document();
    let spec = spec();
    let places = schema_places(&doc);
    assert!(places.len() > 100, "{}", places.len());
    for (place, resolved) in &places {
        let id = spec
            .schema_at(place)
            .unwrap_or_else(|| panic!("{place} is not in the model"));
        assert_eq!(spec.schemas()[id].pointer(), resolved, "{place}");
        assert!(spec.schemas()[id].broken().is_none(), "{place}");
        assert_eq!(spec.schemas()[id].raw(), doc.pointer(resolved).unwrap());
    }
    // Each subschema hangs where its parent writes it.
    for (place, _) in &places {
        let Some((parent, edge)) = place.rsplit_once('/') else {
            continue;
        };
        let child = spec.schema_at(place);
        let (parent, keyword) = match parent.rsplit_once('/') {
            Some((grand, "properties")) => (grand, "properties"),
            Some((grand, list @ ("allOf" | "anyOf" | "oneOf"))) => (grand, list),
            _ => (parent, edge),
        };
        let Some(parent) = spec.schemas().at(parent) else {
            continue;
        };
        let node = &spec.schemas()[parent];
        let linked = match keyword {
            "properties" => node.property(&amazon_music_spec::unescape_pointer_token(edge)),
            "items" => node.items(),
            "not" => node.not(),
            "additionalProperties" => match node.additional() {
                amazon_music_spec::Additional::Schema(id) => Some(id),
                _ => None,
            },
            "allOf" => node.all_of().get(edge.parse::<usize>().unwrap()).copied(),
            "anyOf" => node.any_of().get(edge.parse::<usize>().unwrap()).copied(),
            "oneOf" => node.one_of().get(edge.parse::<usize>().unwrap()).copied(),
            _ => continue,
        };
        assert_eq!(linked, child, "{place}");
    }
    // One node per schema: nothing more, nothing twice.
    let distinct: BTreeSet<&String> = places.iter().map(|(_, r)| r).collect();
    assert_eq!(spec.schemas().len(), distinct.len());

    let names: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let modelled: Vec<&String> = spec.component_schemas().iter().map(|(n, _)| n).collect();
    assert_eq!(modelled, names);
}

#[test]
fn every_scope_and_every_reference() {
    let doc = document();
    let spec = spec();
    let declared: Vec<(&str, &str)> = doc
        .pointer("/components/securitySchemes/loginWithAmazon/flows/authorizationCode/scopes")
        .and_then(Value::as_object)
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    assert_eq!(spec.scopes(), declared);
    let refs = SPEC_YAML.matches("$ref:").count();
    assert_eq!(spec.references().len(), refs);
    assert!(spec.broken_refs().is_empty(), "{:?}", spec.broken_refs());
    assert!(spec.path_item_refs().is_empty());
    assert_eq!(spec.version(), doc["info"]["version"]);
    assert_eq!(spec.servers(), [doc["servers"][0]["url"].as_str().unwrap()]);
}

#[test]
fn the_document_its_version_and_its_security_schemes() {
    let doc = document();
    let spec = spec();
    assert_eq!(spec.raw(), &doc);
    assert_eq!(spec.openapi_version(), doc["openapi"]);
    assert_eq!(spec.pointer("/openapi"), Some(&doc["openapi"]));
    assert_eq!(spec.pointer("/no/such/place"), None);
    let names: Vec<&str> = spec.security_schemes().iter().map(|s| s.name()).collect();
    let declared: Vec<&String> = doc["components"]["securitySchemes"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(names, declared);
    // Every operation's route, in document order.
    let routes: Vec<(&str, &str, &str)> = spec.router().operations().collect();
    let expected: Vec<(&str, &str, &str)> = spec
        .operations()
        .iter()
        .map(|o| (o.method(), o.path(), o.id()))
        .collect();
    assert_eq!(routes, expected);
}

#[test]
fn each_parameter_location_is_described_in_words_of_its_own() {
    let words: BTreeSet<&str> = [
        Location::Path,
        Location::Query,
        Location::Header,
        Location::Cookie,
    ]
    .iter()
    .map(|l| l.describe())
    .collect();
    assert_eq!(words.len(), 4, "{words:?}");
    assert!(
        words
            .iter()
            .all(|w| w.contains("parameter") || w.contains("header") || w.contains("cookie")),
        "{words:?}"
    );
}

#[test]
fn each_drift_kind_is_described_in_words_of_its_own() {
    let words: BTreeSet<&str> = amazon_music_spec::DriftKind::ALL
        .iter()
        .map(|k| k.describe())
        .collect();
    assert_eq!(
        words.len(),
        amazon_music_spec::DriftKind::ALL.len(),
        "{words:?}"
    );
    assert!(words.iter().all(|w| w.contains(' ')), "{words:?}");
}
