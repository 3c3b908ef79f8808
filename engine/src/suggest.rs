//! Typeahead: what the search box suggests while a name is being typed (`GET /api/suggest`).
//!
//! Candidates are the companies, topics and glossary names that have items, the story threads,
//! and the words most frequent in item titles. Every spelling of a candidate (a company's
//! aliases and products, a topic's keywords, a name's other spellings) is kept as its
//! [`keystrokes`] from the start of each of its words, and as the [`initials`] of the same, in
//! two sorted arrays: a prefix is a binary search and a walk over the keys that start with it.
//! So `앤트로` (a syllable still being composed), `엔비디ㅇ`, `anth` and `ㅇㅌㄹㅍ` all find
//! 앤트로픽, and `투자` finds 설비 투자 by its second word.
//!
//! Built on first use, like the entity lists it reads (`Engine::entity_lists`).

use std::collections::HashSet;

use sosik_ko::jamo::{initials, is_initials, keystrokes};
use sosik_types::limits::{MAX_SUGGESTIONS, MAX_SUGGEST_CHARS};
use sosik_types::{EntityKind, SuggestResponse, Suggestion, SuggestionKind};
use unicode_normalization::UnicodeNormalization;

use crate::error::EngineError;
use crate::search::Engine;

/// Title words offered as queries: the most frequent this many.
const MAX_QUERY_WORDS: usize = 20_000;
/// A title word is offered when at least this many items have it in their title.
const MIN_QUERY_WORD_ITEMS: u64 = 2;
/// Word starts indexed per spelling (a thread's title can be long; its first words say most).
const MAX_WORD_STARTS: usize = 12;

/// What one suggestion can lead to.
struct Candidate {
    kind: SuggestionKind,
    id: String,
    label: String,
    items: u64,
    /// Every spelling that finds it; `spellings[0]` is `label`.
    spellings: Vec<String>,
}

/// One way in: a spelling from one of its words on, as typed.
struct Key {
    text: Box<str>,
    candidate: u32,
    spelling: u16,
    /// 0 when `text` starts where the spelling starts.
    word: u8,
}

/// The candidates and their keys, sorted for prefix search.
pub(crate) struct Suggester {
    candidates: Vec<Candidate>,
    keys: Vec<Key>,
    initials: Vec<Key>,
}

/// How well a candidate matched: lower is better.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// The whole spelling is what was typed.
    Whole,
    /// The spelling starts with it.
    Start,
    /// A later word of the spelling starts with it.
    Word,
}

fn kind_order(kind: SuggestionKind) -> u8 {
    match kind {
        SuggestionKind::Company => 0,
        SuggestionKind::Topic => 1,
        SuggestionKind::Person => 2,
        SuggestionKind::Product => 3,
        SuggestionKind::Organization => 4,
        SuggestionKind::Story => 5,
        SuggestionKind::Query => 6,
    }
}

fn name_kind(kind: EntityKind) -> SuggestionKind {
    match kind {
        EntityKind::Company => SuggestionKind::Company,
        EntityKind::Topic => SuggestionKind::Topic,
        EntityKind::Person => SuggestionKind::Person,
        EntityKind::Product => SuggestionKind::Product,
        EntityKind::Organization => SuggestionKind::Organization,
    }
}

/// The byte offsets where the words of `s` start (after spaces and punctuation).
fn word_starts(s: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        let letter = c.is_alphanumeric();
        if letter && !in_word {
            starts.push(i);
        }
        in_word = letter;
    }
    starts.truncate(MAX_WORD_STARTS);
    starts
}

impl Suggester {
    fn new(mut candidates: Vec<Candidate>) -> Suggester {
        // a title word that is also an entity's spelling is offered as the entity only
        let spelled: HashSet<String> = candidates
            .iter()
            .filter(|c| c.kind != SuggestionKind::Query)
            .flat_map(|c| c.spellings.iter().map(|s| keystrokes(s)))
            .collect();
        candidates.retain(|c| c.kind != SuggestionKind::Query || !spelled.contains(&keystrokes(&c.label)));
        let (mut keys, mut initial_keys) = (Vec::new(), Vec::new());
        for (ci, c) in candidates.iter().enumerate() {
            for (si, spelling) in c.spellings.iter().enumerate() {
                for (word, &start) in word_starts(spelling).iter().enumerate() {
                    let rest = &spelling[start..];
                    let key = |text: String| Key {
                        text: text.into_boxed_str(),
                        candidate: ci as u32,
                        spelling: si.min(usize::from(u16::MAX)) as u16,
                        word: word.min(usize::from(u8::MAX)) as u8,
                    };
                    let typed = keystrokes(rest);
                    if !typed.is_empty() {
                        keys.push(key(typed));
                    }
                    // initials from a word that starts in Hangul (those of `AI 데이터센터` are
                    // the second word's); one initial finds too much to be a key of its own, and
                    // is still a prefix of the longer ones
                    let firsts = initials(rest);
                    if rest.chars().next().is_some_and(|c| !initials(&c.to_string()).is_empty())
                        && firsts.chars().count() >= 2
                    {
                        initial_keys.push(key(firsts));
                    }
                }
            }
        }
        // one key per text and candidate: the best way in (the earliest word, then the earliest
        // spelling), so a keyword that is also a label's later word keeps its whole-word tier
        for list in [&mut keys, &mut initial_keys] {
            list.sort_unstable_by(|a, b| {
                (&a.text, a.candidate, a.word, a.spelling).cmp(&(&b.text, b.candidate, b.word, b.spelling))
            });
            list.dedup_by(|later, first| later.text == first.text && later.candidate == first.candidate);
        }
        Suggester { candidates, keys, initials: initial_keys }
    }

    /// The best `limit` candidates for what was typed.
    fn suggest(&self, typed: &str, limit: usize) -> Vec<Suggestion> {
        // best (tier, spelling) per candidate, over both key arrays
        let mut best: Vec<Option<(Tier, u16)>> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        let mut walk = |keys: &[Key], prefix: &str| {
            if prefix.is_empty() {
                return;
            }
            let from = keys.partition_point(|k| &*k.text < prefix);
            for k in keys[from..].iter().take_while(|k| k.text.starts_with(prefix)) {
                let tier = match (k.word, k.text.len() == prefix.len()) {
                    (0, true) => Tier::Whole,
                    (0, false) => Tier::Start,
                    _ => Tier::Word,
                };
                if best.is_empty() {
                    best = vec![None; self.candidates.len()];
                }
                let slot = &mut best[k.candidate as usize];
                match slot {
                    None => {
                        *slot = Some((tier, k.spelling));
                        touched.push(k.candidate);
                    }
                    Some(b) if (tier, k.spelling) < *b => *b = (tier, k.spelling),
                    Some(_) => {}
                }
            }
        };
        walk(&self.keys, &keystrokes(typed));
        if is_initials(typed) {
            walk(&self.initials, &initials(typed));
        }
        let rank = |&ci: &u32| {
            let c = &self.candidates[ci as usize];
            let (tier, _) = best[ci as usize].expect("touched");
            (tier, std::cmp::Reverse(c.items), kind_order(c.kind), c.label.as_str(), ci)
        };
        // the best `limit` of the threads and of the rest, then at most half the list threads
        // (a company has hundreds of threads that start with its name; it and its products and
        // topics should not be pushed off the list by them)
        let is_story = |ci: &u32| self.candidates[*ci as usize].kind == SuggestionKind::Story;
        let (mut stories, mut others): (Vec<u32>, Vec<u32>) = touched.into_iter().partition(is_story);
        for list in [&mut stories, &mut others] {
            if list.len() > limit {
                list.select_nth_unstable_by(limit, |a, b| rank(a).cmp(&rank(b)));
                list.truncate(limit);
            }
            list.sort_unstable_by(|a, b| rank(a).cmp(&rank(b)));
        }
        let story_cap = limit.div_ceil(2).max(limit.saturating_sub(others.len()));
        stories.truncate(story_cap);
        let mut chosen: Vec<u32> = stories.into_iter().chain(others).collect();
        chosen.sort_unstable_by(|a, b| rank(a).cmp(&rank(b)));
        chosen.truncate(limit);
        chosen
            .iter()
            .map(|&ci| {
                let c = &self.candidates[ci as usize];
                let (_, spelling) = best[ci as usize].expect("touched");
                let matched = &c.spellings[usize::from(spelling)];
                Suggestion {
                    kind: c.kind,
                    id: c.id.clone(),
                    label: c.label.clone(),
                    matched: (matched != &c.label).then(|| matched.clone()),
                    items: c.items,
                }
            })
            .collect()
    }
}

impl Engine {
    /// Suggestions for a search box holding `q` (a prefix, possibly ending in a syllable still
    /// being composed, or initial consonants only): at most `limit`, best first.
    pub fn suggest(&self, q: &str, limit: usize) -> Result<SuggestResponse, EngineError> {
        if q.chars().count() > MAX_SUGGEST_CHARS {
            return Err(EngineError::InvalidParam {
                param: "q",
                reason: format!("longer than {MAX_SUGGEST_CHARS} characters"),
            });
        }
        if !(1..=MAX_SUGGESTIONS).contains(&limit) {
            return Err(EngineError::InvalidParam {
                param: "limit",
                reason: format!("must be between 1 and {MAX_SUGGESTIONS}, got {limit}"),
            });
        }
        let suggester = match self.suggester.get() {
            Some(s) => s,
            None => {
                let built = self.build_suggester()?;
                self.suggester.get_or_init(|| built)
            }
        };
        // composed Hangul: text pasted from macOS arrives decomposed (NFD)
        let typed: String = q.trim().nfc().collect();
        Ok(SuggestResponse { query: q.to_owned(), suggestions: suggester.suggest(&typed, limit) })
    }

    /// Builds what [`Engine::suggest`] searches (done on its first call; the server does it when
    /// it opens an index, so no user waits for it).
    pub fn prepare_suggestions(&self) -> Result<(), EngineError> {
        if self.suggester.get().is_none() {
            let built = self.build_suggester()?;
            let _ = self.suggester.set(built);
        }
        Ok(())
    }

    /// How big typeahead's structures are once built: (candidates, keystroke keys, initials
    /// keys); `None` before [`Engine::prepare_suggestions`] or the first suggestion. For benches.
    pub fn suggestion_sizes(&self) -> Option<(usize, usize, usize)> {
        self.suggester.get().map(|s| (s.candidates.len(), s.keys.len(), s.initials.len()))
    }

    fn build_suggester(&self) -> Result<Suggester, EngineError> {
        let lists = self.entity_lists();
        let mut candidates = Vec::new();
        for summary in lists.companies.entities.iter().filter(|e| e.items > 0) {
            let mut spellings = vec![summary.name.clone()];
            if let Some(company) = self.catalog.companies.iter().find(|c| c.slug == summary.slug) {
                spellings.extend(company.aliases.iter().chain(&company.products).cloned());
            }
            candidates.push(entity(summary, SuggestionKind::Company, spellings));
        }
        for summary in lists.topics.entities.iter().filter(|e| e.items > 0) {
            let mut spellings = vec![summary.name.clone()];
            spellings.extend(summary.name_en.clone());
            if let Some(topic) = self.catalog.topics.iter().find(|t| t.slug == summary.slug) {
                spellings.extend(topic.keywords.iter().cloned());
            }
            candidates.push(entity(summary, SuggestionKind::Topic, spellings));
        }
        for summary in lists.names.iter().filter(|e| e.items > 0) {
            let mut spellings = vec![summary.name.clone()];
            spellings.extend(summary.name_en.iter().chain(&summary.aliases).cloned());
            candidates.push(entity(summary, name_kind(summary.kind), spellings));
        }
        for (thread, members) in &self.thread_members {
            let title = self.thread_title(members, &self.group_copies(members));
            candidates.push(Candidate {
                kind: SuggestionKind::Story,
                id: self.meta[thread.first()].id.clone(),
                label: title.clone(),
                items: members.len() as u64,
                spellings: vec![title],
            });
        }
        let mut words = self.title_words(MIN_QUERY_WORD_ITEMS)?;
        words.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(MAX_QUERY_WORDS);
        for (word, items) in words {
            candidates.push(Candidate {
                kind: SuggestionKind::Query,
                id: word.clone(),
                label: word.clone(),
                items,
                spellings: vec![word],
            });
        }
        Ok(Suggester::new(candidates))
    }
}

fn entity(summary: &sosik_types::EntitySummary, kind: SuggestionKind, mut spellings: Vec<String>) -> Candidate {
    let mut seen = HashSet::new();
    spellings.retain(|s| !s.trim().is_empty() && seen.insert(s.clone()));
    Candidate { kind, id: summary.slug.clone(), label: summary.name.clone(), items: summary.items, spellings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(kind: SuggestionKind, id: &str, items: u64, spellings: &[&str]) -> Candidate {
        Candidate {
            kind,
            id: id.into(),
            label: spellings[0].into(),
            items,
            spellings: spellings.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn suggester() -> Suggester {
        Suggester::new(vec![
            candidate(SuggestionKind::Company, "anthropic", 50, &["앤트로픽", "Anthropic", "앤스로픽", "Claude"]),
            candidate(SuggestionKind::Company, "nvidia", 80, &["엔비디아", "NVIDIA"]),
            candidate(
                SuggestionKind::Topic,
                "capex",
                120,
                &["설비 투자·데이터센터", "Capex", "설비 투자", "데이터센터"],
            ),
            candidate(SuggestionKind::Story, "item-1", 4, &["앤트로픽, 새 모델 공개"]),
            candidate(SuggestionKind::Query, "앤트로픽", 30, &["앤트로픽"]),
            candidate(SuggestionKind::Query, "에이전트", 60, &["에이전트"]),
        ])
    }

    fn ids(typed: &str) -> Vec<String> {
        suggester().suggest(typed, 8).into_iter().map(|s| s.id).collect()
    }

    #[test]
    fn composing_syllables_and_initials_find_the_name() {
        assert_eq!(ids("앤트로"), ["anthropic", "item-1"]);
        assert_eq!(ids("앤틀"), ["anthropic", "item-1"]);
        assert_eq!(ids("엔비디ㅇ"), ["nvidia"]);
        assert_eq!(ids("ㅇㅌㄹㅍ"), ["anthropic", "item-1"]);
        assert_eq!(ids("ㅅㅂㅌㅈ"), ["capex"]);
        assert_eq!(ids("ㅅㅂ ㅌㅈ"), ["capex"]);
    }

    #[test]
    fn latin_aliases_and_later_words() {
        let s = suggester().suggest("anth", 8);
        assert_eq!(s[0].id, "anthropic");
        assert_eq!(s[0].label, "앤트로픽");
        assert_eq!(s[0].matched.as_deref(), Some("Anthropic"));
        assert_eq!(ids("CLAU"), ["anthropic"]);
        // 투자 is the second word of two of capex's spellings
        assert_eq!(ids("투자"), ["capex"]);
        // 데이터센터 is capex's keyword and its label's later word: the keyword's tier wins
        let s = suggester().suggest("데이터", 8);
        assert_eq!((s[0].id.as_str(), s[0].matched.as_deref()), ("capex", Some("데이터센터")));
        // a whole match comes before a longer name, whatever the counts
        assert_eq!(ids("에이전트"), ["에이전트"]);
    }

    #[test]
    fn order_and_limit() {
        // a title word that is an entity's spelling is the entity only
        assert!(!ids("앤").contains(&"앤트로픽".to_string()));
        // most items first among names that start with the prefix
        assert_eq!(ids("ㅇ"), ["nvidia", "에이전트", "anthropic", "item-1"]);
        assert_eq!(suggester().suggest("ㅇ", 2).len(), 2);
        // at most half the list is threads while other kinds match
        let many: Vec<Candidate> = (0..10)
            .map(|i| candidate(SuggestionKind::Story, &format!("s{i}"), 100, &["앤트로픽 소식"]))
            .chain([
                candidate(SuggestionKind::Company, "anthropic", 5, &["앤트로픽"]),
                candidate(SuggestionKind::Query, "앤틱", 3, &["앤틱"]),
                candidate(SuggestionKind::Query, "앤드", 2, &["앤드"]),
            ])
            .collect();
        let suggester = Suggester::new(many);
        let kinds =
            |limit| -> Vec<SuggestionKind> { suggester.suggest("앤", limit).into_iter().map(|s| s.kind).collect() };
        let stories = |kinds: &[SuggestionKind]| kinds.iter().filter(|k| **k == SuggestionKind::Story).count();
        assert_eq!(stories(&kinds(4)), 2);
        assert!(kinds(4).contains(&SuggestionKind::Company));
        // threads fill what the other kinds leave
        assert_eq!(stories(&kinds(8)), 5);
        assert_eq!(kinds(8).len(), 8);
        assert!(ids("없는말").is_empty());
        assert!(ids("  ").is_empty());
        assert!(ids("·").is_empty());
    }
}
