//! Every request the UI makes to the server (`/api/…`), in one place.

use std::fmt;

use gloo_net::http::Request;
use sosik_types::{
    EntityKind, EntityList, EntityProfile, ErrorBody, Interval, Item, NameList, RelayStats, SearchResponse,
    SimilarResponse, SortOrder, Story, StoryList, SuggestResponse, Suggestion, TimelineResponse, TrendingResponse,
};

/// How many hits one search asks for.
pub const PAGE_SIZE: usize = 20;

/// How many similar items the item page lists.
pub const SIMILAR: usize = 6;

/// How many items the timeline lists for one bucket at a time (the most `/api/search` gives at once).
pub const BUCKET_ITEMS: usize = sosik_types::limits::MAX_LIMIT;

/// The deepest `offset` `/api/search` takes.
pub use sosik_types::limits::MAX_OFFSET;

/// How many story threads the home page lists.
pub const HOME_STORIES: usize = 6;

/// The trending window of the home page, in days.
pub const TRENDING_DAYS: u32 = 7;

/// How many of the corpus's newest days count for the home page's "새로 등장한 이름".
pub const NEW_NAMES_DAYS: u32 = 30;

/// Why a request failed; `Display` is the Korean message shown to the reader.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all (server down, connection lost).
    Network,
    /// A non-2xx answer; `message` comes from the server's `{ "error": { … } }` body when it has one.
    Server { status: u16, message: Option<String> },
    /// A 2xx answer that is not the JSON we expect.
    Decode(String),
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Server { status: 404, .. })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network => {
                write!(f, "서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.")
            }
            ApiError::Server { status, message: Some(m) } => write!(f, "서버 오류({status}): {m}"),
            ApiError::Server { status, message: None } => write!(f, "서버 오류({status})가 발생했습니다."),
            ApiError::Decode(e) => write!(f, "서버 응답을 읽을 수 없습니다: {e}"),
        }
    }
}

/// Everything a search is made of; the search page keeps it in its URL (`/?q=…&company=…`), and
/// a followed search in this browser's storage (as JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchParams {
    pub q: String,
    /// Company slugs: an item passes with any of them (each field with values must hold).
    pub company: Vec<String>,
    pub topic: Vec<String>,
    /// People, products or organisations of the glossary (slugs).
    pub name: Vec<String>,
    /// Source domains (`techcrunch.com`).
    pub source: Vec<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// By relevance (the default), relevance with recent coverage lifted (`sort=fresh`), or
    /// newest first (`sort=date`).
    pub sort: SortOrder,
    /// Search `q` as written: a date phrase in it (`지난주`, `3월`) is not read as a date range
    /// (`dates=false`).
    pub literal: bool,
}

impl SearchParams {
    /// Neither a query nor a filter: the home page.
    pub fn is_empty(&self) -> bool {
        self.pairs().iter().all(|(k, _)| matches!(*k, "sort" | "dates"))
    }

    /// The query-string pairs these parameters stand for, empty ones left out, in a fixed order
    /// (used both for the page's URL and for `/api/search`).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.trim().is_empty() {
            out.push(("q", self.q.trim().to_owned()));
        }
        // a filter of several values is its parameter repeated (`company=a&company=b`)
        for (k, values) in
            [("company", &self.company), ("topic", &self.topic), ("name", &self.name), ("source", &self.source)]
        {
            out.extend(values.iter().filter(|v| !v.trim().is_empty()).map(|v| (k, v.trim().to_owned())));
        }
        for (k, v) in [("from", &self.from), ("to", &self.to)] {
            if !v.trim().is_empty() {
                out.push((k, v.trim().to_owned()));
            }
        }
        if self.sort != SortOrder::Relevance {
            out.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.literal {
            out.push(("dates", "false".to_owned()));
        }
        out
    }

    /// The search page's URL for these parameters: `/?q=…&company=…&sort=date`.
    pub fn url(&self) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            return "/".to_owned();
        }
        let qs = pairs.iter().map(|(k, v)| format!("{k}={}", encode_uri_component(v))).collect::<Vec<_>>().join("&");
        format!("/?{qs}")
    }
}

/// Sends a GET and decodes its JSON answer as `$ty` (a macro rather than a generic function: naming
/// serde's `DeserializeOwned` would need serde as a direct dependency).
macro_rules! get_json {
    ($req:expr, $ty:ty) => {{
        let resp = $req.send().await.map_err(|_| ApiError::Network)?;
        if !resp.ok() {
            let message = resp.json::<ErrorBody>().await.ok().map(|b| b.error.message);
            return Err(ApiError::Server { status: resp.status(), message });
        }
        resp.json::<$ty>().await.map_err(|e| ApiError::Decode(e.to_string()))
    }};
}

/// `GET /api/search?q=…&limit=…&offset=…&company=…` (the server picks the mode: hybrid). Without `q` the
/// server lists the items the filters match, newest first.
pub async fn search(params: &SearchParams, limit: usize, offset: usize) -> Result<SearchResponse, ApiError> {
    let mut pairs = params.pairs();
    pairs.push(("limit", limit.to_string()));
    if offset > 0 {
        pairs.push(("offset", offset.to_string()));
    }
    get_json!(Request::get("/api/search").query(pairs.iter().map(|(k, v)| (*k, v.as_str()))), SearchResponse)
}

/// `/companies`, `/topics` or `/names` (people, products and organisations): the path segment of
/// an entity kind, for pages and the API alike.
pub fn kind_path(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Company => "companies",
        EntityKind::Topic => "topics",
        EntityKind::Person | EntityKind::Product | EntityKind::Organization => "names",
    }
}

/// The page of a company, topic or name: `/companies/{slug}`.
pub fn entity_url(kind: EntityKind, slug: &str) -> String {
    format!("/{}/{}", kind_path(kind), encode_uri_component(slug))
}

/// The Atom feed of a company or topic: `/feeds/companies/{slug}.atom`.
pub fn entity_feed_url(kind: EntityKind, slug: &str) -> String {
    format!("/feeds/{}/{}.atom", kind_path(kind), encode_uri_component(slug))
}

/// The page of a story thread.
pub fn story_url(id: &str) -> String {
    format!("/stories/{}", encode_uri_component(id))
}

/// The Atom feed of a story thread.
pub fn story_feed_url(id: &str) -> String {
    format!("/feeds/stories/{}.atom", encode_uri_component(id))
}

/// The Atom feed of a search: its query and filters (the feed is always newest first).
pub fn search_feed_url(params: &SearchParams) -> String {
    let qs = params
        .pairs()
        .into_iter()
        // a feed reads its query as written (its entries must not shift as the days pass)
        .filter(|(k, _)| !matches!(*k, "sort" | "dates"))
        .map(|(k, v)| format!("{k}={}", encode_uri_component(&v)))
        .collect::<Vec<_>>()
        .join("&");
    format!("/feeds/search.atom?{qs}")
}

/// `GET /api/companies` or `GET /api/topics`.
pub async fn entities(kind: EntityKind) -> Result<EntityList, ApiError> {
    get_json!(Request::get(&format!("/api/{}", kind_path(kind))), EntityList)
}

/// `GET /api/names`: every person, product and organisation, most items first.
pub async fn names() -> Result<NameList, ApiError> {
    get_json!(Request::get("/api/names"), NameList)
}

/// `GET /api/companies/{slug}`, `GET /api/topics/{slug}` or `GET /api/names/{slug}`.
pub async fn entity(kind: EntityKind, slug: &str) -> Result<EntityProfile, ApiError> {
    get_json!(Request::get(&format!("/api{}", entity_url(kind, slug))), EntityProfile)
}

/// What a timeline is drawn for; the timeline page keeps it in its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimelineParams {
    pub q: String,
    /// Companies, topics, people/products/organisations (slugs): any of a field's values, every
    /// field with values.
    pub company: Vec<String>,
    pub topic: Vec<String>,
    pub name: Vec<String>,
    pub interval: Interval,
}

impl TimelineParams {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.trim().is_empty() {
            out.push(("q", self.q.trim().to_owned()));
        }
        for (k, values) in [("company", &self.company), ("topic", &self.topic), ("name", &self.name)] {
            out.extend(values.iter().filter(|v| !v.trim().is_empty()).map(|v| (k, v.trim().to_owned())));
        }
        out.push(("interval", self.interval.as_str().to_owned()));
        out
    }

    /// The timeline page's URL, with a selected bucket (its first day) or none.
    pub fn url(&self, bucket: Option<&str>) -> String {
        let mut pairs = self.pairs();
        if let Some(b) = bucket {
            pairs.push(("bucket", b.to_owned()));
        }
        let qs = pairs.iter().map(|(k, v)| format!("{k}={}", encode_uri_component(v))).collect::<Vec<_>>().join("&");
        format!("/timeline?{qs}")
    }
}

/// `GET /api/timeline?company=…&topic=…&name=…&q=…&interval=…&top=3`.
pub async fn timeline(params: &TimelineParams) -> Result<TimelineResponse, ApiError> {
    let mut pairs = params.pairs();
    pairs.push(("top", "3".to_owned()));
    get_json!(Request::get("/api/timeline").query(pairs.iter().map(|(k, v)| (*k, v.as_str()))), TimelineResponse)
}

/// `GET /api/stories?limit=…` (most recently active first).
pub async fn stories(limit: usize) -> Result<StoryList, ApiError> {
    let limit = limit.to_string();
    get_json!(Request::get("/api/stories").query([("limit", limit.as_str())]), StoryList)
}

/// `GET /api/stories/{id}`.
pub async fn story(id: &str) -> Result<Story, ApiError> {
    get_json!(Request::get(&format!("/api/stories/{}", encode_uri_component(id))), Story)
}

/// `GET /api/relays`.
pub async fn relays() -> Result<RelayStats, ApiError> {
    get_json!(Request::get("/api/relays"), RelayStats)
}

/// `GET /api/trending?window={days}d`.
pub async fn trending(days: u32) -> Result<TrendingResponse, ApiError> {
    let window = format!("{days}d");
    get_json!(Request::get("/api/trending").query([("window", window.as_str())]), TrendingResponse)
}

/// `GET /api/names?new={days}d`: people, products and organisations first named in the corpus's
/// newest `days` days.
pub async fn new_names(days: u32) -> Result<NameList, ApiError> {
    let new = format!("{days}d");
    get_json!(Request::get("/api/names").query([("new", new.as_str())]), NameList)
}

/// How many suggestions the search box lists.
pub const SUGGESTIONS: usize = sosik_types::limits::DEFAULT_SUGGESTIONS;

/// `GET /api/suggest?q=…`: typeahead for what the search box holds.
pub async fn suggest(typed: &str) -> Result<Vec<Suggestion>, ApiError> {
    // the server refuses a longer prefix; what long has no suggestion anyway
    if typed.chars().count() > sosik_types::limits::MAX_SUGGEST_CHARS {
        return Ok(Vec::new());
    }
    let limit = SUGGESTIONS.to_string();
    let answer =
        get_json!(Request::get("/api/suggest").query([("q", typed), ("limit", limit.as_str())]), SuggestResponse)?;
    Ok(answer.suggestions)
}

/// `GET /api/items/{id}`.
pub async fn item(id: &str) -> Result<Item, ApiError> {
    get_json!(Request::get(&format!("/api/items/{}", encode_uri_component(id))), Item)
}

/// `GET /api/items/{id}/similar?limit=…`.
pub async fn similar(id: &str) -> Result<SimilarResponse, ApiError> {
    let limit = SIMILAR.to_string();
    let url = format!("/api/items/{}/similar", encode_uri_component(id));
    get_json!(Request::get(&url).query([("limit", limit.as_str())]), SimilarResponse)
}

/// The values of a filter parameter in a page's URL: every occurrence (`company=a&company=b`),
/// each also split at commas (`company=a,b`, as the API takes it), trimmed, blanks and repeats
/// left out.
pub fn filter_values(all: Option<Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for v in all.unwrap_or_default() {
        sosik_types::push_filter_values(&v, &mut out);
    }
    out
}

/// Like JavaScript's `encodeURIComponent`: UTF-8, percent-encoded, but for A–Z a–z 0–9 `-_.!~*'()`.
pub fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
