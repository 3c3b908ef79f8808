//! Turning ranked ords into what the API returns: hits (with copies and story), items,
//! similar items and snippets.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use sosik_corpus::NewsItem;
use sosik_types::{Duplicate, Hit, Item, Source, StorySpan};
use tantivy::schema::Value;
use tantivy::snippet::Snippet;
use tantivy::{DocAddress, Searcher, TantivyDocument};
use unicode_normalization::UnicodeNormalization;

use super::request::check_limit;
use super::Engine;
use crate::error::EngineError;
use crate::format::ids::ItemOrd;
use crate::format::schema::Fields;
use crate::format::{check, IndexFile};

/// What a hit needs from an item's stored JSON beyond what [`super::Meta`] keeps in memory: the
/// text its snippet is cut from and its sources. Read borrowing from the stored text (a `Cow` is
/// owned only where the JSON escapes a character), skipping every other field: a hit costs
/// neither the item's other strings nor their allocations.
#[derive(serde::Deserialize)]
struct HitText<'a> {
    #[serde(borrow)]
    summary: Cow<'a, str>,
    #[serde(borrow)]
    body: Cow<'a, str>,
    #[serde(borrow)]
    sources: Vec<HitSource<'a>>,
}

#[derive(serde::Deserialize)]
struct HitSource<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    url: Cow<'a, str>,
}

/// Cuts a highlighted snippet (HTML) from a body; `None` when it marks nothing.
pub(crate) type SnippetCut<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Engine {
    /// The hit for the item at `ord`, with its story but not its copies ([`Engine::add_copies`]). `snippet` cuts the
    /// highlighted snippet from the body; without it (or when it marks nothing) the snippet is the
    /// start of the summary, or of the body.
    pub(crate) fn hit_at(
        &self,
        searcher: &Searcher,
        ord: ItemOrd,
        score: f32,
        snippet: Option<SnippetCut>,
    ) -> Result<Hit, EngineError> {
        let doc: TantivyDocument = searcher.doc(self.docs[ord]).map_err(|e| check::tantivy(&self.dir, e))?;
        let json = doc.get_first(self.fields.item).and_then(|v| v.as_str()).unwrap_or("");
        let text: HitText = serde_json::from_str(json).map_err(|e| {
            check::bad(&self.dir, IndexFile::Tantivy, format_args!("holds an invalid stored item: {e}"))
        })?;
        let snippet =
            snippet.and_then(|cut| cut(&text.body)).unwrap_or_else(|| plain_snippet(&text.summary, &text.body));
        let m = &self.meta[ord];
        let hit = Hit {
            id: m.id.clone(),
            post_path: m.post_path.clone(),
            title: m.title.clone(),
            post_title: m.post_title.clone(),
            date: m.date.format("%Y-%m-%d").to_string(),
            snippet,
            score,
            companies: m.companies.clone(),
            topics: m.topics.clone(),
            names: m.names.clone(),
            sources: text.sources.into_iter().map(|s| Source { title: s.title.into(), url: s.url.into() }).collect(),
            also_in: Vec::new(),
            story: self.story_id(ord),
            story_span: self.story_span(ord),
            explain: None,
        };
        Ok(hit)
    }

    /// The item's other copies (its near-duplicate group), listed from memory.
    pub(crate) fn add_copies(&self, hit: &mut Hit, ord: ItemOrd) {
        let group = self.members.get(&self.groups[ord]).map_or(&[][..], Vec::as_slice);
        for &other in group.iter().filter(|&&o| o != ord) {
            let m = &self.meta[other];
            hit.also_in.push(Duplicate {
                id: m.id.clone(),
                post_path: m.post_path.clone(),
                title: m.title.clone(),
                date: m.date.format("%Y-%m-%d").to_string(),
            });
        }
    }

    /// The id of the story thread the item at `ord` is in: the id of the thread's first item.
    pub(crate) fn story_id(&self, ord: ItemOrd) -> Option<String> {
        self.threads[ord].map(|t| self.meta[t.first()].id.clone())
    }

    /// The size and span of the story thread the item at `ord` is in.
    pub(crate) fn story_span(&self, ord: ItemOrd) -> Option<StorySpan> {
        let members = self.thread_members.get(&self.threads[ord]?)?;
        let day = |o: &ItemOrd| self.meta[*o].date.format("%Y-%m-%d").to_string();
        Some(StorySpan { size: members.len(), first_date: day(members.first()?), last_date: day(members.last()?) })
    }

    /// A hit for the item at `ord` (its copies and story included), with the plain snippet.
    pub(crate) fn plain_hit(&self, searcher: &Searcher, ord: ItemOrd, score: f32) -> Result<Hit, EngineError> {
        let mut hit = self.hit_at(searcher, ord, score, None)?;
        self.add_copies(&mut hit, ord);
        Ok(hit)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Result<Option<Item>, EngineError> {
        let Some(&ord) = self.ids.get(id) else { return Ok(None) };
        let n = self.item_at(&self.reader.searcher(), ord)?;
        let lineage = self.lineage(ord, Some(&n))?;
        Ok(Some(Item {
            id: n.id,
            post_path: n.post_path,
            post_title: n.post_title,
            date: n.date.format("%Y-%m-%d").to_string(),
            position: n.position,
            title: n.title,
            summary: n.summary,
            why: n.why,
            body: n.body,
            sources: n.sources.into_iter().map(|s| Source { title: s.title, url: s.url }).collect(),
            companies: n.companies,
            topics: n.topics,
            names: n.names.into_iter().filter(|s| self.name_slugs.contains(s)).collect(),
            story: self.story_id(ord),
            lineage,
        }))
    }

    /// The nearest items by embedding that are other stories: neither the item itself nor
    /// anything from its post. `None` when no item has this id.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>, EngineError> {
        check_limit(limit)?;
        let Some(&ord) = self.ids.get(id) else { return Ok(None) };
        let post = &self.meta[ord].post_path;
        let near = self.vectors.top_k(self.vectors.row(ord), limit, |o| o != ord && &self.meta[o].post_path != post);
        let searcher = self.reader.searcher();
        let hits = near
            .into_iter()
            // similar items list each story once, without its copies
            .map(|(o, score)| self.hit_at(&searcher, o, score, None))
            .collect::<Result<Vec<_>, EngineError>>()?;
        Ok(Some(hits))
    }

    pub(crate) fn item_at(&self, searcher: &Searcher, ord: ItemOrd) -> Result<NewsItem, EngineError> {
        load_item(&self.dir, searcher, self.fields, self.docs[ord])
    }
}

pub(super) fn load_item(
    dir: &Path,
    searcher: &Searcher,
    fields: Fields,
    addr: DocAddress,
) -> Result<NewsItem, EngineError> {
    let doc: TantivyDocument = searcher.doc(addr).map_err(|e| check::tantivy(dir, e))?;
    let json = doc.get_first(fields.item).and_then(|v| v.as_str()).unwrap_or("");
    serde_json::from_str(json)
        .map_err(|e| check::bad(dir, IndexFile::Tantivy, format_args!("holds an invalid stored item: {e}")))
}

/// The start of the summary (or, without one, of the body), cut at a character boundary,
/// HTML-escaped.
pub(super) fn plain_snippet(summary: &str, body: &str) -> String {
    let text = if summary.is_empty() { body } else { summary };
    let mut out: String = text.chars().take(200).collect();
    if text.chars().nth(200).is_some() {
        out.push('…');
    }
    html_escape(&out)
}

/// A snippet as HTML: the fragment escaped, each highlighted run in `<mark>`. The generator
/// marks the query's character bigrams, so overlapping and adjacent marks are first joined into
/// runs; a run of one Hangul bigram is kept only when it is a whole two-syllable query word
/// (`출시`), so that a gram of a longer word (`로픽` of 앤트로픽) does not mark another word that
/// shares it (앤스로픽, 에이스 for 에이전트). `short_words`: the query's two-syllable words.
pub(super) fn snippet_html(snippet: &Snippet, short_words: &HashSet<String>) -> String {
    let fragment = snippet.fragment();
    let mut ranges = snippet.highlighted().to_vec();
    ranges.sort_by_key(|r| (r.start, r.end));
    // (run, grams in it)
    let mut runs: Vec<(std::ops::Range<usize>, usize)> = Vec::new();
    for r in ranges {
        match runs.last_mut() {
            Some((last, grams)) if r.start <= last.end => {
                last.end = last.end.max(r.end);
                *grams += 1;
            }
            _ => runs.push((r, 1)),
        }
    }
    let mut html = String::with_capacity(fragment.len() + 32);
    let mut at = 0;
    for (run, grams) in runs {
        let text = &fragment[run.clone()];
        let hangul = || text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        let whole = || text.nfkc().flat_map(char::to_lowercase).collect::<String>();
        if grams == 1 && hangul() && !short_words.contains(&whole()) {
            continue;
        }
        html.push_str(&html_escape(&fragment[at..run.start]));
        html.push_str("<mark>");
        html.push_str(&html_escape(text));
        html.push_str("</mark>");
        at = run.end;
    }
    html.push_str(&html_escape(&fragment[at..]));
    html
}

/// The query's words of two Hangul syllables, which a single bigram mark may stand for.
pub(super) fn short_words(q: &str) -> HashSet<String> {
    sosik_ko::bigrams::words(q).into_iter().filter(|w| w.chars().count() == 2).collect()
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::schema::Schema;
    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::TextAnalyzer;

    use super::*;

    /// The snippet of `text` for query `q`, marked as a search marks it.
    fn marked(q: &str, text: &str) -> String {
        let terms: BTreeMap<String, f32> = sosik_ko::bigrams::bigrams(q).into_iter().map(|g| (g.text, 1.0)).collect();
        let field = Schema::builder().add_text_field("body", tantivy::schema::TEXT);
        let analyzer = TextAnalyzer::from(sosik_ko::BigramTokenizer::with_source_offsets());
        let snippet = SnippetGenerator::new(terms, analyzer, field, 220).snippet(text);
        snippet_html(&snippet, &short_words(q))
    }

    #[test]
    fn marks_are_whole_runs_of_query_grams_and_stray_grams_are_left_alone() {
        assert_eq!(
            marked("앤트로픽 출시", "앤스로픽이 <b>출시</b>한 앤트로픽의 '코워크'"),
            "앤스로픽이 &lt;b&gt;<mark>출시</mark>&lt;/b&gt;한 <mark>앤트로픽</mark>의 &#39;코워크"
        );
        // adjacent Latin and Hangul marks are one run; a gram of a longer word alone is not marked
        assert_eq!(marked("SK하이닉스 에이전트", "SK하이닉스와 에이스"), "<mark>SK하이닉스</mark>와 에이스");
        // the query's own inflection is marked with it, and case and width do not matter
        assert_eq!(
            marked("Ｃｌａｕｄｅ 직원의", "claude 직원의 20% 감축"),
            "<mark>claude</mark> <mark>직원의</mark> 20% 감축"
        );
    }
}
