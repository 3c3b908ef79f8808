//! The web UI in headless Chromium (Debian's `chromium`, installed by scripts/setup/chromium.sh).

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions};
use sosik_tests::{artifacts_dir, server};

fn chromium() -> PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] {
        if std::path::Path::new(candidate).is_file() {
            return candidate.into();
        }
    }
    panic!("no Chromium found; run `bash scripts/setup/chromium.sh`");
}

fn browser() -> Browser {
    let profile = tempfile_dir("sosik-chromium-profile");
    let options = LaunchOptions::default_builder()
        .path(Some(chromium()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1100, 900)))
        .user_data_dir(Some(profile))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(vec![
            OsStr::new("--disable-gpu"),
            OsStr::new("--disable-quic"),
            OsStr::new("--disable-component-update"),
            OsStr::new("--lang=ko-KR"),
        ])
        .build()
        .expect("launch options");
    Browser::new(options).expect("start headless Chromium")
}

fn tempfile_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("profile dir");
    dir
}

#[test]
fn search_from_the_ui_shows_the_cowork_item() {
    let browser = browser();
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
    let browser = browser();
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
