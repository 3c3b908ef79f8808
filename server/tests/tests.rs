//! The server's integration tests: one test binary, modules by feature (as in ripgrep), so
//! tantivy, lindera and ONNX Runtime are linked once; `common` builds the sample index once.

mod api;
mod common;
mod fuzz_api;
mod openapi;
mod web;
