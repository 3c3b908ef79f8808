//! The router in process (axum's testing pattern: `app(state)` + `tower::ServiceExt::oneshot`),
//! on an index of data/posts built through the library.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sosik_server::{app, AppState};
use tower::ServiceExt;

use crate::common::engine;

async fn get(uri: &str, web_root: Option<PathBuf>) -> (StatusCode, String, String) {
    let (status, headers, body) = get_with_headers(uri, web_root).await;
    let ctype = headers.get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, ctype, body)
}

async fn get_with_headers(uri: &str, web_root: Option<PathBuf>) -> (StatusCode, axum::http::HeaderMap, String) {
    let router = app(AppState::new(engine(), web_root));
    let resp = router.oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn search_answers_json() {
    let (status, ctype, body) = get("/api/search?q=Cowork&mode=bm25&limit=3", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(ctype.starts_with("application/json"));
    let r: sosik_types::SearchResponse = serde_json::from_str(&body).unwrap();
    assert!(r.hits[0].title.contains("Cowork"));
    assert!(r.hits.len() <= 3);
}

#[tokio::test]
async fn names_list_the_glossary_s_people_products_and_organisations() {
    use sosik_types::{EntityKind, NameList};
    let list = |uri: &'static str| async move {
        let (status, _, body) = get(uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        serde_json::from_str::<NameList>(&body).unwrap()
    };
    let all = list("/api/names").await;
    assert!(all.new_since.is_none());
    assert!(all.names.windows(2).all(|w| w[0].items >= w[1].items), "most items first");
    // the sample names Claude Code: a product with both names and dates from its items
    let code = all.names.iter().find(|n| n.slug == "claude-code").expect("claude-code");
    assert_eq!(
        (code.kind, code.name.as_str(), code.name_en.as_deref()),
        (EntityKind::Product, "클로드 코드", Some("Claude Code"))
    );
    assert!(code.items >= 1 && code.first_seen.is_some() && code.first_seen <= code.last_seen);
    assert_eq!(code.sparkline.iter().sum::<u64>(), code.items);
    // every listed person, product and organisation, and nothing else
    assert!(all.names.iter().any(|n| n.kind == EntityKind::Person));
    assert!(!all.names.iter().any(|n| n.slug == "hallucination"), "a concept is not a name");
    let people = list("/api/names?kind=person").await;
    assert!(!people.names.is_empty() && people.names.iter().all(|n| n.kind == EntityKind::Person));
    // new: first seen within the newest days, newest first, every one with items
    let new = list("/api/names?new=3d").await;
    let since = new.new_since.clone().expect("new_since");
    assert!(!new.names.is_empty(), "the sample's last days name something new");
    assert!(new.names.iter().all(|n| n.first_seen.as_deref().is_some_and(|f| f >= since.as_str())));
    assert!(new.names.windows(2).all(|w| w[0].first_seen >= w[1].first_seen));
    let older: Vec<&str> = all
        .names
        .iter()
        .filter(|n| n.first_seen.as_deref().is_some_and(|f| f < since.as_str()))
        .map(|n| n.slug.as_str())
        .collect();
    assert!(!older.is_empty() && new.names.iter().all(|n| !older.contains(&n.slug.as_str())));
    // bad parameters name themselves
    for (uri, param) in
        [("/api/names?kind=company", "`kind`"), ("/api/names?new=0d", "`new`"), ("/api/names?x=1", "`x`")]
    {
        let (status, _, body) = get(uri, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(body.contains(param), "{uri}: {body}");
    }
}

/// A name has what a company has: a profile, a filter, a facet and a feed, and hits carry it.
#[tokio::test]
async fn a_name_has_a_profile_a_filter_a_facet_and_a_feed() {
    use sosik_types::{EntityKind, EntityProfile, SearchResponse};
    let json = |uri: String| async move {
        let (status, _, body) = get(&uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        body
    };
    let p: EntityProfile = serde_json::from_str(&json("/api/names/claude-code".into()).await).unwrap();
    assert_eq!(
        (p.kind, p.summary.kind, p.summary.slug.as_str()),
        (EntityKind::Product, EntityKind::Product, "claude-code")
    );
    assert_eq!(p.summary.name, "클로드 코드");
    assert!(p.aliases.iter().any(|a| a == "Claude Code"), "{:?}", p.aliases);
    assert_eq!(p.series.counts.iter().sum::<u64>(), p.summary.items);
    assert!(!p.latest.is_empty() && p.latest.iter().all(|h| h.names.iter().any(|n| n == "claude-code")));
    assert!(p.latest.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
    assert!(p.names.iter().all(|n| n.value != "claude-code"), "a name is not its own co-mention");
    // Anthropic makes Claude Code: the company is among its co-mentions
    assert!(p.co_mentions.iter().any(|c| c.value == "anthropic"), "{:?}", p.co_mentions);
    // and a company's profile lists the names in its items
    let anthropic: EntityProfile = serde_json::from_str(&json("/api/companies/anthropic".into()).await).unwrap();
    assert!(anthropic.names.iter().any(|n| n.value == "claude-code"), "{:?}", anthropic.names);

    // the filter: exactly the items naming it (a near-duplicate group once), as the profile counts
    let r: SearchResponse = serde_json::from_str(&json("/api/search?name=claude-code&limit=100".into()).await).unwrap();
    assert_eq!(r.total, p.summary.items);
    assert!(r.hits.iter().all(|h| h.names.iter().any(|n| n == "claude-code")));
    let facet = r.facets.names.iter().find(|f| f.value == "claude-code").expect("the filtered name is a facet value");
    assert_eq!(facet.count, r.total);
    // an unfiltered search counts names in its facets
    let all: SearchResponse = serde_json::from_str(&json("/api/search?limit=1".into()).await).unwrap();
    assert!(all.facets.names.iter().any(|f| f.value == "claude-code" && f.count == p.summary.items));
    // timelines and stories take it too
    let (status, _, body) = get("/api/timeline?name=claude-code", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let t: sosik_types::TimelineResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(t.total, p.summary.items);
    let (status, _, body) = get("/api/stories?name=claude-code", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // the feed: its newest items, titled with its name
    let (status, ctype, feed) = get("/feeds/names/claude-code.atom", None).await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert!(ctype.starts_with("application/atom+xml"));
    assert!(feed.contains("<title>클로드 코드 — 소식</title>"), "{feed}");
    assert_eq!(feed.matches("<entry>").count() as u64, p.summary.items.min(50));
    assert!(feed.contains("/names/claude-code\""), "{feed}");

    // unknown names, and a company's slug, are 404 with the slug in the message
    for uri in ["/api/names/no-such-name", "/api/names/anthropic", "/feeds/names/no-such-name.atom"] {
        let (status, _, body) = get(uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        assert!(body.contains("not_found") && body.contains("person, product or organization"), "{uri}: {body}");
    }
    let (_, _, body) = get("/api/names/anthropic", None).await;
    assert!(body.contains("it is a company: /api/companies/anthropic"), "{body}");
}

/// An essay's passage is titled by its heading; hits and feeds carry the essay's title beside it.
#[tokio::test]
async fn an_essay_passage_carries_its_post_title() {
    let (status, _, body) = get(
        "/api/search?q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C%EC%99%80%20%EB%A1%9C%EC%BB%AC&mode=bm25&limit=20",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r: sosik_types::SearchResponse = serde_json::from_str(&body).unwrap();
    let passage = r.hits.iter().find(|h| h.title == "클라우드와 로컬, 두 가지 길").expect("the essay's passage");
    assert_eq!(passage.post_title.as_deref(), Some("에이전트가 일하는 컴퓨터에 대한 메모 (sosik 예시)"));
    // a digest item's headline stands alone
    assert!(r.hits.iter().filter(|h| h.post_path != "004_essay.md").all(|h| h.post_title.is_none()), "{body}");
    let (_, _, feed) =
        get("/feeds/search.atom?q=%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C%EC%99%80%20%EB%A1%9C%EC%BB%AC", None).await;
    assert!(
        feed.contains("<title>에이전트가 일하는 컴퓨터에 대한 메모 (sosik 예시) — 클라우드와 로컬, 두 가지 길</title>"),
        "{feed}"
    );
}

/// A hit in a story thread carries the thread's size and days, as the thread itself has them.
#[tokio::test]
async fn a_hit_in_a_thread_carries_its_span() {
    let (_, _, body) = get("/api/search?limit=100", None).await;
    let r: sosik_types::SearchResponse = serde_json::from_str(&body).unwrap();
    let hit = r.hits.iter().find(|h| h.story.is_some()).expect("the sample has a thread");
    assert!(r.hits.iter().all(|h| h.story.is_some() == h.story_span.is_some()));
    let span = hit.story_span.clone().unwrap();
    let (_, _, body) = get(&format!("/api/stories/{}", hit.story.as_deref().unwrap()), None).await;
    let story: sosik_types::Story = serde_json::from_str(&body).unwrap();
    assert_eq!(span.size, story.summary.size);
    assert_eq!((span.first_date, span.last_date), (story.summary.first_date, story.summary.last_date));
}

#[tokio::test]
async fn errors_are_json_from_one_table() {
    let (status, ctype, body) = get("/api/search?q=x&offset=-1", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(ctype.starts_with("application/json"));
    let e: sosik_types::ErrorBody = serde_json::from_str(&body).unwrap();
    assert_eq!(e.error.code, "invalid_parameter");
    assert!(e.error.message.contains("offset"));
}

#[tokio::test]
async fn serves_the_ui_and_falls_back_to_index_html() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("index.html"), "<!doctype html><title>sosik</title>").unwrap();
    std::fs::write(root.path().join("app.js"), "export default 1;").unwrap();
    let web = Some(root.path().to_path_buf());
    let (status, ctype, body) = get("/", web.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/html"));
    assert!(body.contains("sosik"));
    let (status, ctype, _) = get("/app.js", web.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.contains("javascript"), "{ctype}");
    // a client-side route reloads the app
    let (status, _, body) = get("/companies/anthropic", web.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<title>sosik</title>"));
    // but unknown API paths stay JSON 404s
    let (status, ctype, _) = get("/api/unknown", web).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(ctype.starts_with("application/json"));
}

#[tokio::test]
async fn security_and_cache_headers() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("index.html"), "<!doctype html><title>sosik</title>").unwrap();
    std::fs::write(root.path().join("app.js"), "export default 1;").unwrap();
    let web = Some(root.path().to_path_buf());
    // The whole policy, spelled out here rather than read from the server's constant: any change
    // to it (an 'unsafe-inline' script source, a dropped directive) must be a change of this test.
    const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
                       style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
                       object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    let security = |h: &axum::http::HeaderMap, what: &str| {
        for (name, expected) in [
            ("content-security-policy", CSP),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ] {
            let values: Vec<_> = h.get_all(name).iter().map(|v| v.to_str().unwrap()).collect();
            assert_eq!(values, [expected], "{what}: {name}");
        }
    };
    let (_, h, _) = get_with_headers("/", web.clone()).await;
    security(&h, "/");
    assert_eq!(h["cache-control"], "no-cache", "index.html is revalidated");
    let (_, h, _) = get_with_headers("/app.js?v=abc123", web.clone()).await;
    security(&h, "/app.js");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    let (_, h, _) = get_with_headers("/api/health", web.clone()).await;
    security(&h, "/api/health");
    assert_eq!(h["cache-control"], "no-store");
    // feeds and errors carry them too
    let (_, h, _) = get_with_headers("/feeds/search.atom", web.clone()).await;
    security(&h, "/feeds/search.atom");
    let (status, h, _) = get_with_headers("/api/nope", web).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    security(&h, "/api/nope");
}

#[tokio::test]
async fn static_files_never_leave_the_web_root() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("index.html"), "<!doctype html><title>sosik</title>").unwrap();
    std::fs::write(outer.path().join("secret.txt"), "do not serve").unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/static/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
    ] {
        let (status, _, body) = get(path, Some(root.clone())).await;
        assert!(!body.contains("do not serve"), "{path} leaked the file ({status})");
        assert!(status == StatusCode::OK || status.is_client_error(), "{path}: {status}");
    }
}

#[tokio::test]
async fn odd_query_strings_are_answered_not_crashed() {
    for (uri, expected) in [
        ("/api/search?q=%ED%95%9C%EA%B8%80", StatusCode::OK),
        ("/api/search?q=%FF%FE", StatusCode::OK), // invalid UTF-8 decodes lossily: nothing to match, not an error
        ("/api/search?q=%", StatusCode::OK),
        ("/api/search?q=a&q=b", StatusCode::BAD_REQUEST),
        ("/api/search?q=x&limit=99999999999999999999999", StatusCode::BAD_REQUEST),
    ] {
        let (status, ctype, body) = get(uri, None).await;
        assert_eq!(status, expected, "{uri}: {body}");
        assert!(ctype.starts_with("application/json"), "{uri}: {ctype}");
    }
    let long = format!("/api/search?q={}", "가".repeat(600));
    let (status, _, body) = get(&long, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("500 characters"), "{body}");
}

/// Issue #11: chrono's `%Y` read signed and six-digit years, the engine's date arithmetic
/// overflowed on them (500), and a daily timeline from year -262143 built ~96 M buckets before
/// refusing. Every date parameter now takes `YYYY-MM-DD` from 1990-01-01 to 2100-12-31 only.
#[tokio::test]
async fn dates_beyond_the_range_are_400_naming_the_parameter() {
    let four_digits = "must be a date YYYY-MM-DD with a four-digit year";
    for (uri, message) in [
        ("/api/trending?to=-262143-01-01", format!("parameter `to` {four_digits}, got \"-262143-01-01\"")),
        (
            "/api/timeline?from=%2B262142-12-31&to=%2B262142-12-31",
            format!("parameter `from` {four_digits}, got \"+262142-12-31\""),
        ),
        (
            "/api/timeline?from=-262143-01-01&interval=day",
            format!("parameter `from` {four_digits}, got \"-262143-01-01\""),
        ),
        (
            "/api/search?to=2026-02-30",
            "parameter `to` must be a date YYYY-MM-DD, and that month or day does not exist, got \"2026-02-30\""
                .to_string(),
        ),
        (
            "/api/stories?from=0206-01-01",
            "parameter `from` must be a date between 1990-01-01 and 2100-12-31, got \"0206-01-01\"".to_string(),
        ),
    ] {
        let (status, ctype, body) = get(uri, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(ctype.starts_with("application/json"), "{uri}");
        let e: sosik_types::ErrorBody = serde_json::from_str(&body).unwrap();
        assert_eq!((e.error.code.as_str(), e.error.message.as_str()), ("invalid_parameter", message.as_str()), "{uri}");
    }
}

/// The first and the last day of the range are taken by every date parameter, the days just
/// outside it refused.
#[tokio::test]
async fn every_date_parameter_takes_1990_to_2100() {
    let date_parameters = [
        ("/api/search?", "from"),
        ("/api/search?", "to"),
        ("/api/timeline?interval=month&", "from"),
        ("/api/timeline?interval=month&", "to"),
        ("/api/stories?", "from"),
        ("/api/stories?", "to"),
        ("/api/trending?", "to"),
        ("/feeds/search.atom?", "from"),
        ("/feeds/search.atom?", "to"),
    ];
    for (path, param) in date_parameters {
        for (date, accepted) in
            [("1990-01-01", true), ("2100-12-31", true), ("1989-12-31", false), ("2101-01-01", false)]
        {
            let uri = format!("{path}{param}={date}");
            let (status, _, body) = get(&uri, None).await;
            if accepted {
                assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            } else {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
                let e: sosik_types::ErrorBody = serde_json::from_str(&body).unwrap();
                let message =
                    format!("parameter `{param}` must be a date between 1990-01-01 and 2100-12-31, got \"{date}\"");
                assert_eq!(e.error.message, message, "{uri}");
            }
        }
    }
}

/// A timeline of too many buckets is refused with the limit, counted before any is built.
#[tokio::test]
async fn a_timeline_of_too_many_buckets_is_refused_with_the_limit() {
    let (status, _, body) = get("/api/timeline?from=1990-01-01&to=2100-12-31&interval=day", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let e: sosik_types::ErrorBody = serde_json::from_str(&body).unwrap();
    assert_eq!(
        e.error.message,
        "invalid search parameter `interval`: 1990-01-01 to 2100-12-31 is 40542 days, over the limit of 2000 buckets; \
         use a longer interval or a shorter range"
    );
    let (status, _, body) = get("/api/timeline?from=1990-01-01&to=2100-12-31&interval=month", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// `/api/search` with the server's "today" pinned to `today`, decoded.
async fn search_on(today: &str, uri: &str) -> sosik_types::SearchResponse {
    let mut state = AppState::new(engine(), None);
    state.today = Some(today.parse().unwrap());
    let resp = app(state).oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(status, StatusCode::OK, "{uri}: {}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

/// Percent-encodes a query value (Hangul and spaces).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn a_date_phrase_in_the_query_is_a_date_range() {
    let today = "2026-02-10"; // a Tuesday: last week is February 2nd to 8th
    let listed = |from: &str, to: &str| format!("/api/search?from={from}&to={to}&limit=100");
    // a phrase alone lists its days, as the same range given as filters does
    let january = search_on(today, &format!("/api/search?q={}&limit=100", enc("2026년 1월"))).await;
    let filtered = search_on(today, &listed("2026-01-01", "2026-01-31")).await;
    assert!(january.total > 0);
    let ids = |r: &sosik_types::SearchResponse| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&january), ids(&filtered));
    let range = january.date_range.expect("the phrase is reported");
    assert_eq!(
        (range.expression.as_str(), range.from.as_str(), range.to.as_str(), range.query.as_str()),
        ("2026년 1월", "2026-01-01", "2026-01-31", "")
    );
    // relative to the server's today
    let last_week = search_on(today, &format!("/api/search?q={}&limit=100", enc("지난주"))).await;
    assert!(last_week.total > 0);
    assert!(
        last_week.hits.iter().all(|h| ("2026-02-02".."2026-02-09").contains(&h.date.as_str())),
        "{:?}",
        last_week.hits
    );
    assert_eq!(last_week.total, search_on(today, &listed("2026-02-02", "2026-02-08")).await.total);
    // the rest of the query is searched within the days
    let words = search_on(today, &format!("/api/search?q={}&mode=bm25&limit=100", enc("Claude 2월에"))).await;
    let everywhere = search_on(today, &format!("/api/search?q={}&mode=bm25&limit=100", enc("Claude"))).await;
    assert_eq!(words.date_range.as_ref().map(|r| r.query.as_str()), Some("Claude"));
    assert!(words.total > 0 && words.total < everywhere.total, "{} of {}", words.total, everywhere.total);
    assert!(words.hits.iter().all(|h| h.date.starts_with("2026-02")));
    // dates=false searches the words as written; days that miss `from`/`to` match nothing
    let literal = search_on(today, &format!("/api/search?q={}&dates=false", enc("2026년 1월"))).await;
    assert_eq!(literal.date_range, None);
    let disjoint = search_on(today, &format!("/api/search?q={}&from=2026-02-01", enc("1월"))).await;
    assert_eq!((disjoint.total, disjoint.hits.len()), (0, 0));
    assert_eq!(disjoint.date_range.map(|r| r.from), Some("2026-01-01".to_string()));
}

#[tokio::test]
async fn a_company_no_item_mentions_has_a_zero_series_with_a_start_date() {
    // Adobe is in data/companies.toml but in none of the sample posts
    let (status, _, body) = get("/api/companies/adobe", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let profile: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(profile["summary"]["items"], 0, "{body}");
    let start = profile["series"]["start"].as_str().unwrap();
    assert!(sosik_corpus::dates::parse(start).is_ok(), "series.start {start:?} is not a date");
    let counts = profile["series"]["counts"].as_array().unwrap();
    assert!(!counts.is_empty() && counts.iter().all(|c| c == 0), "{counts:?}");
}

/// The suggestions for `q` (URL-encoded here), as (kind, id, matched).
async fn suggest(q: &str) -> Vec<(sosik_types::SuggestionKind, String, Option<String>)> {
    let (status, _, body) = get(&format!("/api/suggest?q={}&limit=20", enc(q)), None).await;
    assert_eq!(status, StatusCode::OK, "{q}: {body}");
    let r: sosik_types::SuggestResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(r.query, q);
    r.suggestions.into_iter().map(|s| (s.kind, s.id, s.matched)).collect()
}

#[tokio::test]
async fn typeahead_understands_how_hangul_is_typed() {
    use sosik_types::SuggestionKind::{Company, Product, Story, Topic};
    let first = |s: &[(sosik_types::SuggestionKind, String, Option<String>)]| (s[0].0, s[0].1.clone());
    // a syllable still being composed, each state of typing 앤트로픽, initials, Latin prefixes
    for typed in ["앤트로", "앤틀", "앤트롶", "ㅇㅌㄹㅍ", "anth", "ANTHRO"] {
        assert_eq!(first(&suggest(typed).await), (Company, "anthropic".into()), "{typed}");
    }
    assert_eq!(first(&suggest("엔비디ㅇ").await), (Company, "nvidia".into()));
    // initials as an IME shows them when no vowel comes between (ㄹ then ㅍ compose into ㄿ), and
    // Hangul pasted decomposed (NFD)
    assert_eq!(first(&suggest("ㅇㅌㄿ").await), (Company, "anthropic".into()));
    assert_eq!(first(&suggest("\u{110b}\u{1162}\u{11ab}\u{1110}\u{1173}").await), (Company, "anthropic".into()));
    // a topic by one of its keywords, typed as initials: the keyword is what matched
    let capex = suggest("ㅅㅂㅌㅈ").await;
    assert_eq!((capex[0].0, capex[0].1.as_str(), capex[0].2.as_deref()), (Topic, "capex", Some("설비 투자")));
    // a product by its English name; a thread by a word of its title
    assert!(suggest("claude co").await.iter().any(|s| (s.0, s.1.as_str()) == (Product, "claude-code")));
    let (_, _, body) = get("/api/stories?limit=1", None).await;
    let story = serde_json::from_str::<sosik_types::StoryList>(&body).unwrap().stories.remove(0);
    let word = story.title.split_whitespace().last().unwrap();
    let found = suggest(word).await;
    assert!(found.iter().any(|s| (s.0, s.1.as_str()) == (Story, story.id.as_str())), "{word}: {found:?}");
    assert!(found.iter().filter(|s| s.0 == Story).count() <= 10, "at most half the list is threads");
    // nothing to suggest is an empty list, not an error
    assert!(suggest("").await.is_empty());
    assert!(suggest("쀍쀍쀍").await.is_empty());
}

#[tokio::test]
async fn typeahead_refuses_what_it_cannot_answer() {
    let (_, _, body) = get("/api/suggest", None).await;
    assert!(body.contains("parameter `q` is required"), "{body}");
    for (uri, param) in [
        ("/api/suggest".to_string(), "q"),
        ("/api/suggest?q=a&limit=0".into(), "limit"),
        ("/api/suggest?q=a&limit=21".into(), "limit"),
        (format!("/api/suggest?q={}", "가".repeat(101)), "q"),
    ] {
        let (status, _, body) = get(&uri, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains(param), "{uri}: {body}");
    }
}

#[tokio::test]
async fn fresh_order_lifts_recent_items_by_the_documented_factor() {
    use sosik_engine::search::{recency_factor, RECENCY_HALF_LIFE_DAYS, RECENCY_WEIGHT};
    let search = |sort: &'static str| async move {
        let (status, _, body) = get(&format!("/api/search?q=AI&limit=100&sort={sort}"), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_str::<sosik_types::SearchResponse>(&body).unwrap()
    };
    let (plain, fresh) = (search("relevance").await, search("fresh").await);
    assert_eq!(plain.total, fresh.total, "a fresh order reorders; it does not change what matched");
    assert!(fresh.hits.windows(2).all(|w| w[0].score >= w[1].score), "best lifted score first");
    let (_, _, body) = get("/api/trending", None).await;
    let newest: chrono::NaiveDate =
        serde_json::from_str::<sosik_types::TrendingResponse>(&body).unwrap().to.parse().unwrap();
    let mut compared = 0;
    for hit in &fresh.hits {
        let Some(before) = plain.hits.iter().find(|h| h.id == hit.id) else { continue };
        let age = (newest - hit.date.parse::<chrono::NaiveDate>().unwrap()).num_days();
        let expected = before.score * recency_factor(age, RECENCY_WEIGHT, RECENCY_HALF_LIFE_DAYS);
        assert!(
            (hit.score - expected).abs() <= 1e-6 * expected.abs().max(1.0),
            "{}: {} vs {expected}",
            hit.id,
            hit.score
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} hits in both pages");
    // the newest day gets the whole lift, and it halves every half-life
    assert_eq!(recency_factor(0, 0.2, 90.0), 1.2);
    assert!((recency_factor(90, 0.2, 90.0) - 1.1).abs() < 1e-6);
    assert_eq!(recency_factor(-3, 0.2, 90.0), 1.2, "an item after the newest counts as new");
}

/// A search answer for `uri`, asserting 200.
async fn search_at(uri: &str) -> sosik_types::SearchResponse {
    let (status, _, body) = get(uri, None).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn counts(facet: &[sosik_types::FacetCount]) -> std::collections::BTreeMap<String, u64> {
    facet.iter().map(|f| (f.value.clone(), f.count)).collect()
}

#[tokio::test]
async fn several_values_of_a_filter_mean_either_and_facets_count_disjunctively() {
    for (q, mode) in [("", "hybrid"), ("AI", "bm25"), ("AI", "hybrid")] {
        let base = format!("/api/search?q={q}&mode={mode}&limit=100");
        let one = search_at(&format!("{base}&company=anthropic")).await;
        let other = search_at(&format!("{base}&company=openai")).await;
        let either = search_at(&format!("{base}&company=anthropic&company=openai")).await;
        let commas = search_at(&format!("{base}&company=openai,anthropic")).await;
        assert_eq!(either.total, commas.total, "repeated or comma-separated: the same filter");
        // OR within a field
        assert!(either.total >= one.total.max(other.total) && either.total <= one.total + other.total, "{q} {mode}");
        for hit in &either.hits {
            assert!(hit.companies.iter().any(|c| c == "anthropic" || c == "openai"), "{q} {mode}: {:?}", hit.companies);
        }
        // AND across fields
        let with_topic = search_at(&format!("{base}&company=anthropic&company=openai&topic=agents")).await;
        assert!(with_topic.total <= either.total);
        assert!(with_topic.hits.iter().all(|h| h.topics.iter().any(|t| t == "agents")));
        // disjunctive counts: the company facet ignores the company selection (it counts what
        // the other filters keep), the topic facet counts within it
        let topic_only = search_at(&format!("{base}&topic=agents")).await;
        assert_eq!(
            counts(&with_topic.facets.companies),
            counts(&topic_only.facets.companies),
            "{q} {mode}: a field's counts ignore its own selection"
        );
        assert_eq!(counts(&either.facets.topics), counts(&commas.facets.topics));
        let topics_within = counts(&either.facets.topics);
        assert_eq!(topics_within.get("agents").copied().unwrap_or(0), with_topic.total, "{q} {mode}");
        if q.is_empty() {
            // browsing is exact: selecting one more company adds exactly what its count said
            let unselected = search_at(&base).await;
            assert_eq!(counts(&one.facets.companies), counts(&unselected.facets.companies));
        }
    }
}

#[tokio::test]
async fn too_many_values_of_a_filter_are_refused() {
    let many: Vec<String> = (0..21).map(|i| format!("company=c{i}")).collect();
    let (status, _, body) = get(&format!("/api/search?{}", many.join("&")), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("company") && body.contains("at most 20"), "{body}");
    // any other parameter given twice still is an error
    let (status, _, body) = get("/api/search?q=a&mode=bm25&mode=vector", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("more than once"), "{body}");
}

#[tokio::test]
async fn a_query_that_names_a_story_carries_its_thread() {
    let (_, _, body) = get("/api/stories?limit=100", None).await;
    let stories = serde_json::from_str::<sosik_types::StoryList>(&body).unwrap().stories;
    let mut named = 0;
    for story in &stories {
        let answer = search_at(&format!("/api/search?q={}&limit=5", enc(&story.title))).await;
        let Some(offered) = &answer.story else { continue };
        named += 1;
        // the first hit's thread, with the summary /api/stories gives
        assert_eq!(answer.hits[0].story.as_deref(), Some(offered.id.as_str()), "{}", story.title);
        let (_, _, body) = get(&format!("/api/stories/{}", offered.id), None).await;
        let thread = serde_json::from_str::<sosik_types::Story>(&body).unwrap();
        assert_eq!(&thread.summary, offered);
        // only on the first page of a relevance-ordered search
        let q = enc(&story.title);
        assert!(search_at(&format!("/api/search?q={q}&limit=5&offset=5")).await.story.is_none());
        assert!(search_at(&format!("/api/search?q={q}&limit=5&sort=date")).await.story.is_none());
    }
    assert!(named * 2 >= stories.len(), "a thread's own title names it: {named} of {}", stories.len());
    // no query, or nothing found: no thread
    assert!(search_at("/api/search?company=anthropic").await.story.is_none());
    assert!(search_at("/api/search?q=zzzzqqqq&mode=bm25").await.story.is_none());
}
