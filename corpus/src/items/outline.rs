//! A post as an outline of markers (headings, bold titles, bold list items), and whether it
//! reads as a digest or an essay.

use super::*;
use crate::markdown::{Block, BlockKind, Link};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MarkerKind {
    Heading,
    Bold,
}

pub(super) struct Node<'a> {
    /// 0 for the root, 1–6 headings, 7 bold paragraphs, 8 bold list items.
    pub(super) rank: u8,
    pub(super) kind: MarkerKind,
    pub(super) title: String,
    /// The marker block (for its links and, for bold markers, its full first line).
    pub(super) marker: Option<&'a Block>,
    /// Content blocks with the index of their first line to read.
    pub(super) content: Vec<(&'a Block, usize)>,
    pub(super) children: Vec<usize>,
    /// A heading that is a part label at the level of the stories ("## 핵심 요약").
    pub(super) label: bool,
}

impl Node<'_> {
    pub(super) fn title_links(&self) -> Vec<Link> {
        match (self.kind, self.marker) {
            (MarkerKind::Heading, Some(b)) => b.links.clone(),
            (MarkerKind::Bold, Some(b)) => b.lines.first().map(|l| l.links.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The node's own evidence of being a story: a source link or a summary/why label.
    pub(super) fn evidence(&self) -> bool {
        self.title_links().iter().any(|l| is_external(&l.url))
            || self.content.iter().any(|(b, from)| {
                b.lines[*from..].iter().any(|l| {
                    l.links.iter().any(|k| is_external(&k.url))
                        || line_label(l, matches!(b.kind, BlockKind::Heading(_)))
                            .is_some_and(|(label, _)| matches!(label, Label::Summary | Label::Why))
                })
            })
    }

    pub(super) fn labelled(&self) -> bool {
        self.content.iter().any(|(b, from)| {
            b.lines[*from..].iter().any(|l| {
                line_label(l, matches!(b.kind, BlockKind::Heading(_)))
                    .is_some_and(|(label, _)| matches!(label, Label::Summary | Label::Why))
            })
        })
    }
}

pub(super) struct Outline<'a> {
    pub(super) nodes: Vec<Node<'a>>,
}

pub(super) fn marker_of(block: &Block) -> Option<(u8, MarkerKind, String)> {
    match block.kind {
        BlockKind::Heading(level) => Some((level, MarkerKind::Heading, block.text.replace('\n', " "))),
        BlockKind::Paragraph => title_line(block.lines.first()?).map(|t| (7, MarkerKind::Bold, t.to_string())),
        BlockKind::ListItem => title_line(block.lines.first()?).map(|t| (8, MarkerKind::Bold, t.to_string())),
        _ => None,
    }
}

impl<'a> Outline<'a> {
    pub(super) fn build(blocks: &'a [Block]) -> Outline<'a> {
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
    pub(super) fn text_chars(&self, i: usize) -> usize {
        let node = &self.nodes[i];
        let own: usize = node
            .content
            .iter()
            .map(|(b, from)| b.lines[*from..].iter().map(|l| l.text.chars().count()).sum::<usize>())
            .sum();
        own + node.children.iter().map(|&c| self.text_chars(c)).sum::<usize>()
    }

    /// How the post is read (see the module documentation).
    pub(super) fn mode(&self, news_title: bool) -> Mode {
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
pub(super) enum Mode {
    Essay,
    /// `structural`: the stories carry no sources or labels, so a heading section with text and
    /// no sub-sections counts as a story.
    Digest {
        structural: bool,
    },
}

/// The number of a story heading: "1. ", "### ## 2) ", "3번. " (outline numbers such as "2.1"
/// are not story numbers).
pub(super) fn story_number(title: &str) -> Option<u32> {
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
pub(super) fn numbered_series_rank(blocks: &[Block]) -> Option<u8> {
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
pub(super) fn link_list<'a>(content: &[(&'a Block, usize)]) -> Option<Vec<&'a Block>> {
    let first = content.iter().position(|(b, _)| b.kind == BlockKind::ListItem)?;
    let last = content.iter().rposition(|(b, _)| b.kind == BlockKind::ListItem)?;
    let items: Vec<&Block> = content[first..=last].iter().map(|(b, _)| *b).collect();
    let all_links = items.len() >= 2 && items.iter().all(|b| list_entry(b).is_some());
    let short_intro = content[..first].iter().map(|(b, _)| b.text.chars().count()).sum::<usize>() < 100;
    (all_links && short_intro).then_some(items)
}
