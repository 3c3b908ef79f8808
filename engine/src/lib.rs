//! sosik's search engine: the read side of an index, and the on-disk format both sides share.
//!
//! - [`format`]: every file of an index directory ([`format::IndexFile`]), the schema, the
//!   manifest, the vector store, duplicate groups and story threads, damaged-file checks and the
//!   atomic layout of versions. The indexer writes through it; the engine reads through it.
//! - [`search`]: the [`Engine`] — opening an index, hybrid search (BM25 + vectors fused by
//!   reciprocal rank), facets, filters and similar items.
//! - [`explore`]: companies, topics, timelines, trending and story threads over the same engine.
//! - `lineage`: where a story came from — its primary source and the posts that relayed it
//!   ([`Engine::relays`]).
//! - `suggest`: typeahead over names, topics, threads and title words ([`Engine::suggest`]).
//!
//! It never parses posts (that is `sosik-corpus`) and never builds (that is `sosik-indexer`);
//! the server depends on this crate only.

mod error;
pub mod explore;
pub mod format;
mod lineage;
pub mod search;
mod suggest;

pub use error::EngineError;
pub use search::{Engine, FilterField, Filters, SearchRequest};
pub use sosik_corpus::{dates, NewsItem};
