//! What a line of a story is: a part label (요약, 왜 중요한가, 출처 …), a source line, a lead-in,
//! a bold title, a list entry or boilerplate.

use crate::markdown::{Block, BlockKind, Line, Link};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Label {
    Summary,
    Why,
    Source,
    /// Notes that are not news (the author's to-do list): dropped.
    Skip,
}

pub(super) const LABELS: &[(&str, Label)] = &[
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
pub(super) const SKIP_PHRASES: &[&str] =
    &["액션 포인트", "액션 아이템", "액션 플랜", "액션 제안", "action item", "jay에게", "jay께", "주인님"];

/// Recognises a part label at the start of a text ("요약: …", "📌 요약", "Why it matters:",
/// "Source: [..](..)"). Returns the label, the text after it, and whether a colon followed.
pub(super) fn label_of(text: &str) -> Option<(Label, &str, bool)> {
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
pub(super) fn line_label(line: &Line, heading: bool) -> Option<(Label, String)> {
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

pub(super) fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// Removes each link's text once from `text`.
pub(super) fn without_link_texts(text: &str, links: &[Link]) -> String {
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
pub(super) fn without_parentheses(text: &str) -> String {
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

pub(super) fn alnum_count(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

/// A line made only of links, with at most a short label or a parenthesis around them
/// (`[Source URL](url) (Google)`, `→ 교차확인: [..](..)`, `- 링크: https://…`, `[원문](u) · 105점`).
pub(super) fn is_source_line(line: &Line) -> bool {
    if !line.links.iter().any(|l| is_external(&l.url)) {
        return false;
    }
    let rest = without_parentheses(&without_link_texts(&line.text, &line.links));
    let n = alnum_count(&rest);
    n <= 6 || (n <= 12 && rest.trim_end().ends_with([':', '：']))
}

/// A line opening with a bold lead-in followed by a colon: "**사실:** …", "**기술적 배경**: …".
pub(super) fn is_lead_in(line: &Line) -> bool {
    line.bold.as_deref().is_some_and(|b| {
        b.trim_end().ends_with([':', '：'])
            || line.text[b.len().min(line.text.len())..].trim_start().starts_with([':', '：'])
    })
}

/// The title of a bold title line: `**제목**`, `**1. 제목** (출처)`, `**[제목](url)**`,
/// `**[제목]** ([매체](url))`, `**제목** — TechCrunch`. Not a label, not a lead-in (`**사실:** …`).
pub(super) fn title_line(line: &Line) -> Option<&str> {
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
pub(super) fn list_entry(block: &Block) -> Option<(String, Option<&Link>)> {
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
pub(super) fn is_boilerplate(text: &str) -> bool {
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
