//! The indexer's integration tests: one test binary, modules by feature (as in ripgrep), so
//! tantivy, lindera and ONNX Runtime are linked once.

mod artifact;
mod broken_index;
mod cli;
mod common;
mod corpus_formats;
mod duplicates;
mod fuzz_post;
mod glossary;
mod seeds;
mod tagging;
mod vector_graph;
