//! Wire types shared by `sosik-server` (serialises them) and `sosik-web` (deserialises them).
//!
//! Kept dependency-free apart from serde so the wasm32 build stays small; the `openapi` feature
//! (enabled by the server only) derives `utoipa::ToSchema` for `/api/openapi.json`.

pub mod limits;

use serde::{Deserialize, Serialize};

/// How a search query is answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    pub title: String,
    pub url: String,
}

impl Source {
    /// The URL when it is a web address (`http://` or `https://`, any case), the only kind a page
    /// or a feed may turn into a link: a post can cite anything, `javascript:` and `data:` included.
    pub fn web_url(&self) -> Option<&str> {
        is_web_url(&self.url).then_some(self.url.as_str())
    }
}

/// Whether `url` is a web address (`http://` or `https://`, any case); see [`Source::web_url`].
pub fn is_web_url(url: &str) -> bool {
    let scheme = |s: &str| url.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s));
    scheme("https://") || scheme("http://")
}

/// A run of a hit's snippet: plain text, highlighted (a match of the query) or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetRun {
    pub text: String,
    pub marked: bool,
}

/// Reads a snippet as the server writes it ([`Hit::snippet`]: HTML-escaped text with
/// `<mark>…</mark>` around matches) back into runs of plain text, so that a page can show it as
/// text with highlights instead of parsing it as HTML. Only `<mark>` and `</mark>` are markup;
/// anything else, a stray tag included, is text. Entities are decoded once (`&amp;lt;` is `&lt;`).
pub fn snippet_runs(snippet: &str) -> Vec<SnippetRun> {
    let mut runs = Vec::new();
    let mut marked = false;
    let mut rest = snippet;
    loop {
        let tag = if marked { "</mark>" } else { "<mark>" };
        let (text, next) = match rest.find(tag) {
            Some(p) => (&rest[..p], Some(&rest[p + tag.len()..])),
            None => (rest, None),
        };
        if !text.is_empty() {
            runs.push(SnippetRun { text: unescape_html(text), marked });
        }
        match next {
            Some(next) => {
                rest = next;
                marked = !marked;
            }
            None => return runs,
        }
    }
}

/// Decodes the entities an HTML escaper writes (`&lt; &gt; &amp; &quot; &apos;` and numeric ones),
/// in one pass; anything else that starts with `&` is left as it is.
pub fn unescape_html(s: &str) -> String {
    decode_entities(s, |name| match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    })
}

/// Decodes numeric character references and the named ones `named` knows (`&name;` → its
/// character), in one pass: a decoded `&` never starts another reference. Anything else that
/// starts with `&` is left as it is.
pub fn decode_entities(s: &str, named: impl Fn(&str) -> Option<char>) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            named(name)
                .or_else(|| {
                    name.strip_prefix("#x")
                        .or_else(|| name.strip_prefix("#X"))
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                        .and_then(char::from_u32)
                })
                .map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One news item in a search answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// Stable item id (same post text and position → same id).
    pub id: String,
    /// The post's path relative to the indexed posts folder, `/`-separated.
    pub post_path: String,
    pub title: String,
    /// For a passage of an essay (a long post split at its headings, so that `title` is a section
    /// heading): the post's title, to show beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_title: Option<String>,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: String,
    pub snippet: String,
    pub score: f32,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
    /// The people, products and organisations of the glossary it names (slugs, `GET
    /// /api/names/{slug}`).
    #[serde(default)]
    pub names: Vec<String>,
    pub sources: Vec<Source>,
    /// The same story in other posts (near-duplicates collapsed into this hit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<Duplicate>,
    /// The story thread this item belongs to (`GET /api/stories/{id}`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// That thread's size and span ("이어지는 이야기: 5건, 1월 3일 ~ 2월 9일"), with `story`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story_span: Option<StorySpan>,
    /// Each leg's rank and score for this hit; only with `explain=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explain>,
}

/// How long a story thread is: its items and its first and last day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorySpan {
    pub size: usize,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub first_date: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub last_date: String,
}

/// Another post's copy of a hit's story.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duplicate {
    pub id: String,
    pub post_path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: String,
}

/// Where a hit stood in each leg of the search (`None`: that leg did not rank it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explain {
    pub bm25: Option<LegRank>,
    pub vector: Option<LegRank>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegRank {
    /// 1-based rank within the leg (after filters).
    pub rank: usize,
    /// BM25 score, or cosine similarity.
    pub score: f32,
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Relevance,
    /// Relevance, with recent coverage lifted: each hit's fused score times
    /// 1 + w · 2^(−age / half-life), its age counted back from the newest item of the index (see
    /// the README, "Fresh first"). Of equally relevant stories the newer comes first.
    Fresh,
    /// Newest first (ties by relevance).
    Date,
}

impl SortOrder {
    pub const ALL: [SortOrder; 3] = [SortOrder::Relevance, SortOrder::Fresh, SortOrder::Date];

    /// Its value in the API and in page URLs (`sort=fresh`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Fresh => "fresh",
            SortOrder::Date => "date",
        }
    }

    pub fn parse(value: &str) -> Option<SortOrder> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

/// The values of a filter parameter that takes several (`company=openai,anthropic`; the server
/// joins repeated parameters with commas): split at commas, trimmed, appended to `out` unless
/// blank or already there.
pub fn push_filter_values(raw: &str, out: &mut Vec<String>) {
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !out.iter().any(|o| o == part) {
            out.push(part.to_string());
        }
    }
}

/// One value of a facet and how many matching items carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over every matching item (after filters), largest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub companies: Vec<FacetCount>,
    pub topics: Vec<FacetCount>,
    /// People, products and organisations of the glossary (slugs).
    #[serde(default)]
    pub names: Vec<FacetCount>,
    /// Source domains.
    pub sources: Vec<FacetCount>,
    /// `YYYY-MM`, in calendar order.
    pub months: Vec<FacetCount>,
}

/// `GET /api/search` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    /// Number of items that matched (see the README for how each mode counts).
    pub total: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    #[serde(default)]
    pub facets: Facets,
    /// The date phrase read from `q` (`4월 둘째 주`, `지난주`, `2026년 3월`), when there was one:
    /// only items of those days matched (within `from`/`to` if given), and the rest of the query
    /// was searched. Absent when `q` holds no date phrase or `dates=false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_range: Option<QueryDateRange>,
    /// When the query names a story: the thread of the first hit, if its items hold at least
    /// three of the first ten hits (or every item of a shorter thread, two at least). Only on
    /// the first page of a search with a query that is not sorted by date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<StorySummary>,
}

/// A date phrase in a query and the days it stands for (see `GET /api/search`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueryDateRange {
    /// The phrase as written in `q`.
    pub expression: String,
    /// First day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub from: String,
    /// Last day (inclusive), `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub to: String,
    /// What was searched: `q` without the phrase (empty: every item of those days, newest first).
    pub query: String,
}

/// `GET /api/items/{id}`: everything sosik knows about one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub id: String,
    pub post_path: String,
    pub post_title: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
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
    /// The people, products and organisations of the glossary it names (slugs).
    #[serde(default)]
    pub names: Vec<String>,
    /// The story thread this item belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Where its story came from (출처 계보): the article it reports and every post that carried
    /// it, its near-duplicate copies included.
    pub lineage: Lineage,
}

/// Where one story came from (출처 계보): the article it reports, the post that carried it first
/// and every post that carried it later, with how many days later. One per near-duplicate group
/// (an item and its copies in other posts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lineage {
    /// The group's first item (`GET /api/items/{id}`).
    pub group: String,
    /// That item's title.
    pub title: String,
    /// The article the story reports, when its posts cite one (see [`PrimarySource`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<PrimarySource>,
    /// Every post that carried the story, oldest first (one entry per post; a day's posts in
    /// path order, as posts have dates, not times): the first is where it appeared first
    /// (`lag_days` 0), the others carried it later or on the same day.
    pub carriers: Vec<Carrier>,
}

/// The primary source of a story: of the articles its posts cite, the one cited by most of its
/// posts; between equals, a publisher's own page (a company blog, a paper, a repository) before
/// news coverage, coverage before a social-media post, then the earliest cited. Aggregators
/// (GeekNews, Hacker News, Reddit, Google News), home pages and the corpus's own blogs are never
/// primary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrimarySource {
    pub url: String,
    /// Its host without `www.`.
    pub domain: String,
    pub title: String,
    /// `original` (the publisher's own page), `coverage` (a news outlet) or `social`.
    pub kind: SourceKind,
    /// Posts of the group that cite it.
    pub cited_by: usize,
}

/// What kind of page a primary source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The publisher's own page: a company's announcement, a paper, a repository, a blog post.
    Original,
    /// A news outlet's report (TechCrunch, Reuters, …).
    Coverage,
    /// A post on a social network or a video site.
    Social,
}

/// A post that carried a story.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Carrier {
    /// Its item (`GET /api/items/{id}`).
    pub item: String,
    pub post_path: String,
    /// The blog: the first folder of `post_path` (empty for a post at the top of the posts folder).
    pub blog: String,
    /// `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: String,
    /// Days after the first post that carried the story (posts carry dates, not times: a relay on
    /// the same day says 0).
    pub lag_days: u32,
}

/// `GET /api/relays`: how soon each blog relays a story that another blog carried first, over
/// the near-duplicate groups carried by two posts or more. Posts have dates, not times: every
/// blog that carried a story on its first day counts as first, and a relay's lag is at least one
/// day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelayStats {
    /// Near-duplicate groups carried by two posts or more.
    pub groups: u64,
    /// Of those, the groups with a primary source.
    pub resolved: u64,
    /// Of those, the groups carried by two blogs or more: the ones `blogs` counts.
    pub cross_blog: u64,
    /// Every blog that carried a group another blog carried too, most relays first.
    pub blogs: Vec<BlogRelays>,
}

/// One blog's part in the relays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlogRelays {
    /// The first folder of its posts' paths (empty: posts at the top of the posts folder).
    pub blog: String,
    /// Groups carried by two blogs or more that it carried.
    pub groups: u64,
    /// Of those, the groups it carried on their first day.
    pub first: u64,
    /// Of those, the groups it carried only after another blog had: its relays.
    pub relays: u64,
    /// Median and 90th percentile of its relays' lag in days (nearest rank); absent without relays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_lag_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p90_lag_days: Option<u32>,
    /// Its relays by lag: 1, 2, 3, 4–7, 8–14, 15–30 and 31 days or more.
    pub lags: Vec<LagBucket>,
}

/// Relays whose lag lies in `min_days..=max_days` (no `max_days`: or more).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LagBucket {
    pub min_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days: Option<u32>,
    pub count: u64,
}

/// `GET /api/items/{id}/similar`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarResponse {
    pub id: String,
    pub hits: Vec<Hit>,
}

/// Error body of every non-2xx answer: `{ "error": { "code", "message" } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Explore: companies, topics, timelines, story threads, trending.
//
// Counting rule for every explore figure: near-duplicate copies of one news item (the same
// story in several posts, see `Hit::also_in`) count once, as in search totals.
// ---------------------------------------------------------------------------------------------

/// `GET /api/names`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameList {
    /// `YYYY-MM-DD`: Monday of the first week of every sparkline.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub series_start: String,
    /// With `new`: the first day a name must first appear on or after (`YYYY-MM-DD`), counted
    /// back from the newest item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub new_since: Option<String>,
    /// Most items first (names without items last, by slug); with `new`, newest first.
    pub names: Vec<EntitySummary>,
}

/// Width of a time bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    /// Monday to Sunday.
    #[default]
    Week,
    Month,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }
}

/// Counts per bucket over a continuous range (empty buckets included, so a chart can draw it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    pub interval: Interval,
    /// `YYYY-MM-DD`: the first day of the first bucket; empty only when there is no bucket (an
    /// index without items).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(\d{4}-\d{2}-\d{2})?$"))]
    pub start: String,
    /// One count per bucket, in date order.
    pub counts: Vec<u64>,
}

/// What a typeahead suggestion leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    /// A company of the list: `id` is its slug (`/api/companies/{id}`).
    Company,
    /// A topic of the list: `id` is its slug (`/api/topics/{id}`).
    Topic,
    /// A person, product or organisation of the glossary: `id` is its slug (`/api/names/{id}`).
    Person,
    Product,
    Organization,
    /// A story thread: `id` is its id (`/api/stories/{id}`).
    Story,
    /// A word frequent in the corpus's titles: `id` is the query to search.
    Query,
}

/// One typeahead suggestion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// Slug, story id or query, by `kind`.
    pub id: String,
    /// What to show: the display name, the thread's title or the word.
    pub label: String,
    /// The spelling that matched what was typed, when it is not `label` (an alias such as
    /// `Anthropic` for 앤트로픽, or a topic's keyword).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// Its news items (an entity's, a thread's size) or, for a query, the items with the word
    /// in their title.
    pub items: u64,
}

/// `GET /api/suggest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestResponse {
    /// The prefix as received.
    pub query: String,
    /// Best first: a whole-name match, then a name that starts with the prefix, then one with a
    /// later word that does; within each, most items first.
    pub suggestions: Vec<Suggestion>,
}

/// What an entity is: a company (`data/companies.toml`), a topic (`data/topics.toml`), or a
/// person, product or organisation of the glossary (`data/glossary.toml`, "names").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Company,
    Topic,
    Person,
    Product,
    Organization,
}

impl EntityKind {
    /// The three kinds of the glossary's names.
    pub const NAMES: [EntityKind; 3] = [EntityKind::Person, EntityKind::Product, EntityKind::Organization];

    /// A person, product or organisation: a name of the glossary.
    pub fn is_name(self) -> bool {
        Self::NAMES.contains(&self)
    }

    /// Its value in the API (`company`, `person`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Company => "company",
            EntityKind::Topic => "topic",
            EntityKind::Person => "person",
            EntityKind::Product => "product",
            EntityKind::Organization => "organization",
        }
    }
}

/// A company, topic or name with its counts (`GET /api/companies`, `/api/topics`, `/api/names`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntitySummary {
    pub kind: EntityKind,
    /// Its id. A name's is its English name's words in lower case, joined by hyphens
    /// (`jensen-huang`).
    pub slug: String,
    /// Display name (Korean where the lists give one; a name's Korean name as most often
    /// written).
    pub name: String,
    /// English name, when it differs from `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// A name's other Korean spellings (empty for companies and topics: their profiles list
    /// every alias).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// News items tagged with it (a near-duplicate group counts once).
    pub items: u64,
    /// `YYYY-MM-DD` of its first and last item; `None` when it has none.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub first_seen: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub last_seen: Option<String>,
    /// Items per week over the whole corpus (the list's `series_start` is its first week).
    pub sparkline: Vec<u64>,
}

/// `GET /api/companies` and `GET /api/topics`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityList {
    pub kind: EntityKind,
    /// `YYYY-MM-DD`: Monday of the first week of every sparkline.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub series_start: String,
    /// Most items first; entities without items come last (by slug).
    pub entities: Vec<EntitySummary>,
}

/// `GET /api/companies/{slug}`, `GET /api/topics/{slug}` and `GET /api/names/{slug}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityProfile {
    pub kind: EntityKind,
    pub summary: EntitySummary,
    /// Topics' description (empty for companies).
    #[serde(default)]
    pub description: String,
    /// Other spellings the tagger matches (companies and names).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Items per week from its first to its last week.
    pub series: Series,
    /// For a company or a name: its most frequent topics; for a topic: its most frequent
    /// companies.
    pub top_related: Vec<FacetCount>,
    /// For a company or a name: the companies named in its items; for a topic: the topics its
    /// items also carry. Most often first, without itself.
    pub co_mentions: Vec<FacetCount>,
    /// The people, products and organisations named in its items, most often first, without
    /// itself.
    #[serde(default)]
    pub names: Vec<FacetCount>,
    /// Newest items first.
    pub latest: Vec<Hit>,
    /// Story threads it is in, most recent first.
    pub stories: Vec<StorySummary>,
}

/// One bucket of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineBucket {
    /// `YYYY-MM-DD`, inclusive.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub start: String,
    /// `YYYY-MM-DD`, inclusive.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub end: String,
    pub count: u64,
    /// Its most prominent items: most relevant with `q`; otherwise first those whose strongest
    /// topic, company and name are the ones filtered on, then the most widely covered, then the
    /// newest.
    pub top: Vec<Hit>,
}

/// `GET /api/timeline`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineResponse {
    pub interval: Interval,
    /// Items matching (sum of the bucket counts).
    pub total: u64,
    /// Every bucket from the first matching item to the last (or over `from`..`to`).
    pub buckets: Vec<TimelineBucket>,
}

/// A story thread: items about one developing story across days and posts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorySummary {
    pub id: String,
    /// Title of its most widely covered item.
    pub title: String,
    /// Items in the thread (near-duplicate copies included).
    pub size: usize,
    /// Distinct posts its items come from.
    pub posts: usize,
    /// `YYYY-MM-DD` of its first and last item.
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub first_date: String,
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub last_date: String,
    /// Most frequent first.
    pub companies: Vec<String>,
    pub topics: Vec<String>,
}

/// `GET /api/stories`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryList {
    /// Threads matching the filters.
    pub total: u64,
    /// Most recently active first.
    pub stories: Vec<StorySummary>,
}

/// `GET /api/stories/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Story {
    pub summary: StorySummary,
    /// Every item of the thread, oldest first (copies of one item listed in `also_in`).
    pub items: Vec<Hit>,
    /// Where each of those items' stories came from (출처 계보), in the order of `items`.
    pub lineage: Vec<Lineage>,
}

/// How one company or topic's share of items moved between two windows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    pub slug: String,
    pub name: String,
    /// Items in the current and the previous window.
    pub count: u64,
    pub previous_count: u64,
    /// Fraction of all items of that window (0..=1).
    #[cfg_attr(feature = "openapi", schema(minimum = 0.0, maximum = 1.0))]
    pub share: f64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0.0, maximum = 1.0))]
    pub previous_share: f64,
    /// `share - previous_share`, in percentage points; the ranking key.
    pub change_points: f64,
}

/// `GET /api/trending`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendingResponse {
    pub window_days: u32,
    /// `YYYY-MM-DD`, inclusive: the current window ends on the newest item's date (or `to`).
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub previous_from: String,
    #[cfg_attr(feature = "openapi", schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub previous_to: String,
    /// All items in each window.
    pub items: u64,
    pub previous_items: u64,
    /// Rising most first; only those with at least a few items in the current window.
    pub companies: Vec<Trend>,
    pub topics: Vec<Trend>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(snippet: &str) -> Vec<(&'static str, String)> {
        snippet_runs(snippet).into_iter().map(|r| (if r.marked { "mark" } else { "text" }, r.text)).collect()
    }

    #[test]
    fn snippet_runs_are_text_with_highlights() {
        assert_eq!(
            runs("a &lt;script&gt;x&lt;/script&gt; <mark>에이전트</mark> b"),
            vec![("text", "a <script>x</script> ".into()), ("mark", "에이전트".into()), ("text", " b".into())]
        );
        // an escaped <mark> in the text is text, not a highlight; entities decode once
        assert_eq!(
            runs("&lt;mark&gt;가짜&lt;/mark&gt; &amp;lt;b&amp;gt; &#39;&#x27;&quot;"),
            vec![("text", "<mark>가짜</mark> &lt;b&gt; ''\"".into())]
        );
        // a stray tag or a lone ampersand stays literal text
        assert_eq!(runs("<b>x</b> & y &bogus;"), vec![("text", "<b>x</b> & y &bogus;".into())]);
        assert_eq!(runs("<mark>a</mark><mark>b"), vec![("mark", "a".into()), ("mark", "b".into())]);
        assert!(runs("").is_empty());
    }

    #[test]
    fn only_web_urls_are_links() {
        let source = |url: &str| Source { title: String::new(), url: url.into() };
        for url in ["https://example.com/a", "http://example.com", "HTTPS://EXAMPLE.COM"] {
            assert_eq!(source(url).web_url(), Some(url), "{url}");
        }
        for url in
            ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " https://x.com", "data:text/html,x", "//x.com", "https:"]
        {
            assert_eq!(source(url).web_url(), None, "{url}");
        }
    }
}
