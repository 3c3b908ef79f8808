//! The editable company and topic lists (`data/companies.toml`, `data/topics.toml`) and the
//! tagger built from them.
//!
//! **Matching** happens on lindera morphemes, not raw substrings: an alias or keyword is
//! analysed into its term sequence and must occur as consecutive terms in the item. Particles
//! never block a match (앤트로픽은 → 앤트로픽); a Hangul name must be a word of its own (메타버스,
//! which lindera splits into 메타+버스, is not Meta; a Latin suffix is fine: 삼성SDS); the
//! longest match wins across all entries (SK하이닉스 → sk-hynix, not sk); short all-capital
//! aliases are case-sensitive (MS ≠ ms); a name inside a file or package name (llama.cpp) is not
//! a mention. Every single-word Hangul alias and keyword enters lindera's user dictionary so
//! that tokenisation and tagging agree.
//!
//! **Where** a mention sits matters: an item is read as title, lead (summary and why it
//! matters) and the rest of the body, and citations are blanked first ([`strip_citations`]):
//! a company named only as a source or publisher is not tagged.
//!
//! **Companies** ([`Tagger::companies`]): named in the title or lead → tagged; named only in
//! the body → tagged in a short item, but a long text (an essay, or the passages of an essay
//! post read together, [`Tagger::tag_items`]) needs [`ESSAY_MIN_MENTIONS`] mentions. Parents
//! are not added for children.
//!
//! **Topics** ([`Tagger::topics`], [`topic_decision`]): keyword evidence weighted by position
//! (title 2, lead 1, body 0.5 per distinct keyword; topic `companies` and `sources` count like
//! keywords) decides alone at 2 points; weaker keyword evidence needs the item's embedding to
//! stand out toward the topic's description (z-score of the cosine among all topics ≥
//! [`TOPIC_SUPPORT_Z`]); no keyword, no topic. `sosik-indexer eval-tagging` measures all this
//! against hand labels (see `tests/fixtures/labels/`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sosik_embed::{Embedder, EmbeddingCache};
use sosik_ko::{Analyzer, Term, UserWord};

use crate::error::IndexerError;
use crate::model::NewsItem;

/// The lists compiled into the binaries: `data/companies.toml` and `data/topics.toml`.
pub const DEFAULT_COMPANIES: &str = include_str!("../../data/companies.toml");
pub const DEFAULT_TOPICS: &str = include_str!("../../data/topics.toml");

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub slug: String,
    pub name_ko: String,
    pub name_en: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Companies (slugs) whose mention counts like a keyword (네이버 → korea-ai).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub companies: Vec<String>,
    /// Source-link prefixes (host and optional path, no scheme or `www.`) that mark an item as
    /// belonging to the topic (arxiv.org → research).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    #[serde(rename = "company", default)]
    pub companies: Vec<Company>,
    #[serde(rename = "topic", default)]
    pub topics: Vec<Topic>,
}

impl Catalog {
    /// The lists compiled into the binary.
    pub fn builtin() -> Result<Catalog, IndexerError> {
        Catalog::from_toml(
            DEFAULT_COMPANIES,
            "data/companies.toml (built in)",
            DEFAULT_TOPICS,
            "data/topics.toml (built in)",
        )
    }

    /// Reads both lists from files.
    pub fn load(companies: &Path, topics: &Path) -> Result<Catalog, IndexerError> {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| IndexerError::Io { path: p.to_path_buf(), source: e });
        Catalog::from_toml(
            &read(companies)?,
            &companies.display().to_string(),
            &read(topics)?,
            &topics.display().to_string(),
        )
    }

    fn from_toml(
        companies: &str,
        companies_name: &str,
        topics: &str,
        topics_name: &str,
    ) -> Result<Catalog, IndexerError> {
        let bad =
            |file: &str, e: toml::de::Error| IndexerError::Catalog { file: file.to_string(), reason: e.to_string() };
        let c: Catalog = toml::from_str(companies).map_err(|e| bad(companies_name, e))?;
        let t: Catalog = toml::from_str(topics).map_err(|e| bad(topics_name, e))?;
        let catalog = Catalog { companies: c.companies, topics: t.topics };
        catalog.validate(companies_name, topics_name)?;
        Ok(catalog)
    }

    fn validate(&self, companies_name: &str, topics_name: &str) -> Result<(), IndexerError> {
        let slug_ok =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let mut seen = std::collections::HashSet::new();
        for c in &self.companies {
            if !slug_ok(&c.slug) || !seen.insert(c.slug.as_str()) {
                return Err(IndexerError::Catalog {
                    file: companies_name.into(),
                    reason: format!("company slug {:?} is not unique lowercase ascii/digits/hyphens", c.slug),
                });
            }
        }
        let companies = seen.clone();
        seen.clear();
        for t in &self.topics {
            if let Some(unknown) = t.companies.iter().find(|c| !companies.contains(c.as_str())) {
                return Err(IndexerError::Catalog {
                    file: topics_name.into(),
                    reason: format!("topic {:?} lists unknown company {unknown:?}", t.slug),
                });
            }
            if !slug_ok(&t.slug) || !seen.insert(t.slug.as_str()) {
                return Err(IndexerError::Catalog {
                    file: topics_name.into(),
                    reason: format!("topic slug {:?} is not unique lowercase ascii/digits/hyphens", t.slug),
                });
            }
        }
        Ok(())
    }

    /// Words lindera must keep whole: single-word Hangul names and keywords.
    pub fn user_words(&self) -> Vec<UserWord> {
        let has_hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        let single = |s: &&String| !s.trim().contains(char::is_whitespace) && has_hangul(s) && !s.contains([',', '"']);
        let mut words = Vec::new();
        for c in &self.companies {
            words.extend(c.aliases.iter().chain(&c.products).filter(single).map(|s| UserWord::proper(s.trim())));
        }
        for t in &self.topics {
            words.extend(t.keywords.iter().filter(single).map(|s| UserWord::common(s.trim())));
        }
        words
    }
}

/// One alias or keyword as a morpheme sequence.
type Pattern = Vec<String>;

/// A pattern with what matching it requires beyond equal morphemes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    terms: Pattern,
    owner: usize,
    /// `tight[i]`: the written alias has nothing but spaces/punctuation between term i and i+1
    /// ("Claude Code"), so the text must not have a particle there either ("Claude의 Code" is
    /// not the phrase). An alias written with a particle ("모델을 출시") allows one.
    tight: Vec<bool>,
    /// All-capital Latin aliases of up to 4 characters (MS, LG, SK, AMD, TPU) are matched
    /// case-sensitively: the text must spell exactly this.
    exact: Option<String>,
}

/// A match: owner, first term index and number of terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hit {
    owner: usize,
    start: usize,
    len: usize,
}

fn is_short_capitals(alias: &str) -> bool {
    let a = alias.trim();
    (2..=4).contains(&a.chars().count())
        && a.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && a.chars().any(|c| c.is_ascii_uppercase())
}

fn index_patterns(analyzer: &Analyzer, entries: impl Iterator<Item = (usize, String)>) -> HashMap<String, Vec<Entry>> {
    let mut map: HashMap<String, Vec<Entry>> = HashMap::new();
    for (owner, text) in entries {
        let text = text.trim();
        let exact = is_short_capitals(text).then(|| text.to_string());
        // lindera may split a name differently when a particle follows it (스페이스X alone is
        // one word, 스페이스X에 is 스페이스+x+에): register the name as analysed on its own, and
        // as analysed before common particles when those terms cover exactly the name.
        let mut variants: Vec<Vec<Term>> = vec![analyzer.terms(text)];
        for suffix in ["에", "는", "를", "의"] {
            let analysed = analyzer.terms(&format!("{text}{suffix}"));
            let terms: Vec<Term> = analysed.into_iter().filter(|t| t.byte_start < text.len()).collect();
            if terms.last().is_some_and(|t| t.byte_end == text.len()) && !variants.contains(&terms) {
                variants.push(terms);
            }
        }
        variants.retain(|v| !v.is_empty());
        for terms in variants {
            let tight = terms
                .windows(2)
                .map(|w| !text[w[0].byte_end..w[1].byte_start].chars().any(char::is_alphanumeric))
                .collect();
            let entry =
                Entry { terms: terms.iter().map(|t| t.text.clone()).collect(), owner, tight, exact: exact.clone() };
            map.entry(terms[0].text.clone()).or_default().push(entry);
        }
    }
    for list in map.values_mut() {
        // longest first; among equals, the stricter (exact-case) spelling first
        list.sort_by(|a, b| b.terms.len().cmp(&a.terms.len()).then(b.exact.is_some().cmp(&a.exact.is_some())));
        list.dedup();
    }
    map
}

/// Finds every non-overlapping longest match in `terms` (plain strings: query expansion).
fn find_plain(patterns: &HashMap<String, Vec<Entry>>, terms: &[String]) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let hit = patterns.get(&terms[i]).and_then(|cands| {
            cands.iter().find(|e| terms.len() - i >= e.terms.len() && terms[i..i + e.terms.len()] == e.terms[..])
        });
        match hit {
            Some(e) => {
                out.push(Hit { owner: e.owner, start: i, len: e.terms.len() });
                i += e.terms.len();
            }
            None => i += 1,
        }
    }
    out
}

/// Top-level domains after which `name.tld` still names the company's service (github.com).
const WEB_DOMAINS: &[&str] = &["com", "ai", "io", "co", "org", "net", "dev", "app", "kr"];

/// Finds every non-overlapping longest match of `patterns` in `terms`, the analysis of `text`.
/// Beyond equal morphemes a match must respect the entry's spacing and case rules, and must not
/// be part of an identifier: a name directly followed by `.` and a word (llama.cpp, next.js) is
/// a file or package name — unless the word is a web domain (github.com is GitHub's service) —
/// and a name preceded by `.` or `@` is part of a host or handle.
fn find(patterns: &HashMap<String, Vec<Entry>>, text: &str, terms: &[Term]) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let fits = |e: &Entry| {
            let n = e.terms.len();
            if terms.len() - i < n || !terms[i..i + n].iter().zip(&e.terms).all(|(t, p)| &t.text == p) {
                return false;
            }
            let (start, end) = (terms[i].byte_start, terms[i + n - 1].byte_end);
            for (k, tight) in e.tight.iter().enumerate() {
                let gap = &text[terms[i + k].byte_end..terms[i + k + 1].byte_start];
                if *tight && gap.chars().any(char::is_alphanumeric) {
                    return false;
                }
            }
            // A Hangul name must be a word of its own: no Hangul right before it, and no content
            // morpheme glued after it (메타가 matches; 메타버스, split 메타+버스, does not).
            let hangul = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
            if text[start..].chars().next().is_some_and(hangul) && text[..start].chars().next_back().is_some_and(hangul)
            {
                return false;
            }
            if text[..end].chars().next_back().is_some_and(hangul)
                && terms.get(i + n).is_some_and(|t| t.byte_start == end && t.text.chars().next().is_some_and(hangul))
            {
                return false;
            }
            if let Some(exact) = &e.exact {
                if &text[start..end] != exact {
                    return false;
                }
            }
            if let Some(rest) = text[end..].strip_prefix('.') {
                let word: String = rest.chars().take_while(char::is_ascii_alphanumeric).collect();
                if !word.is_empty() && !WEB_DOMAINS.contains(&word.to_ascii_lowercase().as_str()) {
                    return false;
                }
            }
            !matches!(text[..start].chars().next_back(), Some('.' | '@'))
        };
        match patterns.get(&terms[i].text).and_then(|cands| cands.iter().find(|e| fits(e))) {
            Some(e) => {
                out.push(Hit { owner: e.owner, start: i, len: e.terms.len() });
                i += e.terms.len();
            }
            None => i += 1,
        }
    }
    out
}

/// Line openings that mark a citation rather than content ("Source:", "→ 원문:", "보강:").
const CITATION_LABELS: &[&str] = &[
    "source",
    "sources",
    "source url",
    "출처",
    "원문",
    "원문 기사",
    "링크",
    "관련 링크",
    "참고",
    "참고 자료",
    "보강",
    "교차확인",
    "via",
    "read more",
    "reference",
    "references",
];

/// Blanks the parts of `text` that cite rather than report, so a company named only as a
/// source is not tagged: lines that start with a citation label, the text of the item's source
/// links (`link_texts`) wherever it occurs with a parenthesised publisher right after it
/// ("Source URL (Google Developers Blog)"), and a trailing parenthesis holding a bracketed
/// reference ("… ([Reddit / Hugging Face])"). Blanked text becomes spaces, so nothing joins.
pub fn strip_citations(text: &str, link_texts: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let core = line.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        let is_citation = CITATION_LABELS.iter().any(|label| {
            core.strip_prefix(label).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        });
        if is_citation {
            out.extend(line.chars().map(|_| ' '));
            continue;
        }
        let mut blank = vec![false; line.len()];
        for t in link_texts.iter().map(|t| t.trim()).filter(|t| t.chars().count() >= 4) {
            let mut from = 0;
            while let Some(p) = line[from..].find(t) {
                let (s, mut e) = (from + p, from + p + t.len());
                blank[s..e].iter_mut().for_each(|b| *b = true);
                // a publisher in parentheses right after the link
                let rest = &line[e..];
                let ws = rest.len() - rest.trim_start().len();
                if rest[ws..].starts_with('(') {
                    if let Some(close) = rest[ws..].find(')') {
                        e += ws + close + 1;
                        blank[s..e].iter_mut().for_each(|b| *b = true);
                    }
                }
                from = e;
            }
        }
        if let Some(range) = trailing_reference(line) {
            blank[range].iter_mut().for_each(|b| *b = true);
        }
        for (i, c) in line.char_indices() {
            out.push(if blank[i] { ' ' } else { c });
        }
    }
    out
}

/// The byte range of a trailing "([Reddit / Hugging Face])" on a line.
fn trailing_reference(line: &str) -> Option<std::ops::Range<usize>> {
    let trimmed = line.trim_end();
    if !trimmed.ends_with("])") {
        return None;
    }
    trimmed.rfind("([").map(|open| open..trimmed.len())
}

/// A title with a trailing bracketed reference blanked (the rest of a title is never a
/// citation).
fn strip_trailing_reference(title: &str) -> String {
    let mut out = title.to_string();
    if let Some(range) = trailing_reference(title) {
        out.replace_range(range.clone(), &" ".repeat(range.len()));
    }
    out
}

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

    fn parts(&self) -> [(&Part, Position); 3] {
        [(&self.title, Position::Title), (&self.lead, Position::Lead), (&self.body, Position::Body)]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    Title,
    Lead,
    Body,
}

impl Position {
    fn topic_weight(self) -> f32 {
        match self {
            Position::Title => TOPIC_WEIGHT_TITLE,
            Position::Lead => TOPIC_WEIGHT_LEAD,
            Position::Body => TOPIC_WEIGHT_BODY,
        }
    }
}

/// `https://www.arxiv.org/abs/1` → `arxiv.org/abs/1`: what a topic's `sources` prefixes match.
fn url_key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_start_matches("www.").to_ascii_lowercase()
}

/// An item is "long" (an essay passage or an essay, not a digest entry) above this many
/// characters of lead and body. Digest entries in the dev corpus are mostly 200–1,200.
pub const LONG_ITEM_CHARS: usize = 1_500;

/// In an essay (a long item, or the passages of an essay post together) a company named in
/// no title or lead needs this many mentions to count as discussed rather than passing.
pub const ESSAY_MIN_MENTIONS: u32 = 3;

/// A post is an essay split into passages when it has at least this many items and at least
/// [`ESSAY_PASSAGE_SHARE`] of them have neither a lead (summary / why it matters) nor a source
/// link: a news item cites its source, a section of an essay does not.
pub const ESSAY_MIN_ITEMS: usize = 3;
pub const ESSAY_PASSAGE_SHARE: f32 = 0.8;

/// A topic of an essay passage is kept only if at least this share of the essay's passages
/// (and at least two) are tagged with it: an essay has a few themes, and a topic that one
/// passage out of twenty touches is a digression.
pub const ESSAY_TOPIC_SHARE: f32 = 0.15;

/// Topic keyword weights by position and the score a topic needs from keywords alone.
pub const TOPIC_WEIGHT_TITLE: f32 = 2.0;
pub const TOPIC_WEIGHT_LEAD: f32 = 1.0;
pub const TOPIC_WEIGHT_BODY: f32 = 0.5;
pub const TOPIC_KEYWORD_THRESHOLD: f32 = 2.0;

/// Topic description embeddings, one per topic in catalog order ("passage: " side, like the
/// items, so item–topic cosines compare two documents).
#[derive(Clone, Debug)]
pub struct TopicVectors {
    pub vectors: Vec<Vec<f32>>,
}

impl TopicVectors {
    /// The text embedded for a topic: its names and description.
    pub fn text(topic: &Topic) -> String {
        format!("{} ({}): {}", topic.name_ko, topic.name_en, topic.description)
    }

    /// Embeds every topic's [`TopicVectors::text`] through the embedding cache (each text is
    /// embedded once per machine, then read from the cache).
    pub fn embed(
        catalog: &Catalog,
        embedder: &Embedder,
        cache: &mut EmbeddingCache,
    ) -> Result<TopicVectors, IndexerError> {
        let texts: Vec<String> = catalog.topics.iter().map(TopicVectors::text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (vectors, _) = cache.embed_passages_cached(embedder, &refs, |_, _| {})?;
        Ok(TopicVectors { vectors })
    }

    /// Cosines of `item` with every topic, and their z-scores among the topics.
    pub fn scores(&self, item: &[f32]) -> Vec<(f32, f32)> {
        let cos: Vec<f32> = self.vectors.iter().map(|t| sosik_embed::cosine(t, item)).collect();
        let n = cos.len().max(1) as f32;
        let mean = cos.iter().sum::<f32>() / n;
        let sd = (cos.iter().map(|c| (c - mean).powi(2)).sum::<f32>() / n).sqrt().max(1e-6);
        cos.iter().map(|&c| (c, (c - mean) / sd)).collect()
    }
}

/// Tags items with companies and topics; also expands queries with company aliases.
pub struct Tagger {
    analyzer: Analyzer,
    /// first term → entries, longest first.
    companies: HashMap<String, Vec<Entry>>,
    topics: HashMap<String, Vec<Entry>>,
    company_slugs: Vec<String>,
    topic_slugs: Vec<String>,
    /// Every alias and product pattern of each company (for query expansion).
    company_patterns: Vec<Vec<Pattern>>,
    /// company index → topics its mention counts toward.
    company_topics: Vec<Vec<usize>>,
    /// (source URL prefix, topic index).
    topic_sources: Vec<(String, usize)>,
}

impl Tagger {
    pub fn new(catalog: &Catalog, analyzer: &Analyzer) -> Tagger {
        let company_entries = catalog
            .companies
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.aliases.iter().chain(&c.products).map(move |a| (i, a.clone())));
        let companies = index_patterns(analyzer, company_entries);
        let topic_entries =
            catalog.topics.iter().enumerate().flat_map(|(i, t)| t.keywords.iter().map(move |k| (i, k.clone())));
        let topics = index_patterns(analyzer, topic_entries);
        let company_patterns = catalog
            .companies
            .iter()
            .map(|c| {
                let mut ps: Vec<Pattern> = c
                    .aliases
                    .iter()
                    .chain(&c.products)
                    .map(|a| analyzer.terms(a).into_iter().map(|t| t.text).collect::<Pattern>())
                    .filter(|p| !p.is_empty())
                    .collect();
                ps.sort();
                ps.dedup();
                ps
            })
            .collect();
        Tagger {
            analyzer: analyzer.clone(),
            companies,
            topics,
            company_slugs: catalog.companies.iter().map(|c| c.slug.clone()).collect(),
            topic_slugs: catalog.topics.iter().map(|t| t.slug.clone()).collect(),
            company_patterns,
            company_topics: catalog
                .companies
                .iter()
                .map(|c| {
                    let topics = catalog.topics.iter().enumerate();
                    topics.filter(|(_, t)| t.companies.contains(&c.slug)).map(|(i, _)| i).collect()
                })
                .collect(),
            topic_sources: catalog
                .topics
                .iter()
                .enumerate()
                .flat_map(|(i, t)| t.sources.iter().map(move |p| (url_key(p), i)))
                .collect(),
        }
    }

    pub fn topic_slugs(&self) -> &[String] {
        &self.topic_slugs
    }

    /// Company mentions by position: company index → counts.
    pub fn company_mentions(&self, text: &TagText) -> BTreeMap<usize, Mentions> {
        let mut m: BTreeMap<usize, Mentions> = BTreeMap::new();
        let mut order = 0;
        for (part, position) in text.parts() {
            for hit in find(&self.companies, &part.text, &part.terms) {
                let e = m.entry(hit.owner).or_insert(Mentions { first: order, ..Default::default() });
                order += 1;
                match position {
                    Position::Title => e.title += 1,
                    Position::Lead => e.lead += 1,
                    Position::Body => e.body += 1,
                }
            }
        }
        m
    }

    /// Companies an item is about or names as an actor, strongest first:
    /// - named in the title or the lead (summary / why it matters): tagged;
    /// - named only in the body: tagged if the item is short (a digest entry), or if it is long
    ///   ([`LONG_ITEM_CHARS`]: an essay) and names it at least [`ESSAY_MIN_MENTIONS`] times —
    ///   a passing mention in a long text is not enough.
    ///
    /// Mentions only in citations (see [`strip_citations`]) or inside identifiers (llama.cpp)
    /// do not count. A parent company is not added for a child (the labels name Google for a
    /// DeepMind item only when the text does). For the passages of an essay see
    /// [`Tagger::tag_items`].
    pub fn companies(&self, text: &TagText) -> Vec<String> {
        let long = text.text_chars() > LONG_ITEM_CHARS;
        let mentions = self.company_mentions(text);
        let keep = |m: &Mentions| m.title > 0 || m.lead > 0 || m.body >= if long { ESSAY_MIN_MENTIONS } else { 1 };
        self.rank_companies(mentions.into_iter().filter(|(_, m)| keep(m)))
    }

    /// Strongest first: a title mention weighs 4, a lead mention 2, a body mention 1; ties go
    /// to the company named first.
    fn rank_companies(&self, mentions: impl Iterator<Item = (usize, Mentions)>) -> Vec<String> {
        let mut ranked: Vec<(usize, u32, u32)> =
            mentions.map(|(owner, m)| (owner, 4 * m.title + 2 * m.lead + m.body, m.first)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        ranked.into_iter().map(|(owner, _, _)| self.company_slugs[owner].clone()).collect()
    }

    /// Keyword evidence per topic (topic index → score). Each distinct keyword counts once per
    /// part, [`TOPIC_WEIGHT_TITLE`] in the title, [`TOPIC_WEIGHT_LEAD`] in the lead,
    /// [`TOPIC_WEIGHT_BODY`] in the rest. A company listed in a topic's `companies` counts like
    /// a keyword where it is named (네이버 → korea-ai); a source link under one of a topic's
    /// `sources` prefixes (arxiv.org → research) counts like a lead keyword, once.
    pub fn topic_keywords(&self, text: &TagText) -> Vec<f32> {
        let mut score = vec![0.0f32; self.topic_slugs.len()];
        for (part, position) in text.parts() {
            let weight = position.topic_weight();
            let mut seen = std::collections::HashSet::new();
            for hit in find(&self.topics, &part.text, &part.terms) {
                let key: Vec<&str> =
                    part.terms[hit.start..hit.start + hit.len].iter().map(|t| t.text.as_str()).collect();
                if seen.insert((hit.owner, key)) {
                    score[hit.owner] += weight;
                }
            }
            let mut seen = std::collections::HashSet::new();
            for hit in find(&self.companies, &part.text, &part.terms) {
                for &topic in &self.company_topics[hit.owner] {
                    if seen.insert((topic, hit.owner)) {
                        score[topic] += weight;
                    }
                }
            }
        }
        let urls: Vec<String> = text.source_urls.iter().map(|u| url_key(u)).collect();
        for (prefix, topic) in &self.topic_sources {
            if urls.iter().any(|u| u.starts_with(prefix.as_str())) {
                score[*topic] += TOPIC_WEIGHT_LEAD;
            }
        }
        score
    }

    /// Topics of an item, strongest first. `scores` are the item's (cosine, z) per topic from
    /// [`TopicVectors::scores`], if embeddings are used; without them only keywords decide
    /// (score ≥ [`TOPIC_KEYWORD_THRESHOLD`]). See [`topic_decision`].
    pub fn topics(&self, text: &TagText, scores: Option<&[(f32, f32)]>) -> Vec<String> {
        self.topic_scores(text, scores).into_iter().map(|(t, _)| self.topic_slugs[t].clone()).collect()
    }

    /// The topics [`Tagger::topics`] tags, as (topic index, rank score), best first.
    fn topic_scores(&self, text: &TagText, scores: Option<&[(f32, f32)]>) -> Vec<(usize, f32)> {
        let kw = self.topic_keywords(text);
        let mut ranked: Vec<(usize, f32)> = match scores {
            None => {
                kw.iter().enumerate().filter(|(_, s)| **s >= TOPIC_KEYWORD_THRESHOLD).map(|(i, s)| (i, *s)).collect()
            }
            Some(scores) => kw
                .iter()
                .zip(scores)
                .enumerate()
                .filter_map(|(i, (&k, &(_, z)))| topic_decision(k, z).map(|s| (i, s)))
                .collect(),
        };
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }

    /// Tags `items` in place. `semantic` gives each item's embedding (same order) and the topic
    /// description vectors; without it topics come from keywords alone.
    ///
    /// Items are tagged one by one ([`Tagger::companies`], [`Tagger::topics`]), except the
    /// passages of an essay post (see [`ESSAY_PASSAGE_SHARE`]), which are read together: a
    /// company counts for the essay if the post title names it or the passages name it at
    /// least [`ESSAY_MIN_MENTIONS`] times in all, and each passage gets those it names; a
    /// passage's topic stays only if enough passages share it ([`ESSAY_TOPIC_SHARE`]) or the
    /// post title has one of its keywords.
    pub fn tag_items(&self, items: &mut [NewsItem], semantic: Option<(&[Vec<f32>], &TopicVectors)>) {
        // Posts are tagged independently, so they run on every core; each keeps its place.
        let mut posts: Vec<(usize, &mut [NewsItem])> = Vec::new();
        let (mut rest, mut start) = (items, 0);
        while !rest.is_empty() {
            let len = rest.iter().take_while(|i| i.post_path == rest[0].post_path).count();
            let (post, tail) = rest.split_at_mut(len);
            posts.push((start, post));
            start += len;
            rest = tail;
        }
        posts.into_par_iter().for_each(|(start, post)| self.tag_post(start, post, semantic));
    }

    /// Tags the items of one post; `start` is the ord of its first item (its row in `semantic`).
    fn tag_post(&self, start: usize, post: &mut [NewsItem], semantic: Option<(&[Vec<f32>], &TopicVectors)>) {
        let texts: Vec<TagText> = post.iter().map(|i| TagText::of(i, &self.analyzer)).collect();
        let topics: Vec<Vec<(usize, f32)>> = texts
            .iter()
            .enumerate()
            .map(|(k, text)| {
                let scores = semantic.map(|(vecs, tv)| tv.scores(&vecs[start + k]));
                self.topic_scores(text, scores.as_deref())
            })
            .collect();
        if is_essay(post) {
            self.tag_essay(post, &texts, topics);
        } else {
            for ((item, text), topics) in post.iter_mut().zip(&texts).zip(topics) {
                item.companies = self.companies(text);
                item.topics = topics.into_iter().map(|(t, _)| self.topic_slugs[t].clone()).collect();
            }
        }
    }

    fn tag_essay(&self, passages: &mut [NewsItem], texts: &[TagText], topics: Vec<Vec<(usize, f32)>>) {
        let mentions: Vec<BTreeMap<usize, Mentions>> = texts.iter().map(|t| self.company_mentions(t)).collect();
        let mut total: BTreeMap<usize, u32> = BTreeMap::new();
        for m in &mentions {
            for (owner, c) in m {
                *total.entry(*owner).or_default() += c.title + c.lead + c.body;
            }
        }
        let post_title = &passages[0].post_title;
        let in_post_title: std::collections::BTreeSet<usize> =
            find(&self.companies, post_title, &self.analyzer.terms(post_title)).into_iter().map(|h| h.owner).collect();
        let subject = |owner: &usize| in_post_title.contains(owner) || total[owner] >= ESSAY_MIN_MENTIONS;

        let mut shared = vec![0usize; self.topic_slugs.len()];
        for t in topics.iter().flatten() {
            shared[t.0] += 1;
        }
        let need = ((ESSAY_TOPIC_SHARE * passages.len() as f32).ceil() as usize).max(2);
        // a topic the essay's title names is one of its themes whatever its share
        let title_part = Part { terms: self.analyzer.terms(post_title), text: post_title.clone() };
        for hit in find(&self.topics, &title_part.text, &title_part.terms) {
            shared[hit.owner] = shared[hit.owner].max(need);
        }
        for ((item, m), topics) in passages.iter_mut().zip(mentions).zip(topics) {
            item.companies = self.rank_companies(m.into_iter().filter(|(o, _)| subject(o)));
            item.topics = topics
                .into_iter()
                .filter(|(t, _)| shared[*t] >= need)
                .map(|(t, _)| self.topic_slugs[t].clone())
                .collect();
        }
    }

    /// One line on the evidence for an item's tags (for `eval-tagging --details`): company
    /// mentions as title/lead/body counts and topic keyword scores.
    pub fn explain(&self, item: &NewsItem) -> String {
        let text = TagText::of(item, &self.analyzer);
        let companies: Vec<String> = self
            .company_mentions(&text)
            .into_iter()
            .map(|(o, m)| format!("{} {}/{}/{}", self.company_slugs[o], m.title, m.lead, m.body))
            .collect();
        let topics: Vec<String> = self
            .topic_keywords(&text)
            .into_iter()
            .enumerate()
            .filter(|(_, s)| *s > 0.0)
            .map(|(i, s)| format!("{} {s}", self.topic_slugs[i]))
            .collect();
        format!(
            "[{} chars] companies: {} | topic keywords: {}",
            text.text_chars(),
            companies.join(", "),
            topics.join(", ")
        )
    }

    /// For query expansion: the companies named in `terms`, with the span they cover and every
    /// spelling of each (so 앤트로픽 also searches "anthropic" and "claude").
    pub fn query_aliases(&self, terms: &[String]) -> Vec<(std::ops::Range<usize>, &[Pattern])> {
        find_plain(&self.companies, terms)
            .into_iter()
            .map(|h| (h.start..h.start + h.len, self.company_patterns[h.owner].as_slice()))
            .collect()
    }
}

/// Whether a post's items are the passages of one essay (see [`ESSAY_PASSAGE_SHARE`]).
pub fn is_essay(post: &[NewsItem]) -> bool {
    let passages = post.iter().filter(|i| i.summary.is_empty() && i.why.is_empty() && i.sources.is_empty()).count();
    post.len() >= ESSAY_MIN_ITEMS && passages as f32 >= ESSAY_PASSAGE_SHARE * post.len() as f32
}

/// A topic with some keyword evidence is tagged when the item's embedding also stands out
/// toward the topic's description by at least this many standard deviations (z-score of the
/// cosine among all topics for that item).
pub const TOPIC_SUPPORT_Z: f32 = 1.0;

/// Keyword score and embedding z-score → the topic's rank score, or `None` (not tagged).
///
/// - keywords ≥ [`TOPIC_KEYWORD_THRESHOLD`] (e.g. one title keyword, or two distinct lead
///   keywords): tagged on keywords alone;
/// - some keyword evidence (any score > 0, e.g. a single body keyword) and the embedding ranks
///   the topic high for this item (z ≥ [`TOPIC_SUPPORT_Z`]): tagged;
/// - no keyword at all: not tagged, however similar (e5 similarities alone rank the right
///   topic first for only about half the items).
///
/// The score used to order an item's topics is keywords + z.
pub fn topic_decision(keywords: f32, z: f32) -> Option<f32> {
    let tagged = keywords >= TOPIC_KEYWORD_THRESHOLD || (keywords > 0.0 && z >= TOPIC_SUPPORT_Z);
    tagged.then_some(keywords + z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_blanked_in_place() {
        let text = "본문입니다.\nSource: Google Developers Blog\n→ 원문: [링크]\n자세한 건 Release notes (GitHub Changelog) 참고.";
        let out = strip_citations(text, &["Release notes"]);
        assert!(out.starts_with("본문입니다.\n"));
        assert!(!out.contains("Google") && !out.contains("원문") && !out.contains("GitHub"), "{out}");
        assert!(out.contains("자세한 건") && out.contains("참고."), "{out}");
        // a sentence that merely starts like a label is kept
        assert_eq!(strip_citations("참고로 Anthropic은…", &[]), "참고로 Anthropic은…");
        assert_eq!(strip_trailing_reference("Qwen 가속 ([Reddit / Hugging Face])").trim_end(), "Qwen 가속");
    }

    #[test]
    fn topic_rule() {
        assert!(topic_decision(TOPIC_KEYWORD_THRESHOLD, -1.0).is_some(), "keywords alone");
        assert!(topic_decision(TOPIC_WEIGHT_BODY, TOPIC_SUPPORT_Z).is_some(), "a body keyword with support");
        assert!(topic_decision(TOPIC_WEIGHT_BODY, TOPIC_SUPPORT_Z - 0.1).is_none());
        assert!(topic_decision(0.0, 5.0).is_none(), "no keyword, no topic");
    }

    #[test]
    fn short_capitals_and_urls() {
        assert!(is_short_capitals("MS") && is_short_capitals("AMD") && is_short_capitals("GPT4"));
        assert!(!is_short_capitals("Meta") && !is_short_capitals("OPENAI") && !is_short_capitals("42"));
        assert_eq!(url_key("https://www.arxiv.org/abs/1"), "arxiv.org/abs/1");
    }

    #[test]
    fn builtin_lists_are_valid_and_topic_companies_exist() {
        let c = Catalog::builtin().unwrap();
        assert!(c.topics.iter().any(|t| !t.companies.is_empty()));
        let bad = DEFAULT_TOPICS.replace("companies = [\"naver\"", "companies = [\"no-such-company\"");
        let err = Catalog::from_toml(DEFAULT_COMPANIES, "c", &bad, "t").unwrap_err().to_string();
        assert!(err.contains("no-such-company"), "{err}");
    }
}
