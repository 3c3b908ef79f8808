//! What an index holds, as checksums: every file's SHA-256 (listed in `manifest.json`, so a copy
//! can be checked file by file) and one content digest over them all, equal for two builds of the
//! same inputs (posts, catalog, model, format and sosik version).
//!
//! Two builds write the same bytes except in three places, which the digest reads in a canonical
//! form instead (the per-file checksums stay those of the bytes on disk):
//! - tantivy names each segment by a random UUID (`tantivy::index::SegmentId` has no seeded
//!   constructor outside its own tests), in `meta.json` and in the segment's file names. The digest
//!   names a segment by its position in `meta.json` instead (`tantivy/segment-0.idx`).
//!   `tantivy/.managed.json` only lists those names and tantivy's lock files are empty: both are
//!   left out of the digest (and the lock files out of the list: opening an index may make them).
//! - `report.json` records the run as well as its result: the posts folder's path, the seconds
//!   each phase took and how many embeddings came from the cache. Those keys
//!   ([`VOLATILE_REPORT_KEYS`]) are dropped before hashing; what was indexed and rejected stays.
//! - `manifest.json` holds the digest and the build time; it is not part of either.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::IndexFile;
use crate::error::EngineError;

/// Keys of `report.json` that describe how a build ran rather than what it built.
pub const VOLATILE_REPORT_KEYS: [&str; 4] = ["posts_dir", "timings", "embeddings_computed", "embeddings_cached"];

/// One file of an index, as `manifest.json` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    /// Path relative to the index directory, `/`-separated.
    pub path: String,
    pub bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// Every file's checksum and the content digest of an index directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contents {
    /// `sha256:` and lower-case hex.
    pub digest: String,
    /// Sorted by path; without `manifest.json` and lock files.
    pub files: Vec<FileSum>,
}

/// Whether a file in an index directory is left out of the file list: the manifest (which holds
/// the list) and lock files (empty, made by whoever opens the index).
pub fn is_unlisted(path: &str) -> bool {
    path == IndexFile::Manifest.name() || path.rsplit('/').next().is_some_and(|name| name.ends_with(".lock"))
}

/// Reads every file under `dir` and computes [`Contents`].
pub fn contents(dir: &Path) -> Result<Contents, EngineError> {
    let mut files = Vec::new();
    for path in list(dir)? {
        if is_unlisted(&path) {
            continue;
        }
        let full = dir.join(&path);
        let (bytes, sha256) = sha256_file(&full).map_err(EngineError::io(&full))?;
        files.push(FileSum { path, bytes, sha256 });
    }
    let digest = content_digest(dir, &files)?;
    Ok(Contents { digest, files })
}

/// The content digest of `dir` whose files (listed, sorted) are `files`.
pub fn content_digest(dir: &Path, files: &[FileSum]) -> Result<String, EngineError> {
    let meta_path = format!("{}meta.json", IndexFile::Tantivy);
    let segments = match files.iter().any(|f| f.path == meta_path) {
        true => segment_positions(&dir.join(&meta_path))?,
        false => HashMap::new(),
    };
    let mut lines: Vec<(String, String)> = Vec::with_capacity(files.len());
    for f in files {
        let tantivy = f.path.strip_prefix(&IndexFile::Tantivy.to_string());
        let entry = if f.path == meta_path {
            let text = read(dir, &f.path)?;
            (f.path.clone(), hex(&Sha256::digest(canonical_meta(&text, &segments))))
        } else if f.path == IndexFile::Report.name() {
            let text = read(dir, &f.path)?;
            (f.path.clone(), hex(&Sha256::digest(canonical_report(&text))))
        } else if tantivy == Some(".managed.json") {
            continue;
        } else if let Some(name) = tantivy.filter(|n| !n.contains('/')) {
            let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
            match segments.get(stem) {
                Some(pos) => (format!("{}segment-{pos}.{ext}", IndexFile::Tantivy), f.sha256.clone()),
                None => (f.path.clone(), f.sha256.clone()),
            }
        } else {
            (f.path.clone(), f.sha256.clone())
        };
        lines.push(entry);
    }
    lines.sort();
    let mut h = Sha256::new();
    for (name, sha) in &lines {
        h.update(name.as_bytes());
        h.update(b"\t");
        h.update(sha.as_bytes());
        h.update(b"\n");
    }
    Ok(format!("sha256:{}", hex(&h.finalize())))
}

/// Every file under `dir`, relative and `/`-separated, sorted.
pub fn list(dir: &Path) -> Result<Vec<String>, EngineError> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), EngineError> {
        for entry in std::fs::read_dir(dir).map_err(EngineError::io(dir))? {
            let entry = entry.map_err(EngineError::io(dir))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(EngineError::io(&path))?;
            if kind.is_dir() {
                walk(root, &path, out)?;
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// Size and SHA-256 (hex) of a file, read in blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        h.update(&buf[..n]);
    }
    Ok((total, hex(&h.finalize())))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read(dir: &Path, rel: &str) -> Result<String, EngineError> {
    let path = dir.join(rel);
    std::fs::read_to_string(&path).map_err(EngineError::io(&path))
}

/// Each segment's file stem (its id without hyphens) → its position in `meta.json`.
fn segment_positions(meta: &Path) -> Result<HashMap<String, usize>, EngineError> {
    let text = std::fs::read_to_string(meta).map_err(EngineError::io(meta))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| EngineError::BadIndex {
        dir: meta.to_path_buf(),
        reason: format!("tantivy's meta.json is invalid: {e}"),
    })?;
    Ok(segment_ids(&value).into_iter().enumerate().map(|(i, id)| (id.replace('-', ""), i)).collect())
}

fn segment_ids(meta: &serde_json::Value) -> Vec<String> {
    let segments = meta.get("segments").and_then(|s| s.as_array());
    segments
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("segment_id").and_then(|id| id.as_str()).map(str::to_string))
        .collect()
}

/// `meta.json` with each segment id replaced by its position; unparsable text hashes as it is.
fn canonical_meta(text: &str, segments: &HashMap<String, usize>) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.as_bytes().to_vec();
    };
    if let Some(list) = value.get_mut("segments").and_then(|s| s.as_array_mut()) {
        for s in list {
            if let Some(id) = s.get_mut("segment_id") {
                let pos = id.as_str().and_then(|i| segments.get(&i.replace('-', ""))).copied();
                *id = serde_json::json!(format!("segment-{}", pos.unwrap_or(usize::MAX)));
            }
        }
    }
    serde_json::to_vec(&value).expect("JSON values serialise")
}

/// `report.json` without [`VOLATILE_REPORT_KEYS`]; unparsable text hashes as it is.
fn canonical_report(text: &str) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.as_bytes().to_vec();
    };
    if let Some(map) = value.as_object_mut() {
        for key in VOLATILE_REPORT_KEYS {
            map.remove(key);
        }
    }
    serde_json::to_vec(&value).expect("JSON values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_like(dir: &Path, segment: &str, timing: f64) {
        let t = dir.join("tantivy");
        std::fs::create_dir_all(&t).unwrap();
        let id = format!("{}-{}", &segment[..8], &segment[8..]);
        std::fs::write(
            t.join("meta.json"),
            format!(r#"{{"segments":[{{"segment_id":"{id}","max_doc":2}}],"opstamp":3}}"#),
        )
        .unwrap();
        std::fs::write(t.join(format!("{segment}.idx")), b"postings").unwrap();
        std::fs::write(t.join(".managed.json"), format!(r#"["{segment}.idx"]"#)).unwrap();
        std::fs::write(t.join(".tantivy-meta.lock"), b"").unwrap();
        std::fs::write(dir.join("vectors.f32"), [1u8, 2, 3, 4]).unwrap();
        std::fs::write(
            dir.join("report.json"),
            format!(r#"{{"posts_dir":"/tmp/{segment}","items":2,"timings":{{"total_s":{timing}}}}}"#),
        )
        .unwrap();
        std::fs::write(dir.join("manifest.json"), format!(r#"{{"built_at":"{timing}"}}"#)).unwrap();
    }

    #[test]
    fn two_builds_differing_only_in_segment_ids_paths_and_timings_have_one_digest() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        index_like(a.path(), "0123456789abcdef0123456789abcdef", 1.5);
        index_like(b.path(), "fedcba9876543210fedcba9876543210", 9.0);
        let (ca, cb) = (contents(a.path()).unwrap(), contents(b.path()).unwrap());
        assert_eq!(ca.digest, cb.digest);
        assert_ne!(ca.files, cb.files, "the file list names the files as they are");
        let listed: Vec<&str> = ca.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            listed,
            [
                "report.json",
                "tantivy/.managed.json",
                "tantivy/0123456789abcdef0123456789abcdef.idx",
                "tantivy/meta.json",
                "vectors.f32"
            ]
        );
    }

    #[test]
    fn any_content_change_changes_the_digest() {
        let dir = tempfile::tempdir().unwrap();
        index_like(dir.path(), "0123456789abcdef0123456789abcdef", 1.5);
        let before = contents(dir.path()).unwrap().digest;
        for (file, text) in [
            ("vectors.f32", "x"),
            ("tantivy/0123456789abcdef0123456789abcdef.idx", "postingz"),
            ("report.json", r#"{"posts_dir":"/tmp","items":3}"#),
        ] {
            let path = dir.path().join(file);
            let old = std::fs::read(&path).unwrap();
            std::fs::write(&path, text).unwrap();
            assert_ne!(contents(dir.path()).unwrap().digest, before, "{file}");
            std::fs::write(&path, old).unwrap();
        }
        assert_eq!(contents(dir.path()).unwrap().digest, before);
        std::fs::write(dir.path().join("extra.json"), "{}").unwrap();
        assert_ne!(contents(dir.path()).unwrap().digest, before, "a new file");
    }
}
