//! 출처 계보 (issue #16): where a story came from — its primary source, the post that carried it
//! first and the posts that relayed it — in the API and the UI, on the sample corpus indexed as
//! the blog `sample` beside two blogs that relay its stories (tests/fixtures/relays/README.md
//! says what each relays, when, and citing what).

use sosik_tests::{browser, encode, relay_server};
use sosik_types::{Item, Lineage, RelayStats, SearchResponse, SourceKind, Story};

use crate::browser_explore::{js_string, wait_until};
use crate::browser_pages::{assert_fits, js_json, open_on, open_phone_on, publish_screenshot, DESKTOP};

const CODEX_REPORT: &str =
    "https://techcrunch.com/2026/02/05/openai-launches-new-agentic-coding-model-only-minutes-after-anthropic-drops-its-own/";
const CEREBRAS_REPORT: &str =
    "https://techcrunch.com/2026/02/06/benchmark-raises-225m-in-special-funds-to-double-down-on-cerebras/";

/// The id of the item of `post` that a search for `q` finds, as a hit or as a hit's copy.
fn item_of(q: &str, post: &str) -> String {
    let found: SearchResponse = relay_server().api(&format!("/api/search?q={}&limit=20", encode(q)));
    found
        .hits
        .iter()
        .flat_map(|h| {
            std::iter::once((h.id.clone(), h.post_path.clone()))
                .chain(h.also_in.iter().map(|d| (d.id.clone(), d.post_path.clone())))
        })
        .find(|(_, p)| p == post)
        .unwrap_or_else(|| panic!("no item of {post} for {q:?}"))
        .0
}

fn lineage(id: &str) -> Lineage {
    relay_server().api::<Item>(&format!("/api/items/{id}")).lineage
}

/// (post, blog, lag) of each carrier.
fn carriers(l: &Lineage) -> Vec<(&str, &str, u32)> {
    l.carriers.iter().map(|c| (c.post_path.as_str(), c.blog.as_str(), c.lag_days)).collect()
}

#[test]
fn an_item_names_its_primary_source_and_every_post_that_carried_it() {
    let head = item_of("GPT-5.3-Codex 과학", "sample/002_2a27a2cd3d086f8e.txt");
    let relay = item_of("GPT-5.3-Codex 과학", "tech-weekly/2026-02-09-weekly.md");
    let l = lineage(&head);
    assert_eq!(l.group, head, "the sample's item is the group's first");
    let source = l.source.as_ref().expect("the posts cite an article");
    // the report all three posts cite beats OpenAI's page (two posts) and GeekNews (never a source)
    assert_eq!(
        (source.url.as_str(), source.domain.as_str(), source.kind, source.cited_by),
        (CODEX_REPORT, "techcrunch.com", SourceKind::Coverage, 3)
    );
    assert_eq!(
        carriers(&l),
        [
            ("sample/002_2a27a2cd3d086f8e.txt", "sample", 0),
            ("ai-daily/2026-02-07-ai-daily.md", "ai-daily", 1),
            ("tech-weekly/2026-02-09-weekly.md", "tech-weekly", 3),
        ]
    );
    assert_eq!(lineage(&relay), l, "every copy tells the same lineage");

    // A day's posts are not ordered: the blog that relays the Cerebras item on the sample's day is
    // listed first by path, and its own repeat a day later is a carrier, not a relay.
    let cerebras = lineage(&item_of("Cerebras 2.25억 달러", "sample/001_70f0b9b6bd1d999e.txt"));
    assert_eq!(
        carriers(&cerebras),
        [
            ("ai-daily/2026-02-07-ai-daily.md", "ai-daily", 0),
            ("sample/001_70f0b9b6bd1d999e.txt", "sample", 0),
            ("ai-daily/2026-02-08-ai-daily.md", "ai-daily", 1),
        ]
    );
    assert_eq!(cerebras.source.map(|s| (s.url, s.cited_by)), Some((CEREBRAS_REPORT.to_owned(), 3)));

    // An item nobody relayed is its own lineage.
    let alone = item_of("휴머노이드 로봇 야간 교대", "sample/003_bold-label-digest.md");
    let l = lineage(&alone);
    assert_eq!(carriers(&l), [("sample/003_bold-label-digest.md", "sample", 0)]);
    assert_eq!(
        l.source.map(|s| s.url),
        Some("https://example.com/2026/02/02/warehouse-humanoid-night-shift".to_owned())
    );
}

#[test]
fn a_story_gives_the_lineage_of_each_of_its_items() {
    let head = item_of("GPT-5.3-Codex 과학", "sample/002_2a27a2cd3d086f8e.txt");
    let story_id =
        relay_server().api::<Item>(&format!("/api/items/{head}")).story.expect("the Codex launch is in a thread");
    let story: Story = relay_server().api(&format!("/api/stories/{story_id}"));
    assert_eq!(story.lineage.len(), story.items.len());
    for (hit, l) in story.items.iter().zip(&story.lineage) {
        assert_eq!(l, &lineage(&hit.id), "{}", hit.title);
    }
    assert!(story.lineage.iter().any(|l| l.group == head), "the thread holds the launch");
}

/// A blog of `/api/relays`: name, groups, first, relays, median and p90 lag.
type BlogRow<'a> = (&'a str, u64, u64, u64, Option<u32>, Option<u32>);

#[test]
fn relays_count_each_blogs_lag_behind_the_first_blog() {
    let stats: RelayStats = relay_server().api("/api/relays");
    // the two relayed stories; the sample corpus alone has no group of two posts
    assert_eq!((stats.groups, stats.resolved, stats.cross_blog), (2, 2, 2));
    let blogs: Vec<BlogRow> = stats
        .blogs
        .iter()
        .map(|b| (b.blog.as_str(), b.groups, b.first, b.relays, b.median_lag_days, b.p90_lag_days))
        .collect();
    assert_eq!(
        blogs,
        [
            // Codex a day after the sample; Cerebras on the sample's day (first too)
            ("ai-daily", 2, 1, 1, Some(1), Some(1)),
            ("tech-weekly", 1, 0, 1, Some(3), Some(3)),
            ("sample", 2, 2, 0, None, None),
        ]
    );
    let weekly = &stats.blogs[1];
    let counts: Vec<(u32, u64)> = weekly.lags.iter().map(|b| (b.min_days, b.count)).collect();
    assert_eq!(counts, [(1, 0), (2, 0), (3, 1), (4, 0), (8, 0), (15, 0), (31, 0)]);
}

#[test]
fn the_ui_shows_the_lineage_and_each_blogs_relay_lag() {
    let head = item_of("GPT-5.3-Codex 과학", "sample/002_2a27a2cd3d086f8e.txt");
    let expected = lineage(&head);
    let browser = browser("lineage", DESKTOP);

    // The item page shows the chain open: the source, then each post with its lag.
    let tab = open_on(relay_server(), &browser, &format!("/items/{head}"));
    wait_until(&tab, "document.querySelector('.item-lineage details.lineage[open] li.carrier')", "the item's lineage");
    let source = js_string(&tab, "document.querySelector('.item-lineage li.origin a').getAttribute('href')");
    assert_eq!(source, CODEX_REPORT);
    let chain: Vec<(String, String)> = js_json(
        &tab,
        "[...document.querySelectorAll('.item-lineage li.carrier')].map(li => \
           [li.querySelector('a').getAttribute('href'), li.dataset.lag])",
    );
    let want: Vec<(String, String)> =
        expected.carriers.iter().map(|c| (format!("/items/{}", c.item), c.lag_days.to_string())).collect();
    assert_eq!(chain, want);
    // every post of the first day is shown as having carried it first (posts have no times)
    let firsts: usize = js_json(&tab, "document.querySelectorAll('.item-lineage li.carrier.first').length");
    assert_eq!(firsts, expected.carriers.iter().filter(|c| c.lag_days == 0).count());
    let text = js_string(&tab, "document.querySelector('.item-lineage li.carrier:last-child').textContent");
    assert!(text.contains("tech-weekly") && text.contains("3일 뒤"), "{text:?}");

    tab.evaluate("document.querySelector('.item-lineage').scrollIntoView({ block: 'center' })", false).expect("scroll");
    publish_screenshot(&tab, "lineage");

    // The relays page: a card per blog with the API's figures and, with relays, the lag chart.
    let stats: RelayStats = relay_server().api("/api/relays");
    tab.find_element(".item-lineage a[href='/relays']")
        .expect("link to the relays page")
        .click()
        .expect("open /relays");
    wait_until(&tab, "document.querySelector('li.blog-relay')", "the relays page");
    let totals = js_string(&tab, "document.querySelector('#relay-totals').textContent");
    assert!(totals.starts_with(&format!("두 편 이상의 글에 실린 소식 {}건", stats.groups)), "{totals:?}");
    let cards: Vec<(String, Vec<u64>)> = js_json(
        &tab,
        "[...document.querySelectorAll('li.blog-relay')].map(li => [li.dataset.blog, \
           [...li.querySelectorAll('svg.lag-chart g.bar')].map(g => Number(g.dataset.count))])",
    );
    let want: Vec<(String, Vec<u64>)> = stats
        .blogs
        .iter()
        .map(|b| (b.blog.clone(), if b.relays > 0 { b.lags.iter().map(|l| l.count).collect() } else { vec![] }))
        .collect();
    assert_eq!(cards, want);
    let meta = js_string(&tab, "document.querySelector('li.blog-relay[data-blog=\"tech-weekly\"] .meta').textContent");
    assert!(meta.contains("중앙값 3일"), "{meta:?}");
    publish_screenshot(&tab, "relays");

    // The story page has one lineage per item, closed until asked.
    let story_id = relay_server().api::<Item>(&format!("/api/items/{head}")).story.expect("a thread");
    let story: Story = relay_server().api(&format!("/api/stories/{story_id}"));
    let tab = open_on(relay_server(), &browser, &format!("/stories/{}", encode(&story_id)));
    wait_until(&tab, "document.querySelector('ol.thread li.thread-item details.lineage')", "lineage on the story page");
    let summaries: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('ol.thread details.lineage summary')].map(s => s.textContent)");
    // an item that only its own post carried and that cites no article shows none
    let want: Vec<String> = story
        .lineage
        .iter()
        .filter(|l| l.source.is_some() || l.carriers.len() > 1)
        .map(|l| {
            let site = l.source.as_ref().map_or("원 출처를 찾지 못함", |s| s.domain.as_str());
            format!("출처 계보: {site} → 글 {}편", l.carriers.len())
        })
        .collect();
    assert_eq!(summaries, want);

    // An essay passage without a link, in one post: its page shows no lineage.
    let alone = item_of("클라우드와 로컬 두 가지 길", "sample/004_essay.md");
    assert!(lineage(&alone).source.is_none() && lineage(&alone).carriers.len() == 1);
    let tab = open_on(relay_server(), &browser, &format!("/items/{alone}"));
    wait_until(&tab, "document.querySelector('article#item h2')", "the passage's page");
    let shown = js_string(&tab, "String(document.querySelectorAll('details.lineage').length)");
    assert_eq!(shown, "0");

    // At phone width nothing scrolls sideways.
    for path in [format!("/items/{head}"), "/relays".to_owned(), format!("/stories/{}", encode(&story_id))] {
        let tab = open_phone_on(relay_server(), &browser, &path);
        wait_until(&tab, "document.querySelector('details.lineage, li.blog-relay')", "page at phone width");
        assert_fits(&tab, &format!("{path} at 360px"));
    }
}
