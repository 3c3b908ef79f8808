//! What a search asks for, and the limits every caller (engine, API document, UI) reads from
//! here.

use chrono::NaiveDate;
use sosik_types::{SearchMode, SortOrder};

use crate::error::EngineError;

/// Largest `limit` a search accepts.
pub const MAX_LIMIT: usize = 100;
/// Deepest page (`offset`) a search serves.
pub const MAX_OFFSET: usize = 1000;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// Restrictions on which items a search may return; all given ones must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Company slug.
    pub company: Option<String>,
    /// Topic slug.
    pub topic: Option<String>,
    /// Source domain (`techcrunch.com`).
    pub source: Option<String>,
    /// Inclusive date range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRequest {
    pub q: String,
    pub mode: SearchMode,
    pub limit: usize,
    pub offset: usize,
    pub filters: Filters,
    pub sort: SortOrder,
    /// Report each leg's rank and score per hit.
    pub explain: bool,
}

impl SearchRequest {
    /// A relevance-sorted, unfiltered request for the first `limit` hits.
    pub fn new(q: impl Into<String>, mode: SearchMode, limit: usize) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            mode,
            limit,
            offset: 0,
            filters: Filters::default(),
            sort: SortOrder::Relevance,
            explain: false,
        }
    }

    pub fn validate(&self) -> Result<(), EngineError> {
        let invalid = |param, reason: String| Err(EngineError::InvalidParam { param, reason });
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return invalid("q", format!("longer than {MAX_QUERY_CHARS} characters"));
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return invalid("limit", format!("must be between 1 and {MAX_LIMIT}"));
        }
        if self.offset > MAX_OFFSET {
            return invalid("offset", format!("must be at most {MAX_OFFSET}"));
        }
        if let (Some(from), Some(to)) = (self.filters.from, self.filters.to) {
            if from > to {
                return invalid("from", format!("{from} is after `to` ({to})"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_limits() {
        let ok = SearchRequest::new("x", SearchMode::Hybrid, 10);
        assert!(ok.validate().is_ok());
        for bad in [
            SearchRequest { limit: 0, ..ok.clone() },
            SearchRequest { limit: 101, ..ok.clone() },
            SearchRequest { offset: 5000, ..ok.clone() },
            SearchRequest { q: "가".repeat(501), ..ok.clone() },
            SearchRequest {
                filters: Filters {
                    from: NaiveDate::from_ymd_opt(2026, 2, 1),
                    to: NaiveDate::from_ymd_opt(2026, 1, 1),
                    ..Filters::default()
                },
                ..ok.clone()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
