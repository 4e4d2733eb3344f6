//! Checks Amazon Music Web API traffic against the project's curated OpenAPI document
//! (`spec/openapi.yaml`).
//!
//! The document is read by `amazon-music-spec`, once, into a typed model (re-exported here:
//! [`Spec`], its operations, routes, drift and recorded exchanges); this crate turns the model
//! into something that can judge a JSON value: [`SchemaValidator`] compiles any of its schemas
//! (OpenAPI 3.0's dialect) into a JSON Schema validator whose violations point back into the
//! document, and [`Validator`] checks whole exchanges.
//!
//! ```
//! use amazon_music_conformance::{SchemaValidator, Spec};
//! # let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/openapi.yaml");
//! let spec = Spec::load(spec_path)?;
//! let album = SchemaValidator::at(&spec, "/components/schemas/Album")?;
//! assert!(album.is_valid(&serde_json::json!({"id": "B0064UPU4G", "title": "Discovery"})));
//! assert!(!album.is_valid(&serde_json::json!({"title": "no id"})));
//! # Ok::<(), amazon_music_conformance::SpecError>(())
//! ```

pub mod docs;
pub mod report;
mod schema;
pub mod suggest;
mod validation;

pub use amazon_music_spec::{
    Body, Drift, DriftKind, Exchange, ExchangeError, LineIndex, Operation, RouteMatch, Router,
    SPEC_YAML, Spec, SpecError, escape_pointer_token, parse_har, parse_recorded,
    parse_recorded_versioned, redact,
};
pub use schema::{SchemaValidator, SchemaViolation, to_json_schema};
pub use validation::{Outcome, Validator, Violation};
