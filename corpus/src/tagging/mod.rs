//! The editable company and topic lists (`data/companies.toml`, `data/topics.toml`) and the
//! tagger built from them.
//!
//! **Matching** happens on lindera morphemes, not raw substrings: an alias or keyword is
//! analysed into its term sequence and must occur as consecutive terms in the item. Particles
//! never block a match (앤트로픽은 → 앤트로픽); a Hangul name must be a word of its own (메타버스,
//! which lindera splits into 메타+버스, is not Meta; a Latin suffix is fine: 삼성SDS); the
//! longest match wins across all entries (SK하이닉스 → sk-hynix, not sk); short all-capital
//! aliases are case-sensitive (MS ≠ ms); a name inside a file or package name (llama.cpp) is not
//! a mention. Every single-word Hangul alias and keyword enters lindera's user dictionary so
//! that tokenisation and tagging agree.
//!
//! **Where** a mention sits matters: an item is read as title, lead (summary and why it
//! matters) and the rest of the body, and citations are blanked first ([`strip_citations`]):
//! a company named only as a source or publisher is not tagged.
//!
//! **Companies** ([`Tagger::companies`]): named in the title or lead → tagged; named only in
//! the body → tagged in a short item, but a long text (an essay, or the passages of an essay
//! post read together, [`Tagger::tag_items`]) needs [`ESSAY_MIN_MENTIONS`] mentions. Parents
//! are not added for children.
//!
//! **Topics** ([`Tagger::topics`], [`topic_decision`]): keyword evidence weighted by position
//! (title 2, lead 1, body 0.5 per distinct keyword; topic `companies` and `sources` count like
//! keywords) decides alone at 2 points; weaker keyword evidence needs the item's embedding to
//! stand out toward the topic's description (z-score of the cosine among all topics ≥
//! [`TOPIC_SUPPORT_Z`]); no keyword, no topic. `sosik-indexer eval-tagging` measures all this
//! against hand labels (see `tests/fixtures/labels/`).

mod catalog;
mod citations;
mod matching;
mod rules;
mod tagger;
mod text;
pub mod topic_model;

pub use catalog::{Catalog, CatalogFiles, Company, Topic, DEFAULT_COMPANIES, DEFAULT_GLOSSARY, DEFAULT_TOPICS};
pub use citations::strip_citations;
pub use rules::*;
pub use tagger::Tagger;
pub use text::{Mentions, Part, TagText};
pub use topic_model::{TopicClassifier, TopicModel};

#[cfg(test)]
mod tests {
    use super::*;
    use citations::strip_trailing_reference;
    use matching::is_short_capitals;
    use text::url_key;

    #[test]
    fn citations_are_blanked_in_place() {
        let text = "본문입니다.\nSource: Google Developers Blog\n→ 원문: [링크]\n자세한 건 Release notes (GitHub Changelog) 참고.";
        let out = strip_citations(text, &["Release notes"]);
        assert!(out.starts_with("본문입니다.\n"));
        assert!(!out.contains("Google") && !out.contains("원문") && !out.contains("GitHub"), "{out}");
        assert!(out.contains("자세한 건") && out.contains("참고."), "{out}");
        // a sentence that merely starts like a label is kept
        assert_eq!(strip_citations("참고로 Anthropic은…", &[]), "참고로 Anthropic은…");
        assert_eq!(strip_trailing_reference("Qwen 가속 ([Reddit / Hugging Face])").trim_end(), "Qwen 가속");
    }

    #[test]
    fn topic_rule() {
        assert!(topic_decision(TOPIC_KEYWORD_THRESHOLD, -1.0).is_some(), "keywords alone");
        assert!(topic_decision(TOPIC_WEIGHT_BODY, TOPIC_SUPPORT_Z).is_some(), "a body keyword with support");
        assert!(topic_decision(TOPIC_WEIGHT_BODY, TOPIC_SUPPORT_Z - 0.1).is_none());
        assert!(topic_decision(0.0, 5.0).is_none(), "no keyword, no topic");
    }

    #[test]
    fn short_capitals_and_urls() {
        assert!(is_short_capitals("MS") && is_short_capitals("AMD") && is_short_capitals("GPT4"));
        assert!(!is_short_capitals("Meta") && !is_short_capitals("OPENAI") && !is_short_capitals("42"));
        assert_eq!(url_key("https://www.arxiv.org/abs/1"), "arxiv.org/abs/1");
    }

    #[test]
    fn a_glossary_term_that_is_a_listed_company_is_not_a_name() {
        let c = Catalog::builtin().unwrap();
        let term = |en: &str| c.glossary.iter().find(|t| t.en == en).unwrap_or_else(|| panic!("no term {en}"));
        // Anthropic and OpenAI are companies of the list (by English name, and 앤트로픽 by alias)
        assert_eq!(c.company_of(term("Anthropic")).map(|c| c.slug.as_str()), Some("anthropic"));
        assert!(!c.is_name(term("Anthropic")) && !c.is_name(term("OpenAI")));
        // a product of a listed company, a person and a concept
        assert!(c.company_of(term("Claude Code")).is_none() && c.is_name(term("Claude Code")));
        assert!(c.is_name(term("Yann LeCun")));
        assert!(!c.is_name(term("Hallucination")), "a concept is no name");
        // matched by a Korean name alone
        let mut by_korean = term("Anthropic").clone();
        by_korean.en = "Anthropic PBC".into();
        assert_eq!(c.company_of(&by_korean).map(|c| c.slug.as_str()), Some("anthropic"));
    }

    #[test]
    fn builtin_lists_are_valid_and_topic_companies_exist() {
        let c = Catalog::builtin().unwrap();
        assert!(c.topics.iter().any(|t| !t.companies.is_empty()));
        let bad = DEFAULT_TOPICS.replace("companies = [\"naver\"", "companies = [\"no-such-company\"");
        let err = Catalog::from_toml(DEFAULT_COMPANIES, "c", &bad, "t").unwrap_err().to_string();
        assert!(err.contains("no-such-company"), "{err}");
    }
}
