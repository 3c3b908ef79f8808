//! The editable lists: companies, topics and the glossary (`data/companies.toml`,
//! `data/topics.toml`, `data/glossary.toml`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use sosik_ko::UserWord;

use crate::glossary::{en_key, GlossaryTerm, Kind};
use crate::CorpusError;

/// The lists compiled into the binaries: `data/companies.toml`, `data/topics.toml` and
/// `data/glossary.toml`.
pub const DEFAULT_COMPANIES: &str = include_str!("../../../data/companies.toml");
pub const DEFAULT_TOPICS: &str = include_str!("../../../data/topics.toml");
pub const DEFAULT_GLOSSARY: &str = include_str!("../../../data/glossary.toml");

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
    /// Korean and English names of one thing, for alias expansion in queries (both ways).
    #[serde(rename = "term", default, skip_serializing_if = "Vec::is_empty")]
    pub glossary: Vec<GlossaryTerm>,
}

/// The paths of the three lists, for [`Catalog::load`].
pub struct CatalogFiles<'a> {
    pub companies: &'a Path,
    pub topics: &'a Path,
    pub glossary: &'a Path,
}

impl Catalog {
    /// The lists compiled into the binary.
    pub fn builtin() -> Result<Catalog, CorpusError> {
        Catalog::from_toml(
            DEFAULT_COMPANIES,
            "data/companies.toml (built in)",
            DEFAULT_TOPICS,
            "data/topics.toml (built in)",
        )?
        .with_glossary(DEFAULT_GLOSSARY, "data/glossary.toml (built in)")
    }

    /// Reads the three lists from files.
    pub fn load(files: CatalogFiles) -> Result<Catalog, CorpusError> {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| CorpusError::Io { path: p.to_path_buf(), source: e });
        let CatalogFiles { companies, topics, glossary } = files;
        Catalog::from_toml(
            &read(companies)?,
            &companies.display().to_string(),
            &read(topics)?,
            &topics.display().to_string(),
        )?
        .with_glossary(&read(glossary)?, &glossary.display().to_string())
    }

    /// This catalog with the glossary read from `text` (the TOML of `data/glossary.toml`,
    /// named `name` in errors): every term needs an English name and a Korean one with Hangul
    /// in it, and no two terms may share an English name (compared without case or hyphens).
    pub fn with_glossary(mut self, text: &str, name: &str) -> Result<Catalog, CorpusError> {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            term: Vec<GlossaryTerm>,
        }
        let bad = |reason: String| CorpusError::Catalog { file: name.to_string(), reason };
        let file: File = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let (mut seen, mut slugs) = (std::collections::HashSet::new(), std::collections::HashSet::new());
        for t in &file.term {
            let has_hangul = |s: &String| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
            if en_key(&t.en).is_empty() || t.ko.is_empty() || !t.ko.iter().all(has_hangul) {
                return Err(bad(format!("term {:?} needs an English name and Korean names in Hangul", t.en)));
            }
            // one syllable (주, 창) is part of too many other words to search for it
            if let Some(short) = t.ko.iter().find(|k| k.chars().filter(|c| !c.is_whitespace()).count() < 2) {
                return Err(bad(format!("term {:?}: the Korean name {short:?} is shorter than two syllables", t.en)));
            }
            if t.slug().is_empty() {
                return Err(bad(format!("term {:?} needs a Latin letter or digit in its English name", t.en)));
            }
            if !seen.insert(en_key(&t.en)) || !slugs.insert(t.slug()) {
                return Err(bad(format!("term {:?} is listed twice", t.en)));
            }
        }
        self.glossary = file.term;
        Ok(self)
    }

    pub(super) fn from_toml(
        companies: &str,
        companies_name: &str,
        topics: &str,
        topics_name: &str,
    ) -> Result<Catalog, CorpusError> {
        let bad =
            |file: &str, e: toml::de::Error| CorpusError::Catalog { file: file.to_string(), reason: e.to_string() };
        let c: Catalog = toml::from_str(companies).map_err(|e| bad(companies_name, e))?;
        let t: Catalog = toml::from_str(topics).map_err(|e| bad(topics_name, e))?;
        let catalog = Catalog { companies: c.companies, topics: t.topics, glossary: Vec::new() };
        catalog.validate(companies_name, topics_name)?;
        Ok(catalog)
    }

    fn validate(&self, companies_name: &str, topics_name: &str) -> Result<(), CorpusError> {
        let slug_ok =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let mut seen = std::collections::HashSet::new();
        for c in &self.companies {
            if !slug_ok(&c.slug) || !seen.insert(c.slug.as_str()) {
                return Err(CorpusError::Catalog {
                    file: companies_name.into(),
                    reason: format!("company slug {:?} is not unique lowercase ascii/digits/hyphens", c.slug),
                });
            }
        }
        let companies = seen.clone();
        seen.clear();
        for t in &self.topics {
            if let Some(unknown) = t.companies.iter().find(|c| !companies.contains(c.as_str())) {
                return Err(CorpusError::Catalog {
                    file: topics_name.into(),
                    reason: format!("topic {:?} lists unknown company {unknown:?}", t.slug),
                });
            }
            if !slug_ok(&t.slug) || !seen.insert(t.slug.as_str()) {
                return Err(CorpusError::Catalog {
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
        // The Hangul words of the glossary's people, products and organisations (알트먼 of 샘
        // 알트먼), so that each is one token to tag and search; one syllable (샘, 황) is left to
        // the dictionary, as it is a word of its own too often.
        let long = |w: &&str| w.chars().filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c)).count() >= 2;
        for t in self.glossary.iter().filter(|t| t.is_entity()) {
            for name in &t.ko {
                let parts = name.split_whitespace().filter(long).filter(|w| !w.contains([',', '"']));
                words.extend(parts.map(UserWord::proper));
            }
        }
        words
    }

    /// The company a glossary term is, when its English name or one of its Korean names is the
    /// company's name, slug or one of its aliases (Anthropic, 앤트로픽; compared as [`en_key`]
    /// compares): the company list already tags it. A product of a company (Claude Code) stays a
    /// name of its own.
    pub fn company_of(&self, t: &GlossaryTerm) -> Option<&Company> {
        let term_keys: Vec<String> = std::iter::once(&t.en).chain(&t.ko).map(|n| en_key(n)).collect();
        self.companies.iter().find(|c| {
            std::iter::once(&c.name)
                .chain(std::iter::once(&c.slug))
                .chain(&c.aliases)
                .any(|n| term_keys.contains(&en_key(n)))
        })
    }

    /// Whether a glossary term is one of sosik's names — a person, product or organisation that
    /// is not a company of the company list (see [`Catalog::company_of`]).
    pub fn is_name(&self, t: &GlossaryTerm) -> bool {
        t.is_entity() && self.company_of(t).is_none()
    }

    /// A name's kind (person, product or organisation); `None` for a term that is no name.
    pub fn name_kind(&self, t: &GlossaryTerm) -> Option<Kind> {
        self.is_name(t).then_some(t.kind).flatten()
    }
}
