//! The tagging rules' constants, essays, and the topic decision with its embedding support.

use sosik_embed::{Embedder, EmbeddingCache};

use super::catalog::{Catalog, Topic};
use super::topic_model::{TopicClassifier, TopicModel, DEFAULT_TOPIC_MODEL};
use crate::model::NewsItem;
use crate::CorpusError;

/// An item is "long" (an essay passage or an essay, not a digest entry) above this many
/// characters of lead and body. Digest entries in the dev corpus are mostly 200–1,200.
pub const LONG_ITEM_CHARS: usize = 1_500;

/// In an essay (a long item, or the passages of an essay post together) a company named in
/// no title or lead needs this many mentions to count as discussed rather than passing.
pub const ESSAY_MIN_MENTIONS: u32 = 3;

/// An item that names this many companies or more tags none of them for a single mention in
/// its body alone: such an item lists companies (the model makers of a benchmark, the rivals of
/// the one it is about), and one mention in the list is not what the item is about. Chosen on
/// the tuning half of `tests/fixtures/labels/tagging.jsonl` among 4, 5, 6 and no limit (company
/// F1 0.862, 0.870, 0.864, 0.856); see the README's "Tagging".
pub const PASSING_MIN_COMPANIES: usize = 5;

/// A post is an essay split into passages when it has at least this many items and at least
/// [`ESSAY_PASSAGE_SHARE`] of them have neither a lead (summary / why it matters) nor a source
/// link: a news item cites its source, a section of an essay does not.
pub const ESSAY_MIN_ITEMS: usize = 3;
pub const ESSAY_PASSAGE_SHARE: f32 = 0.8;

/// A topic of an essay passage is kept only if at least this share of the essay's passages
/// (and at least two) are tagged with it: an essay has a few themes, and a topic that one
/// passage out of twenty touches is a digression.
pub const ESSAY_TOPIC_SHARE: f32 = 0.15;

/// Topic keyword weights by position and the score a topic needs from keywords alone.
pub const TOPIC_WEIGHT_TITLE: f32 = 2.0;
pub const TOPIC_WEIGHT_LEAD: f32 = 1.0;
pub const TOPIC_WEIGHT_BODY: f32 = 0.5;
pub const TOPIC_KEYWORD_THRESHOLD: f32 = 2.0;

/// Topic description embeddings, one per topic in catalog order ("passage: " side, like the
/// items, so item–topic cosines compare two documents), and the trained classifier of each topic
/// that has one ([`TopicModel`]).
#[derive(Clone, Debug)]
pub struct TopicVectors {
    pub vectors: Vec<Vec<f32>>,
    /// Per topic (catalog order): its classifier, if the model has one and is not stale.
    pub classifiers: Vec<Option<TopicClassifier>>,
    /// How topics are decided, for the build report: the model in use, or why it is not.
    pub note: String,
    /// SHA-256 of the model in use ([`TopicModel::sha256`]); `None` under the keyword rule.
    pub model_sha256: Option<String>,
}

impl TopicVectors {
    /// The text embedded for a topic: its names and description.
    pub fn text(topic: &Topic) -> String {
        format!("{} ({}): {}", topic.name_ko, topic.name_en, topic.description)
    }

    /// Embeds every topic's [`TopicVectors::text`] through the embedding cache (each text is
    /// embedded once per machine, then read from the cache), with the built-in topic model
    /// (`data/topic_model.json`).
    pub fn embed(
        catalog: &Catalog,
        embedder: &Embedder,
        cache: &mut EmbeddingCache,
    ) -> Result<TopicVectors, CorpusError> {
        let model = TopicModel::parse(DEFAULT_TOPIC_MODEL, "data/topic_model.json (built in)")
            .map_err(|reason| CorpusError::Catalog { file: "data/topic_model.json".into(), reason })?;
        TopicVectors::embed_with(catalog, embedder, cache, Some(&model))
    }

    /// [`TopicVectors::embed`] with another model, or none (the keyword rule for every topic).
    pub fn embed_with(
        catalog: &Catalog,
        embedder: &Embedder,
        cache: &mut EmbeddingCache,
        model: Option<&TopicModel>,
    ) -> Result<TopicVectors, CorpusError> {
        let texts: Vec<String> = catalog.topics.iter().map(TopicVectors::text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (vectors, _) = cache.embed_passages_cached(embedder, &refs, |_, _| {})?;
        Ok(TopicVectors::new(vectors, catalog, embedder.model_id(), model))
    }

    /// Topic vectors and the classifiers of `model` that apply to `catalog`'s topics (none when
    /// the model is stale: see [`TopicModel::stale`]).
    pub fn new(vectors: Vec<Vec<f32>>, catalog: &Catalog, model_id: &str, model: Option<&TopicModel>) -> TopicVectors {
        let mut classifiers = vec![None; catalog.topics.len()];
        let mut model_sha256 = None;
        let note = match model {
            None => "keyword rule (no topic model)".to_string(),
            Some(m) => match m.stale(catalog, model_id) {
                Some(why) => format!("keyword rule: the topic model is not used ({why})"),
                None => {
                    for (t, topic) in catalog.topics.iter().enumerate() {
                        classifiers[t] = m.topics.iter().find(|c| c.slug == topic.slug).cloned();
                    }
                    model_sha256 = Some(m.sha256());
                    let n = classifiers.iter().flatten().count();
                    format!(
                        "topic model ({n} of {} topics classified from the embedding; the others by the keyword rule)",
                        catalog.topics.len()
                    )
                }
            },
        };
        TopicVectors { vectors, classifiers, note, model_sha256 }
    }

    /// Cosines of `item` with every topic, and their z-scores among the topics.
    pub fn scores(&self, item: &[f32]) -> Vec<(f32, f32)> {
        let cos: Vec<f32> = self.vectors.iter().map(|t| sosik_embed::cosine(t, item)).collect();
        let n = cos.len().max(1) as f32;
        let mean = cos.iter().sum::<f32>() / n;
        let sd = (cos.iter().map(|c| (c - mean).powi(2)).sum::<f32>() / n).sqrt().max(1e-6);
        cos.iter().map(|&c| (c, (c - mean) / sd)).collect()
    }
}

/// Whether a post's items are the passages of one essay (see [`ESSAY_PASSAGE_SHARE`]).
pub fn is_essay(post: &[NewsItem]) -> bool {
    essay_counts(post.len(), post.iter().filter(|i| reads_like_passage(i)).count())
}

/// An item with neither a lead nor a source link: a section of an essay rather than news.
pub fn reads_like_passage(item: &NewsItem) -> bool {
    item.summary.is_empty() && item.why.is_empty() && item.sources.is_empty()
}

/// [`is_essay`] from the counts: a post of `items` items, `passages` of which read like passages.
pub fn essay_counts(items: usize, passages: usize) -> bool {
    items >= ESSAY_MIN_ITEMS && passages as f32 >= ESSAY_PASSAGE_SHARE * items as f32
}

/// A topic with some keyword evidence is tagged when the item's embedding also stands out
/// toward the topic's description by at least this many standard deviations (z-score of the
/// cosine among all topics for that item).
pub const TOPIC_SUPPORT_Z: f32 = 1.0;

/// Keyword score and embedding z-score → the topic's rank score, or `None` (not tagged).
///
/// - keywords ≥ [`TOPIC_KEYWORD_THRESHOLD`] (e.g. one title keyword, or two distinct lead
///   keywords): tagged on keywords alone;
/// - some keyword evidence (any score > 0, e.g. a single body keyword) and the embedding ranks
///   the topic high for this item (z ≥ [`TOPIC_SUPPORT_Z`]): tagged;
/// - no keyword at all: not tagged, however similar (e5 similarities alone rank the right
///   topic first for only about half the items).
///
/// The score used to order an item's topics is keywords + z.
pub fn topic_decision(keywords: f32, z: f32) -> Option<f32> {
    let tagged = keywords >= TOPIC_KEYWORD_THRESHOLD || (keywords > 0.0 && z >= TOPIC_SUPPORT_Z);
    tagged.then_some(keywords + z)
}
