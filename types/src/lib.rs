//! Wire types shared by `sosik-server` (serialises them) and `sosik-web` (deserialises them).
//!
//! Kept dependency-free apart from serde so the wasm32 build stays small.

use serde::{Deserialize, Serialize};

/// How a search query is answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    /// Korean-aware BM25 over the text index only.
    Bm25,
    /// Cosine similarity of multilingual-e5-small embeddings only.
    Vector,
    /// Reciprocal-rank fusion of both legs.
    #[default]
    Hybrid,
}

impl SearchMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchMode::Bm25 => "bm25",
            SearchMode::Vector => "vector",
            SearchMode::Hybrid => "hybrid",
        }
    }
}

/// A link a news item cites.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// One news item in a search answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Stable item id (same post text and position → same id).
    pub id: String,
    /// The post's path relative to the indexed posts folder, `/`-separated.
    pub post_path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub snippet: String,
    pub score: f32,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
    pub sources: Vec<Source>,
}

/// `GET /api/search` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Number of items that matched (see the README for how each mode counts).
    pub total: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
}

/// Error body of every non-2xx answer: `{ "error": { "code", "message" } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}
