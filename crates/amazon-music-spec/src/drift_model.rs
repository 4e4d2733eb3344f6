//! The schema graph compiled down to what finding drift reads: per schema, whether it is a leaf
//! of the walk, whether its `null` is allowed, its items and its members with their schemas and
//! whether each is required. The walk of `drift_stream` reads this on every value of every
//! response, so it is laid out densely (a node is 32 bytes; member names sit in one string)
//! instead of in [`Schema`](crate::Schema)s, whose keywords, raw JSON and pointers it would drag
//! through the cache. A finding is rare: it is made from the full schemas.

use crate::schema::{Additional, SchemaId, Schemas};

/// What one schema says that the drift walk needs. Ids are the graph's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DriftNode {
    /// `items`, if the schema describes array elements and is not an extensible string.
    pub(crate) items: Option<SchemaId>,
    /// Where the members are in [`DriftModel::members`]; empty when it declares none.
    members: (u32, u32),
    /// What an undeclared member is.
    pub(crate) additional: Additional,
    /// Bit `i` is set when member `i` is required (the first 64 members).
    required: u64,
    /// Whether the schema has an `x-extensible-enum`: a leaf whose strings are checked.
    pub(crate) extensible: bool,
    /// Whether the walk looks at an object's members here.
    pub(crate) describes_members: bool,
    pub(crate) nullable: bool,
}

impl DriftNode {
    /// A leaf of the walk: nothing in a value here can be drift but a `null`.
    pub(crate) fn is_leaf(&self) -> bool {
        !self.extensible && self.items.is_none() && !self.describes_members
    }
}

/// One declared member: its name's place in [`DriftModel::names`] and its schema.
#[derive(Debug, Clone, Copy)]
struct MemberEntry {
    name: (u32, u32),
    schema: SchemaId,
}

/// Every schema's [`DriftNode`], by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct DriftModel {
    nodes: Vec<DriftNode>,
    members: Vec<MemberEntry>,
    /// Every member name, one after another (compared as bytes: UTF-8 orders as `str` does).
    names: Vec<u8>,
}

impl DriftModel {
    pub(crate) fn compile(schemas: &Schemas) -> Self {
        let mut model = Self::default();
        for (_, schema) in schemas.iter() {
            let start = model.members.len() as u32;
            let mut required = 0u64;
            for (at, (name, child)) in schema.properties().iter().enumerate() {
                let from = model.names.len() as u32;
                model.names.extend_from_slice(name.as_bytes());
                model.members.push(MemberEntry {
                    name: (from, name.len() as u32),
                    schema: *child,
                });
                if at < 64 && schema.is_required(name) {
                    required |= 1 << at;
                }
            }
            let extensible = schema.extensible().is_some();
            model.nodes.push(DriftNode {
                items: schema.items().filter(|_| !extensible),
                members: (start, model.members.len() as u32 - start),
                additional: schema.additional(),
                required,
                extensible,
                describes_members: schema.describes_members(),
                nullable: schema.nullable(),
            });
        }
        model
    }

    pub(crate) fn node(&self, id: SchemaId) -> &DriftNode {
        &self.nodes[id.index()]
    }

    /// How many members `node` declares.
    pub(crate) fn member_count(&self, node: &DriftNode) -> usize {
        node.members.1 as usize
    }

    /// Member `at` of `node`: its name and schema.
    pub(crate) fn member(&self, node: &DriftNode, at: usize) -> (&[u8], SchemaId) {
        let entry = &self.members[node.members.0 as usize + at];
        let (from, len) = entry.name;
        (
            &self.names[from as usize..(from + len) as usize],
            entry.schema,
        )
    }

    /// Where `name` is among `node`'s members (sorted by name, as the schema keeps them).
    pub(crate) fn find(&self, node: &DriftNode, name: &str) -> Option<usize> {
        let name = name.as_bytes();
        let (mut low, mut high) = (0, self.member_count(node));
        while low < high {
            let middle = (low + high) / 2;
            match self.member(node, middle).0.cmp(name) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// Whether member `at` of `node` is required, or `None` past the first 64 members (then
    /// the schema says).
    pub(crate) fn is_required(&self, node: &DriftNode, at: usize) -> Option<bool> {
        (at < 64).then(|| node.required & (1 << at) != 0)
    }
}

#[cfg(test)]
mod tests {
    use crate::Spec;

    /// The compiled model says what the schemas say, for every schema of the embedded spec.
    #[test]
    fn the_model_says_what_the_schemas_say() {
        let spec = Spec::embedded().unwrap();
        let model = spec.drift_model();
        for (id, schema) in spec.schemas().iter() {
            let node = model.node(id);
            assert_eq!(
                node.extensible,
                schema.extensible().is_some(),
                "{}",
                schema.pointer()
            );
            assert_eq!(node.nullable, schema.nullable());
            assert_eq!(node.describes_members, schema.describes_members());
            assert_eq!(node.additional, schema.additional());
            if !node.extensible {
                assert_eq!(node.items, schema.items());
            }
            assert_eq!(model.member_count(node), schema.properties().len());
            for (at, (name, child)) in schema.properties().iter().enumerate() {
                assert_eq!(model.member(node, at), (name.as_bytes(), *child));
                assert_eq!(model.find(node, name), Some(at));
                assert_eq!(model.is_required(node, at), Some(schema.is_required(name)));
            }
            assert_eq!(model.find(node, "no such member"), None);
        }
    }
}
