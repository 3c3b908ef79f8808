//! The bilingual glossary: Korean and English names of one thing (앤트로픽 = Anthropic, 얀 르쿤 =
//! Yann LeCun, 환각 = Hallucination), mined from the corpus itself and kept in
//! `data/glossary.toml` as a reviewable list with its evidence.
//!
//! Korean AI news writes a name it introduces with the other language in parentheses:
//! `한글(English)` or `English(한글)`. [`mine`] reads every such pair in the items, decides how
//! many words before the parenthesis belong to the name by counting (see [`select`]), and groups
//! the spellings of one English name (앤트로픽/앤스로픽 → Anthropic). A pair must be seen in
//! [`MIN_POSTS`] posts of [`MIN_BLOGS`] blogs (a template line of one blog is not a name), and a
//! Korean name must have two syllables or more and be glossed in [`MIN_SPECIFICITY`] of the posts
//! that use it (an everyday word glossed now and then is not a name of the term).
//!
//! Written by hand rather than with a term-extraction crate: the rule is the parenthesis
//! convention of this corpus, and none of the crates on crates.io reads it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::NewsItem;

/// A pair must be seen in this many posts ...
pub const MIN_POSTS: usize = 3;
/// ... of this many blogs (the first folder of a post's path; a flat folder is one blog).
pub const MIN_BLOGS: usize = 2;
/// A longer name (얀 르쿤) is kept over its last word (르쿤) when at least this share of the last
/// word's posts spell the longer one.
const LONGER_SHARE: f64 = 0.5;
/// The most words on either side of a pair.
const MAX_WORDS: usize = 5;
/// A Korean name is kept only if at least this share of the posts that use it (at the start of a
/// word) give it with this English name: 환각(Hallucination) in 45 of 148 posts with 환각 is a
/// name; 기술(Skills) in 22 of 1,572 posts with 기술 (= technology) is a sense of an everyday word,
/// and would pull "skill" into every query about technology.
const MIN_SPECIFICITY: f64 = 0.05;

/// How a term came to be in the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Found by `sosik-indexer glossary`, not read by a person. Used.
    Mined,
    /// Read by a person and found right, or written by one (the default when a term gives no
    /// status, so that mining again keeps a term added by hand). Used.
    #[default]
    Checked,
    /// Read by a person and found wrong. Not used; kept so that mining again does not bring it
    /// back.
    Rejected,
}

/// What a term names. The miner cannot tell; a person sets it when checking the term, and
/// people, products and organisations are what a reader follows (issue #18).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Dario Amodei, Jensen Huang.
    Person,
    /// Models, tools, chips, services: Claude Code, Blackwell, Gmail.
    Product,
    /// Companies, agencies, institutions, publications: DeepSeek, FTC, WSJ.
    Organization,
    /// Ideas and terms of the trade: Hallucination, Vibe Coding, MoE.
    Concept,
}

impl Kind {
    /// As `data/glossary.toml` and the API write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Product => "product",
            Kind::Organization => "organization",
            Kind::Concept => "concept",
        }
    }
}

/// One thing with its names in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    /// The English name as most often written.
    pub en: String,
    /// Its Korean names, most seen first.
    pub ko: Vec<String>,
    /// What it names, once a person has said so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Posts in which a pair of this term was seen (0 for a term added by hand).
    #[serde(default)]
    pub posts: usize,
    /// Blogs those posts are from.
    #[serde(default)]
    pub blogs: usize,
    /// The date of the first post with a pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<NaiveDate>,
    #[serde(default)]
    pub status: Status,
}

impl GlossaryTerm {
    /// Whether search and tagging use it.
    pub fn used(&self) -> bool {
        self.status != Status::Rejected
    }

    /// Its id in URLs and on items: the English key's words, letters and digits only, joined by
    /// hyphens (`yann-lecun`, `claude-code`, `oreilly`).
    pub fn slug(&self) -> String {
        let words = en_key(&self.en);
        let words = words.split(' ').map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>());
        words.filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
    }

    /// Whether items are tagged with it: a person, product or organisation a reader can follow
    /// (a concept names too many items to be an entity).
    pub fn is_entity(&self) -> bool {
        self.used() && matches!(self.kind, Some(Kind::Person | Kind::Product | Kind::Organization))
    }

    /// Every name of the term: the English one, then the Korean ones.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.en).chain(&self.ko)
    }
}

/// The key two English spellings share: lower case, hyphens as spaces, single spaces. (A plural
/// and its singular are folded by [`mine`] when both are found, not here: Windows is no window.)
pub fn en_key(en: &str) -> String {
    en.to_lowercase().replace('-', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A precomposed Hangul syllable (가–힣).
pub(crate) fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Which language a parenthesis holds, and so which the words before it are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Side {
    /// `한글(English)`: English inside.
    EnInside,
    /// `English(한글)`: Korean inside.
    KoInside,
}

/// A Latin word of a name: letters, digits and `.-+&'/`, starting with a letter or digit and
/// ending with one or `+` (so "said." ends a sentence, "GPT-5.3" is a word).
fn latin_word(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && w.chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '+')
        && w.chars().all(|c| c.is_ascii_alphanumeric() || ".-+&'/".contains(c))
        && w.chars().any(|c| c.is_ascii_alphabetic())
}

/// A Korean word of a name: Hangul, possibly with Latin letters and digits (오픈AI, 스페이스X),
/// not starting with a digit (2026년 is a date).
fn korean_word(w: &str) -> bool {
    w.chars().any(is_hangul)
        && !w.starts_with(|c: char| c.is_ascii_digit())
        && w.chars().all(|c| is_hangul(c) || c.is_ascii_alphanumeric() || c == '-' || c == '·')
}

/// Whether a Korean word ends like a particle or a verb ending (앤트로픽의, 다보스에서, 열린):
/// such a word is not the first part of a name but what comes before one. A spelling rule of
/// thumb, not an analysis: it only decides how far back a name may reach.
fn ends_a_phrase(w: &str) -> bool {
    ["의", "은", "는", "을", "를", "에", "서", "로", "과", "와", "도", "린", "한", "된", "인", "던", "적"]
        .iter()
        .any(|e| w.ends_with(e))
}

/// What a parenthesis holds, if it is a name: its side and words.
fn inside(text: &str) -> Option<(Side, Vec<&str>)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_WORDS || text.contains("://") || text.contains("www.") {
        return None;
    }
    if words.iter().all(|w| latin_word(w)) && words[0].chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        Some((Side::EnInside, words))
    } else if words.iter().all(|w| korean_word(w)) {
        Some((Side::KoInside, words))
    } else {
        None
    }
}

/// The words right before a parenthesis (at most one space between), last word last, as long as
/// they are words of the other language: the candidates for the name. A line, or a word ending
/// a sentence or a clause ("말했다.", "요약:"), ends them; so does an opening quote.
fn before(text: &str, side: Side) -> Vec<&str> {
    let text = text.strip_suffix(' ').unwrap_or(text);
    if text.is_empty() || text.ends_with(char::is_whitespace) {
        return Vec::new();
    }
    let fits = |w: &str| match side {
        Side::EnInside => korean_word(w),
        Side::KoInside => latin_word(w),
    };
    let line = &text[text.rfind('\n').map_or(0, |i| i + 1)..];
    let mut words = Vec::new();
    for w in line.split(' ').rev() {
        let trimmed = w.trim_start_matches(['"', '\'', '“', '‘', '(', '[', '*', '<', '「', '『']);
        if words.len() == MAX_WORDS || !fits(trimmed) {
            break;
        }
        words.push(trimmed);
        if trimmed.len() != w.len() {
            break;
        }
    }
    words.reverse();
    words
}

/// Every `name(other name)` in `text`: (side, words before, words inside).
fn pairs(text: &str) -> Vec<(Side, Vec<&str>, Vec<&str>)> {
    let mut out = Vec::new();
    for (open, _) in text.match_indices('(') {
        let rest = &text[open + 1..];
        let Some(close) = rest.find([')', '(', '\n']) else { continue };
        if !rest[close..].starts_with(')') {
            continue;
        }
        let Some((side, inner)) = inside(rest[..close].trim()) else { continue };
        let outer = before(&text[..open], side);
        if !outer.is_empty() {
            out.push((side, outer, inner));
        }
    }
    out
}

/// A Korean name that is a sentence's end, not a name (있습니다, 했다).
fn looks_like_a_verb(ko: &str) -> bool {
    ["니다", "했다", "한다", "된다", "있다", "없다", "이다", "세요", "해요"].iter().any(|e| ko.ends_with(e))
}

/// An acronym (LLM, MCP, MoE): its capitals bound how many Korean words may spell it out.
fn acronym_len(words: &[&str]) -> usize {
    let capitals = |w: &str| w.chars().filter(char::is_ascii_uppercase).count();
    match words {
        [w] if (2..=6).contains(&w.len()) && w.chars().all(|c| c.is_ascii_alphanumeric()) && capitals(w) >= 2 => {
            capitals(w)
        }
        _ => 0,
    }
}

/// A post's blog and date.
#[derive(Clone, Copy)]
struct Seen {
    blog: usize,
    date: NaiveDate,
}

/// For one parenthesis content: each candidate name before it (words, joined by a space) and the
/// pairs it was seen in (ids of single `name(other name)` occurrences).
type Candidates = BTreeMap<String, BTreeSet<usize>>;

/// Which candidate names before one parenthesis content are names, by counting occurrences,
/// longest first: a candidate of n words is a name when
/// - no word but its last ends like a particle or verb ([`ends_a_phrase`]: "메타의 르쿤" is not
///   a name);
/// - at least [`LONGER_SHARE`] of the occurrences of its last n−1 words spell all n (so
///   "바이브 코딩" is the name of "Vibe Coding" and "코딩" is not, but "최근 르쿤" is not one of
///   "Yann LeCun");
/// - after the occurrences of the longer names found that end with it, at least
///   [`LONGER_SHARE`] of its occurrences are left, in [`MIN_POSTS`] posts ("르쿤" alone, besides
///   "얀 르쿤");
/// - it has at most `max_words` words. A longer one that passes the rest is not returned but
///   still claims its occurrences: "환각 현상(Hallucination)" keeps "현상" from being a name of
///   Hallucination.
///
/// `post[occurrence]` is the post of each occurrence.
fn select(candidates: &Candidates, max_words: usize, post: &[usize]) -> Vec<String> {
    let words = |s: &str| s.split(' ').count();
    let posts = |occ: &BTreeSet<usize>| occ.iter().map(|o| post[*o]).collect::<BTreeSet<_>>().len();
    let mut order: Vec<&String> = candidates.keys().collect();
    order.sort_by(|a, b| words(b).cmp(&words(a)).then(candidates[*b].len().cmp(&candidates[*a].len())).then(a.cmp(b)));
    let mut found: Vec<&String> = Vec::new();
    for name in order {
        let occ = &candidates[name];
        let first_words = name.rsplit_once(' ').map_or("", |(first, _)| first);
        if posts(occ) < MIN_POSTS || first_words.split(' ').any(ends_a_phrase) {
            continue;
        }
        if let Some((_, shorter)) = name.split_once(' ') {
            let shorter = candidates.get(shorter).map_or(occ.len(), BTreeSet::len);
            if (occ.len() as f64) < LONGER_SHARE * shorter as f64 {
                continue;
            }
        }
        let mut left = occ.clone();
        for longer in found.iter().filter(|c| c.ends_with(&format!(" {name}"))) {
            left = left.difference(&candidates[*longer]).copied().collect();
        }
        if posts(&left) >= MIN_POSTS && left.len() as f64 >= LONGER_SHARE * occ.len() as f64 {
            found.push(name);
        }
    }
    found.into_iter().filter(|n| words(n) <= max_words).cloned().collect()
}

/// Mines the glossary of `items`: every pair seen in [`MIN_POSTS`] posts of [`MIN_BLOGS`]
/// blogs, grouped by English name, most seen first (ties by name). Deterministic for the same
/// items in any order.
pub fn mine(items: &[NewsItem]) -> Vec<GlossaryTerm> {
    let mut posts: BTreeMap<&str, (usize, NaiveDate)> = BTreeMap::new();
    let mut blogs: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        let blog = item.post_path.split_once('/').map_or("", |(b, _)| b);
        let n = blogs.len();
        let blog = *blogs.entry(blog).or_insert(n);
        let e = posts.entry(item.post_path.as_str()).or_insert((blog, item.date));
        e.1 = e.1.min(item.date);
    }
    // ids in path order, so that the output does not depend on the order of the items
    let ids: HashMap<&str, usize> = posts.keys().enumerate().map(|(i, p)| (*p, i)).collect();
    let seen: Vec<Seen> = posts.values().map(|&(blog, date)| Seen { blog, date }).collect();

    // (side, parenthesis content key) → candidates before it; and how each was written.
    let mut found: BTreeMap<(Side, String), Candidates> = BTreeMap::new();
    let mut inner_words: HashMap<(Side, String), usize> = HashMap::new();
    let mut acronyms: HashMap<(Side, String), usize> = HashMap::new();
    let mut spellings: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    let mut post_of: Vec<usize> = Vec::new();
    for item in items {
        let post = ids[item.post_path.as_str()];
        for text in [&item.title, &item.summary, &item.why, &item.body] {
            for (side, outer, inner) in pairs(text) {
                let inner_text = inner.join(" ");
                let key = match side {
                    Side::EnInside => en_key(&inner_text),
                    Side::KoInside => inner_text.clone(),
                };
                if side == Side::EnInside {
                    *spellings.entry(key.clone()).or_default().entry(inner_text).or_default() += 1;
                }
                let words = match side {
                    Side::EnInside => key.split(' ').count(),
                    Side::KoInside => inner.len(),
                };
                inner_words.insert((side, key.clone()), words);
                // the largest of its spellings' (MoE and moe): not whichever came last
                let letters = acronym_len(&inner);
                acronyms.entry((side, key.clone())).and_modify(|a| *a = (*a).max(letters)).or_insert(letters);
                let occurrence = post_of.len();
                post_of.push(post);
                let candidates = found.entry((side, key)).or_default();
                for n in 1..=outer.len() {
                    let name = outer[outer.len() - n..].join(" ");
                    if side == Side::KoInside {
                        *spellings.entry(en_key(&name)).or_default().entry(name.clone()).or_default() += 1;
                    }
                    // an English name is counted as written (lower case), so that "End-to-End" is
                    // one word against the Korean's count; grouped by its key below
                    let name = match side {
                        Side::EnInside => name,
                        Side::KoInside => name.to_lowercase(),
                    };
                    candidates.entry(name).or_default().insert(occurrence);
                }
            }
        }
    }

    // English key → Korean name → posts
    let mut terms: BTreeMap<String, BTreeMap<String, BTreeSet<usize>>> = BTreeMap::new();
    for ((side, key), candidates) in &found {
        let k = (*side, key.clone());
        match side {
            Side::EnInside => {
                let max = inner_words[&k].max(acronyms[&k]).min(MAX_WORDS - 1);
                for ko in select(candidates, max, &post_of) {
                    let posts = candidates[&ko].iter().map(|o| post_of[*o]);
                    terms.entry(key.clone()).or_default().entry(ko.clone()).or_default().extend(posts);
                }
            }
            Side::KoInside => {
                for en in select(candidates, inner_words[&k] + 1, &post_of) {
                    let posts = candidates[&en].iter().map(|o| post_of[*o]);
                    terms.entry(en_key(&en)).or_default().entry(key.clone()).or_default().extend(posts);
                }
            }
        }
    }
    // A plural and its singular are one term when both were found (Skills and Skill, World
    // Models and World Model); a plural alone stays as it is.
    let plurals: Vec<String> = terms
        .keys()
        .filter(|k| k.len() > 3 && k.ends_with('s') && terms.contains_key(&k[..k.len() - 1]))
        .cloned()
        .collect();
    for plural in plurals {
        let names = terms.remove(&plural).expect("listed above");
        let singular = terms.get_mut(&plural[..plural.len() - 1]).expect("checked above");
        for (ko, posts) in names {
            singular.entry(ko).or_default().extend(posts);
        }
    }
    let uses = posts_using(items, &ids, terms.values().flat_map(|names| names.keys()));

    let mut out: Vec<GlossaryTerm> = Vec::new();
    for (key, names) in terms {
        let mut ko: Vec<(String, BTreeSet<usize>)> = names
            .into_iter()
            .filter(|(ko, posts)| {
                let blogs: BTreeSet<usize> = posts.iter().map(|p| seen[*p].blog).collect();
                let used = uses.get(ko).copied().unwrap_or(0);
                // one syllable (주 = State, 창 = window) is too many other words
                ko.chars().filter(|c| !c.is_whitespace()).count() >= 2
                    && !looks_like_a_verb(ko)
                    && posts.len() >= MIN_POSTS
                    && blogs.len() >= MIN_BLOGS
                    && posts.len() as f64 >= MIN_SPECIFICITY * used as f64
            })
            .collect();
        // one letter (X, formerly Twitter) matches too much to expand a query with
        if ko.is_empty() || key.chars().filter(char::is_ascii_alphanumeric).count() < 2 {
            continue;
        }
        ko.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let all: BTreeSet<usize> = ko.iter().flat_map(|(_, p)| p.iter().copied()).collect();
        let en = spellings
            .get(&key)
            .and_then(|s| s.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(s, _)| s.clone()))
            .unwrap_or(key);
        out.push(GlossaryTerm {
            en,
            ko: ko.into_iter().map(|(k, _)| k).collect(),
            kind: None,
            posts: all.len(),
            blogs: all.iter().map(|p| seen[*p].blog).collect::<BTreeSet<_>>().len(),
            first_seen: all.iter().map(|p| seen[*p].date).min(),
            status: Status::Mined,
        });
    }
    out.sort_by(|a, b| b.posts.cmp(&a.posts).then(a.en.cmp(&b.en)));
    out
}

/// How many posts use each of `names` at the start of a word (no Hangul right before it), in
/// any item text: one pass over the corpus.
fn posts_using<'a>(
    items: &[NewsItem],
    ids: &HashMap<&str, usize>,
    names: impl Iterator<Item = &'a String>,
) -> HashMap<String, usize> {
    let names: Vec<&str> = names.map(String::as_str).collect::<BTreeSet<_>>().into_iter().collect();
    let Ok(automaton) = aho_corasick::AhoCorasick::new(&names) else { return HashMap::new() };
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for item in items {
        let post = ids[item.post_path.as_str()];
        for text in [&item.title, &item.summary, &item.why, &item.body] {
            for m in automaton.find_overlapping_iter(text.as_str()) {
                if !text[..m.start()].chars().next_back().is_some_and(is_hangul) {
                    seen.insert((m.pattern().as_usize(), post));
                }
            }
        }
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (name, _) in seen {
        *counts.entry(names[name].to_string()).or_default() += 1;
    }
    counts
}

/// `mined` merged into the reviewed list `old`: a term someone checked or rejected keeps its
/// status and its names (a rejected term stays out), its evidence is brought up to date; new terms
/// come in as [`Status::Mined`]; a mined term no longer found is dropped, a checked or rejected
/// one kept. Matched by English key.
pub fn merge(old: &[GlossaryTerm], mined: Vec<GlossaryTerm>) -> Vec<GlossaryTerm> {
    let reviewed: HashMap<String, &GlossaryTerm> =
        old.iter().filter(|t| t.status != Status::Mined).map(|t| (en_key(&t.en), t)).collect();
    let mut out: Vec<GlossaryTerm> = Vec::new();
    let mut placed = std::collections::HashSet::new();
    for term in mined {
        let key = en_key(&term.en);
        match reviewed.get(&key) {
            Some(r) => {
                placed.insert(key);
                out.push(GlossaryTerm {
                    posts: term.posts,
                    blogs: term.blogs,
                    first_seen: term.first_seen,
                    ..(*r).clone()
                });
            }
            None => out.push(term),
        }
    }
    out.extend(old.iter().filter(|t| t.status != Status::Mined && !placed.contains(&en_key(&t.en))).cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str, day: u32, body: &str) -> NewsItem {
        NewsItem {
            id: format!("{path}{day}"),
            post_path: path.into(),
            post_title: String::new(),
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            position: 0,
            title: String::new(),
            summary: String::new(),
            why: String::new(),
            body: body.into(),
            sources: Vec::new(),
            companies: Vec::new(),
            topics: Vec::new(),
            names: Vec::new(),
        }
    }

    #[test]
    fn english_keys_ignore_case_and_hyphens() {
        assert_eq!(en_key("Fine-Tuning"), en_key("fine  tuning"));
        assert_eq!(en_key("Windows"), "windows", "a plural is folded by mine, only next to its singular");
        assert_eq!(en_key("AWS"), "aws");
        let term = |en: &str| GlossaryTerm {
            en: en.into(),
            ko: vec!["가나".into()],
            kind: None,
            posts: 0,
            blogs: 0,
            first_seen: None,
            status: Status::Checked,
        };
        assert_eq!(term("Yann LeCun").slug(), "yann-lecun");
        assert_eq!(term("O'Reilly").slug(), "oreilly");
        assert_eq!(term("Fine-tuning").slug(), term("fine tuning").slug());
    }

    #[test]
    fn reads_both_directions_and_stops_at_sentence_marks() {
        let p = pairs("메타의 수석 과학자 얀 르쿤(Yann LeCun)이 말했다. OpenAI(오픈AI)는, 요약: 환각 (Hallucination)");
        assert_eq!(
            p,
            vec![
                (Side::EnInside, vec!["메타의", "수석", "과학자", "얀", "르쿤"], vec!["Yann", "LeCun"]),
                (Side::KoInside, vec!["OpenAI"], vec!["오픈AI"]),
                (Side::EnInside, vec!["환각"], vec!["Hallucination"]),
            ]
        );
        // not names: links, numbers, a space too many, sentences in parentheses
        assert!(pairs(
            "링크(https://example.com) 매출(2024) 모델  (LLM) 설명(이것은 아주 긴 괄호 안의 설명 문장입니다)"
        )
        .is_empty());
    }

    #[test]
    fn counts_choose_how_many_words_make_the_name() {
        let mut items = Vec::new();
        let before = ["요즘", "최근", "이른바", "요즘", "흔히"];
        for (i, blog) in ["a", "b", "c", "a", "b"].iter().enumerate() {
            let path = format!("{blog}/post{i}.md");
            let text = format!("{} 바이브 코딩(Vibe Coding)이 유행이다. 얀 르쿤(Yann LeCun)과", before[i]);
            items.push(item(&path, i as u32 + 1, &text));
            items.push(item(&path, i as u32 + 1, &format!("메타의 르쿤(Yann LeCun)은 앤트로픽(Anthropic){i}")));
            items.push(item(&path, i as u32 + 1, "환각 현상(Hallucination)과 환각(Hallucination)"));
        }
        // a spelling variant in three posts of two blogs, and a template of one blog
        for (i, blog) in ["a", "b", "c"].iter().enumerate() {
            items.push(item(&format!("{blog}/post{i}.md"), 1, "앤스로픽(Anthropic)"));
        }
        for i in 0..5 {
            items.push(item(&format!("a/post{i}.md"), 1, "데이터 없음(yahoo finance unavailable)"));
        }
        // one syllable; an everyday word glossed now and then (기술 glossed in 3 of the 63 posts
        // that use it: under 5 %); a plural beside its singular; an acronym spelled in two cases
        // (the lower-case one last); a hyphenated English name before its Korean one
        for (i, blog) in ["a", "b", "c"].iter().enumerate() {
            let path = format!("{blog}/post{i}.md");
            let text =
                "주(State) 기술(Skills) 스킬(Skill) 에이전트 스킬(Agent Skills) 전문가 혼합(MoE) End-to-End(종단간)";
            items.push(item(&path, 1, text));
            items.push(item(&path, 1, "에이전트 스킬(Agent Skill) 전문가 혼합(moe)"));
        }
        for i in 0..60 {
            items.push(item(&format!("d/other{i}.md"), 2, &format!("새 기술이 나왔다 {i}")));
        }
        let g = mine(&items);
        let by_en: HashMap<&str, &GlossaryTerm> = g.iter().map(|t| (t.en.as_str(), t)).collect();
        assert_eq!(by_en["Vibe Coding"].ko, ["바이브 코딩"]);
        assert_eq!(by_en["Yann LeCun"].ko, ["르쿤", "얀 르쿤"]);
        assert_eq!(by_en["Anthropic"].ko, ["앤트로픽", "앤스로픽"]);
        assert_eq!(by_en["Hallucination"].ko, ["환각"], "현상 is part of a longer name");
        assert_eq!(by_en["Anthropic"].posts, 5);
        assert_eq!(by_en["Anthropic"].blogs, 3);
        assert_eq!(by_en["Anthropic"].first_seen, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert!(!by_en.contains_key("yahoo finance unavailable"), "one blog's template is not a name");
        assert!(!by_en.contains_key("State"), "one syllable is too many other words");
        assert_eq!(by_en["Skill"].ko, ["스킬"], "기술 is an everyday word, Skills folds into Skill");
        assert_eq!(by_en["Agent Skill"].ko, ["에이전트 스킬"]);
        assert!(!by_en.contains_key("Skills") && !by_en.contains_key("Agent Skills"));
        assert_eq!(by_en["MoE"].ko, ["전문가 혼합"], "the acronym's capitals count, whatever came last");
        assert_eq!(by_en["End-to-End"].ko, ["종단간"]);
        for order in [items.iter().rev().cloned().collect::<Vec<_>>(), {
            let mut shuffled = items.clone();
            shuffled.sort_by(|a, b| a.body.cmp(&b.body));
            shuffled
        }] {
            assert_eq!(mine(&order), g, "the order of the items does not matter");
        }
    }

    #[test]
    fn merging_keeps_what_a_person_decided() {
        let t = |en: &str, ko: &str, status| GlossaryTerm {
            en: en.into(),
            ko: vec![ko.into()],
            kind: (status == Status::Checked).then_some(Kind::Concept),
            posts: 1,
            blogs: 1,
            first_seen: None,
            status,
        };
        let day = NaiveDate::from_ymd_opt(2026, 3, 1);
        let old = vec![
            t("Moat", "해자", Status::Rejected),
            t("Claude", "클로드", Status::Checked),
            t("Gone", "사라짐", Status::Mined),
            t("Hand", "손", Status::Checked),
        ];
        let mined = vec![
            GlossaryTerm { posts: 9, blogs: 3, first_seen: day, ..t("moat", "해자 전략", Status::Mined) },
            GlossaryTerm { posts: 4, ..t("Claude", "클로드 모델", Status::Mined) },
            t("New", "새것", Status::Mined),
        ];
        let merged = merge(&old, mined);
        assert_eq!(merged[1].kind, Some(Kind::Concept), "a checked term keeps its kind");
        type Row<'a> = (&'a str, &'a str, Status, usize, usize, Option<NaiveDate>);
        let summary: Vec<Row> = merged
            .iter()
            .map(|t| (t.en.as_str(), t.ko[0].as_str(), t.status, t.posts, t.blogs, t.first_seen))
            .collect();
        assert_eq!(
            summary,
            [
                ("Moat", "해자", Status::Rejected, 9, 3, day),
                ("Claude", "클로드", Status::Checked, 4, 1, None),
                ("New", "새것", Status::Mined, 1, 1, None),
                ("Hand", "손", Status::Checked, 1, 1, None),
            ],
            "reviewed names and statuses stay, evidence is new, a vanished mined term goes"
        );
    }
}
