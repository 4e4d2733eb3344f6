//! docs-check: reads Amazon's published reference pages, extracts their facts, and compares
//! them with the spec, each difference explained (or not) by the corrections ledger.
//!
//! [`html`] turns a page as the site serves it into the text form that [`page`] parses,
//! [`facts`] states what a page says in the project's vocabulary (the committed digest
//! `spec/docs-facts.yaml` is a list of these per page), and [`compare`] lists the differences
//! between a page and the spec.

pub mod compare;
pub mod digest;
mod example_json;
pub mod facts;
pub mod html;
pub mod page;
