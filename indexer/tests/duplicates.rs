//! The same story in several posts is one hit, with the other posts listed ("also in").

use sosik_corpus::tagging::Catalog;
use sosik_engine::SearchRequest;
use sosik_types::SearchMode;

fn post(title: &str, date: &str, heading: &str, summary: &str, url: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n---\n\n## 1. {heading}\n\n### 요약\n{summary}\n\n### 왜 중요한가\n시장에 영향을 줍니다.\n\n**Source:** [기사]({url})\n")
}

#[test]
fn a_story_repeated_across_posts_is_one_hit() {
    let posts = tempfile::tempdir().unwrap();
    let url = "https://example.com/2026/01/05/anthropic-agent-launch";
    std::fs::write(
        posts.path().join("morning.md"),
        post(
            "아침 뉴스",
            "2026-01-05",
            "앤트로픽, 데스크톱 에이전트 출시",
            "앤트로픽이 파일을 다루는 에이전트를 내놓았습니다.",
            url,
        ),
    )
    .unwrap();
    std::fs::write(
        posts.path().join("evening.md"),
        post(
            "저녁 뉴스",
            "2026-01-06",
            "Anthropic의 새 데스크톱 에이전트",
            "Anthropic이 로컬 파일 에이전트를 공개했습니다.",
            url,
        ),
    )
    .unwrap();
    std::fs::write(
        posts.path().join("other.md"),
        post(
            "다른 뉴스",
            "2026-01-06",
            "엔비디아, 새 GPU 발표",
            "엔비디아가 에이전트용 추론 GPU를 발표했습니다.",
            "https://example.com/2026/01/06/nvidia-gpu",
        ),
    )
    .unwrap();

    let (_index, engine) = crate::common::build_and_open(posts.path(), Catalog::builtin().unwrap());

    for mode in [SearchMode::Bm25, SearchMode::Vector, SearchMode::Hybrid] {
        let r = engine.search(&SearchRequest::new("에이전트", mode, 10)).unwrap();
        let story: Vec<_> = r.hits.iter().filter(|h| h.title.contains("데스크톱 에이전트")).collect();
        assert_eq!(story.len(), 1, "{mode:?}: the story appears once: {:?}", r.hits);
        assert_eq!(story[0].also_in.len(), 1, "{mode:?}: {:?}", story[0].also_in);
        assert_ne!(story[0].also_in[0].post_path, story[0].post_path);
        assert_eq!(r.total as usize, r.hits.len(), "{mode:?}: total counts stories");
        let other = r.hits.iter().find(|h| h.title.contains("GPU"));
        assert!(other.is_none_or(|h| h.also_in.is_empty()), "a different story stays apart");
    }
}
