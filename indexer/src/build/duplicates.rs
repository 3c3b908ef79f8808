//! Near-duplicate items: the same story repeated by several blogs, or by one blog's morning and
//! evening posts. Grouped at build time, collapsed into one hit ("also in N posts") at search time.
//!
//! Two items from different posts are the same story when they cite the same article (a URL
//! cited by at most [`MAX_POSTS_PER_ARTICLE`] posts) and read alike (cosine ≥
//! [`SAME_ARTICLE_COSINE`]), or when their embeddings are nearly identical (cosine ≥
//! [`SAME_STORY_COSINE`]) and they were published within [`WINDOW_DAYS`] of each other. A group
//! is a first copy and the later items that duplicate it directly (see [`group`]).

use sosik_corpus::model::article_key;
use sosik_corpus::NewsItem;
use sosik_engine::format::ids::{GroupId, ItemOrd};
use sosik_engine::format::vectors::dot;
use std::collections::HashMap;

/// Rewrites of one story score 0.95+; distinct stories on one subject stay below ~0.92.
pub const SAME_STORY_COSINE: f32 = 0.95;
pub const WINDOW_DAYS: i64 = 3;

/// An article cited by more posts than this is a reference (a paper, a guide), not one story.
pub const MAX_POSTS_PER_ARTICLE: usize = 6;
/// Two items citing the same article must also read alike: posts cite one article for
/// different stories (a follow-up, a comparison).
pub const SAME_ARTICLE_COSINE: f32 = 0.88;

/// Group id for every item: the ord of the group's first copy (earliest date, then lowest ord).
///
/// Items are visited in date order; an item joins the group of an earlier *first copy* it
/// duplicates directly, never through a chain of look-alikes (A≈B≈C does not make A≈C: that is
/// how a week of follow-ups would swallow each other).
pub fn group(items: &[NewsItem], vectors: &[Vec<f32>]) -> Vec<GroupId> {
    let mut citing: HashMap<String, Vec<usize>> = HashMap::new();
    for (ord, item) in items.iter().enumerate() {
        for s in &item.sources {
            if let Some(key) = article_key(&s.url) {
                let list = citing.entry(key).or_default();
                if list.last() != Some(&ord) {
                    list.push(ord);
                }
            }
        }
    }
    // an article cited by too many posts is a reference, not a story
    citing.retain(|_, ords| {
        let mut posts: Vec<&str> = ords.iter().map(|&o| items[o].post_path.as_str()).collect();
        posts.sort_unstable();
        posts.dedup();
        (2..=MAX_POSTS_PER_ARTICLE).contains(&posts.len())
    });
    let mut articles_of: HashMap<usize, Vec<&str>> = HashMap::new();
    for (key, ords) in &citing {
        for &o in ords {
            articles_of.entry(o).or_default().push(key);
        }
    }

    let mut by_day: Vec<usize> = (0..items.len()).collect();
    by_day.sort_by_key(|&o| (items[o].date, o));
    let mut visited = vec![false; items.len()];
    let mut group: Vec<GroupId> = ItemOrd::all(items.len()).map(GroupId::of).collect();
    let mut start = 0;
    for i in 0..by_day.len() {
        let a = by_day[i];
        while (items[a].date - items[by_day[start]].date).num_days() > WINDOW_DAYS {
            start += 1;
        }
        let other_post = |b: usize| items[b].post_path != items[a].post_path;
        let mut best: Option<(usize, f32)> = None;
        let mut consider = |first: usize, cos: f32| {
            if best.is_none_or(|(_, c)| cos > c) {
                best = Some((first, cos));
            }
        };
        // nearly identical text published within the window
        for &b in &by_day[start..i] {
            if group[b].first().index() == b && other_post(b) {
                let cos = dot(&vectors[a], &vectors[b]);
                if cos >= SAME_STORY_COSINE {
                    consider(b, cos);
                }
            }
        }
        // the same article, read alike
        for key in articles_of.get(&a).map_or(&[][..], Vec::as_slice) {
            for &c in &citing[*key] {
                let first = group[c].first().index();
                if visited[c] && other_post(first) {
                    let cos = dot(&vectors[a], &vectors[first]);
                    if cos >= SAME_ARTICLE_COSINE {
                        consider(first, cos);
                    }
                }
            }
        }
        if let Some((first, _)) = best {
            group[a] = GroupId::of(ItemOrd::new(first));
        }
        visited[a] = true;
    }
    group
}

#[cfg(test)]
mod tests {
    use super::*;
    use sosik_corpus::SourceLink;

    fn item(post: &str, day: u32, url: &str) -> NewsItem {
        NewsItem {
            id: format!("{post}{day}"),
            post_path: post.into(),
            post_title: String::new(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            position: 0,
            title: String::new(),
            summary: String::new(),
            why: String::new(),
            body: String::new(),
            sources: vec![SourceLink { title: String::new(), url: url.into(), domain: String::new() }],
            companies: vec![],
            topics: vec![],
            names: Vec::new(),
        }
    }

    #[test]
    fn same_article_or_same_text_groups_across_posts_only() {
        let items = vec![
            item("a.md", 1, "https://techcrunch.com/2026/01/01/story-one/"),
            item("b.md", 2, "https://www.techcrunch.com/2026/01/01/story-one?utm=x"),
            item("b.md", 2, "https://techcrunch.com/2026/01/01/story-one"), // also cites it, from another post than #0
            item("c.md", 9, "https://techcrunch.com/"),                     // home page: identifies nothing
            item("d.md", 9, "https://example.com/other-story-here"),
            item("e.md", 20, "https://example.com/unrelated-thing"),
        ];
        let mut v: Vec<Vec<f32>> =
            vec![vec![1.0, 0.0], vec![0.95, 0.31], vec![0.95, 0.31], vec![0.6, 0.8], vec![0.6, 0.8], vec![0.6, 0.8]];
        for x in &mut v {
            let n = (x[0] * x[0] + x[1] * x[1]).sqrt();
            x.iter_mut().for_each(|c| *c /= n);
        }
        let g = group(&items, &v);
        assert_eq!(g[1], g[0], "same article URL");
        assert_eq!(g[2], g[0], "item 2 cites the same article too");
        assert_eq!(g[4], g[3], "identical embeddings on the same day");
        assert_ne!(g[5], g[3], "identical embeddings but 11 days apart");
        assert_ne!(g[3], g[0]);

        // the same article cited for a story that reads differently stays apart
        let apart = vec![
            item("a.md", 1, "https://example.com/2026/report"),
            item("b.md", 1, "https://example.com/2026/report"),
        ];
        let g = group(&apart, &[vec![1.0, 0.0], vec![0.0, 1.0]]);
        assert_ne!(g[0], g[1]);
    }
}
