//! An index damaged after it was built — a file cut short, a JSON file that is not what the
//! build wrote, a file gone — is refused when opened, with an error that names the file and
//! what is wrong with it (for counts: what was expected and what was found). The server shows
//! that reason in `/api/health` when it refuses a reload, so it must not need the log.
//!
//! One small index is built once; each case copies it, breaks one file and opens the copy.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sosik_corpus::tagging::Catalog;
use sosik_engine::Engine;
use sosik_indexer::build::{build, BuildOptions};

fn post(date: &str, items: &[(&str, &str)]) -> String {
    let mut text = format!("---\ntitle: {date} 소식\ndate: {date}\n---\n\n");
    for (i, (heading, summary)) in items.iter().enumerate() {
        text.push_str(&format!(
            "## {}. {heading}\n\n### 요약\n{summary}\n\n### 왜 중요한가\n시장에 영향을 줍니다.\n\n\
             **Source:** [기사](https://example.com/{date}/{i})\n\n",
            i + 1
        ));
    }
    text
}

fn embedder() -> &'static sosik_embed::Embedder {
    sosik_embed::Embedder::shared(&sosik_embed::Assets::locate()).expect("embedding model (scripts/setup/embed.sh)")
}

/// The version directory of a small index, built once per test process.
fn built() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, version) = BUILT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let posts = tmp.path().join("posts");
        std::fs::create_dir(&posts).unwrap();
        let first = [
            ("앤트로픽, 새 에이전트 공개", "앤트로픽이 파일을 다루는 에이전트를 공개했습니다."),
            ("엔비디아, 추론 GPU 발표", "엔비디아가 데이터센터용 추론 GPU를 발표했습니다."),
        ];
        let second = [
            ("오픈AI, 번역 모델 개선", "오픈AI가 한국어 번역 성능을 높인 모델을 내놓았습니다."),
            ("물류 로봇, 창고 자동화 시범", "한 스타트업이 창고에서 상자 운반 로봇을 시범 운영합니다."),
            ("농업용 드론, 방제 작업 투입", "농업용 드론이 과수원 방제 작업에 쓰이기 시작했습니다."),
        ];
        std::fs::write(posts.join("2026-01-05.md"), post("2026-01-05", &first)).unwrap();
        std::fs::write(posts.join("2026-01-06.md"), post("2026-01-06", &second)).unwrap();
        let index = tmp.path().join("index");
        let opts = BuildOptions {
            posts,
            index: index.clone(),
            catalog: Catalog::builtin().unwrap(),
            dictionary: sosik_ko::default_dictionary_dir(),
            embedding_cache: sosik_indexer::default_embedding_cache(),
            strict: true,
            vector_graph: false,
        };
        build(&opts, embedder(), &sosik_indexer::build::progress::Silent).expect("build the test index");
        let version = std::fs::canonicalize(&index).unwrap();
        (tmp, version)
    });
    version
}

fn open(dir: &Path) -> Result<Engine, sosik_engine::EngineError> {
    Engine::open(dir, &sosik_ko::default_dictionary_dir(), embedder())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Opens a copy of the test index with `break_it` applied to it (`what` it does); returns the
/// refusal's text.
fn refusal(what: &str, break_it: impl FnOnce(&Path)) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    copy_dir(built(), &dir);
    break_it(&dir);
    match open(&dir) {
        Ok(_) => panic!("the index was opened with {what}"),
        Err(e) => e.to_string(),
    }
}

fn manifest_items() -> usize {
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(built().join("manifest.json")).unwrap()).unwrap();
    m["items"].as_u64().unwrap() as usize
}

fn read_json(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

/// Drops the last row of a JSON list file.
fn drop_last_row(dir: &Path, name: &str) {
    let mut rows = read_json(dir, name);
    rows.as_array_mut().unwrap().pop();
    std::fs::write(dir.join(name), rows.to_string()).unwrap();
}

fn assert_has(err: &str, parts: &[&str]) {
    for part in parts {
        assert!(err.contains(part), "expected {part:?} in: {err}");
    }
}

#[test]
fn the_test_index_itself_opens() {
    let engine = open(built()).unwrap();
    assert_eq!(engine.manifest().items, manifest_items());
    assert_eq!(manifest_items(), 5);
}

#[test]
fn a_truncated_or_missing_vector_file_is_refused() {
    let len = std::fs::metadata(built().join("vectors.f32")).unwrap().len() as usize;
    let rows = read_json(built(), "vector_owners.json").as_array().unwrap().len();
    let err = refusal("vectors.f32 cut short", |d| {
        let bytes = std::fs::read(d.join("vectors.f32")).unwrap();
        std::fs::write(d.join("vectors.f32"), &bytes[..bytes.len() - 100]).unwrap();
    });
    assert_has(
        &err,
        &[&format!("vectors.f32 has {} bytes, expected {len}", len - 100), &format!("{rows} rows of 384 f32")],
    );
    let err = refusal("vectors.f32 deleted", |d| std::fs::remove_file(d.join("vectors.f32")).unwrap());
    assert_has(&err, &["vectors.f32 is missing"]);
}

#[test]
fn a_broken_vector_owner_list_is_refused() {
    let err =
        refusal("vector_owners.json cut short", |d| std::fs::write(d.join("vector_owners.json"), "[0, 1,").unwrap());
    assert_has(&err, &["vector_owners.json is not valid", "EOF"]);
    // one owner fewer than vectors.f32 has rows
    let len = std::fs::metadata(built().join("vectors.f32")).unwrap().len() as usize;
    let err = refusal("vector_owners.json one row short", |d| drop_last_row(d, "vector_owners.json"));
    assert_has(&err, &[&format!("vectors.f32 has {len} bytes, expected {}", len - 384 * 4), "vector_owners.json"]);
    // a row owned by an item the index does not have
    let items = manifest_items();
    let err = refusal("vector_owners.json naming item 77", |d| {
        let mut rows = read_json(d, "vector_owners.json");
        *rows.as_array_mut().unwrap().last_mut().unwrap() = 77.into();
        std::fs::write(d.join("vector_owners.json"), rows.to_string()).unwrap();
    });
    assert_has(&err, &["vector_owners.json", "item 77", &format!("manifest.json counts {items} items")]);
}

#[test]
fn broken_duplicate_groups_are_refused() {
    let items = manifest_items();
    let err = refusal("duplicates.json an object", |d| {
        std::fs::write(d.join("duplicates.json"), r#"{"groups": []}"#).unwrap()
    });
    assert_has(&err, &["duplicates.json is not valid"]);
    let err = refusal("duplicates.json one row short", |d| drop_last_row(d, "duplicates.json"));
    assert_has(&err, &[&format!("duplicates.json has {} rows, expected {items}", items - 1)]);
    let err = refusal("duplicates.json deleted", |d| std::fs::remove_file(d.join("duplicates.json")).unwrap());
    assert_has(&err, &["duplicates.json is missing"]);
}

#[test]
fn broken_story_threads_are_refused() {
    let items = manifest_items();
    let err =
        refusal("stories.json holding a string", |d| std::fs::write(d.join("stories.json"), "[null, \"x\"]").unwrap());
    assert_has(&err, &["stories.json is not valid"]);
    let err = refusal("stories.json one row short", |d| drop_last_row(d, "stories.json"));
    assert_has(&err, &[&format!("stories.json has {} rows, expected {items}", items - 1)]);
    let err = refusal("stories.json naming item 999", |d| {
        let mut rows = read_json(d, "stories.json");
        rows.as_array_mut().unwrap()[0] = 999.into();
        std::fs::write(d.join("stories.json"), rows.to_string()).unwrap();
    });
    assert_has(&err, &["stories.json", "999", &format!("{items} items")]);
}

/// Every file of the BM25 index is needed: without any one of them the index is refused,
/// naming that file.
#[test]
fn a_missing_text_index_file_is_refused() {
    let mut names: Vec<String> = std::fs::read_dir(built().join("tantivy"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.')) // tantivy's own lock and bookkeeping files
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n.ends_with(".store")), "{names:?}");
    for name in &names {
        let err = refusal(&format!("tantivy/{name} deleted"), |d| {
            std::fs::remove_file(d.join("tantivy").join(name)).unwrap()
        });
        assert_has(&err, &[&format!("tantivy/{name} is missing")]);
        assert!(!err.contains("Failed to open"), "tantivy's own wording instead of ours: {err}");
    }
}

#[test]
fn a_manifest_that_disagrees_with_the_text_index_is_refused() {
    let items = manifest_items();
    let err = refusal("manifest.json counting one item more", |d| {
        let mut m = read_json(d, "manifest.json");
        m["items"] = (items + 1).into();
        std::fs::write(d.join("manifest.json"), m.to_string()).unwrap();
    });
    assert_has(&err, &[&format!("tantivy/ holds {items} items, manifest.json counts {}", items + 1)]);
}
