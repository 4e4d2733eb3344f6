//! Checks Amazon Music Web API traffic against the project's curated OpenAPI document
//! (`spec/openapi.yaml`).
//!
//! The document is the project's single source of truth; this crate turns it into something
//! that can judge a JSON value: [`Spec`] loads it and walks its operations, and
//! [`SchemaValidator`] compiles any of its schemas (OpenAPI 3.0's dialect) into a JSON Schema
//! validator whose violations point back into the document.
//!
//! ```
//! use amazon_music_conformance::Spec;
//! # let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/openapi.yaml");
//! let spec = Spec::load(spec_path)?;
//! let album = spec.validator_at("/components/schemas/Album")?;
//! assert!(album.is_valid(&serde_json::json!({"id": "B0064UPU4G", "title": "Discovery"})));
//! assert!(!album.is_valid(&serde_json::json!({"title": "no id"})));
//! # Ok::<(), amazon_music_conformance::SpecError>(())
//! ```

pub mod docs;
mod drift;
mod exchange;
pub mod redact;
pub mod report;
mod routing;
mod schema;
mod source_map;
mod spec;
pub mod suggest;
mod validation;

pub use drift::{Drift, DriftKind, resolve as resolve_ref};
pub use exchange::{
    Body, Exchange, ExchangeError, parse_har, parse_recorded, parse_recorded_versioned,
};
pub use routing::{RouteMatch, Router};
pub use schema::{SchemaValidator, SchemaViolation, to_json_schema};
pub use source_map::LineIndex;
pub use spec::{Operation, Spec, escape_pointer_token};
pub use validation::{Outcome, Validator, Violation};

/// The project's spec, `spec/openapi.yaml`, embedded at build time: what the mock serves, what
/// the client's drift check (feature `drift-check` of `amazon-music`) compares responses with,
/// and the command line's built-in copy.
///
/// Read from this crate's own copy (`cargo package` ships nothing outside the crate's
/// directory); the workspace test `the_embedded_spec_is_the_spec_verbatim` fails as soon as the
/// copy differs from the original.
pub const SPEC_YAML: &str = include_str!("../spec/openapi.yaml");

/// Why a spec could not be loaded or one of its schemas compiled.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not a well-formed OpenAPI document.
    #[error("not a valid OpenAPI document: {0}")]
    Parse(String),
    /// The document is not OpenAPI 3.0.x.
    #[error("the document declares openapi {0:?}; only 3.0.x is supported")]
    Version(String),
    /// A JSON pointer named nothing in the document.
    #[error("no value at JSON pointer {0} in the document")]
    Pointer(String),
    /// A schema could not be compiled.
    #[error("the schema at {pointer} does not compile: {message}")]
    Schema {
        /// Where the schema is.
        pointer: String,
        /// What the compiler said.
        message: String,
    },
}
