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
    /// The same story in other posts (near-duplicates collapsed into this hit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<Duplicate>,
    /// Each leg's rank and score for this hit; only with `explain=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explain>,
}

/// Another post's copy of a hit's story.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub id: String,
    pub post_path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// Where a hit stood in each leg of the search (`None`: that leg did not rank it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Explain {
    pub bm25: Option<LegRank>,
    pub vector: Option<LegRank>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegRank {
    /// 1-based rank within the leg (after filters).
    pub rank: usize,
    /// BM25 score, or cosine similarity.
    pub score: f32,
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Relevance,
    /// Newest first (ties by relevance).
    Date,
}

/// One value of a facet and how many matching items carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over every matching item (after filters), largest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub companies: Vec<FacetCount>,
    pub topics: Vec<FacetCount>,
    /// Source domains.
    pub sources: Vec<FacetCount>,
    /// `YYYY-MM`, in calendar order.
    pub months: Vec<FacetCount>,
}

/// `GET /api/search` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Number of items that matched (see the README for how each mode counts).
    pub total: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    #[serde(default)]
    pub facets: Facets,
}

/// `GET /api/items/{id}`: everything sosik knows about one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub post_path: String,
    pub post_title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 0-based position in its post.
    pub position: usize,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub body: String,
    pub sources: Vec<Source>,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
}

/// `GET /api/items/{id}/similar`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarResponse {
    pub id: String,
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
