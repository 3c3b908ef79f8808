//! Story threads: items about one developing story across days and posts (a launch and its
//! follow-ups, one lawsuit, one export-control saga). Grouped at build time from three signals:
//! embedding similarity, shared companies and time proximity.
//!
//! The unit is a near-duplicate group ([`crate::duplicates`]): copies of one item are one step
//! of a story, never a story by themselves. Units are visited in date order; a unit joins the
//! most similar thread that
//! - had a unit at most [`WINDOW_DAYS`] before it (a saga continues through its steps), or at
//!   most [`MEMORY_DAYS`] before it when the unit is that close to one of its units (the member
//!   rule below): a saga that pauses for weeks and resumes,
//! - began at most [`MAX_SPAN_DAYS`] before it: a product or company covered every day would
//!   otherwise make one thread of months of unrelated steps,
//! - has a unit from another post (passages of one essay do not make a story by themselves),
//! - shares a company with it (the evidence that two similar texts are about the same event
//!   rather than the same subject; [`JOIN_COSINE_ALONE`] can relax this),
//! - and reads alike: the cosine to the thread's centroid, on vectors centred on the corpus
//!   mean (see [`centre`]), is ≥ [`JOIN_COSINE`], or the cosine to one of its units is ≥
//!   [`JOIN_MEMBER_COSINE`] (a follow-up of one step of a broad saga).
//!
//! Recurring sections (the same title in [`RECURRING_TITLE_POSTS`]+ posts on as many dates) are
//! never part of a story.
//!
//! Only threads of at least two units are stories. Thresholds were set on the tuning labels in
//! `tests/fixtures/labels/stories.jsonl` (`sosik-indexer eval-stories`); the held-out labels
//! (`stories_heldout.jsonl`) chose nothing. Rules tried on the tuning set and not kept: people and
//! products as shared entities (`share_names`), units naming other people or products than a
//! thread kept apart (`split_names`: better on the tuning set, worse on the held-out one, so not
//! adopted), and the same cited article joining threads (worse pairwise precision; commit
//! 4c419d3 has it, removed since as it was the most code of the three).

use sosik_corpus::NewsItem;
use sosik_engine::format::ids::{GroupId, ItemOrd, ThreadId};
use sosik_engine::format::vectors::dot;
use std::collections::HashMap;

/// Longest silence inside a thread.
pub const WINDOW_DAYS: i64 = 7;
/// Similarity that joins two units sharing a company.
pub const JOIN_COSINE: f32 = 0.45;
/// Similarity that joins two units without a shared company: above any cosine, i.e. a shared
/// company is required. On the labelled stories allowing 0.6–0.7 changed nothing, and it let
/// company-less recurring sections ("시장 스냅샷" every day) chain into pseudo-stories.
pub const JOIN_COSINE_ALONE: f32 = 1.01;
/// Similarity to one member of a thread that joins it regardless of the centroid.
pub const JOIN_MEMBER_COSINE: f32 = 0.6;
/// A title repeated in at least this many posts on as many dates is a recurring section
/// ("GeekNews — 핵심 변동 5건"), not a story step; such units are left out of threads.
pub const RECURRING_TITLE_POSTS: usize = 3;

/// How story threads are formed; [`Default`] is what `build` uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreadParams {
    pub window_days: i64,
    pub join_cosine: f32,
    pub join_cosine_alone: f32,
    /// A unit this close to one member of a thread may join it even when the centroid is
    /// further away (a follow-up of one step of a broad saga).
    pub join_member_cosine: f32,
    /// Whether the glossary's people, products and organisations an item names count as shared
    /// entities beside its companies (GPT-5.3-Codex, Claude Code, 젠슨 황).
    pub share_names: bool,
    /// A unit that names people, products or organisations of the glossary does not join a
    /// thread that names others but none of its (Claude Code's updates and Claude Opus 4.6's
    /// launch share a company, not a story).
    pub split_names: bool,
    /// A thread quiet for longer than `window_days` but at most this many days takes a unit within
    /// `join_member_cosine` of one of its units (never when that is above 1), with a shared
    /// entity as every join needs (0: off): a saga that pauses.
    pub memory_days: i64,
    /// A thread that began more than this many days before a unit does not take it (0: off): no
    /// thread grows without bound where a product or company is covered every day.
    pub max_span_days: i64,
}

/// How long a quiet thread still takes a unit close to one of its members
/// ([`ThreadParams::memory_days`]).
pub const MEMORY_DAYS: i64 = 60;
/// The longest span a thread grows to ([`ThreadParams::max_span_days`]).
pub const MAX_SPAN_DAYS: i64 = 120;

impl Default for ThreadParams {
    fn default() -> Self {
        ThreadParams {
            window_days: WINDOW_DAYS,
            join_cosine: JOIN_COSINE,
            join_cosine_alone: JOIN_COSINE_ALONE,
            join_member_cosine: JOIN_MEMBER_COSINE,
            share_names: false,
            split_names: false,
            memory_days: MEMORY_DAYS,
            max_span_days: MAX_SPAN_DAYS,
        }
    }
}

/// The story thread of every item (`None`: not part of a story). A thread's id is the ord of its
/// earliest unit's first copy.
pub fn threads(items: &[NewsItem], vectors: &[Vec<f32>], groups: &[GroupId], p: ThreadParams) -> Vec<Option<ThreadId>> {
    link(items, &centre(vectors, groups), groups, p)
}

/// Every e5 vector shares a large common component (any two AI-news items score ~0.8), which
/// swamps the differences between stories: the vectors minus the mean of the units' vectors,
/// normalised again.
pub fn centre(vectors: &[Vec<f32>], groups: &[GroupId]) -> Vec<Vec<f32>> {
    let dim = vectors.first().map_or(0, Vec::len);
    let units: Vec<ItemOrd> = ItemOrd::all(groups.len()).filter(|&o| groups[o].first() == o).collect();
    let mut mean = vec![0.0f32; dim];
    for &u in &units {
        mean.iter_mut().zip(&vectors[u]).for_each(|(m, x)| *m += x / units.len() as f32);
    }
    vectors
        .iter()
        .map(|v| {
            let mut c: Vec<f32> = v.iter().zip(&mean).map(|(x, m)| x - m).collect();
            let n = c.iter().map(|x| x * x).sum::<f32>().sqrt();
            if n > 0.0 {
                c.iter_mut().for_each(|x| *x /= n);
            }
            c
        })
        .collect()
}

/// [`threads`] on vectors already centred.
fn link(items: &[NewsItem], vectors: &[Vec<f32>], groups: &[GroupId], p: ThreadParams) -> Vec<Option<ThreadId>> {
    // units: near-duplicate groups, represented by their first copy
    let mut members: HashMap<GroupId, Vec<usize>> = HashMap::new();
    for (ord, &g) in groups.iter().enumerate() {
        members.entry(g).or_default().push(ord);
    }
    let mut units: Vec<GroupId> = members.keys().copied().collect();
    units.sort_by_key(|&u| (items[u.first()].date, u));
    let companies_of = |u: GroupId| -> Vec<&str> {
        let mut c: Vec<&str> = members[&u]
            .iter()
            .flat_map(|&o| {
                let names = if p.share_names { &items[o].names[..] } else { &[][..] };
                items[o].companies.iter().chain(names).map(String::as_str)
            })
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let unit_companies: HashMap<GroupId, Vec<&str>> = units.iter().map(|&u| (u, companies_of(u))).collect();
    let names_of = |u: GroupId| -> Vec<&str> {
        let mut n: Vec<&str> = members[&u].iter().flat_map(|&o| items[o].names.iter().map(String::as_str)).collect();
        n.sort_unstable();
        n.dedup();
        n
    };
    let unit_names: HashMap<GroupId, Vec<&str>> =
        if p.split_names { units.iter().map(|&u| (u, names_of(u))).collect() } else { HashMap::new() };

    // Threads are compared as a whole: a unit joins when it is close to the thread's centroid
    // (the mean of its units' vectors), not merely to one member — single-link chaining turned
    // the dev corpus into a few threads of thousands of items.
    struct Thread<'a> {
        id: ThreadId,
        sum: Vec<f32>,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
        posts: Vec<&'a str>,
        companies: Vec<&'a str>,
        names: Vec<&'a str>,
        members: Vec<GroupId>,
    }
    let mut title_dates: HashMap<&str, Vec<chrono::NaiveDate>> = HashMap::new();
    for &u in &units {
        title_dates.entry(items[u.first()].title.trim()).or_default().push(items[u.first()].date);
    }
    let recurring = |u: GroupId| {
        let dates = &title_dates[items[u.first()].title.trim()];
        let mut distinct = dates.clone();
        distinct.dedup();
        dates.len() >= RECURRING_TITLE_POSTS && distinct.len() >= RECURRING_TITLE_POSTS
    };
    let reach = p.window_days.max(p.memory_days);
    let mut thread_of: HashMap<GroupId, ThreadId> = HashMap::with_capacity(units.len());
    let mut active: Vec<Thread> = Vec::new();
    // The active threads naming each company (indices into `active`). A unit that shares no
    // company with a thread cannot join it (unless `join_cosine_alone` allows it), so a unit
    // looks only at the threads of its companies: at a million items, two months of active
    // threads are tens of thousands, and comparing each with every unit was most of the build.
    let everywhere = p.join_cosine_alone <= 1.0;
    let mut by_company: HashMap<&str, Vec<usize>> = HashMap::new();
    // `seen[i] == stamp`: thread i was already looked at for the current unit
    let (mut seen, mut stamp) = (Vec::<usize>::new(), 0usize);
    for &a in &units {
        let (item_a, vec_a) = (&items[a.first()], &vectors[a.first()]);
        if recurring(a) {
            thread_of.insert(a, ThreadId::of(a.first()));
            continue;
        }
        let too_long = |t: &Thread| p.max_span_days > 0 && (item_a.date - t.first).num_days() > p.max_span_days;
        // dates only grow: a thread too quiet or too long for this unit is so for every later one
        let before = active.len();
        active.retain(|t| (item_a.date - t.last).num_days() <= reach && !too_long(t));
        if active.len() != before {
            // the indices moved
            by_company.clear();
            for (i, t) in active.iter().enumerate() {
                for c in &t.companies {
                    by_company.entry(c).or_default().push(i);
                }
            }
        }
        let entities_a = &unit_companies[&a];
        let names_a = unit_names.get(&a).map_or(&[][..], Vec::as_slice);
        let candidates: Vec<usize> = if everywhere {
            (0..active.len()).collect()
        } else {
            stamp += 1;
            seen.resize(active.len(), 0);
            let mut c = Vec::new();
            for i in entities_a.iter().filter_map(|e| by_company.get(e)).flatten() {
                if seen[*i] != stamp {
                    seen[*i] = stamp;
                    c.push(*i);
                }
            }
            // in `active` order, so that of equal cosines the earlier thread wins, as it did
            // when every thread was looked at
            c.sort_unstable();
            c
        };
        let mut best: Option<(usize, f32)> = None;
        for (i, t) in candidates.into_iter().map(|i| (i, &active[i])) {
            // a thread made only of this unit's post cannot take it (passages of one essay)
            if t.posts.iter().all(|p| *p == item_a.post_path) {
                continue;
            }
            // a thread found through a company shares it; looking at every thread (only when
            // `join_cosine_alone` can let a thread without one join), it is checked here
            let shared = !everywhere || entities_a.iter().any(|c| t.companies.contains(c));
            if !names_a.is_empty() && !t.names.is_empty() && !names_a.iter().any(|n| t.names.contains(n)) {
                continue;
            }
            let quiet = (item_a.date - t.last).num_days();
            let member = || t.members.iter().map(|&m| dot(vec_a, &vectors[m.first()])).fold(f32::MIN, f32::max);
            let cos = if quiet <= p.window_days {
                let norm = t.sum.iter().map(|x| x * x).sum::<f32>().sqrt();
                let mut cos = if norm > 0.0 { dot(vec_a, &t.sum) / norm } else { 0.0 };
                if cos < p.join_cosine && p.join_member_cosine <= 1.0 && member() >= p.join_member_cosine {
                    cos = p.join_cosine;
                }
                cos
            } else if quiet <= p.memory_days && p.join_member_cosine <= 1.0 && member() >= p.join_member_cosine {
                p.join_cosine
            } else {
                continue;
            };
            if cos < p.join_cosine || best.is_some_and(|(_, c)| c >= cos) {
                continue;
            }
            if !shared && cos < p.join_cosine_alone {
                continue;
            }
            best = Some((i, cos));
        }
        let (i, t) = match best {
            Some((i, _)) => (i, &mut active[i]),
            None => {
                active.push(Thread {
                    id: ThreadId::of(a.first()),
                    sum: vec![0.0; vec_a.len()],
                    first: item_a.date,
                    last: item_a.date,
                    posts: Vec::new(),
                    companies: Vec::new(),
                    names: Vec::new(),
                    members: Vec::new(),
                });
                (active.len() - 1, active.last_mut().expect("just pushed"))
            }
        };
        t.sum.iter_mut().zip(vec_a).for_each(|(s, x)| *s += x);
        t.last = t.last.max(item_a.date);
        t.posts.push(&item_a.post_path);
        t.members.push(a);
        for c in &unit_companies[&a] {
            if !t.companies.contains(c) {
                t.companies.push(c);
                by_company.entry(c).or_default().push(i);
            }
        }
        for n in names_a {
            if !t.names.contains(n) {
                t.names.push(n);
            }
        }
        thread_of.insert(a, t.id);
    }
    let mut size: HashMap<ThreadId, usize> = HashMap::new();
    for t in thread_of.values() {
        *size.entry(*t).or_default() += 1;
    }
    groups
        .iter()
        .map(|g| {
            let t = thread_of[g];
            (size[&t] > 1).then_some(t)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(post: &str, day: u32, companies: &[&str]) -> NewsItem {
        NewsItem {
            id: format!("{post}{day}"),
            post_path: post.into(),
            post_title: String::new(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(day as u64),
            position: 0,
            title: format!("story step {post} {day}"),
            summary: String::new(),
            why: String::new(),
            body: String::new(),
            sources: vec![],
            companies: companies.iter().map(|c| c.to_string()).collect(),
            topics: vec![],
            names: Vec::new(),
        }
    }

    fn unit(angle: f32) -> Vec<f32> {
        vec![angle.cos(), angle.sin()]
    }

    #[test]
    fn threads_follow_similar_items_with_shared_companies_across_posts_and_gaps() {
        let items = vec![
            item("a.md", 0, &["openai"]),  // 0: start of a saga
            item("b.md", 6, &["openai"]),  // 1: follow-up a week later, alike → same thread
            item("c.md", 14, &["openai"]), // 2: 8 days after #1 → still the thread (chain)
            item("d.md", 40, &["openai"]), // 3: alike but after a month of silence → new
            item("e.md", 7, &["google"]),  // 4: alike, no shared company, below the alone bar
            item("f.md", 8, &["nvidia"]),  // 5: different subject
        ];
        let v = vec![unit(0.0), unit(0.3), unit(0.45), unit(0.0), unit(0.65), unit(1.5)];
        let groups: Vec<GroupId> = ItemOrd::all(items.len()).map(GroupId::of).collect();
        let p = ThreadParams {
            window_days: 10,
            join_cosine: 0.93,
            join_cosine_alone: 0.99,
            memory_days: 0,
            max_span_days: 0,
            ..ThreadParams::default()
        };
        // (the alone bar is relaxed here to show both paths)
        let t = link(&items, &v, &groups, p);
        let first = Some(ThreadId::of(ItemOrd::new(0)));
        assert_eq!(t[0], first);
        assert_eq!(t[1], first, "a follow-up joins");
        assert_eq!(t[2], first, "the thread continues through its steps");
        assert_eq!(t[3], None, "a month of silence ends a thread");
        assert_eq!(t[4], None, "similar but no shared company");
        assert_eq!(t[5], None);

        // with a memory, a saga resumes after its pause through a member it is close to …
        let t = link(&items, &v, &groups, ThreadParams { memory_days: 30, ..p });
        assert_eq!(t[3], first, "26 days of silence, alike to the first step");
        // … unless the thread would then span longer than allowed
        let t = link(&items, &v, &groups, ThreadParams { memory_days: 30, max_span_days: 35, ..p });
        assert_eq!(t[3], None, "40 days after the thread began");
        assert_eq!(t[2], first);
    }

    #[test]
    fn centring_removes_the_common_component() {
        // two stories on a shared "AI news" direction: alike before centring, apart after
        let v = vec![vec![0.9, 0.3, 0.0], vec![0.9, 0.29, 0.05], vec![0.9, -0.3, 0.0], vec![0.9, -0.31, -0.05]];
        let groups = g(&[0, 1, 2, 3]);
        assert!(dot(&v[0], &v[2]) > 0.7);
        let c = centre(&v, &groups);
        assert!(dot(&c[0], &c[2]) < 0.0, "different stories point apart");
        assert!(dot(&c[0], &c[1]) > 0.9, "one story stays together");
        assert!(c.iter().all(|x| (dot(x, x) - 1.0).abs() < 1e-5), "unit length");
    }

    /// Near-duplicate groups by the ord of their first copy.
    fn g(firsts: &[usize]) -> Vec<GroupId> {
        firsts.iter().map(|&o| GroupId::of(ItemOrd::new(o))).collect()
    }

    /// Threads by the ord of their first item.
    fn ids(firsts: &[Option<usize>]) -> Vec<Option<ThreadId>> {
        firsts.iter().map(|t| t.map(|o| ThreadId::of(ItemOrd::new(o)))).collect()
    }

    #[test]
    fn a_follow_up_of_one_step_joins_through_that_member() {
        let items = vec![item("a.md", 0, &["openai"]), item("b.md", 1, &["openai"]), item("c.md", 2, &["openai"])];
        // #0 and #1 joined (centroid at angle 0.2); #2 is far from the centroid but near #1
        let v = vec![unit(0.0), unit(0.4), unit(0.9)];
        let strict = ThreadParams {
            window_days: 7,
            join_cosine: 0.9,
            join_cosine_alone: 2.0,
            join_member_cosine: 2.0,
            ..ThreadParams::default()
        };
        let t = link(&items, &v, &g(&[0, 1, 2]), strict);
        assert_eq!(t, ids(&[Some(0), Some(0), None]), "centroid cos(0.7) < 0.9 without the member rule");
        let t = link(&items, &v, &g(&[0, 1, 2]), ThreadParams { join_member_cosine: 0.85, ..strict });
        assert_eq!(t, ids(&[Some(0), Some(0), Some(0)]));
    }

    #[test]
    fn with_split_names_units_naming_other_products_stay_apart() {
        let mut items =
            vec![item("a.md", 0, &["anthropic"]), item("b.md", 1, &["anthropic"]), item("c.md", 2, &["anthropic"])];
        items[0].names = vec!["claude-code".into()];
        items[1].names = vec!["claude-code".into()];
        items[2].names = vec!["claude-opus".into()];
        let v = vec![unit(0.0), unit(0.0), unit(0.0)];
        let t = link(&items, &v, &g(&[0, 1, 2]), ThreadParams::default());
        assert_eq!(t, ids(&[Some(0), Some(0), Some(0)]), "one company, alike: one thread");
        let t = link(&items, &v, &g(&[0, 1, 2]), ThreadParams { split_names: true, ..ThreadParams::default() });
        assert_eq!(t, ids(&[Some(0), Some(0), None]), "another product of the company is another story");
    }

    #[test]
    fn recurring_sections_are_never_stories() {
        let mut items: Vec<NewsItem> = (0..4).map(|d| item(&format!("p{d}.md"), d, &["openai"])).collect();
        for it in &mut items {
            it.title = "시장 스냅샷".into();
        }
        let v = vec![unit(0.0); 4];
        let t = link(&items, &v, &g(&[0, 1, 2, 3]), ThreadParams::default());
        assert_eq!(t, ids(&[None; 4]), "the same title on four dates is a section, not a story");
        items[3].title = "다른 소식".into();
        items.truncate(2); // twice is not yet recurring
        let t = link(&items, &v[..2], &g(&[0, 1]), ThreadParams::default());
        assert_eq!(t, ids(&[Some(0), Some(0)]));
    }

    #[test]
    fn passages_of_one_post_are_not_a_story() {
        let items = vec![item("essay.md", 0, &["openai"]), item("essay.md", 0, &["openai"])];
        let t = link(&items, &[unit(0.0), unit(0.01)], &g(&[0, 1]), ThreadParams::default());
        assert_eq!(t, ids(&[None, None]));
    }

    #[test]
    fn copies_are_one_unit_and_never_a_story_alone() {
        let items = vec![item("a.md", 0, &["openai"]), item("b.md", 1, &["openai"])];
        let v = vec![unit(0.0), unit(0.0)];
        // both items are copies of one near-duplicate group
        let t = link(&items, &v, &g(&[0, 0]), ThreadParams::default());
        assert_eq!(t, ids(&[None, None]));
    }
}
