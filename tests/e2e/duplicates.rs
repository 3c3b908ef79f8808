//! A story repeated across posts is one hit over the API and in the UI, listing the other posts.

use std::sync::OnceLock;
use std::time::Duration;

use sosik_tests::{artifacts_dir, browser, build_index, repo_root, start_server, Server};

fn post(title: &str, date: &str, heading: &str, summary: &str, url: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\n---\n\n## 1. {heading}\n\n### 요약\n{summary}\n\n### 왜 중요한가\n시장에 영향을 줍니다.\n\n**Source:** [기사]({url})\n"
    )
}

/// A server on a small corpus where one story appears in a morning and an evening post.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let root = sosik_tests::bin_dir().join("e2e-duplicates");
        let posts = root.join("posts");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&posts).unwrap();
        let url = "https://example.com/2026/01/05/anthropic-agent-launch";
        let files = [
            (
                "morning.md",
                post(
                    "아침 뉴스",
                    "2026-01-05",
                    "앤트로픽, 데스크톱 에이전트 출시",
                    "앤트로픽이 파일을 다루는 에이전트를 내놓았습니다.",
                    url,
                ),
            ),
            (
                "evening.md",
                post(
                    "저녁 뉴스",
                    "2026-01-06",
                    "Anthropic의 새 데스크톱 에이전트",
                    "Anthropic이 로컬 파일 에이전트를 공개했습니다.",
                    url,
                ),
            ),
            (
                "other.md",
                post(
                    "다른 뉴스",
                    "2026-01-06",
                    "엔비디아, 새 GPU 발표",
                    "엔비디아가 추론용 GPU를 발표했습니다.",
                    "https://example.com/2026/01/06/nvidia-gpu",
                ),
            ),
        ];
        for (name, text) in files {
            std::fs::write(posts.join(name), text).unwrap();
        }
        let index = build_index(&posts, &root.join("index"));
        start_server(&index, &repo_root().join("web/dist"))
    })
}

#[test]
fn the_api_collapses_copies_into_one_hit() {
    let (status, json) = server().get_json("/api/search?q=%EC%97%90%EC%9D%B4%EC%A0%84%ED%8A%B8&mode=hybrid");
    assert_eq!(status, 200, "{json}");
    let hits = json["hits"].as_array().unwrap();
    let story: Vec<_> = hits.iter().filter(|h| h["title"].as_str().unwrap().contains("데스크톱 에이전트")).collect();
    assert_eq!(story.len(), 1, "{json}");
    let also = story[0]["also_in"].as_array().expect("also_in listed");
    assert_eq!(also.len(), 1);
    assert_ne!(also[0]["post_path"], story[0]["post_path"]);
    assert_eq!(json["total"].as_u64().unwrap() as usize, hits.len(), "total counts stories");
}

#[test]
fn the_ui_says_where_else_a_story_ran() {
    let browser = browser("duplicates", (1100, 900));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(&server().url("/?q=%EC%97%90%EC%9D%B4%EC%A0%84%ED%8A%B8")).unwrap().wait_until_navigated().unwrap();
    let summary = tab.wait_for_element("li.hit .also-in summary").expect("also-in shown");
    let text = summary.get_inner_text().unwrap();
    assert!(text.contains("1건"), "{text}");
    summary.click().unwrap();
    let links = tab.find_elements("li.hit .also-in li a").unwrap();
    assert_eq!(links.len(), 1);
    let png = tab
        .capture_screenshot(headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap();
    std::fs::write(artifacts_dir().join("duplicates-also-in.png"), png).unwrap();
}
