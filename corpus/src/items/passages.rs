//! Essays and unknown layouts: one passage per heading section.

use super::*;
use crate::markdown::{Block, BlockKind};

/// Minimum characters a passage needs before it stands alone.
pub(super) const MIN_PASSAGE_CHARS: usize = 120;

/// Essays and unknown layouts: one passage per heading section. A too-short section (a link-only
/// "관련글", a heading whose text is one line before its sub-headings) is folded into the next;
/// a short tail joins the previous passage. Tables of contents are dropped.
pub(super) fn passages(blocks: &[Block]) -> Vec<RawItem> {
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
