//! The five sample posts in `data/posts`, parsed and tagged, pinned as insta snapshots
//! (`tests/snapshots/seeds__*.snap`): item ids, titles, dates, which labelled parts were found,
//! sources, companies and topics. Tagging uses the built-in lists and the real Korean dictionary
//! (scripts/setup/dict.sh), topics by keywords only (no embedding model).
//!
//! After an intended change, review and accept with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test -p sosik-indexer --test seeds` and read the diff).

use std::path::Path;

use serde_json::json;
use sosik_corpus::tagging::{Catalog, Tagger};
use sosik_corpus::NewsItem;
use sosik_indexer::build as builder;

fn seed_items() -> Vec<NewsItem> {
    let posts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/posts");
    let (mut items, report) = builder::parse_posts(&posts).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let catalog = Catalog::builtin().expect("built-in lists parse");
    let analyzer = sosik_ko::Analyzer::open(&sosik_ko::default_dictionary_dir(), &catalog.user_words())
        .expect("Korean dictionary (run scripts/setup/dict.sh)");
    let tagger = Tagger::new(&catalog, &analyzer);
    builder::tag_items(&mut items, &tagger, None);
    items
}

fn pinned(items: &[&NewsItem]) -> serde_json::Value {
    items
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "position": i.position,
                "title": i.title,
                "date": i.date.to_string(),
                "summary": !i.summary.is_empty(),
                "why": !i.why.is_empty(),
                "body_chars": i.body.chars().count(),
                "sources": i.sources.iter().map(|s| json!([s.title, s.url, s.domain])).collect::<Vec<_>>(),
                "companies": i.companies,
                "topics": i.topics,
            })
        })
        .collect()
}

#[test]
fn seeds() {
    let items = seed_items();
    let expected = [("000", Some(3)), ("001", Some(4)), ("002", Some(3)), ("003", Some(5)), ("004", None)];
    for (seed, count) in expected {
        let of_seed: Vec<&NewsItem> = items.iter().filter(|i| i.post_path.starts_with(seed)).collect();
        match count {
            Some(n) => {
                assert_eq!(of_seed.len(), n, "seed {seed}: {:?}", of_seed.iter().map(|i| &i.title).collect::<Vec<_>>())
            }
            // the essay: one passage per heading
            None => assert!(of_seed.len() >= 5, "seed {seed}: {} passages", of_seed.len()),
        }
        for item in &of_seed {
            assert!(!item.title.is_empty() && !item.body.is_empty(), "{item:?}");
            if count.is_some() {
                assert!(!item.summary.is_empty() && !item.why.is_empty() && !item.sources.is_empty(), "{item:?}");
            }
        }
        insta::assert_json_snapshot!(format!("seed_{seed}"), pinned(&of_seed));
    }
}
