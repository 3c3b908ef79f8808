//! `sosik-indexer verify` for a directory: the manifest, its format version and model, every
//! listed file's size and SHA-256, no file the manifest does not list, and the content digest.
//! Every problem found is reported, not only the first.

use std::collections::BTreeSet;
use std::path::Path;

use super::digest::{self, FileSum};
use super::manifest::{Manifest, FORMAT_VERSION};
use super::IndexFile;
use crate::error::EngineError;

/// Checks the index directory `dir` (a version directory, or a link to one) against its
/// manifest. `model_id` is the embedding model the reader will query it with. Returns the
/// manifest, or [`EngineError::Unverified`] with every problem.
pub fn verify_dir(dir: &Path, model_id: &str) -> Result<Manifest, EngineError> {
    let unverified = |problems: Vec<String>| EngineError::Unverified { path: dir.to_path_buf(), problems };
    let manifest_path = IndexFile::Manifest.path(dir);
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| unverified(vec![format!("{}: cannot read it ({e}); not a sosik index", IndexFile::Manifest)]))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| unverified(vec![format!("{}: not a sosik manifest ({e})", IndexFile::Manifest)]))?;
    let mut problems = header_problems(&manifest, model_id);
    let Some(expected_digest) = manifest.content_digest.clone().filter(|_| !manifest.files.is_empty()) else {
        problems.push(format!(
            "{}: lists no file checksums or content digest (built by a sosik before 0.1's `pack`); rebuild it",
            IndexFile::Manifest
        ));
        return Err(unverified(problems));
    };
    let found = digest::list(dir)?;
    let found_set: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for f in &manifest.files {
        if !found_set.contains(f.path.as_str()) {
            problems.push(format!("{}: missing", f.path));
            continue;
        }
        problems.extend(file_problem(dir, f));
    }
    for extra in found_set.difference(&listed) {
        if !digest::is_unlisted(extra) {
            problems.push(format!("{extra}: not listed in the manifest (a file the build did not write)"));
        }
    }
    if problems.is_empty() {
        let digest = digest::content_digest(dir, &manifest.files)?;
        if digest != expected_digest {
            problems.push(format!("content digest is {digest}, the manifest says {expected_digest}"));
        }
    }
    match problems.is_empty() {
        true => Ok(manifest),
        false => Err(unverified(problems)),
    }
}

/// What is wrong with a manifest before any file is read: format version and model.
pub fn header_problems(manifest: &Manifest, model_id: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if manifest.format_version != FORMAT_VERSION {
        problems.push(format!(
            "format version {} but this sosik reads version {FORMAT_VERSION}; rebuild it with this version",
            manifest.format_version
        ));
    }
    if manifest.model_id != model_id {
        problems.push(format!(
            "built with the embedding model {:?} but this sosik queries with {model_id:?}",
            manifest.model_id
        ));
    }
    problems
}

/// The one thing wrong with a listed file that exists, if anything.
fn file_problem(dir: &Path, f: &FileSum) -> Option<String> {
    match digest::sha256_file(&dir.join(&f.path)) {
        Err(e) => Some(format!("{}: cannot read it ({e})", f.path)),
        Ok((bytes, _)) if bytes != f.bytes => Some(format!(
            "{}: {bytes} bytes, the manifest says {} ({})",
            f.path,
            f.bytes,
            if bytes < f.bytes { "truncated" } else { "grown" }
        )),
        Ok((_, sha)) if sha != f.sha256 => {
            Some(format!("{}: SHA-256 {sha}, the manifest says {} (the content changed)", f.path, f.sha256))
        }
        Ok(_) => None,
    }
}
