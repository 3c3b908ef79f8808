//! `sosik-indexer eval-stories`: pairwise precision and recall of the story threads against
//! hand-labelled stories (`tests/fixtures/labels/stories.jsonl`, see STORIES.md there).
//!
//! Each labelled story lists *every* item of the corpus about it within its `from..=to` window.
//! - Recall: of the pairs of items of one labelled story, the share the grouping puts in one
//!   thread.
//! - Precision: of the pairs the grouping puts in one thread where one item is labelled and the
//!   other lies inside that label's window, the share that are labelled as one story. (Outside
//!   the window nothing was labelled, so those pairs are not judged.)
//! - Pairs: hand-picked look-alike pairs of different stories and far-apart pairs of one
//!   story (`story_pairs.jsonl`), and how many the grouping gets right.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::build::stories::{threads, ThreadParams};
use crate::error::IndexerError;
use sosik_corpus::NewsItem;
use sosik_engine::format::ids::{GroupId, ThreadId};

#[derive(Clone, Debug, Deserialize)]
pub struct ItemRef {
    pub post_path: String,
    pub item_title: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LabelledStory {
    pub story: String,
    pub kind: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<ItemRef>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LabelledPair {
    pub a: ItemRef,
    pub b: ItemRef,
    pub same: bool,
}

pub fn read_stories(path: &Path) -> Result<Vec<LabelledStory>, IndexerError> {
    super::read_jsonl(path)
}

pub fn read_pairs(path: &Path) -> Result<Vec<LabelledPair>, IndexerError> {
    super::read_jsonl(path)
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryScores {
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub gold_pairs: u64,
    pub found_gold_pairs: u64,
    pub pairs_right: usize,
    pub pairs_total: usize,
    /// Of those, the pairs labelled as one story.
    pub same_pairs_right: usize,
    pub same_pairs_total: usize,
    /// Labelled items the index does not have (a label to fix).
    pub missing: Vec<String>,
    /// Items that are in a story at all / all items.
    pub items_in_stories: usize,
    pub stories: usize,
    pub largest_story: usize,
}

impl StoryScores {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pairs, self.predicted_pairs)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.found_gold_pairs, self.gold_pairs)
    }
    pub fn f1(&self) -> f64 {
        super::f1(self.precision(), self.recall())
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores the grouping `params` makes of the corpus against the labels.
pub fn evaluate(
    items: &[NewsItem],
    vectors: &[Vec<f32>],
    groups: &[GroupId],
    labels: &[LabelledStory],
    pairs: &[LabelledPair],
    params: ThreadParams,
) -> StoryScores {
    let thread = threads(items, vectors, groups, params);
    let mut by_ref: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (o, it) in items.iter().enumerate() {
        by_ref.entry((it.post_path.as_str(), it.title.as_str())).or_default().push(o);
    }
    let mut scores = StoryScores::default();
    let resolve = |r: &ItemRef, missing: &mut Vec<String>| -> Vec<usize> {
        match by_ref.get(&(r.post_path.as_str(), r.item_title.as_str())) {
            Some(o) => o.clone(),
            None => {
                missing.push(format!("{} / {}", r.post_path, r.item_title));
                Vec::new()
            }
        }
    };
    let mut missing = Vec::new();
    let members: Vec<HashSet<usize>> = labels
        .iter()
        .map(|s| s.items.iter().flat_map(|r| resolve(r, &mut missing)).collect::<HashSet<usize>>())
        .collect();
    let same_thread = |a: usize, b: usize| thread[a].is_some() && thread[a] == thread[b];

    // recall over the labelled pairs
    for m in &members {
        let v: Vec<usize> = m.iter().copied().collect();
        for i in 0..v.len() {
            for j in i + 1..v.len() {
                scores.gold_pairs += 1;
                scores.found_gold_pairs += same_thread(v[i], v[j]) as u64;
            }
        }
    }
    // precision over predicted pairs with a labelled item and the other inside its window
    let mut thread_members: HashMap<ThreadId, Vec<usize>> = HashMap::new();
    for (o, t) in thread.iter().enumerate() {
        if let Some(t) = t {
            thread_members.entry(*t).or_default().push(o);
        }
    }
    let mut judged: HashSet<(usize, usize)> = HashSet::new();
    for (s, m) in labels.iter().zip(&members) {
        for &a in m {
            let Some(t) = thread[a] else { continue };
            for &b in &thread_members[&t] {
                if b == a || items[b].date < s.from || items[b].date > s.to {
                    continue;
                }
                let key = (a.min(b), a.max(b));
                if !judged.insert(key) {
                    continue;
                }
                scores.predicted_pairs += 1;
                scores.true_pairs += members.iter().any(|m| m.contains(&a) && m.contains(&b)) as u64;
            }
        }
    }
    for p in pairs {
        let (a, b) = (resolve(&p.a, &mut missing), resolve(&p.b, &mut missing));
        if let (Some(&a), Some(&b)) = (a.first(), b.first()) {
            scores.pairs_total += 1;
            scores.pairs_right += (same_thread(a, b) == p.same) as usize;
            if p.same {
                scores.same_pairs_total += 1;
                scores.same_pairs_right += same_thread(a, b) as usize;
            }
        }
    }
    scores.missing = missing;
    scores.items_in_stories = thread.iter().filter(|t| t.is_some()).count();
    scores.stories = thread_members.len();
    scores.largest_story = thread_members.values().map(Vec::len).max().unwrap_or(0);
    scores
}
