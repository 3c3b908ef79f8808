//! The editable company and topic lists (`data/companies.toml`, `data/topics.toml`) and the
//! tagger built from them.
//!
//! Matching happens on lindera morphemes, not raw substrings: an alias is analysed into its term
//! sequence and must occur as consecutive terms in the item. Particles never block a match
//! (앤트로픽은 → 앤트로픽) and longer words never contain one (메타버스 is one noun, not 메타).
//! Every single-word Hangul alias and keyword enters lindera's user dictionary so that
//! tokenisation and tagging agree.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sosik_ko::{Analyzer, UserWord};

use crate::error::IndexerError;

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
        seen.clear();
        for t in &self.topics {
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

/// Tags items with companies and topics; also expands queries with company aliases.
pub struct Tagger {
    /// first term → (pattern, company index), longest patterns first.
    companies: HashMap<String, Vec<(Pattern, usize)>>,
    topics: HashMap<String, Vec<(Pattern, usize)>>,
    company_slugs: Vec<String>,
    topic_slugs: Vec<String>,
    /// Every alias and product pattern of each company (for query expansion).
    company_patterns: Vec<Vec<Pattern>>,
}

fn index_patterns(
    analyzer: &Analyzer,
    entries: impl Iterator<Item = (usize, String)>,
) -> HashMap<String, Vec<(Pattern, usize)>> {
    let mut map: HashMap<String, Vec<(Pattern, usize)>> = HashMap::new();
    for (owner, text) in entries {
        let pattern: Pattern = analyzer.terms(&text).into_iter().map(|t| t.text).collect();
        if let Some(first) = pattern.first() {
            map.entry(first.clone()).or_default().push((pattern, owner));
        }
    }
    for list in map.values_mut() {
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()));
        list.dedup();
    }
    map
}

/// Finds every non-overlapping longest match in `terms`: (owner, start, len).
fn find(patterns: &HashMap<String, Vec<(Pattern, usize)>>, terms: &[String]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let hit = patterns
            .get(&terms[i])
            .and_then(|cands| cands.iter().find(|(p, _)| terms.len() - i >= p.len() && terms[i..i + p.len()] == p[..]));
        match hit {
            Some((p, owner)) => {
                out.push((*owner, i, p.len()));
                i += p.len();
            }
            None => i += 1,
        }
    }
    out
}

/// The parts of an item the tagger reads, as analysed terms.
pub struct TagInput<'a> {
    pub title: &'a [String],
    pub lead: &'a [String],
    pub body: &'a [String],
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
            companies,
            topics,
            company_slugs: catalog.companies.iter().map(|c| c.slug.clone()).collect(),
            topic_slugs: catalog.topics.iter().map(|t| t.slug.clone()).collect(),
            company_patterns,
        }
    }

    /// Companies named anywhere in the item, most mentioned first (ties: first mention).
    pub fn companies(&self, input: &TagInput<'_>) -> Vec<String> {
        let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // owner → (count, first seen)
        let mut seen_order = 0;
        for part in [input.title, input.lead, input.body] {
            for (owner, _, _) in find(&self.companies, part) {
                let e = counts.entry(owner).or_insert((0, seen_order));
                e.0 += 1;
                seen_order += 1;
            }
        }
        let mut ranked: Vec<_> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
        ranked.into_iter().map(|(owner, _)| self.company_slugs[owner].clone()).collect()
    }

    /// Topics by keyword evidence: a title hit weighs 2, a summary/why hit 1, a body hit 0.5;
    /// a topic needs 2 points.
    pub fn topics(&self, input: &TagInput<'_>) -> Vec<String> {
        let mut score: BTreeMap<usize, f32> = BTreeMap::new();
        for (part, weight) in [(input.title, 2.0), (input.lead, 1.0), (input.body, 0.5)] {
            for (owner, _, _) in find(&self.topics, part) {
                *score.entry(owner).or_default() += weight;
            }
        }
        let mut ranked: Vec<_> = score.into_iter().filter(|(_, s)| *s >= 2.0).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().map(|(owner, _)| self.topic_slugs[owner].clone()).collect()
    }

    /// For query expansion: the companies named in `terms`, with the span they cover and every
    /// spelling of each (so 앤트로픽 also searches "anthropic" and "claude").
    pub fn query_aliases(&self, terms: &[String]) -> Vec<(std::ops::Range<usize>, &[Pattern])> {
        find(&self.companies, terms)
            .into_iter()
            .map(|(owner, start, len)| (start..start + len, self.company_patterns[owner].as_slice()))
            .collect()
    }
}
