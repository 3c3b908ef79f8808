//! sosik's engine (the library both binaries call): posts → news items → a BM25 + vector index,
//! and search over it.
//!
//! - [`post`], [`markdown`], [`items`], [`model`]: the corpus model; [`dates`]: the one date
//!   parser (posts and API parameters) and the range of dates accepted.
//! - [`catalog`]: companies and topics, tagging and alias expansion.
//! - [`builder`]: `sosik-indexer build`; [`report`] and [`manifest`] describe its output,
//!   [`progress`] what it reports while it runs.
//! - [`schema`], [`vectors`], [`search`]: the index and the [`search::Engine`].

pub mod builder;
pub mod catalog;
pub mod dates;
pub mod duplicates;
pub mod error;
pub mod eval;
pub mod explore;
mod files;
pub mod items;
pub mod layout;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod post;
pub mod progress;
pub mod relevance;
pub mod report;
pub mod schema;
pub mod search;
pub mod stories;
pub mod stories_eval;
pub mod vectors;

pub use error::IndexerError;
pub use model::{NewsItem, SourceLink};
pub use search::{Engine, Filters, SearchRequest};

/// Sub-directory of an index directory holding the tantivy index.
pub const TANTIVY_DIR: &str = "tantivy";
/// The company/topic lists an index was built with (queries use the same user dictionary).
pub const CATALOG_FILE: &str = "catalog.json";

/// Days since 1970-01-01.
pub fn day_number(date: chrono::NaiveDate) -> i64 {
    date.signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days()
}

/// Default embedding cache: `$SOSIK_HOME/cache/embeddings.bin`, shared by every index built on
/// this machine.
pub fn default_embedding_cache() -> std::path::PathBuf {
    sosik_ko::sosik_home().join("cache").join("embeddings.bin")
}
