//! The index as a CI artifact: reproducible content digests, `pack` and `verify`, and every
//! kind of damaged or foreign archive refused with a reason that names it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn indexer(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sosik-indexer")).args(args).output().unwrap()
}

fn run_ok(args: &[&std::ffi::OsStr]) -> String {
    let out = indexer(args);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{args:?}: exit {:?}\n{stdout}\n{stderr}", out.status);
    stdout.into_owned()
}

/// The error `sosik-indexer` printed for a command that must fail.
fn run_err(args: &[&std::ffi::OsStr]) -> String {
    let out = indexer(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{args:?} should fail; stdout:\n{}", String::from_utf8_lossy(&out.stdout));
    stderr
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/posts")
}

fn build(posts: &Path, index: &Path) -> serde_json::Value {
    run_ok(&[os("build"), os("--posts"), posts.as_os_str(), os("--index"), index.as_os_str()]);
    serde_json::from_slice(&std::fs::read(index.join("manifest.json")).unwrap()).unwrap()
}

/// A copy of the index directory `from` (what the link resolves to) at `to`.
fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp").arg("-r").arg(from).arg(to).status().unwrap();
    assert!(status.success(), "cp -r {} {}", from.display(), to.display());
}

#[test]
fn same_inputs_give_the_same_content_digest_and_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let first = build(&sample(), &tmp.path().join("a"));
    let second = build(&sample(), &tmp.path().join("b"));
    // the same posts, copied in reverse order into a folder elsewhere
    let shuffled = tmp.path().join("elsewhere/posts");
    std::fs::create_dir_all(&shuffled).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(sample()).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names.iter().rev() {
        std::fs::copy(path, shuffled.join(path.file_name().unwrap())).unwrap();
    }
    let third = build(&shuffled, &tmp.path().join("c"));

    let digest = first["content_digest"].as_str().unwrap();
    assert!(digest.starts_with("sha256:") && digest.len() == 71, "{digest}");
    assert_eq!(second["content_digest"], first["content_digest"]);
    assert_eq!(third["content_digest"], first["content_digest"]);
    assert_eq!(third["inputs"], first["inputs"]);
    for key in ["posts_digest", "catalog_digest", "model_id", "sosik_version"] {
        assert!(first["inputs"][key].as_str().is_some_and(|v| !v.is_empty()), "inputs.{key}: {first:#}");
    }
    // tantivy's segment files have random names, so the listed files differ, not the digest
    let files = first["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["path"] == "vectors.f32"), "{files:?}");
    assert!(!files.iter().any(|f| f["path"] == "manifest.json"));

    // a different catalog is a different input and a different index
    let catalog = tmp.path().join("companies.toml");
    let companies =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/companies.toml")).unwrap();
    std::fs::write(&catalog, companies.replacen("\"앤스로픽\", ", "", 1)).unwrap();
    let index_d = tmp.path().join("d");
    run_ok(&[
        os("build"),
        os("--posts"),
        sample().as_os_str(),
        os("--index"),
        index_d.as_os_str(),
        os("--companies"),
        catalog.as_os_str(),
    ]);
    let other: serde_json::Value =
        serde_json::from_slice(&std::fs::read(index_d.join("manifest.json")).unwrap()).unwrap();
    assert_ne!(other["inputs"]["catalog_digest"], first["inputs"]["catalog_digest"]);
    assert_eq!(other["inputs"]["posts_digest"], first["inputs"]["posts_digest"]);

    // packing one index twice gives the same bytes (fixed entry order, owner, mode and time);
    // two builds' archives differ only in tantivy's random segment file names
    let (pa, pb) = (tmp.path().join("out/a.tar.zst"), tmp.path().join("out/b.tar.zst"));
    let said = run_ok(&[os("pack"), os("--index"), tmp.path().join("a").as_os_str(), os("--out"), pa.as_os_str()]);
    assert!(said.contains(digest), "{said}");
    run_ok(&[os("pack"), os("--index"), tmp.path().join("a").as_os_str(), os("--out"), pb.as_os_str()]);
    let sha = |p: &Path| std::fs::read_to_string(sosik_engine::format::archive::checksum_path(p)).unwrap();
    let (sa, sb) = (sha(&pa), sha(&pb));
    assert_eq!(sa.split_whitespace().next(), sb.split_whitespace().next());
    assert!(sa.trim_end().ends_with("  a.tar.zst"), "sha256sum format: {sa}");
    let status =
        Command::new("sha256sum").arg("-c").arg("a.tar.zst.sha256").current_dir(tmp.path().join("out")).status();
    assert!(status.unwrap().success(), "sha256sum -c accepts the .sha256 file");
}

#[test]
fn verify_accepts_a_good_index_and_archive_and_names_what_is_wrong_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    build(&sample(), &index);
    let said = run_ok(&[os("verify"), index.as_os_str()]);
    assert!(said.starts_with("ok: "), "{said}");
    let archive = tmp.path().join("sample.tar.zst");
    run_ok(&[os("pack"), os("--index"), index.as_os_str(), os("--out"), archive.as_os_str()]);
    let said = run_ok(&[os("verify"), archive.as_os_str()]);
    assert!(said.starts_with("ok: ") && said.contains("archive"), "{said}");
    // packing over an archive replaces it; over anything else is refused, and nothing is lost
    run_ok(&[os("pack"), os("--index"), index.as_os_str(), os("--out"), archive.as_os_str()]);
    let notes = tmp.path().join("notes.tar.zst");
    std::fs::write(&notes, "my notes").unwrap();
    let err = run_err(&[os("pack"), os("--index"), index.as_os_str(), os("--out"), notes.as_os_str()]);
    assert!(err.contains("not a sosik index archive"), "{err}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");

    // a directory: one changed byte, one truncated file, one extra file, each named
    let damaged = tmp.path().join("damaged");
    copy_dir(&std::fs::canonicalize(&index).unwrap(), &damaged);
    let vectors = damaged.join("vectors.f32");
    let mut bytes = std::fs::read(&vectors).unwrap();
    bytes[10] ^= 0xff;
    std::fs::write(&vectors, &bytes).unwrap();
    let stories = damaged.join("stories.json");
    let text = std::fs::read(&stories).unwrap();
    std::fs::write(&stories, &text[..text.len() / 2]).unwrap();
    std::fs::write(damaged.join("tantivy/stray.idx"), "x").unwrap();
    let err = run_err(&[os("verify"), damaged.as_os_str()]);
    assert!(err.contains("vectors.f32: SHA-256") && err.contains("the content changed"), "{err}");
    assert!(err.contains("stories.json:") && err.contains("truncated"), "{err}");
    assert!(err.contains("tantivy/stray.idx: not listed"), "{err}");

    // another model, or a format this sosik does not read
    let err = run_err(&[os("verify"), index.as_os_str(), os("--model-id"), os("other-model")]);
    assert!(err.contains("\"other-model\""), "{err}");
    let old = tmp.path().join("old");
    copy_dir(&std::fs::canonicalize(&index).unwrap(), &old);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(old.join("manifest.json")).unwrap()).unwrap();
    manifest["format_version"] = 9.into();
    std::fs::write(old.join("manifest.json"), manifest.to_string()).unwrap();
    let err = run_err(&[os("verify"), old.as_os_str()]);
    assert!(err.contains("format version 9"), "{err}");

    // archives: truncated, damaged in transit (the .sha256 disagrees), foreign, not zstd
    let bytes = std::fs::read(&archive).unwrap();
    let truncated = tmp.path().join("truncated.tar.zst");
    std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let err = run_err(&[os("verify"), truncated.as_os_str()]);
    assert!(err.contains("truncated"), "{err}");
    let flipped = tmp.path().join("flipped.tar.zst");
    let mut b = bytes.clone();
    let at = b.len() / 2;
    b[at] ^= 0x55;
    std::fs::write(&flipped, &b).unwrap();
    std::fs::copy(
        sosik_engine::format::archive::checksum_path(&archive),
        sosik_engine::format::archive::checksum_path(&flipped),
    )
    .unwrap();
    let err = run_err(&[os("verify"), flipped.as_os_str()]);
    assert!(err.contains("damaged or replaced in transit"), "{err}");
    // the same damage without the .sha256: caught by the stream or the per-file checksums
    std::fs::remove_file(sosik_engine::format::archive::checksum_path(&flipped)).unwrap();
    let err = run_err(&[os("verify"), flipped.as_os_str()]);
    assert!(err.contains("failed verification"), "{err}");
    let foreign = tmp.path().join("foreign.tar.zst");
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(5);
    tar.append_data(&mut header, "evil.txt", &b"hello"[..]).unwrap();
    std::fs::write(&foreign, zstd::encode_all(&tar.into_inner().unwrap()[..], 3).unwrap()).unwrap();
    let err = run_err(&[os("verify"), foreign.as_os_str()]);
    assert!(err.contains("not a sosik index archive") && err.contains("evil.txt"), "{err}");
    let plain = tmp.path().join("plain.tar.zst");
    std::fs::write(&plain, "not compressed").unwrap();
    let err = run_err(&[os("verify"), plain.as_os_str()]);
    assert!(err.contains("plain.tar.zst"), "{err}");
}
