//! Explore endpoints (`/api/companies`, `/api/topics`, `/api/names`, `/api/timeline`,
//! `/api/stories`, `/api/trending`) and the Atom feeds (`/feeds/…`). Each parses its parameters and
//! calls the engine ([`sosik_engine::explore`]).

use atom_syndication::{Content, Entry, Feed, Link, Text};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{FixedOffset, TimeZone};
use sosik_engine::explore::entity_filters;
use sosik_engine::{dates, Filters, SearchRequest};
use sosik_types::{
    EntityKind, EntityList, EntityProfile, ErrorBody, Hit, NameList, RelayStats, SearchMode, SortOrder, Story,
    StoryList, TimelineResponse, TrendingResponse,
};

use crate::params::{NamesParams, NoParams, Params, SearchFeedParams, StoriesParams, TimelineParams, TrendingParams};
use crate::{blocking, ApiError, AppState, ErrorCode};

/// The `/api` routes of this module.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/companies", get(companies))
        .route("/companies/{slug}", get(company))
        .route("/topics", get(topics))
        .route("/topics/{slug}", get(topic))
        .route("/timeline", get(timeline))
        .route("/stories", get(stories))
        .route("/stories/{id}", get(story))
        .route("/trending", get(trending))
        .route("/relays", get(relays))
        .route("/names", get(names))
        .route("/names/{slug}", get(name))
}

/// The `/feeds` routes.
pub fn feed_routes() -> Router<AppState> {
    Router::new()
        .route("/search.atom", get(search_feed))
        .route("/companies/{file}", get(company_feed))
        .route("/topics/{file}", get(topic_feed))
        .route("/names/{file}", get(name_feed))
        .route("/stories/{file}", get(story_feed))
}

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("no {what} {id:?}"))
}

/// Every company of the catalog with its item count, first and last date and weekly sparkline.
#[utoipa::path(get, path = "/api/companies", tag = "explore",
    responses(
        (status = 200, description = "The companies, most items first", body = EntityList),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
    ))]
pub(crate) async fn companies(
    State(state): State<AppState>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<EntityList>, ApiError> {
    let engine = state.engine();
    Ok(Json(blocking(move || Ok(engine.companies().clone())).await?))
}

/// Every topic of the catalog with its item count, first and last date and weekly sparkline.
#[utoipa::path(get, path = "/api/topics", tag = "explore",
    responses(
        (status = 200, description = "The topics, most items first", body = EntityList),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
    ))]
pub(crate) async fn topics(
    State(state): State<AppState>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<EntityList>, ApiError> {
    let engine = state.engine();
    Ok(Json(blocking(move || Ok(engine.topics().clone())).await?))
}

async fn profile(state: AppState, kind: EntityKind, slug: String) -> Result<Json<EntityProfile>, ApiError> {
    let engine = state.engine();
    let lookup = slug.clone();
    let what = if kind.is_name() { "person, product or organization" } else { kind.as_str() };
    let (profile, is_company) = blocking(move || {
        let profile = engine.entity(kind, &lookup)?;
        // a glossary name that is a listed company is that company (Anthropic): say where it is
        let is_company =
            profile.is_none() && kind.is_name() && engine.companies().entities.iter().any(|c| c.slug == lookup);
        Ok((profile, is_company))
    })
    .await?;
    profile.map(Json).ok_or_else(|| match is_company {
        true => {
            ApiError::new(ErrorCode::NotFound, format!("no {what} {slug:?}; it is a company: /api/companies/{slug}"))
        }
        false => not_found(what, &slug),
    })
}

/// One company's profile: counts, weekly series, related topics, co-mentions, latest items, stories.
#[utoipa::path(get, path = "/api/companies/{slug}", tag = "explore",
    params(("slug" = String, Path, description = "Company slug (`data/companies.toml`), e.g. `anthropic`")),
    responses(
        (status = 200, description = "The company's profile", body = EntityProfile),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No company has this slug", body = ErrorBody),
    ))]
pub(crate) async fn company(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<EntityProfile>, ApiError> {
    profile(state, EntityKind::Company, slug).await
}

/// One topic's profile: counts, weekly series, related companies, co-mentions, latest items, stories.
#[utoipa::path(get, path = "/api/topics/{slug}", tag = "explore",
    params(("slug" = String, Path, description = "Topic slug (`data/topics.toml`), e.g. `agents`")),
    responses(
        (status = 200, description = "The topic's profile", body = EntityProfile),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No topic has this slug", body = ErrorBody),
    ))]
pub(crate) async fn topic(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<EntityProfile>, ApiError> {
    profile(state, EntityKind::Topic, slug).await
}

/// One person's, product's or organisation's profile (the profile's `kind` says which): counts,
/// weekly series, its topics, the companies and names in its items, latest items, stories.
#[utoipa::path(get, path = "/api/names/{slug}", tag = "explore",
    params(("slug" = String, Path, description = "A name's slug (`GET /api/names`), e.g. `claude-code`")),
    responses(
        (status = 200, description = "The name's profile", body = EntityProfile),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No person, product or organisation has this slug", body = ErrorBody),
    ))]
pub(crate) async fn name(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<EntityProfile>, ApiError> {
    profile(state, EntityKind::Person, slug).await
}

/// Items per day, week or month, with each bucket's most prominent items.
#[utoipa::path(get, path = "/api/timeline", tag = "explore",
    params(TimelineParams),
    responses(
        (status = 200, description = "Every bucket over the range, empty ones included", body = TimelineResponse),
        (status = 400, description = "A parameter is malformed, out of bounds, repeated or unknown", body = ErrorBody),
    ))]
pub(crate) async fn timeline(
    State(state): State<AppState>,
    Params(p): Params<TimelineParams>,
) -> Result<Json<TimelineResponse>, ApiError> {
    let req = p.into_request();
    let engine = state.engine();
    Ok(Json(blocking(move || engine.timeline(&req)).await?))
}

/// Story threads (one developing story across days and posts), most recently active first.
#[utoipa::path(get, path = "/api/stories", tag = "explore",
    params(StoriesParams),
    responses(
        (status = 200, description = "One page of threads and their total", body = StoryList),
        (status = 400, description = "A parameter is malformed, out of bounds, repeated or unknown", body = ErrorBody),
    ))]
pub(crate) async fn stories(
    State(state): State<AppState>,
    Params(p): Params<StoriesParams>,
) -> Result<Json<StoryList>, ApiError> {
    let req = p.into_request();
    let engine = state.engine();
    Ok(Json(blocking(move || engine.stories(&req)).await?))
}

/// One story thread with every item, oldest first.
#[utoipa::path(get, path = "/api/stories/{id}", tag = "explore",
    params(("id" = String, Path, description = "Story id (a hit's `story`)")),
    responses(
        (status = 200, description = "The thread", body = Story),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No story has this id", body = ErrorBody),
    ))]
pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<Story>, ApiError> {
    let engine = state.engine();
    let lookup = id.clone();
    blocking(move || engine.story(&lookup)).await?.map(Json).ok_or_else(|| not_found("story", &id))
}

/// Companies and topics whose share of items rose most, this window against the one before.
#[utoipa::path(get, path = "/api/trending", tag = "explore",
    params(TrendingParams),
    responses(
        (status = 200, description = "Rising companies and topics", body = TrendingResponse),
        (status = 400, description = "A parameter is malformed, out of bounds, repeated or unknown", body = ErrorBody),
    ))]
pub(crate) async fn trending(
    State(state): State<AppState>,
    Params(p): Params<TrendingParams>,
) -> Result<Json<TrendingResponse>, ApiError> {
    let (days, to) = (p.window_days(), p.to);
    let engine = state.engine();
    Ok(Json(blocking(move || engine.trending(days, to)).await?))
}

/// How soon each blog relays a story another blog carried first (출처 계보 over the whole
/// corpus): per blog, the near-duplicate groups it carried, first or as a relay, and its relays'
/// lag in days (median, 90th percentile, histogram); with the share of groups whose primary
/// source was found.
#[utoipa::path(get, path = "/api/relays", tag = "explore",
    responses(
        (status = 200, description = "Per-blog relay lags", body = RelayStats),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
    ))]
pub(crate) async fn relays(
    State(state): State<AppState>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<RelayStats>, ApiError> {
    let engine = state.engine();
    Ok(Json(blocking(move || engine.relays().cloned()).await?))
}

/// The glossary's people, products and organisations (`data/glossary.toml`) with their counts:
/// with `new`, only those first named in the newest days of the corpus ("새로 등장한 이름").
#[utoipa::path(get, path = "/api/names", tag = "explore",
    params(NamesParams),
    responses(
        (status = 200, description = "People, products and organisations, most items first (with `new`: newest first)", body = NameList),
        (status = 400, description = "A parameter is malformed, out of bounds, repeated or unknown", body = ErrorBody),
    ))]
pub(crate) async fn names(
    State(state): State<AppState>,
    Params(p): Params<NamesParams>,
) -> Result<Json<NameList>, ApiError> {
    let NamesParams { kind, new } = p;
    let engine = state.engine();
    Ok(Json(blocking(move || engine.names(kind, new)).await?))
}

// ---------------------------------------------------------------------------------------------
// Atom feeds
// ---------------------------------------------------------------------------------------------

/// Entries per feed.
const FEED_ENTRIES: usize = 50;

/// `{slug}.atom` → `slug`.
fn feed_name(file: &str) -> Result<&str, ApiError> {
    file.strip_suffix(".atom")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no feed {file:?}; feed names end in .atom")))
}

/// The site's own address as the client reached it, for absolute links in feeds.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The start of a hit's day in Korea (the engine writes dates in range; any other reads as
/// 1970-01-01, as before).
fn midnight_kst(date: &str) -> chrono::DateTime<FixedOffset> {
    let kst = FixedOffset::east_opt(9 * 3600).expect("valid offset");
    let day = dates::parse(date).unwrap_or_default();
    kst.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset")
}

/// An Atom document of `hits` (newest first), titled `title`, for the page at `page` (a path).
fn atom(base: &str, feed_path: &str, page: &str, title: &str, hits: &[Hit]) -> Response {
    let entries: Vec<Entry> = hits
        .iter()
        .map(|h| {
            let mut e = Entry::default();
            // an essay's passage is titled by its heading and its post's title
            let title = match &h.post_title {
                Some(post) => format!("{post} — {}", h.title),
                None => h.title.clone(),
            };
            e.set_title(Text::plain(title));
            e.set_id(format!("urn:sosik:item:{}", h.id));
            e.set_updated(midnight_kst(&h.date));
            e.set_published(Some(midnight_kst(&h.date)));
            e.set_links(vec![Link {
                href: format!("{base}/items/{}", h.id),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            }]);
            // the snippet is HTML: escaped text, with <mark> around matched words in a search feed
            e.set_summary(Some(Text::html(h.snippet.clone())));
            if let Some(html) = content_html(h) {
                let mut c = Content::default();
                c.set_content_type(Some("html".to_string()));
                c.set_value(Some(html));
                e.set_content(Some(c));
            }
            e
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!("{title} — 소식")));
    feed.set_id(format!("urn:sosik:feed:{feed_path}"));
    let updated = hits.iter().map(|h| midnight_kst(&h.date)).max().unwrap_or_else(|| midnight_kst("1970-01-01"));
    feed.set_updated(updated);
    feed.set_links(vec![
        Link { href: format!("{base}{feed_path}"), rel: "self".into(), ..Link::default() },
        Link {
            href: format!("{base}{page}"),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        },
    ]);
    feed.set_lang(Some("ko".to_string()));
    feed.set_entries(entries);
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"))], feed.to_string())
        .into_response()
}

/// An entry's HTML content: the snippet and the item's sources, if it has any. Only web
/// addresses become links (a post may cite `javascript:` or `data:` URLs); other sources are
/// their titles (or URLs), as text, as on the item page.
fn content_html(h: &Hit) -> Option<String> {
    use sosik_engine::search::html_escape;
    let mut sources = String::new();
    for s in &h.sources {
        let label = html_escape(if s.title.trim().is_empty() { &s.url } else { &s.title });
        match s.web_url() {
            Some(url) => sources.push_str(&format!("<li><a href=\"{}\">{label}</a></li>", html_escape(url))),
            None => sources.push_str(&format!("<li>{label}</li>")),
        }
    }
    (!sources.is_empty()).then(|| format!("<p>{}</p><ul>{sources}</ul>", h.snippet))
}

/// The newest items matching `q` (optional) and `filters`.
async fn newest(state: &AppState, q: String, filters: Filters) -> Result<Vec<Hit>, ApiError> {
    let req = SearchRequest {
        q,
        mode: SearchMode::Hybrid,
        limit: FEED_ENTRIES,
        offset: 0,
        filters,
        sort: SortOrder::Date,
        explain: false,
        // a feed's query is taken as written: its entries must not shift as the days pass
        today: None,
    };
    req.validate()?;
    let engine = state.engine();
    Ok(blocking(move || engine.search(&req)).await?.hits)
}

fn path_of(uri: &axum::http::Uri) -> String {
    uri.path_and_query().map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string())
}

/// Atom feed of the newest items matching a search (or of all items), 50 entries.
#[utoipa::path(get, path = "/feeds/search.atom", tag = "feeds",
    params(SearchFeedParams),
    responses(
        (status = 200, description = "Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
        (status = 400, description = "A parameter is malformed, out of bounds, repeated or unknown", body = ErrorBody),
    ))]
pub(crate) async fn search_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    RawQuery(raw): RawQuery,
    Params(p): Params<SearchFeedParams>,
) -> Result<Response, ApiError> {
    let (q, filters) = p.into_parts();
    let hits = newest(&state, q.clone(), filters).await?;
    let title = if q.is_empty() { "최신 소식".to_string() } else { format!("검색: {q}") };
    let page = format!("/?{}", raw.unwrap_or_default());
    Ok(atom(&base_url(&headers), &path_of(&uri), &page, &title, &hits))
}

async fn entity_feed(
    state: AppState,
    headers: HeaderMap,
    uri: axum::http::Uri,
    kind: EntityKind,
    file: String,
) -> Result<Response, ApiError> {
    let slug = feed_name(&file)?.to_string();
    let engine = state.engine();
    let lookup = slug.clone();
    let found = blocking(move || Ok(engine.entity_summary(kind, &lookup).cloned())).await?;
    let what = if kind.is_name() { "person, product or organization" } else { kind.as_str() };
    let entity = found.ok_or_else(|| not_found(what, &slug))?;
    let dir = match kind {
        EntityKind::Company => "companies",
        EntityKind::Topic => "topics",
        _ => "names",
    };
    let hits = newest(&state, String::new(), entity_filters(entity.kind, &slug)).await?;
    Ok(atom(&base_url(&headers), &path_of(&uri), &format!("/{dir}/{slug}"), &entity.name, &hits))
}

/// Atom feed of a company's newest items, 50 entries.
#[utoipa::path(get, path = "/feeds/companies/{file}", tag = "feeds",
    params(("file" = String, Path, pattern = "^.+\\.atom$", description = "`{slug}.atom`, e.g. `anthropic.atom`")),
    responses(
        (status = 200, description = "Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No company has this slug, or the name does not end in `.atom`", body = ErrorBody),
    ))]
pub(crate) async fn company_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(file): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Response, ApiError> {
    entity_feed(state, headers, uri, EntityKind::Company, file).await
}

/// Atom feed of a topic's newest items, 50 entries.
#[utoipa::path(get, path = "/feeds/topics/{file}", tag = "feeds",
    params(("file" = String, Path, pattern = "^.+\\.atom$", description = "`{slug}.atom`, e.g. `agents.atom`")),
    responses(
        (status = 200, description = "Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No topic has this slug, or the name does not end in `.atom`", body = ErrorBody),
    ))]
pub(crate) async fn topic_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(file): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Response, ApiError> {
    entity_feed(state, headers, uri, EntityKind::Topic, file).await
}

/// Atom feed of a person's, product's or organisation's newest items, 50 entries.
#[utoipa::path(get, path = "/feeds/names/{file}", tag = "feeds",
    params(("file" = String, Path, pattern = "^.+\\.atom$", description = "`{slug}.atom`, e.g. `claude-code.atom`")),
    responses(
        (status = 200, description = "Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No name has this slug, or the file name does not end in `.atom`", body = ErrorBody),
    ))]
pub(crate) async fn name_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(file): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Response, ApiError> {
    entity_feed(state, headers, uri, EntityKind::Person, file).await
}

/// Atom feed of a story thread's items, newest first.
#[utoipa::path(get, path = "/feeds/stories/{file}", tag = "feeds",
    params(("file" = String, Path, pattern = "^.+\\.atom$", description = "`{id}.atom` of a story id")),
    responses(
        (status = 200, description = "Atom 1.0 feed, newest first", body = String, content_type = "application/atom+xml"),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No story has this id, or the name does not end in `.atom`", body = ErrorBody),
    ))]
pub(crate) async fn story_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Path(file): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Response, ApiError> {
    let id = feed_name(&file)?.to_string();
    let engine = state.engine();
    let lookup = id.clone();
    let story = blocking(move || engine.story(&lookup)).await?.ok_or_else(|| not_found("story", &id))?;
    let mut hits = story.items;
    hits.reverse();
    hits.truncate(FEED_ENTRIES);
    Ok(atom(&base_url(&headers), &path_of(&uri), &format!("/stories/{id}"), &story.summary.title, &hits))
}

#[cfg(test)]
mod tests {
    use sosik_types::Source;

    use super::*;

    #[test]
    fn feed_content_links_only_web_sources_and_escapes_titles() {
        let source = |title: &str, url: &str| Source { title: title.into(), url: url.into() };
        let hit = Hit {
            id: "0".into(),
            post_path: "p.md".into(),
            title: "t".into(),
            post_title: None,
            date: "2026-01-01".into(),
            snippet: "&lt;b&gt; <mark>x</mark>".into(),
            score: 0.0,
            companies: vec![],
            topics: vec![],
            names: vec![],
            sources: vec![
                source("<img src=x onerror=alert(1)>", "https://example.com/a?b=\"><script>"),
                source("click", "javascript:alert(1)"),
                source("", "JaVaScRiPt:alert(1)"),
                source("data", "data:text/html,<script>alert(1)</script>"),
            ],
            also_in: vec![],
            story: None,
            story_span: None,
            explain: None,
        };
        assert_eq!(
            content_html(&hit).unwrap(),
            "<p>&lt;b&gt; <mark>x</mark></p><ul>\
             <li><a href=\"https://example.com/a?b=&quot;&gt;&lt;script&gt;\">&lt;img src=x onerror=alert(1)&gt;</a></li>\
             <li>click</li><li>JaVaScRiPt:alert(1)</li><li>data</li></ul>"
        );
    }
}
