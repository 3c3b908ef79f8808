//! Turning ranked ords into what the API returns: hits (with copies and story), items,
//! similar items and snippets.

use std::collections::HashSet;
use std::path::Path;

use sosik_corpus::NewsItem;
use sosik_types::{Duplicate, Hit, Item, Source};
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

impl Engine {
    /// The hit for the item at `ord`, with its other copies and its story.
    pub(crate) fn hit(&self, ord: ItemOrd, item: NewsItem, score: f32, snippet: Option<String>) -> Hit {
        let mut hit = to_hit(item, score, snippet);
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
        hit.story = self.story_id(ord);
        hit
    }

    /// The id of the story thread the item at `ord` is in: the id of the thread's first item.
    pub(crate) fn story_id(&self, ord: ItemOrd) -> Option<String> {
        self.threads[ord].map(|t| self.meta[t.first()].id.clone())
    }

    /// A hit for the item at `ord` (its copies and story included), with the plain snippet.
    pub(crate) fn plain_hit(&self, searcher: &Searcher, ord: ItemOrd, score: f32) -> Result<Hit, EngineError> {
        let item = self.item_at(searcher, ord)?;
        Ok(self.hit(ord, item, score, None))
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Result<Option<Item>, EngineError> {
        let Some(&ord) = self.ids.get(id) else { return Ok(None) };
        let n = self.item_at(&self.reader.searcher(), ord)?;
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
            story: self.story_id(ord),
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
            .map(|(o, score)| {
                let mut hit = to_hit(self.item_at(&searcher, o)?, score, None);
                hit.story = self.story_id(o);
                Ok(hit)
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        Ok(Some(hits))
    }

    pub(super) fn item_at(&self, searcher: &Searcher, ord: ItemOrd) -> Result<NewsItem, EngineError> {
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

pub(super) fn to_hit(item: NewsItem, score: f32, snippet: Option<String>) -> Hit {
    let snippet = snippet.unwrap_or_else(|| plain_snippet(&item));
    Hit {
        id: item.id,
        post_path: item.post_path,
        title: item.title,
        date: item.date.format("%Y-%m-%d").to_string(),
        snippet,
        score,
        companies: item.companies,
        topics: item.topics,
        sources: item.sources.into_iter().map(|s| Source { title: s.title, url: s.url }).collect(),
        also_in: Vec::new(),
        story: None,
        explain: None,
    }
}

/// The start of the summary (or body), cut at a character boundary, HTML-escaped.
pub(super) fn plain_snippet(item: &NewsItem) -> String {
    let text = if item.summary.is_empty() { &item.body } else { &item.summary };
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
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
