//! Splitting a post into the news items a reader sees.
//!
//! Digest posts mark each item with a heading followed by labelled parts: "요약"/"Summary"/"📌 요약",
//! "왜 중요한가"/"Why it matters"/"💡 시사점", and a "Source"/"🔗 원문 기사 보기" link. The heading
//! level that carries the most labelled sections is the item level (seed 000 uses `## 1.`,
//! seed 002 `### 1.` under a `##` banner, seed 003 `###` with bold labels). Posts without labels
//! (essays) become one passage per heading; a post without headings is one passage.

use crate::markdown::{Block, BlockKind, Link};

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
}

/// Recognises a part label at the start of a heading or paragraph ("### 요약: …", "**📌 요약**",
/// "#### Why it matters:", "**Source:** [..](..)").
fn label_of(text: &str) -> Option<(Label, &str)> {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric()).trim_start();
    const LABELS: &[(&str, Label)] = &[
        ("요약", Label::Summary),
        ("핵심 요약", Label::Summary),
        ("summary", Label::Summary),
        ("tl;dr", Label::Summary),
        ("왜 중요한가", Label::Why),
        ("왜 중요할까", Label::Why),
        ("시사점", Label::Why),
        ("의미", Label::Why),
        ("why it matters", Label::Why),
        ("source", Label::Source),
        ("sources", Label::Source),
        ("출처", Label::Source),
        ("원문", Label::Source),
        ("참고", Label::Source),
        ("관련 링크", Label::Source),
        ("링크", Label::Source),
    ];
    let lower = t.to_lowercase();
    for (prefix, label) in LABELS {
        if lower.starts_with(prefix) {
            // byte length is equal for the ASCII lowercase labels and identical for Hangul ones
            let rest = &t[prefix.len().min(t.len())..];
            let rest =
                rest.trim_start_matches(|c: char| c == ':' || c == '?' || c == '!' || c == '*' || c.is_whitespace());
            // "요약" must be the whole label, not the first word of a sentence ("요약하면 …" is prose).
            let boundary =
                t[prefix.len().min(t.len())..].chars().next().is_none_or(|c| !c.is_alphanumeric() || c == '은');
            if boundary {
                return Some((*label, rest));
            }
        }
    }
    None
}

/// A paragraph acts as a label when its first line is short and starts with one (bold label
/// lines). Returns the label and the text after it (the rest of the first line, then the
/// following lines: "**📌 요약**\n본문…" is one paragraph).
fn block_label(block: &Block) -> Option<(Label, String)> {
    match block.kind {
        BlockKind::Heading(_) => label_of(&block.text).map(|(l, rest)| (l, rest.to_string())),
        BlockKind::Paragraph | BlockKind::Quote => {
            let (first_line, more) = block.text.split_once('\n').unwrap_or((&block.text, ""));
            let (label, rest) = label_of(first_line)?;
            // "Source: [link]" lines are labels whatever their length; other labels are short lines.
            if label == Label::Source || first_line.chars().count() <= 40 {
                let text = [rest, more].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n");
                Some((label, text))
            } else {
                None
            }
        }
        _ => None,
    }
}

struct Section<'a> {
    heading: &'a Block,
    blocks: &'a [Block],
}

fn sections_at(blocks: &[Block], level: u8) -> Vec<Section<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].kind == BlockKind::Heading(level) {
            let end = blocks[i + 1..]
                .iter()
                .position(|b| matches!(b.kind, BlockKind::Heading(l) if l <= level))
                .map_or(blocks.len(), |p| i + 1 + p);
            out.push(Section { heading: &blocks[i], blocks: &blocks[i + 1..end] });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn is_labelled(section: &Section<'_>) -> bool {
    label_of(&section.heading.text).is_none()
        && section.blocks.iter().any(|b| matches!(block_label(b), Some((Label::Summary | Label::Why, _))))
}

/// Footer lines that are about the post, not the news ("이 포스팅은 … 작성되었습니다").
fn is_boilerplate(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("이 포스팅은") || t.starts_with("이 글은") || t.starts_with("본 포스팅은"))
        && (t.contains("작성되었습니다") || t.contains("작성했습니다") || t.contains("생성되었습니다"))
}

/// Strips list numbering and leading emoji from a heading: "## 1. 제목" → "제목", "💥 제목" → "제목".
pub fn clean_title(text: &str) -> String {
    let mut t = text.trim();
    t = t.trim_start_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '[' | '(' | '\'' | '"' | '‘' | '“'));
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && digits <= 2 {
        let after = &t[digits..];
        if let Some(rest) =
            after.strip_prefix(". ").or_else(|| after.strip_prefix(") ")).or_else(|| after.strip_prefix("번. "))
        {
            t = rest.trim_start();
        }
    }
    t.to_string()
}

fn item_from(title: &str, blocks: &[Block]) -> RawItem {
    let mut item = RawItem { title: clean_title(title), ..Default::default() };
    let mut part: Option<Label> = None;
    let mut body: Vec<String> = Vec::new();
    for block in blocks {
        if block.kind == BlockKind::Rule || is_boilerplate(&block.text) {
            continue;
        }
        let mut text = block.text.clone();
        if let Some((label, rest)) = block_label(block) {
            part = Some(label);
            text = rest;
        } else if let BlockKind::Heading(_) = block.kind {
            part = None;
        }
        match part {
            Some(Label::Source) => item.sources.extend(block.links.iter().cloned()),
            _ => {
                // Links inside ordinary text are references too (Korean posts often cite inline).
                item.sources.extend(block.links.iter().filter(|l| l.url.starts_with("http")).cloned());
                if !text.is_empty() {
                    let target = match part {
                        Some(Label::Summary) => Some(&mut item.summary),
                        Some(Label::Why) => Some(&mut item.why),
                        _ => None,
                    };
                    if let Some(target) = target {
                        if !target.is_empty() {
                            target.push('\n');
                        }
                        target.push_str(&text);
                    }
                    body.push(text);
                }
            }
        }
    }
    item.body = body.join("\n");
    let mut seen = std::collections::HashSet::new();
    item.sources.retain(|l| l.url.starts_with("http") && seen.insert(l.url.clone()));
    item
}

/// Splits a post body into items. Returns an empty list when the post has no readable text.
pub fn split(blocks: &[Block]) -> Vec<RawItem> {
    // 1. Digest layouts: the heading level with the most labelled sections.
    let best = (1..=6u8)
        .map(|level| (level, sections_at(blocks, level).iter().filter(|s| is_labelled(s)).count()))
        .max_by_key(|&(level, n)| (n, std::cmp::Reverse(level)));
    if let Some((level, n)) = best.filter(|&(_, n)| n > 0) {
        let _ = n;
        return sections_at(blocks, level)
            .iter()
            .filter(|s| is_labelled(s))
            .map(|s| item_from(&s.heading.text, s.blocks))
            .filter(|item| !item.body.is_empty())
            .collect();
    }
    // 2. Essays and unknown layouts: one passage per heading section (short ones merge into the next).
    passages(blocks)
}

/// Minimum characters a passage needs before it stands alone.
const MIN_PASSAGE_CHARS: usize = 200;

fn passages(blocks: &[Block]) -> Vec<RawItem> {
    let mut out: Vec<RawItem> = Vec::new();
    let mut start = 0;
    let mut pending: Option<RawItem> = None;
    let flush = |title: Option<&str>, part: &[Block], pending: &mut Option<RawItem>, out: &mut Vec<RawItem>| {
        let mut item = item_from(title.unwrap_or(""), part);
        if let Some(prev) = pending.take() {
            // A too-short passage (e.g. a "관련글" link list) is folded into the following one.
            item.body = [prev.title.as_str(), prev.body.as_str(), item.body.as_str()]
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
            return;
        }
        if item.body.chars().count() < MIN_PASSAGE_CHARS {
            *pending = Some(item);
        } else {
            out.push(item);
        }
    };
    let mut title: Option<&str> = None;
    for (i, block) in blocks.iter().enumerate() {
        if let BlockKind::Heading(_) = block.kind {
            flush(title, &blocks[start..i], &mut pending, &mut out);
            title = Some(&block.text);
            start = i + 1;
        }
    }
    flush(title, &blocks[start..], &mut pending, &mut out);
    if let Some(last) = pending.take() {
        match out.last_mut() {
            // A short tail joins the previous passage.
            Some(prev) if !last.body.is_empty() => {
                prev.body.push('\n');
                prev.body.push_str(&last.body);
                prev.sources.extend(last.sources);
            }
            Some(_) => {}
            None => out.push(last),
        }
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
    }

    #[test]
    fn labels() {
        assert_eq!(label_of("요약: 대규모 투자").map(|l| l.0), Some(Label::Summary));
        assert_eq!(label_of("📌 요약").map(|l| l.0), Some(Label::Summary));
        assert_eq!(label_of("Why it matters:").map(|l| l.0), Some(Label::Why));
        assert_eq!(label_of("왜 중요한가? AI 군비 경쟁").map(|l| (l.0, l.1)), Some((Label::Why, "AI 군비 경쟁")));
        assert_eq!(label_of("요약하면 이렇다").map(|l| l.0), None);
        assert_eq!(label_of("Sourcegraph raises"), None);
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
}
