//! sosik's indexer: a folder of posts → a published index directory (BM25 + vectors), and the
//! quality evaluations that need a build.
//!
//! - [`build`]: `sosik-indexer build` — reading and parsing posts (with `sosik-corpus`),
//!   tagging, tokenising, embedding, near-duplicate groups ([`build::duplicates`]), story threads
//!   ([`build::stories`]), the [`build::report`] and the [`build::progress`] it reports. It
//!   writes through the on-disk format of `sosik_engine::format`.
//! - [`eval`]: `eval-tagging`, `eval-search`, `eval-stories`.
//!
//! The `sosik-indexer` binary (`src/main.rs`, one module per command under `src/cli/`) is a thin
//! layer over this library.

pub mod build;
mod error;
pub mod eval;

pub use error::IndexerError;

/// Default embedding cache: `$SOSIK_HOME/cache/embeddings.bin`, shared by every index built on
/// this machine.
pub fn default_embedding_cache() -> std::path::PathBuf {
    sosik_ko::sosik_home().join("cache").join("embeddings.bin")
}
