//! The [`Tagger`]: companies and topics for items, company aliases for queries.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use sosik_ko::Analyzer;

use super::catalog::Catalog;
use super::matching::{find, find_plain, index_patterns, Entry, Pattern};
use super::rules::*;
use super::text::{url_key, Mentions, Part, Position, TagText};
use super::topic_model;
use crate::model::NewsItem;

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
    /// first term → entries of the glossary's names (owner: index into `glossary_patterns`).
    glossary: HashMap<String, Vec<Entry>>,
    /// Every name of each glossary term in use, as patterns (for query expansion).
    glossary_patterns: Vec<Vec<Pattern>>,
    /// The terms of each glossary name (more than one when terms share a name: 추론 is
    /// Inference and Reasoning).
    glossary_owners: HashMap<Pattern, Vec<usize>>,
    /// The slug of each glossary term in use, and whether items are tagged with it (a person,
    /// product or organisation): tagging reads `glossary` too.
    glossary_slugs: Vec<String>,
    glossary_entity: Vec<bool>,
    /// Glossary names left out because the analysis does not read them whole (see
    /// [`Tagger::skipped_glossary_names`]).
    skipped: Vec<String>,
    /// Topic keywords of several words with Hangul, found as written beside their analysis (see
    /// [`Phrases`]).
    topic_phrases: Phrases,
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
        let patterns_of = |names: &mut dyn Iterator<Item = &String>| {
            let mut ps: Vec<Pattern> = names
                .map(|a| analyzer.terms(a).into_iter().map(|t| t.text).collect::<Pattern>())
                .filter(|p| !p.is_empty())
                .collect();
            ps.sort();
            ps.dedup();
            ps
        };
        let company_patterns =
            catalog.companies.iter().map(|c| patterns_of(&mut c.aliases.iter().chain(&c.products))).collect();
        // A glossary name is searched and tagged only as the words it is: one the analysis turns
        // into something else (커서 → the verb stem 크, "to grow") would match every 큰 and 커.
        let terms: Vec<_> = catalog.glossary.iter().filter(|t| t.used()).collect();
        let mut skipped: Vec<String> =
            terms.iter().flat_map(|t| t.names()).filter(|n| !analysed_whole(analyzer, n)).cloned().collect();
        skipped.sort();
        skipped.dedup();
        let whole = |name: &&String| skipped.binary_search(name).is_err();
        let glossary = index_patterns(
            analyzer,
            terms.iter().enumerate().flat_map(|(i, t)| t.names().filter(whole).map(move |n| (i, n.clone()))),
        );
        let glossary_patterns: Vec<Vec<Pattern>> =
            terms.iter().map(|t| patterns_of(&mut t.names().filter(whole))).collect();
        let glossary_slugs = terms.iter().map(|t| t.slug()).collect();
        let glossary_entity = terms.iter().map(|t| catalog.is_name(t)).collect();
        let mut glossary_owners: HashMap<Pattern, Vec<usize>> = HashMap::new();
        for (owner, patterns) in glossary_patterns.iter().enumerate() {
            for p in patterns {
                glossary_owners.entry(p.clone()).or_default().push(owner);
            }
        }
        let topic_phrases = Phrases::new(
            analyzer,
            catalog.topics.iter().enumerate().flat_map(|(i, t)| t.keywords.iter().map(move |k| (i, k.as_str()))),
        );
        Tagger {
            analyzer: analyzer.clone(),
            companies,
            topics,
            topic_phrases,
            company_slugs: catalog.companies.iter().map(|c| c.slug.clone()).collect(),
            topic_slugs: catalog.topics.iter().map(|t| t.slug.clone()).collect(),
            company_patterns,
            glossary,
            glossary_patterns,
            glossary_owners,
            glossary_slugs,
            glossary_entity,
            skipped,
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

    /// The glossary's names that are neither searched nor tagged because the Korean analysis
    /// does not read them whole (커서 is read as the verb stem 크): what to fix in the list or in
    /// the user dictionary.
    pub fn skipped_glossary_names(&self) -> &[String] {
        &self.skipped
    }

    pub fn topic_slugs(&self) -> &[String] {
        &self.topic_slugs
    }

    /// Company mentions by position: company index → counts.
    pub fn company_mentions(&self, text: &TagText) -> BTreeMap<usize, Mentions> {
        mentions(&self.companies, text)
    }

    /// The glossary's people, products and organisations an item names (their slugs), strongest
    /// first: named in the title or lead, in the body of a short item, repeatedly in a long one
    /// ([`Tagger::companies`]' rule for one item; an essay's passages are tagged one by one,
    /// without the essay-wide rule companies get).
    pub fn names(&self, text: &TagText) -> Vec<String> {
        let kept = mentions(&self.glossary, text)
            .into_iter()
            .filter(|(owner, m)| self.glossary_entity[*owner] && named_enough(text, m));
        rank(kept, &self.glossary_slugs)
    }

    /// Companies an item is about or names as an actor, strongest first:
    /// - named in the title or the lead (summary / why it matters): tagged;
    /// - named only in the body: tagged if the item is short (a digest entry), or if it is long
    ///   ([`LONG_ITEM_CHARS`]: an essay) and names it at least [`ESSAY_MIN_MENTIONS`] times —
    ///   a passing mention in a long text is not enough.
    ///
    /// A company named once, only in the body, of an item that names [`PASSING_MIN_COMPANIES`]
    /// companies or more is a passing mention (one of a list of model makers, a competitor named
    /// in one sentence) and is not tagged. Mentions only in citations (see [`strip_citations`])
    /// or inside identifiers (llama.cpp) do not count. A parent company is not added for a child
    /// (the labels name Google for a DeepMind item only when the text does). For the passages of
    /// an essay see [`Tagger::tag_items`].
    pub fn companies(&self, text: &TagText) -> Vec<String> {
        let mentions = self.company_mentions(text);
        let many = mentions.len() >= PASSING_MIN_COMPANIES;
        let passing = |m: &Mentions| many && m.title == 0 && m.lead == 0 && m.body <= 1;
        self.rank_companies(mentions.into_iter().filter(|(_, m)| named_enough(text, m) && !passing(m)))
    }

    /// Companies strongest first ([`rank`]).
    fn rank_companies(&self, mentions: impl Iterator<Item = (usize, Mentions)>) -> Vec<String> {
        rank(mentions, &self.company_slugs)
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
            // a phrase the analysis cut otherwise here counts once, as its own analysis
            for (owner, key) in self.topic_phrases.find(&part.text) {
                if seen.insert((owner, key.iter().map(String::as_str).collect())) {
                    score[owner] += weight;
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

    /// Topics of an item, strongest first. `semantic` is the item's embedding and the topic
    /// vectors, if embeddings are used; without them only keywords decide (score ≥
    /// [`TOPIC_KEYWORD_THRESHOLD`]). A topic with a trained classifier ([`TopicVectors::classifiers`])
    /// is tagged when its probability reaches [`topic_model::THRESHOLD`]; the others by
    /// [`topic_decision`].
    ///
    /// [`topic_model::THRESHOLD`]: super::topic_model::THRESHOLD
    pub fn topics(&self, text: &TagText, semantic: Option<(&[f32], &TopicVectors)>) -> Vec<String> {
        self.topic_scores(text, semantic).into_iter().map(|(t, _)| self.topic_slugs[t].clone()).collect()
    }

    /// The topics [`Tagger::topics`] tags, as (topic index, rank score), best first. The rank
    /// score is keywords + z either way, so that the order of an item's topics does not depend on
    /// which rule tagged them.
    fn topic_scores(&self, text: &TagText, semantic: Option<(&[f32], &TopicVectors)>) -> Vec<(usize, f32)> {
        let kw = self.topic_keywords(text);
        let mut ranked: Vec<(usize, f32)> = match semantic {
            None => {
                kw.iter().enumerate().filter(|(_, s)| **s >= TOPIC_KEYWORD_THRESHOLD).map(|(i, s)| (i, *s)).collect()
            }
            Some((vector, tv)) => {
                let scores = tv.scores(vector);
                kw.iter()
                    .zip(&scores)
                    .enumerate()
                    .filter_map(|(i, (&k, &(_, z)))| match tv.classifiers.get(i).and_then(Option::as_ref) {
                        Some(c) => c.tags(vector, k, z, topic_model::KEYWORD_GATE).then_some((i, k + z)),
                        None => topic_decision(k, z).map(|s| (i, s)),
                    })
                    .collect()
            }
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
            .map(|(k, text)| self.topic_scores(text, semantic.map(|(vecs, tv)| (vecs[start + k].as_slice(), tv))))
            .collect();
        if is_essay(post) {
            self.tag_essay(post, &texts, topics);
        } else {
            for ((item, text), topics) in post.iter_mut().zip(&texts).zip(topics) {
                item.companies = self.companies(text);
                item.names = self.names(text);
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
        for (((item, m), topics), text) in passages.iter_mut().zip(mentions).zip(topics).zip(texts) {
            item.companies = self.rank_companies(m.into_iter().filter(|(o, _)| subject(o)));
            item.names = self.names(text);
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

    /// For query expansion: the glossary names in `terms`, with the span each covers and every
    /// name of every term it names (얀 르쿤 also searches "yann lecun", "Hallucination" also 환각,
    /// 추론 both "inference" and "reasoning").
    pub fn query_glossary(&self, terms: &[String]) -> Vec<(std::ops::Range<usize>, Vec<&Pattern>)> {
        find_plain(&self.glossary, terms)
            .into_iter()
            .map(|h| {
                let span = h.start..h.start + h.len;
                let owners = self.glossary_owners.get(&terms[span.clone()]).cloned().unwrap_or_else(|| vec![h.owner]);
                let mut names: Vec<&Pattern> = owners.iter().flat_map(|&o| &self.glossary_patterns[o]).collect();
                names.sort();
                names.dedup();
                (span, names)
            })
            .collect()
    }
}

/// Whether `m` tags an item: a mention in the title or lead, or in the body of a short item, or
/// [`ESSAY_MIN_MENTIONS`] in the body of a long one ([`LONG_ITEM_CHARS`]).
fn named_enough(text: &TagText, m: &Mentions) -> bool {
    let long = text.text_chars() > LONG_ITEM_CHARS;
    m.title > 0 || m.lead > 0 || m.body >= if long { ESSAY_MIN_MENTIONS } else { 1 }
}

/// Mentions of `patterns` in `text` by position: owner → counts.
fn mentions(patterns: &HashMap<String, Vec<Entry>>, text: &TagText) -> BTreeMap<usize, Mentions> {
    let mut m: BTreeMap<usize, Mentions> = BTreeMap::new();
    let mut order = 0;
    for (part, position) in text.parts() {
        for hit in find(patterns, &part.text, &part.terms) {
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

/// Owners' slugs, strongest first: a title mention weighs 4, a lead mention 2, a body mention
/// 1; ties go to the one named first.
fn rank(mentions: impl Iterator<Item = (usize, Mentions)>, slugs: &[String]) -> Vec<String> {
    let mut ranked: Vec<(usize, u32, u32)> =
        mentions.map(|(owner, m)| (owner, 4 * m.title + 2 * m.lead + m.body, m.first)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    ranked.into_iter().map(|(owner, _, _)| slugs[owner].clone()).collect()
}

/// Whether the analysis of `name` can stand for it: a phrase of two terms or more is specific
/// whatever the analysis made of each word (샘 알트먼), and one term must be a piece of the name
/// as written covering at least half of it (앤트로픽; 대규모 → 규모). 커서, analysed as the verb
/// stem 크 ("to grow", the stem of every 큰 and 커), is not: searching it would find every "big".
fn analysed_whole(analyzer: &Analyzer, name: &str) -> bool {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    match analyzer.terms(name).as_slice() {
        [] => false,
        [one] => {
            let (term, written) = (letters(&one.text), letters(name));
            !term.is_empty() && written.contains(&term) && 2 * term.chars().count() >= written.chars().count()
        }
        _ => true,
    }
}

/// Keywords of several words with Hangul (영상 생성, 업무 자동화), found in the text as written.
/// Their analysis alone can differ from their analysis in a sentence: mecab-ko-dic reads 생성 as
/// 생 + the suffix 성 before 모델 or 스타트업, and 자동화 as 자동 + 화, so "동영상 생성 모델" and
/// "업무 자동화 활발" held no 생성 and no 자동화 to match (in the titles and leads of 8,000
/// dev-corpus items, 영상 생성 is written 14 times and was matched 3 times). A phrase must start a word; it may end
/// inside one (AI 거품론, 전력 소비량, 스마트 글래스가: Hangul may follow), but one that ends in a
/// Latin letter or digit may not be followed by another (오픈 소스 AI is not 오픈 소스 AIM).
///
/// Written with aho-corasick, the well-kept multi-pattern matcher regex is built on.
struct Phrases {
    matcher: Option<aho_corasick::AhoCorasick>,
    /// Per pattern: its owner and its analysis on its own (the key that counts it once).
    keys: Vec<(usize, Pattern)>,
    /// Per pattern: whether it ends in an ASCII letter or digit.
    latin_end: Vec<bool>,
}

impl Phrases {
    fn new<'a>(analyzer: &Analyzer, entries: impl Iterator<Item = (usize, &'a str)>) -> Phrases {
        let mut patterns = Vec::new();
        let mut keys = Vec::new();
        for (owner, text) in entries {
            let text = text.trim();
            if !text.contains(char::is_whitespace) || !text.chars().any(crate::glossary::is_hangul) {
                continue;
            }
            let key: Pattern = analyzer.terms(text).into_iter().map(|t| t.text).collect();
            if key.is_empty() {
                continue;
            }
            patterns.push(text.to_string());
            keys.push((owner, key));
        }
        let latin_end =
            patterns.iter().map(|p| p.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric())).collect();
        let matcher = (!patterns.is_empty()).then(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&patterns)
                .expect("plain-text patterns always build")
        });
        Phrases { matcher, keys, latin_end }
    }

    /// The owner and key of every phrase in `text` that starts a word.
    fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a Pattern)> + 'a {
        self.matcher.iter().flat_map(move |m| m.find_overlapping_iter(text)).filter_map(move |m| {
            let starts_word = !text[..m.start()].chars().next_back().is_some_and(char::is_alphanumeric);
            let i = m.pattern().as_usize();
            let ends_ok =
                !self.latin_end[i] || !text[m.end()..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
            (starts_word && ends_ok).then(|| (self.keys[i].0, &self.keys[i].1))
        })
    }
}
