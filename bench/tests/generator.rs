//! The generator is deterministic for a seed and writes exactly the items it promises.

use sosik_bench::corpus::{self, CorpusSpec};
use sosik_corpus::tagging::Catalog;

#[test]
fn same_seed_same_posts_and_other_seed_other_posts() {
    let catalog = Catalog::builtin().unwrap();
    let a = corpus::posts(&CorpusSpec::new(7, 300), &catalog);
    let b = corpus::posts(&CorpusSpec::new(7, 300), &catalog);
    let c = corpus::posts(&CorpusSpec::new(8, 300), &catalog);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.iter().map(|p| p.items).sum::<usize>(), 300);
}

#[test]
fn generated_posts_parse_into_the_intended_items() {
    let catalog = Catalog::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let spec = CorpusSpec::new(42, 523);
    let summary = corpus::generate(dir.path(), &spec, &catalog).unwrap();
    assert_eq!(summary.items, 523);
    let (items, report) = sosik_indexer::build::parse_posts(dir.path()).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.posts_indexed, summary.posts);
    assert_eq!(items.len(), 523, "one indexed item per generated item");
    // every item has a title, a lead and its example.com source
    for item in &items {
        assert!(!item.title.is_empty() && !item.summary.is_empty() && !item.why.is_empty(), "{item:?}");
        assert_eq!(item.sources.len(), 1, "{item:?}");
        assert!(item.sources[0].domain.ends_with("example.com"), "{:?}", item.sources[0]);
    }
    let years: std::collections::BTreeSet<i32> = items.iter().map(|i| chrono::Datelike::year(&i.date)).collect();
    assert!(years.len() >= 4, "dates span several years: {years:?}");
    // a second generation into a used folder is refused, naming it
    let err = corpus::generate(dir.path(), &spec, &catalog).unwrap_err().to_string();
    assert!(err.contains("not empty"), "{err}");
}
