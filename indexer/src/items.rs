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

use crate::markdown::{Block, BlockKind, Line, Link};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Summary,
    Why,
    Source,
    /// Notes that are not news (the author's to-do list): dropped.
    Skip,
}

const LABELS: &[(&str, Label)] = &[
    ("요약", Label::Summary),
    ("핵심 요약", Label::Summary),
    ("핵심 내용", Label::Summary),
    ("핵심 논지", Label::Summary),
    ("핵심 포인트", Label::Summary),
    ("한 줄 요약", Label::Summary),
    ("한줄 요약", Label::Summary),
    ("summary", Label::Summary),
    ("tl;dr", Label::Summary),
    ("tldr", Label::Summary),
    ("왜 중요한가", Label::Why),
    ("왜 중요할까", Label::Why),
    ("왜 중요한지", Label::Why),
    ("왜 중요한", Label::Why),
    ("시사점", Label::Why),
    ("의미", Label::Why),
    ("중요성", Label::Why),
    ("중요한 이유", Label::Why),
    ("영향 분석", Label::Why),
    ("why it matters", Label::Why),
    ("why this matters", Label::Why),
    ("source", Label::Source),
    ("sources", Label::Source),
    ("출처", Label::Source),
    ("소스", Label::Source),
    ("원문", Label::Source),
    ("참고", Label::Source),
    ("관련 링크", Label::Source),
    ("링크", Label::Source),
    ("교차확인", Label::Source),
    ("추가확인", Label::Source),
    ("보강", Label::Source),
    ("link", Label::Source),
    ("links", Label::Source),
];

/// Phrases that mark the author's notes to self ("Master 액션 포인트", "액션 아이템", "Jay에게 의미").
const SKIP_PHRASES: &[&str] =
    &["액션 포인트", "액션 아이템", "액션 플랜", "액션 제안", "action item", "jay에게", "jay께", "주인님"];

/// Recognises a part label at the start of a text ("요약: …", "📌 요약", "Why it matters:",
/// "Source: [..](..)"). Returns the label, the text after it, and whether a colon followed.
fn label_of(text: &str) -> Option<(Label, &str, bool)> {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric()).trim_start();
    let lower = t.to_lowercase();
    // the longest matching label wins ("sources" over "source", "왜 중요한가" over "왜 중요한")
    let mut best: Option<(usize, Label)> = None;
    for (prefix, label) in LABELS {
        if lower.starts_with(prefix) && best.is_none_or(|(len, _)| prefix.len() > len) {
            // byte length is equal for the ASCII lowercase labels and identical for Hangul ones
            let after = t.get(prefix.len()..).unwrap_or("");
            // "요약" must be the whole label, not the first word of a sentence ("요약하면 …" is prose).
            if after.chars().next().is_none_or(|c| !c.is_alphanumeric() || c == '은') {
                best = Some((prefix.len(), *label));
            }
        }
    }
    let (len, label) = best?;
    let after = &t[len..];
    let after = after.strip_prefix('은').unwrap_or(after);
    // "Summary (요약):", "Why it matters (중요성):" — a gloss in parentheses belongs to the label
    let after = match after.trim_start().strip_prefix('(').and_then(|a| a.split_once(')')) {
        Some((gloss, rest)) if gloss.chars().count() <= 12 => rest,
        _ => after,
    };
    // "요약:", "왜 중요할까?" — punctuation that makes the words a label
    let colon = after.trim_start_matches(['*', ' ', '?', '!']).starts_with([':', '：'])
        || after.trim_start_matches(['*', ' ']).starts_with('?');
    let rest = after.trim_start_matches(|c: char| {
        matches!(c, ':' | '：' | '?' | '!' | '*' | '-' | '—' | '–' | ')') || c.is_whitespace()
    });
    Some((label, rest, colon))
}

/// The label a line starts with, if it is used as one: headings always; other lines when a colon
/// follows the label, when the label is the line's whole bold lead ("**📌 요약**"), when it is
/// the whole line, or when a source label has links ("의미 있는 변화가 …" as prose is no label).
fn line_label(line: &Line, heading: bool) -> Option<(Label, String)> {
    if let Some(lead) = line.bold.as_deref().or_else(|| line.text.split_once([':', '：']).map(|(a, _)| a)) {
        if lead.chars().count() <= 30 {
            let lower = lead.to_lowercase();
            let bare = lower.trim().trim_end_matches([':', '：']).trim();
            if SKIP_PHRASES.iter().any(|p| lower.contains(p)) || bare == "액션" || bare == "action" {
                return Some((Label::Skip, String::new()));
            }
        }
    }
    let (label, rest, colon) = label_of(&line.text)?;
    let bold_is_label = line.bold.as_deref().and_then(label_of).is_some_and(|(l, r, _)| l == label && r.is_empty());
    let alone = rest.trim().is_empty() && line.text.chars().count() <= 40;
    if heading || colon || bold_is_label || alone || label == Label::Source && !line.links.is_empty() {
        Some((label, rest.to_string()))
    } else {
        None
    }
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// Removes each link's text once from `text`.
fn without_link_texts(text: &str, links: &[Link]) -> String {
    let mut t = text.to_string();
    for l in links {
        if !l.text.is_empty() {
            if let Some(p) = t.find(&l.text) {
                t.replace_range(p..p + l.text.len(), " ");
            }
        }
    }
    t
}

/// Removes `( … )` groups.
fn without_parentheses(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn alnum_count(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

/// A line made only of links, with at most a short label or a parenthesis around them
/// (`[Source URL](url) (Google)`, `→ 교차확인: [..](..)`, `- 링크: https://…`, `[원문](u) · 105점`).
fn is_source_line(line: &Line) -> bool {
    if !line.links.iter().any(|l| is_external(&l.url)) {
        return false;
    }
    let rest = without_parentheses(&without_link_texts(&line.text, &line.links));
    let n = alnum_count(&rest);
    n <= 6 || (n <= 12 && rest.trim_end().ends_with([':', '：']))
}

/// A line opening with a bold lead-in followed by a colon: "**사실:** …", "**기술적 배경**: …".
fn is_lead_in(line: &Line) -> bool {
    line.bold.as_deref().is_some_and(|b| {
        b.trim_end().ends_with([':', '：'])
            || line.text[b.len().min(line.text.len())..].trim_start().starts_with([':', '：'])
    })
}

/// The title of a bold title line: `**제목**`, `**1. 제목** (출처)`, `**[제목](url)**`,
/// `**[제목]** ([매체](url))`, `**제목** — TechCrunch`. Not a label, not a lead-in (`**사실:** …`).
fn title_line(line: &Line) -> Option<&str> {
    let bold = line.bold.as_deref()?.trim();
    let n = bold.chars().count();
    if !(2..=250).contains(&n) || bold.ends_with([':', '：']) || alnum_count(bold) == 0 {
        return None;
    }
    if label_of(bold).is_some() || line_label(line, false).is_some_and(|(l, _)| l == Label::Skip) {
        return None;
    }
    let rest = line.text[line.text.len().min(bold.len())..].trim();
    if rest.starts_with([':', '：']) {
        return None; // "**보도/해설**: [..](..)" is a lead-in
    }
    // "**[AI]** **제목**": the bracketed first run is a category tag, not part of the title
    let bold = match line.bold_tag.as_deref() {
        Some(tag) if bold.len() > tag.len() && bold.starts_with(tag) => bold[tag.len()..].trim(),
        _ => bold,
    };
    let ok = rest.is_empty()
        || (rest.starts_with(['(', '（', '[']) && rest.ends_with([')', '）', ']']) && rest.chars().count() <= 120)
        || alnum_count(&without_parentheses(&without_link_texts(rest, &line.links))) == 0
        // "— TechCrunch", "| 2026.03.01": a short source, not a description
        || (rest.starts_with(['—', '–', '-', '|', '·']) && rest.chars().count() <= 25 && rest.split_whitespace().count() <= 4);
    ok.then_some(bold)
}

/// An entry of a link list: a list item that is one link (`- [제목](url)`), or a bold name with
/// a description and a link of its own (`1. **OptiML** — 설명` then the URL). Returns the title
/// and the title's link, if the title is one.
fn list_entry(block: &Block) -> Option<(String, Option<&Link>)> {
    if block.kind != BlockKind::ListItem {
        return None;
    }
    let first = block.lines.first()?;
    if let [link] = first.links.as_slice() {
        if is_external(&link.url) && link.text == first.text && alnum_count(&link.text) >= 2 {
            return Some((link.text.clone(), Some(link)));
        }
    }
    let bold = first.bold.as_deref()?;
    let rest = first.text[bold.len().min(first.text.len())..].trim_start();
    let described = rest.starts_with(['—', '–', '-', ':', '：']) || rest.is_empty() && block.lines.len() > 1;
    let linked = block.links.iter().any(|l| is_external(&l.url));
    (described && linked && label_of(bold).is_none() && alnum_count(bold) >= 2).then(|| {
        let link = first.links.iter().find(|l| is_external(&l.url) && bold.contains(&l.text));
        (bold.trim_end_matches([':', '：']).to_string(), link)
    })
}

/// Footer lines that are about the post, not the news ("이 포스팅은 … 작성되었습니다",
/// "본 글은 … 정리한 것으로, 이후 상황이 바뀔 수 있습니다").
fn is_boilerplate(text: &str) -> bool {
    let t = text.trim();
    let about_post =
        ["이 포스팅은", "이 글은", "본 포스팅은", "본 글은", "이 포스트는", "본 포스트는", "이 문서는", "본 문서는"]
            .iter()
            .any(|p| t.starts_with(p));
    about_post
        && ["작성되었습니다", "작성했습니다", "생성되었습니다", "정리한 것으로", "정리했습니다", "바뀔 수 있습니다"]
            .iter()
            .any(|p| t.contains(p))
}

/// Strips list numbering, emoji, rank prefixes, brackets and score suffixes from a title:
/// "## 1. 제목" → "제목", "💥 제목" → "제목", "1️⃣ 제목", "[1. 제목]", "[태그] 제목",
/// "1위 신규 — 제목", "제목 (14pts)" → "제목".
pub fn clean_title(text: &str) -> String {
    let mut t = text.trim().to_string();
    loop {
        let before = t.clone();
        // leading symbols, emoji and markdown marks (opening quotes and brackets stay)
        t = t
            .trim_start_matches(|c: char| {
                !c.is_alphanumeric()
                    && !matches!(c, '[' | '(' | '\'' | '"' | '‘' | '“' | '「' | '『' | '<' | '《' | '$')
            })
            .to_string();
        t = strip_numbering(&t);
        // "[제목]" wrapping the whole title, or a short "[태그] " in front; an unclosed "[" goes
        if let Some(inner) = t.strip_prefix('[').filter(|i| !i.contains(']')) {
            t = inner.to_string();
        } else if let Some(inner) = t.strip_prefix('[') {
            if let Some(close) = inner.find(']') {
                let (tag, after) = (&inner[..close], inner[close + 1..].trim());
                if after.is_empty() {
                    t = tag.trim().to_string();
                } else if after.starts_with('(') || tag.chars().count() > 20 {
                    // "[링크](…)"-like or a long bracket: leave as written
                } else if tag.chars().count() <= 3 || tag.chars().any(|c| c.is_ascii_digit()) {
                    // "[AI] 제목", "[1] 제목", "[새 진입 1위] 제목": a category or rank
                    t = after.to_string();
                } else {
                    // "[VeriEvol] 헤드라인": the tag names the subject
                    t = format!("{}: {after}", tag.trim());
                }
            }
        }
        // trailing "(14pts)", "(396점)", "(⭐ 50,122)"
        if let Some(open) = t.rfind(" (") {
            let inner = t[open + 2..].trim_end_matches(')');
            let inner = inner.trim_start_matches(['⭐', '★', ' ']);
            let digits = inner.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
            if t.ends_with(')')
                && digits.len() < inner.len()
                && ["", "pts", "pt", "points", "point", "점", "stars", " pts", " points", " 점"].contains(&digits)
            {
                t.truncate(open);
            }
        }
        // closing "#"s of a heading, a trailing colon
        t = t.trim().trim_end_matches(['#', ':', '：']).trim().to_string();
        if t == before {
            return t;
        }
    }
}

/// Whether a title starts with a story number ("1. ", "### ## 2. ", "1️⃣ ").
fn is_numbered(title: &str) -> bool {
    let t = title.trim_start_matches(|c: char| !c.is_alphanumeric());
    strip_numbering(t) != t
}

/// "1. ", "1) ", "1번. ", "2.1 ", "1️⃣ ", "1위 신규 — " at the start of a title.
fn strip_numbering(t: &str) -> String {
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return t.to_string();
    }
    let mut after = &t[digits..];
    // outline numbers: 2.1, 3.2.1, 1-2
    let mut dotted = false;
    while let Some(rest) = after.strip_prefix('.').or_else(|| after.strip_prefix('-')) {
        let d = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if d == 0 || d > 3 {
            break;
        }
        after = &rest[d..];
        dotted = true;
    }
    // keycap emoji 1️⃣
    let keycap = after.trim_start_matches(['\u{FE0F}', '\u{20E3}']);
    if keycap.len() < after.len() {
        return keycap.trim_start().to_string();
    }
    for sep in [". ", ") ", "번. ", "번) ", ": ", ".", ")"] {
        if let Some(rest) = after.strip_prefix(sep) {
            if sep.ends_with(' ') || rest.starts_with(' ') || !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest.trim_start().to_string();
            }
        }
    }
    if dotted && after.starts_with(' ') {
        return after.trim_start().to_string();
    }
    // "1위 신규 — 제목", "3위 — 제목"
    if let Some(rest) = after.strip_prefix('위') {
        if let Some(p) = rest.find(['—', '–']) {
            if rest[..p].chars().count() <= 12 {
                return rest[p..].trim_start_matches(['—', '–', ' ']).to_string();
            }
        }
    }
    t.to_string()
}

/// Lower-cased title without the bits that vary ("(AI)", "— Qiita 트렌드").
fn title_key(title: &str) -> String {
    let t = clean_title(title).to_lowercase();
    // "미스 김의 인사이트 — 개발도구 / 에이전트", "미스 김의 인사이트 (AI)": the name is the first part
    let end = [" — ", " – ", " - ", " (", " |", ": "].iter().filter_map(|sep| t.find(sep)).min().unwrap_or(t.len());
    t[..end].trim().to_string()
}

/// Section titles that are never stories, in any post (tables of contents).
fn is_toc_title(title: &str) -> bool {
    let t = title_key(title);
    ["목차", "table of contents", "contents", "toc", "index"].contains(&t.as_str())
}

/// "참고 자료", "References": a list of references.
fn is_reference_title(title: &str) -> bool {
    let t = title_key(title);
    [
        "참고 자료",
        "참고자료",
        "참고 문헌",
        "참고문헌",
        "references",
        "reference",
        "출처",
        "sources",
        "관련 링크",
        "참고 링크",
        "관련글",
        "관련 글",
    ]
    .contains(&t.as_str())
}

/// Section titles that are not news items in a digest: summaries of the whole post, the
/// author's commentary, reference lists, closing notes.
fn is_non_item_title(title: &str) -> bool {
    const EXACT: &[&str] = &[
        "결론",
        "정리",
        "개요",
        "출처",
        "참고",
        "요약",
        "마무리",
        "들어가며",
        "마치며",
        "맺음말",
        "전망",
        "한눈에 보기",
        "오늘의 결론",
        "오늘의 정리",
        "관련글",
        "관련 글",
        "references",
        "sources",
        "summary",
        "conclusion",
        "overview",
        "introduction",
        "keywords",
    ];
    const CONTAINS: &[&str] = &[
        "executive summary",
        "미스 김",
        "source ledger",
        "오늘의 키워드",
        "핵심 트렌드",
        "트렌드 종합",
        "jay에게",
        "주 전망",
        "향후 전망",
        "closing note",
        "참고 자료",
        "참고자료",
        "참고 링크",
        "관련 링크",
        "한눈에",
        "한 줄 요약",
        "한줄 요약",
        "red team",
        "체크리스트",
        "액션 포인트",
        "액션 아이템",
        "액션 플랜",
        "액션 제안",
        "유효한 액션",
        "위험 신호",
        "기회 신호",
        "메가 트렌드",
        "핵심 요약",
        "disclaimer",
        "면책",
        "jay께",
        "주인님",
        "종합 결론",
        "한 줄 결론",
    ];
    let t = title_key(title);
    if is_toc_title(&t) || EXACT.contains(&t.as_str()) {
        return true;
    }
    // "Top 5", "TOP 10 뉴스", "핵심 Top 3"
    if let Some(p) = t.find("top") {
        if t[p + 3..].trim_start().starts_with(|c: char| c.is_ascii_digit()) && t.chars().count() <= 14 {
            return true;
        }
    }
    let n = t.chars().count();
    CONTAINS.iter().any(|p| t.contains(p) && n <= p.chars().count() + 22)
}

/// "항목 3", "3", "Item 3": a heading that only numbers what follows.
fn is_placeholder_title(title: &str) -> bool {
    let t = title_key(title);
    let word = t.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '#' || c == '.');
    ["", "항목", "item", "news", "뉴스", "no", "기사", "story"].contains(&word)
}

// ---------------------------------------------------------------------------------------------
// The outline

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MarkerKind {
    Heading,
    Bold,
}

struct Node<'a> {
    /// 0 for the root, 1–6 headings, 7 bold paragraphs, 8 bold list items.
    rank: u8,
    kind: MarkerKind,
    title: String,
    /// The marker block (for its links and, for bold markers, its full first line).
    marker: Option<&'a Block>,
    /// Content blocks with the index of their first line to read.
    content: Vec<(&'a Block, usize)>,
    children: Vec<usize>,
    /// A heading that is a part label at the level of the stories ("## 핵심 요약").
    label: bool,
}

impl Node<'_> {
    fn title_links(&self) -> Vec<Link> {
        match (self.kind, self.marker) {
            (MarkerKind::Heading, Some(b)) => b.links.clone(),
            (MarkerKind::Bold, Some(b)) => b.lines.first().map(|l| l.links.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The node's own evidence of being a story: a source link or a summary/why label.
    fn evidence(&self) -> bool {
        self.title_links().iter().any(|l| is_external(&l.url))
            || self.content.iter().any(|(b, from)| {
                b.lines[*from..].iter().any(|l| {
                    l.links.iter().any(|k| is_external(&k.url))
                        || line_label(l, matches!(b.kind, BlockKind::Heading(_)))
                            .is_some_and(|(label, _)| matches!(label, Label::Summary | Label::Why))
                })
            })
    }

    fn labelled(&self) -> bool {
        self.content.iter().any(|(b, from)| {
            b.lines[*from..].iter().any(|l| {
                line_label(l, matches!(b.kind, BlockKind::Heading(_)))
                    .is_some_and(|(label, _)| matches!(label, Label::Summary | Label::Why))
            })
        })
    }
}

struct Outline<'a> {
    nodes: Vec<Node<'a>>,
}

fn marker_of(block: &Block) -> Option<(u8, MarkerKind, String)> {
    match block.kind {
        BlockKind::Heading(level) => Some((level, MarkerKind::Heading, block.text.replace('\n', " "))),
        BlockKind::Paragraph => title_line(block.lines.first()?).map(|t| (7, MarkerKind::Bold, t.to_string())),
        BlockKind::ListItem => title_line(block.lines.first()?).map(|t| (8, MarkerKind::Bold, t.to_string())),
        _ => None,
    }
}

impl<'a> Outline<'a> {
    fn build(blocks: &'a [Block]) -> Outline<'a> {
        let series_rank = numbered_series_rank(blocks);
        let root = Node {
            rank: 0,
            kind: MarkerKind::Heading,
            title: String::new(),
            marker: None,
            content: Vec::new(),
            children: Vec::new(),
            label: false,
        };
        let mut nodes = vec![root];
        let mut stack = vec![0usize];
        // After a `---` that follows some text, blocks belong to no story until the next marker.
        let mut orphan = false;
        for block in blocks {
            if is_boilerplate(&block.text) {
                continue;
            }
            let top = *stack.last().expect("root stays");
            if block.kind == BlockKind::Rule {
                if !nodes[top].content.is_empty() {
                    orphan = true;
                }
                continue;
            }
            let marker = marker_of(block).map(|(rank, kind, title)| match series_rank {
                Some(r) if kind == MarkerKind::Heading && story_number(&title).is_some() => (r, kind, title),
                _ => (rank, kind, title),
            });
            let marker = marker.and_then(|(rank, kind, title)| {
                let label =
                    kind == MarkerKind::Heading && block.lines.first().and_then(|l| line_label(l, true)).is_some();
                // A label heading deeper than the open story is part of it ("### Summary:" under "## 1.").
                if label && top != 0 && nodes[top].rank < rank {
                    None
                } else {
                    Some((rank, kind, title, label))
                }
            });
            match marker {
                Some((rank, kind, title, label)) => {
                    while nodes[*stack.last().expect("root")].rank >= rank {
                        stack.pop();
                    }
                    let parent = *stack.last().expect("root");
                    let id = nodes.len();
                    let content = if kind == MarkerKind::Bold { vec![(block, 1)] } else { Vec::new() };
                    nodes.push(Node { rank, kind, title, marker: Some(block), content, children: Vec::new(), label });
                    nodes[parent].children.push(id);
                    stack.push(id);
                    orphan = false;
                }
                None if orphan => {}
                None => {
                    // A bold list item owns its own block; text after the list belongs to the
                    // section around it.
                    if block.kind != BlockKind::ListItem {
                        while nodes[*stack.last().expect("root")].rank == 8 {
                            stack.pop();
                        }
                    }
                    let top = *stack.last().expect("root");
                    nodes[top].content.push((block, 0));
                }
            }
        }
        Outline { nodes }
    }

    /// Characters of text in a node and everything below it.
    fn text_chars(&self, i: usize) -> usize {
        let node = &self.nodes[i];
        let own: usize = node
            .content
            .iter()
            .map(|(b, from)| b.lines[*from..].iter().map(|l| l.text.chars().count()).sum::<usize>())
            .sum();
        own + node.children.iter().map(|&c| self.text_chars(c)).sum::<usize>()
    }

    /// How the post is read (see the module documentation).
    fn mode(&self, news_title: bool) -> Mode {
        let total = self.text_chars(0).max(1);
        let share = |ids: &mut dyn Iterator<Item = usize>| ids.map(|i| self.text_chars(i)).sum::<usize>() * 100 / total;
        let labelled: Vec<usize> = (0..self.nodes.len()).filter(|&i| self.nodes[i].labelled()).collect();
        let labelled_ok = labelled.len() >= 2 || share(&mut labelled.iter().copied()) >= 20;
        let sourced_ok = (1..=8u8).any(|rank| {
            let at: Vec<usize> =
                (0..self.nodes.len()).filter(|&i| self.nodes[i].rank == rank && !self.nodes[i].label).collect();
            let sourced: Vec<usize> = at.iter().copied().filter(|&i| self.nodes[i].evidence()).collect();
            sourced.len() >= 2 && sourced.len() * 2 >= at.len() && share(&mut sourced.iter().copied()) >= 40
        });
        let link_lists =
            share(&mut (0..self.nodes.len()).filter(|&i| link_list(&self.nodes[i].content).is_some())) >= 40;
        if labelled_ok || sourced_ok || link_lists {
            Mode::Digest { structural: false }
        } else if news_title {
            Mode::Digest { structural: true }
        } else {
            Mode::Essay
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Essay,
    /// `structural`: the stories carry no sources or labels, so a heading section with text and
    /// no sub-sections counts as a story.
    Digest {
        structural: bool,
    },
}

/// The number of a story heading: "1. ", "### ## 2) ", "3번. " (outline numbers such as "2.1"
/// are not story numbers).
fn story_number(title: &str) -> Option<u32> {
    let t = title.trim_start_matches(|c: char| !c.is_alphanumeric());
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let after = &t[digits..];
    [". ", ") ", "번. "].iter().any(|sep| after.starts_with(sep)).then(|| t[..digits].parse().ok()).flatten()
}

/// Numbered story headings are one series even when the author slipped a level
/// ("### 1." then "## 2.", "## 3."): the level most of them use.
fn numbered_series_rank(blocks: &[Block]) -> Option<u8> {
    let numbered: Vec<(u8, u32)> = blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Heading(level) => story_number(&b.text).map(|n| (level, n)),
            _ => None,
        })
        .collect();
    let mut numbers: Vec<u32> = numbered.iter().map(|&(_, n)| n).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let levels: std::collections::BTreeSet<u8> = numbered.iter().map(|&(l, _)| l).collect();
    if numbered.len() < 2 || numbers.len() < numbered.len() || levels.len() < 2 {
        return None;
    }
    levels.into_iter().max_by_key(|&l| (numbered.iter().filter(|&&(x, _)| x == l).count(), std::cmp::Reverse(l)))
}

/// The entries of a section that is only a list of links: besides the list, at most a short
/// intro before it and notes after it (the author's comment on the list).
fn link_list<'a>(content: &[(&'a Block, usize)]) -> Option<Vec<&'a Block>> {
    let first = content.iter().position(|(b, _)| b.kind == BlockKind::ListItem)?;
    let last = content.iter().rposition(|(b, _)| b.kind == BlockKind::ListItem)?;
    let items: Vec<&Block> = content[first..=last].iter().map(|(b, _)| *b).collect();
    let all_links = items.len() >= 2 && items.iter().all(|b| list_entry(b).is_some());
    let short_intro = content[..first].iter().map(|(b, _)| b.text.chars().count()).sum::<usize>() < 100;
    (all_links && short_intro).then_some(items)
}

struct Digest<'o, 'a> {
    outline: &'o Outline<'a>,
    story_like: Vec<bool>,
    /// Nodes with a source or label of their own or below them.
    sourced: Vec<bool>,
    /// Ranks at which some node is a category of two or more stories.
    category_rank: [bool; 9],
    /// Ranks at which some node is a story with no story below it.
    leaf_rank: [bool; 9],
}

impl<'o, 'a> Digest<'o, 'a> {
    fn new(outline: &'o Outline<'a>, structural: bool) -> Self {
        let n = outline.nodes.len();
        let mut story_like = vec![false; n];
        let mut sourced = vec![false; n];
        let mut category_rank = [false; 9];
        let mut leaf_rank = [false; 9];
        // children always come after their parent: walk backwards
        for i in (0..n).rev() {
            let node = &outline.nodes[i];
            let stories = node.children.iter().filter(|&&c| story_like[c]).count();
            if stories >= 2 && i != 0 {
                category_rank[node.rank as usize] = true;
            }
            sourced[i] = node.evidence() || node.children.iter().any(|&c| sourced[c]);
            let text_leaf = structural
                && node.kind == MarkerKind::Heading
                && node.children.is_empty()
                && node.content.iter().any(|(b, from)| b.lines.len() > *from);
            story_like[i] = !node.label
                && !is_non_item_title(&node.title)
                && (node.evidence() || stories >= 1 || link_list(&node.content).is_some() || text_leaf);
            if story_like[i] && stories == 0 && i != 0 {
                leaf_rank[node.rank as usize] = true;
            }
        }
        Digest { outline, story_like, sourced, category_rank, leaf_rank }
    }

    fn non_item(&self, i: usize) -> bool {
        let node = &self.outline.nodes[i];
        i != 0 && (node.label || is_non_item_title(&node.title))
    }

    /// Whether a node only groups the stories below it (see the module documentation).
    fn is_category(&self, i: usize) -> bool {
        let node = &self.outline.nodes[i];
        let stories: Vec<usize> = node.children.iter().copied().filter(|&c| self.story_like[c]).collect();
        match stories[..] {
            _ if i == 0 => true,
            [] => false,
            [only] => {
                // the other sections of the same rank decide: categories, or stories themselves
                match (self.category_rank[node.rank as usize], self.leaf_rank[node.rank as usize]) {
                    (true, _) => return true,
                    (false, true) => return false,
                    _ => {}
                }
                // Alone, a story below a heading is the heading's own story when the heading
                // numbers it ("### 3. 제목"), has text of its own, or the child is just a bold
                // link repeating the title; otherwise the heading names a category ("### Agent
                // Security" over one "*   **제목**" bullet).
                let child = &self.outline.nodes[only];
                let numbered = is_numbered(&node.title);
                if is_numbered(&child.title) && !numbered {
                    return true; // "## 오늘의 주제" over "### 1. 제목"
                }
                let own_text = node.content.iter().any(|(b, from)| b.lines.len() > *from);
                let child_is_link = child.kind == MarkerKind::Bold
                    && child.marker.and_then(|m| m.lines.first()).is_some_and(|l| {
                        l.links
                            .iter()
                            .any(|k| is_external(&k.url) && l.bold.as_deref().is_some_and(|b| b.contains(&k.text)))
                    });
                !(numbered || own_text || child_is_link || is_placeholder_title(&node.title))
            }
            _ => true,
        }
    }

    fn collect(&self, i: usize, out: &mut Vec<RawItem>) {
        let node = &self.outline.nodes[i];
        if self.non_item(i) {
            // Sourced stories survive below a non-item section: under their own heading, or as
            // bold titles with text of their own (a bare "**이름** — URL" list is the section's).
            for &c in &node.children {
                let child = &self.outline.nodes[c];
                let has_text =
                    child.content.iter().any(|(b, from)| b.lines[*from..].iter().any(|l| !is_source_line(l)));
                if self.sourced[c] && (child.kind == MarkerKind::Heading || has_text) {
                    self.collect(c, out);
                }
            }
            return;
        }
        if is_briefs_title(&node.title) {
            if let Some(bullets) = briefs(&node.content) {
                out.extend(bullets.into_iter().map(brief_item));
                return;
            }
        }
        if let Some(links) = link_list(&node.content) {
            out.extend(links.into_iter().map(link_list_item));
            if node.children.is_empty() {
                return;
            }
            for &c in &node.children {
                self.collect(c, out);
            }
            return;
        }
        if self.is_category(i) {
            // Beside numbered stories ("## 1.", "## 2."), an unnumbered section without sources
            // is the post's banner or closing words, not a story.
            let numbered = node.children.iter().filter(|&&c| is_numbered(&self.outline.nodes[c].title)).count();
            for &c in &node.children {
                if numbered >= 1 && !is_numbered(&self.outline.nodes[c].title) && !self.story_like[c] {
                    continue;
                }
                self.collect(c, out);
            }
            return;
        }
        out.push(self.item(i));
    }

    /// One item from a node and everything below it.
    fn item(&self, i: usize) -> RawItem {
        let nodes = &self.outline.nodes;
        let node = &nodes[i];
        let mut title = node.title.clone();
        let mut parts: Vec<Part<'_>> = node.content.iter().map(|&(b, from)| Part::Block(b, from)).collect();
        let mut first_child = true;
        let mut extra_links: Vec<Link> = Vec::new();
        let mut stack: Vec<usize> = node.children.iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            if self.non_item(c) {
                continue;
            }
            let child = &nodes[c];
            let as_title = first_child && is_placeholder_title(&title) && child.kind == MarkerKind::Bold;
            first_child = false;
            match (child.kind, child.marker) {
                // "### 항목 3" + "**[실제 제목]** (출처)": the bold line is the title.
                (MarkerKind::Bold, _) if as_title => {
                    title = child.title.clone();
                    extra_links.extend(child.title_links().into_iter().filter(|l| is_external(&l.url)));
                    parts.extend(child.content.iter().map(|&(b, from)| Part::Block(b, from)));
                }
                // A bold child is read whole, title line included (its content starts with the
                // rest of the marker block, which that covers).
                // A bold line repeating the heading ("### 1. 제목" then "**[제목]**") is not text.
                (MarkerKind::Bold, Some(_)) if same_title(&child.title, &title) => {
                    parts.extend(child.content.iter().map(|&(b, from)| Part::Block(b, from)));
                }
                (MarkerKind::Bold, Some(marker)) => {
                    parts.push(Part::Block(marker, 0));
                    parts.extend(child.content.iter().skip(1).map(|&(b, from)| Part::Block(b, from)));
                }
                (_, marker) => {
                    parts.extend(marker.map(Part::Heading));
                    parts.extend(child.content.iter().map(|&(b, from)| Part::Block(b, from)));
                }
            }
            stack.extend(child.children.iter().rev().copied());
        }
        let mut title_links = node.title_links();
        title_links.extend(extra_links);
        read_item(&clean_title(&title), title_links, &parts)
    }
}

/// "단신", "짧은 소식", "In brief": a section of one-line stories.
fn is_briefs_title(title: &str) -> bool {
    let t = title_key(title);
    [
        "단신",
        "짧은 소식",
        "한 줄 뉴스",
        "한줄 뉴스",
        "브리프",
        "in brief",
        "briefs",
        "quick hits",
        "그 밖의 소식",
        "기타 소식",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// The bullets of a briefs section, when each opens with a bold lead (`- **회사, 사건**: …`).
fn briefs<'a>(content: &[(&'a Block, usize)]) -> Option<Vec<&'a Block>> {
    let bullets: Vec<&Block> = content.iter().filter(|(b, _)| b.kind == BlockKind::ListItem).map(|(b, _)| *b).collect();
    let all_bold = bullets.iter().all(|b| b.lines.first().is_some_and(|l| l.bold.is_some()));
    (bullets.len() >= 2 && all_bold).then_some(bullets)
}

fn brief_item(block: &Block) -> RawItem {
    let first = &block.lines[0];
    let lead = first.bold.clone().unwrap_or_default();
    let rest = first.text[lead.len().min(first.text.len())..].trim_start_matches([':', '：', ' ', '—', '–', '-']);
    let mut rest_line = first.clone();
    rest_line.text = rest.to_string();
    rest_line.bold = None;
    rest_line.bold_tag = None;
    let one = Block { kind: BlockKind::ListItem, text: String::new(), links: Vec::new(), lines: vec![rest_line] };
    let mut item = read_item(&clean_title(&lead), Vec::new(), &[Part::Block(&one, 0), Part::Block(block, 1)]);
    item.title = clean_title(&lead);
    item
}

fn link_list_item(block: &Block) -> RawItem {
    let (title, link) = list_entry(block).expect("checked by link_list");
    let first = &block.lines[0];
    // the description after the title ("— 설명"), if any
    let after = match link {
        Some(l) if l.text == first.text => "",
        _ => first.text[first.bold.as_deref().map_or(0, str::len).min(first.text.len())..]
            .trim_start_matches(|c: char| matches!(c, '—' | '–' | '-' | ':' | '：') || c.is_whitespace()),
    };
    let rest = Line { text: after.to_string(), links: first.links.clone(), bold: None, bold_tag: None };
    let one = Block { kind: BlockKind::ListItem, text: String::new(), links: Vec::new(), lines: vec![rest] };
    read_item(&clean_title(&title), link.into_iter().cloned().collect(), &[Part::Block(&one, 0), Part::Block(block, 1)])
}

enum Part<'a> {
    /// A block, read from the given line on.
    Block(&'a Block, usize),
    /// A sub-heading merged into an item: its text is a body line, and it ends any labelled part.
    Heading(&'a Block),
}

/// Reads an item's parts into title, summary, why, body and sources.
fn read_item(title: &str, title_links: Vec<Link>, parts: &[Part<'_>]) -> RawItem {
    let mut item = RawItem { title: title.to_string(), sources: title_links, ..Default::default() };
    let mut part: Option<Label> = None;
    let mut inline_label = false;
    let mut body: Vec<String> = Vec::new();
    for p in parts {
        let (block, from, merged_heading) = match *p {
            Part::Block(b, from) => (b, from, false),
            Part::Heading(b) => (b, 0, true),
        };
        let heading = matches!(block.kind, BlockKind::Heading(_));
        if block.kind == BlockKind::Paragraph && part == Some(Label::Skip) {
            part = None;
        }
        if heading && merged_heading && line_label(&block.lines[0], true).is_none() {
            part = None;
        }
        for line in block.lines.iter().skip(from) {
            if is_boilerplate(&line.text) {
                continue;
            }
            let mut text = line.text.clone();
            let labelled_line = line_label(line, heading);
            if let Some((label, rest)) = labelled_line.clone() {
                part = Some(label);
                inline_label = !rest.trim().is_empty();
                text = rest;
            } else if inline_label && is_lead_in(line) {
                // After "**시사점:** …", a peer lead-in ("**사실:**", "**기술적 배경**:") ends the
                // part; under a label standing alone ("**💡 시사점**") lead-ins are its points.
                part = None;
            }
            if part == Some(Label::Skip) {
                continue;
            }
            if is_source_line(line) || (part == Some(Label::Source) && !line.links.is_empty()) {
                item.sources.extend(line.links.iter().cloned());
                continue;
            }
            if part == Some(Label::Source) {
                // "**출처:** 이투데이, 2026-02-05": a source without a link is not body text
                if text.trim().is_empty() || labelled_line.is_some() {
                    continue;
                }
                // prose after a source line is body again
                part = None;
            }
            // Links inside ordinary text are references too (Korean posts often cite inline).
            item.sources.extend(line.links.iter().filter(|l| is_external(&l.url)).cloned());
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let target = match part {
                Some(Label::Summary) => Some(&mut item.summary),
                Some(Label::Why) => Some(&mut item.why),
                _ => None,
            };
            if let Some(target) = target {
                if !target.is_empty() {
                    target.push('\n');
                }
                target.push_str(text);
            }
            body.push(text.to_string());
        }
    }
    item.body = body.join("\n");
    let mut seen = std::collections::HashSet::new();
    item.sources.retain(|l| is_external(&l.url) && seen.insert(l.url.clone()));
    item
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

/// Minimum characters a passage needs before it stands alone.
const MIN_PASSAGE_CHARS: usize = 120;

/// Essays and unknown layouts: one passage per heading section. A too-short section (a link-only
/// "관련글", a heading whose text is one line before its sub-headings) is folded into the next;
/// a short tail joins the previous passage. Tables of contents are dropped.
fn passages(blocks: &[Block]) -> Vec<RawItem> {
    let mut sections: Vec<(Option<&Block>, Vec<Part<'_>>)> = vec![(None, Vec::new())];
    for block in blocks {
        if is_boilerplate(&block.text) || block.kind == BlockKind::Rule {
            continue;
        }
        if let BlockKind::Heading(_) = block.kind {
            sections.push((Some(block), Vec::new()));
        } else {
            sections.last_mut().expect("one").1.push(Part::Block(block, 0));
        }
    }
    let mut out: Vec<RawItem> = Vec::new();
    let mut pending: Option<RawItem> = None;
    for (heading, parts) in sections {
        let title = heading.map(|h| h.text.replace('\n', " ")).unwrap_or_default();
        if is_toc_title(&title) {
            continue;
        }
        let as_refs = is_reference_title(&title).then(|| read_item("", Vec::new(), &parts));
        if let Some(refs) = as_refs.filter(|r| r.body.chars().count() < 600) {
            // a reference list is no passage; its links are sources of the passage before it
            let refs = refs.sources;
            match (out.last_mut(), pending.as_mut()) {
                (_, Some(p)) => p.sources.extend(refs),
                (Some(prev), None) => prev.sources.extend(refs),
                // before the first passage: they go to the next one
                (None, None) => pending = Some(RawItem { sources: refs, ..Default::default() }),
            }
            continue;
        }
        let mut item = read_item(&clean_title(&title), Vec::new(), &parts);
        if let Some(prev) = pending.take() {
            let prev_title = if prev.body.is_empty() { "" } else { prev.title.as_str() };
            item.body = [prev_title, prev.body.as_str(), item.body.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\n");
            let mut sources = prev.sources;
            sources.extend(item.sources);
            item.sources = sources;
            if item.title.is_empty() {
                item.title = prev.title;
            }
        }
        if item.body.is_empty() && item.sources.is_empty() {
            if !item.title.is_empty() {
                pending = Some(item);
            }
            continue;
        }
        if item.body.chars().count() < MIN_PASSAGE_CHARS {
            pending = Some(item);
        } else {
            out.push(item);
        }
    }
    if let Some(last) = pending.take() {
        match out.last_mut() {
            // A short tail joins the previous passage.
            Some(prev) => {
                for text in [&last.title, &last.body] {
                    if !text.is_empty() && !last.body.is_empty() {
                        prev.body.push('\n');
                        prev.body.push_str(text);
                    }
                }
                prev.sources.extend(last.sources);
            }
            None => out.push(last),
        }
    }
    for item in &mut out {
        let mut seen = std::collections::HashSet::new();
        item.sources.retain(|l| seen.insert(l.url.clone()));
    }
    out.retain(|i| !i.body.is_empty());
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
