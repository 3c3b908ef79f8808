//! One small fixture per post layout seen in the wild (`tests/fixtures/formats/*.md`: invented
//! text imitating each layout, no real post text), with the items a reader sees in it: how many,
//! their titles, whether summary / why-it-matters were found, and their sources.

use std::path::{Path, PathBuf};

use sosik_corpus::NewsItem;
use sosik_indexer::build as builder;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// Parses one fixture as a posts folder of its own (the file name stays, for the date fallback).
fn items_of(name: &str) -> Vec<NewsItem> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join(name), dir.path().join(name)).unwrap();
    let (items, report) = builder::parse_posts(dir.path()).unwrap();
    assert!(report.rejected.is_empty(), "{name} rejected: {:?}", report.rejected);
    items
}

fn titles(items: &[NewsItem]) -> Vec<&str> {
    items.iter().map(|i| i.title.as_str()).collect()
}

fn urls(item: &NewsItem) -> Vec<&str> {
    item.sources.iter().map(|s| s.url.as_str()).collect()
}

fn no_markup(item: &NewsItem) {
    for text in [&item.title, &item.summary, &item.why, &item.body] {
        for noise in ["**", "](", "<div", "<span", "<br", "<img", "&lt;", "&amp;", "📌", "💡", "🔗"] {
            assert!(!text.contains(noise), "{noise:?} left in {text:?}");
        }
    }
}

/// Haesikryu / seeds 000–002: numbered `##` items (and `### ## N.`), labels as bold lines,
/// as `###` headings and several on one line run; a banner, greetings and closing words around.
#[test]
fn heading_items_with_labels() {
    let items = items_of("heading-labels.md");
    assert_eq!(
        titles(&items),
        vec![
            "가상 회사 A, 120개 언어 번역 모델 '링고' 공개",
            "반도체 스타트업 B, 저전력 추론 칩 양산 시작",
            "가상 국가 C, 생성형 AI 표시 의무화 법안 통과",
        ]
    );
    assert_eq!(items[0].date.to_string(), "2026-03-02", "quoted date with a trailing space");
    for item in &items {
        assert!(!item.summary.is_empty() && !item.why.is_empty(), "{}: {item:?}", item.title);
        assert_eq!(item.sources.len(), 1);
        assert!(!item.body.contains("감사합니다") && !item.body.contains("배너"), "{:?}", item.body);
        no_markup(item);
    }
    assert_eq!(items[0].why, "작은 기기에서 번역이 가능해지면 여행자와 현장 노동자가 혜택을 봅니다.");
    // "Link to Article" says nothing: the source is named by its domain
    assert_eq!(items[0].sources[0].title, "news.example.com");
    assert_eq!(items[1].sources[0].title, "B사 보도자료");
    assert_eq!(items[2].summary, "가상 국가 C 의회가 생성형 AI 결과물에 표시를 의무화하는 법안을 통과시켰습니다.");
    assert_eq!(items[2].why, "플랫폼 사업자는 표시 기능을 서둘러 갖춰야 합니다.");
    assert_eq!(urls(&items[2]), vec!["https://parliament.example.net/ai-label"]);
}

/// Redplug / seed 003: `###` items with `**📌 요약**`, `**💡 시사점**` bullets, a `<br>` and a bold
/// "원문 기사 보기" link; the Gemini footer is dropped.
#[test]
fn bold_labels_and_footer() {
    let items = items_of("bold-labels-footer.md");
    assert_eq!(
        titles(&items),
        vec!["가상 자동차 회사 D, 무인 배송 차량 시범 운행", "클라우드 기업 E, 아시아 리전 두 곳 추가"]
    );
    assert_eq!(
        items[0].summary,
        "가상 자동차 회사 D가 도심에서 무인 배송 차량 시범 운행을 시작했다.\n시범 운행은 석 달 동안 이어진다."
    );
    assert_eq!(
        items[0].why,
        "물류 비용: 야간 배송 비용이 크게 줄어들 수 있다.\n규제 과제: 보행자 안전 기준이 새로 필요하다."
    );
    assert_eq!(items[0].sources[0].title, "autonews.example.com");
    assert_eq!(items[0].sources[0].domain, "autonews.example.com");
    assert_eq!(urls(&items[1]), vec!["https://cloud.example.com/e-regions"]);
    for item in &items {
        assert!(!item.body.contains("포스팅") && !item.body.contains("원문 기사"), "{:?}", item.body);
        no_markup(item);
    }
}

/// Hwan3434 (July on, ai-mobile digests): `### Category` headings over `*   **제목**` bullets with
/// sub-bullets, `[Source URL](url) (Publisher)` and `> 시사점:`; a category with one bullet is
/// still a category; the summary bullets on top and the closing paragraph are no items.
#[test]
fn category_headings_over_bold_bullets() {
    let items = items_of("category-bullets.md");
    assert_eq!(
        titles(&items),
        vec![
            "가상 모델 F-9B, 노트북에서 초당 40토큰으로 동작",
            "오픈소스 런타임 G, 새 양자화 형식 지원",
            "가상 앱스토어 H, 11월부터 최신 SDK 대상 앱만 노출",
        ]
    );
    assert_eq!(items[0].body, "4비트 양자화 기준 6GB 메모리로 충분합니다.\n긴 문맥에서는 속도가 절반으로 떨어집니다.\n사내 코드 보조 도구를 로컬 모델로 먼저 시험해 보세요.");
    assert_eq!(items[0].why, "사내 코드 보조 도구를 로컬 모델로 먼저 시험해 보세요.");
    // "Source URL" is generic: titled by domain
    assert_eq!(items[0].sources[0].title, "blog.example.dev");
    assert_eq!(urls(&items[2]), vec!["https://store.example.com/policy/sdk"]);
    assert!(items.iter().all(|i| !i.body.contains("흐름")), "{items:?}");
}

/// Hwan3434 (mid June): `**N. 제목**` paragraphs under `####` categories, several source lines.
#[test]
fn bold_paragraph_items_under_sub_headings() {
    let items = items_of("bold-paragraph-items.md");
    assert_eq!(
        titles(&items),
        vec![
            "가상 회사 I, 에이전트 간 통신 규격 초안 발표",
            "포털 J, 쇼핑 에이전트 개발기 공유",
            "가상 OS K, 대체 앱 마켓 허용 지역 확대",
        ]
    );
    assert_eq!(urls(&items[0]), vec!["https://dev.example.com/i-protocol", "https://dev.example.com/i-reference"]);
    assert_eq!(
        items[0].body,
        "가상 회사 I가 에이전트끼리 작업을 넘겨주는 통신 규격 초안을 발표했습니다.\n함께 공개된 참조 구현은 두 가지 언어를 지원합니다."
    );
    assert!(!items[2].body.contains("브리핑"));
}

/// Hwan3434 (early June): numbered `###` items without any link or label, no `date` (the file
/// name gives it); the post's title says it is news, so each section is a story.
#[test]
fn numbered_headings_without_sources() {
    let items = items_of("2026-01-05-numbered-no-links.md");
    assert_eq!(
        titles(&items),
        vec!["가상 투자사 L, 로봇 스타트업에 대규모 투자", "가상 대학 M, 빛으로 계산하는 칩 시연"]
    );
    assert_eq!(items[0].date.to_string(), "2026-01-05");
    assert!(items[0].body.starts_with("가상 투자사 L이"), "greeting kept: {:?}", items[0].body);
    assert!(!items[1].body.contains("감사합니다"), "closing kept: {:?}", items[1].body);
    assert!(items.iter().all(|i| i.sources.is_empty()));
}

/// JoonHyoung: `##` sections with bold entities and `- **이름** — …` bullets, `(출처: …)` lines,
/// a 단신 (briefs) section with one story per bullet, `## 한 줄 요약` and an italic disclaimer;
/// no `date` (file name), `tag:` singular.
#[test]
fn sections_with_entity_bullets_and_briefs() {
    let items = items_of("2026-08-30-sections-entities.md");
    assert_eq!(
        titles(&items),
        vec![
            "신모델 — 가상 연구소 N, 모델 N5 공개",
            "칩 동맹 — 가상 회사 O와 P, 맞춤형 칩 공동 설계",
            "가상 앱 Q, 사용자 500만 돌파",
            "가상 거래소 R, 수수료 인하",
        ]
    );
    assert_eq!(items[0].date.to_string(), "2026-08-30");
    assert_eq!(urls(&items[0]), vec!["https://n.example.ai/blog/n5", "https://technews.example.com/n5"]);
    assert_eq!(
        items[0].body,
        "가상 연구소 N이 새 모델 N5를 공개했습니다.\n성능 — 코딩 벤치마크에서 이전 모델보다 12점 올랐습니다.\n가격 — 100만 토큰당 2달러로 내렸습니다."
    );
    assert_eq!(items[2].body, "출시 석 달 만의 기록입니다.");
    assert!(items.iter().all(|i| !i.body.contains("본 글은") && !i.body.contains("싸지고")));
}

/// Joyuno: HTML `<div class="digest-item">` blocks with `<h3><a>` titles; categories, tags,
/// thumbnails and meta pills are not text; the same paper in two sections is one item; the
/// keyword section is no item.
#[test]
fn html_digest_items() {
    let items = items_of("html-digest-items.md");
    assert_eq!(
        titles(&items),
        vec!["Model S: Action Reasoning with <1 GB Memory", "Benchmark T: Testing Agents on Long Tasks"]
    );
    assert_eq!(
        items[0].body,
        "가상 논문 S는 적은 메모리로 로봇 행동을 추론하는 모델을 제안합니다. 저자들은 모든 코드를 공개했습니다."
    );
    assert_eq!(urls(&items[0]), vec!["https://arxiv.example.org/abs/1111.00001"]);
    assert_eq!(items[0].sources[0].title, "Model S: Action Reasoning with <1 GB Memory");
    assert_eq!(
        urls(&items[1]),
        vec!["https://arxiv.example.org/abs/1111.00002", "https://hf.example.co/papers/1111.00002"]
    );
    for item in &items {
        assert!(
            !item.body.contains("196") && !item.body.contains("VLA") && !item.body.contains("Robotics"),
            "{:?}",
            item.body
        );
    }
}

/// K82022603 / seed 004: an essay becomes passages by heading; the table of contents and the
/// diagram are dropped, a one-line parent section joins the next, broken citation markup goes,
/// the reference list becomes sources, a short last section joins the passage before it.
#[test]
fn essay_passages() {
    let items = items_of("essay.md");
    assert_eq!(titles(&items), vec!["들어가며", "비용", "지연 시간"]);
    assert!(
        items[0].body.ends_with("가상 보고서에 따르면 작은 모델의 사용량은 한 해 동안 세 배로 늘었다."),
        "{:?}",
        items[0].body
    );
    assert!(items[1].body.starts_with("작은 모델의 장점\n짧게 정리한다.\n"), "{:?}", items[1].body);
    assert!(items[1].body.contains("비용 | 높음 | 낮음"), "tables stay as text: {:?}", items[1].body);
    assert!(!items[1].body.contains("graph TD"));
    assert!(items[2].body.ends_with("\n결론\n작은 모델의 시대는 큰 모델의 종말이 아니다. 두 가지를 섞어 쓰는 설계가 앞으로의 기본이 될 것이다. 개발자는 작업마다 알맞은 크기를 고르는 감각을 길러야 하고, 그 감각이 곧 경쟁력이 된다."), "{:?}", items[2].body);
    assert_eq!(urls(&items[2]), vec!["https://reports.example.org/small-models"]);
    assert!(items.iter().all(|i| i.summary.is_empty() && i.why.is_empty()));
}

/// Kjaylee briefings: `**[제목]** (출처)` paragraphs under emoji categories with `- **사실:**`,
/// `- **시사점:**` and `→ [링크: …](…)`; Executive Summary and 미스 김 인사이트 are no items;
/// "Master 액션 포인트" notes are dropped.
#[test]
fn bold_bracket_items_with_fact_bullets() {
    let items = items_of("briefing-bold-brackets.md");
    assert_eq!(titles(&items), vec!["가상 논문 W — 말로 가르치는 강화학습", "가상 도구 X — 시각적 워크플로 빌더"]);
    assert_eq!(items[0].why, "게임 NPC 설계에 바로 쓸 수 있다.");
    assert_eq!(items[0].sources[0].title, "hf.example.co", "a link text that is a URL says nothing");
    assert_eq!(urls(&items[1]), vec!["https://github.com/trending", "https://github.com/example/tool-x"]);
    assert_eq!(items[1].body, "사실: 끌어다 놓는 방식으로 LLM 워크플로를 만든다.");
}

/// Kjaylee medium digests: `### N.` headings followed by a bold link repeating the story (one
/// item, the link a source), `→ 원문:` / `→ 교차확인:` / `- 추가확인:` lines; Top N and Source
/// Ledger sections are no items.
#[test]
fn numbered_heading_then_bold_link() {
    let items = items_of("numbered-heading-bold-link.md");
    assert_eq!(
        titles(&items),
        vec!["에이전트 운영 규약이 실전 경쟁축으로 올라왔다", "평가 설계가 정확도 위기의 원인이다"]
    );
    assert_eq!(
        urls(&items[0]),
        vec![
            "https://medium.example.com/agents/pattern-wins",
            "https://dev.example.com/agent-protocol",
            "https://ai.example.com/tools-for-agents",
        ]
    );
    assert_eq!(items[0].sources[0].title, "Which Agent Orchestration Pattern Wins");
    // the bold link is a source line, not text
    assert_eq!(items[0].body, "오늘 가장 강한 신호는 어떤 모델이 더 똑똑한가보다 에이전트를 어떻게 연결하느냐였다.");
    assert_eq!(urls(&items[1]).len(), 2);
}

/// Kjaylee GeekNews digests: `### N. 제목 (31pts)` + `**[제목]**` + `**요약**:` lines; the bold
/// line repeating the title is not text, "(31pts)" leaves the title, action points are dropped.
#[test]
fn geeknews_points_and_action_notes() {
    let items = items_of("geeknews-pts.md");
    assert_eq!(
        titles(&items),
        vec!["가상 배포 플랫폼 Y - 내장 CI를 갖춘 셀프호스팅 배포 도구", "가상 에디터 Z 1.0 출시"]
    );
    assert_eq!(items[0].summary, "Y는 저장소를 가리키면 빌드와 배포를 한 번에 처리한다.");
    assert_eq!(items[0].why, "작은 팀의 배포 반복 작업이 줄어든다.");
    assert_eq!(urls(&items[0]), vec!["https://github.com/example/y", "https://y.example.io/docs"]);
    assert!(!items[0].body.contains("내 서버") && !items[0].body.starts_with('['), "{:?}", items[0].body);
    assert!(!items[1].summary.is_empty() && !items[1].why.is_empty());
}

/// Kjaylee daily briefings: `### 항목 N` placeholders take the title of the bold line beneath.
#[test]
fn placeholder_headings_take_the_bold_title() {
    let items = items_of("placeholder-headings.md");
    assert_eq!(
        titles(&items),
        vec!["가상 기업 AA가 관리형 에이전트 API를 열었습니다", "가상 기업 BB가 상장 서류를 비공개 제출했습니다"]
    );
    assert_eq!(urls(&items[0]), vec!["https://aa.example.com/blog", "https://aa.example.com/blog/managed-agents"]);
    assert_eq!(items[1].body, "BB는 상장 서류 초안을 비공개로 제출했다고 밝혔습니다.");
}

/// Kjaylee (February): numbered `1. **이름** — 설명` entries with a bare URL below, and
/// `- **제목** (매체)` + URL items with no text; the author's advice list is no item.
#[test]
fn link_entries_and_title_only_items() {
    let items = items_of("link-entries.md");
    assert_eq!(
        titles(&items),
        vec![
            "MotionLens",
            "LangID-v9",
            "가상 국방부와 가상 연구소 간 이견 부각",
            "가상 기업 CC, 월간 성장률 회복 언급"
        ]
    );
    assert_eq!(items[0].body, "동작 유사도를 새 방식으로 계산한 접근.");
    assert_eq!(urls(&items[0]), vec!["https://papers.example.org/0001"]);
    assert_eq!(items[0].sources[0].title, "papers.example.org");
    assert_eq!(items[2].body, "");
    assert_eq!(urls(&items[2]), vec!["https://news.example.com/2026/02/16/dispute"]);
}

/// Kjaylee (January): no links at all; plain `###` sections under `## category` are the stories
/// (the title says it is a briefing); the "Jay께 드리는 인사이트" section is no item.
#[test]
fn plain_headings_without_links() {
    let items = items_of("plain-headings-no-links.md");
    assert_eq!(titles(&items), vec!["현황: 가상 투자 기록 경신", "지역별 판도 변화", "가상 언어 EE, 기여자 수 1위"]);
    assert!(items.iter().all(|i| !i.body.contains("highlights")));
}

/// Kjaylee ranking posts made of tables only: the rows name no story, so each section is one
/// item with the table as text.
#[test]
fn ranking_tables_are_one_item_per_section() {
    let items = items_of("rank-table.md");
    assert_eq!(
        titles(&items),
        vec!["가상 커뮤니티 (news.example.io) — 핵심 변동 2건", "가상 포럼 (forum.example.com) — 상위 5위 재편"]
    );
    assert!(items[0].body.contains("랭크 하락 | 1위 → 3위 | 1.0 → 3.0"), "{:?}", items[0].body);
    assert_eq!(items[0].date.to_string(), "2026-08-20");
}

/// Kjaylee (March): `**[AI]** **제목**` paragraphs separated by `---` (the first bold run is a
/// category), a quoted Source Ledger; a bracket naming the subject stays (`[VeriGG] …` →
/// `VeriGG: …`).
#[test]
fn bracket_tag_items() {
    let items = items_of("bracket-tag-items.md");
    assert_eq!(titles(&items), vec!["가상 프로토콜 FF, 한 달 설치 1억 회 돌파", "VeriGG: 가상 런타임 0.3 완성"]);
    assert_eq!(urls(&items[1]), vec!["https://gg.example.dev/roadmap"]);
    assert!(items.iter().all(|i| !i.body.contains("Family")));
}

/// Surinkim: weekly lists of `- [제목](url)` bullets under topic headings; each bullet is an item
/// (title and source, and the `<br>` line under it as text).
#[test]
fn link_list_bullets() {
    let items = items_of("link-list.md");
    assert_eq!(
        titles(&items),
        vec![
            "가상 코딩 도구에 가장 잘 맞는 언어는?",
            "릴리즈 노트: 가상 모델 HH 출시",
            "날짜 버그, 새 API로 정리합니다",
            "Markdown <-> 문서 형식 변환기",
        ]
    );
    assert_eq!(items[0].body, "");
    assert_eq!(urls(&items[0]), vec!["https://news.example.io/topic?id=101"]);
    assert_eq!(items[0].sources[0].title, "가상 코딩 도구에 가장 잘 맞는 언어는?");
    assert_eq!(items[1].body, "가상 모델 HH는 컴퓨터를 직접 조작할 수 있습니다.");
}

/// Item ids depend on the post path, the position and the title only.
#[test]
fn ids_are_stable() {
    let a = items_of("heading-labels.md");
    let b = items_of("heading-labels.md");
    assert_eq!(a.iter().map(|i| &i.id).collect::<Vec<_>>(), b.iter().map(|i| &i.id).collect::<Vec<_>>());
    let ids: std::collections::HashSet<_> = a.iter().map(|i| &i.id).collect();
    assert_eq!(ids.len(), a.len());
}

/// Survey of a real corpus (not in the repository): `SOSIK_SURVEY=/path/to/posts
/// SOSIK_SURVEY_OUT=items.jsonl cargo test -p sosik-indexer --test corpus_formats -- --ignored`
/// writes the parsed items as JSON lines and prints the report.
#[test]
#[ignore = "needs a corpus: set SOSIK_SURVEY"]
fn survey() {
    let Some(dir) = std::env::var_os("SOSIK_SURVEY") else { return };
    let (items, report) = builder::parse_posts(Path::new(&dir)).unwrap();
    let out = std::env::var_os("SOSIK_SURVEY_OUT").unwrap_or_else(|| "survey.jsonl".into());
    let mut text = String::new();
    for item in &items {
        text.push_str(&serde_json::to_string(item).unwrap());
        text.push('\n');
    }
    std::fs::write(&out, text).unwrap();
    eprint!("{}", report.summary());
    for r in &report.rejected {
        eprintln!("REJECTED\t{}\t{}", r.path, r.reason);
    }
}
