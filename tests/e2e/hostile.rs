//! Hostile content: posts are other people's text, so a title, summary, body or source may hold
//! `<script>`, `<img onerror>`, `"><svg onload>`, `<mark>`, entity-encoded markup or
//! `javascript:` links (tests/fixtures/hostile/posts, indexed with data/posts). Every payload
//! would set a `window.__pwned_*` global if it ran. The API's snippets, the Atom feeds and every
//! page of the UI must carry it as text, and the pages must hold no element, event handler or
//! link that came from it, with the Content-Security-Policy and without it (the escaping itself,
//! not only the policy, keeps it text).

use std::sync::Arc;
use std::time::Duration;

use headless_chrome::protocol::cdp::Page;
use headless_chrome::Tab;
use sosik_tests::{browser, encode, hostile_server};
use sosik_types::{snippet_runs, EntityProfile, Item, SearchResponse, Story, StoryList};

use crate::browser_explore::{js_string, screenshot, wait_until, SETTLED};

/// A word only the hostile items contain.
const QUERY: &str = "Pwnbench";
/// Payloads of the hostile item, as the text a reader must see.
const SUMMARY_SCRIPT: &str = "<script>window.__pwned_summary=1</script>";
const SUMMARY_IMG: &str = "<img src=x onerror=\"window.__pwned_summary=1\">";
const SUMMARY_FAKE_MARK: &str = "<mark>가짜 강조</mark>";
/// Entity-encoded markup in the post stays entity text (decoded once, by the markdown parser).
const SUMMARY_ENTITIES: &str = "&lt;b onmouseover=\"window.__pwned_entity=1\"&gt;엔티티&lt;/b&gt;";
const SOURCE_TITLE: &str =
    "\"onmouseover=\"window.__pwned_source_title=1\" <script>window.__pwned_source_title=1</script>";
const WHY_IFRAME: &str = "<iframe src=\"javascript:window.__pwned_why=1\"></iframe>";

/// The hostile item (the first post's) and the story thread its follow-up forms with it.
fn hostile_item() -> Item {
    let r: SearchResponse = hostile_server().api(&format!("/api/search?q={QUERY}&mode=bm25&sort=date&limit=10"));
    let hit = r
        .hits
        .iter()
        .find(|h| h.post_path == "900_hostile-digest.md")
        .unwrap_or_else(|| panic!("no hit from the hostile post: {:?}", r.hits));
    hostile_server().api(&format!("/api/items/{}", hit.id))
}

/// The fixture reaches the index as text: otherwise the tests below would check nothing.
#[test]
fn the_hostile_post_is_indexed_as_text() {
    let item = hostile_item();
    for payload in ["<script>window.__pwned_item_title=1</script>", "<img src=x onerror=", "\"><svg onload="] {
        assert!(item.title.contains(payload), "title {:?} lacks {payload:?}", item.title);
    }
    assert!(item.post_title.contains("<script>window.__pwned_post_title=1</script>"), "{:?}", item.post_title);
    for payload in [SUMMARY_SCRIPT, SUMMARY_IMG, SUMMARY_FAKE_MARK, SUMMARY_ENTITIES] {
        assert!(item.summary.contains(payload), "summary {:?} lacks {payload:?}", item.summary);
    }
    assert!(item.why.contains(WHY_IFRAME), "why {:?}", item.why);
    // The post also cites javascript:, data: and JaVaScRiPt: URLs; the indexer keeps web links
    // only (the pages and feeds link only web URLs as well: types' `Source::web_url`).
    let urls: Vec<&str> = item.sources.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://example.com/2026/02/10/pwnbench?a=1&b=\"onmouseover=\"window.__pwned_source_url=1",
            "https://example.com/2026/02/10/pwnbench-paper"
        ],
        "sources"
    );
    // (the indexer drops tags from link texts and decodes their entities again: `&amp;lt;` in the post
    // is the `<` left)
    assert!(item.sources[0].title.contains(SOURCE_TITLE), "{:?}", item.sources);
    assert!(item.companies.iter().any(|c| c == "anthropic"), "companies {:?}", item.companies);
    assert!(!item.topics.is_empty(), "no topic");
    assert!(item.story.is_some(), "the follow-up post forms no story with it");
}

/// A snippet is escaped text with only `<mark>` as markup, around words of the query; returns
/// its text (entities decoded once).
fn snippet_text(snippet: &str, q: Option<&str>) -> String {
    let plain = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(!plain.contains('<') && !plain.contains('>'), "markup other than <mark> in {snippet:?}");
    assert!(!plain.contains('"'), "a raw quote in {snippet:?}");
    let runs = snippet_runs(snippet);
    for marked in runs.iter().filter(|r| r.marked) {
        let q = q.unwrap_or_else(|| panic!("a highlight without a query: {snippet:?}"));
        assert!(marked.text.to_lowercase().starts_with(&q.to_lowercase()), "{:?} marked in {snippet:?}", marked.text);
    }
    runs.into_iter().map(|r| r.text).collect()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` (a snippet's, maybe cut with …) is an excerpt of the item's summary or body.
fn assert_excerpt(text: &str, item: &Item, what: &str) {
    let source = squash(&format!("{}\n{}", item.summary, item.body));
    for part in text.split('…').map(str::trim).filter(|p| !p.is_empty()) {
        assert!(source.contains(&squash(part)), "{what}: {part:?} is not text of the item");
    }
}

#[test]
fn snippets_of_hostile_text_are_escaped() {
    let item = hostile_item();
    // A query matching the item, and ones matching words inside its markup (`<script>`, the
    // `<mark>` it writes itself): the highlights must still be the only markup.
    for (q, expect) in [(QUERY, SUMMARY_SCRIPT), ("script", SUMMARY_SCRIPT), ("mark", SUMMARY_FAKE_MARK)] {
        let r: SearchResponse = hostile_server().api(&format!("/api/search?q={}&mode=bm25&limit=50", encode(q)));
        let hit = r.hits.iter().find(|h| h.id == item.id).unwrap_or_else(|| panic!("{q}: the hostile item is no hit"));
        let text = snippet_text(&hit.snippet, Some(q));
        assert!(hit.snippet.contains("<mark>"), "{q}: nothing highlighted in {:?}", hit.snippet);
        assert!(text.contains(expect), "{q}: the snippet {:?} does not show {expect:?}", hit.snippet);
        assert_excerpt(&text, &item, q);
    }
    // Without a query the snippet is the start of the summary, escaped, with no highlight.
    let r: SearchResponse = hostile_server().api("/api/search?company=anthropic&limit=100");
    let hit = r.hits.iter().find(|h| h.id == item.id).expect("the hostile item among anthropic's");
    assert!(hit.snippet.contains("&lt;script&gt;window.__pwned_summary=1&lt;/script&gt;"), "{:?}", hit.snippet);
    let text = snippet_text(&hit.snippet, None);
    assert!(text.contains(SUMMARY_SCRIPT), "{text:?}");
    assert_excerpt(&text, &item, "listing");
}

// ---------------------------------------------------------------------------------------------
// Atom feeds
// ---------------------------------------------------------------------------------------------

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    node.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("<{}> has no <{name}>", node.tag_name().name()))
}

/// The element holds only text (markup in it was escaped), and that text.
fn text_only<'a>(node: roxmltree::Node<'a, '_>, what: &str) -> &'a str {
    let elements: Vec<_> = node.children().filter(|c| c.is_element()).map(|c| c.tag_name().name()).collect();
    assert!(elements.is_empty(), "{what}: elements {elements:?} inside <{}>", node.tag_name().name());
    node.text().unwrap_or("")
}

/// The tags of an HTML fragment that is escaped text plus a few tags of the server's own.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').unwrap_or_else(|| panic!("unclosed tag in {html:?}")) + start;
        out.push(&rest[start..=end]);
        rest = &rest[end + 1..];
    }
    out
}

/// Checks the entry of `item` in the Atom feed at `path`: its title is the literal title as
/// text, its summary and content are HTML in which the item's text is escaped, and only web
/// sources are links. Returns the feed's title.
fn check_feed(path: &str, item: &Item, q: Option<&str>) -> String {
    let (status, xml) = hostile_server().get(path);
    assert_eq!(status, 200, "{path}: {xml}");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path} is not XML ({e}): {xml}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{path}: root {:?}", feed.tag_name());
    let feed_title = text_only(child(feed, "title"), path).to_string();
    let id = format!("urn:sosik:item:{}", item.id);
    let entry = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .find(|e| child(*e, "id").text() == Some(id.as_str()))
        .unwrap_or_else(|| panic!("{path}: no entry for the hostile item"));

    let title = child(entry, "title");
    assert_ne!(title.attribute("type"), Some("html"), "{path}: an HTML title");
    assert_eq!(text_only(title, path), item.title, "{path}: the entry title is the literal title");

    let summary = child(entry, "summary");
    assert_eq!(summary.attribute("type"), Some("html"), "{path}");
    let html = text_only(summary, path);
    let text = snippet_text(html, q);
    assert!(text.contains(SUMMARY_SCRIPT), "{path}: summary {html:?}");
    assert_excerpt(&text, item, path);

    let content = child(entry, "content");
    assert_eq!(content.attribute("type"), Some("html"), "{path}");
    let html = text_only(content, path);
    let web: Vec<String> = item.sources.iter().filter_map(|s| s.web_url()).map(html_escape).collect();
    let mut links = Vec::new();
    for tag in tags(html) {
        match tag {
            "<p>" | "</p>" | "<ul>" | "</ul>" | "<li>" | "</li>" | "</a>" | "<mark>" | "</mark>" => {}
            _ => {
                let href = tag
                    .strip_prefix("<a href=\"")
                    .and_then(|t| t.strip_suffix("\">"))
                    .unwrap_or_else(|| panic!("{path}: tag {tag:?} in the content {html:?}"));
                links.push(href.to_string());
            }
        }
    }
    assert_eq!(links, web, "{path}: the content links exactly the web sources");
    for s in &item.sources {
        assert!(html.contains(&html_escape(&s.title)), "{path}: source title {:?} not shown", s.title);
    }
    feed_title
}

/// HTML escaping as the server writes it.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[test]
fn atom_feeds_carry_hostile_text_as_text() {
    let item = hostile_item();
    check_feed(&format!("/feeds/search.atom?q={QUERY}"), &item, Some(QUERY));
    check_feed("/feeds/search.atom", &item, None);
    check_feed("/feeds/companies/anthropic.atom", &item, None);
    for topic in &item.topics {
        check_feed(&format!("/feeds/topics/{topic}.atom"), &item, None);
    }
    let story_id = item.story.clone().expect("a story");
    let story: Story = hostile_server().api(&format!("/api/stories/{story_id}"));
    let title = check_feed(&format!("/feeds/stories/{story_id}.atom"), &item, None);
    assert_eq!(title, format!("{} — 소식", story.summary.title), "the story feed's title is the literal title");
    assert!(story.summary.title.contains('<'), "the story is not titled by a hostile item: {:?}", story.summary.title);
}

// ---------------------------------------------------------------------------------------------
// The UI
// ---------------------------------------------------------------------------------------------

/// What on the page could only have come from a payload: `__pwned` globals or the title one sets,
/// scripts other than the app's, embedded elements, event-handler attributes, links or
/// attributes with a script URL, `<mark>`s outside snippets or with markup inside. Empty when clean.
const INJECTED: &str = r#"(() => {
  const found = [];
  for (const k of Object.keys(window)) if (k.startsWith('__pwned')) found.push('global ' + k);
  if (document.title === 'PWNED') found.push('document.title');
  for (const s of document.scripts) {
    if (!/^\/boot\.js\?v=\w+$/.test(s.getAttribute('src') || '')) found.push('script ' + s.outerHTML.slice(0, 120));
  }
  for (const e of document.querySelectorAll('body script, body style, img, iframe, frame, object, embed, base, svg svg, foreignObject')) {
    found.push('element ' + e.outerHTML.slice(0, 120));
  }
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on')) found.push('handler ' + e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80));
      if (/^\s*(javascript|vbscript|data):/i.test(a.value)) found.push('url ' + e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80));
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (!['http:', 'https:'].includes(a.protocol)) found.push('link ' + a.getAttribute('href').slice(0, 80));
  }
  for (const m of document.querySelectorAll('mark')) {
    if (m.children.length || !m.closest('.snippet')) found.push('mark ' + m.outerHTML.slice(0, 120));
  }
  return JSON.stringify(found);
})()"#;

fn injected(tab: &Tab) -> Vec<String> {
    serde_json::from_str(&js_string(tab, INJECTED)).expect("injection report")
}

/// A string as a JavaScript literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("JSON string")
}

/// `document.body.textContent` shows `text` literally.
fn shows(text: &str) -> String {
    format!("document.body.textContent.includes({})", lit(text))
}

struct Visit<'a> {
    name: &'a str,
    path: String,
    /// True once the page shows what it is checked for.
    ready: String,
    /// Texts the page must show literally.
    texts: Vec<String>,
}

/// Opens `page` in `tab`, waits for it, and fails if anything of a payload became markup.
fn check_page(tab: &Tab, mode: &str, page: &Visit) {
    tab.navigate_to(&hostile_server().url(&page.path)).expect("navigate").wait_until_navigated().expect("loaded");
    let what = format!("{} ({mode})", page.name);
    wait_until(tab, &page.ready, &what);
    // an injected <img src=x onerror> fires after its request fails: give it time
    std::thread::sleep(Duration::from_millis(800));
    screenshot(tab, &format!("hostile-{mode}-{}", page.name));
    let found = injected(tab);
    assert!(found.is_empty(), "{what} at {}: content became markup: {found:#?}", page.path);
    for text in &page.texts {
        assert_eq!(
            js_string(tab, &format!("String({})", shows(text))),
            "true",
            "{what}: {text:?} is not shown as text"
        );
    }
}

/// Proves the report sees what a payload does: markup set as HTML runs its handler without the
/// policy (and is refused with it), and the report names it.
fn check_canary(tab: &Tab, csp: bool) {
    tab.evaluate(
        "(() => { const d = document.createElement('div'); d.id = 'canary'; \
           d.innerHTML = '<img src=x onerror=\"window.__pwned_canary=1\">'; document.body.append(d); })()",
        false,
    )
    .expect("canary");
    if csp {
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(js_string(tab, "String(window.__pwned_canary)"), "undefined", "the CSP let an inline handler run");
    } else {
        wait_until(tab, "window.__pwned_canary === 1", "the canary's handler (is the CSP bypassed?)");
    }
    let found = injected(tab);
    assert!(found.iter().any(|f| f.starts_with("element <img")), "the report misses the canary: {found:?}");
    tab.evaluate("document.getElementById('canary').remove(); delete window.__pwned_canary;", false).expect("clean");
    assert!(injected(tab).is_empty(), "{:?}", injected(tab));
}

#[test]
fn every_page_shows_hostile_content_as_text() {
    let item = hostile_item();
    let story_id = item.story.clone().expect("a story");
    let story: Story = hostile_server().api(&format!("/api/stories/{story_id}"));
    let topic = item.topics.first().expect("a topic").clone();
    let topic_page: EntityProfile = hostile_server().api(&format!("/api/topics/{topic}"));
    assert!(topic_page.latest.iter().any(|h| h.id == item.id), "the hostile item is not among {topic}'s latest");
    let home: StoryList = hostile_server().api("/api/stories?limit=6");
    assert!(home.stories.iter().any(|s| s.id == story_id), "the hostile story is not on the home page");

    // Pages are ready when the hostile item is there (its plain words); whether its title is
    // text is checked after (`texts`), so that a failure names what became markup.
    let title_shown = |list: &str| {
        format!("[...document.querySelectorAll({})].some(e => e.textContent.includes({}))", lit(list), lit(QUERY))
    };
    let pages = [
        Visit {
            name: "home",
            path: "/".into(),
            ready: format!(
                "[...document.querySelectorAll('#latest-stories .story-card .title')].some(e => e.textContent.includes({}))",
                lit(QUERY)
            ),
            texts: vec![story.summary.title.clone()],
        },
        Visit {
            name: "search",
            path: format!("/?q={QUERY}"),
            ready: format!("({SETTLED}) && {}", title_shown("li.hit h3")),
            texts: vec![item.title.clone(), SUMMARY_SCRIPT.into()],
        },
        Visit {
            name: "search-mark",
            path: "/?q=mark".into(),
            ready: format!("({SETTLED}) && {}", title_shown("li.hit h3")),
            texts: vec![SUMMARY_FAKE_MARK.into()],
        },
        Visit {
            name: "item",
            path: format!("/items/{}", item.id),
            ready: format!(
                "document.querySelector('article#item h2')?.textContent.includes({}) && \
                 document.querySelector('#similar .similar-list li') && \
                 document.querySelectorAll('.item-sources a').length === {}",
                lit(QUERY),
                item.sources.len()
            ),
            texts: [&item.title, &item.post_title, SUMMARY_SCRIPT, SUMMARY_IMG, SUMMARY_FAKE_MARK, SUMMARY_ENTITIES, WHY_IFRAME]
                .into_iter()
                .map(str::to_string)
                .chain(item.sources.iter().map(|s| s.title.clone()))
                .collect(),
        },
        Visit {
            name: "company",
            path: "/companies/anthropic".into(),
            ready: format!("{} && document.querySelector('#stories .story-card')", title_shown("#latest li.hit h3")),
            texts: vec![item.title.clone(), story.summary.title.clone()],
        },
        Visit {
            name: "topic",
            path: format!("/topics/{topic}"),
            ready: title_shown("#latest li.hit h3"),
            texts: vec![item.title.clone()],
        },
        Visit {
            name: "timeline",
            path: "/timeline".into(),
            ready: format!("document.querySelector('svg.chart g.bar') && {}", title_shown("#bucket-groups li.hit h3")),
            texts: vec![item.title.clone()],
        },
        Visit {
            name: "story",
            path: format!("/stories/{story_id}"),
            ready: format!(
                "document.querySelector('#story-title')?.textContent.includes({}) && {}",
                lit(QUERY),
                title_shown("ol.thread li.thread-item h3")
            ),
            texts: vec![item.title.clone(), story.summary.title.clone()],
        },
    ];

    let browser = browser("hostile", (1200, 900));
    for (mode, bypass_csp) in [("no-csp", true), ("csp", false)] {
        let tab: Arc<Tab> = browser.new_tab().expect("tab");
        tab.set_default_timeout(Duration::from_secs(60));
        if bypass_csp {
            // The page's Content-Security-Policy off: what keeps the payloads inert is then the
            // escaping alone.
            tab.call_method(Page::SetBypassCSP { enabled: true }).expect("Page.setBypassCSP");
        }
        for (i, page) in pages.iter().enumerate() {
            check_page(&tab, mode, page);
            if i == 0 {
                check_canary(&tab, !bypass_csp);
            }
            if page.name == "item" {
                // Only the web source is a link; the others show their titles, unlinked.
                let hrefs: Vec<Option<String>> = serde_json::from_str(&js_string(
                    &tab,
                    "JSON.stringify([...document.querySelectorAll('.item-sources a')].map(a => a.getAttribute('href')))",
                ))
                .expect("hrefs");
                let expected: Vec<Option<String>> =
                    item.sources.iter().map(|s| s.web_url().map(str::to_owned)).collect();
                assert_eq!(hrefs, expected, "{mode}: source links");
            }
        }
        tab.close(true).ok();
    }
}
