//! Where a story came from (출처 계보): for a near-duplicate group (one story carried by several
//! posts), the article it reports — its primary source — the post that carried it first and
//! every later post with its lag in days; and, over all groups, how soon each blog relays what
//! another blog carried first (`GET /api/relays`).
//!
//! Computed from the stored items when asked (a group's members are a few documents; the relay
//! statistics read every member of every group of two posts or more once per engine), so a build
//! does no extra work and the index format is unchanged.
//!
//! A *blog* is the first folder of a post's path (the dev corpus keeps each blog in its own
//! folder); posts at the top of the posts folder make one blog named "".

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sosik_corpus::model::{article_key, page_key};
use sosik_corpus::NewsItem;
use sosik_types::{BlogRelays, Carrier, LagBucket, Lineage, PrimarySource, RelayStats, SourceKind};

use crate::error::EngineError;
use crate::format::ids::{GroupId, ItemOrd};
use crate::search::Engine;

/// Sites that relay what others published, link shorteners and archives: never a story's
/// primary source. (A hand-kept list, like the two below: which sites report and which link is a
/// property of the web, not of a corpus, and the dev corpus's most cited domains were read to
/// write them.)
const AGGREGATORS: &[&str] = &[
    "news.hada.io",
    "news.ycombinator.com",
    "reddit.com",
    "old.reddit.com",
    "news.google.com",
    "news.naver.com",
    "t.co",
    "bit.ly",
    "lnkd.in",
    "buff.ly",
    "ow.ly",
    "web.archive.org",
    "archive.ph",
    "archive.today",
];

/// News outlets: between articles cited by as many posts, a report comes after the publisher's
/// own page (and before a social-media post).
const OUTLETS: &[&str] = &[
    "techcrunch.com",
    "venturebeat.com",
    "theverge.com",
    "cnbc.com",
    "arstechnica.com",
    "reuters.com",
    "bloomberg.com",
    "axios.com",
    "apnews.com",
    "fortune.com",
    "wired.com",
    "engadget.com",
    "businessinsider.com",
    "theinformation.com",
    "ft.com",
    "wsj.com",
    "nytimes.com",
    "washingtonpost.com",
    "theguardian.com",
    "bbc.com",
    "bbc.co.uk",
    "cnn.com",
    "forbes.com",
    "zdnet.com",
    "technologyreview.com",
    "semafor.com",
    "finance.yahoo.com",
    "marketwatch.com",
    "barrons.com",
    "coindesk.com",
    "cointelegraph.com",
    "theblock.co",
    "decrypt.co",
    "gamesindustry.biz",
    "pocketgamer.biz",
    "gamedeveloper.com",
    "9to5mac.com",
    "9to5google.com",
    "macrumors.com",
    "tomshardware.com",
    "theregister.com",
    "siliconangle.com",
    "artificialintelligence-news.com",
    "the-decoder.com",
    "aitimes.com",
    "aitimes.kr",
    "itworld.co.kr",
    "ciokorea.com",
    "etnews.com",
    "zdnet.co.kr",
    "hankyung.com",
    "mk.co.kr",
    "chosun.com",
    "joongang.co.kr",
    "donga.com",
    "yna.co.kr",
    "bloter.net",
    "digitaltoday.co.kr",
    "byline.network",
];

/// Social networks and video sites: between articles cited by as many posts, a post there comes
/// last.
const SOCIAL: &[&str] = &[
    "x.com",
    "twitter.com",
    "threads.com",
    "threads.net",
    "facebook.com",
    "linkedin.com",
    "instagram.com",
    "youtube.com",
    "youtu.be",
    "bsky.app",
];

/// Relays binned by lag: 1, 2, 3, 4–7, 8–14, 15–30 and 31+ days.
const LAG_BUCKETS: [(u32, Option<u32>); 7] =
    [(1, Some(1)), (2, Some(2)), (3, Some(3)), (4, Some(7)), (8, Some(14)), (15, Some(30)), (31, None)];

/// The blog of a post: the first folder of its path, "" at the top.
pub fn blog_of(post_path: &str) -> &str {
    post_path.split_once('/').map_or("", |(blog, _)| blog)
}

/// The hosts a blog folder names, whose links are the corpus citing itself: `owner__repo` (a
/// GitHub repository as the dev corpus names its folders) is `owner.github.io`, and `repo` when
/// it is a host name (`owner.github.io`).
fn blog_hosts(blog: &str) -> Vec<String> {
    let blog = blog.to_ascii_lowercase();
    let mut hosts = Vec::new();
    if let Some((owner, repo)) = blog.split_once("__") {
        hosts.push(format!("{owner}.github.io"));
        if repo.contains('.') && repo != hosts[0] {
            hosts.push(repo.to_string());
        }
    } else if blog.contains('.') {
        hosts.push(blog);
    }
    hosts
}

/// The kind of page a domain serves, `None` for one that is never a primary source.
fn kind_of(domain: &str, own: &HashSet<String>) -> Option<SourceKind> {
    // a subdomain counts as its site (`m.techcrunch.com`, `blog.reddit.com` stay with theirs)
    let is =
        |list: &[&str]| list.iter().any(|d| domain == *d || domain.strip_suffix(d).is_some_and(|p| p.ends_with('.')));
    if is(AGGREGATORS) || own.contains(domain) {
        None
    } else if is(SOCIAL) {
        Some(SourceKind::Social)
    } else if is(OUTLETS) {
        Some(SourceKind::Coverage)
    } else {
        Some(SourceKind::Original)
    }
}

/// One group's items as lineage reads them.
struct Member<'a> {
    ord: ItemOrd,
    item: &'a NewsItem,
}

/// The primary source among the members' citations (see [`PrimarySource`]).
fn primary_source(members: &[Member], own: &HashSet<String>) -> Option<PrimarySource> {
    struct Candidate<'a> {
        url: &'a str,
        domain: &'a str,
        title: &'a str,
        kind: SourceKind,
        /// Whether `url` is the form the key names (an arXiv page rather than its mirror), and
        /// when it was cited: the URL shown is the earliest canonical one.
        canonical: bool,
        shown_at: (NaiveDate, usize, ItemOrd),
        posts: HashSet<&'a str>,
        /// The earliest citation: date, its position among the item's sources, the item's ord.
        first: (NaiveDate, usize, ItemOrd),
    }
    let mut candidates: HashMap<String, Candidate> = HashMap::new();
    for m in members {
        for (position, s) in m.item.sources.iter().enumerate() {
            let web = sosik_types::is_web_url(&s.url);
            let (Some(key), Some(kind)) = (web.then(|| page_key(&s.url)).flatten(), kind_of(&s.domain, own)) else {
                continue;
            };
            // a paper is shown by its arXiv page when a post cites that one
            let canonical = !key.starts_with("arxiv.org/") || article_key(&s.url).as_deref() == Some(key.as_str());
            let at = (m.item.date, position, m.ord);
            let c = candidates.entry(key).or_insert_with(|| Candidate {
                url: &s.url,
                domain: &s.domain,
                title: &s.title,
                kind,
                canonical,
                shown_at: at,
                posts: HashSet::new(),
                first: at,
            });
            c.posts.insert(&m.item.post_path);
            if (canonical, std::cmp::Reverse(at)) > (c.canonical, std::cmp::Reverse(c.shown_at)) {
                (c.url, c.domain, c.title, c.canonical, c.shown_at) = (&s.url, &s.domain, &s.title, canonical, at);
            }
            c.first = c.first.min(at);
        }
    }
    let best = candidates.into_values().min_by(|a, b| {
        b.posts.len().cmp(&a.posts.len()).then(a.kind.cmp(&b.kind)).then(a.first.cmp(&b.first)).then(a.url.cmp(b.url))
    })?;
    Some(PrimarySource {
        url: best.url.to_string(),
        domain: best.domain.to_string(),
        title: best.title.to_string(),
        kind: best.kind,
        cited_by: best.posts.len(),
    })
}

/// What [`carriers`] reads of an item.
struct Carried<'a> {
    ord: ItemOrd,
    id: &'a str,
    post_path: &'a str,
    date: NaiveDate,
}

/// The posts that carried a group, oldest first (date, then index order), one per post.
fn carriers<'a>(members: impl IntoIterator<Item = Carried<'a>>) -> Vec<Carrier> {
    let mut sorted: Vec<Carried> = members.into_iter().collect();
    sorted.sort_by_key(|m| (m.date, m.ord));
    let first = sorted.first().map(|m| m.date);
    let mut seen = HashSet::new();
    sorted
        .into_iter()
        .filter(|m| seen.insert(m.post_path))
        .map(|m| Carrier {
            item: m.id.to_owned(),
            post_path: m.post_path.to_owned(),
            blog: blog_of(m.post_path).to_string(),
            date: m.date.format("%Y-%m-%d").to_string(),
            lag_days: first.map_or(0, |f| (m.date - f).num_days().max(0) as u32),
        })
        .collect()
}

fn carried<'a>(members: &'a [Member<'a>]) -> impl Iterator<Item = Carried<'a>> {
    members.iter().map(|m| Carried { ord: m.ord, id: &m.item.id, post_path: &m.item.post_path, date: m.item.date })
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u32], p: f64) -> Option<u32> {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied()
}

impl Engine {
    /// The hosts of the corpus's own blogs (see [`blog_hosts`]), computed once.
    fn own_hosts(&self) -> &HashSet<String> {
        self.own_hosts.get_or_init(|| {
            let blogs: HashSet<&str> = self.meta.iter().map(|m| blog_of(&m.post_path)).collect();
            blogs.into_iter().flat_map(blog_hosts).collect()
        })
    }

    /// The members of the near-duplicate group of the item at `ord`, in index order.
    fn group_of(&self, ord: ItemOrd) -> Vec<ItemOrd> {
        self.members.get(&self.groups[ord]).cloned().unwrap_or_else(|| vec![ord])
    }

    /// The lineage of one group from its members (in index order).
    fn lineage_of(&self, members: &[Member]) -> Lineage {
        let head = self.groups[members[0].ord].first();
        Lineage {
            group: self.meta[head].id.clone(),
            title: self.meta[head].title.clone(),
            source: primary_source(members, self.own_hosts()),
            carriers: carriers(carried(members)),
        }
    }

    /// The lineage of the near-duplicate group of the item at `ord`; `known`: that item, when the
    /// caller has read it already (it is not read again).
    pub(crate) fn lineage(&self, ord: ItemOrd, known: Option<&NewsItem>) -> Result<Lineage, EngineError> {
        let ords = self.group_of(ord);
        let searcher = self.searcher();
        let read: Vec<(ItemOrd, NewsItem)> = ords
            .iter()
            .filter(|&&o| o != ord || known.is_none())
            .map(|&o| Ok((o, self.item_at(&searcher, o)?)))
            .collect::<Result<_, EngineError>>()?;
        let members: Vec<Member> = ords
            .iter()
            .map(|&o| {
                let item = match known {
                    Some(item) if o == ord => item,
                    _ => &read.iter().find(|(r, _)| *r == o).expect("every other member was read").1,
                };
                Member { ord: o, item }
            })
            .collect();
        Ok(self.lineage_of(&members))
    }

    /// How soon each blog relays what another carried first (`GET /api/relays`), computed once
    /// per engine, on first use (requests arriving meanwhile wait for it rather than compute it
    /// again). A lock beside the `OnceLock` because the computation can fail (reading stored
    /// items), and `OnceLock::get_or_try_init` is not stable: a failure is returned, not kept.
    pub fn relays(&self) -> Result<&RelayStats, EngineError> {
        if let Some(stats) = self.relay_stats.get() {
            return Ok(stats);
        }
        let _computing = self.relay_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(stats) = self.relay_stats.get() {
            return Ok(stats);
        }
        let stats = self.compute_relays()?;
        Ok(self.relay_stats.get_or_init(|| stats))
    }

    fn compute_relays(&self) -> Result<RelayStats, EngineError> {
        let searcher = self.searcher();
        let mut groups: Vec<(&GroupId, &Vec<ItemOrd>)> = self.members.iter().collect();
        groups.sort_by_key(|(g, _)| **g);
        #[derive(Default)]
        struct Blog {
            groups: u64,
            first: u64,
            lags: Vec<u32>,
        }
        let mut blogs: BTreeMap<String, Blog> = BTreeMap::new();
        let (mut total, mut resolved, mut cross_blog) = (0, 0, 0);
        for (_, ords) in groups {
            // the carriers from the in-memory table; the stored items only for their sources
            let chain = carriers(ords.iter().map(|&o| {
                let m = &self.meta[o];
                Carried { ord: o, id: &m.id, post_path: &m.post_path, date: m.date }
            }));
            if chain.len() < 2 {
                continue;
            }
            total += 1;
            let items = ords.iter().map(|&o| self.item_at(&searcher, o)).collect::<Result<Vec<_>, _>>()?;
            let members: Vec<Member> = ords.iter().zip(&items).map(|(&ord, item)| Member { ord, item }).collect();
            resolved += u64::from(primary_source(&members, self.own_hosts()).is_some());
            // each blog's first carrying of the group; only groups that two blogs or more carried
            // say anything about relaying (most groups are one blog's morning and evening posts).
            // Posts have dates, not times: on the group's first day a blog is one of those that
            // carried it first, on a later day it relayed it.
            let mut seen = HashSet::new();
            let by_blog: Vec<&Carrier> = chain.iter().filter(|c| seen.insert(c.blog.as_str())).collect();
            if by_blog.len() < 2 {
                continue;
            }
            cross_blog += 1;
            for c in by_blog {
                let blog = blogs.entry(c.blog.clone()).or_default();
                blog.groups += 1;
                if c.lag_days == 0 {
                    blog.first += 1;
                } else {
                    blog.lags.push(c.lag_days);
                }
            }
        }
        let mut blogs: Vec<BlogRelays> = blogs
            .into_iter()
            .map(|(name, mut b)| {
                b.lags.sort_unstable();
                let lags = LAG_BUCKETS
                    .iter()
                    .map(|&(min_days, max_days)| LagBucket {
                        min_days,
                        max_days,
                        count: b.lags.iter().filter(|&&l| l >= min_days && max_days.is_none_or(|m| l <= m)).count()
                            as u64,
                    })
                    .collect();
                BlogRelays {
                    blog: name,
                    groups: b.groups,
                    first: b.first,
                    relays: b.lags.len() as u64,
                    median_lag_days: percentile(&b.lags, 0.5),
                    p90_lag_days: percentile(&b.lags, 0.9),
                    lags,
                }
            })
            .collect();
        blogs.sort_by(|a, b| b.relays.cmp(&a.relays).then(b.groups.cmp(&a.groups)).then(a.blog.cmp(&b.blog)));
        Ok(RelayStats { groups: total, resolved, cross_blog, blogs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(post: &str, date: (i32, u32, u32), urls: &[&str]) -> NewsItem {
        NewsItem {
            id: format!("{post}#0"),
            post_path: post.to_string(),
            post_title: String::new(),
            date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            position: 0,
            title: "t".into(),
            summary: String::new(),
            why: String::new(),
            body: String::new(),
            sources: urls
                .iter()
                .map(|u| sosik_corpus::SourceLink {
                    title: u.to_string(),
                    url: u.to_string(),
                    domain: sosik_corpus::model::domain_of(u),
                })
                .collect(),
            companies: vec![],
            topics: vec![],
            names: vec![],
        }
    }

    fn source(items: &[NewsItem], own: &[&str]) -> Option<(String, SourceKind, usize)> {
        let members: Vec<Member> =
            items.iter().enumerate().map(|(i, item)| Member { ord: ItemOrd::new(i), item }).collect();
        let own = own.iter().map(|s| s.to_string()).collect();
        primary_source(&members, &own).map(|s| (s.url, s.kind, s.cited_by))
    }

    #[test]
    fn the_article_most_posts_cite_is_the_source_and_the_publisher_beats_coverage_between_equals() {
        let tc = "https://techcrunch.com/2026/05/28/anthropic-raises";
        let own = "https://www.anthropic.com/news/series-h";
        let items = [
            item("a/1.md", (2026, 5, 29), &[tc]),
            item("b/1.md", (2026, 5, 29), &[own, tc]),
            item("b/2.md", (2026, 5, 30), &[own]),
        ];
        // two posts each: the company's own page before the report of it
        assert_eq!(source(&items, &[]), Some((own.to_string(), SourceKind::Original, 2)));
        // three posts citing the report beat two citing the announcement
        let more = [&items[..], &[item("c/1.md", (2026, 5, 31), &[tc])]].concat();
        assert_eq!(source(&more, &[]), Some((tc.to_string(), SourceKind::Coverage, 3)));
    }

    #[test]
    fn aggregators_home_pages_and_the_corpus_itself_are_never_sources() {
        let items = [item(
            "a/1.md",
            (2026, 1, 1),
            &["https://news.hada.io/topic?id=29238", "https://openai.com", "https://someone.github.io/2026/01/01/post"],
        )];
        assert_eq!(source(&items, &["someone.github.io"]), None);
        let with_tweet =
            [item("a/1.md", (2026, 1, 1), &["https://news.hada.io/topic?id=1", "https://x.com/sama/status/1"])];
        assert_eq!(source(&with_tweet, &[]), Some(("https://x.com/sama/status/1".into(), SourceKind::Social, 1)));
        assert_eq!(kind_of("m.techcrunch.com", &HashSet::new()), Some(SourceKind::Coverage));
        assert_eq!(kind_of("nottechcrunch.com", &HashSet::new()), Some(SourceKind::Original));
    }

    #[test]
    fn a_paper_is_one_source_on_arxiv_and_hugging_face() {
        // (how the pages' links are keyed: `sosik_corpus::model`'s tests of `page_key`)
        let items = [
            item("a/1.md", (2026, 6, 13), &["https://huggingface.co/papers/2606.13679"]),
            item(
                "b/1.md",
                (2026, 6, 14),
                &["https://huggingface.co/papers/2606.13679", "https://arxiv.org/abs/2606.13679"],
            ),
            item("c/1.md", (2026, 6, 15), &["https://example.com/some/other/article"]),
        ];
        assert_eq!(source(&items, &[]), Some(("https://arxiv.org/abs/2606.13679".into(), SourceKind::Original, 2)));
    }

    #[test]
    fn between_equals_the_earliest_citation_wins() {
        let items = [
            item("b/1.md", (2026, 3, 2), &["https://example.com/later/article"]),
            item("a/1.md", (2026, 3, 1), &["https://example.org/first/article"]),
        ];
        assert_eq!(source(&items, &[]).unwrap().0, "https://example.org/first/article");
    }

    #[test]
    fn carriers_are_posts_oldest_first_with_their_lag() {
        let items = [
            item("blog-b/1.md", (2026, 3, 4), &[]),
            item("blog-a/1.md", (2026, 3, 1), &[]),
            item("blog-a/1.md", (2026, 3, 1), &[]),
            item("top.md", (2026, 3, 1), &[]),
        ];
        let members: Vec<Member> =
            items.iter().enumerate().map(|(i, item)| Member { ord: ItemOrd::new(i), item }).collect();
        let c = carriers(carried(&members));
        let got: Vec<(&str, &str, u32)> =
            c.iter().map(|c| (c.post_path.as_str(), c.blog.as_str(), c.lag_days)).collect();
        assert_eq!(got, [("blog-a/1.md", "blog-a", 0), ("top.md", "", 0), ("blog-b/1.md", "blog-b", 3)]);
    }

    #[test]
    fn blog_folders_name_their_hosts() {
        assert_eq!(blog_hosts("k82022603__k82022603.github.io"), ["k82022603.github.io"]);
        assert_eq!(blog_hosts("a__a.example.com"), ["a.github.io", "a.example.com"]);
        assert_eq!(blog_hosts("kjaylee__eastsea-blog"), ["kjaylee.github.io"]);
        assert!(blog_hosts("posts").is_empty());
        assert_eq!(percentile(&[0, 1, 2, 3, 10], 0.5), Some(2));
        assert_eq!(percentile(&[0, 1, 2, 3, 10], 0.9), Some(10));
        assert_eq!(percentile(&[], 0.9), None);
    }
}
