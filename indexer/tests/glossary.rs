//! The glossary: mined from a corpus into a reviewable list that keeps what a person decided,
//! and used to expand queries both ways (환각 finds "Hallucination", "Yann LeCun" finds 르쿤).

use std::path::Path;
use std::process::Command;

use sosik_corpus::glossary::Status;
use sosik_corpus::tagging::Catalog;
use sosik_engine::{Engine, SearchRequest};
use sosik_types::SearchMode;

fn post(dir: &Path, name: &str, date: &str, title: &str, summary: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    let text = format!(
        "---\ntitle: 뉴스 {date}\ndate: {date}\n---\n\n## 1. {title}\n\n### 요약\n{summary}\n\n### 왜 중요한가\n시장에 영향을 줍니다.\n"
    );
    std::fs::write(dir.join(name), text).unwrap();
}

/// `sosik-indexer glossary --corpus corpus --out out`.
fn mine(corpus: &Path, out: &Path) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"));
    cmd.args(["glossary", "--corpus"]).arg(corpus).arg("--out").arg(out).output().unwrap()
}

#[test]
fn mining_writes_a_list_that_keeps_reviews() {
    let corpus = tempfile::tempdir().unwrap();
    for (i, blog) in ["a", "b", "a"].iter().enumerate() {
        let date = format!("2026-03-0{}", i + 1);
        // (bodies differ: a post with the same body as another is refused as a duplicate)
        let summary = format!(
            "메타의 르쿤(Yann LeCun)이 환각(Hallucination) 문제를 지적했습니다. 월드 모델(World Model)도 언급 {i}."
        );
        post(corpus.path(), &format!("{blog}/post{i}.md"), &date, "르쿤의 발언", &summary);
    }
    let out = corpus.path().join("glossary.toml");
    let run = || {
        let o = mine(corpus.path(), &out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Catalog::default().with_glossary(&std::fs::read_to_string(&out).unwrap(), "out").unwrap().glossary
    };
    let first = run();
    let names: Vec<(&str, &[String])> = first.iter().map(|t| (t.en.as_str(), t.ko.as_slice())).collect();
    assert_eq!(
        names,
        [
            ("Hallucination", &["환각".to_string()][..]),
            ("World Model", &["월드 모델".to_string()][..]),
            ("Yann LeCun", &["르쿤".to_string()][..])
        ]
    );
    assert!(first.iter().all(|t| t.status == Status::Mined && t.posts == 3 && t.blogs == 2));
    assert_eq!(first[0].first_seen, chrono::NaiveDate::from_ymd_opt(2026, 3, 1));

    // a person rejects one term and corrects another; mining again keeps both decisions
    let text = std::fs::read_to_string(&out).unwrap();
    let reviewed = text.replacen("status = \"mined\"", "status = \"rejected\"", 1).replace(
        "ko = [\"르쿤\"]\nposts = 3\nblogs = 2\nfirst_seen = \"2026-03-01\"\nstatus = \"mined\"",
        "ko = [\"르쿤\", \"얀 르쿤\"]\nposts = 3\nblogs = 2\nfirst_seen = \"2026-03-01\"\nstatus = \"checked\"",
    );
    assert_ne!(reviewed, text);
    std::fs::write(&out, reviewed).unwrap();
    let second = run();
    let decided: Vec<(&str, Status, usize)> = second.iter().map(|t| (t.en.as_str(), t.status, t.ko.len())).collect();
    assert_eq!(
        decided,
        [("Hallucination", Status::Rejected, 1), ("World Model", Status::Mined, 1), ("Yann LeCun", Status::Checked, 2)]
    );

    // broken lists are refused with the file's name and the reason, and left as they were
    for (list, reason) in [
        ("[[term]]\nen = \"State\"\nko = [\"주\"]\n", "two syllables"),
        ("[[term]]\nen = \"X\"\nko = [\"not hangul\"]\n", "Hangul"),
        ("[[term]]\nen = \"X\"\nko = [\"엑스\"]\nkind = \"alien\"\n", "alien"),
    ] {
        std::fs::write(&out, list).unwrap();
        let o = mine(corpus.path(), &out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains("glossary.toml") && err.contains(reason), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), list);
    }
}

#[test]
fn every_shipped_glossary_name_is_read_whole_but_the_known_ones() {
    let catalog = Catalog::builtin().unwrap();
    let analyzer = sosik_ko::Analyzer::open(&sosik_ko::default_dictionary_dir(), &catalog.user_words()).unwrap();
    let tagger = sosik_corpus::tagging::Tagger::new(&catalog, &analyzer);
    // 커서 is the verb stem 크 to the analysis (of 큰, 커): searching it would find every "big"
    let known: &[&str] = &["커서"];
    assert_eq!(tagger.skipped_glossary_names(), known, "names neither searched nor tagged");
}

#[test]
fn a_query_finds_the_other_language_through_the_glossary() {
    let posts = tempfile::tempdir().unwrap();
    post(
        posts.path(),
        "one.md",
        "2026-03-01",
        "LLM의 Hallucination 문제",
        "새 논문은 Hallucination 비율을 측정했습니다.",
    );
    post(posts.path(), "two.md", "2026-03-02", "르쿤, 월드 모델 강조", "르쿤이 다음 단계로 월드 모델을 말했습니다.");
    post(posts.path(), "three.md", "2026-03-03", "엔비디아 실적 발표", "엔비디아가 데이터센터 매출을 발표했습니다.");
    post(posts.path(), "four.md", "2026-03-04", "새 Reasoning 벤치마크", "Reasoning 점수를 비교했습니다.");
    post(posts.path(), "five.md", "2026-03-05", "Inference 비용 하락", "Inference 가격이 내렸습니다.");
    post(posts.path(), "six.md", "2026-03-06", "더 큰 모델", "큰 모델이 커서 비쌉니다.");
    let mut catalog = Catalog::builtin().unwrap();
    catalog = catalog
        .with_glossary(
            "[[term]]\nen = \"Hallucination\"\nko = [\"환각\"]\n\n[[term]]\nen = \"Yann LeCun\"\nko = [\"르쿤\", \"얀 르쿤\"]\nkind = \"person\"\nstatus = \"checked\"\n\n[[term]]\nen = \"Earnings\"\nko = [\"실적\"]\nstatus = \"rejected\"\n\n[[term]]\nen = \"Inference\"\nko = [\"추론\"]\n\n[[term]]\nen = \"Reasoning\"\nko = [\"추론\"]\n\n[[term]]\nen = \"Cursor\"\nko = [\"커서\"]\nkind = \"product\"\n\n[[term]]\nen = \"Andrej Karpathy\"\nko = [\"카파시\"]\nkind = \"person\"\n",
            "test glossary",
        )
        .unwrap();
    let (_index, mut engine) = crate::common::build_and_open(posts.path(), catalog);
    let titles = |engine: &Engine, q: &str| -> Vec<String> {
        let r = engine.search(&SearchRequest::new(q, SearchMode::Bm25, 10)).unwrap();
        r.hits.into_iter().map(|h| h.title).collect()
    };
    // Korean → English, English → Korean
    assert_eq!(titles(&engine, "환각"), ["LLM의 Hallucination 문제"]);
    assert_eq!(titles(&engine, "Yann LeCun"), ["르쿤, 월드 모델 강조"]);
    // a rejected term expands nothing
    assert!(titles(&engine, "earnings").is_empty());
    // a Korean name two terms share finds both
    let mut both = titles(&engine, "추론");
    both.sort();
    assert_eq!(both, ["Inference 비용 하락", "새 Reasoning 벤치마크"]);
    // a name the analysis does not read whole (커서: the verb stem 크) is neither searched nor tagged
    assert!(titles(&engine, "Cursor").is_empty());
    // items are tagged with the glossary's people, products and organisations, not its concepts;
    // Cursor is a company of the list (an alias of "Cursor (Anysphere)"), so no name of its own;
    // a name no item mentions is listed with none
    let names = engine.names(None, None).unwrap();
    let counts: Vec<(&str, u64)> = names.names.iter().map(|n| (n.slug.as_str(), n.items)).collect();
    assert_eq!(counts, [("yann-lecun", 1), ("andrej-karpathy", 0)]);
    let new = engine.names(None, Some(1)).unwrap();
    assert!(new.names.is_empty(), "르쿤 was first named on 03-02, not on the newest day: {:?}", new.names);
    assert_eq!(engine.names(None, Some(5)).unwrap().names.len(), 1);
    // the glossary's weight 0 turns expansion off
    let mut lexical = engine.lexical();
    lexical.glossary = 0.0;
    engine.set_lexical(lexical);
    assert!(titles(&engine, "환각").is_empty());
    assert!(titles(&engine, "Yann LeCun").is_empty());
}
