//! The web UI's exploring features in headless Chromium: facets and filters kept in the URL, the
//! item page with its similar items, keyboard navigation of the hits, and the page at phone width.

use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::Tab;
use sosik_tests::{artifacts_dir, browser, encode, server};

/// Evaluates a JavaScript expression to a string ("" for anything else).
pub(crate) fn js_string(tab: &Tab, expr: &str) -> String {
    tab.evaluate(expr, false).expect("evaluate").value.and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// Waits until a JavaScript expression is true; panics with `what` after 30 s.
pub(crate) fn wait_until(tab: &Tab, expr: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ok = tab
            .evaluate(&format!("!!({expr})"), false)
            .ok()
            .and_then(|r| r.value)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ok {
            return;
        }
        if Instant::now() > deadline {
            screenshot(tab, &format!("timeout-{}", what.replace(' ', "-")));
            panic!("timed out waiting for {what} ({expr}) at {}", tab.get_url());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Results for the URL's search are on screen (not the previous search's, dimmed).
pub(crate) const SETTLED: &str = "document.querySelector('li.hit') && !document.querySelector('#results.stale') \
                       && document.querySelector('#results').getAttribute('aria-busy') === 'false'";

pub(crate) fn screenshot(tab: &Tab, name: &str) {
    let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).expect("screenshot");
    std::fs::write(artifacts_dir().join(format!("{name}.png")), png).expect("save screenshot");
    std::fs::write(artifacts_dir().join(format!("{name}.html")), tab.get_content().unwrap_or_default()).ok();
}

/// The display name `/api/companies` gives a company.
fn company_name(slug: &str) -> String {
    let (status, json) = server().get_json("/api/companies");
    assert_eq!(status, 200, "/api/companies: {json}");
    let list: sosik_types::EntityList = serde_json::from_value(json).expect("EntityList");
    list.entities.into_iter().find(|e| e.slug == slug).unwrap_or_else(|| panic!("no company {slug}")).name
}

/// The companies (slugs) of each hit on screen, comma-separated.
fn hit_chips(tab: &Tab) -> Vec<String> {
    let json = js_string(
        tab,
        "JSON.stringify([...document.querySelectorAll('li.hit')].map(li => \
           [...li.querySelectorAll('.chip.company')].map(c => c.dataset.slug).join(',')))",
    );
    serde_json::from_str(&json).expect("chips JSON")
}

#[test]
fn company_facet_filters_and_item_page_lists_similar_items() {
    let browser = browser("explore", (1200, 1000));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    let url = server().url(&format!("/?q={}", encode("에이전트")));
    tab.navigate_to(&url).expect("navigate").wait_until_navigated().expect("loaded");
    wait_until(&tab, SETTLED, "first results");
    let unfiltered = tab.find_elements("li.hit").expect("hits").len();

    // The facet panel counts companies; clicking anthropic filters the results and the URL.
    let facet = ".facet[data-facet=company] button[data-value=anthropic]";
    tab.wait_for_element("#facets").expect("facet panel");
    let count: u64 = js_string(&tab, &format!("document.querySelector('{facet} .count').textContent"))
        .trim()
        .parse()
        .expect("anthropic facet count");
    assert!(count > 0, "anthropic facet count {count}");
    screenshot(&tab, "explore-1-search");
    tab.find_element(facet).expect("anthropic facet").click().expect("click facet");
    wait_until(&tab, "location.search.includes('company=anthropic')", "company in the URL");
    wait_until(&tab, &format!("{SETTLED} && document.querySelector('.active-filter')"), "filtered results");
    wait_until(&tab, &format!("document.querySelector('{facet}.active')"), "active facet");
    let chips = hit_chips(&tab);
    screenshot(&tab, "explore-2-company-anthropic");
    assert!(!chips.is_empty(), "no hits after filtering");
    assert!(chips.len() <= unfiltered.max(count as usize));
    assert!(chips.iter().all(|c| c.split(',').any(|c| c == "anthropic")), "hits without anthropic: {chips:?}");
    let status = js_string(&tab, "document.querySelector('#status').textContent");
    assert!(status.contains(&format!("{count}건")), "status {status:?} should count {count} hits");
    // Chips and filters name the company as the company list does, not by its slug.
    // (The names arrive with the company list, right after the page starts.)
    let name = company_name("anthropic");
    let name_js = serde_json::to_string(&name).expect("name as JSON");
    wait_until(
        &tab,
        &format!(
            "document.querySelector('.active-filter').textContent.includes({name_js}) && \
             document.querySelector('li.hit .chip.company[data-slug=anthropic]').textContent.trim() === {name_js}"
        ),
        "the company's name on the filter and the chips",
    );

    // Sort by date: the URL says so and the dates are newest first.
    tab.evaluate(
        "(() => { const s = document.querySelector('select#sort'); s.value = 'date'; \
          s.dispatchEvent(new Event('change', { bubbles: true })); })()",
        false,
    )
    .expect("choose 최신순");
    wait_until(&tab, "location.search.includes('sort=date')", "sort in the URL");
    wait_until(&tab, SETTLED, "date-sorted results");
    let dates = js_string(
        &tab,
        "JSON.stringify([...document.querySelectorAll('li.hit time')].map(t => t.getAttribute('datetime')))",
    );
    let dates: Vec<String> = serde_json::from_str(&dates).expect("dates");
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first: {dates:?}");
    assert!(tab.get_url().contains("company=anthropic"), "sorting dropped the filter: {}", tab.get_url());

    // Back walks to the unsorted search, filter still in place.
    tab.evaluate("history.back()", false).expect("back");
    wait_until(&tab, "!location.search.includes('sort=date') && location.search.includes('company=anthropic')", "back");
    wait_until(
        &tab,
        &format!("{SETTLED} && document.querySelector('select#sort').value === 'relevance'"),
        "back results",
    );

    // A hit's title opens its item page, with summary, why it matters and similar items.
    let title = js_string(&tab, "document.querySelector('li.hit h3').textContent").trim().to_owned();
    tab.find_element("li.hit h3 a").expect("hit link").click().expect("open item");
    wait_until(&tab, "location.pathname.startsWith('/items/')", "item URL");
    let article = tab.wait_for_element("article#item").expect("item page");
    let text = article.get_inner_text().expect("item text");
    assert!(text.contains(&title), "item page {text:?} lacks its title {title:?}");
    assert!(text.contains("요약") || text.contains("본문"), "neither 요약 nor 본문: {text:?}");
    wait_until(&tab, "document.querySelectorAll('#similar li').length > 0", "similar items");
    let similar = tab.find_elements("#similar li > a").expect("similar links");
    assert!(!similar.is_empty(), "no similar links");
    screenshot(&tab, "explore-3-item");
    tab.evaluate("document.querySelector('#similar').scrollIntoView()", false).expect("scroll");
    screenshot(&tab, "explore-3-item-similar");

    // A similar item opens its own item page.
    let first_path = js_string(&tab, "location.pathname");
    similar[0].click().expect("open similar");
    wait_until(
        &tab,
        &format!("location.pathname !== '{first_path}' && document.querySelector('article#item')"),
        "similar item page",
    );
    wait_until(&tab, "document.querySelectorAll('#similar li').length > 0", "similar of similar");

    // The way back leads to the last search, filter included.
    tab.find_element(".back a").expect("back link").click().expect("back to the search");
    wait_until(
        &tab,
        "location.pathname === '/' && location.search.includes('company=anthropic')",
        "back to the search",
    );
    wait_until(&tab, SETTLED, "search results again");
}

#[test]
fn keyboard_moves_between_hits_and_opens_one() {
    let browser = browser("keys", (1200, 1000));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    let url = server().url(&format!("/?q={}", encode("에이전트")));
    tab.navigate_to(&url).expect("navigate").wait_until_navigated().expect("loaded");
    wait_until(&tab, SETTLED, "results");
    tab.evaluate("document.activeElement && document.activeElement.blur()", false).expect("blur");
    tab.press_key("j").expect("j");
    tab.press_key("j").expect("j");
    tab.press_key("ArrowDown").expect("down");
    tab.press_key("k").expect("k");
    wait_until(&tab, "document.querySelector('#results > li.hit:nth-child(2).focused')", "second hit focused");
    assert_eq!(tab.find_elements("li.hit.focused").expect("focused").len(), 1, "one focused hit");
    screenshot(&tab, "explore-4-keyboard");
    let title = js_string(&tab, "document.querySelector('li.hit.focused h3').textContent").trim().to_owned();
    tab.press_key("Enter").expect("Enter");
    wait_until(
        &tab,
        "location.pathname.startsWith('/items/') && document.querySelector('article#item h2')",
        "item page",
    );
    let heading = js_string(&tab, "document.querySelector('article#item h2').textContent");
    assert_eq!(heading.trim(), title, "Enter opened another item");

    // `/` on the search page focuses the search box.
    tab.evaluate("history.back()", false).expect("back");
    wait_until(&tab, SETTLED, "results again");
    tab.evaluate("document.activeElement && document.activeElement.blur()", false).expect("blur");
    tab.press_key("/").expect("/");
    wait_until(&tab, "document.activeElement === document.querySelector('input#q')", "search box focused");
    let value = js_string(&tab, "document.querySelector('input#q').value");
    assert_eq!(value, "에이전트", "`/` must not be typed into the box");
}

#[test]
fn date_range_from_the_url_and_phone_width() {
    let browser = browser("phone", (390, 844));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    let all = server().search("에이전트", "hybrid", 100);
    let mut dates: Vec<&str> = all.hits.iter().map(|h| h.date.as_str()).collect();
    dates.sort();
    let from = dates[dates.len() / 2];
    let url = server().url(&format!("/?q={}&from={from}&sort=date", encode("에이전트")));
    tab.navigate_to(&url).expect("navigate").wait_until_navigated().expect("loaded");
    wait_until(&tab, SETTLED, "results");
    assert_eq!(js_string(&tab, "document.querySelector('input#from').value"), from);
    assert_eq!(js_string(&tab, "document.querySelector('select#sort').value"), "date");
    let dates = js_string(
        &tab,
        "JSON.stringify([...document.querySelectorAll('li.hit time')].map(t => t.getAttribute('datetime')))",
    );
    let dates: Vec<String> = serde_json::from_str(&dates).expect("dates");
    assert!(dates.iter().all(|d| d.as_str() >= from), "dates before {from}: {dates:?}");
    // Nothing wider than the phone's screen.
    let overflow = js_string(&tab, "String(document.documentElement.scrollWidth - window.innerWidth)");
    screenshot(&tab, "explore-5-phone");
    assert!(overflow.parse::<i64>().unwrap_or(0) <= 0, "page scrolls sideways by {overflow}px at phone width");
    // Removing the date chip drops it from the URL.
    tab.find_element(".active-filter").expect("date chip").click().expect("remove date filter");
    wait_until(&tab, "!location.search.includes('from=')", "date filter removed");
    wait_until(&tab, "document.querySelector('input#from').value === ''", "date input cleared");

    // A month facet sets the whole month as the date range, shown as one chip.
    wait_until(&tab, &format!("{SETTLED} && document.querySelector('.facet[data-facet=month] button')"), "month facet");
    let month = js_string(&tab, "document.querySelector('.facet[data-facet=month] button').dataset.value");
    tab.find_element(".facet[data-facet=month] button").expect("month facet").click().expect("click month");
    wait_until(
        &tab,
        &format!("location.search.includes('from={month}-01') && location.search.includes('to={month}-')"),
        "month range",
    );
    wait_until(&tab, SETTLED, "results of the month");
    let chip = js_string(&tab, "document.querySelector('.active-filter').textContent");
    assert!(chip.contains("기간"), "month chip {chip:?}");
    let dates = js_string(
        &tab,
        "JSON.stringify([...document.querySelectorAll('li.hit time')].map(t => t.getAttribute('datetime')))",
    );
    let dates: Vec<String> = serde_json::from_str(&dates).expect("dates");
    assert!(dates.iter().all(|d| d.starts_with(&month)), "dates outside {month}: {dates:?}");
    tab.find_element(".active-filter").expect("month chip").click().expect("remove month");
    wait_until(&tab, "!location.search.includes('from=') && !location.search.includes('to=')", "month removed");

    // The item page fits the phone too.
    wait_until(&tab, SETTLED, "unfiltered results");
    tab.find_element("li.hit h3 a").expect("hit link").click().expect("open item");
    wait_until(&tab, "document.querySelector('article#item') && document.querySelector('#similar li')", "item page");
    let overflow = js_string(&tab, "String(document.documentElement.scrollWidth - window.innerWidth)");
    screenshot(&tab, "explore-6-phone-item");
    assert!(overflow.parse::<i64>().unwrap_or(0) <= 0, "item page scrolls sideways by {overflow}px at phone width");
}

/// A second value of a facet widens the search (either company), with a chip for each, both in
/// the URL and the search's feed; the facet keeps counting companies as if none were chosen. At
/// desktop width and at 360 px.
#[test]
fn a_second_company_from_the_facet_means_either() {
    use crate::browser_pages::{assert_fits, js_json, open, open_phone, DESKTOP};
    let api = |path: &str| -> sosik_types::SearchResponse {
        let (status, json) = server().get_json(path);
        assert_eq!(status, 200, "{path}: {json}");
        serde_json::from_value(json).unwrap()
    };
    let both = api("/api/search?q=AI&company=anthropic&company=openai&limit=1");
    let unselected = api("/api/search?q=AI&limit=1");
    let openai_count = unselected.facets.companies.iter().find(|f| f.value == "openai").expect("openai facet").count;
    for phone in [false, true] {
        let browser = browser(if phone { "multi-phone" } else { "multi" }, if phone { (500, 900) } else { DESKTOP });
        let path = "/?q=AI&company=anthropic";
        let tab = if phone { open_phone(&browser, path) } else { open(&browser, path) };
        wait_until(&tab, SETTLED, "results for one company");
        let facet = ".facet[data-facet=company] button[data-value=openai]";
        tab.wait_for_element(facet).expect("openai in the company facet");
        // disjunctive: with anthropic chosen, openai's count is what it counts without it
        let count = js_string(&tab, &format!("document.querySelector('{facet} .count').textContent"));
        assert_eq!(count.trim(), openai_count.to_string());
        tab.find_element(facet).expect("openai facet").click().expect("click");
        wait_until(
            &tab,
            "new URLSearchParams(location.search).getAll('company').join() === 'anthropic,openai'",
            "both companies in the URL",
        );
        wait_until(
            &tab,
            &format!("{SETTLED} && document.querySelectorAll('.active-filter').length === 2"),
            "two chips",
        );
        let pressed: Vec<String> = js_json(
            &tab,
            "[...document.querySelectorAll('.facet[data-facet=company] button[aria-pressed=true]')].map(b => b.dataset.value)",
        );
        assert_eq!(pressed, ["anthropic", "openai"]);
        let status = js_string(&tab, "document.querySelector('#status').textContent");
        assert!(status.contains(&format!("{}건", both.total)), "status {status:?}, API total {}", both.total);
        let chips = hit_chips(&tab);
        assert!(
            chips.iter().all(|c| c.split(',').any(|c| c == "anthropic" || c == "openai")),
            "a hit with neither: {chips:?}"
        );
        let feed = js_string(&tab, "document.querySelector('.controls a.feed').getAttribute('href')");
        assert!(feed.contains("company=anthropic&company=openai"), "{feed}");
        if phone {
            assert_fits(&tab, "two companies chosen at 360 px");
        } else {
            crate::browser_pages::publish_screenshot(&tab, "multi-select");
        }
        // removing one chip leaves the other
        tab.find_element(".active-filter").expect("first chip").click().expect("remove");
        wait_until(
            &tab,
            "new URLSearchParams(location.search).getAll('company').join() === 'openai'",
            "one company left",
        );
        // the timeline takes both too: a chip each, the picker on 전체, the API's total
        let timeline: sosik_types::TimelineResponse = {
            let (status, json) = server().get_json("/api/timeline?company=anthropic&company=openai");
            assert_eq!(status, 200, "{json}");
            serde_json::from_value(json).unwrap()
        };
        let path = "/timeline?company=anthropic&company=openai";
        let tab = if phone { open_phone(&browser, path) } else { open(&browser, path) };
        wait_until(&tab, "document.querySelectorAll('#tl-name .active-filter').length === 2", "a chip per company");
        assert_eq!(js_string(&tab, "document.querySelector('#tl-company').value"), "");
        wait_until(
            &tab,
            &format!("document.querySelector('#status').textContent.includes('{}건')", timeline.total),
            "the timeline counts either company",
        );
        tab.find_element("#tl-name .active-filter").expect("chip").click().expect("remove one");
        wait_until(&tab, "new URLSearchParams(location.search).getAll('company').join() === 'openai'", "one left");
    }
}
