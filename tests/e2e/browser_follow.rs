//! Following without an account, in headless Chromium: follow buttons on a company page, a story
//! thread and a search (kept in the browser's localStorage), then 새 소식 (`/new`): what arrived
//! after the last visit, grouped by what is followed, counted as the API counts it; a second
//! visit has nothing new; unfollowing removes a group. At desktop width and at 360 px.

use headless_chrome::Tab;
use sosik_tests::server;
use sosik_types::{SearchResponse, StoryList, TrendingResponse};

use crate::browser_explore::{js_string, wait_until};
use crate::browser_pages::{assert_fits, js_json, open, open_phone, publish_screenshot, DESKTOP};

fn api<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let (status, json) = server().get_json(path);
    assert_eq!(status, 200, "{path}: {json}");
    serde_json::from_value(json).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn click_follow(tab: &Tab, what: &str) {
    let button = tab.wait_for_element("button.follow-button").unwrap_or_else(|_| panic!("follow button on {what}"));
    assert_eq!(js_string(tab, "document.querySelector('button.follow-button').getAttribute('aria-pressed')"), "false");
    button.click().expect("follow");
    wait_until(tab, "document.querySelector('button.follow-button').getAttribute('aria-pressed') === 'true'", what);
}

#[test]
fn follow_and_come_back_to_what_is_new() {
    // the last ten days of the corpus: `previous_to` is the day before them
    let window = api::<TrendingResponse>("/api/trending?window=10d");
    let (newest, since, from) = (window.to, window.previous_to, window.from);
    let story = api::<StoryList>("/api/stories?limit=1").stories.remove(0);
    let expected_company = api::<SearchResponse>(&format!("/api/search?company=anthropic&from={from}&limit=1")).total;
    let expected_search = api::<SearchResponse>(&format!("/api/search?q=Claude&from={from}&sort=date&limit=1")).total;
    for phone in [false, true] {
        let browser = sosik_tests::browser(
            if phone { "follow-phone" } else { "follow" },
            if phone { (500, 900) } else { DESKTOP },
        );
        let at = |path: &str| if phone { open_phone(&browser, path) } else { open(&browser, path) };
        let tab = at("/companies/anthropic");
        click_follow(&tab, "the company page");
        let tab = at(&format!("/stories/{}", story.id));
        click_follow(&tab, "the story page");
        let tab = at("/?q=Claude");
        click_follow(&tab, "the search page");
        let stored: Vec<serde_json::Value> =
            serde_json::from_str(&js_string(&tab, "localStorage.getItem('sosik.follows')")).expect("follows JSON");
        let kinds: Vec<&str> = stored.iter().map(|f| f["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["company", "story", "search"]);
        // the last visit was 10 days before the newest item
        tab.evaluate(&format!("localStorage.setItem('sosik.seen', '{since}')"), false).expect("set seen");

        let tab = at("/new");
        wait_until(&tab, "document.querySelectorAll('.update-group').length === 3", "three groups");
        wait_until(&tab, "document.querySelector('#updates-status').textContent.includes('팔로우 3개')", "counts");
        let counts: Vec<(String, String)> = js_json(
            &tab,
            "[...document.querySelectorAll('.update-group')].map(g => [g.dataset.kind, g.querySelector('h3 .count').textContent])",
        );
        assert_eq!(counts[0], ("company".to_string(), format!("{expected_company}건")), "{counts:?}");
        assert_eq!(counts[2], ("search".to_string(), format!("{expected_search}건")), "{counts:?}");
        let status = js_string(&tab, "document.querySelector('#updates-status').textContent");
        let dates: Vec<String> = js_json(
            &tab,
            "[...document.querySelectorAll('.update-group li.hit time')].map(t => t.getAttribute('datetime'))",
        );
        assert!(dates.iter().all(|d| d.as_str() > since.as_str()), "only what is newer than the last visit: {dates:?}");
        assert!(status.contains("새 소식"), "{status}");
        if phone {
            assert_fits(&tab, "새 소식 at 360 px");
            publish_screenshot(&tab, "updates");
        }
        // this visit moved the mark to the newest item: nothing is new on the next one
        assert_eq!(js_string(&tab, "localStorage.getItem('sosik.seen')"), newest);
        let tab = at("/new");
        wait_until(
            &tab,
            "document.querySelectorAll('.update-group .none').length === 3",
            "nothing new on a second visit",
        );
        assert!(js_string(&tab, "document.querySelector('#updates-status').textContent").contains("새 소식 0건"));

        // unfollowing from the company page removes its group
        let tab = at("/companies/anthropic");
        tab.wait_for_element("button.follow-button[aria-pressed=true]").expect("followed").click().expect("unfollow");
        wait_until(
            &tab,
            "document.querySelector('button.follow-button').getAttribute('aria-pressed') === 'false'",
            "unfollowed",
        );
        let tab = at("/new");
        wait_until(&tab, "document.querySelectorAll('.update-group').length === 2", "two groups left");
    }
}
