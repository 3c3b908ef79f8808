//! The web UI in headless Chromium (Debian's `chromium`, installed by scripts/setup/chromium.sh).

use std::time::Duration;

use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use sosik_tests::{artifacts_dir, browser, server};

#[test]
fn search_from_the_ui_shows_the_cowork_item() {
    let browser = browser("search", (1100, 900));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(&server().url("/")).expect("navigate").wait_until_navigated().expect("loaded");
    let input = tab.wait_for_element("input#q").expect("search box rendered by the wasm app");
    input.click().expect("focus search box");
    tab.type_str("앤트로픽 에이전트").expect("type the query");
    tab.press_key("Enter").expect("submit");
    tab.wait_for_element("li.hit").expect("results rendered");
    // The result list and the URL both reflect the query.
    let titles = tab
        .find_elements("li.hit h3")
        .expect("hit titles")
        .iter()
        .map(|e| e.get_inner_text().unwrap_or_default())
        .collect::<Vec<_>>();
    let url = tab.get_url();
    let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).expect("screenshot");
    std::fs::write(artifacts_dir().join("search-anthropic-agent.png"), png).expect("save screenshot");
    std::fs::write(artifacts_dir().join("search-anthropic-agent.html"), tab.get_content().unwrap_or_default()).ok();
    assert!(titles.iter().any(|t| t.contains("Cowork")), "Cowork not among {titles:?}");
    assert!(url.contains("q="), "query not in the URL: {url}");
}

#[test]
fn a_shared_url_reloads_the_same_results() {
    let browser = browser("reload", (1100, 900));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(&server().url("/?q=Cowork")).expect("navigate").wait_until_navigated().expect("loaded");
    tab.wait_for_element("li.hit").expect("results rendered from the URL alone");
    let first = tab.find_element("li.hit h3").expect("first hit").get_inner_text().expect("text");
    assert!(first.contains("Cowork"), "first hit {first:?}");
    let value = tab
        .evaluate("document.querySelector('input#q').value", false)
        .expect("read input")
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    assert_eq!(value, "Cowork", "the search box shows the query from the URL");
}

#[test]
fn a_date_in_the_query_is_shown_as_a_range_that_can_be_undone() {
    let browser = browser("dates", (1100, 900));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    // `2026년 2월 Claude`
    let url = server().url("/?q=2026%EB%85%84%202%EC%9B%94%20Claude");
    tab.navigate_to(&url).expect("navigate").wait_until_navigated().expect("loaded");
    let note = tab.wait_for_element("#date-range").expect("the date range read from the query is shown");
    let text = note.get_inner_text().expect("text");
    assert!(text.contains("2026-02-01 ~ 2026-02-28") && text.contains("Claude"), "{text}");
    tab.wait_for_element("li.hit").expect("results");
    let dates = |tab: &headless_chrome::Tab| -> Vec<String> {
        tab.find_elements("li.hit > p.meta > time")
            .map(|els| els.iter().filter_map(|e| e.get_attribute_value("datetime").ok().flatten()).collect())
            .unwrap_or_default()
    };
    let within = dates(&tab);
    assert!(!within.is_empty() && within.iter().all(|d| d.starts_with("2026-02")), "{within:?}");
    // the link searches the words as written: no range, and the URL says so
    tab.find_element("#date-range a").expect("the undo link").click().expect("click");
    tab.wait_for_element("#results:not(.stale) li.hit").expect("results again");
    std::thread::sleep(Duration::from_millis(500));
    assert!(tab.get_url().contains("dates=false"), "{}", tab.get_url());
    assert!(tab.find_element("#date-range").is_err(), "the range note stays after dates=false");
}

/// The sort control offers `관련도·최신 우선` (`sort=fresh`): choosing it puts it in the URL and
/// lists the hits in the order the API gives for it; at desktop width and at 360 px.
#[test]
fn fresh_first_is_a_sort_choice() {
    use crate::browser_explore::{js_string, wait_until, SETTLED};
    use crate::browser_pages::{assert_fits, js_json, open, open_phone, DESKTOP};
    let api: Vec<String> = {
        let (status, json) = server().get_json("/api/search?q=AI&sort=fresh&limit=20");
        assert_eq!(status, 200, "{json}");
        serde_json::from_value::<sosik_types::SearchResponse>(json)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| format!("/items/{}", h.id))
            .collect()
    };
    for phone in [false, true] {
        let browser = browser(if phone { "fresh-phone" } else { "fresh" }, if phone { (500, 900) } else { DESKTOP });
        let tab = if phone { open_phone(&browser, "/?q=AI") } else { open(&browser, "/?q=AI") };
        wait_until(&tab, SETTLED, "relevance-ordered hits");
        let label = js_string(&tab, "document.querySelector('#sort option[value=fresh]').textContent");
        assert_eq!(label, "관련도·최신 우선");
        tab.evaluate(
            "(() => { const s = document.querySelector('#sort'); s.value = 'fresh'; \
             s.dispatchEvent(new Event('change', { bubbles: true })); })()",
            false,
        )
        .expect("choose fresh");
        wait_until(&tab, "new URLSearchParams(location.search).get('sort') === 'fresh'", "sort=fresh in the URL");
        wait_until(&tab, SETTLED, "fresh-ordered hits");
        let shown: Vec<String> =
            js_json(&tab, "[...document.querySelectorAll('li.hit h3 a')].map(a => a.getAttribute('href'))");
        assert_eq!(shown, api, "the page lists the API's fresh order");
        assert_eq!(js_string(&tab, "document.querySelector('#sort').value"), "fresh");
        if phone {
            assert_fits(&tab, "search sorted fresh first at 360 px");
        } else {
            crate::browser_pages::publish_screenshot(&tab, "fresh");
        }
    }
}

/// A query that names a story thread (here: a thread's own title) shows the thread's timeline
/// above the hits, linking to the thread; at desktop width and at 360 px.
#[test]
fn a_query_naming_a_story_offers_its_timeline() {
    use crate::browser_explore::{js_string, wait_until, SETTLED};
    use crate::browser_pages::{assert_fits, js_json, open, open_phone, publish_screenshot, DESKTOP};
    let (status, json) = server().get_json("/api/stories?limit=100");
    assert_eq!(status, 200);
    let stories: sosik_types::StoryList = serde_json::from_value(json).unwrap();
    let (story, q) = stories
        .stories
        .iter()
        .find_map(|s| {
            let q = sosik_tests::encode(&s.title);
            let (_, json) = server().get_json(&format!("/api/search?q={q}"));
            let answer: sosik_types::SearchResponse = serde_json::from_value(json).ok()?;
            answer.story.filter(|named| named.id == s.id).map(|named| (named, q))
        })
        .expect("a thread whose title names it");
    let (_, json) = server().get_json(&format!("/api/stories/{}", story.id));
    let items = serde_json::from_value::<sosik_types::Story>(json).unwrap().items;
    for phone in [false, true] {
        let browser = browser(if phone { "offer-phone" } else { "offer" }, if phone { (500, 900) } else { DESKTOP });
        let path = format!("/?q={q}");
        let tab = if phone { open_phone(&browser, &path) } else { open(&browser, &path) };
        wait_until(&tab, SETTLED, "hits");
        wait_until(
            &tab,
            "document.querySelectorAll('#story-offer .offer-timeline li').length > 0",
            "the offered timeline",
        );
        assert_eq!(js_string(&tab, "document.querySelector('#story-offer-title').textContent"), story.title);
        let dates: Vec<String> = js_json(
            &tab,
            "[...document.querySelectorAll('#story-offer .offer-timeline time')].map(t => t.getAttribute('datetime'))",
        );
        let expected: Vec<String> = items.iter().take(6).map(|h| h.date.clone()).collect();
        assert_eq!(dates, expected, "the thread's items, oldest first");
        let href = js_string(&tab, "document.querySelector('#story-offer .offer-link a').getAttribute('href')");
        assert_eq!(href, format!("/stories/{}", story.id));
        // above the hits
        let above: bool = js_json(
            &tab,
            "document.querySelector('#story-offer').getBoundingClientRect().bottom <= document.querySelector('#results').getBoundingClientRect().top",
        );
        assert!(above, "the thread is offered above the hits");
        if phone {
            assert_fits(&tab, "the offered thread at 360 px");
        } else {
            publish_screenshot(&tab, "story-offer");
        }
    }
}
