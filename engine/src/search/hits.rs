//! Turning ranked ords into what the API returns: hits (with copies and story), items,
//! similar items and snippets.

use std::path::Path;

use sosik_corpus::NewsItem;
use sosik_types::{Duplicate, Hit, Item, Source};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::request::check_limit;
use super::Engine;
use crate::error::EngineError;
use crate::format::ids::ItemOrd;
use crate::format::schema::Fields;
use crate::format::{check, IndexFile};

impl Engine {
    /// The hit for the item at `ord`, with its other copies and its story.
    pub(crate) fn hit(
        &self,
        searcher: &Searcher,
        ord: ItemOrd,
        item: NewsItem,
        score: f32,
        snippet: Option<String>,
    ) -> Result<Hit, EngineError> {
        let mut hit = to_hit(item, score, snippet);
        let group = self.members.get(&self.groups[ord]).map_or(&[][..], Vec::as_slice);
        for &other in group.iter().filter(|&&o| o != ord) {
            let m = &self.meta[other];
            let d = self.item_at(searcher, other)?;
            hit.also_in.push(Duplicate {
                id: m.id.clone(),
                post_path: m.post_path.clone(),
                title: d.title,
                date: m.date.format("%Y-%m-%d").to_string(),
            });
        }
        hit.story = self.story_id(ord);
        Ok(hit)
    }

    /// The id of the story thread the item at `ord` is in: the id of the thread's first item.
    pub(crate) fn story_id(&self, ord: ItemOrd) -> Option<String> {
        self.threads[ord].map(|t| self.meta[t.first()].id.clone())
    }

    /// A hit for the item at `ord` (its copies and story included), with the plain snippet.
    pub(crate) fn plain_hit(&self, searcher: &Searcher, ord: ItemOrd, score: f32) -> Result<Hit, EngineError> {
        let item = self.item_at(searcher, ord)?;
        self.hit(searcher, ord, item, score, None)
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
