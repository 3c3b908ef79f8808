//! The text of an item as the tagger reads it: title, lead and body, analysed once.

use sosik_ko::{Analyzer, Term};

use super::citations::{strip_citations, strip_trailing_reference};
use super::rules::{TOPIC_WEIGHT_BODY, TOPIC_WEIGHT_LEAD, TOPIC_WEIGHT_TITLE};
use crate::model::NewsItem;

/// Where in an item a mention sits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mentions {
    pub title: u32,
    pub lead: u32,
    pub body: u32,
    /// Order of the first mention among all mentions of the item (title first).
    pub first: u32,
}

/// The text of an item the tagger reads, split by position, with citations blanked, and
/// analysed once.
pub struct TagText {
    pub title: Part,
    /// The summary and why-it-matters parts.
    pub lead: Part,
    /// Every other line of the item.
    pub body: Part,
    /// URLs of the item's source links.
    pub source_urls: Vec<String>,
}

/// One part of an item: its text and morphemes.
pub struct Part {
    pub text: String,
    pub terms: Vec<Term>,
}

impl TagText {
    /// Splits `item` into title, lead and the rest of the body, blanks citations (see
    /// [`strip_citations`]) and analyses each part.
    pub fn of(item: &NewsItem, analyzer: &Analyzer) -> TagText {
        let lead = [item.summary.as_str(), item.why.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let lead_lines: std::collections::HashSet<&str> = lead.lines().map(str::trim).collect();
        let body = item.body.lines().filter(|l| !lead_lines.contains(l.trim())).collect::<Vec<_>>().join("\n");
        let links: Vec<(&str, &str)> = item.sources.iter().map(|s| (s.title.as_str(), s.url.as_str())).collect();
        TagText::from_parts(&item.title, &lead, &body, &links, analyzer)
    }

    /// From the parts themselves; `sources` are the item's (link text, URL) pairs.
    pub fn from_parts(title: &str, lead: &str, body: &str, sources: &[(&str, &str)], analyzer: &Analyzer) -> TagText {
        let links: Vec<&str> = sources.iter().map(|s| s.0).collect();
        let part = |text: String| Part { terms: analyzer.terms(&text), text };
        TagText {
            // a title keeps its words; only a trailing bracketed reference goes
            title: part(strip_trailing_reference(title)),
            lead: part(strip_citations(lead, &links)),
            body: part(strip_citations(body, &links)),
            source_urls: sources.iter().map(|s| s.1.to_string()).collect(),
        }
    }

    /// Characters of lead and body (the title excluded).
    pub fn text_chars(&self) -> usize {
        self.lead.text.chars().count() + self.body.text.chars().count()
    }

    pub(super) fn parts(&self) -> [(&Part, Position); 3] {
        [(&self.title, Position::Title), (&self.lead, Position::Lead), (&self.body, Position::Body)]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Position {
    Title,
    Lead,
    Body,
}

impl Position {
    pub(super) fn topic_weight(self) -> f32 {
        match self {
            Position::Title => TOPIC_WEIGHT_TITLE,
            Position::Lead => TOPIC_WEIGHT_LEAD,
            Position::Body => TOPIC_WEIGHT_BODY,
        }
    }
}

/// `https://www.arxiv.org/abs/1` → `arxiv.org/abs/1`: what a topic's `sources` prefixes match.
pub(super) fn url_key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_start_matches("www.").to_ascii_lowercase()
}
