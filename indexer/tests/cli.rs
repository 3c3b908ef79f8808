//! `sosik-indexer build` on a folder of good and bad posts: every bad one is reported with its
//! file and reason, every good one is indexed, and the exit status follows the rules.

use std::path::Path;
use std::process::Command;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const GOOD: &str = "---\ntitle: 좋은 글\ndate: 2026-01-02 10:00:00 +0900\n---\n\n## 1. 앤트로픽, 새 모델 공개\n\n### 요약\n앤트로픽이 새 모델을 공개했습니다.\n\n### 왜 중요한가\n경쟁이 치열해집니다.\n\n**Source:** [Anthropic news](https://www.anthropic.com/news/x)\n";

fn fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // posts are read in path order: the first of two identical posts is kept
    write(d, "a-good.md", GOOD.as_bytes());
    write(
        d,
        "nested/2026-01-03-no-date-in-yaml.markdown",
        GOOD.replace("date: 2026-01-02 10:00:00 +0900\n", "").replace("새 모델", "새 에이전트").as_bytes(),
    );
    write(d, "empty.md", b"");
    write(d, "bad-yaml.md", b"---\ntitle: [unclosed\n---\nbody\n");
    write(d, "no-date.md", GOOD.replace("date: 2026-01-02 10:00:00 +0900\n", "").as_bytes());
    write(d, "latin1.md", b"---\ntitle: caf\xe9\ndate: 2026-01-01\n---\nbody\n");
    write(d, "binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(d, "copy-of-good.md", GOOD.replace("title: 좋은 글", "title: 복사본").as_bytes());
    write(d, "no-front-matter.md", "그냥 글입니다.".as_bytes());
    write(d, "only-front-matter.md", b"---\ntitle: x\ndate: 2026-01-01\n---\n\n");
    write(d, "image.png", b"\x89PNG");
    let big = format!("---\ntitle: big\ndate: 2026-01-01\n---\n{}", "가".repeat(2_000_000));
    write(d, "huge.md", big.as_bytes());
    dir
}

#[test]
fn bad_posts_are_reported_and_good_ones_indexed() {
    let posts = fixture_dir();
    let out_dir = tempfile::tempdir().unwrap();
    let index = out_dir.path().join("index");
    let out = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
        .args(["build", "--posts"])
        .arg(posts.path())
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}\n{stdout}\n{stderr}", out.status);

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(index.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["posts_indexed"], 2, "{report:#}");
    assert_eq!(report["ignored_files"], 1, "image.png is not a post: {report:#}");
    let rejected: Vec<(String, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["path"].as_str().unwrap().to_string(), r["reason"].as_str().unwrap().to_string()))
        .collect();
    let reason = |path: &str| {
        rejected
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{path} not rejected: {rejected:?}"))
    };
    assert!(reason("empty.md").contains("empty"));
    assert!(reason("bad-yaml.md").contains("YAML"));
    assert!(reason("no-date.md").contains("date"));
    assert!(reason("latin1.md").contains("UTF-8"));
    assert!(reason("binary.txt").contains("binary"));
    assert!(reason("copy-of-good.md").contains("duplicate"));
    assert!(reason("no-front-matter.md").contains("front matter"));
    assert!(reason("only-front-matter.md").contains("no news items"));
    assert!(reason("huge.md").contains("limit"));
    assert_eq!(rejected.len(), 9, "{rejected:?}");
    // the human summary names the files too
    assert!(stdout.contains("bad-yaml.md"), "{stdout}");
    assert!(stdout.contains("9 rejected"), "{stdout}");
    // Not on a terminal, progress comes as plain lines: each phase's work, then what it did.
    for line in ["parse: 11 posts to do", "parse: 2 posts, ", "embed: ", "tag: ", "write: ", "publish: "] {
        assert!(stderr.lines().any(|l| l.starts_with(line)), "no line starting with {line:?}:\n{stderr}");
    }
}

#[test]
fn strict_fails_on_any_rejection_and_empty_input_fails() {
    let posts = fixture_dir();
    let out_dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
        .args(["build", "--strict", "--posts"])
        .arg(posts.path())
        .arg("--index")
        .arg(out_dir.path().join("index"))
        .output()
        .unwrap();
    assert!(!status.status.success());
    assert!(String::from_utf8_lossy(&status.stderr).contains("--strict"));
    assert!(!out_dir.path().join("index").exists(), "a failed build must not leave an index");

    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
        .args(["build", "--posts"])
        .arg(empty.path())
        .arg("--index")
        .arg(out_dir.path().join("index2"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no post could be indexed"));
}

#[test]
fn an_index_in_a_folder_that_does_not_exist_yet_is_built() {
    let posts = tempfile::tempdir().unwrap();
    write(posts.path(), "2026-01-05-news.md", GOOD.as_bytes());
    let out_dir = tempfile::tempdir().unwrap();
    let index = out_dir.path().join("new/deeper/index");
    let (ok, output) = build(posts.path(), &index);
    assert!(ok, "{output}");
    assert!(index.join("manifest.json").is_file(), "{output}");
}

/// `sosik-indexer build --posts P --index I`: exit status, stdout and stderr.
fn build(posts: &Path, index: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
        .args(["build", "--posts"])
        .arg(posts)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `--index` at something that is not an index: the build fails naming the path and why, and
/// what was there is untouched — however often it is run. (`--index ~/notes` run twice used to
/// delete ~/notes.) An empty directory is taken.
#[test]
fn an_index_path_that_is_not_an_index_is_refused_and_left_alone() {
    let posts = tempfile::tempdir().unwrap();
    write(posts.path(), "a-good.md", GOOD.as_bytes());
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();

    let notes = d.join("notes");
    write(&notes, "todo.txt", b"buy milk");
    let file = d.join("file");
    write(d, "file", b"a plain file");
    let elsewhere = d.join("elsewhere");
    write(&elsewhere, "keep.txt", b"mine");
    let link = d.join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let newer = d.join("newer");
    write(
        &newer,
        "manifest.json",
        br#"{"format_version": 999, "model_id": "m", "dim": 384, "items": 1, "posts": 1, "built_at": "2099-01-01T00:00:00Z"}"#,
    );
    let cases: [(&Path, &str); 4] = [
        (&notes, "not a sosik index"),
        (&file, "neither a directory nor a link"),
        (&link, "not a sosik index"),
        (&newer, "format version 999"),
    ];
    for _ in 0..2 {
        for (index, reason) in cases {
            let (ok, out) = build(posts.path(), index);
            assert!(!ok, "the build at {} succeeded:\n{out}", index.display());
            let path = index.display().to_string();
            assert!(out.contains(&format!("error: will not build at {path} (nothing was changed)")), "{out}");
            assert!(out.contains(reason), "{out}");
        }
    }
    assert_eq!(std::fs::read_to_string(notes.join("todo.txt")).unwrap(), "buy milk");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a plain file");
    assert_eq!(std::fs::read_link(&link).unwrap(), elsewhere);
    assert_eq!(std::fs::read_to_string(elsewhere.join("keep.txt")).unwrap(), "mine");
    assert!(std::fs::read_to_string(newer.join("manifest.json")).unwrap().contains("999"));
    let mut names: Vec<String> =
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["elsewhere", "file", "link", "newer", "notes"], "a refused build left something behind");

    let empty = d.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (ok, out) = build(posts.path(), &empty);
    assert!(ok, "{out}");
    assert!(std::fs::symlink_metadata(&empty).unwrap().file_type().is_symlink());
    assert!(empty.join("manifest.json").is_file());
}
