//! Finding aliases and keywords in analysed text: patterns as morpheme sequences, matched
//! longest first with the spacing, case and word-boundary rules of the module docs.

use std::collections::HashMap;

use sosik_ko::{Analyzer, Term};

/// One alias or keyword as a morpheme sequence.
pub(super) type Pattern = Vec<String>;

/// A pattern with what matching it requires beyond equal morphemes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) terms: Pattern,
    pub(super) owner: usize,
    /// `tight[i]`: the written alias has nothing but spaces/punctuation between term i and i+1
    /// ("Claude Code"), so the text must not have a particle there either ("Claude의 Code" is
    /// not the phrase). An alias written with a particle ("모델을 출시") allows one.
    pub(super) tight: Vec<bool>,
    /// All-capital Latin aliases of up to 4 characters (MS, LG, SK, AMD, TPU) are matched
    /// case-sensitively: the text must spell exactly this.
    pub(super) exact: Option<String>,
}

/// A match: owner, first term index and number of terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Hit {
    pub(super) owner: usize,
    pub(super) start: usize,
    pub(super) len: usize,
}

pub(super) fn is_short_capitals(alias: &str) -> bool {
    let a = alias.trim();
    (2..=4).contains(&a.chars().count())
        && a.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && a.chars().any(|c| c.is_ascii_uppercase())
}

pub(super) fn index_patterns(
    analyzer: &Analyzer,
    entries: impl Iterator<Item = (usize, String)>,
) -> HashMap<String, Vec<Entry>> {
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
pub(super) fn find_plain(patterns: &HashMap<String, Vec<Entry>>, terms: &[String]) -> Vec<Hit> {
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
pub(super) fn find(patterns: &HashMap<String, Vec<Entry>>, text: &str, terms: &[Term]) -> Vec<Hit> {
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
