//! The Amazon Music Web API's curated OpenAPI document (`spec/openapi.yaml`), read once.
//!
//! Every part of the toolkit that needs a fact of the API takes it from here: the mock (its
//! routes, request checks, scopes and drift), the conformance library (which validates traffic
//! on top of this model), and the maintainers' tasks (pre-generation checks, adaptations, scope
//! tables, fuzz seeds). The document is parsed and its `$ref`s resolved in one place, into:
//!
//! * [`Operation`]s: id, method, path template, [`Parameter`]s with location, style, explode
//!   and schema, request body, responses, security requirements and scopes;
//! * a resolved [`Schemas`] graph, walked by one walker ([`Schemas::walk`]) that the value
//!   checks ([`Schemas::check`]), drift detection ([`Spec::drift`]) and the mock's drift
//!   injection all share;
//! * a [`Router`] from request to operation, with percent-decoded path values;
//! * the recorded-exchange format ([`exchange`]) and the redaction every recorder applies
//!   ([`redact`]), so that recording needs no validator.
//!
//! Everything but the last item is the `model` feature (on by default). A recorder depends on
//! this crate with `default-features = false` and gets the exchange format and the redaction
//! without a YAML parser, an OpenAPI model or a regex engine.
//!
//! ```
//! use amazon_music_spec::Spec;
//! let spec = Spec::embedded().expect("the built-in spec parses");
//! let op = spec.operation("getAlbum").unwrap();
//! assert_eq!((op.method(), op.path()), ("GET", "/albums/{id}"));
//! assert_eq!(op.scopes(), ["music::catalog"]);
//! let id = op.parameters()[0].schema().unwrap();
//! assert!(spec.schemas().check(id, &serde_json::json!("B0064UPU4G")).is_ok());
//! assert!(spec.schemas().check(id, &serde_json::json!("")).is_err());
//! ```

#[cfg(feature = "model")]
mod document;
#[cfg(feature = "model")]
mod drift;
#[cfg(feature = "model")]
mod drift_model;
#[cfg(feature = "model")]
mod drift_stream;
pub mod exchange;
#[cfg(feature = "model")]
mod operation;
mod pointer;
pub mod redact;
#[cfg(feature = "model")]
mod routing;
#[cfg(feature = "model")]
mod schema;
#[cfg(feature = "model")]
mod source_map;
#[cfg(feature = "model")]
mod validate;
#[cfg(feature = "model")]
mod walk;

#[cfg(feature = "model")]
pub use document::{OAuthFlow, SchemeKind, SecurityScheme, Spec};
#[cfg(feature = "model")]
pub use drift::{Drift, DriftKind, without};
pub use exchange::{
    Body, Exchange, ExchangeError, parse_har, parse_recorded, parse_recorded_versioned,
};
#[cfg(feature = "model")]
pub use operation::{
    Example, Location, MediaType, Operation, Parameter, Part, RequestBody, Requirement, Response,
    Style,
};
#[cfg(feature = "model")]
pub use pointer::BrokenRef;
pub use pointer::{escape_pointer_token, unescape_pointer_token};
#[cfg(feature = "model")]
pub use routing::{RouteMatch, Router};
#[cfg(feature = "model")]
pub use schema::{Additional, Pattern, Schema, SchemaId, Schemas, Type};
#[cfg(feature = "model")]
pub use source_map::LineIndex;
#[cfg(feature = "model")]
pub use validate::Violation;
#[cfg(feature = "model")]
pub use walk::{MAX_DEPTH, Member, Step, Token, Visitor, pointer_of};

/// The project's spec, `spec/openapi.yaml`, embedded at build time: what the mock serves, what
/// the client's drift check compares responses with, and the command line's built-in copy.
///
/// Read from this crate's own copy (`cargo package` ships nothing outside the crate's
/// directory); the workspace test `the_embedded_spec_is_the_spec_verbatim` fails as soon as the
/// copy differs from the original. [`Spec::embedded`] is this text, parsed once per process.
pub const SPEC_YAML: &str = include_str!("../spec/openapi.yaml");

#[cfg(feature = "model")]
/// Why a spec could not be loaded, or one of its schemas used.
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
    /// A schema cannot be used: a keyword of the wrong shape, a pattern that does not compile,
    /// a `$ref` that leads nowhere.
    #[error("the schema at {pointer} does not compile: {message}")]
    Schema {
        /// Where the schema is.
        pointer: String,
        /// What is wrong with it.
        message: String,
    },
}
