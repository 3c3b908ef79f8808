//! Explore: companies, topics, timelines, story threads and what is rising, computed from the
//! engine's in-memory item table (dates, companies, topics; no document is read until a hit is
//! shown).
//!
//! Counting rule everywhere: near-duplicate copies of one item count once. A filtered count
//! keeps the first copy (in index order) that passes the filters, as search does.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use sosik_types::{
    EntityKind, EntityList, EntityProfile, EntitySummary, FacetCount, Hit, Interval, NameList, SearchMode, Series,
    Story, StoryList, StorySummary, TimelineBucket, TimelineResponse, Trend, TrendingResponse,
};

use crate::error::EngineError;
use crate::format::ids::{GroupId, ItemOrd, ThreadId};
use crate::search::entities::EntityLists;
use crate::search::request::{check_page, check_query, FilterField};
use crate::search::{Engine, Filters, Meta, Ranked, Scope};
pub use sosik_types::limits::{MAX_BUCKETS, MAX_TOP, MAX_WINDOW_DAYS};
/// Items an entity needs in the current window to be called rising.
pub const MIN_TRENDING_ITEMS: u64 = 2;
/// Entries per trending list.
const TRENDING_ENTRIES: usize = 10;
/// Entries of a profile's lists (related, co-mentions, latest, stories).
const PROFILE_ENTRIES: usize = 10;
/// Companies and topics listed per story.
const STORY_TAGS: usize = 5;
/// Nearest items the vector leg contributes to a timeline with a query.
const TIMELINE_DEPTH: usize = 100;

/// `GET /api/timeline`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimelineRequest {
    /// Optional query: the timeline of what a hybrid search for it finds.
    pub q: String,
    pub filters: Filters,
    pub interval: Interval,
    /// Items listed per bucket.
    pub top: usize,
}

/// `GET /api/stories`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoriesRequest {
    /// A story matches when any of its items passes the filters.
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
}

fn invalid(param: &'static str, reason: impl Into<String>) -> EngineError {
    EngineError::InvalidParam { param, reason: reason.into() }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The first day of the bucket `d` falls in; `None` past the edge of chrono's calendar.
pub fn bucket_start(d: NaiveDate, interval: Interval) -> Option<NaiveDate> {
    match interval {
        Interval::Day => Some(d),
        Interval::Week => d.checked_sub_days(Days::new(d.weekday().num_days_from_monday() as u64)),
        Interval::Month => d.with_day(1),
    }
}

/// The first day of the bucket after the one starting on `start`; `None` past the edge of
/// chrono's calendar.
pub fn next_bucket(start: NaiveDate, interval: Interval) -> Option<NaiveDate> {
    match interval {
        Interval::Day => start.checked_add_days(Days::new(1)),
        Interval::Week => start.checked_add_days(Days::new(7)),
        Interval::Month => start.checked_add_months(Months::new(1)),
    }
}

/// How many buckets cover `first..=last` (0 when `first` is after `last`), counted without
/// building them, so that a range too long is refused before anything is allocated.
fn bucket_count(first: NaiveDate, last: NaiveDate, interval: Interval) -> u64 {
    if first > last {
        return 0;
    }
    // weeks counted from 0001-01-01 (day 1 of the common era), a Monday
    let week = |d: NaiveDate| (i64::from(d.num_days_from_ce()) - 1).div_euclid(7);
    let month = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let apart = match interval {
        Interval::Day => last.signed_duration_since(first).num_days(),
        Interval::Week => week(last) - week(first),
        Interval::Month => month(last) - month(first),
    };
    apart.unsigned_abs() + 1
}

/// Bucket starts covering `first..=last`: as many as [`bucket_count`] says, which the caller
/// bounds first.
fn buckets(first: NaiveDate, last: NaiveDate, interval: Interval) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut next = bucket_start(first, interval);
    while let Some(start) = next.filter(|b| *b <= last) {
        out.push(start);
        next = next_bucket(start, interval);
    }
    out
}

/// Counts of `dates` (ascending or not) per bucket from `first`'s bucket to `last`'s.
fn series(dates: &[NaiveDate], first: NaiveDate, last: NaiveDate, interval: Interval) -> Series {
    let starts = buckets(first, last, interval);
    let mut counts = vec![0u64; starts.len()];
    for d in dates {
        if let Some(Ok(i)) = bucket_start(*d, interval).map(|b| starts.binary_search(&b)) {
            counts[i] += 1;
        }
    }
    Series { interval, start: starts.first().map(|d| ymd(*d)).unwrap_or_default(), counts }
}

/// Largest count first, then by value; at most `n`.
fn top_counts<'a>(counts: impl IntoIterator<Item = (&'a str, u64)>, n: usize) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> =
        counts.into_iter().map(|(value, count)| FacetCount { value: value.to_string(), count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v.truncate(n);
    v
}

/// The kind of entity a glossary term is, when it is a person, product or organisation (and not
/// a company of the company list).
fn name_kind(catalog: &sosik_corpus::tagging::Catalog, t: &sosik_corpus::glossary::GlossaryTerm) -> Option<EntityKind> {
    use sosik_corpus::glossary::Kind;
    match catalog.name_kind(t)? {
        Kind::Person => Some(EntityKind::Person),
        Kind::Product => Some(EntityKind::Product),
        Kind::Organization => Some(EntityKind::Organization),
        Kind::Concept => None,
    }
}

/// The filter that selects an entity's items.
pub fn entity_filters(kind: EntityKind, slug: &str) -> Filters {
    let field = match kind {
        EntityKind::Company => FilterField::Company,
        EntityKind::Topic => FilterField::Topic,
        EntityKind::Person | EntityKind::Product | EntityKind::Organization => FilterField::Name,
    };
    Filters::one(field, slug)
}

impl Engine {
    /// Ords of the items passing `filters`, one per near-duplicate group (the first that passes),
    /// in index order.
    fn units(&self, filters: &Filters) -> Vec<ItemOrd> {
        let mut seen = HashSet::new();
        let filters = self.compile(filters);
        ItemOrd::all(self.meta.len()).filter(|&o| self.accepts(o, &filters) && seen.insert(self.groups[o])).collect()
    }

    /// The first and the last date of the corpus.
    fn corpus_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.meta.iter().map(|m| m.date).min()?;
        let last = self.meta.iter().map(|m| m.date).max()?;
        Some((first, last))
    }

    pub(crate) fn entity_lists(&self) -> &EntityLists {
        self.entity_lists.get_or_init(|| {
            let mut company_dates: HashMap<String, Vec<NaiveDate>> = HashMap::new();
            let mut topic_dates: HashMap<String, Vec<NaiveDate>> = HashMap::new();
            let mut name_dates: HashMap<String, Vec<NaiveDate>> = HashMap::new();
            // (slug, list, group): a group counts once, by its first copy in index order (as
            // search totals and timelines count it); slugs of different lists may coincide
            let mut seen: HashSet<(&str, u8, GroupId)> = HashSet::new();
            for (ord, m) in self.meta.iter().enumerate() {
                let g = self.groups[ord];
                for (list, slugs, dates) in [
                    (0, &m.companies, &mut company_dates),
                    (1, &m.topics, &mut topic_dates),
                    (2, &m.names, &mut name_dates),
                ] {
                    for s in slugs {
                        if seen.insert((s.as_str(), list, g)) {
                            dates.entry(s.clone()).or_default().push(m.date);
                        }
                    }
                }
            }
            for dates in company_dates.values_mut().chain(topic_dates.values_mut()).chain(name_dates.values_mut()) {
                dates.sort_unstable();
            }
            let span = self.corpus_span();
            let summary = |kind, slug: &str, name: &str, name_en: Option<&str>, dates: Option<&Vec<NaiveDate>>| {
                let dates = dates.map_or(&[][..], Vec::as_slice);
                let sparkline = match span {
                    Some((first, last)) => series(dates, first, last, Interval::Week).counts,
                    None => Vec::new(),
                };
                EntitySummary {
                    kind,
                    slug: slug.to_string(),
                    name: name.to_string(),
                    name_en: name_en.filter(|e| *e != name).map(str::to_string),
                    aliases: Vec::new(),
                    items: dates.len() as u64,
                    first_seen: dates.first().map(|d| ymd(*d)),
                    last_seen: dates.last().map(|d| ymd(*d)),
                    sparkline,
                }
            };
            let order = |v: &mut Vec<EntitySummary>| {
                v.sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.slug.cmp(&b.slug)));
            };
            let mut companies: Vec<EntitySummary> = self
                .catalog
                .companies
                .iter()
                .map(|c| summary(EntityKind::Company, &c.slug, &c.name, None, company_dates.get(&c.slug)))
                .collect();
            order(&mut companies);
            let mut topics: Vec<EntitySummary> = self
                .catalog
                .topics
                .iter()
                .map(|t| summary(EntityKind::Topic, &t.slug, &t.name_ko, Some(&t.name_en), topic_dates.get(&t.slug)))
                .collect();
            order(&mut topics);
            let mut names: Vec<EntitySummary> = self
                .catalog
                .glossary
                .iter()
                .filter_map(|t| {
                    let kind = name_kind(&self.catalog, t)?;
                    let slug = t.slug();
                    let name = t.ko.first().unwrap_or(&t.en);
                    let mut s = summary(kind, &slug, name, Some(&t.en), name_dates.get(&slug));
                    s.aliases = t.ko.iter().skip(1).cloned().collect();
                    Some(s)
                })
                .collect();
            order(&mut names);
            let series_start =
                span.and_then(|(first, _)| bucket_start(first, Interval::Week)).map(ymd).unwrap_or_default();
            EntityLists {
                companies: EntityList {
                    kind: EntityKind::Company,
                    series_start: series_start.clone(),
                    entities: companies,
                },
                topics: EntityList { kind: EntityKind::Topic, series_start, entities: topics },
                names,
                company_dates,
                topic_dates,
                name_dates,
            }
        })
    }

    /// Every company of the list, most items first.
    pub fn companies(&self) -> &EntityList {
        &self.entity_lists().companies
    }

    /// Every topic of the list, most items first.
    pub fn topics(&self) -> &EntityList {
        &self.entity_lists().topics
    }

    /// The glossary's people, products and organisations (`data/glossary.toml`, the terms a
    /// person gave one of those kinds) with their counts and weekly sparklines: of one `kind`, or
    /// all; most items first. With `new_days`, only those first named in the last `new_days`
    /// days of the corpus (up to its newest item), newest first: "새로 등장한 이름".
    pub fn names(&self, kind: Option<EntityKind>, new_days: Option<u32>) -> Result<NameList, EngineError> {
        if let Some(kind) = kind.filter(|k| !k.is_name()) {
            return Err(invalid("kind", format!("must be person, product or organization, got {}", kind.as_str())));
        }
        if let Some(days) = new_days.filter(|d| *d == 0 || *d > MAX_WINDOW_DAYS) {
            return Err(invalid("new", format!("must be between 1d and {MAX_WINDOW_DAYS}d, got {days}d")));
        }
        let span = self.corpus_span();
        let since = match (new_days, span) {
            (Some(days), Some((_, last))) => last.checked_sub_days(Days::new(u64::from(days) - 1)),
            _ => None,
        };
        let since_ymd = since.map(ymd);
        let mut names: Vec<EntitySummary> = self
            .entity_lists()
            .names
            .iter()
            .filter(|n| kind.is_none_or(|k| k == n.kind))
            .filter(|n| {
                // `YYYY-MM-DD` strings order as their dates
                new_days.is_none() || n.first_seen.as_ref().zip(since_ymd.as_ref()).is_some_and(|(f, s)| f >= s)
            })
            .cloned()
            .collect();
        if new_days.is_some() {
            names.sort_by(|a, b| b.first_seen.cmp(&a.first_seen).then(b.items.cmp(&a.items)).then(a.slug.cmp(&b.slug)));
        }
        let series_start = span.and_then(|(first, _)| bucket_start(first, Interval::Week)).map(ymd).unwrap_or_default();
        Ok(NameList { series_start, new_since: since_ymd, names })
    }

    /// The summary of one company, topic or name (any name kind finds every name), without
    /// the rest of its profile; `None` when the list has no such slug.
    pub fn entity_summary(&self, kind: EntityKind, slug: &str) -> Option<&EntitySummary> {
        let lists = self.entity_lists();
        let list = match kind {
            EntityKind::Company => &lists.companies.entities,
            EntityKind::Topic => &lists.topics.entities,
            EntityKind::Person | EntityKind::Product | EntityKind::Organization => &lists.names,
        };
        list.iter().find(|e| e.slug == slug)
    }

    /// The profile of a company, a topic or a name (person, product, organisation: `kind` is any
    /// of the three, the profile says which); `None` when the list has no such slug.
    pub fn entity(&self, kind: EntityKind, slug: &str) -> Result<Option<EntityProfile>, EngineError> {
        let Some(summary) = self.entity_summary(kind, slug).cloned() else { return Ok(None) };
        let lists = self.entity_lists();
        let dates = match kind {
            EntityKind::Company => &lists.company_dates,
            EntityKind::Topic => &lists.topic_dates,
            EntityKind::Person | EntityKind::Product | EntityKind::Organization => &lists.name_dates,
        };
        let kind = summary.kind;
        let filters = entity_filters(kind, slug);
        let units = self.units(&filters);
        let mut companies: HashMap<&str, u64> = HashMap::new();
        let mut topics: HashMap<&str, u64> = HashMap::new();
        let mut names: HashMap<&str, u64> = HashMap::new();
        for &o in &units {
            let m = &self.meta[o];
            for (slugs, counts) in [(&m.companies, &mut companies), (&m.topics, &mut topics), (&m.names, &mut names)] {
                slugs.iter().for_each(|s| *counts.entry(s).or_default() += 1);
            }
        }
        // A topic's co-mentions are the topics its items also carry, its related list their
        // companies; a company's or a name's co-mentions are companies, its related list topics.
        // Every profile lists the names (without itself: slugs of different lists may coincide).
        let (same, other) = match kind {
            EntityKind::Topic => (topics, companies),
            _ => (companies, topics),
        };
        let same_list = matches!(kind, EntityKind::Company | EntityKind::Topic);
        let co_mentions = top_counts(same.into_iter().filter(|(s, _)| !same_list || *s != slug), PROFILE_ENTRIES);
        let top_related = top_counts(other, PROFILE_ENTRIES);
        let names = top_counts(names.into_iter().filter(|(s, _)| !kind.is_name() || *s != slug), PROFILE_ENTRIES);
        let entity_dates = dates.get(slug).map_or(&[][..], Vec::as_slice);
        // An entity no item mentions gets the corpus's weeks, all zero (as its sparkline), so that
        // `start` is a date whenever the index holds an item.
        let span = match (entity_dates.first(), entity_dates.last()) {
            (Some(first), Some(last)) => Some((*first, *last)),
            _ => self.corpus_span(),
        };
        let series = match span {
            Some((first, last)) => series(entity_dates, first, last, Interval::Week),
            None => Series { interval: Interval::Week, start: String::new(), counts: Vec::new() },
        };
        let searcher = self.searcher();
        let mut newest = units.clone();
        newest.sort_by(|a, b| self.meta[*b].date.cmp(&self.meta[*a].date).then(a.cmp(b)));
        let latest = newest
            .iter()
            .take(PROFILE_ENTRIES)
            .map(|&o| self.plain_hit(&searcher, o, 0.0))
            .collect::<Result<Vec<Hit>, _>>()?;
        let stories = self.stories(&StoriesRequest { filters, limit: PROFILE_ENTRIES, offset: 0 })?.stories;
        let (description, aliases) = match kind {
            EntityKind::Company => {
                let c = self.catalog.companies.iter().find(|c| c.slug == slug);
                (String::new(), c.map(|c| c.aliases.clone()).unwrap_or_default())
            }
            EntityKind::Topic => {
                let t = self.catalog.topics.iter().find(|t| t.slug == slug);
                (t.map(|t| t.description.clone()).unwrap_or_default(), Vec::new())
            }
            EntityKind::Person | EntityKind::Product | EntityKind::Organization => {
                let t =
                    self.catalog.glossary.iter().find(|t| t.slug() == slug && name_kind(&self.catalog, t).is_some());
                let aliases = t.map(|t| t.ko.iter().chain([&t.en]).cloned().collect()).unwrap_or_default();
                (String::new(), aliases)
            }
        };
        Ok(Some(EntityProfile {
            kind,
            summary,
            description,
            aliases,
            series,
            top_related,
            co_mentions,
            names,
            latest,
            stories,
        }))
    }

    /// Items over time, for any combination of filters and an optional query.
    pub fn timeline(&self, req: &TimelineRequest) -> Result<TimelineResponse, EngineError> {
        check_query(&req.q)?;
        if req.top > MAX_TOP {
            return Err(invalid("top", format!("must be at most {MAX_TOP}")));
        }
        req.filters.validate()?;
        let searcher = self.searcher();
        let mut ranked =
            self.rank(&searcher, &req.q, SearchMode::Hybrid, &req.filters, TIMELINE_DEPTH, Scope::All)?.ranked;
        self.collapse(&mut ranked);
        let dates = ranked.iter().map(|&(o, _)| self.meta[o].date);
        let (first, last) = match (req.filters.from, req.filters.to) {
            (Some(from), Some(to)) => (from, to),
            (from, to) => {
                let first = from.or_else(|| dates.clone().min());
                let last = to.or_else(|| dates.max());
                match (first, last) {
                    (Some(f), Some(l)) if f <= l => (f, l),
                    _ => return Ok(TimelineResponse { interval: req.interval, total: 0, buckets: Vec::new() }),
                }
            }
        };
        let count = bucket_count(first, last, req.interval);
        if count > MAX_BUCKETS as u64 {
            return Err(invalid(
                "interval",
                format!(
                    "{} to {} is {count} {}s, over the limit of {MAX_BUCKETS} buckets; use a longer interval \
                     or a shorter range",
                    ymd(first),
                    ymd(last),
                    req.interval.as_str()
                ),
            ));
        }
        let starts = buckets(first, last, req.interval);
        // Per bucket, its items in prominence order: by relevance with a query; otherwise first
        // the items whose strongest tag of each filtered field is one the filter selects (an item
        // tagged capex for one passing mention is not a capex headline), then the most widely
        // covered (most copies), then the newest.
        let mut per_bucket: Vec<Ranked> = vec![Vec::new(); starts.len()];
        for &(o, score) in &ranked {
            if let Some(Ok(i)) = bucket_start(self.meta[o].date, req.interval).map(|b| starts.binary_search(&b)) {
                per_bucket[i].push((o, score));
            }
        }
        let copies = |o: ItemOrd| self.members.get(&self.groups[o]).map_or(1, Vec::len);
        let f = &req.filters;
        let primary = |o: ItemOrd| {
            let m = &self.meta[o];
            let first_selected = |selected: &[String], tags: &[String]| {
                selected.is_empty() || tags.first().is_some_and(|t| selected.contains(t))
            };
            first_selected(&f.topic, &m.topics)
                && first_selected(&f.company, &m.companies)
                && first_selected(&f.name, &m.names)
        };
        let mut out = Vec::with_capacity(starts.len());
        let mut total = 0;
        for (i, start) in starts.iter().enumerate() {
            let items = &mut per_bucket[i];
            if req.q.trim().is_empty() {
                // the key once per item: `primary` compares tag strings
                items.sort_by_cached_key(|&(o, _)| {
                    (Reverse(primary(o)), Reverse(copies(o)), Reverse(self.meta[o].date), o)
                });
            }
            total += items.len() as u64;
            let top = items
                .iter()
                .take(req.top)
                .map(|&(o, score)| self.plain_hit(&searcher, o, score))
                .collect::<Result<Vec<Hit>, _>>()?;
            let end = next_bucket(*start, req.interval)
                .and_then(|next| next.checked_sub_days(Days::new(1)))
                .unwrap_or(NaiveDate::MAX);
            out.push(TimelineBucket { start: ymd(*start), end: ymd(end), count: items.len() as u64, top });
        }
        Ok(TimelineResponse { interval: req.interval, total, buckets: out })
    }

    /// A thread's title: that of its most widely covered news item (the earliest of those;
    /// `copies` counts each group's members in the thread). A news item's headline says what
    /// happened, an essay passage's heading ("지금까지 어떻게 흘러왔나") seldom does, so a passage
    /// heads the thread only when every member is one, and then with its post's title beside
    /// its heading.
    pub(crate) fn thread_title(&self, members: &[ItemOrd], copies: &BTreeMap<GroupId, usize>) -> String {
        let rank = |o: ItemOrd| (self.meta[o].post_title.is_none(), copies[&self.groups[o]]);
        let best = members.iter().map(|&o| rank(o)).max().expect("a story has items");
        let headline = members.iter().copied().find(|&o| rank(o) == best).expect("max is a member");
        let m = &self.meta[headline];
        match &m.post_title {
            Some(post) => format!("{post} — {}", m.title),
            None => m.title.clone(),
        }
    }

    /// Each near-duplicate group's members among `members`.
    pub(crate) fn group_copies(&self, members: &[ItemOrd]) -> BTreeMap<GroupId, usize> {
        let mut copies: BTreeMap<GroupId, usize> = BTreeMap::new();
        for &o in members {
            *copies.entry(self.groups[o]).or_default() += 1;
        }
        copies
    }

    pub(crate) fn story_summary(&self, thread: ThreadId, members: &[ItemOrd]) -> Result<StorySummary, EngineError> {
        let mut posts: Vec<&str> = members.iter().map(|&o| self.meta[o].post_path.as_str()).collect();
        posts.sort_unstable();
        posts.dedup();
        let mut companies: HashMap<&str, u64> = HashMap::new();
        let mut topics: HashMap<&str, u64> = HashMap::new();
        for &o in members {
            let m = &self.meta[o];
            m.companies.iter().for_each(|c| *companies.entry(c).or_default() += 1);
            m.topics.iter().for_each(|t| *topics.entry(t).or_default() += 1);
        }
        let title = self.thread_title(members, &self.group_copies(members));
        let names = |m: HashMap<&str, u64>| top_counts(m, STORY_TAGS).into_iter().map(|f| f.value).collect();
        Ok(StorySummary {
            id: self.meta[thread.first()].id.clone(),
            title,
            size: members.len(),
            posts: posts.len(),
            first_date: ymd(self.meta[members[0]].date),
            last_date: ymd(self.meta[*members.last().expect("a story has items")].date),
            companies: names(companies),
            topics: names(topics),
        })
    }

    /// Story threads with an item passing the filters, most recently active first.
    pub fn stories(&self, req: &StoriesRequest) -> Result<StoryList, EngineError> {
        check_page(req.limit, req.offset)?;
        let filters = self.compile(&req.filters);
        let mut matching: Vec<(&ThreadId, &Vec<ItemOrd>)> = self
            .thread_members
            .iter()
            .filter(|(_, members)| members.iter().any(|&o| self.accepts(o, &filters)))
            .collect();
        let last = |m: &Vec<ItemOrd>| self.meta[*m.last().expect("a story has items")].date;
        matching.sort_by(|a, b| last(b.1).cmp(&last(a.1)).then(b.1.len().cmp(&a.1.len())).then(a.0.cmp(b.0)));
        let stories = matching
            .iter()
            .skip(req.offset)
            .take(req.limit)
            .map(|(t, m)| self.story_summary(**t, m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StoryList { total: matching.len() as u64, stories })
    }

    /// One story thread, its items oldest first (copies of an item listed in `also_in`).
    pub fn story(&self, id: &str) -> Result<Option<Story>, EngineError> {
        let Some(thread) = self.ord_of(id) else { return Ok(None) };
        if self.threads[thread] != Some(ThreadId::of(thread)) {
            return Ok(None);
        }
        let members = &self.thread_members[&ThreadId::of(thread)];
        let summary = self.story_summary(ThreadId::of(thread), members)?;
        let searcher = self.searcher();
        let mut seen = HashSet::new();
        let heads: Vec<ItemOrd> = members.iter().copied().filter(|&o| seen.insert(self.groups[o])).collect();
        let items = heads.iter().map(|&o| self.plain_hit(&searcher, o, 0.0)).collect::<Result<Vec<_>, _>>()?;
        let lineage = heads.iter().map(|&o| self.lineage(o, None)).collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Story { summary, items, lineage }))
    }

    /// Companies and topics whose share of items rose most in the `window_days` ending on `to`
    /// (default: the newest item's date) against the `window_days` before.
    pub fn trending(&self, window_days: u32, to: Option<NaiveDate>) -> Result<TrendingResponse, EngineError> {
        if window_days == 0 || window_days > MAX_WINDOW_DAYS {
            return Err(invalid("window", format!("must be between 1d and {MAX_WINDOW_DAYS}d")));
        }
        let to = match to.or_else(|| self.corpus_span().map(|(_, last)| last)) {
            Some(d) => d,
            None => NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid"),
        };
        // this window: to - (w - 1) ..= to; the one before: to - (2w - 1) ..= to - w
        let back = |days: u32| to.checked_sub_days(Days::new(days.into()));
        let (Some(from), Some(previous_to), Some(previous_from)) =
            (back(window_days - 1), back(window_days), back(2 * window_days - 1))
        else {
            return Err(invalid("to", format!("{} leaves no room for two windows of {window_days} days", ymd(to))));
        };
        let window = |from, to| self.units(&Filters { from: Some(from), to: Some(to), ..Filters::default() });
        let (now, before) = (window(from, to), window(previous_from, previous_to));
        let lists = self.entity_lists();
        let rising = |list: &EntityList, tags: fn(&Meta) -> &[String]| -> Vec<Trend> {
            let count = |units: &[ItemOrd]| {
                let mut c: HashMap<&str, u64> = HashMap::new();
                for &o in units {
                    for s in tags(&self.meta[o]) {
                        *c.entry(s).or_default() += 1;
                    }
                }
                c
            };
            let (c_now, c_before) = (count(&now), count(&before));
            let share = |n: u64, total: usize| if total == 0 { 0.0 } else { n as f64 / total as f64 };
            let mut trends: Vec<Trend> = list
                .entities
                .iter()
                .filter_map(|e| {
                    let count = *c_now.get(e.slug.as_str()).unwrap_or(&0);
                    let previous_count = *c_before.get(e.slug.as_str()).unwrap_or(&0);
                    let (s, p) = (share(count, now.len()), share(previous_count, before.len()));
                    let change_points = (s - p) * 100.0;
                    (count >= MIN_TRENDING_ITEMS && change_points > 0.0).then(|| Trend {
                        slug: e.slug.clone(),
                        name: e.name.clone(),
                        count,
                        previous_count,
                        share: s,
                        previous_share: p,
                        change_points,
                    })
                })
                .collect();
            trends.sort_by(|a, b| {
                b.change_points.total_cmp(&a.change_points).then(b.count.cmp(&a.count)).then(a.slug.cmp(&b.slug))
            });
            trends.truncate(TRENDING_ENTRIES);
            trends
        };
        let companies = rising(&lists.companies, |m| &m.companies);
        let topics = rising(&lists.topics, |m| &m.topics);
        Ok(TrendingResponse {
            window_days,
            from: ymd(from),
            to: ymd(to),
            previous_from: ymd(previous_from),
            previous_to: ymd(previous_to),
            items: now.len() as u64,
            previous_items: before.len() as u64,
            companies,
            topics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_start_on_mondays_and_first_days() {
        // 2026-01-14 is a Wednesday
        assert_eq!(bucket_start(d(2026, 1, 14), Interval::Week), Some(d(2026, 1, 12)));
        assert_eq!(bucket_start(d(2026, 1, 12), Interval::Week), Some(d(2026, 1, 12)));
        assert_eq!(bucket_start(d(2026, 1, 18), Interval::Week), Some(d(2026, 1, 12)));
        assert_eq!(bucket_start(d(2026, 2, 28), Interval::Month), Some(d(2026, 2, 1)));
        assert_eq!(
            next_bucket(d(2026, 1, 31), Interval::Month),
            Some(d(2026, 2, 28)),
            "chrono clamps; starts are day 1"
        );
        assert_eq!(next_bucket(d(2026, 1, 1), Interval::Month), Some(d(2026, 2, 1)));
        assert_eq!(
            buckets(d(2026, 1, 30), d(2026, 3, 1), Interval::Month),
            vec![d(2026, 1, 1), d(2026, 2, 1), d(2026, 3, 1)]
        );
    }

    #[test]
    fn buckets_are_counted_before_they_are_built() {
        let spans = [
            (d(2026, 1, 30), d(2026, 3, 1)),
            (d(2026, 1, 12), d(2026, 1, 12)),
            (d(2026, 1, 11), d(2026, 1, 12)),
            (d(2025, 12, 28), d(2026, 1, 18)),
            (d(1990, 1, 1), d(1995, 12, 31)),
            (d(2026, 1, 1), d(2025, 1, 1)),
        ];
        for (first, last) in spans {
            for interval in [Interval::Day, Interval::Week, Interval::Month] {
                let n = buckets(first, last, interval).len() as u64;
                assert_eq!(bucket_count(first, last, interval), n, "{first} {last} {interval:?}");
            }
        }
        // the whole of chrono's calendar: counted, not built; its edges do not overflow
        assert_eq!(bucket_count(NaiveDate::MIN, NaiveDate::MAX, Interval::Month), 524_286 * 12);
        assert!(bucket_count(NaiveDate::MIN, NaiveDate::MAX, Interval::Day) > 190_000_000);
        for interval in [Interval::Day, Interval::Week, Interval::Month] {
            assert_eq!(next_bucket(NaiveDate::MAX, interval), None);
            assert_eq!(buckets(NaiveDate::MAX, NaiveDate::MAX, interval).len() as u64, 1, "{interval:?}");
        }
        assert_eq!(bucket_start(NaiveDate::MIN, Interval::Month), Some(NaiveDate::MIN));
    }

    #[test]
    fn series_counts_every_bucket_including_empty_ones() {
        let s = series(&[d(2026, 1, 1), d(2026, 1, 2), d(2026, 1, 20)], d(2026, 1, 1), d(2026, 1, 20), Interval::Week);
        // weeks of 2025-12-29, 01-05, 01-12, 01-19
        assert_eq!(s.start, "2025-12-29");
        assert_eq!(s.counts, vec![2, 0, 0, 1]);
    }
}
