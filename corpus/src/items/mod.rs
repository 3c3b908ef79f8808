//! Splitting a post into the news items a reader sees.
//!
//! A post is read as an outline. Every block that can open a story is a *marker*, ranked from
//! coarse to fine:
//!
//! | rank | marker | seen as |
//! |---|---|---|
//! | 1–6 | a heading (`#`…`######`, or `<h1>`…`<h6>` in HTML) | `## 1. 제목`, `### ## 2. 제목`, `<h3><a>제목</a></h3>` |
//! | 7 | a paragraph whose first line is a *bold title* | `**1. 제목**`, `**[제목](url)**`, `**[제목]** (출처)` |
//! | 8 | a top-level list item whose first line is a bold title | `*   **제목**`, `- **1) 제목**`, `1. **제목** (출처)` |
//!
//! A bold title is a bold run opening a line with nothing after it but a parenthesis, links or a
//! short source (`**제목** (TechCrunch)`); a bold lead-in followed by prose or a colon
//! (`**사실:** …`, `- **회사**: …`) is text, and a part label is never a marker. Each marker owns
//! the blocks up to the next marker of the same or a coarser rank (a bold list item only its own
//! item), which gives a tree. Numbered story headings (`1.`, `2)`) with distinct numbers are one
//! series at the level most of them use, even where the author slipped a level.
//!
//! **Labels.** Inside a story, lines (or headings deeper than the story) that start with a label
//! switch the part being read: 요약/Summary/📌 요약 → summary; 왜 중요한가/Why it matters/시사점/
//! 💡 시사점 → why; Source/출처/소스/🔗 원문 → sources. "Master 액션 포인트"-style notes about the
//! author's own projects are dropped. A line made only of links (`[Source URL](url) (Publisher)`,
//! `→ 원문: [..](..)`, `- 링크: https://…`) adds sources and is no body text.
//!
//! **Digest or essay** (`Outline::mode`). A post is a digest when its stories carry labels
//! (two labelled sections, or a fifth of the text), or when at one rank at least two markers, half
//! of that rank, carry a source link and hold 40% of the text, or when lists of links hold 40% of
//! it. A post whose title says it is news (뉴스, 브리핑, digest, … 기사) is a digest anyway, read
//! *structurally*: without sources, every heading section with text and no sub-sections is a
//! story. Anything else is an essay: one passage per heading (`passages`).
//!
//! **Which markers are items (digests)** (`Digest::collect`). From the root:
//! - a node with two or more *story-like* children (a source or label of their own, a story-like
//!   child, or — read structurally — text) is a *category*: its own text is an introduction and is
//!   dropped, and each child is read the same way. With one story-like child, the other nodes of
//!   its rank decide (categories, or stories themselves); failing that it is one story with the
//!   child in it when the heading is numbered, has text of its own, or the child is a bold link
//!   repeating the title (`### 1. 제목` then `**[Original title](url)**`), and a category
//!   otherwise (`### Agent Security` over one `*   **제목**` bullet). Beside numbered siblings an
//!   unnumbered section without sources is a banner or closing words, not a story;
//! - any other node is one item: its title, its text and its children's text. A placeholder
//!   heading (`### 항목 3`) takes the title of the bold title beneath it, and a bold line repeating
//!   the heading is not text;
//! - a section that is only a list of links (`- [제목](url)`, `1. **이름** — 설명` + URL) gives one
//!   item per entry, and a briefs section (단신, 짧은 소식, In brief) one per `- **사건**: …` bullet;
//! - sections named like non-items (Executive Summary, 한눈에 보기, Top 5, Source Ledger,
//!   미스 김 인사이트, 다음 주 전망, Closing Note, 한 줄 요약, 오늘의 키워드, 목차, 출처, …) are
//!   dropped, except sourced stories below them under their own heading or as a bold title with
//!   text; so are text after a `---` that no marker follows (closing remarks, disclaimers) and
//!   footers ("이 포스팅은 … 작성되었습니다");
//! - the same story twice in one post (same title) is kept once, with the sources of both.

// The submodules see each other through `use super::*` (these imports): one algorithm split
// by concern, not separate APIs.
mod digest;
mod lines;
mod outline;
mod passages;
mod titles;

use digest::*;
use lines::*;
use outline::*;
use passages::*;
pub use titles::clean_title;
use titles::*;

use crate::markdown::{Block, Link};

/// One news item (or essay passage) as parsed, before tagging.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawItem {
    pub title: String,
    pub summary: String,
    pub why: String,
    /// All readable text of the item (summary and why included), paragraphs separated by `\n`.
    pub body: String,
    pub sources: Vec<Link>,
}

/// Splits a post body into items. Returns an empty list when the post has no readable text.
pub fn split(blocks: &[Block]) -> Vec<RawItem> {
    split_post("", blocks)
}

/// Words in a post's title that say it is a collection of news (a digest even without sources).
const NEWS_TITLE_WORDS: &[&str] =
    &["뉴스", "news", "다이제스트", "digest", "브리핑", "briefing", "소식", "기사", "랭킹", "ranking", "links"];

/// Splits a post into items, using its title as a hint: a post titled as news ("데일리 뉴스",
/// "AI 브리핑", "… 등 6개 기사") is a digest even when its stories cite no sources.
pub fn split_post(post_title: &str, blocks: &[Block]) -> Vec<RawItem> {
    let outline = Outline::build(blocks);
    let title = post_title.to_lowercase();
    let news_title = NEWS_TITLE_WORDS.iter().any(|w| title.contains(w));
    let items = match outline.mode(news_title) {
        Mode::Digest { structural } => {
            let digest = Digest::new(&outline, structural);
            let mut out = Vec::new();
            digest.collect(0, &mut out);
            out
        }
        Mode::Essay => passages(blocks),
    };
    dedupe(items.into_iter().filter(|i| !i.body.is_empty() || !i.sources.is_empty()).collect())
}

/// Titles that name the same story (case, punctuation, numbering and brackets aside).
fn same_title(a: &str, b: &str) -> bool {
    let key = |t: &str| clean_title(t).to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let (a, b) = (key(a), key(b));
    !a.is_empty() && a == b
}

/// The same story twice in one post (same title) is kept once, with the sources of both.
fn dedupe(items: Vec<RawItem>) -> Vec<RawItem> {
    let mut out: Vec<RawItem> = Vec::with_capacity(items.len());
    for item in items {
        let key: String = item.title.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        match out.iter_mut().find(|o| {
            !key.is_empty() && o.title.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>() == key
        }) {
            Some(first) => {
                for s in item.sources {
                    if !first.sources.iter().any(|f| f.url == s.url) {
                        first.sources.push(s);
                    }
                }
                if first.body.chars().count() < item.body.chars().count() {
                    first.body = item.body;
                    first.summary = item.summary;
                    first.why = item.why;
                }
            }
            None => out.push(item),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::blocks;

    #[test]
    fn titles_are_cleaned() {
        assert_eq!(clean_title("1. 마크 저커버그, 메타의 선언"), "마크 저커버그, 메타의 선언");
        assert_eq!(clean_title("💥 AI 에이전트, 스스로"), "AI 에이전트, 스스로");
        assert_eq!(clean_title("2026년 전망"), "2026년 전망");
        assert_eq!(clean_title("'Cowork' 출시"), "'Cowork' 출시");
        assert_eq!(clean_title("## 2. 두 번째"), "두 번째");
        assert_eq!(clean_title("1️⃣ 키캡 번호"), "키캡 번호");
        assert_eq!(clean_title("[3. 괄호 제목]"), "괄호 제목");
        assert_eq!(clean_title("[AI] 본 제목"), "본 제목");
        assert_eq!(clean_title("[새 진입 1위] 본 제목"), "본 제목");
        assert_eq!(clean_title("[VeriEvol] 본 제목"), "VeriEvol: 본 제목");
        assert_eq!(clean_title("4) 괄호 번호"), "괄호 번호");
        assert_eq!(clean_title("2.1 하위 절"), "하위 절");
        assert_eq!(clean_title("1-2. 하이픈 번호"), "하이픈 번호");
        assert_eq!(clean_title("2026-06-18 날짜"), "2026-06-18 날짜");
        assert_eq!(clean_title("1위 신규 — 순위 제목"), "순위 제목");
        assert_eq!(clean_title("7. 점수 붙은 제목 (14pts)"), "점수 붙은 제목");
        assert_eq!(clean_title("GPT-5.4 출시 (OpenAI)"), "GPT-5.4 출시 (OpenAI)");
        assert_eq!(clean_title("3.5배 빨라진 모델"), "3.5배 빨라진 모델");
    }

    #[test]
    fn labels() {
        let l = |s: &str| label_of(s).map(|(l, r, _)| (l, r.to_string()));
        assert_eq!(l("요약: 대규모 투자").map(|x| x.0), Some(Label::Summary));
        assert_eq!(l("📌 요약").map(|x| x.0), Some(Label::Summary));
        assert_eq!(l("Why it matters:").map(|x| x.0), Some(Label::Why));
        assert_eq!(l("왜 중요한가? AI 군비 경쟁"), Some((Label::Why, "AI 군비 경쟁".into())));
        assert_eq!(l("요약하면 이렇다"), None);
        assert_eq!(l("Sourcegraph raises"), None);
        assert_eq!(l("Sources: a").map(|x| x.0), Some(Label::Source));
        assert_eq!(label_of("Summary (요약): 본문"), Some((Label::Summary, "본문", true)));
    }

    #[test]
    fn bold_label_layout() {
        let md = "### 헤드라인 하나\n\n**📌 요약**\n요약 문장.\n\n**💡 시사점**\n- 시사점 하나\n\n<br>\n**[🔗 원문 기사 보기](https://t.co/a)**\n\n---\n\n### 헤드라인 둘\n\n**📌 요약**\n둘째 요약.\n\n**[🔗 원문 기사 보기](https://t.co/b)**\n\n> *이 포스팅은 Gemini AI가 제공한 뉴스 데이터를 기반으로 작성되었습니다.*\n";
        let items = split(&blocks(md));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "헤드라인 하나");
        assert_eq!(items[0].summary, "요약 문장.");
        assert_eq!(items[0].why, "시사점 하나");
        assert_eq!(items[0].sources[0].url, "https://t.co/a");
        assert!(!items[1].body.contains("포스팅"), "footer kept: {:?}", items[1].body);
    }

    #[test]
    fn essay_becomes_passages() {
        let long = "가".repeat(250);
        let md = format!("## 관련글\n\n[원문](https://x.com/a)\n\n## 첫 장\n\n{long}\n\n## 둘째 장\n\n{long}\n");
        let items = split(&blocks(&md));
        // the link-only "관련글" section is too short to stand alone and joins the next passage
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "첫 장");
        assert_eq!(items[0].sources[0].url, "https://x.com/a");
        assert_eq!(items[1].title, "둘째 장");
    }

    #[test]
    fn bold_titles_are_items_and_lead_ins_are_not() {
        let md = "## 분야\n\n**[첫 소식 — 요지]** (매체 · 2026.01.02)\n- **사실:** 첫 사실.\n- **시사점:** 첫 의미.\n→ [링크: https://a.com/1](https://a.com/1)\n\n**[둘째 소식]** (매체)\n- **사실:** 둘째 사실.\n→ [링크: https://b.com/2](https://b.com/2)\n";
        let items = split(&blocks(md));
        assert_eq!(items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), vec!["첫 소식 — 요지", "둘째 소식"]);
        assert_eq!(items[0].why, "첫 의미.");
        assert_eq!(items[0].body, "사실: 첫 사실.\n첫 의미.");
        assert_eq!(items[1].sources[0].url, "https://b.com/2");
    }
}
