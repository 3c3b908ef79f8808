//! The explore pages in headless Chromium, on the real server and the sample index: company and
//! topic pages and lists, the timeline (a bar filters the list to its bucket, by keyboard and by
//! mouse, and back/forward walk the choice), story threads, and the home page's trending figures.
//! Each page's DOM is checked against what the API says, and screenshotted; the desktop shots of
//! the main pages are also copied to docs/screenshots/ for the README (data/posts is ours to publish).

use std::time::Duration;

use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::{Browser, Tab};
use serde::de::DeserializeOwned;
use sosik_tests::{artifacts_dir, browser, encode, repo_root, server, Server};
use sosik_types::{EntityList, EntityProfile, NameList, Story, StoryList, TimelineResponse, TrendingResponse};

use crate::browser_explore::{js_string, screenshot, wait_until};

pub(crate) const DESKTOP: (u32, u32) = (1200, 900);

/// GET an API path and decode it, asserting 200.
fn api<T: DeserializeOwned>(path: &str) -> T {
    let (status, json) = server().get_json(path);
    assert_eq!(status, 200, "{path}: {json}");
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(crate) fn open(browser: &Browser, path: &str) -> std::sync::Arc<Tab> {
    open_on(server(), browser, path)
}

/// A tab on `path` of another server than the sample corpus's.
pub(crate) fn open_on(server: &Server, browser: &Browser, path: &str) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(&server.url(path)).expect("navigate").wait_until_navigated().expect("loaded");
    tab
}

/// A tab at phone size, 360 × 800 CSS pixels. (A headless window cannot be narrower than ~500
/// pixels, so the viewport is emulated, as the browser's device mode does.)
pub(crate) fn open_phone(browser: &Browser, path: &str) -> std::sync::Arc<Tab> {
    open_phone_on(server(), browser, path)
}

/// [`open_phone`] on another server than the sample corpus's.
pub(crate) fn open_phone_on(server: &Server, browser: &Browser, path: &str) -> std::sync::Arc<Tab> {
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width: 360,
        height: 800,
        device_scale_factor: 1.0,
        mobile: true,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("emulate a 360px phone");
    tab.navigate_to(&server.url(path)).expect("navigate").wait_until_navigated().expect("loaded");
    assert_eq!(js_string(&tab, "String(window.innerWidth)"), "360", "emulated width");
    tab
}

/// Screenshot to test-artifacts/ and, for the README, to docs/screenshots/{name}.png.
pub(crate) fn publish_screenshot(tab: &Tab, name: &str) {
    // The pointer off the content: no hover underline in the picture.
    tab.move_mouse_to_point(Point { x: 1.0, y: 1.0 }).expect("move the pointer away");
    screenshot(tab, &format!("pages-{name}"));
    let dir = repo_root().join("docs/screenshots");
    std::fs::create_dir_all(&dir).expect("docs/screenshots");
    std::fs::copy(artifacts_dir().join(format!("pages-{name}.png")), dir.join(format!("{name}.png")))
        .expect("copy screenshot to docs/screenshots");
}

/// A feed link of the UI answers with an Atom document on the real server.
fn assert_feed(href: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut resp = agent.get(&server().url(href)).call().expect("GET feed");
    let status = resp.status().as_u16();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    assert_eq!(status, 200, "{href}: {body}");
    assert!(body.contains("<feed") && body.contains("http://www.w3.org/2005/Atom"), "{href} is not Atom: {body:.200}");
}

pub(crate) fn js_json<T: DeserializeOwned>(tab: &Tab, expr: &str) -> T {
    let text = js_string(tab, &format!("JSON.stringify({expr})"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{expr} → {text:?}: {e}"))
}

/// A string as a JavaScript literal.
fn lit(s: &str) -> String {
    serde_json::to_string(s).expect("JSON string")
}

/// No sideways scrolling.
pub(crate) fn assert_fits(tab: &Tab, what: &str) {
    let overflow = js_string(tab, "String(document.documentElement.scrollWidth - window.innerWidth)");
    assert!(overflow.parse::<i64>().unwrap_or(0) <= 0, "{what} scrolls sideways by {overflow}px");
}

#[test]
fn company_and_topic_pages_show_what_the_api_knows() {
    let companies: EntityList = api("/api/companies");
    let company = companies.entities.first().expect("a company");
    assert!(company.items > 0, "the sample corpus tags no company");
    let profile: EntityProfile = api(&format!("/api/companies/{}", encode(&company.slug)));
    let browser = browser("pages-entities", DESKTOP);

    // The list: one row per company with items, each with a sparkline and a link to its page.
    let tab = open(&browser, "/companies");
    wait_until(&tab, "document.querySelector('.entity-list .entity-row')", "company list");
    let with_items = companies.entities.iter().filter(|e| e.items > 0).count();
    let rows: usize = js_json(&tab, "document.querySelectorAll('.entity-list .entity-row').length");
    assert_eq!(rows, with_items, "rows of /companies");
    let sparks: usize = js_json(&tab, "document.querySelectorAll('.entity-row svg.sparkline polyline').length");
    assert_eq!(sparks, rows, "a sparkline per row");
    let first: (String, String) = js_json(
        &tab,
        "(() => { const a = document.querySelector('.entity-row .entity-name a'); \
          return [a.textContent, a.getAttribute('href')]; })()",
    );
    assert_eq!(first, (company.name.clone(), format!("/companies/{}", company.slug)), "first row");
    screenshot(&tab, "pages-companies");

    // Its page: name, counts, a bar per week, related links, latest items, stories, feed.
    tab.find_element(".entity-row .entity-name a").expect("first company").click().expect("open company");
    wait_until(&tab, "document.querySelector('#entity-name')", "company page");
    let heading = js_string(&tab, "document.querySelector('#entity-name').textContent");
    assert!(heading.contains(&company.name), "heading {heading:?} lacks {:?}", company.name);
    let counts = js_string(&tab, "document.querySelector('#entity-counts').textContent");
    assert!(counts.contains(&format!("소식 {}건", company.items)), "counts line {counts:?}");
    let bars: usize = js_json(&tab, "document.querySelectorAll('svg.chart g.bar').length");
    assert_eq!(bars, profile.series.counts.len(), "one bar per week of the series");
    let bar_counts: Vec<u64> =
        js_json(&tab, "[...document.querySelectorAll('svg.chart g.bar')].map(g => Number(g.dataset.count))");
    assert_eq!(bar_counts, profile.series.counts, "bar counts");
    let labels: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('svg.chart .axis-label')].map(t => t.textContent)");
    assert!(labels.first().is_some_and(|l| l.contains('년') && l.contains('월')), "axis labels {labels:?}");
    let related: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('.related-list li')].map(li => li.dataset.slug)");
    let expected: Vec<String> =
        profile.top_related.iter().chain(&profile.co_mentions).chain(&profile.names).map(|f| f.value.clone()).collect();
    assert_eq!(related, expected, "related topics, co-mentioned companies and names");
    let latest: usize = js_json(&tab, "document.querySelectorAll('#latest li.hit').length");
    assert_eq!(latest, profile.latest.len(), "latest items");
    let stories: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('#stories .story-card')].map(li => li.dataset.story)");
    assert_eq!(stories, profile.stories.iter().map(|s| s.id.clone()).collect::<Vec<_>>(), "story threads");
    let feed = js_string(&tab, "document.querySelector('.page-head a.feed').getAttribute('href')");
    assert_eq!(feed, format!("/feeds/companies/{}.atom", company.slug));
    assert_feed(&feed);
    publish_screenshot(&tab, "company");

    // A bar opens the timeline of this company at that week, listing the week's items; back returns.
    let (week, count) =
        profile.series.counts.iter().enumerate().max_by_key(|(_, c)| **c).map(|(i, c)| (i, *c)).expect("a week");
    let start: String = js_json(&tab, &format!("document.querySelectorAll('svg.chart g.bar')[{week}].dataset.bucket"));
    tab.find_element(&format!("svg.chart g.bar[data-bucket='{start}'] rect.hit"))
        .expect("the busiest week's bar")
        .click()
        .expect("click bar");
    wait_until(
        &tab,
        &format!(
            "location.pathname === '/timeline' && location.search.includes('company={}') && \
             location.search.includes('bucket={start}')",
            company.slug
        ),
        "the company's timeline at that week",
    );
    wait_until(
        &tab,
        &format!("document.querySelectorAll('#timeline-items li.hit').length === {}", count.min(100)),
        "the week's items",
    );
    tab.evaluate("history.back()", false).expect("back");
    wait_until(&tab, "document.querySelector('#entity-name') && document.querySelector('svg.chart')", "company again");

    // A related topic's link opens the topic page, named as /api/topics names it.
    let topic_slug = profile.top_related.first().map(|f| f.value.clone()).expect("the company has topics");
    let topic: EntityProfile = api(&format!("/api/topics/{}", encode(&topic_slug)));
    tab.find_element(&format!(".related-list[data-kind=topics] li[data-slug={topic_slug}] a"))
        .expect("related topic link")
        .click()
        .expect("open topic");
    wait_until(&tab, &format!("location.pathname === '/topics/{topic_slug}'"), "topic URL");
    wait_until(
        &tab,
        &format!("document.querySelector('#entity-name')?.textContent.includes({})", lit(&topic.summary.name)),
        "topic page",
    );
    let counts = js_string(&tab, "document.querySelector('#entity-counts').textContent");
    assert!(counts.contains(&format!("소식 {}건", topic.summary.items)), "topic counts {counts:?}");
    let related: Vec<String> = js_json(
        &tab,
        "[...document.querySelectorAll('.related-list[data-kind=companies] li')].map(li => li.dataset.slug)",
    );
    let top: Vec<String> = topic.top_related.iter().map(|f| f.value.clone()).collect();
    assert!(related.starts_with(&top), "topic's companies {related:?} should start with {top:?}");
    let feed = js_string(&tab, "document.querySelector('.page-head a.feed').getAttribute('href')");
    assert_eq!(feed, format!("/feeds/topics/{topic_slug}.atom"));
    assert_feed(&feed);
    publish_screenshot(&tab, "topic");

    // Back returns to the company page.
    tab.evaluate("history.back()", false).expect("back");
    wait_until(&tab, &format!("location.pathname === '/companies/{}'", company.slug), "back to the company");
    wait_until(&tab, "document.querySelector('#entity-name')", "company page again");

    // The topic list works too.
    let topics: EntityList = api("/api/topics");
    let tab = open(&browser, "/topics");
    wait_until(&tab, "document.querySelector('.entity-list .entity-row')", "topic list");
    let rows: usize = js_json(&tab, "document.querySelectorAll('.entity-list .entity-row').length");
    assert_eq!(rows, topics.entities.iter().filter(|e| e.items > 0).count(), "rows of /topics");
    screenshot(&tab, "pages-topics");

    // At phone width the company page and list fit.
    let tab = open_phone(&browser, &format!("/companies/{}", company.slug));
    wait_until(&tab, "document.querySelector('svg.chart g.bar') && document.querySelector('#latest li.hit')", "phone");
    screenshot(&tab, "pages-company-phone");
    assert_fits(&tab, "the company page at 360px");
    let tab = open_phone(&browser, "/companies");
    wait_until(&tab, "document.querySelector('.entity-list .entity-row')", "company list at phone width");
    assert_fits(&tab, "the company list at 360px");

    // An unknown slug says so.
    let tab = open(&browser, "/companies/no-such-company");
    wait_until(&tab, "document.querySelector('#status.error')", "not-found message");
}

/// People, products and organisations: the list by kind, a page like a company's, the filter and
/// facet on the search page, and the chips of hits.
#[test]
fn name_pages_show_people_products_and_organisations() {
    let names: NameList = api("/api/names");
    let slug = "claude-code";
    let profile: EntityProfile = api(&format!("/api/names/{slug}"));
    assert!(profile.summary.items > 0, "the sample corpus names no Claude Code");
    let browser = browser("pages-names", DESKTOP);

    // The list: a section per kind, a row per name with items, in the API's order.
    let tab = open(&browser, "/names");
    wait_until(&tab, "document.querySelector('.name-kind .entity-row')", "name list");
    for kind in sosik_types::EntityKind::NAMES {
        let rows: Vec<String> = js_json(
            &tab,
            &format!(
                "[...document.querySelectorAll('.name-kind[data-kind={}] .entity-row')].map(li => li.dataset.slug)",
                kind.as_str()
            ),
        );
        let expected: Vec<String> =
            names.names.iter().filter(|n| n.kind == kind && n.items > 0).map(|n| n.slug.clone()).collect();
        assert_eq!(rows, expected, "{kind:?} rows of /names");
    }
    let current = js_string(&tab, "document.querySelector('.site-nav a[aria-current=page]').textContent");
    assert_eq!(current, "이름", "the header marks the section");
    screenshot(&tab, "pages-names");

    // Its page: kind, names, counts, a bar per week, related lists, latest items, feed.
    tab.find_element(&format!(".entity-row[data-slug={slug}] .entity-name a"))
        .expect("the Claude Code row")
        .click()
        .expect("open the name");
    wait_until(
        &tab,
        &format!("location.pathname === '/names/{slug}' && document.querySelector('#entity-name')"),
        "name page",
    );
    let heading = js_string(&tab, "document.querySelector('#entity-name').textContent");
    assert!(heading.contains("클로드 코드") && heading.contains("Claude Code"), "heading {heading:?}");
    assert_eq!(js_string(&tab, "document.querySelector('.page-head .kicker').textContent"), "제품");
    let counts = js_string(&tab, "document.querySelector('#entity-counts').textContent");
    assert!(counts.contains(&format!("소식 {}건", profile.summary.items)), "counts line {counts:?}");
    let bar_counts: Vec<u64> =
        js_json(&tab, "[...document.querySelectorAll('svg.chart g.bar')].map(g => Number(g.dataset.count))");
    assert_eq!(bar_counts, profile.series.counts, "bar counts");
    let related: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('.related-list li')].map(li => li.dataset.slug)");
    let expected: Vec<String> =
        profile.top_related.iter().chain(&profile.co_mentions).chain(&profile.names).map(|f| f.value.clone()).collect();
    assert_eq!(related, expected, "its topics, companies and names");
    let latest: Vec<String> = js_json(
        &tab,
        "[...document.querySelectorAll('#latest li.hit')].map(li => [...li.querySelectorAll('.chip.name')].map(c => c.dataset.slug).join(' '))",
    );
    assert_eq!(latest.len(), profile.latest.len(), "latest items");
    assert!(
        latest.iter().all(|chips| chips.split(' ').any(|c| c == slug)),
        "each latest item has its chip: {latest:?}"
    );
    let feed = js_string(&tab, "document.querySelector('.page-head a.feed').getAttribute('href')");
    assert_eq!(feed, format!("/feeds/names/{slug}.atom"));
    assert_feed(&feed);
    publish_screenshot(&tab, "name");

    // "타임라인" opens the timeline filtered by it, the filter shown as a chip that removes it.
    tab.find_element(".page-head .follow a:nth-of-type(1)").expect("timeline link").click().expect("open");
    wait_until(
        &tab,
        &format!("location.pathname === '/timeline' && location.search.includes('name={slug}')"),
        "timeline",
    );
    wait_until(&tab, "document.querySelector('#tl-name')?.textContent.includes('클로드 코드')", "the name chip");
    let status = js_string(&tab, "document.querySelector('#status').textContent");
    wait_until(
        &tab,
        &format!("document.querySelector('#status').textContent.includes('소식 {}건')", profile.summary.items),
        "the name's count",
    );
    assert!(!status.is_empty());
    tab.find_element("#tl-name button").expect("chip").click().expect("remove the name");
    wait_until(&tab, "!location.search.includes('name=') && !document.querySelector('#tl-name')", "the filter removed");
    tab.evaluate("history.back()", false).expect("back");
    tab.evaluate("history.back()", false).expect("back");
    wait_until(
        &tab,
        &format!("location.pathname === '/names/{slug}' && document.querySelector('#entity-name')"),
        "the name page again",
    );

    // "모든 소식" lists its items on the search page, filtered by it, with the name facet.
    tab.find_element(".page-head .follow a:nth-of-type(2)").expect("all items link").click().expect("open");
    wait_until(&tab, &format!("location.search.includes('name={slug}')"), "search filtered by the name");
    wait_until(&tab, crate::browser_explore::SETTLED, "the name's items");
    let hits: usize = js_json(&tab, "document.querySelectorAll('#results li.hit').length");
    assert_eq!(hits as u64, profile.summary.items.min(20), "one hit per item naming it");
    // (display names arrive with the name list, right after the page starts)
    wait_until(
        &tab,
        "document.querySelector('.active-filters')?.textContent.includes('클로드 코드')",
        "the active filter shows the name",
    );
    let active: Vec<String> = js_json(
        &tab,
        "[...document.querySelectorAll('#facets [data-facet=name] [aria-pressed=true]')].map(b => b.textContent)",
    );
    assert!(active.len() == 1 && active[0].contains("클로드 코드"), "the facet marks the name: {active:?}");

    // At phone width the page and the list fit.
    let tab = open_phone(&browser, &format!("/names/{slug}"));
    wait_until(&tab, "document.querySelector('svg.chart g.bar') && document.querySelector('#latest li.hit')", "phone");
    screenshot(&tab, "pages-name-phone");
    assert_fits(&tab, "the name page at 360px");
    let tab = open_phone(&browser, "/names");
    wait_until(&tab, "document.querySelector('.name-kind .entity-row')", "name list at phone width");
    assert_fits(&tab, "the name list at 360px");

    // An unknown slug says so.
    let tab = open(&browser, "/names/no-such-name");
    wait_until(&tab, "document.querySelector('#status.error')", "not-found message");
}

#[test]
fn timeline_bar_filters_the_list_to_its_bucket() {
    let timeline: TimelineResponse = api("/api/timeline?interval=week");
    assert!(timeline.total > 0, "empty timeline");
    let filled: Vec<_> = timeline.buckets.iter().filter(|b| b.count > 0).collect();
    assert!(filled.len() >= 2, "the sample corpus spans fewer than two weeks: {filled:?}");
    let browser = browser("pages-timeline", DESKTOP);
    let tab = open(&browser, "/timeline");
    wait_until(
        &tab,
        "document.querySelector('svg.chart g.bar') && document.querySelector('#bucket-groups li.hit')",
        "timeline",
    );
    let status = js_string(&tab, "document.querySelector('#status').textContent");
    assert!(status.contains(&format!("소식 {}건", timeline.total)), "status {status:?}");
    let bars: Vec<(String, u64)> = js_json(
        &tab,
        "[...document.querySelectorAll('svg.chart g.bar')].map(g => [g.dataset.bucket, Number(g.dataset.count)])",
    );
    let expected: Vec<(String, u64)> = timeline.buckets.iter().map(|b| (b.start.clone(), b.count)).collect();
    assert_eq!(bars, expected, "bars vs /api/timeline buckets");
    // Unchosen: every non-empty week, newest first.
    let groups: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('#bucket-groups .bucket-group')].map(s => s.dataset.bucket)");
    let newest_first: Vec<String> = filled.iter().rev().map(|b| b.start.clone()).collect();
    assert_eq!(groups, newest_first, "bucket groups");
    let before: Vec<String> = js_json(&tab, "[...document.querySelectorAll('li.hit h3')].map(h => h.textContent)");
    publish_screenshot(&tab, "timeline");

    // Keyboard: the bars with items are focusable buttons named by date and count; Enter chooses one.
    let pick = filled[0];
    let bar = format!("svg.chart g.bar[data-bucket='{}']", pick.start);
    let (role, tabindex, label): (String, String, String) = js_json(
        &tab,
        &format!(
            "(() => {{ const g = document.querySelector(\"{bar}\"); \
                  return [g.getAttribute('role'), g.getAttribute('tabindex'), g.getAttribute('aria-label')]; }})()"
        ),
    );
    assert_eq!((role.as_str(), tabindex.as_str()), ("button", "0"), "bar semantics");
    assert!(label.contains(&format!("{}건", pick.count)) && label.contains('년'), "bar label {label:?}");
    tab.evaluate(&format!("document.querySelector(\"{bar}\").focus()"), false).expect("focus bar");
    wait_until(&tab, &format!("document.activeElement === document.querySelector(\"{bar}\")"), "bar focused");
    tab.press_key("Enter").expect("Enter");
    wait_until(&tab, &format!("location.search.includes('bucket={}')", pick.start), "bucket in the URL");
    check_bucket_list(&tab, &pick.start, &pick.end, pick.count);
    let after: Vec<String> = js_json(&tab, "[...document.querySelectorAll('li.hit h3')].map(h => h.textContent)");
    assert_ne!(before, after, "the list did not change");
    screenshot(&tab, "pages-timeline-bucket");

    // Mouse: another bar.
    let other = filled[filled.len() - 1];
    tab.find_element(&format!("svg.chart g.bar[data-bucket='{}'] rect.hit", other.start))
        .expect("other bar")
        .click()
        .expect("click bar");
    wait_until(&tab, &format!("location.search.includes('bucket={}')", other.start), "other bucket in the URL");
    check_bucket_list(&tab, &other.start, &other.end, other.count);

    // Back: the first choice again; back once more: the whole range.
    tab.evaluate("history.back()", false).expect("back");
    wait_until(&tab, &format!("location.search.includes('bucket={}')", pick.start), "back to the first bucket");
    check_bucket_list(&tab, &pick.start, &pick.end, pick.count);
    tab.evaluate("history.back()", false).expect("back");
    wait_until(&tab, "!location.search.includes('bucket=') && document.querySelector('#bucket-groups')", "whole range");
    assert_eq!(tab.find_elements("svg.chart g.bar.selected").map(|v| v.len()).unwrap_or(0), 0, "a bar stays chosen");

    // Filters: a company's monthly timeline, from its URL alone.
    let companies: EntityList = api("/api/companies");
    let slug = &companies.entities[0].slug;
    let monthly: TimelineResponse = api(&format!("/api/timeline?company={slug}&interval=month"));
    let tab = open(&browser, &format!("/timeline?company={slug}&interval=month"));
    wait_until(&tab, "document.querySelector('svg.chart g.bar')", "company timeline");
    wait_until(&tab, &format!("document.querySelector('#tl-company').value === '{slug}'"), "company picked");
    assert_eq!(js_string(&tab, "document.querySelector('#tl-interval').value"), "month");
    let bars: usize = js_json(&tab, "document.querySelectorAll('svg.chart g.bar').length");
    assert_eq!(bars, monthly.buckets.len(), "monthly bars");
    let status = js_string(&tab, "document.querySelector('#status').textContent");
    assert!(status.contains(&format!("소식 {}건", monthly.total)), "company timeline status {status:?}");

    // The form: a query typed and submitted joins the URL, and the chart is redrawn for it.
    let q = "에이전트";
    let with_q: TimelineResponse = api(&format!("/api/timeline?company={slug}&q={}&interval=month", encode(q)));
    tab.find_element("#tl-q").expect("query box").click().expect("focus query box");
    tab.type_str(q).expect("type query");
    tab.press_key("Enter").expect("submit");
    wait_until(&tab, &format!("location.search.includes('q={}')", encode(q)), "query in the URL");
    wait_until(
        &tab,
        &format!("document.querySelector('#status').textContent.includes('소식 {}건')", with_q.total),
        "the query's timeline",
    );
    assert!(tab.get_url().contains(&format!("company={slug}")), "the query dropped the company: {}", tab.get_url());

    // At phone width the page fits (the chart scrolls inside its box).
    let tab = open_phone(&browser, &format!("/timeline?bucket={}", pick.start));
    wait_until(&tab, "document.querySelector('#timeline-items li.hit')", "timeline at phone width");
    screenshot(&tab, "pages-timeline-phone");
    assert_fits(&tab, "the timeline at 360px");
}

/// The list under the chart is exactly the bucket's items: as many as it counts, all in its range.
fn check_bucket_list(tab: &Tab, start: &str, end: &str, count: u64) {
    wait_until(
        tab,
        &format!(
            "document.querySelector(\"svg.chart g.bar.selected\")?.dataset.bucket === '{start}' && \
             document.querySelector('#timeline-items') && \
             document.querySelectorAll('#timeline-items li.hit').length === {}",
            count.min(100)
        ),
        &format!("the items of {start}"),
    );
    let pressed: Vec<String> =
        js_json(tab, "[...document.querySelectorAll('svg.chart g.bar[aria-pressed=true]')].map(g => g.dataset.bucket)");
    assert_eq!(pressed, vec![start.to_owned()], "the chosen bar is the one pressed button");
    let dates: Vec<String> = js_json(
        tab,
        "[...document.querySelectorAll('#timeline-items li.hit > p.meta > time')].map(t => t.getAttribute('datetime'))",
    );
    assert!(dates.iter().all(|d| d.as_str() >= start && d.as_str() <= end), "dates outside {start}..{end}: {dates:?}");
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first: {dates:?}");
    let status = js_string(tab, "document.querySelector('#bucket-status').textContent");
    assert!(status.contains(&format!("{count}건")), "bucket status {status:?}");
    assert_eq!(tab.find_elements("#bucket-groups").map(|v| v.len()).unwrap_or(0), 0, "groups still shown");
}

#[test]
fn story_page_shows_the_thread_and_items_link_to_it() {
    let list: StoryList = api("/api/stories?limit=5");
    let summary = list.stories.first().expect("the sample corpus has a story thread");
    let story: Story = api(&format!("/api/stories/{}", encode(&summary.id)));
    let browser = browser("pages-story", DESKTOP);

    // An item of the thread links to it.
    let first = story.items.first().expect("a thread has items");
    let tab = open(&browser, &format!("/items/{}", encode(&first.id)));
    wait_until(&tab, "document.querySelector('article#item .story-link a')", "story link on the item page");
    let href = js_string(&tab, "document.querySelector('.story-link a').getAttribute('href')");
    assert_eq!(href, format!("/stories/{}", summary.id));
    tab.find_element(".story-link a").expect("story link").click().expect("open story");

    wait_until(&tab, "document.querySelector('ol.thread li.thread-item')", "story page");
    let title = js_string(&tab, "document.querySelector('#story-title').textContent");
    assert_eq!(title, summary.title);
    let items: Vec<(String, String)> = js_json(
        &tab,
        "[...document.querySelectorAll('ol.thread li.thread-item')].map(li => \
           [li.querySelector('time').getAttribute('datetime'), li.querySelector('h3').textContent])",
    );
    let expected: Vec<(String, String)> = story.items.iter().map(|h| (h.date.clone(), h.title.clone())).collect();
    assert_eq!(items, expected, "thread items, oldest first");
    let feed = js_string(&tab, "document.querySelector('.page-head a.feed').getAttribute('href')");
    assert_eq!(feed, format!("/feeds/stories/{}.atom", summary.id));
    assert_feed(&feed);
    publish_screenshot(&tab, "story");

    // A hit of the thread in a search says so, with the thread's size and days, and links to it.
    let span = first.story_span.clone().expect("a hit in a thread carries its span");
    assert_eq!((span.size, span.first_date.as_str()), (story.items.len(), story.summary.first_date.as_str()));
    let tab = open(&browser, &format!("/?q={}", encode(&first.title)));
    let hit = format!("li.hit:has(h3 a[href='/items/{}'])", first.id);
    wait_until(&tab, &format!("document.querySelector(\"{hit} .thread-link a\")"), "the hit's thread line");
    let (text, href): (String, String) = js_json(
        &tab,
        &format!("(() => {{ const a = document.querySelector(\"{hit} .thread-link a\"); return [a.textContent, a.getAttribute('href')]; }})()"),
    );
    assert!(text.starts_with(&format!("이어지는 이야기: {}건 · ", span.size)), "{text:?}");
    assert_eq!(href, format!("/stories/{}", summary.id));

    // At phone width.
    let tab = open_phone(&browser, &format!("/stories/{}", encode(&summary.id)));
    wait_until(&tab, "document.querySelector('ol.thread li.thread-item')", "story at phone width");
    screenshot(&tab, "pages-story-phone");
    assert_fits(&tab, "the story page at 360px");
}

#[test]
fn home_shows_trending_and_latest_stories() {
    let trending: TrendingResponse = api("/api/trending?window=7d");
    let stories: StoryList = api("/api/stories?limit=6");
    let names: NameList = api("/api/names?new=30d");
    let browser = browser("pages-home", DESKTOP);
    let tab = open(&browser, "/");
    wait_until(&tab, "document.querySelector('#trending .trend-groups') && document.querySelector('#latest-stories .story-list, #latest-stories .status:not(:empty)') && document.querySelector('#new-names .new-names, #new-names .status:not(:empty)')", "home");
    // 새로 등장한 이름: the API's new names in its order, each opening its page
    let rows: Vec<(String, String, String)> = js_json(
        &tab,
        "[...document.querySelectorAll('#new-names li.new-name')].map(li =>            [li.dataset.slug, li.textContent, li.querySelector('a').getAttribute('href')])",
    );
    assert!(!names.names.is_empty(), "nothing is new on the sample corpus; the test would check nothing");
    assert_eq!(rows.len(), names.names.len().min(12), "new names");
    for ((slug, text, href), n) in rows.iter().zip(&names.names) {
        assert_eq!(slug, &n.slug);
        let en = n.name_en.as_deref().unwrap_or_default();
        assert!(text.contains(&n.name) && text.contains(en) && text.contains(&format!("{}건", n.items)), "{text:?}");
        assert_eq!(href, &format!("/names/{}", n.slug));
    }
    for (kind, trends) in [("companies", &trending.companies), ("topics", &trending.topics)] {
        let rows: Vec<(String, String)> = js_json(
            &tab,
            &format!(
                "[...document.querySelectorAll('.trend-group[data-kind={kind}] li.trend')].map(li => \
                   [li.dataset.slug, li.textContent])"
            ),
        );
        assert_eq!(rows.len(), trends.len().min(6), "{kind} rows");
        for ((slug, text), t) in rows.iter().zip(trends.iter()) {
            assert_eq!(slug, &t.slug);
            let counts = format!("{}→{}건", t.previous_count, t.count);
            assert!(text.contains(&t.name) && text.contains(&counts) && text.contains("%p"), "{text:?} for {t:?}");
        }
    }
    assert!(
        !trending.companies.is_empty() || !trending.topics.is_empty(),
        "nothing trends on the sample corpus; the home page test would check nothing"
    );
    let cards: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('#latest-stories .story-card')].map(li => li.dataset.story)");
    assert_eq!(cards, stories.stories.iter().map(|s| s.id.clone()).collect::<Vec<_>>(), "latest stories");
    let current = js_string(&tab, "document.querySelector('.site-nav a[aria-current=page]').textContent");
    assert_eq!(current, "검색", "the header marks the section");
    publish_screenshot(&tab, "home");

    // A trending entry opens its page.
    if let Some(t) = trending.companies.first() {
        tab.find_element(&format!(".trend-group[data-kind=companies] li[data-slug={}] a", t.slug))
            .expect("trend link")
            .click()
            .expect("open trend");
        wait_until(&tab, &format!("location.pathname === '/companies/{}'", t.slug), "trend link target");
        wait_until(&tab, "document.querySelector('.site-nav a[aria-current=page]')?.textContent === '회사'", "nav");
    }

    // At phone width.
    let tab = open_phone(&browser, "/");
    wait_until(
        &tab,
        "document.querySelector('#trending .trend-groups') && document.querySelector('#new-names .new-names, #new-names .status:not(:empty)')",
        "home at phone width",
    );
    screenshot(&tab, "pages-home-phone");
    assert_fits(&tab, "the home page at 360px");
}

#[test]
fn filters_without_a_query_list_items_and_the_search_box_is_a_combobox() {
    let browser = browser("pages-listing", DESKTOP);
    let companies: EntityList = api("/api/companies");
    let company = &companies.entities[0];
    let tab = open(&browser, &format!("/?company={}", company.slug));
    wait_until(&tab, crate::browser_explore::SETTLED, "items of the company");
    let status = js_string(&tab, "document.querySelector('#status').textContent");
    assert!(status.contains(&format!("{}건", company.items)), "status {status:?} for {} items", company.items);
    let dates: Vec<String> =
        js_json(&tab, "[...document.querySelectorAll('li.hit > p.meta > time')].map(t => t.getAttribute('datetime'))");
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first: {dates:?}");
    let slugs: Vec<Vec<String>> = js_json(
        &tab,
        "[...document.querySelectorAll('li.hit')].map(li => [...li.querySelectorAll('.chip.company')].map(c => c.dataset.slug))",
    );
    assert!(slugs.iter().all(|s| s.contains(&company.slug)), "hits without {}: {slugs:?}", company.slug);
    let feed = js_string(&tab, "document.querySelector('.controls a.feed').getAttribute('href')");
    assert_eq!(feed, format!("/feeds/search.atom?company={}", company.slug), "the listing's feed");
    assert_feed(&feed);

    // The search box controls the results listbox: ↓ makes a hit active, Enter opens it.
    let (role, controls): (String, String) = js_json(
        &tab,
        "(() => { const q = document.querySelector('input#q'); return [q.getAttribute('role'), q.getAttribute('aria-controls')]; })()",
    );
    assert_eq!((role.as_str(), controls.as_str()), ("combobox", "results"));
    tab.find_element("input#q").expect("search box").click().expect("focus box");
    tab.press_key("ArrowDown").expect("down");
    tab.press_key("ArrowDown").expect("down");
    wait_until(
        &tab,
        "document.querySelector('input#q').getAttribute('aria-activedescendant') === 'hit-1'",
        "second hit active",
    );
    assert_eq!(js_string(&tab, "document.querySelector('#hit-1').getAttribute('aria-selected')"), "true");
    let title = js_string(&tab, "document.querySelector('#hit-1 h3').textContent");
    tab.press_key("Enter").expect("Enter");
    wait_until(&tab, "document.querySelector('article#item h2')", "item page");
    assert_eq!(js_string(&tab, "document.querySelector('article#item h2').textContent"), title);
}
