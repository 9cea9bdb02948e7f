//! The integration tests: one binary, one module per concern. Fixtures are folders of input
//! and expected files; `UPDATE_EXPECT=1 cargo test` rewrites the expected files.

mod bad_input;
mod cli;
mod exports;
mod fixtures;
mod interop;
mod merge;
mod query;
mod robustness;
mod rules;
mod support;
