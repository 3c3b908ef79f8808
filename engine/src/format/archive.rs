//! One file for a built index: `NAME.tar.zst` (plus `NAME.tar.zst.sha256`, in `sha256sum`'s
//! format), what CI uploads and a server serves.
//!
//! The archive is a tar stream compressed with zstd: `manifest.json` first, then every file the
//! manifest lists, in its order, as regular files with fixed owner, mode and time, so the same
//! index always packs to the same bytes. Unpacking reads the manifest first and refuses anything
//! it does not list, anything that is not a regular file under the index directory, a short or
//! corrupt stream, and then checks the result like `verify` before anyone may open it: a
//! truncated, damaged or foreign archive is never served.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use super::digest::{self, FileSum};
use super::manifest::Manifest;
use super::verify::{header_problems, verify_dir};
use super::IndexFile;
use crate::error::EngineError;

/// The archive suffix.
pub const EXTENSION: &str = ".tar.zst";
/// Largest manifest read from an archive (the file list of a million-item index is far smaller).
const MAX_MANIFEST_BYTES: u64 = 64 << 20;
/// zstd level: 3 is zstd's default; higher levels barely shrink the float vectors, which are
/// most of an index, and cost seconds per level.
const ZSTD_LEVEL: i32 = 3;

/// What [`pack`] wrote.
#[derive(Clone, Debug)]
pub struct Packed {
    pub archive: PathBuf,
    /// `ARCHIVE.sha256`.
    pub checksum_file: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub manifest: Manifest,
}

/// Whether `path` names an archive (by its suffix), as opposed to an index directory.
pub fn is_archive(path: &Path) -> bool {
    path.to_string_lossy().ends_with(EXTENSION)
}

/// `ARCHIVE.sha256`.
pub fn checksum_path(archive: &Path) -> PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// Packs the index at `index` (a directory or the link a build publishes) into `out`, which
/// must end in [`EXTENSION`]. The index is verified first: a damaged index is never packed. An
/// existing `out` is replaced only if it is a sosik archive itself.
pub fn pack(index: &Path, out: &Path) -> Result<Packed, EngineError> {
    if !is_archive(out) {
        return Err(EngineError::BadIndex {
            dir: out.to_path_buf(),
            reason: format!("an archive's name must end in {EXTENSION}"),
        });
    }
    let dir = std::fs::canonicalize(index).map_err(EngineError::io(index))?;
    let own_model = Manifest::read(&dir)?.model_id;
    let manifest = verify_dir(&dir, &own_model)?;
    if let Ok(meta) = std::fs::symlink_metadata(out) {
        if !meta.is_file() || read_manifest_entry(out).is_err() {
            return Err(EngineError::IndexPathRefused {
                path: out.to_path_buf(),
                reason: "something that is not a sosik index archive is there; move it or choose another path".into(),
            });
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(EngineError::io(parent))?;
    }
    let tmp = sibling(out, &format!("packing-{}", std::process::id()));
    let written = write_archive(&dir, &manifest, &tmp);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let (bytes, sha256) = digest::sha256_file(&tmp).map_err(EngineError::io(&tmp))?;
    std::fs::rename(&tmp, out).map_err(EngineError::io(out))?;
    let checksum_file = checksum_path(out);
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    std::fs::write(&checksum_file, format!("{sha256}  {name}\n")).map_err(EngineError::io(&checksum_file))?;
    Ok(Packed { archive: out.to_path_buf(), checksum_file, sha256, bytes, manifest })
}

fn write_archive(dir: &Path, manifest: &Manifest, out: &Path) -> Result<(), EngineError> {
    let io = EngineError::io(out);
    let file = std::fs::File::create(out).map_err(EngineError::io(out))?;
    let encoder =
        zstd::stream::Encoder::new(std::io::BufWriter::new(file), ZSTD_LEVEL).map_err(EngineError::io(out))?;
    let mut tar = tar::Builder::new(encoder);
    let mut add = |rel: &str| -> Result<(), EngineError> {
        let path = dir.join(rel);
        let mut file = std::fs::File::open(&path).map_err(EngineError::io(&path))?;
        let len = file.metadata().map_err(EngineError::io(&path))?.len();
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(len);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, rel, &mut file).map_err(EngineError::io(&path))
    };
    add(IndexFile::Manifest.name())?;
    for f in &manifest.files {
        add(&f.path)?;
    }
    let encoder = tar.into_inner().map_err(EngineError::io(out))?;
    let mut writer = encoder.finish().map_err(EngineError::io(out))?;
    writer.flush().map_err(io)?;
    writer
        .into_inner()
        .map_err(|e| EngineError::Io { path: out.to_path_buf(), source: e.into_error() })?
        .sync_all()
        .map_err(EngineError::io(out))
}

/// An archive checked and unpacked.
#[derive(Clone, Debug)]
pub struct Unpacked {
    /// The index directory to open: `CACHE/DIGEST`.
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// False when an earlier unpacking of the same content was found complete and reused.
    pub fresh: bool,
}

/// The folder an archive is unpacked into: `.NAME.d` beside it.
pub fn cache_dir(archive: &Path) -> PathBuf {
    sibling(archive, "d")
}

/// Checks `archive` (its `.sha256` file when there is one, then every entry) and unpacks it into
/// [`cache_dir`]`/DIGEST`, verified like `verify` before it is returned. An earlier unpacking of
/// the same content that still verifies is reused. `model_id` is the model the reader queries with.
pub fn unpack(archive: &Path, model_id: &str) -> Result<Unpacked, EngineError> {
    unpack_to(archive, model_id, &cache_dir(archive))
}

/// [`unpack`] into `cache` instead of the folder beside the archive (`verify` unpacks into a
/// folder of its own and removes it).
pub fn unpack_to(archive: &Path, model_id: &str, cache: &Path) -> Result<Unpacked, EngineError> {
    let refuse = |problems: Vec<String>| EngineError::Unverified { path: archive.to_path_buf(), problems };
    check_sidecar(archive).map_err(|p| refuse(vec![p]))?;
    let file = std::fs::File::open(archive).map_err(EngineError::io(archive))?;
    let decoder = zstd::stream::Decoder::new(file).map_err(EngineError::io(archive))?;
    let mut tar = tar::Archive::new(decoder);
    let mut entries = tar.entries().map_err(|e| refuse(vec![corrupt(&e)]))?;
    let (manifest_text, manifest) = first_manifest(&mut entries).map_err(|p| refuse(vec![p]))?;
    let mut problems = header_problems(&manifest, model_id);
    let digest = manifest.content_digest.clone().filter(|_| !manifest.files.is_empty());
    let Some(digest) = digest else {
        problems.push(format!("{}: lists no file checksums; not packed by `sosik-indexer pack`", IndexFile::Manifest));
        return Err(refuse(problems));
    };
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    let target = cache.join(digest.trim_start_matches("sha256:").get(..16).unwrap_or("index"));
    if target.join(IndexFile::Manifest.name()).is_file() && verify_dir(&target, model_id).is_ok() {
        return Ok(Unpacked { dir: target, manifest, fresh: false });
    }
    std::fs::create_dir_all(cache).map_err(EngineError::io(cache))?;
    let staging = cache.join(format!(".unpacking-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(EngineError::io(&staging))?;
    }
    let result = (|| {
        std::fs::create_dir_all(&staging).map_err(EngineError::io(&staging))?;
        let manifest_path = IndexFile::Manifest.path(&staging);
        std::fs::write(&manifest_path, &manifest_text).map_err(EngineError::io(&manifest_path))?;
        let problems = unpack_entries(&mut entries, &manifest.files, &staging)?;
        if !problems.is_empty() {
            return Err(refuse(problems));
        }
        verify_dir(&staging, model_id).map_err(|e| match e {
            EngineError::Unverified { problems, .. } => refuse(problems),
            e => e,
        })?;
        if target.exists() {
            // ours (named by a digest inside our cache folder) and no longer verifying
            std::fs::remove_dir_all(&target).map_err(EngineError::io(&target))?;
        }
        std::fs::rename(&staging, &target).map_err(EngineError::io(&target))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok(Unpacked { dir: target, manifest, fresh: true })
}

/// Removes the unpacked indexes in `archive`'s cache folder other than `keep` (the ones being
/// served). Only folders named as [`unpack`] names them are touched.
pub fn prune(archive: &Path, keep: &[&Path]) -> Result<usize, EngineError> {
    let cache = cache_dir(archive);
    let Ok(read) = std::fs::read_dir(&cache) else { return Ok(0) };
    let mut removed = 0;
    for entry in read.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.len() == 16 && name.bytes().all(|b| b.is_ascii_hexdigit());
        if ours && !keep.iter().any(|k| *k == path) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path).map_err(EngineError::io(&path))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Reads only an archive's manifest (its first entry).
pub fn read_manifest_entry(archive: &Path) -> Result<Manifest, EngineError> {
    let refuse = |p: String| EngineError::Unverified { path: archive.to_path_buf(), problems: vec![p] };
    let file = std::fs::File::open(archive).map_err(EngineError::io(archive))?;
    let decoder = zstd::stream::Decoder::new(file).map_err(EngineError::io(archive))?;
    let mut tar = tar::Archive::new(decoder);
    let mut entries = tar.entries().map_err(|e| refuse(corrupt(&e)))?;
    first_manifest(&mut entries).map(|(_, m)| m).map_err(refuse)
}

/// Checks the archive against `ARCHIVE.sha256` when that file exists.
fn check_sidecar(archive: &Path) -> Result<(), String> {
    let sidecar = checksum_path(archive);
    let Ok(text) = std::fs::read_to_string(&sidecar) else { return Ok(()) };
    let expected = text.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    let (_, found) = digest::sha256_file(archive).map_err(|e| format!("cannot read it: {e}"))?;
    if found != expected {
        return Err(format!(
            "the archive's SHA-256 is {found} but {} says {expected:?}: damaged or replaced in transit",
            sidecar.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
    }
    Ok(())
}

type Entries<'a, R> = tar::Entries<'a, R>;

fn first_manifest<R: Read>(entries: &mut Entries<'_, R>) -> Result<(String, Manifest), String> {
    let not_ours = "not a sosik index archive";
    let mut entry = match entries.next() {
        None => return Err(format!("{not_ours}: it is empty")),
        Some(Err(e)) => return Err(corrupt(&e)),
        Some(Ok(e)) => e,
    };
    let path = entry.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    if path != IndexFile::Manifest.name() || entry.header().entry_type() != tar::EntryType::Regular {
        return Err(format!("{not_ours}: its first entry is {path:?}, not {}", IndexFile::Manifest));
    }
    if entry.size() > MAX_MANIFEST_BYTES {
        return Err(format!("{not_ours}: its manifest has {} bytes", entry.size()));
    }
    let mut text = String::new();
    entry.read_to_string(&mut text).map_err(|e| corrupt(&e))?;
    let manifest = serde_json::from_str(&text).map_err(|e| format!("{not_ours}: its manifest is invalid ({e})"))?;
    Ok((text, manifest))
}

/// Writes every remaining entry under `dir`; returns what is wrong with the archive's entries.
fn unpack_entries<R: Read>(
    entries: &mut Entries<'_, R>,
    files: &[FileSum],
    dir: &Path,
) -> Result<Vec<String>, EngineError> {
    let listed: BTreeMap<&str, u64> = files.iter().map(|f| (f.path.as_str(), f.bytes)).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut problems = Vec::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(corrupt(&e));
                return Ok(problems);
            }
        };
        let path = entry.path().map(|p| p.into_owned()).unwrap_or_default();
        let rel = path.to_string_lossy().into_owned();
        let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
        if !safe || entry.header().entry_type() != tar::EntryType::Regular {
            problems.push(format!("{rel:?}: refused (not a regular file inside the index)"));
            return Ok(problems);
        }
        let Some(&bytes) = listed.get(rel.as_str()) else {
            problems.push(format!("{rel}: in the archive but not listed in its manifest"));
            return Ok(problems);
        };
        if !seen.insert(rel.clone()) || entry.size() != bytes {
            problems.push(format!("{rel}: {} bytes in the archive, the manifest says {bytes}", entry.size()));
            return Ok(problems);
        }
        let out = dir.join(&path);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(EngineError::io(parent))?;
        }
        let mut file = std::fs::File::create(&out).map_err(EngineError::io(&out))?;
        if let Err(e) = std::io::copy(&mut entry, &mut file) {
            problems.push(format!("{rel}: {}", corrupt(&e)));
            return Ok(problems);
        }
    }
    for f in files {
        if !seen.contains(&f.path) {
            problems.push(format!("{}: missing from the archive (truncated?)", f.path));
        }
    }
    Ok(problems)
}

fn corrupt(e: &std::io::Error) -> String {
    format!("the archive is truncated or corrupt ({e})")
}

/// `.NAME.suffix` beside `path`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}
