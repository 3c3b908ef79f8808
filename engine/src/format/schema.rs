//! The tantivy schema of an item index.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

/// Field handles, resolved once per index.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The item's ordinal: its row in `vectors.f32`.
    pub ord: Field,
    pub id: Field,
    pub post_path: Field,
    /// Days since 1970-01-01 (for date filters and sorting).
    pub day: Field,
    pub title: Field,
    pub summary: Field,
    pub why: Field,
    pub body: Field,
    pub sources: Field,
    pub post_title: Field,
    pub company: Field,
    pub topic: Field,
    pub domain: Field,
    /// Character bigrams of the item's title, summary, why and body ([`sosik_ko::bigrams`]):
    /// matches the morpheme fields miss when a compound splits differently in query and text.
    pub grams: Field,
    /// The whole [`crate::NewsItem`] as JSON: the only stored field (hits, items and copies are
    /// read from it; `ord`, `day` and the facets are fast fields, `id` and `post_path` only
    /// indexed).
    pub item: Field,
    /// [`TEXT_FIELDS`] resolved: each text field with its BM25 weight.
    text: [(Field, f32); 6],
}

/// The text fields (analysed by the Korean analyzer) and the BM25 weight of a match in each:
/// title > summary > why > body > post title, sources.
const TEXT_FIELDS: [(&str, f32); 6] =
    [("title", 3.0), ("summary", 2.0), ("why", 1.5), ("body", 1.0), ("post_title", 0.5), ("sources", 0.5)];

/// Registers the Korean analyzer under the name the schema's text fields use. The writer and
/// the reader both call this, so a query is tokenised exactly as the text was.
pub fn register_analyzer(index: &tantivy::Index, analyzer: &sosik_ko::Analyzer) {
    index.tokenizers().register(sosik_ko::TOKENIZER_NAME, sosik_ko::KoTokenizer::new(analyzer.clone()));
    index.tokenizers().register(sosik_ko::BIGRAM_TOKENIZER_NAME, sosik_ko::BigramTokenizer::default());
}

pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(sosik_ko::TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    b.add_u64_field("ord", NumericOptions::default().set_indexed().set_fast());
    b.add_text_field("id", STRING);
    b.add_text_field("post_path", STRING);
    b.add_i64_field("day", NumericOptions::default().set_indexed().set_fast());
    for (name, _) in TEXT_FIELDS {
        b.add_text_field(name, text.clone());
    }
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(sosik_ko::BIGRAM_TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    b.add_text_field("grams", grams);
    b.add_text_field("company", STRING | FAST);
    b.add_text_field("topic", STRING | FAST);
    b.add_text_field("domain", STRING | FAST);
    b.add_text_field("item", STORED);
    b.build()
}

impl Fields {
    /// Every text field with its BM25 weight (see [`TEXT_FIELDS`]), resolved once.
    pub fn boosted(&self) -> [(Field, f32); 6] {
        self.text
    }

    /// The BM25 weight of a text field (1 for any other field).
    pub fn boost(&self, field: Field) -> f32 {
        self.boosted().iter().find(|(f, _)| *f == field).map_or(1.0, |(_, b)| *b)
    }

    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            ord: f("ord")?,
            id: f("id")?,
            post_path: f("post_path")?,
            day: f("day")?,
            title: f("title")?,
            summary: f("summary")?,
            why: f("why")?,
            body: f("body")?,
            sources: f("sources")?,
            post_title: f("post_title")?,
            company: f("company")?,
            topic: f("topic")?,
            domain: f("domain")?,
            grams: f("grams")?,
            item: f("item")?,
            text: {
                let mut text = [(Field::from_field_id(0), 0.0); 6];
                for (slot, (name, boost)) in text.iter_mut().zip(TEXT_FIELDS) {
                    *slot = (f(name)?, boost);
                }
                text
            },
        })
    }
}
