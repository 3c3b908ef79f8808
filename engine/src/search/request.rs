//! What a search asks for, and the one place every request's bounds are checked (the bounds
//! themselves are [`sosik_types::limits`], which the API document and the UI read too).

use chrono::NaiveDate;
pub use sosik_types::limits::{MAX_FILTER_VALUES, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};
use sosik_types::{SearchMode, SortOrder};

use crate::error::EngineError;

fn invalid(param: &'static str, reason: String) -> Result<(), EngineError> {
    Err(EngineError::InvalidParam { param, reason })
}

/// `q` is at most [`MAX_QUERY_CHARS`] characters.
pub(crate) fn check_query(q: &str) -> Result<(), EngineError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return invalid("q", format!("longer than {MAX_QUERY_CHARS} characters"));
    }
    Ok(())
}

/// `limit` is 1 to [`MAX_LIMIT`].
pub(crate) fn check_limit(limit: usize) -> Result<(), EngineError> {
    if limit == 0 || limit > MAX_LIMIT {
        return invalid("limit", format!("must be between 1 and {MAX_LIMIT}"));
    }
    Ok(())
}

/// `limit` is 1 to [`MAX_LIMIT`] and `offset` at most [`MAX_OFFSET`].
pub(crate) fn check_page(limit: usize, offset: usize) -> Result<(), EngineError> {
    check_limit(limit)?;
    if offset > MAX_OFFSET {
        return invalid("offset", format!("must be at most {MAX_OFFSET}"));
    }
    Ok(())
}

/// Restrictions on which items a search may return: every field with values must hold (AND
/// across fields), and a field holds when the item has any of its values (OR within a field:
/// `company=openai&company=anthropic` is either).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Company slugs.
    pub company: Vec<String>,
    /// Topic slugs.
    pub topic: Vec<String>,
    /// Slugs of people, products or organisations of the glossary (`GET /api/names`).
    pub name: Vec<String>,
    /// Source domains (`techcrunch.com`).
    pub source: Vec<String>,
    /// Inclusive date range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Filters {
    /// Filters on one value of one field (`Filters::one(FilterField::Company, "openai")`).
    pub fn one(field: FilterField, value: impl Into<String>) -> Filters {
        let mut f = Filters::default();
        f.values_mut(field).push(value.into());
        f
    }

    /// The values of one field.
    pub fn values(&self, field: FilterField) -> &[String] {
        match field {
            FilterField::Company => &self.company,
            FilterField::Topic => &self.topic,
            FilterField::Name => &self.name,
            FilterField::Source => &self.source,
        }
    }

    pub fn values_mut(&mut self, field: FilterField) -> &mut Vec<String> {
        match field {
            FilterField::Company => &mut self.company,
            FilterField::Topic => &mut self.topic,
            FilterField::Name => &mut self.name,
            FilterField::Source => &mut self.source,
        }
    }

    /// At most [`MAX_FILTER_VALUES`] values per field, and the date range is not reversed.
    pub fn validate(&self) -> Result<(), EngineError> {
        for field in FilterField::ALL {
            let n = self.values(field).len();
            if n > MAX_FILTER_VALUES {
                return invalid(field.param(), format!("takes at most {MAX_FILTER_VALUES} values, got {n}"));
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return invalid("from", format!("{from} is after `to` ({to})"));
            }
        }
        Ok(())
    }
}

/// The fields a filter selects values of (the facets that count disjunctively).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterField {
    Company,
    Topic,
    Name,
    Source,
}

impl FilterField {
    pub const ALL: [FilterField; 4] =
        [FilterField::Company, FilterField::Topic, FilterField::Name, FilterField::Source];

    /// Its query parameter.
    pub fn param(self) -> &'static str {
        match self {
            FilterField::Company => "company",
            FilterField::Topic => "topic",
            FilterField::Name => "name",
            FilterField::Source => "source",
        }
    }
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
    /// The day date phrases in `q` are relative to (`지난주`, and `3월` as the latest March
    /// begun by then; see [`crate::search::dates`]). `None`: `q` is searched as written.
    pub today: Option<NaiveDate>,
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
            today: None,
        }
    }

    pub fn validate(&self) -> Result<(), EngineError> {
        check_query(&self.q)?;
        check_page(self.limit, self.offset)?;
        self.filters.validate()
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
