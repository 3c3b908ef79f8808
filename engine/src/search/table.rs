//! The in-memory item table: what filters, facets and the explore views read per item, as flat
//! arrays of small ids.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use sosik_corpus::day_number;
use sosik_types::{FacetCount, Facets};

use super::request::{FilterField, Filters};
use super::Engine;
use crate::format::ids::ItemOrd;

/// Values listed per facet (months: all).
const FACET_VALUES: usize = 30;

/// The per-item fields the explore views read, kept in memory (filters and facets read the
/// compact [`Table`]: at 100k items a common query matches tens of thousands, and hashing and
/// comparing strings for each was half of a BM25 search — see BENCHMARKS.md).
pub(crate) struct Meta {
    pub(crate) id: String,
    pub(crate) date: NaiveDate,
    pub(crate) post_path: String,
    /// The item's title: a hit lists its copies by title without decoding their stored items.
    pub(crate) title: String,
    pub(crate) companies: Vec<String>,
    pub(crate) topics: Vec<String>,
    /// The glossary's people, products and organisations it names (slugs).
    pub(crate) names: Vec<String>,
    /// For a passage of an essay (a long post split at its headings, whose `title` is a section
    /// heading such as "지금까지 어떻게 흘러왔나"): the post's title.
    pub(crate) post_title: Option<String>,
}

/// Compressed rows of small ids: item `i` has `ids[start[i]..start[i + 1]]`.
#[derive(Default)]
pub(super) struct Rows {
    pub(super) start: Vec<u32>,
    pub(super) ids: Vec<u32>,
}

impl Rows {
    pub(super) fn push(&mut self, ids: &[u32]) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.ids.extend_from_slice(ids);
        self.start.push(self.ids.len() as u32);
    }

    pub(super) fn of(&self, ord: ItemOrd) -> &[u32] {
        let i = ord.index();
        &self.ids[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// What filters and facets read per item, as flat arrays of small numbers: a scan over tens of
/// thousands of matches then touches a few bytes per item instead of a struct of strings.
#[derive(Default)]
pub(super) struct Table {
    pub(super) day: Vec<i32>,
    /// The newest of `day` (what `sort=fresh` counts ages from), set once the table is filled.
    pub(super) newest_day: Option<i32>,
    /// Months since year 0 (`year * 12 + month - 1`).
    pub(super) month: Vec<u32>,
    pub(super) companies: Rows,
    pub(super) topics: Rows,
    /// The glossary's people, products and organisations.
    pub(super) names: Rows,
    /// Distinct per item (an item citing one domain twice counts once).
    pub(super) domains: Rows,
}

impl Table {
    fn rows(&self, field: usize) -> &Rows {
        [&self.companies, &self.topics, &self.names, &self.domains][field]
    }

    /// `None` when the item is outside the date range; else the fields (bit `i` for
    /// [`FilterField::ALL`]`[i]`) whose selection it misses (0: it passes every filter).
    pub(super) fn misses(&self, ord: ItemOrd, f: &CompiledFilters) -> Option<u8> {
        if !(f.from.is_none_or(|from| self.day[ord] >= from) && f.to.is_none_or(|to| self.day[ord] <= to)) {
            return None;
        }
        let mut missed = 0u8;
        for (i, wanted) in f.fields.iter().enumerate() {
            if !wanted.is_empty() && !self.rows(i).of(ord).iter().any(|v| wanted.contains(v)) {
                missed |= 1 << i;
            }
        }
        Some(missed)
    }

    /// Passes every filter. (Not `misses(..) == Some(0)`: this runs for every match of every
    /// search and stops at the first filter that fails.)
    pub(super) fn accepts(&self, ord: ItemOrd, f: &CompiledFilters) -> bool {
        f.from.is_none_or(|from| self.day[ord] >= from)
            && f.to.is_none_or(|to| self.day[ord] <= to)
            && f.fields
                .iter()
                .enumerate()
                .all(|(i, wanted)| wanted.is_empty() || self.rows(i).of(ord).iter().any(|v| wanted.contains(v)))
    }

    /// Passes every filter but one field's selection: counted in that field's facet only
    /// (disjunctive facets: a field's counts ignore its own selection).
    pub(super) fn near(&self, ord: ItemOrd, f: &CompiledFilters) -> bool {
        self.misses(ord, f).is_some_and(|m| m.count_ones() == 1)
    }
}

/// Strings ↔ dense ids.
#[derive(Default)]
pub(super) struct Interner {
    pub(super) names: Vec<String>,
    pub(super) ids: HashMap<String, u32>,
}

impl Interner {
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The id of `name`; a name no item has gets an id no item has, so it matches nothing.
    pub(super) fn lookup(&self, name: &str) -> u32 {
        self.ids.get(name).copied().unwrap_or(u32::MAX)
    }

    pub(super) fn intern_all(&mut self, names: &[String]) -> Vec<u32> {
        names.iter().map(|n| self.intern(n)).collect()
    }
}

/// [`Filters`] with their values turned into the ids and day numbers of the item table.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledFilters {
    /// Per field of [`FilterField::ALL`], the ids selected (empty: no filter on it).
    pub(super) fields: [Vec<u32>; FilterField::ALL.len()],
    pub(super) from: Option<i32>,
    pub(super) to: Option<i32>,
}

impl CompiledFilters {
    /// Whether any field has a selection (then facets count disjunctively).
    pub(super) fn selects(&self) -> bool {
        self.fields.iter().any(|f| !f.is_empty())
    }
}

pub(super) fn month_of(d: NaiveDate) -> u32 {
    d.year() as u32 * 12 + d.month0()
}

impl Engine {
    /// The filters with their values as item-table ids.
    pub(crate) fn compile(&self, f: &Filters) -> CompiledFilters {
        let ids = |values: &[String], interner: &Interner| values.iter().map(|v| interner.lookup(v)).collect();
        CompiledFilters {
            fields: [
                ids(&f.company, &self.companies_ids),
                ids(&f.topic, &self.topics_ids),
                ids(&f.name, &self.names_ids),
                ids(&f.source, &self.domains_ids),
            ],
            from: f.from.map(|d| day_number(d) as i32),
            to: f.to.map(|d| day_number(d) as i32),
        }
    }

    /// Whether the item at `ord` passes `filters`.
    pub(crate) fn accepts(&self, ord: ItemOrd, filters: &CompiledFilters) -> bool {
        self.table.accepts(ord, filters)
    }

    /// Facet counts over `items` (one per near-duplicate group, in any order), and over `near`
    /// (items passing every filter but one field's selection, one per group not in `items`):
    /// each of those counts in the facet of the field it misses only, so a field's counts ignore
    /// its own selection (disjunctive facets, as Algolia and Meilisearch count them).
    pub(super) fn facets(
        &self,
        items: impl Iterator<Item = ItemOrd>,
        near: &[ItemOrd],
        filters: &CompiledFilters,
    ) -> Facets {
        let mut companies = vec![0u64; self.companies_ids.names.len()];
        let mut topics = vec![0u64; self.topics_ids.names.len()];
        let mut names = vec![0u64; self.names_ids.names.len()];
        let mut sources = vec![0u64; self.domains_ids.names.len()];
        let mut months: BTreeMap<u32, u64> = BTreeMap::new();
        let mut last_month: Option<(u32, u64)> = None; // items come in runs of one month
        let t = &self.table;
        for ord in items {
            t.companies.of(ord).iter().for_each(|&c| companies[c as usize] += 1);
            t.topics.of(ord).iter().for_each(|&x| topics[x as usize] += 1);
            t.names.of(ord).iter().for_each(|&n| names[n as usize] += 1);
            t.domains.of(ord).iter().for_each(|&d| sources[d as usize] += 1);
            let m = t.month[ord];
            match &mut last_month {
                Some((month, n)) if *month == m => *n += 1,
                _ => {
                    if let Some((month, n)) = last_month.take() {
                        *months.entry(month).or_default() += n;
                    }
                    last_month = Some((m, 1));
                }
            }
        }
        if let Some((month, n)) = last_month {
            *months.entry(month).or_default() += n;
        }
        for &ord in near {
            let missed = t.misses(ord, filters).unwrap_or(0);
            let (counts, rows) = match missed.trailing_zeros() {
                0 => (&mut companies, &t.companies),
                1 => (&mut topics, &t.topics),
                2 => (&mut names, &t.names),
                3 => (&mut sources, &t.domains),
                _ => continue,
            };
            rows.of(ord).iter().for_each(|&v| counts[v as usize] += 1);
        }
        let top = |counts: Vec<u64>, names: &Interner| {
            let mut v: Vec<(u64, &str)> = counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(id, n)| (n, names.names[id].as_str()))
                .collect();
            v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            v.truncate(FACET_VALUES);
            v.into_iter().map(|(count, value)| FacetCount { value: value.to_string(), count }).collect()
        };
        Facets {
            companies: top(companies, &self.companies_ids),
            topics: top(topics, &self.topics_ids),
            names: top(names, &self.names_ids),
            sources: top(sources, &self.domains_ids),
            months: months
                .into_iter()
                .map(|(m, count)| FacetCount { value: format!("{:04}-{:02}", m / 12, m % 12 + 1), count })
                .collect(),
        }
    }
}
