//! The glossary: mined from a corpus into a reviewable list that keeps what a person decided.

use std::path::Path;
use std::process::Command;

use sosik_corpus::glossary::Status;
use sosik_corpus::tagging::Catalog;

fn post(dir: &Path, name: &str, date: &str, title: &str, summary: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    let text = format!(
        "---\ntitle: 뉴스 {date}\ndate: {date}\n---\n\n## 1. {title}\n\n### 요약\n{summary}\n\n### 왜 중요한가\n시장에 영향을 줍니다.\n"
    );
    std::fs::write(dir.join(name), text).unwrap();
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
        let o = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
            .args(["glossary", "--corpus"])
            .arg(corpus.path())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
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

    // a broken list is refused with its name and the reason
    std::fs::write(&out, "[[term]]\nen = \"X\"\nko = [\"not hangul\"]\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
        .args(["glossary", "--corpus"])
        .arg(corpus.path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("glossary.toml") && err.contains("Hangul"), "{err}");
}
