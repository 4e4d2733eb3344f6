//! The spec's examples of request and response bodies, each with the operation, the place it
//! belongs to and the schema it illustrates; and the shape of an example as its schema sees it
//! (which fields are optional, which objects are open to new keys), for tests that vary it.

use amazon_music_spec::{
    Additional, MediaType, Member, Schema, Spec, Step, Token, Visitor, pointer_of,
};
use serde_json::Value;

/// Where an example sits in its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The request body.
    Request,
    /// The response for this key of `responses` (`"200"`, `"4XX"`, `"default"`).
    Response(String),
}

/// One example of a body, as the spec gives it.
#[derive(Debug, Clone)]
pub struct SpecExample {
    /// The component example's name, or `{operationId}-{name}` for an inline one.
    pub label: String,
    /// The operation it belongs to.
    pub operation_id: String,
    /// Upper-case method.
    pub method: String,
    /// Path template, as the spec writes it (`/albums/{id}`).
    pub path: String,
    /// Request body or response.
    pub place: Place,
    /// Pointer to the schema it illustrates, after `$ref`s (`/components/schemas/Album`).
    pub schema: String,
    /// The example value.
    pub value: Value,
}

impl SpecExample {
    /// The schema's component name (`GetAlbumResponse`), which is the generated type's name.
    pub fn schema_name(&self) -> &str {
        self.schema.rsplit('/').next().unwrap_or_default()
    }
}

/// Every example (of `examples`) of a JSON request body or response body of every operation,
/// in the spec's operation order (responses in the order the operation declares them).
pub fn spec_examples(spec: &Spec) -> Vec<SpecExample> {
    let json = |content: &[MediaType]| -> Option<MediaType> {
        content
            .iter()
            .find(|m| m.name() == "application/json")
            .cloned()
    };
    let mut out = Vec::new();
    for op in spec.operations() {
        let mut places = Vec::new();
        if let Some(media) = op.request_body().and_then(|b| json(b.content())) {
            places.push((Place::Request, media));
        }
        for response in op.responses() {
            if let Some(media) = json(response.content()) {
                places.push((Place::Response(response.status().to_owned()), media));
            }
        }
        for (place, media) in places {
            let Some(schema) = media.schema() else {
                continue;
            };
            let schema = spec.schemas()[schema].pointer().to_owned();
            let single = format!("{}/example", media.pointer());
            for example in media.examples().iter().filter(|e| e.pointer() != single) {
                let label = match example.pointer().strip_prefix("/components/examples/") {
                    Some(component) => component.to_owned(),
                    None => format!("{}-{}", op.id(), example.name()),
                };
                out.push(SpecExample {
                    label,
                    operation_id: op.id().to_owned(),
                    method: op.method().to_owned(),
                    path: op.path().to_owned(),
                    place: place.clone(),
                    schema: schema.clone(),
                    value: example.value().clone(),
                });
            }
        }
    }
    out
}

/// What an object of a body may take besides the properties it declares.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// Undeclared keys are unknown fields (a struct of the generated code, which ignores them).
    Unknown,
    /// Undeclared keys are entries of a map whose values are anything (`type: object` and no
    /// `properties`, or `additionalProperties: true`).
    Any,
    /// Undeclared keys are entries of a map whose values follow the schema at this pointer.
    Entries(String),
}

/// One object of a body, as its schema sees it.
#[derive(Debug, Clone)]
pub struct ObjectSlot {
    /// JSON pointer into the body.
    pub at: String,
    /// The properties the schema declares.
    pub declared: Vec<String>,
    /// What another key would be.
    pub extra: Extra,
}

/// The shape of a body: its objects, and its optional fields that the schema does not make
/// `nullable` (present in the body or not).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Every object of the body, at every depth, outermost first.
    pub objects: Vec<ObjectSlot>,
    /// `(pointer of the object, property)` for every optional, non-nullable property of every
    /// object of the body, at every depth.
    pub optional: Vec<(String, String)>,
}

/// Walks `value` beside the schema at `schema` (a pointer, as [`SpecExample::schema`] gives
/// it) with the spec crate's walker.
///
/// # Panics
/// When the spec has no schema at `schema`.
pub fn shape(spec: &Spec, schema: &str, value: &Value) -> Shape {
    let root = spec
        .schema_at(schema)
        .unwrap_or_else(|| panic!("no schema at {schema}"));
    let mut shaper = Shaper {
        spec,
        out: Shape::default(),
    };
    spec.schemas().walk(root, value, &mut shaper);
    shaper.out
}

struct Shaper<'s> {
    spec: &'s Spec,
    out: Shape,
}

impl<'v> Visitor<'v> for Shaper<'_> {
    fn visit(&mut self, schema: &Schema, value: &'v Value, path: &[Token<'v>]) -> Step {
        if !value.is_object() {
            return Step::Descend;
        }
        let at = pointer_of(path);
        let declared: Vec<String> = schema.properties().iter().map(|(n, _)| n.clone()).collect();
        let extra = match schema.additional() {
            Additional::Allowed => Extra::Any,
            Additional::Schema(_) => {
                Extra::Entries(format!("{}/additionalProperties", schema.pointer()))
            }
            Additional::Forbidden => Extra::Unknown,
            Additional::Absent if !schema.declares_properties() => Extra::Any,
            Additional::Absent => Extra::Unknown,
        };
        for (name, property) in schema.properties() {
            if !schema.is_required(name) && !self.spec.schemas()[*property].nullable() {
                self.out.optional.push((at.clone(), name.clone()));
            }
        }
        self.out.objects.push(ObjectSlot {
            at,
            declared,
            extra,
        });
        Step::Descend
    }

    fn member(
        &mut self,
        _: &Schema,
        _: &'v str,
        _: &'v Value,
        member: Member,
        _: &[Token<'v>],
    ) -> Step {
        match member.schema() {
            Some(_) => Step::Descend,
            None => Step::Skip,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_optional_fields_and_open_objects_at_every_depth() {
        let spec = Spec::from_yaml_str(include_str!("fixtures/shapes.yaml")).unwrap();
        let value = json!({"id": "1", "tags": [{"name": "x"}], "headers": {"h": "v"},
                           "payload": {"free": 1}});
        let shape = shape(&spec, "/components/schemas/A", &value);
        // Sorted: map order depends on serde_json's features in the build.
        let mut optional: Vec<(&str, &str)> = shape
            .optional
            .iter()
            .map(|(at, name)| (at.as_str(), name.as_str()))
            .collect();
        optional.sort();
        assert_eq!(
            optional,
            vec![
                ("", "headers"),
                ("", "payload"),
                ("", "tags"),
                ("/tags/0", "name")
            ]
        );
        let mut objects: Vec<(&str, Extra)> = shape
            .objects
            .iter()
            .map(|o| (o.at.as_str(), o.extra.clone()))
            .collect();
        objects.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(
            objects,
            vec![
                ("", Extra::Unknown),
                (
                    "/headers",
                    Extra::Entries(
                        "/components/schemas/A/properties/headers/additionalProperties".into()
                    )
                ),
                ("/payload", Extra::Any),
                ("/tags/0", Extra::Unknown),
            ]
        );
    }
}
