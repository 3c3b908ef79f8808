//! Markdown → a flat list of top-level blocks with readable plain text and their links.
//!
//! pulldown-cmark does the parsing; this module only decides what text a reader sees:
//! emphasis markers, HTML tags (`<br>` becomes a line break) and images are dropped.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `#` … `######`.
    Heading(u8),
    Paragraph,
    List,
    Quote,
    Code,
    Table,
    /// A thematic break (`---`).
    Rule,
    Html,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Plain text; list items and lines are separated by `\n`.
    pub text: String,
    pub links: Vec<Link>,
}

/// Parses `markdown` into its top-level blocks.
pub fn blocks(markdown: &str) -> Vec<Block> {
    blocks_at(markdown, 0)
}

/// An HTML block swallows the markdown lines that follow it up to a blank line (CommonMark
/// rule 7: `<br>` then `**[🔗 원문 기사 보기](url)**`), so its text is parsed again, once.
fn blocks_at(markdown: &str, nesting: u8) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Block> = None;
    let mut link_stack: Vec<(String, String)> = Vec::new(); // (url, text so far)
    let mut image_depth = 0usize;

    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match &tag {
                        Tag::Heading { level, .. } => BlockKind::Heading(heading_level(*level)),
                        Tag::List(_) => BlockKind::List,
                        Tag::BlockQuote(_) => BlockKind::Quote,
                        Tag::CodeBlock(_) => BlockKind::Code,
                        Tag::Table(_) => BlockKind::Table,
                        Tag::HtmlBlock => BlockKind::Html,
                        _ => BlockKind::Paragraph,
                    };
                    current = Some(Block { kind, text: String::new(), links: Vec::new() });
                }
                depth += 1;
                match tag {
                    Tag::Link { dest_url, .. } => link_stack.push((dest_url.to_string(), String::new())),
                    Tag::Image { .. } => image_depth += 1,
                    Tag::Item | Tag::Paragraph | Tag::TableRow | Tag::TableHead => {
                        if let Some(b) = current.as_mut() {
                            newline(&mut b.text);
                        }
                    }
                    Tag::TableCell => push_text(&mut current, &mut link_stack, " "),
                    _ => {}
                }
            }
            Event::End(end) => {
                match end {
                    TagEnd::Link => {
                        if let Some((url, text)) = link_stack.pop() {
                            if let Some(b) = current.as_mut() {
                                b.links.push(Link { text: collapse_spaces(&text), url });
                            }
                        }
                    }
                    TagEnd::Image => image_depth = image_depth.saturating_sub(1),
                    _ => {}
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(mut b) = current.take() {
                        b.text = tidy(&b.text);
                        if b.kind == BlockKind::Html && nesting == 0 {
                            out.extend(blocks_at(&b.text, nesting + 1));
                        } else {
                            out.push(b);
                        }
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if image_depth == 0 {
                    push_text(&mut current, &mut link_stack, &t);
                }
            }
            // A line break in the source stays one: label lines ("**📌 요약**") end there.
            Event::SoftBreak => push_text(&mut current, &mut link_stack, "\n"),
            Event::HardBreak => push_text(&mut current, &mut link_stack, "\n"),
            Event::Html(html) | Event::InlineHtml(html) => {
                if depth == 0 {
                    // Raw HTML outside any block (pulldown-cmark wraps HTML blocks in a tag,
                    // so this is rare): keep its visible text.
                    let text = tidy(&html_text(&html));
                    if nesting == 0 {
                        out.extend(blocks_at(&text, nesting + 1));
                    } else {
                        out.push(Block { kind: BlockKind::Paragraph, text, links: Vec::new() });
                    }
                } else {
                    let text = html_text(&html);
                    push_text(&mut current, &mut link_stack, &text);
                }
            }
            Event::Rule => {
                if depth == 0 {
                    out.push(Block { kind: BlockKind::Rule, text: String::new(), links: Vec::new() });
                }
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => push_text(&mut current, &mut link_stack, &t),
        }
    }
    out.retain(|b| b.kind == BlockKind::Rule || !b.text.is_empty() || !b.links.is_empty());
    out
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

fn push_text(current: &mut Option<Block>, links: &mut [(String, String)], text: &str) {
    if let Some(b) = current.as_mut() {
        b.text.push_str(text);
    }
    if let Some((_, link_text)) = links.last_mut() {
        link_text.push_str(text);
    }
}

fn newline(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

/// Visible text of an HTML fragment: tags removed, `<br>`/`<p>` as line breaks, common entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
        if matches!(name, "br" | "p" | "div" | "li" | "tr") {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims each line, collapses runs of spaces and drops empty lines.
fn tidy(s: &str) -> String {
    s.lines().map(collapse_spaces).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_emphasis_and_keeps_links() {
        let b = blocks("## 1. 제목 **굵게**\n\n본문 *기울임*과 [링크 텍스트](https://example.com/a).\n\n---\n\n<br>\n**[🔗 원문 기사 보기](https://techcrunch.com/x)**\n");
        assert_eq!(b[0], Block { kind: BlockKind::Heading(2), text: "1. 제목 굵게".into(), links: vec![] });
        assert_eq!(b[1].text, "본문 기울임과 링크 텍스트.");
        assert_eq!(b[1].links, vec![Link { text: "링크 텍스트".into(), url: "https://example.com/a".into() }]);
        assert_eq!(b[2].kind, BlockKind::Rule);
        let last = b.last().unwrap();
        assert_eq!(last.text, "🔗 원문 기사 보기");
        assert_eq!(last.links[0].url, "https://techcrunch.com/x");
    }

    #[test]
    fn lists_and_quotes_are_line_separated() {
        let b = blocks("- **하나:** 첫째\n- 둘\n\n> 인용 **문장**\n");
        assert_eq!(b[0].text, "하나: 첫째\n둘");
        assert_eq!(b[1], Block { kind: BlockKind::Quote, text: "인용 문장".into(), links: vec![] });
    }
}
