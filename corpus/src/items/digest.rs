//! Which markers of a digest are items, and reading an item's parts (summary, why, sources).

use super::*;
use crate::markdown::{Block, BlockKind, Line, Link};

pub(super) struct Digest<'o, 'a> {
    pub(super) outline: &'o Outline<'a>,
    pub(super) story_like: Vec<bool>,
    /// Nodes with a source or label of their own or below them.
    pub(super) sourced: Vec<bool>,
    /// Ranks at which some node is a category of two or more stories.
    pub(super) category_rank: [bool; 9],
    /// Ranks at which some node is a story with no story below it.
    pub(super) leaf_rank: [bool; 9],
}

impl<'o, 'a> Digest<'o, 'a> {
    pub(super) fn new(outline: &'o Outline<'a>, structural: bool) -> Self {
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

    pub(super) fn non_item(&self, i: usize) -> bool {
        let node = &self.outline.nodes[i];
        i != 0 && (node.label || is_non_item_title(&node.title))
    }

    /// Whether a node only groups the stories below it (see the module documentation).
    pub(super) fn is_category(&self, i: usize) -> bool {
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

    pub(super) fn collect(&self, i: usize, out: &mut Vec<RawItem>) {
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
    pub(super) fn item(&self, i: usize) -> RawItem {
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
pub(super) fn is_briefs_title(title: &str) -> bool {
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
pub(super) fn briefs<'a>(content: &[(&'a Block, usize)]) -> Option<Vec<&'a Block>> {
    let bullets: Vec<&Block> = content.iter().filter(|(b, _)| b.kind == BlockKind::ListItem).map(|(b, _)| *b).collect();
    let all_bold = bullets.iter().all(|b| b.lines.first().is_some_and(|l| l.bold.is_some()));
    (bullets.len() >= 2 && all_bold).then_some(bullets)
}

pub(super) fn brief_item(block: &Block) -> RawItem {
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

pub(super) fn link_list_item(block: &Block) -> RawItem {
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

pub(super) enum Part<'a> {
    /// A block, read from the given line on.
    Block(&'a Block, usize),
    /// A sub-heading merged into an item: its text is a body line, and it ends any labelled part.
    Heading(&'a Block),
}

/// Reads an item's parts into title, summary, why, body and sources.
pub(super) fn read_item(title: &str, title_links: Vec<Link>, parts: &[Part<'_>]) -> RawItem {
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
