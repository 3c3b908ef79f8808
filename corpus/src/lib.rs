//! sosik's corpus: what a post is, the news items in it, and what they are about.
//!
//! - [`post`]: a Jekyll post file (front matter, date, body), with the reasons one is refused;
//!   [`dates`]: the one date parser (posts and API parameters) and the range of dates accepted.
//! - [`markdown`] → [`items`]: the body split into news items (summary, why it matters, sources);
//!   [`model`]: the [`NewsItem`] both the indexer and the engine handle.
//! - [`tagging`]: companies and topics (`data/*.toml`), tagging items and expanding aliases in
//!   queries (앤트로픽 = Anthropic); [`glossary`]: Korean and English names of one thing, mined
//!   from the corpus (`data/glossary.toml`).
//!
//! It reads no index and writes nothing: the indexer (`sosik-indexer`) and the engine
//! (`sosik-engine`) both build on it.

pub mod dates;
mod error;
pub mod glossary;
pub mod items;
pub mod markdown;
pub mod model;
pub mod post;
pub mod tagging;

pub use error::CorpusError;
pub use model::{NewsItem, SourceLink};

/// Days since 1970-01-01.
pub fn day_number(date: chrono::NaiveDate) -> i64 {
    date.signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days()
}
