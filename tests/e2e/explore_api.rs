//! The explore API on the sample corpus: whole answers pinned as snapshots, and the invariants
//! that tie the endpoints together (a company's count is what a filtered search finds, a
//! timeline bucket's count is what the same search over its dates finds, …).

use serde_json::Value;
use sosik_tests::{encode, server};
use sosik_types::{EntityList, EntityProfile, SearchResponse, Story, StoryList, TimelineResponse, TrendingResponse};

fn get<T: serde::de::DeserializeOwned>(path: &str) -> (Value, T) {
    let (status, json) = server().get_json(path);
    assert_eq!(status, 200, "{path}: {json}");
    let typed = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{path}: {e}: {json}"));
    (json, typed)
}

/// Items a filtered search without a query finds (near-duplicate copies counted once).
fn browse_total(filters: &str) -> u64 {
    let (_, r): (_, SearchResponse) = get(&format!("/api/search?limit=1&{filters}"));
    r.total
}

fn error_code(path: &str, status: u16) -> String {
    let (got, json) = server().get_json(path);
    assert_eq!(got, status, "{path}: {json}");
    json["error"]["code"].as_str().unwrap_or_else(|| panic!("{path}: no error code in {json}")).to_string()
}

#[test]
fn companies_count_what_a_filtered_search_finds() {
    let (json, list): (_, EntityList) = get("/api/companies");
    insta::assert_json_snapshot!("companies", json);
    let with_items: Vec<_> = list.entities.iter().filter(|e| e.items > 0).collect();
    assert!(with_items.len() >= 5, "{with_items:?}");
    for pair in list.entities.windows(2) {
        assert!(pair[0].items >= pair[1].items, "not sorted by items: {pair:?}");
    }
    for e in with_items {
        assert_eq!(e.items, browse_total(&format!("company={}", e.slug)), "{}", e.slug);
        assert_eq!(e.sparkline.iter().sum::<u64>(), e.items, "{}: sparkline {:?}", e.slug, e.sparkline);
    }
    // the weeks of the sample corpus: 2026-01-12 … 2026-02-09
    assert_eq!(list.series_start, "2026-01-12");
    assert!(list.entities.iter().all(|e| e.sparkline.len() == 5));
}

#[test]
fn company_profile() {
    let (json, p): (_, EntityProfile) = get("/api/companies/openai");
    insta::assert_json_snapshot!("company_openai", json);
    assert_eq!(p.summary.slug, "openai");
    assert!(p.aliases.iter().any(|a| a == "오픈AI"), "{:?}", p.aliases);
    assert!(p.co_mentions.iter().all(|c| c.value != "openai"), "itself among co-mentions");
    assert!(p.co_mentions.iter().any(|c| c.value == "anthropic"));
    assert!(p.latest.iter().all(|h| h.companies.iter().any(|c| c == "openai")));
    assert!(p.latest.windows(2).all(|w| w[0].date >= w[1].date), "latest not newest first");
    assert_eq!(p.series.counts.iter().sum::<u64>(), p.summary.items);
    // the GPT-5.3-Codex launch and its follow-up are a story OpenAI is in
    assert!(p.stories.iter().any(|s| s.title.contains("GPT-5.3-Codex")), "{:?}", p.stories);
}

#[test]
fn topic_profile_relates_companies_and_other_topics() {
    let (json, p): (_, EntityProfile) = get("/api/topics/capex");
    insta::assert_json_snapshot!("topic_capex", json);
    assert_eq!(p.summary.name, "설비 투자·데이터센터");
    assert_eq!(p.summary.name_en.as_deref(), Some("Capex & data centres"));
    assert!(!p.description.is_empty());
    assert!(p.top_related.iter().any(|c| c.value == "amazon"), "companies of capex: {:?}", p.top_related);
    assert!(p.co_mentions.iter().all(|t| t.value != "capex"));
    assert_eq!(p.summary.items, browse_total("topic=capex"));
    let (_, topics): (_, EntityList) = get("/api/topics");
    assert_eq!(topics.entities.iter().find(|t| t.slug == "capex"), Some(&p.summary));
}

#[test]
fn timeline_buckets_are_continuous_and_match_search() {
    let (json, t): (_, TimelineResponse) = get("/api/timeline?interval=week&top=2");
    insta::assert_json_snapshot!("timeline_week", json);
    assert_eq!(t.total, browse_total(""), "all items");
    assert_eq!(t.buckets.iter().map(|b| b.count).sum::<u64>(), t.total);
    for w in t.buckets.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let next = chrono_next(&a.end);
        assert_eq!(b.start, next, "gap between {a:?} and {b:?}");
    }
    // an empty week in the middle is still there (2026-01-19 has no post)
    assert!(t.buckets.iter().any(|b| b.start == "2026-01-19" && b.count == 0));
    for b in &t.buckets {
        assert!(b.top.len() <= 2);
        assert_eq!(b.count, browse_total(&format!("from={}&to={}", b.start, b.end)), "bucket {}", b.start);
    }
}

/// The day after `YYYY-MM-DD` (small calendar arithmetic for the test, Jan–Feb 2026 only).
fn chrono_next(date: &str) -> String {
    let (y, rest) = date.split_at(5);
    let (m, d) = rest.split_at(3);
    let (m, d): (u32, u32) = (m.trim_end_matches('-').parse().unwrap(), d.parse().unwrap());
    let days_in = |m: u32| if m == 2 { 28 } else { 31 };
    let (m, d) = if d == days_in(m) { (m + 1, 1) } else { (m, d + 1) };
    format!("{y}{m:02}-{d:02}")
}

#[test]
fn timeline_combines_filters_and_query() {
    let (_, t): (_, TimelineResponse) = get("/api/timeline?topic=capex&company=amazon&interval=day");
    assert!(t.total >= 1);
    assert_eq!(t.total, browse_total("topic=capex&company=amazon"));
    for b in &t.buckets {
        for h in &b.top {
            assert!(h.topics.iter().any(|x| x == "capex") && h.companies.iter().any(|x| x == "amazon"), "{h:?}");
        }
    }
    let (_, q): (_, TimelineResponse) = get(&format!("/api/timeline?q={}&interval=month", encode("설비 투자")));
    assert_eq!(q.buckets.iter().map(|b| b.start.as_str()).collect::<Vec<_>>(), ["2026-01-01", "2026-02-01"]);
    let feb = &q.buckets[1];
    assert!(feb.top.iter().any(|h| h.title.contains("CAPEX")), "{:?}", feb.top);
    let (_, ranged): (_, TimelineResponse) = get("/api/timeline?from=2026-02-01&to=2026-02-14&interval=week");
    assert_eq!(ranged.buckets.first().map(|b| b.start.as_str()), Some("2026-01-26"), "bucket of 02-01 starts Monday");
}

/// Without a query, a topic's, company's or name's timeline shows first the items whose strongest
/// tag is that topic, company or name: an item tagged for a passing mention is not the period's
/// headline.
#[test]
fn a_filtered_timeline_puts_the_items_mainly_about_it_first() {
    let mut mixed = 0;
    for (field, list, key) in [
        ("topic", "/api/topics", "entities"),
        ("company", "/api/companies", "entities"),
        ("name", "/api/names", "names"),
    ] {
        let (json, _): (_, Value) = get(list);
        let slugs: Vec<String> = json[key]
            .as_array()
            .unwrap_or_else(|| panic!("{list}: no `{key}`"))
            .iter()
            .filter(|e| e["items"].as_u64() > Some(0))
            .map(|e| e["slug"].as_str().expect("slug").to_string())
            .collect();
        assert!(!slugs.is_empty(), "{list}");
        for slug in &slugs {
            let (_, t): (_, TimelineResponse) = get(&format!("/api/timeline?{field}={slug}&interval=month&top=10"));
            for b in &t.buckets {
                let mainly: Vec<bool> = b
                    .top
                    .iter()
                    .map(|h| match field {
                        "topic" => &h.topics,
                        "company" => &h.companies,
                        _ => &h.names,
                    })
                    .map(|tags| tags.first() == Some(slug))
                    .collect();
                assert!(mainly.windows(2).all(|w| w[0] || !w[1]), "{field}={slug} {}: {mainly:?}", b.start);
                mixed += usize::from(mainly.contains(&true) && mainly.contains(&false));
            }
        }
    }
    assert!(mixed > 0, "no bucket of the sample corpus holds both kinds: the order above was not tested");
}

#[test]
fn stories_group_follow_ups_across_posts() {
    let (json, list): (_, StoryList) = get("/api/stories");
    insta::assert_json_snapshot!("stories", json);
    assert_eq!(list.total as usize, list.stories.len());
    assert!(list.total >= 2, "{list:?}");
    for s in &list.stories {
        assert!(s.posts >= 2 && s.size >= 2, "{s:?}");
        let (json, story): (_, Story) = get(&format!("/api/stories/{}", s.id));
        assert_eq!(story.summary, *s);
        assert!(story.items.windows(2).all(|w| w[0].date <= w[1].date), "items not in date order");
        assert!(story.items.iter().all(|h| h.story.as_deref() == Some(s.id.as_str())));
        if s.title.contains("Cerebras") || s.title.contains("세레브라스") {
            insta::assert_json_snapshot!("story_cerebras", json);
        }
    }
    let cerebras = list.stories.iter().find(|s| s.companies.iter().any(|c| c == "cerebras")).expect("Cerebras story");
    assert_eq!((cerebras.first_date.as_str(), cerebras.last_date.as_str()), ("2026-02-07", "2026-02-09"));
    // filters: a story matches when one of its items does
    let (_, amazon): (_, StoryList) = get("/api/stories?company=amazon");
    assert!(amazon.stories.iter().all(|s| s.companies.iter().any(|c| c == "amazon")));
    assert!(amazon.total >= 1);
    let (_, none): (_, StoryList) = get("/api/stories?to=2026-01-31");
    assert_eq!(none.total, 0);
    // the item page names its story
    let first = &get::<Story>(&format!("/api/stories/{}", cerebras.id)).1.items[0];
    let (item, _): (Value, Value) = get(&format!("/api/items/{}", first.id));
    assert_eq!(item["story"], cerebras.id.as_str());
}

#[test]
fn trending_compares_shares_of_two_windows() {
    let (json, t): (_, TrendingResponse) = get("/api/trending?window=7d");
    insta::assert_json_snapshot!("trending_7d", json);
    assert_eq!((t.from.as_str(), t.to.as_str()), ("2026-02-03", "2026-02-09"), "ends on the newest item");
    assert_eq!((t.previous_from.as_str(), t.previous_to.as_str()), ("2026-01-27", "2026-02-02"));
    assert_eq!(t.items, browse_total("from=2026-02-03&to=2026-02-09"));
    assert_eq!(t.previous_items, browse_total("from=2026-01-27&to=2026-02-02"));
    for tr in t.companies.iter().chain(&t.topics) {
        assert!(tr.change_points > 0.0 && tr.count >= 2, "{tr:?}");
        let expect = (tr.share - tr.previous_share) * 100.0;
        assert!((tr.change_points - expect).abs() < 1e-9);
        assert!((tr.share - tr.count as f64 / t.items as f64).abs() < 1e-9);
    }
    assert!(t.companies.windows(2).all(|w| w[0].change_points >= w[1].change_points));
    let (_, early): (_, TrendingResponse) = get("/api/trending?window=14d&to=2026-01-31");
    assert_eq!(early.from, "2026-01-18");
}

#[test]
fn feeds_are_atom_documents() {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let fetch = |path: &str| {
        let mut r = agent.get(&server().url(path)).call().expect("request");
        let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (r.status().as_u16(), ct, r.body_mut().read_to_string().unwrap())
    };
    let (_, list): (_, StoryList) = get("/api/stories");
    for path in [
        "/feeds/companies/anthropic.atom".to_string(),
        "/feeds/topics/capex.atom".to_string(),
        format!("/feeds/search.atom?q={}", encode("에이전트")),
        format!("/feeds/stories/{}.atom", list.stories[0].id),
    ] {
        let (status, ct, body) = fetch(&path);
        assert_eq!(status, 200, "{path}: {body}");
        assert!(ct.starts_with("application/atom+xml"), "{path}: {ct}");
        assert!(body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""), "{path}: {body}");
        assert!(body.matches("<entry>").count() >= 1, "{path}: no entries");
        assert!(body.contains("/items/"), "{path}: entries link to item pages");
    }
    let (_, _, anthropic) = fetch("/feeds/companies/anthropic.atom");
    assert_eq!(anthropic.matches("<entry>").count() as u64, browse_total("company=anthropic"));
    assert!(anthropic.contains("<title>Anthropic — 소식</title>"), "{anthropic}");
    let (status, _, _) = fetch("/feeds/companies/no-such-company.atom");
    assert_eq!(status, 404);
    let (status, _, _) = fetch("/feeds/companies/anthropic.rss");
    assert_eq!(status, 404);
}

#[test]
fn bad_explore_parameters_are_refused_with_their_name() {
    for (path, status, code) in [
        ("/api/timeline?interval=year", 400, "invalid_parameter"),
        ("/api/timeline?top=11", 400, "invalid_parameter"),
        ("/api/timeline?from=2026-02-10&to=2026-02-01", 400, "invalid_parameter"),
        ("/api/timeline?interval=day&from=2000-01-01&to=2026-01-01", 400, "invalid_parameter"),
        ("/api/timeline?color=red", 400, "unknown_parameter"),
        ("/api/trending?window=0d", 400, "invalid_parameter"),
        ("/api/trending?window=weekly", 400, "invalid_parameter"),
        ("/api/trending?window=400d", 400, "invalid_parameter"),
        ("/api/stories?limit=0", 400, "invalid_parameter"),
        ("/api/stories?offset=99999", 400, "invalid_parameter"),
        ("/api/companies/no-such-company", 404, "not_found"),
        ("/api/topics/no-such-topic", 404, "not_found"),
        ("/api/stories/0000000000000000", 404, "not_found"),
        ("/api/companies?limit=3", 400, "unknown_parameter"),
    ] {
        assert_eq!(error_code(path, status), code, "{path}");
    }
    let (_, json) = server().get_json("/api/timeline?interval=year");
    assert!(json["error"]["message"].as_str().unwrap().contains("interval"), "{json}");
    // an item id that is not the first of a story is not a story id
    let (_, list): (_, StoryList) = get("/api/stories");
    let story = get::<Story>(&format!("/api/stories/{}", list.stories[0].id)).1;
    if let Some(later) = story.items.get(1) {
        assert_eq!(error_code(&format!("/api/stories/{}", later.id), 404), "not_found");
    }
}

#[test]
fn suggestions_lead_where_the_api_says() {
    use sosik_types::{SuggestResponse, SuggestionKind};
    let (json, r): (_, SuggestResponse) = get(&format!("/api/suggest?q={}&limit=20", encode("클로")));
    insta::assert_json_snapshot!("suggest_claude", json);
    assert!(!r.suggestions.is_empty());
    // every suggestion names something its endpoint knows, with the count that endpoint gives
    for s in &r.suggestions {
        let count = match s.kind {
            SuggestionKind::Company => get::<EntityProfile>(&format!("/api/companies/{}", s.id)).1.summary.items,
            SuggestionKind::Topic => get::<EntityProfile>(&format!("/api/topics/{}", s.id)).1.summary.items,
            SuggestionKind::Person | SuggestionKind::Product | SuggestionKind::Organization => {
                get::<EntityProfile>(&format!("/api/names/{}", s.id)).1.summary.items
            }
            SuggestionKind::Story => get::<Story>(&format!("/api/stories/{}", s.id)).1.summary.size as u64,
            SuggestionKind::Query => {
                assert!(get::<SearchResponse>(&format!("/api/search?q={}&limit=1", encode(&s.id))).1.total > 0);
                continue;
            }
        };
        assert_eq!(count, s.items, "{s:?}");
    }
}
