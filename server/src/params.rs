//! Query-string parameters: one struct per endpoint, from which both the parsing and the OpenAPI
//! description come (meilisearch's `routes/indexes/search.rs` is the model).
//!
//! Each struct derives serde's `Deserialize` (every field through one of the [`de`] functions,
//! which give the error text) and utoipa's `IntoParams` (doc comments are the descriptions;
//! bounds come from [`sosik_types::limits`] through [`Bounds`]). The [`Params`]
//! extractor refuses a parameter the struct does not name (`unknown_parameter`, listing the
//! allowed ones) or one given twice (`invalid_parameter`), before serde sees anything, and names
//! the parameter in every error. Bounds are checked by the engine, which owns them.
//!
//! An empty value means "not given" for text, date and choice parameters (`?company=` is no
//! filter), so a form that submits all its fields works; a number must be a number.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::value::MapDeserializer;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sosik_engine::explore::{StoriesRequest, TimelineRequest};
use sosik_engine::{Filters, SearchRequest};
use sosik_types::limits::{
    DEFAULT_LIMIT, DEFAULT_SIMILAR, DEFAULT_SUGGESTIONS, DEFAULT_TOP, DEFAULT_WINDOW_DAYS, MAX_FILTER_VALUES,
    MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, MAX_SUGGESTIONS, MAX_SUGGEST_CHARS, MAX_TOP,
};
use sosik_types::{EntityKind, Interval, SearchMode, SortOrder};
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Object, OpenApi, RefOr};
use utoipa::{IntoParams, Modify};

use crate::{ApiError, ErrorCode};

/// The parameters of a request, parsed into `T` (see the module docs).
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + IntoParams + 'static> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parse(parts.uri.query()).map(Params)
    }
}

/// The names of `T`'s parameters, in declaration order. Computed once per type: `into_params`
/// builds the whole OpenAPI description (texts and schemas), which no request should pay for.
fn names<T: IntoParams + 'static>() -> &'static [String] {
    static NAMES: OnceLock<Mutex<HashMap<TypeId, &'static [String]>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    names.entry(TypeId::of::<T>()).or_insert_with(|| {
        let list: Vec<String> = T::into_params(|| Some(ParameterIn::Query)).into_iter().map(|p| p.name).collect();
        // one small list per parameter struct, kept for the life of the process
        Box::leak(list.into_boxed_slice())
    })
}

/// The filter parameters that take several values: repeated (`company=openai&company=anthropic`)
/// or separated by commas (`company=openai,anthropic`). Any other parameter given twice is refused.
pub const MULTI_VALUED: [&str; 4] = ["company", "topic", "name", "source"];

/// Parses a raw query string into `T`.
pub fn parse<T: DeserializeOwned + IntoParams + 'static>(raw: Option<&str>) -> Result<T, ApiError> {
    let allowed = names::<T>();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if !allowed.iter().any(|a| *a == k) {
            return Err(ApiError::new(
                ErrorCode::UnknownParameter,
                format!("unknown parameter `{k}`; allowed: {}", allowed.join(", ")),
            ));
        }
        if let Some((_, values)) = pairs.iter_mut().find(|(seen, _)| *seen == k) {
            if !MULTI_VALUED.contains(&k.as_ref()) {
                return Err(ApiError::new(
                    ErrorCode::InvalidParameter,
                    format!("parameter `{k}` given more than once"),
                ));
            }
            // read by `de::texts`, which splits at commas (slugs and domains hold none)
            values.push(',');
            values.push_str(&v);
            continue;
        }
        pairs.push((k.into_owned(), v.into_owned()));
    }
    let map = MapDeserializer::<_, serde::de::value::Error>::new(pairs.into_iter());
    serde_path_to_error::deserialize(map).map_err(|e| {
        let inner = e.inner().to_string();
        // a required parameter that is absent is reported at the root, by serde's wording
        let message = match inner.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`')) {
            Some(name) => format!("parameter `{name}` is required"),
            None => format!("parameter `{}` {inner}", e.path()),
        };
        ApiError::new(ErrorCode::InvalidParameter, message)
    })
}

/// An endpoint that takes no query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoParams {}

/// `GET /api/search`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    #[doc = "The query, at most 500 characters; absent or blank: every item that passes the filters, \
             newest first"]
    #[serde(default, deserialize_with = "de::raw")]
    pub q: Option<String>,
    /// Ranking; default `hybrid`
    #[serde(default, deserialize_with = "de::mode")]
    pub mode: Option<SearchMode>,
    /// Hits per page; default 20
    #[serde(default, deserialize_with = "de::number")]
    pub limit: Option<usize>,
    /// Hits to skip; default 0
    #[serde(default, deserialize_with = "de::number")]
    pub offset: Option<usize>,
    /// Company slugs (`data/companies.toml`), repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub company: Vec<String>,
    /// Topic slugs (`data/topics.toml`), repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub topic: Vec<String>,
    /// Slugs of people, products or organisations (`GET /api/names`), repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub name: Vec<String>,
    /// Source domains, e.g. `techcrunch.com`, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub source: Vec<String>,
    /// First day (inclusive): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive; not before `from`): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<chrono::NaiveDate>,
    /// Order: `relevance` (the default), `fresh` (relevance with recent coverage lifted: of
    /// equally relevant stories the newer first) or `date` (newest first)
    #[serde(default, deserialize_with = "de::sort")]
    pub sort: Option<SortOrder>,
    /// Add each hit's rank and score in both legs (`true`/`1`); default `false`
    #[serde(default, deserialize_with = "de::flag")]
    pub explain: Option<bool>,
    /// Read a date phrase in `q` (`2026년 4월 12일`, `4월 둘째 주`, `지난주`, `3월`, `최근 7일`) as a
    /// date range and search the rest of `q` within it (`true`/`1`, the default), or search `q`
    /// as written (`false`/`0`). The answer's `date_range` says what was read.
    #[serde(default, deserialize_with = "de::flag")]
    pub dates: Option<bool>,
}

impl SearchParams {
    /// The request, with date phrases read against `today` unless `dates=false`.
    pub fn into_request(self, today: chrono::NaiveDate) -> SearchRequest {
        SearchRequest {
            q: self.q.unwrap_or_default(),
            mode: self.mode.unwrap_or(SearchMode::Hybrid),
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            offset: self.offset.unwrap_or(0),
            filters: Filters {
                company: self.company,
                topic: self.topic,
                name: self.name,
                source: self.source,
                from: self.from,
                to: self.to,
            },
            sort: self.sort.unwrap_or(SortOrder::Relevance),
            explain: self.explain.unwrap_or(false),
            today: self.dates.unwrap_or(true).then_some(today),
        }
    }
}

/// `GET /api/items/{id}/similar`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimilarParams {
    /// How many; default 10
    #[serde(default, deserialize_with = "de::number")]
    pub limit: Option<usize>,
}

impl SimilarParams {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_SIMILAR)
    }
}

/// `GET /api/suggest`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What the search box holds (at most 100 characters): a prefix, whose last syllable may
    /// still be being composed (`앤트로`, `엔비디ㅇ`), or initial consonants only (`ㅇㅌㄹㅍ`)
    pub q: String,
    /// How many; default 8
    #[serde(default, deserialize_with = "de::number")]
    pub limit: Option<usize>,
}

impl SuggestParams {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_SUGGESTIONS)
    }
}

/// `GET /api/timeline`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Only items matching this query (at most 500 characters); absent: every item
    #[serde(default, deserialize_with = "de::raw")]
    pub q: Option<String>,
    /// Company slugs, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub company: Vec<String>,
    /// Topic slugs, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub topic: Vec<String>,
    /// Slugs of people, products or organisations (`GET /api/names`), repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub name: Vec<String>,
    /// Source domains, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub source: Vec<String>,
    /// First day (inclusive): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive; not before `from`): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<chrono::NaiveDate>,
    /// Bucket width; default `week`. At most 2000 buckets over the range
    #[serde(default, deserialize_with = "de::interval")]
    pub interval: Option<Interval>,
    /// Items listed per bucket; default 3
    #[serde(default, deserialize_with = "de::number")]
    pub top: Option<usize>,
}

impl TimelineParams {
    pub fn into_request(self) -> TimelineRequest {
        TimelineRequest {
            q: self.q.map(|q| q.trim().to_string()).unwrap_or_default(),
            filters: Filters {
                company: self.company,
                topic: self.topic,
                name: self.name,
                source: self.source,
                from: self.from,
                to: self.to,
            },
            interval: self.interval.unwrap_or(Interval::Week),
            top: self.top.unwrap_or(DEFAULT_TOP),
        }
    }
}

/// `GET /api/stories`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StoriesParams {
    /// Company slugs, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub company: Vec<String>,
    /// Topic slugs, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub topic: Vec<String>,
    /// Slugs of people, products or organisations (`GET /api/names`), repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub name: Vec<String>,
    /// Source domains, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub source: Vec<String>,
    /// First day (inclusive): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<chrono::NaiveDate>,
    /// Threads per page; default 20
    #[serde(default, deserialize_with = "de::number")]
    pub limit: Option<usize>,
    /// Threads to skip; default 0
    #[serde(default, deserialize_with = "de::number")]
    pub offset: Option<usize>,
}

impl StoriesParams {
    pub fn into_request(self) -> StoriesRequest {
        StoriesRequest {
            filters: Filters {
                company: self.company,
                topic: self.topic,
                name: self.name,
                source: self.source,
                from: self.from,
                to: self.to,
            },
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            offset: self.offset.unwrap_or(0),
        }
    }
}

/// `GET /api/trending`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TrendingParams {
    /// Window length in days, `7d` or `7`, 1d–365d; default `7d`
    #[serde(default, deserialize_with = "de::window")]
    #[param(value_type = Option<String>, pattern = "^[0-9]+d?$")]
    pub window: Option<u32>,
    /// Last day of the current window; default the newest item's date: `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<chrono::NaiveDate>,
}

impl TrendingParams {
    pub fn window_days(&self) -> u32 {
        self.window.unwrap_or(DEFAULT_WINDOW_DAYS)
    }
}

/// `GET /api/names`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NamesParams {
    /// Only names of this kind; default every kind
    #[serde(default, deserialize_with = "de::name_kind")]
    #[param(value_type = Option<String>, pattern = "^(person|product|organization)$")]
    pub kind: Option<EntityKind>,
    /// Only names first seen in the newest this-many days of the corpus, `30d` or `30`, 1d–365d
    #[serde(default, deserialize_with = "de::window")]
    #[param(value_type = Option<String>, pattern = "^[0-9]+d?$")]
    pub new: Option<u32>,
}

/// `GET /feeds/search.atom`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchFeedParams {
    /// Only items matching this query
    #[serde(default, deserialize_with = "de::raw")]
    pub q: Option<String>,
    /// Company slugs, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub company: Vec<String>,
    /// Topic slugs, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub topic: Vec<String>,
    /// Slugs of people, products or organisations (`GET /api/names`), repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub name: Vec<String>,
    /// Source domains, repeated or comma-separated: any of them
    #[serde(default, deserialize_with = "de::texts")]
    pub source: Vec<String>,
    /// First day (inclusive): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive): `YYYY-MM-DD`, a four-digit year, 1990-01-01 to 2100-12-31
    #[serde(default, deserialize_with = "de::date")]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<chrono::NaiveDate>,
}

impl SearchFeedParams {
    /// The query (trimmed) and the filters.
    pub fn into_parts(self) -> (String, Filters) {
        let q = self.q.map(|q| q.trim().to_string()).unwrap_or_default();
        let filters = Filters {
            company: self.company,
            topic: self.topic,
            name: self.name,
            source: self.source,
            from: self.from,
            to: self.to,
        };
        (q, filters)
    }
}

/// Sets the schema of every bounded query parameter from [`sosik_types::limits`], by name (`q`,
/// `limit`, `offset` and `top` mean the same bound on every endpoint but typeahead's), so the document states
/// exactly what the engine enforces. (utoipa's `schema_with` would drop the doc comment, and its
/// `maximum = …` takes only literals.)
pub struct Bounds;

impl Modify for Bounds {
    fn modify(&self, doc: &mut OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let Some(op) = item.get.as_mut() else { continue };
            for param in op.parameters.iter_mut().flatten() {
                if param.parameter_in == ParameterIn::Query {
                    if let Some(schema) = bounded(path, &param.name) {
                        param.schema = Some(schema);
                    }
                }
            }
        }
    }
}

/// The schema of a bounded query parameter of the endpoint at `path`.
fn bounded(path: &str, name: &str) -> Option<RefOr<Schema>> {
    let integer = |min: usize, max: usize| {
        ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(min as f64)).maximum(Some(max as f64)).build()
    };
    if MULTI_VALUED.contains(&name) {
        // repeated (`company=a&company=b`, form style, exploded) or comma-separated
        let values = ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(Type::String).build())
            .max_items(Some(MAX_FILTER_VALUES))
            .build();
        return Some(values.into());
    }
    let suggest = path == "/api/suggest";
    let object: Object = match name {
        "q" if suggest => ObjectBuilder::new().schema_type(Type::String).max_length(Some(MAX_SUGGEST_CHARS)).build(),
        "limit" if suggest => integer(1, MAX_SUGGESTIONS),
        "q" => ObjectBuilder::new().schema_type(Type::String).max_length(Some(MAX_QUERY_CHARS)).build(),
        "limit" => integer(1, MAX_LIMIT),
        "offset" => integer(0, MAX_OFFSET),
        "top" => integer(0, MAX_TOP),
        _ => return None,
    };
    Some(object.into())
}

/// How each kind of value is read, with the error text that follows "parameter `name` ".
mod de {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};
    use sosik_engine::dates;
    use sosik_types::{EntityKind, Interval, SearchMode, SortOrder};

    /// One of `choices` (`""` is the default), or an error listing them.
    fn choice<'de, D: Deserializer<'de>, T: Copy>(
        d: D,
        trim: bool,
        choices: &[(&str, T)],
        expected: &str,
    ) -> Result<Option<T>, D::Error> {
        let raw = String::deserialize(d)?;
        let v = if trim { raw.trim() } else { raw.as_str() };
        if v.is_empty() {
            return Ok(None);
        }
        match choices.iter().find(|(name, _)| *name == v) {
            Some((_, value)) => Ok(Some(*value)),
            None => Err(D::Error::custom(format!("must be {expected}, got {v:?}"))),
        }
    }

    pub fn mode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SearchMode>, D::Error> {
        let choices = [("hybrid", SearchMode::Hybrid), ("bm25", SearchMode::Bm25), ("vector", SearchMode::Vector)];
        choice(d, false, &choices, "bm25, vector or hybrid")
    }

    pub fn sort<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SortOrder>, D::Error> {
        let choices = SortOrder::ALL.map(|o| (o.as_str(), o));
        choice(d, false, &choices, "relevance, fresh or date")
    }

    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        let choices = [("false", false), ("0", false), ("true", true), ("1", true)];
        choice(d, false, &choices, "true or false")
    }

    pub fn name_kind<'de, D: Deserializer<'de>>(d: D) -> Result<Option<EntityKind>, D::Error> {
        let choices = [
            ("person", EntityKind::Person),
            ("product", EntityKind::Product),
            ("organization", EntityKind::Organization),
        ];
        choice(d, true, &choices, "person, product or organization")
    }

    pub fn interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Interval>, D::Error> {
        let choices = [("week", Interval::Week), ("day", Interval::Day), ("month", Interval::Month)];
        choice(d, true, &choices, "day, week or month")
    }

    /// A non-negative integer (blank: not given).
    pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
        let v = String::deserialize(d)?;
        v.trim().parse().map(Some).map_err(|_| D::Error::custom(format!("must be a non-negative integer, got {v:?}")))
    }

    /// The value as given (a query: the engine decides what blank means).
    pub fn raw<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        String::deserialize(d).map(Some)
    }

    /// Several values separated by commas (repeated parameters arrive joined so, see
    /// [`super::parse`]), trimmed, blanks and repeats left out.
    pub fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let mut out = Vec::new();
        sosik_types::push_filter_values(&String::deserialize(d)?, &mut out);
        Ok(out)
    }

    /// A date, read by the engine's one date parser ([`dates::parse`]): `YYYY-MM-DD`, a
    /// four-digit year, from [`dates::MIN_DATE`] to [`dates::MAX_DATE`].
    pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDate>, D::Error> {
        let v = String::deserialize(d)?;
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        dates::parse(v).map(Some).map_err(|e| D::Error::custom(format!("{e}, got {v:?}")))
    }

    /// `7d`, `30d` (or a bare number of days).
    pub fn window<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        let v = String::deserialize(d)?;
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.strip_suffix('d')
            .unwrap_or(v)
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("must be a number of days like 7d, got {v:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<T: DeserializeOwned + IntoParams + std::fmt::Debug + 'static>(raw: &str) -> (ErrorCode, String) {
        let e = parse::<T>(Some(raw)).unwrap_err();
        (e.code, e.message)
    }

    #[test]
    fn unknown_and_repeated_parameters_are_refused_by_name() {
        let (code, msg) = message::<SearchParams>("q=x&colour=red");
        assert_eq!(code, ErrorCode::UnknownParameter);
        assert_eq!(
            msg,
            "unknown parameter `colour`; allowed: q, mode, limit, offset, company, topic, name, source, from, to, sort, explain, dates"
        );
        assert_eq!(message::<NoParams>("a=1").1, "unknown parameter `a`; allowed: ");
        let (code, msg) = message::<SearchParams>("q=x&limit=3&limit=4");
        assert_eq!((code, msg.as_str()), (ErrorCode::InvalidParameter, "parameter `limit` given more than once"));
    }

    #[test]
    fn values_are_read_as_before_and_errors_name_the_parameter() {
        let p =
            parse::<SearchParams>(Some("q=%20a%20&company=%20openai%20&topic=&mode=&limit=%205&explain=1")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let req = p.into_request(today);
        assert_eq!(req.q, " a ", "a search query is passed as given");
        assert_eq!(req.today, Some(today), "date phrases are read by default");
        let literal = parse::<SearchParams>(Some("q=3%EC%9B%94&dates=false")).unwrap().into_request(today);
        assert_eq!(literal.today, None, "dates=false searches the query as written");
        assert_eq!(req.filters.company, ["openai"]);
        assert!(req.filters.topic.is_empty(), "blank is not given");
        // several values of a filter: repeated or separated by commas, blanks and repeats dropped
        let multi = parse::<SearchParams>(Some("company=openai&company=anthropic,%20openai,&topic=agents&source="))
            .unwrap()
            .into_request(today);
        assert_eq!(multi.filters.company, ["openai", "anthropic"]);
        assert_eq!(multi.filters.topic, ["agents"]);
        assert!(multi.filters.source.is_empty());
        assert_eq!((req.mode, req.limit, req.offset, req.explain), (SearchMode::Hybrid, 5, 0, true));
        let bad = |raw: &str| message::<SearchParams>(raw).1;
        assert_eq!(bad("limit=abc"), "parameter `limit` must be a non-negative integer, got \"abc\"");
        assert_eq!(bad("offset=-1"), "parameter `offset` must be a non-negative integer, got \"-1\"");
        assert_eq!(bad("limit="), "parameter `limit` must be a non-negative integer, got \"\"");
        assert_eq!(bad("mode=fast"), "parameter `mode` must be bm25, vector or hybrid, got \"fast\"");
        assert_eq!(bad("sort=old"), "parameter `sort` must be relevance, fresh or date, got \"old\"");
        assert_eq!(bad("explain=yes"), "parameter `explain` must be true or false, got \"yes\"");
        assert!(bad("from=2026-13-01").starts_with("parameter `from` "), "{}", bad("from=2026-13-01"));
        assert!(bad("from=2026-13-01").ends_with(", got \"2026-13-01\""));

        let t = parse::<TimelineParams>(Some("q=%20x%20&interval=%20day%20")).unwrap().into_request();
        assert_eq!((t.q.as_str(), t.interval, t.top), ("x", Interval::Day, DEFAULT_TOP));
        assert_eq!(
            message::<TimelineParams>("interval=year").1,
            "parameter `interval` must be day, week or month, got \"year\""
        );
        let w = |raw: &str| parse::<TrendingParams>(Some(raw)).map(|p| p.window_days());
        assert_eq!((w("window=30d").unwrap(), w("window=30").unwrap(), w("window=").unwrap()), (30, 30, 7));
        assert_eq!(
            message::<TrendingParams>("window=week").1,
            "parameter `window` must be a number of days like 7d, got \"week\""
        );
        assert_eq!(parse::<SimilarParams>(None).unwrap().limit(), DEFAULT_SIMILAR);
    }
}
