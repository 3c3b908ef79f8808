//! `sosik-indexer eval-tagging`: measures the company and topic taggers against hand labels.
//!
//! The labels (`tests/fixtures/labels/tagging.jsonl`, described in the README beside it) name a
//! post of the dev corpus, the heading of one item in it (or `null` for a post that is a single
//! item: the essays) and the companies and topics a reader would expect. The evaluation parses
//! each labelled post with the same code as `build`, tags its items with the same code as
//! `build` (the caller passes that step in), finds the item each label means by normalised title
//! similarity (the splitter changes; exact titles are not required), and counts micro
//! precision/recall/F1 for companies, topics and names (the glossary's people, products and
//! organisations, where a label lists them), for the tuning and the held-out labels apart,
//! overall, for digest items and essays, and per topic.
//!
//! A `null`-titled label stands for the whole post. If the splitter cuts such a post into several
//! passages, the prediction for the post is the union of the passages' tags (what a reader
//! filtering by company or topic would see for that post).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::IndexerError;
use sosik_corpus::{items, markdown, post, NewsItem};

/// One hand-labelled item.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Label {
    /// Relative to the corpus root.
    pub post_path: String,
    /// The item's heading as written; `None` for a post that is one item.
    pub item_title: Option<String>,
    #[serde(default)]
    pub companies: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    /// The glossary's people, products and organisations it names; `None`: not labelled for
    /// names (the first 80 labels), left out of the names figures.
    #[serde(default)]
    pub names: Option<Vec<String>>,
    /// Whether the label may be used to choose anything (`tuning`, the default) or only to
    /// measure (`heldout`).
    #[serde(default)]
    pub split: Split,
}

/// The two halves of a label set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Thresholds and rules may be chosen on it.
    #[default]
    Tuning,
    /// Never used to choose anything: the figures to trust.
    Heldout,
}

impl Split {
    /// As reports print it.
    pub fn name(self) -> &'static str {
        match self {
            Split::Tuning => "tuning",
            Split::Heldout => "held-out",
        }
    }

    /// As the label file spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Tuning => "tuning",
            Split::Heldout => "heldout",
        }
    }
}

/// The labels a tagger may be fitted or tuned on: the tuning ones (held-out labels never
/// choose anything).
pub fn tuning_only(labels: &[Label]) -> Vec<Label> {
    labels.iter().filter(|l| l.split == Split::Tuning).cloned().collect()
}

/// A paired randomisation test of two runs over the same labels: micro F1 of `which` in `split`
/// for `a` and `b`, the two-sided p-value of their difference (10,000 rounds, each label's
/// counts swapped between the runs with probability ½: micro F1 is not a mean over labels, so
/// the labels' predictions are permuted, not differences flipped), and how many labels' counts
/// differ.
pub fn paired_f1_test(a: &EvalReport, b: &EvalReport, which: Which, split: Option<Split>) -> (f64, f64, f64, usize) {
    let per_label = |r: &EvalReport| -> Vec<Counts> {
        r.judged
            .iter()
            .filter(|j| split.is_none_or(|s| j.label.split == s) && which.labelled(j))
            .map(|j| {
                let (gold, pred) = which.pick(j);
                let mut c = Counts::default();
                c.add(gold, pred);
                c
            })
            .collect()
    };
    let (ca, cb) = (per_label(a), per_label(b));
    assert_eq!(ca.len(), cb.len(), "the two runs judged different labels");
    let f1_of = |v: &mut dyn Iterator<Item = Counts>| {
        let mut t = Counts::default();
        for c in v {
            t.tp += c.tp;
            t.fp += c.fp;
            t.fn_ += c.fn_;
        }
        t.f1()
    };
    let (fa, fb) = (f1_of(&mut ca.iter().copied()), f1_of(&mut cb.iter().copied()));
    let observed = (fa - fb).abs();
    const ROUNDS: u32 = 10_000;
    let mut rng = super::search::SplitMix(0x7461_6773);
    let mut extreme = 0u32;
    for _ in 0..ROUNDS {
        let (mut x, mut y) = (Vec::with_capacity(ca.len()), Vec::with_capacity(ca.len()));
        for (p, q) in ca.iter().zip(&cb) {
            if rng.next() & 1 == 1 {
                x.push(*q);
                y.push(*p);
            } else {
                x.push(*p);
                y.push(*q);
            }
        }
        if (f1_of(&mut x.into_iter()) - f1_of(&mut y.into_iter())).abs() >= observed - 1e-12 {
            extreme += 1;
        }
    }
    let changed = ca.iter().zip(&cb).filter(|(p, q)| p != q).count();
    (fa, fb, (extreme + 1) as f64 / (ROUNDS + 1) as f64, changed)
}

impl Label {
    /// Digest items have a heading; essays (`item_title: null`) are whole posts.
    pub fn kind(&self) -> Kind {
        if self.item_title.is_some() {
            Kind::Digest
        } else {
            Kind::Essay
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Digest,
    Essay,
}

/// Reads a JSON-lines label file. A missing file is an error naming it; so is a bad line.
pub fn load_labels(path: &Path) -> Result<Vec<Label>, IndexerError> {
    super::read_jsonl(path)
}

/// Parses one post file into items exactly as `build` does (the same function; no duplicate
/// check across posts).
pub fn parse_post_file(corpus: &Path, rel: &str) -> Result<Vec<NewsItem>, String> {
    let path = corpus.join(rel);
    crate::build::read_post(&path, rel, &mut HashMap::new()).map_err(|e| format!("{}: {e}", path.display()))
}

/// A title reduced to what identifies it: inline links become their text, HTML tags, emphasis,
/// heading marks and list numbering go, whitespace (any Unicode space) collapses, lower case.
pub fn normalise_title(title: &str) -> String {
    let cleaned = items::clean_title(&strip_inline_markup(title, false));
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Inline markdown and HTML reduced to their text: `[text](url)` → text, tags and `*_`#`
/// dropped, any Unicode space → a plain space. Other square brackets are dropped too unless
/// `keep_brackets` (then only those of links go).
fn strip_inline_markup(title: &str, keep_brackets: bool) -> String {
    // byte offsets of the `[` and `]` of every `[text](` link
    let mut link_brackets = std::collections::HashSet::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in title.char_indices() {
        match c {
            '[' => open.push(i),
            ']' => {
                if let Some(o) = open.pop() {
                    if title[i + 1..].starts_with('(') {
                        link_brackets.insert(o);
                        link_brackets.insert(i);
                    }
                }
            }
            _ => {}
        }
    }
    let mut s = String::with_capacity(title.len());
    let mut chars = title.chars().peekable();
    let mut in_tag = false;
    let mut link_target_depth = 0usize;
    let mut prev = '\0';
    let mut at = 0;
    while let Some(c) = chars.next() {
        let i = at;
        at += c.len_utf8();
        if link_target_depth > 0 {
            match c {
                '(' => link_target_depth += 1,
                ')' => link_target_depth -= 1,
                _ => {}
            }
            continue;
        }
        match c {
            '<' if chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || *n == '/') => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '(' if prev == ']' => link_target_depth = 1,
            '[' | ']' if !keep_brackets || link_brackets.contains(&i) => {}
            '*' | '_' | '`' | '#' => {}
            c if c.is_whitespace() => s.push(' '),
            c => s.push(c),
        }
        prev = c;
    }
    s
}

/// Similarity of two titles in [0, 1]: Dice coefficient of the character bigrams of their
/// letters and digits (after [`normalise_title`]); 1.0 when one contains the other.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let key = |s: &str| normalise_title(s).chars().filter(|c| c.is_alphanumeric()).collect::<Vec<char>>();
    let (a, b) = (key(a), key(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (sa, sb): (String, String) = (a.iter().collect(), b.iter().collect());
    if (a.len() >= 8 && sb.contains(&sa)) || (b.len() >= 8 && sa.contains(&sb)) {
        return 1.0;
    }
    let bigrams = |v: &[char]| {
        let mut m: HashMap<(char, char), usize> = HashMap::new();
        for w in v.windows(2) {
            *m.entry((w[0], w[1])).or_default() += 1;
        }
        m
    };
    let (ba, bb) = (bigrams(&a), bigrams(&b));
    let common: usize = ba.iter().map(|(k, n)| (*n).min(bb.get(k).copied().unwrap_or(0))).sum();
    let total = a.len().saturating_sub(1) + b.len().saturating_sub(1);
    if total == 0 {
        return 0.0;
    }
    2.0 * common as f64 / total as f64
}

/// Below this similarity a label is reported unmatched rather than matched to a wrong item.
pub const MIN_TITLE_SIMILARITY: f64 = 0.6;

/// A label and what the tagger said about the item(s) it names.
#[derive(Clone, Debug)]
pub struct Judged {
    pub label: Label,
    /// The parsed title matched (the post title for essays) and its similarity.
    pub matched_title: String,
    pub similarity: f64,
    pub via: Via,
    /// Number of parsed items that make up the prediction (passages of an essay).
    pub parts: usize,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
    pub names: Vec<String>,
    /// The tagged item(s) the prediction comes from.
    pub items: Vec<NewsItem>,
}

/// A label that could not be matched to a parsed item, and why.
#[derive(Clone, Debug)]
pub struct Unmatched {
    pub label: Label,
    pub reason: String,
}

/// True/false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, gold: &[String], predicted: &[String]) {
        let g: BTreeSet<&String> = gold.iter().collect();
        let p: BTreeSet<&String> = predicted.iter().collect();
        self.tp += g.intersection(&p).count();
        self.fp += p.difference(&g).count();
        self.fn_ += g.difference(&p).count();
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// `tp fp fn P R F1`, aligned for the report tables.
    fn cells(&self) -> String {
        format!(
            "{:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
            self.tp,
            self.fp,
            self.fn_,
            self.precision(),
            self.recall(),
            self.f1()
        )
    }

    pub fn f1(&self) -> f64 {
        super::f1(self.precision(), self.recall())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        // nothing predicted (or nothing to find): perfect by convention
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Everything `eval-tagging` prints.
#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    pub judged: Vec<Judged>,
    pub unmatched: Vec<Unmatched>,
    /// Name slug → its kind (`person`, `product`, `organization`), for the names figures per
    /// kind; the caller fills it from the glossary.
    pub name_kinds: BTreeMap<String, String>,
}

/// How a label was matched to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// An item of the post as `build` splits it.
    Split,
    /// The splitter did not produce the item: the section under the labelled heading line was
    /// cut out of the post by [`cut_section`] and split on its own (see `--no-fallback`).
    Fallback,
}

/// Parses the labelled posts, lets `tag` tag every parsed item (pass the same tagging `build`
/// uses), matches labels to items and returns the judgements. With `fallback`, a digest label
/// that matches no split item is measured on the section cut out under its heading line, so
/// the tagger is measured even where the splitter still misses items.
pub fn evaluate(
    labels: &[Label],
    corpus: &Path,
    fallback: bool,
    tag: impl FnOnce(&mut [NewsItem]) -> Result<(), IndexerError>,
) -> Result<EvalReport, IndexerError> {
    if !corpus.is_dir() {
        return Err(IndexerError::NoPostsDir(corpus.to_path_buf()));
    }
    // Parse every labelled post once; tag all their items in one batch.
    let mut posts: BTreeMap<&str, Result<std::ops::Range<usize>, String>> = BTreeMap::new();
    let mut all: Vec<NewsItem> = Vec::new();
    for label in labels {
        if posts.contains_key(label.post_path.as_str()) {
            continue;
        }
        let parsed = parse_post_file(corpus, &label.post_path).map(|items| {
            let start = all.len();
            all.extend(items);
            start..all.len()
        });
        posts.insert(&label.post_path, parsed);
    }
    // per label: (item indices, similarity, via) or the reason it is unmatched
    type Match = Result<(Vec<usize>, f64, Via), String>;
    let mut matches: Vec<Match> = Vec::new();
    for label in labels {
        let range = match &posts[label.post_path.as_str()] {
            Ok(r) => r.clone(),
            Err(reason) => {
                matches.push(Err(reason.clone()));
                continue;
            }
        };
        let Some(title) = &label.item_title else {
            matches.push(if range.is_empty() {
                Err("the post has no items".into())
            } else {
                Ok((range.collect(), 1.0, Via::Split))
            });
            continue;
        };
        let best =
            range.clone().map(|i| (i, title_similarity(title, &all[i].title))).max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, sim)) if sim >= MIN_TITLE_SIMILARITY => matches.push(Ok((vec![i], sim, Via::Split))),
            best => {
                let why = match best {
                    Some((i, sim)) => format!("no item title is similar enough (best {sim:.2}: {:?})", all[i].title),
                    None => "the post has no items".to_string(),
                };
                let cut = if fallback { cut_section(corpus, &label.post_path, title) } else { None };
                match cut {
                    Some((item, sim)) => {
                        all.push(item);
                        matches.push(Ok((vec![all.len() - 1], sim, Via::Fallback)));
                    }
                    None => matches.push(Err(why)),
                }
            }
        }
    }
    tag(&mut all)?;

    let mut report = EvalReport::default();
    for (label, matched) in labels.iter().zip(matches) {
        let (indices, similarity, via) = match matched {
            Ok(m) => m,
            Err(reason) => {
                report.unmatched.push(Unmatched { label: label.clone(), reason });
                continue;
            }
        };
        let union = |f: fn(&NewsItem) -> &Vec<String>| {
            let mut out: Vec<String> = Vec::new();
            for &i in &indices {
                for s in f(&all[i]) {
                    if !out.contains(s) {
                        out.push(s.clone());
                    }
                }
            }
            out
        };
        let first = &all[indices[0]];
        report.judged.push(Judged {
            label: label.clone(),
            matched_title: if label.item_title.is_some() { first.title.clone() } else { first.post_title.clone() },
            similarity,
            via,
            parts: indices.len(),
            companies: union(|i| &i.companies),
            topics: union(|i| &i.topics),
            names: union(|i| &i.names),
            items: indices.iter().map(|&i| all[i].clone()).collect(),
        });
    }
    Ok(report)
}

/// The shape of a line that can start an item: a `#` heading (its level), or the indentation
/// and leading markup (bullet, `**`, `[`, an HTML tag name) before the first letter.
fn line_shape(line: &str) -> (Option<usize>, String) {
    let t = line.trim_start();
    let hashes = t.len() - t.trim_start_matches('#').len();
    if hashes > 0 && t[hashes..].starts_with(' ') {
        return (Some(hashes), String::new());
    }
    let indent = line.len() - t.len();
    let mut shape = format!("{indent}:");
    let mut rest = t;
    if let Some(tag) = rest.strip_prefix('<') {
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        return (None, format!("{shape}<{name}"));
    }
    for marker in ["- ", "* ", "+ "] {
        if let Some(r) = rest.strip_prefix(marker) {
            shape.push(marker.as_bytes()[0] as char);
            rest = r.trim_start();
        }
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && rest[digits..].starts_with(". ") {
        shape.push('1');
        rest = rest[digits + 2..].trim_start();
    }
    if rest.starts_with("**") {
        shape.push_str("**");
        rest = &rest[2..];
    }
    if let Some(r) = rest.strip_prefix("**") {
        rest = r;
    }
    if rest.starts_with('[') {
        shape.push('[');
    }
    (None, shape)
}

/// Cuts the item a label names out of the raw post when the splitter did not produce it: the
/// line most similar to the label title (a heading, bold line, bullet or HTML heading), and the
/// lines after it up to the next line of the same shape or a heading that closes it. The
/// section is split with the post splitter (so 요약/시사점 parts are recognised); its parts are
/// merged into one item titled by the label line. Returns the item and the line's similarity.
pub fn cut_section(corpus: &Path, rel: &str, title: &str) -> Option<(NewsItem, f64)> {
    let bytes = std::fs::read(corpus.join(rel)).ok()?;
    let text = post::decode(&bytes).ok()?;
    let post = post::parse(rel, text).ok()?;
    let lines: Vec<&str> = post.body.lines().collect();
    let (start, sim) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let l = l.trim_start().trim_start_matches('#').trim_start();
            let l = l.trim_start_matches(['-', '*', '+']).trim_start();
            (i, title_similarity(title, l))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if sim < MIN_TITLE_SIMILARITY {
        return None;
    }
    let shape = line_shape(lines[start]);
    let end = lines[start + 1..]
        .iter()
        .position(|l| {
            let s = line_shape(l);
            let rule = matches!(l.trim(), "---" | "***" | "___");
            rule || match (shape.0, s.0) {
                (Some(level), Some(other)) => other <= level,
                (None, Some(_)) => true,
                _ => s == shape && !l.trim().is_empty(),
            }
        })
        .map_or(lines.len(), |p| start + 1 + p);
    // Continuation lines of a bullet are indented; unindent them so they are not code blocks.
    let section: Vec<&str> = lines[start + 1..end].iter().map(|l| l.trim_start()).collect();
    let heading_text = {
        let l = lines[start].trim_start().trim_start_matches('#').trim_start();
        let l = l.trim_start_matches(['-', '*', '+']).trim_start();
        strip_inline_markup(l, true).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let markdown_text = format!("###### {}\n\n{}\n", heading_text.replace('\n', " "), section.join("\n"));
    let mut parts = items::split(&markdown::blocks(&markdown_text));
    if parts.is_empty() {
        parts.push(items::RawItem { title: heading_text.clone(), ..Default::default() });
    }
    let mut raw = parts.remove(0);
    for more in parts {
        raw.body = [raw.body.as_str(), more.title.as_str(), more.body.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        raw.sources.extend(more.sources);
    }
    raw.title = items::clean_title(&heading_text);
    Some((NewsItem::from_raw(&post, 10_000 + start, raw), sim))
}

impl EvalReport {
    /// Micro counts over the matched labels of a kind (all: `None`) and split (all: `None`); for
    /// names, over the labels that list names.
    pub fn counts(&self, kind: Option<Kind>, which: Which, split: Option<Split>) -> Counts {
        let mut c = Counts::default();
        for j in self.judged.iter().filter(|j| {
            kind.is_none_or(|k| j.label.kind() == k) && split.is_none_or(|s| j.label.split == s) && which.labelled(j)
        }) {
            let (gold, pred) = which.pick(j);
            c.add(gold, pred);
        }
        c
    }

    /// Micro counts of names of one kind (`person`, `product`, `organization`) in a split.
    pub fn name_counts(&self, name_kind: &str, split: Option<Split>) -> Counts {
        let of_kind = |v: &[String]| -> Vec<String> {
            v.iter().filter(|s| self.name_kinds.get(*s).is_some_and(|k| k == name_kind)).cloned().collect()
        };
        let mut c = Counts::default();
        for j in self.judged.iter().filter(|j| split.is_none_or(|s| j.label.split == s) && Which::Names.labelled(j)) {
            let (gold, pred) = Which::Names.pick(j);
            c.add(&of_kind(gold), &of_kind(pred));
        }
        c
    }

    /// How many matched labels a split holds (all: `None`), and how many of them list names.
    pub fn labels_in(&self, split: Option<Split>) -> (usize, usize) {
        let of = self.judged.iter().filter(|j| split.is_none_or(|s| j.label.split == s));
        let with_names = of.clone().filter(|j| Which::Names.labelled(j)).count();
        (of.count(), with_names)
    }

    /// Per-slug counts for one kind of tag.
    fn per_slug(&self, which: Which) -> BTreeMap<String, Counts> {
        let mut m: BTreeMap<String, Counts> = BTreeMap::new();
        for j in self.judged.iter().filter(|j| which.labelled(j)) {
            let (gold, pred) = which.pick(j);
            let slugs: BTreeSet<&String> = gold.iter().chain(pred).collect();
            for s in slugs {
                let one = |v: &[String]| if v.contains(s) { vec![s.clone()] } else { Vec::new() };
                m.entry(s.clone()).or_default().add(&one(gold), &one(pred));
            }
        }
        m
    }

    /// Precision, recall and F1 per split (`tuning`, `held-out`) and kind of tag (`companies`,
    /// `topics`, and `names` where labels list them): what `eval-tagging --json` writes and the
    /// quality gate compares with its baseline.
    pub fn figures(&self) -> BTreeMap<String, BTreeMap<String, BTreeMap<String, f64>>> {
        let mut out = BTreeMap::new();
        for split in [Split::Tuning, Split::Heldout] {
            let (n, with_names) = self.labels_in(Some(split));
            if n == 0 {
                continue;
            }
            let mut kinds = BTreeMap::new();
            for which in [Which::Companies, Which::Topics, Which::Names] {
                if which == Which::Names && with_names == 0 {
                    continue;
                }
                let c = self.counts(None, which, Some(split));
                let figures = [("precision", c.precision()), ("recall", c.recall()), ("f1", c.f1())];
                kinds.insert(which.name().to_string(), figures.map(|(k, v)| (k.to_string(), v)).into());
            }
            out.insert(split.name().to_string(), kinds);
        }
        out
    }

    /// Headline figures: (companies, topics) micro counts over every matched label.
    pub fn overall(&self) -> (Counts, Counts) {
        (self.counts(None, Which::Companies, None), self.counts(None, Which::Topics, None))
    }

    /// The plain-text table `eval-tagging` prints. `details` adds one line per label with its
    /// misses, and what `explain` says about its item(s).
    pub fn render(&self, details: bool, explain: Option<&dyn Fn(&NewsItem) -> String>) -> String {
        let mut out = String::new();
        let n = |k: Kind| self.judged.iter().filter(|j| j.label.kind() == k).count();
        let fallback = self.judged.iter().filter(|j| j.via == Via::Fallback).count();
        let _ = writeln!(
            out,
            "labels matched: {} ({} digest items, {} essays); {} of them by cutting the labelled section \
             because the splitter did not produce the item; unmatched: {}",
            self.judged.len(),
            n(Kind::Digest),
            n(Kind::Essay),
            fallback,
            self.unmatched.len()
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<10} {:<8} {:>5} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
            "", "items", "n", "tp", "fp", "fn", "P", "R", "F1"
        );
        for which in [Which::Companies, Which::Topics] {
            for (name, kind) in [("all", None), ("digest", Some(Kind::Digest)), ("essay", Some(Kind::Essay))] {
                let c = self.counts(kind, which, None);
                let items = self.judged.iter().filter(|j| kind.is_none_or(|k| j.label.kind() == k)).count();
                let _ = writeln!(out, "{:<10} {:<8} {:>5} {}", which.name(), name, items, c.cells());
            }
        }

        // The same per split: the held-out labels chose nothing, so theirs are the figures to trust.
        let _ = writeln!(out, "\nby split (held-out labels are never used to choose anything):");
        let _ = writeln!(
            out,
            "{:<9} {:<22} {:>5} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
            "split", "tags", "n", "tp", "fp", "fn", "P", "R", "F1"
        );
        for split in [Split::Tuning, Split::Heldout] {
            let (n, with_names) = self.labels_in(Some(split));
            if n == 0 {
                continue;
            }
            for which in [Which::Companies, Which::Topics] {
                let c = self.counts(None, which, Some(split));
                let _ = writeln!(out, "{:<9} {:<22} {:>5} {}", split.name(), which.name(), n, c.cells());
            }
            if with_names > 0 {
                let c = self.counts(None, Which::Names, Some(split));
                let _ = writeln!(out, "{:<9} {:<22} {:>5} {}", split.name(), "names", with_names, c.cells());
                for kind in ["person", "product", "organization"] {
                    let c = self.name_counts(kind, Some(split));
                    let label = format!("names: {kind}");
                    let _ = writeln!(out, "{:<9} {:<22} {:>5} {}", split.name(), label, with_names, c.cells());
                }
                let mut pp = self.name_counts("person", Some(split));
                let product = self.name_counts("product", Some(split));
                pp.tp += product.tp;
                pp.fp += product.fp;
                pp.fn_ += product.fn_;
                let _ = writeln!(
                    out,
                    "{:<9} {:<22} {:>5} {}",
                    split.name(),
                    "names: people+products",
                    with_names,
                    pp.cells()
                );
            }
        }

        let _ = writeln!(out, "\nper topic (gold = tp + fn):");
        let _ = writeln!(
            out,
            "{:<18} {:>4} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
            "topic", "gold", "tp", "fp", "fn", "P", "R", "F1"
        );
        for (slug, c) in self.per_slug(Which::Topics) {
            let _ = writeln!(out, "{:<18} {:>4} {}", slug, c.tp + c.fn_, c.cells());
        }

        for which in [Which::Companies, Which::Topics, Which::Names] {
            let per = self.per_slug(which);
            let mut fps: Vec<(&String, &Counts)> = per.iter().filter(|(_, c)| c.fp > 0).collect();
            fps.sort_by(|a, b| b.1.fp.cmp(&a.1.fp).then(a.0.cmp(b.0)));
            let mut fns: Vec<(&String, &Counts)> = per.iter().filter(|(_, c)| c.fn_ > 0).collect();
            fns.sort_by(|a, b| b.1.fn_.cmp(&a.1.fn_).then(a.0.cmp(b.0)));
            for (what, list, get) in [
                ("false positives", &fps, (|c: &Counts| c.fp) as fn(&Counts) -> usize),
                ("false negatives", &fns, |c: &Counts| c.fn_),
            ] {
                let _ = writeln!(out, "\nworst {} {what}:", which.name());
                if list.is_empty() {
                    let _ = writeln!(out, "  (none)");
                }
                for (slug, c) in list.iter().take(10) {
                    let examples: Vec<String> = self
                        .judged
                        .iter()
                        .filter(|j| which.labelled(j))
                        .filter(|j| {
                            let (gold, pred) = which.pick(j);
                            if what.starts_with("false pos") {
                                pred.contains(slug) && !gold.contains(slug)
                            } else {
                                gold.contains(slug) && !pred.contains(slug)
                            }
                        })
                        .take(3)
                        .map(|j| short(&display_title(j), 40))
                        .collect();
                    let _ = writeln!(out, "  {:<16} {:>3}  {}", slug, get(c), examples.join(" | "));
                }
            }
        }

        if !self.unmatched.is_empty() {
            let _ = writeln!(out, "\nunmatched labels:");
            for u in &self.unmatched {
                let _ = writeln!(
                    out,
                    "  {} :: {}: {}",
                    u.label.post_path,
                    u.label.item_title.as_deref().unwrap_or("(whole post)"),
                    u.reason
                );
            }
        }

        if details {
            let _ = writeln!(out, "\nper label (+ false positive, - false negative):");
            for j in &self.judged {
                let diff = |gold: &[String], pred: &[String]| {
                    let mut parts: Vec<String> =
                        pred.iter().filter(|p| !gold.contains(p)).map(|p| format!("+{p}")).collect();
                    parts.extend(gold.iter().filter(|g| !pred.contains(g)).map(|g| format!("-{g}")));
                    if parts.is_empty() {
                        "ok".to_string()
                    } else {
                        parts.join(" ")
                    }
                };
                let _ = writeln!(
                    out,
                    "  [{}] {}{}\n      companies: {}\n      topics:    {} (predicted {:?})",
                    match j.label.kind() {
                        Kind::Digest if j.via == Via::Fallback => format!("digest cut {:.2}", j.similarity),
                        Kind::Digest => format!("digest {:.2}", j.similarity),
                        Kind::Essay => format!("essay ×{}", j.parts),
                    },
                    short(&display_title(j), 70),
                    if j.label.kind() == Kind::Essay { format!(" ({})", j.label.post_path) } else { String::new() },
                    diff(&j.label.companies, &j.companies),
                    diff(&j.label.topics, &j.topics),
                    j.topics
                );
                if let Some(explain) = explain {
                    for item in &j.items {
                        let e = explain(item);
                        if !e.is_empty() {
                            let _ = writeln!(out, "      · {}", e);
                        }
                    }
                }
            }
        }
        out
    }
}

fn display_title(j: &Judged) -> String {
    j.label.item_title.clone().unwrap_or_else(|| j.matched_title.clone())
}

fn short(s: &str, max: usize) -> String {
    let s = normalise_title(s);
    if s.chars().count() <= max {
        s
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// Which kind of tag a figure is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Companies,
    Topics,
    /// The glossary's people, products and organisations.
    Names,
}

impl Which {
    fn pick<'a>(&self, j: &'a Judged) -> (&'a [String], &'a [String]) {
        match self {
            Which::Companies => (&j.label.companies, &j.companies),
            Which::Topics => (&j.label.topics, &j.topics),
            Which::Names => (j.label.names.as_deref().unwrap_or_default(), &j.names),
        }
    }
    /// Whether the label says anything about this kind of tag (names: only labels that list them).
    fn labelled(&self, j: &Judged) -> bool {
        *self != Which::Names || j.label.names.is_some()
    }
    fn name(&self) -> &'static str {
        match self {
            Which::Companies => "companies",
            Which::Topics => "topics",
            Which::Names => "names",
        }
    }
}

/// Paths the evaluation reads, checked up front so a missing one is named in the error.
pub fn check_paths(labels: &Path, corpus: &Path) -> Result<(), IndexerError> {
    if !labels.is_file() {
        return Err(IndexerError::Io {
            path: labels.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "label file not found"),
        });
    }
    if !corpus.is_dir() {
        return Err(IndexerError::Io {
            path: corpus.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "corpus folder not found (the dev corpus the labels refer to)",
            ),
        });
    }
    Ok(())
}

/// Where `eval-tagging` looks by default.
pub fn default_paths() -> (PathBuf, PathBuf) {
    (PathBuf::from("tests/fixtures/labels/tagging.jsonl"), PathBuf::from("/work/shared/devcorpus"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_normalise() {
        // numbering and the link go (what else `items::clean_title` trims is its business)
        let t = normalise_title("9. [\"토큰 경로에 올라타라\" - 전략](https://x.com/p/a(b)) (14pts)");
        assert!(t.starts_with("\"토큰 경로에 올라타라\" - 전략"), "{t}");
        assert!(!t.contains("x.com"), "{t}");
        assert_eq!(normalise_title("**[A  b]**"), "a b");
        assert_eq!(normalise_title("<a href=\"x\">Title</a>\u{200a}—\u{200a}x"), "title — x");
    }

    #[test]
    fn similar_titles() {
        assert_eq!(title_similarity("3. 제목 하나", "제목 하나"), 1.0);
        assert!(title_similarity("Anthropic, Claude Tag 공개 (9pts)", "Anthropic, Claude Tag 공개") >= 0.9);
        assert!(title_similarity("엔비디아 실적", "구글 딥마인드 개편") < MIN_TITLE_SIMILARITY);
    }

    #[test]
    fn counts() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let mut c = Counts::default();
        c.add(&s(&["a", "b"]), &s(&["b", "c"]));
        assert_eq!(c, Counts { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(c.precision(), 0.5);
        assert_eq!(c.f1(), 0.5);
    }
}
