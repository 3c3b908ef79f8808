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
//! - B-cubed: per labelled item, precision is the share of its thread's items inside its story's
//!   window that belong to its story (an item outside every thread is a thread of its own), and
//!   recall the share of its story that its thread holds. Averaged over items (`item`), and over
//!   stories, each story's items averaged first (`story`), so that one long saga weighs like any
//!   other story (pairwise figures grow with the square of a story's size: one 44-item story
//!   holds most labelled pairs).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::IndexerError;
use sosik_corpus::NewsItem;
use sosik_engine::format::ids::ThreadId;

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

/// B-cubed precision and recall, averaged over labelled items and over stories.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BCubed {
    pub item_precision: f64,
    pub item_recall: f64,
    pub story_precision: f64,
    pub story_recall: f64,
    /// Each labelled story's B-cubed F1 (its items' precision and recall averaged first), in the
    /// labels' order: what a paired test between two groupings compares.
    pub per_story_f1: Vec<f64>,
}

impl BCubed {
    pub fn item_f1(&self) -> f64 {
        super::f1(self.item_precision, self.item_recall)
    }
    pub fn story_f1(&self) -> f64 {
        super::f1(self.story_precision, self.story_recall)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryScores {
    pub bcubed: BCubed,
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

/// Scores a grouping of the corpus into threads (`thread`, one per item) against the labels.
pub fn evaluate(
    items: &[NewsItem],
    thread: &[Option<ThreadId>],
    labels: &[LabelledStory],
    pairs: &[LabelledPair],
) -> StoryScores {
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
    scores.bcubed = bcubed(items, thread, &thread_members, labels, &members);
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

/// B-cubed over the labelled items (see the module's comment). An item in two labelled stories
/// (a digest item reporting both) is scored once per story.
fn bcubed(
    items: &[NewsItem],
    thread: &[Option<ThreadId>],
    thread_members: &HashMap<ThreadId, Vec<usize>>,
    labels: &[LabelledStory],
    members: &[HashSet<usize>],
) -> BCubed {
    let (mut item_p, mut item_r, mut n) = (0.0, 0.0, 0usize);
    let (mut story_p, mut story_r, mut stories) = (0.0, 0.0, 0usize);
    let mut per_story_f1 = Vec::with_capacity(labels.len());
    for (s, m) in labels.iter().zip(members) {
        if m.is_empty() {
            continue;
        }
        let (mut p_sum, mut r_sum) = (0.0, 0.0);
        // in index order: the same sums, bit for bit, on every run (a set iterates at random)
        let mut ordered: Vec<usize> = m.iter().copied().collect();
        ordered.sort_unstable();
        for a in ordered {
            let alone = [a];
            let cluster: &[usize] = match thread[a] {
                Some(t) => &thread_members[&t],
                None => &alone,
            };
            // the item itself is always judged, even when a label dates it outside its window
            let in_window = cluster.iter().filter(|&&b| b == a || (items[b].date >= s.from && items[b].date <= s.to));
            let (judged, right) = in_window.fold((0usize, 0usize), |(j, r), b| (j + 1, r + usize::from(m.contains(b))));
            p_sum += right as f64 / judged.max(1) as f64;
            r_sum += right as f64 / m.len() as f64;
        }
        item_p += p_sum;
        item_r += r_sum;
        n += m.len();
        story_p += p_sum / m.len() as f64;
        story_r += r_sum / m.len() as f64;
        per_story_f1.push(super::f1(p_sum / m.len() as f64, r_sum / m.len() as f64));
        stories += 1;
    }
    let avg = |sum: f64, count: usize| if count == 0 { 0.0 } else { sum / count as f64 };
    BCubed {
        item_precision: avg(item_p, n),
        item_recall: avg(item_r, n),
        story_precision: avg(story_p, stories),
        story_recall: avg(story_r, stories),
        per_story_f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, day: u32) -> NewsItem {
        NewsItem {
            id: title.into(),
            post_path: format!("{title}.md"),
            post_title: String::new(),
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            position: 0,
            title: title.into(),
            summary: String::new(),
            why: String::new(),
            body: String::new(),
            sources: vec![],
            companies: vec![],
            topics: vec![],
            names: vec![],
        }
    }

    fn story(titles: &[&str]) -> LabelledStory {
        LabelledStory {
            story: "s".into(),
            kind: "other".into(),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
            items: titles.iter().map(|t| ItemRef { post_path: format!("{t}.md"), item_title: t.to_string() }).collect(),
        }
    }

    #[test]
    fn bcubed_weighs_every_story_alike_and_judges_only_the_window() {
        use sosik_engine::format::ids::ItemOrd;
        // a, b, c: story 1; d, e: story 2; f: unlabelled, in the window; g: outside every window
        let items: Vec<NewsItem> = [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5), ("f", 6), ("g", 25)]
            .iter()
            .map(|&(t, d)| item(t, d))
            .collect();
        let t = |o: usize| Some(ThreadId::of(ItemOrd::new(o)));
        // threads: {a, b, f, g}, {d, e}; c alone
        let thread = vec![t(0), t(0), None, t(3), t(3), t(0), t(0)];
        let labels = [story(&["a", "b", "c"]), story(&["d", "e"])];
        let s = evaluate(&items, &thread, &labels, &[]);
        // a, b: 2 right of 3 judged (g is outside the window), recall 2/3; c: 1/1, recall 1/3
        // d, e: 1 and 1
        let b = &s.bcubed;
        let close = |x: f64, y: f64| assert!((x - y).abs() < 1e-9, "{x} vs {y}");
        close(b.item_precision, (2.0 / 3.0 * 2.0 + 1.0 + 2.0) / 5.0);
        close(b.item_recall, (2.0 / 3.0 * 2.0 + 1.0 / 3.0 + 2.0) / 5.0);
        close(b.story_precision, ((2.0 / 3.0 * 2.0 + 1.0) / 3.0 + 1.0) / 2.0);
        close(b.story_recall, ((2.0 / 3.0 * 2.0 + 1.0 / 3.0) / 3.0 + 1.0) / 2.0);
        // pairwise: gold pairs a-b, a-c, b-c, d-e; found a-b and d-e
        assert_eq!((s.gold_pairs, s.found_gold_pairs), (4, 2));
    }
}
