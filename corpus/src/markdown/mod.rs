//! Markdown → a flat list of top-level blocks, each a list of lines with readable plain text and
//! their links.
//!
//! pulldown-cmark does the parsing; this module only decides what text a reader sees:
//!
//! - emphasis markers, images and diagram code blocks (mermaid, …) are dropped; a `**bold**`
//!   run that opens a line is remembered ([`Line::bold`]) because digests use it for item titles;
//! - every item of a top-level list is its own block ([`BlockKind::ListItem`]; nested lists and
//!   paragraphs inside it become its further lines), so bullets can be items;
//! - raw HTML is turned into the markdown it stands for (`<h3><a href>` → `### [..](..)`,
//!   `<br>` → line break) and parsed again; elements whose class marks them as metadata
//!   (tags, categories, thumbnails, keyword chips, meta pills) and `<script>`/`<style>` are dropped;
//! - bare `https://…` URLs become links; entities, NBSP/hair spaces, zero-width characters and
//!   broken LLM citation markup (`(cite index="…">`) are normalised away.

mod html;

use html::{html_to_markdown, inline_html};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `#` … `######` (or `<h1>` … `<h6>`).
    Heading(u8),
    Paragraph,
    /// One item of a top-level list (its nested lists are further lines of the block).
    ListItem,
    Quote,
    Code,
    /// One line per row, cells separated by ` | `.
    Table,
    /// A thematic break (`---`).
    Rule,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// One line of a block as the reader sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Links whose text starts on this line (bare URLs included, with the URL as text).
    pub links: Vec<Link>,
    /// The text of a bold run that opens the line (`**1. 제목** (출처)` → `1. 제목`), with the
    /// bold runs right after it (`**[AI]** **제목**` → `[AI] 제목`).
    pub bold: Option<String>,
    /// A bracketed first run followed by another bold run (`**[AI]** **제목**` → `[AI]`): a
    /// category tag in front of the bold text.
    pub bold_tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Plain text: the lines joined by `\n`.
    pub text: String,
    /// Every link of the block, in order.
    pub links: Vec<Link>,
    pub lines: Vec<Line>,
}

impl Block {
    fn new(kind: BlockKind, lines: Vec<Line>) -> Block {
        Block { kind, text: String::new(), links: Vec::new(), lines }
    }
}

/// Parses `markdown` into its top-level blocks.
pub fn blocks(markdown: &str) -> Vec<Block> {
    blocks_at(markdown, 0)
}

/// Code block languages that are diagrams, not readable text.
const DIAGRAM_LANGUAGES: &[&str] = &["mermaid", "plantuml", "dot", "graphviz", "svg"];

struct Builder {
    out: Vec<Block>,
    current: Option<Block>,
    /// (url, text so far, line index where it started)
    link_stack: Vec<(String, String, usize)>,
    image_depth: usize,
    /// The bold run opening the current line is still open.
    lead_bold: bool,
    strong_depth: usize,
    skip_code: bool,
    cell_in_row: usize,
    /// An inline metadata element being skipped: (tag name, depth of same-name tags).
    skip_inline: Option<(String, usize)>,
}

impl Builder {
    fn start_block(&mut self, kind: BlockKind) {
        self.finish_block();
        self.current = Some(Block::new(kind, vec![Line::default()]));
        self.lead_bold = false;
    }

    fn finish_block(&mut self) {
        self.skip_inline = None;
        if let Some(block) = self.current.take() {
            self.out.push(tidy(block));
        }
        self.link_stack.clear();
    }

    fn line(&mut self) -> Option<&mut Line> {
        self.current.as_mut().and_then(|b| b.lines.last_mut())
    }

    fn push_text(&mut self, text: &str) {
        if self.image_depth > 0 || self.skip_code || self.skip_inline.is_some() {
            return;
        }
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.append(first);
        }
        for part in parts {
            self.newline();
            self.append(part);
        }
    }

    fn append(&mut self, text: &str) {
        if let Some(line) = self.line() {
            line.text.push_str(text);
        }
        for (_, link_text, _) in &mut self.link_stack {
            link_text.push_str(text);
        }
    }

    fn newline(&mut self) {
        self.lead_bold = false;
        if let Some(block) = self.current.as_mut() {
            if block.lines.last().is_some_and(|l| !l.text.trim().is_empty() || !l.links.is_empty()) {
                block.lines.push(Line::default());
            }
        }
    }

    fn line_index(&self) -> usize {
        self.current.as_ref().map_or(0, |b| b.lines.len().saturating_sub(1))
    }

    fn open_link(&mut self, url: String) {
        let at = self.line_index();
        self.link_stack.push((url, String::new(), at));
    }

    fn close_link(&mut self) {
        if let Some((url, text, at)) = self.link_stack.pop() {
            if let Some(block) = self.current.as_mut() {
                if let Some(line) = block.lines.get_mut(at) {
                    line.links.push(Link { text: collapse_spaces(&normalize(&text)), url });
                }
            }
        }
    }
}

/// An HTML block swallows the markdown lines that follow it up to a blank line (CommonMark
/// rule 7: `<br>` then `**[🔗 원문 기사 보기](url)**`), so its text is converted and parsed again, once.
fn blocks_at(markdown: &str, nesting: u8) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut b = Builder {
        out: Vec::new(),
        current: None,
        link_stack: Vec::new(),
        image_depth: 0,
        lead_bold: false,
        strong_depth: 0,
        skip_code: false,
        cell_in_row: 0,
        skip_inline: None,
    };
    // Element nesting depth; 0 = between top-level blocks. `list_base` is the depth of the items
    // of a top-level list (each becomes a block).
    let mut depth = 0usize;
    let mut in_top_list = false;
    let mut html = String::new();

    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    match &tag {
                        Tag::Heading { level, .. } => b.start_block(BlockKind::Heading(heading_level(*level))),
                        Tag::List(_) => in_top_list = true,
                        Tag::BlockQuote(_) => b.start_block(BlockKind::Quote),
                        Tag::CodeBlock(kind) => {
                            let lang = match kind {
                                CodeBlockKind::Fenced(info) => {
                                    info.split_whitespace().next().unwrap_or("").to_lowercase()
                                }
                                CodeBlockKind::Indented => String::new(),
                            };
                            b.skip_code = DIAGRAM_LANGUAGES.contains(&lang.as_str());
                            b.start_block(BlockKind::Code);
                        }
                        Tag::Table(_) => b.start_block(BlockKind::Table),
                        Tag::HtmlBlock => {
                            b.finish_block();
                            html.clear();
                        }
                        _ => b.start_block(BlockKind::Paragraph),
                    }
                } else if depth == 1 && in_top_list && matches!(tag, Tag::Item) {
                    b.start_block(BlockKind::ListItem);
                }
                depth += 1;
                match tag {
                    Tag::Link { dest_url, .. } => b.open_link(dest_url.to_string()),
                    Tag::Image { .. } => b.image_depth += 1,
                    Tag::Strong => {
                        // a bold run at the start of a line, or right after such a run
                        // ("**[AI]** **제목**" is one bold lead)
                        let at_line_start = b.line().is_some_and(|l| match &l.bold {
                            None => l.text.trim().is_empty(),
                            Some(bold) => l.text.starts_with(bold.as_str()) && l.text[bold.len()..].trim().is_empty(),
                        });
                        if let Some(line) = b.line() {
                            let tag =
                                line.bold.as_ref().map(|t| t.trim()).filter(|t| t.starts_with('[') && t.ends_with(']'));
                            if at_line_start && line.bold_tag.is_none() {
                                line.bold_tag = tag.map(str::to_string);
                            }
                        }
                        if b.strong_depth == 0 && at_line_start {
                            b.lead_bold = true;
                        }
                        b.strong_depth += 1;
                    }
                    Tag::Item | Tag::Paragraph | Tag::TableHead | Tag::TableRow => {
                        b.newline();
                        b.cell_in_row = 0;
                    }
                    Tag::TableCell => {
                        if b.cell_in_row > 0 {
                            b.append(" | ");
                        }
                        b.cell_in_row += 1;
                    }
                    _ => {}
                }
            }
            Event::End(end) => {
                match end {
                    TagEnd::Link => b.close_link(),
                    TagEnd::Image => b.image_depth = b.image_depth.saturating_sub(1),
                    TagEnd::Strong => {
                        b.strong_depth = b.strong_depth.saturating_sub(1);
                        if b.strong_depth == 0 && b.lead_bold {
                            b.lead_bold = false;
                            if let Some(line) = b.line() {
                                line.bold = Some(line.text.clone());
                            }
                        }
                    }
                    TagEnd::CodeBlock => b.skip_code = false,
                    _ => {}
                }
                depth = depth.saturating_sub(1);
                match end {
                    TagEnd::HtmlBlock if depth == 0 => {
                        let converted = html_to_markdown(&html);
                        if nesting == 0 {
                            b.out.extend(blocks_at(&converted, nesting + 1));
                        } else {
                            b.start_block(BlockKind::Paragraph);
                            b.push_text(&converted);
                            b.finish_block();
                        }
                        html.clear();
                    }
                    TagEnd::Item if depth == 1 && in_top_list => b.finish_block(),
                    TagEnd::List(_) if depth == 0 => in_top_list = false,
                    _ if depth == 0 => b.finish_block(),
                    _ => {}
                }
            }
            Event::Text(t) | Event::Code(t) => b.push_text(&t),
            // A line break in the source stays one: label lines ("**📌 요약**") end there.
            Event::SoftBreak | Event::HardBreak => b.push_text("\n"),
            Event::Html(h) => {
                if depth > 0 && b.current.is_none() {
                    html.push_str(&h);
                } else {
                    inline_html(&mut b, &h);
                }
            }
            Event::InlineHtml(h) => {
                if depth == 0 {
                    html.push_str(&h);
                } else {
                    inline_html(&mut b, &h);
                }
            }
            Event::Rule => {
                if depth == 0 {
                    b.finish_block();
                    b.out.push(Block::new(BlockKind::Rule, Vec::new()));
                }
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => b.push_text(&t),
        }
    }
    b.finish_block();
    if !html.trim().is_empty() {
        let converted = html_to_markdown(&html);
        if nesting == 0 {
            b.out.extend(blocks_at(&converted, nesting + 1));
        }
    }
    b.out.retain(|block| block.kind == BlockKind::Rule || !block.lines.is_empty());
    b.out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Invisible and odd-width characters → plain spaces (or nothing); broken citation markup removed.
fn normalize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter_map(|c| match c {
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => Some(' '),
            '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
            c => Some(c),
        })
        .collect();
    // `(cite index="4-1">` left over from LLM-generated citations
    while let Some(p) = out.find("(cite index=") {
        let end = out[p..].find('>').map_or(out.len(), |e| p + e + 1);
        out.replace_range(p..end, "");
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Emphasis markers CommonMark leaves as text next to Hangul (`**굵게**이` is not emphasis
/// because the closing run is followed by a letter): `**` always, and `*` pairs around text
/// (`*강조*이`; a lone `2 * 3` stays).
fn strip_stray_emphasis(s: &str) -> String {
    let s = if s.contains("**") { s.replace("**", "") } else { s.to_string() };
    if !s.contains('*') {
        return s;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut drop = vec![false; chars.len()];
    let mut open: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        if c != '*' {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match open {
            Some(o) if prev.is_some_and(|p| !p.is_whitespace()) => {
                drop[o] = true;
                drop[i] = true;
                open = None;
            }
            _ if next.is_some_and(|n| !n.is_whitespace()) && prev.is_none_or(|p| !p.is_alphanumeric()) => {
                open = Some(i)
            }
            _ => {}
        }
    }
    chars.iter().zip(drop).filter(|(_, d)| !d).map(|(c, _)| *c).collect()
}

/// Normalises and trims each line, drops empty ones, finds bare URLs.
fn tidy(mut block: Block) -> Block {
    let mut lines = Vec::with_capacity(block.lines.len());
    let prose = block.kind != BlockKind::Code;
    let clean = |s: &str| {
        let s = collapse_spaces(&normalize(s));
        if prose {
            collapse_spaces(&strip_stray_emphasis(&s))
        } else {
            s
        }
    };
    for mut line in block.lines.drain(..) {
        line.text = clean(&line.text);
        for link in &mut line.links {
            link.text = clean(&link.text);
        }
        line.bold = line.bold.map(|b| clean(&b)).filter(|b| !b.is_empty() && line.text.starts_with(b.as_str()));
        line.bold_tag = line
            .bold_tag
            .map(|t| clean(&t))
            .filter(|t| line.bold.as_deref().is_some_and(|b| b.starts_with(t.as_str())));
        line.links.retain(|l| !l.url.is_empty());
        for url in bare_urls(&line.text) {
            if !line.links.iter().any(|l| l.url == url) {
                line.links.push(Link { text: url.clone(), url });
            }
        }
        if line.text.is_empty() {
            continue;
        }
        lines.push(line);
    }
    block.text = lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
    block.links = lines.iter().flat_map(|l| l.links.iter().cloned()).collect();
    block.lines = lines;
    block
}

/// `http(s)://…` runs in plain text (trailing punctuation excluded).
fn bare_urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(p) = rest.find("http") {
        let candidate = &rest[p..];
        if candidate.starts_with("https://") || candidate.starts_with("http://") {
            let end =
                candidate.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(candidate.len());
            let url = candidate[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '}', '\'', '!', '?', '…']);
            if url.len() > "https://".len() + 3 {
                out.push(url.to_string());
            }
            rest = &candidate[end.max(4)..];
        } else {
            rest = &candidate[4..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks.iter().map(|b| b.text.clone()).collect()
    }

    #[test]
    fn strips_emphasis_and_keeps_links() {
        let b = blocks("## 1. 제목 **굵게**\n\n본문 *기울임*과 [링크 텍스트](https://example.com/a).\n\n---\n\n<br>\n**[🔗 원문 기사 보기](https://techcrunch.com/x)**\n");
        assert_eq!(b[0].kind, BlockKind::Heading(2));
        assert_eq!(b[0].text, "1. 제목 굵게");
        assert_eq!(b[1].text, "본문 기울임과 링크 텍스트.");
        assert_eq!(b[1].links, vec![Link { text: "링크 텍스트".into(), url: "https://example.com/a".into() }]);
        assert_eq!(b[2].kind, BlockKind::Rule);
        let last = b.last().unwrap();
        assert_eq!(last.text, "🔗 원문 기사 보기");
        assert_eq!(last.lines[0].bold.as_deref(), Some("🔗 원문 기사 보기"));
        assert_eq!(last.lines[0].links[0].url, "https://techcrunch.com/x");
    }

    #[test]
    fn list_items_are_blocks_and_quotes_lines() {
        let b = blocks("- **하나:** 첫째\n- 둘\n  - 둘의 하위\n\n> 인용 **문장**\n");
        assert_eq!(texts(&b), vec!["하나: 첫째", "둘\n둘의 하위", "인용 문장"]);
        assert_eq!(b[0].kind, BlockKind::ListItem);
        assert_eq!(b[0].lines[0].bold.as_deref(), Some("하나:"));
        assert_eq!(b[2].kind, BlockKind::Quote);
    }

    #[test]
    fn bold_only_counts_at_line_start() {
        let b = blocks("앞 **가운데** 뒤\n**1. 제목** (출처)\n본문\n\n**[AI]** **두 덩이** 제목");
        assert_eq!(b[0].lines.len(), 3);
        assert_eq!(b[0].lines[0].bold, None);
        assert_eq!(b[0].lines[1].bold.as_deref(), Some("1. 제목"));
        assert_eq!(b[0].lines[2].bold, None);
        assert_eq!(b[1].lines[0].bold.as_deref(), Some("[AI] 두 덩이"));
        assert_eq!(b[1].lines[0].bold_tag.as_deref(), Some("[AI]"));
    }

    #[test]
    fn html_items_become_headings_without_metadata() {
        let md = "<div class=\"digest-item\" markdown=\"1\">\n\n<h3><a href=\"https://arxiv.org/abs/1\" target=\"_blank\">논문 제목</a></h3>\n\n<div class=\"categories\">\n<span class=\"category-tag\"><i data-lucide=\"brain\"></i> 모델</span>\n</div>\n\n본문 &amp; 설명.\n\n<div class=\"item-meta\">\n\n<span class=\"meta-pill meta-hf\"><i data-lucide=\"thumbs-up\"></i> 196</span> \n\n</div>\n\n</div>\n";
        let b = blocks(md);
        assert_eq!(texts(&b), vec!["논문 제목", "본문 & 설명."]);
        assert_eq!(b[0].kind, BlockKind::Heading(3));
        assert_eq!(b[0].lines[0].links[0].url, "https://arxiv.org/abs/1");
    }

    #[test]
    fn diagrams_dropped_tables_and_bare_urls_kept() {
        let md =
            "```mermaid\ngraph TD\nA-->B\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- 링크: https://example.com/x.\n";
        let b = blocks(md);
        assert_eq!(texts(&b), vec!["a | b\n1 | 2", "링크: https://example.com/x."]);
        assert_eq!(b[1].lines[0].links[0].url, "https://example.com/x");
    }

    #[test]
    fn stray_emphasis_next_to_hangul_is_removed() {
        let b = blocks("대신 **\"역인수합병\"**이라는 전략과 *확산 생성(diffusion)*이 있다. 2 * 3 = 6\n");
        assert_eq!(b[0].text, "대신 \"역인수합병\"이라는 전략과 확산 생성(diffusion)이 있다. 2 * 3 = 6");
    }

    #[test]
    fn less_than_signs_in_html_are_text() {
        let b = blocks("<h3><a href=\"https://a.io/x\">Model with <1 GB VRAM</a></h3>\n\n<div class=\"digest-thumb\">\n<img src=\"x.png\" alt=\"a > b\">\n</div>\n");
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].text, "Model with <1 GB VRAM");
        assert_eq!(b[0].links[0].url, "https://a.io/x");
    }

    #[test]
    fn odd_characters_and_citations_are_normalised() {
        let b = blocks("가\u{00A0}나\u{200A}다\u{200B}라 (cite index=\"4-1\">인용된 문장</cite>.\n");
        assert_eq!(b[0].text, "가 나 다라 인용된 문장.");
    }
}
