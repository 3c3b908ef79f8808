//! Where an index lives on disk, and how a new build replaces the old one atomically.
//!
//! The path users pass as `--index` (say `data/index`) is a symbolic link to a versioned
//! directory beside it (`data/.index.v20260203T134953.123456789Z`). A version directory is
//! written once, completely, and never changed afterwards. Publishing a new build is:
//!
//! 1. the build writes into `.index.building` (a [`BuildLock`] on `.index.lock` keeps a second
//!    build of the same index out) and syncs it to disk;
//! 2. `.index.building` is renamed to a fresh `.index.v<time>`;
//! 3. a new symbolic link `.index.link` → `.index.v<time>` is made and renamed over `index` — one
//!    `rename(2)`, so every reader sees either the old link or the new one, never nothing;
//! 4. versions other than the new one and the one it replaced are deleted (a server that has not
//!    reloaded yet may still be reading the previous one).
//!
//! A crash before step 3 leaves the old link untouched; leftovers (`.index.building`,
//! `.index.link`, unlinked versions) are removed by the next build. An index made by an older
//! sosik is a real directory at the path: the first build exchanges it with the new link in one
//! `renameat2(RENAME_EXCHANGE)` (Linux) and keeps it as a version directory. (A reader that
//! resolved the old real directory holds only its path, which now leads to the new build; an
//! engine being opened at that instant may see files of both and refuses them as inconsistent.
//! This happens once per index, and the server then retries.)
//!
//! Readers call [`resolve`] once and read every file from the version directory it returns, so
//! they see one consistent build even if a new one is published meanwhile.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::IndexerError;

/// `.NAME.TAG` beside `index`.
pub fn sibling(index: &Path, tag: &str) -> PathBuf {
    index.with_file_name(format!(".{}.{tag}", index_name(index)))
}

fn index_name(index: &Path) -> String {
    index.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into())
}

/// Where a build writes before it is published.
pub fn building_dir(index: &Path) -> PathBuf {
    sibling(index, "building")
}

/// The version directory `index` points at now (the path with every link resolved). Read all
/// of one index's files through this path, once resolved, to see a single build.
pub fn resolve(index: &Path) -> io::Result<PathBuf> {
    std::fs::canonicalize(index)
}

/// What a reader last saw at an index path: the version directory and its manifest's
/// modification time and size (the latter catch an index rewritten in place by other tools).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub dir: PathBuf,
    pub manifest_modified: Option<SystemTime>,
    pub manifest_len: u64,
}

impl Stamp {
    /// The stamp of what `index` holds now.
    pub fn of(index: &Path) -> io::Result<Stamp> {
        let dir = resolve(index)?;
        let meta = std::fs::metadata(dir.join(crate::manifest::FILE_NAME))?;
        Ok(Stamp { manifest_modified: meta.modified().ok(), manifest_len: meta.len(), dir })
    }

    /// The version's directory name (`.index.v…`), for logs and the health endpoint.
    pub fn version(&self) -> String {
        self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// An exclusive lock on `.NAME.lock` for the length of a build: two builds of one index would
/// otherwise share `.NAME.building`. Released when dropped (or when the process dies).
pub struct BuildLock {
    _file: File,
}

impl BuildLock {
    pub fn acquire(index: &Path) -> Result<BuildLock, IndexerError> {
        let path = sibling(index, "lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(IndexerError::io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(BuildLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(IndexerError::BadIndex {
                dir: index.to_path_buf(),
                reason: format!("another build of this index is running (it holds {})", path.display()),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(IndexerError::Io { path, source: e }),
        }
    }
}

/// Removes what a crashed build may have left of its staging directory, then creates it empty.
pub fn prepare_building(index: &Path) -> Result<PathBuf, IndexerError> {
    let dir = building_dir(index);
    remove_any(&dir).map_err(IndexerError::io(&dir))?;
    std::fs::create_dir_all(&dir).map_err(IndexerError::io(&dir))?;
    Ok(dir)
}

/// Publishes the complete build in `staged` at `index` (see the module comment) and returns
/// the new version directory. `index` may be missing, a link made by an earlier publish, or a
/// directory made by an older sosik (migrated).
pub fn publish(staged: &Path, index: &Path) -> Result<PathBuf, IndexerError> {
    sync_tree(staged).map_err(IndexerError::io(staged))?;
    let version = new_version_path(index);
    std::fs::rename(staged, &version).map_err(IndexerError::io(&version))?;
    let parent = parent_dir(index);
    sync_dir(&parent).map_err(IndexerError::io(&parent))?;
    let previous = point_at(index, &version)?;
    sync_dir(&parent).map_err(IndexerError::io(&parent))?;
    collect_garbage(index, &[Some(version.clone()), previous].into_iter().flatten().collect::<Vec<_>>());
    Ok(version)
}

/// Makes `index` a link to `version` in one step; returns the version directory it pointed at
/// (or the directory that stood there, now kept as a version).
fn point_at(index: &Path, version: &Path) -> Result<Option<PathBuf>, IndexerError> {
    let link = sibling(index, "link");
    remove_any(&link).map_err(IndexerError::io(&link))?;
    let target = version.file_name().expect("a version has a name");
    symlink_dir(Path::new(target), &link).map_err(IndexerError::io(&link))?;
    let existing = match std::fs::symlink_metadata(index) {
        Ok(meta) => Some(meta.file_type()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(IndexerError::Io { path: index.to_path_buf(), source: e }),
    };
    match existing {
        None => {
            std::fs::rename(&link, index).map_err(IndexerError::io(index))?;
            Ok(None)
        }
        Some(t) if t.is_symlink() => {
            let previous = resolve(index).ok();
            std::fs::rename(&link, index).map_err(IndexerError::io(index))?;
            Ok(previous)
        }
        Some(t) if t.is_dir() => migrate(&link, index).map(Some),
        Some(_) => Err(IndexerError::BadIndex {
            dir: index.to_path_buf(),
            reason: "exists and is neither a directory nor a link to one; move it away or choose another --index"
                .into(),
        }),
    }
}

/// `index` is a real directory (an index from before versioned directories): exchange it with
/// `link` atomically, then keep it as a version directory.
fn migrate(link: &Path, index: &Path) -> Result<PathBuf, IndexerError> {
    exchange(link, index).map_err(IndexerError::io(index))?;
    // `link` is now the old directory; a crash here leaves it as `.NAME.link`, removed by the
    // next build, while `index` already holds the new build.
    let kept = new_version_path(index);
    std::fs::rename(link, &kept).map_err(IndexerError::io(&kept))?;
    tracing::info!(index = %index.display(), kept = %kept.display(), "moved the old index directory beside the link");
    Ok(kept)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // the file system cannot exchange (some network file systems): two renames
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => two_renames(a, b),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    two_renames(a, b)
}

/// Exchange by two renames: for a moment nothing is at `b`. Used only where the platform or
/// file system has no atomic exchange, and only once per index (the migration).
fn two_renames(a: &Path, b: &Path) -> io::Result<()> {
    tracing::warn!(path = %b.display(), "no atomic exchange here: the index is missing for a moment while it is migrated");
    let mut aside = a.as_os_str().to_owned();
    aside.push(".aside");
    let aside = PathBuf::from(aside);
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

/// Deletes version directories of `index` other than `keep`, and leftovers of crashed or older
/// builds. Failures are logged, never fatal: the index is already published.
pub fn collect_garbage(index: &Path, keep: &[PathBuf]) {
    let parent = parent_dir(index);
    let Ok(entries) = std::fs::read_dir(&parent) else { return };
    let name = index_name(index);
    let version_prefix = format!(".{name}.v");
    let leftovers = [format!(".{name}.old"), format!(".{name}.link.aside")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let is_version = file_name.strip_prefix(&version_prefix).is_some_and(is_stamp);
        if !(is_version || leftovers.contains(&file_name)) {
            continue;
        }
        let path = entry.path();
        if keep.iter().any(|k| same_file(k, &path)) {
            continue;
        }
        if let Err(e) = remove_any(&path) {
            tracing::warn!(path = %path.display(), error = %e, "cannot delete an old index version");
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `v<stamp>` suffixes this module makes: digits, `T`, `.`, `Z`, and `-<n>` on collisions.
fn is_stamp(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || "TZ.-".contains(c))
}

fn new_version_path(index: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.9fZ").to_string();
    let mut path = sibling(index, &format!("v{stamp}"));
    let mut n = 1;
    while std::fs::symlink_metadata(&path).is_ok() {
        path = sibling(index, &format!("v{stamp}-{n}"));
        n += 1;
    }
    path
}

fn parent_dir(index: &Path) -> PathBuf {
    match index.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes a file, a link (not what it points at) or a directory tree; a missing path is fine.
fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Flushes every file under `dir`, and the directories themselves, to disk, so that a power
/// cut after the publish cannot leave a link to files the disk never got.
fn sync_tree(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            sync_tree(&entry.path())?;
        } else if kind.is_file() {
            File::open(entry.path())?.sync_all()?;
        }
    }
    sync_dir(dir)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn symlink_dir(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink_dir(target: &Path, link: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A stand-in for a finished build: a directory whose manifest names it.
    fn staged(index: &Path, label: &str) -> PathBuf {
        let dir = prepare_building(index).unwrap();
        std::fs::create_dir_all(dir.join("tantivy")).unwrap();
        std::fs::write(dir.join("tantivy/meta.json"), label).unwrap();
        std::fs::write(dir.join(crate::manifest::FILE_NAME), label).unwrap();
        dir
    }

    /// The label of the build `index` points at. `Ok(None)`: the version it resolved to was
    /// published over twice and collected before its files were read, or before the link was
    /// resolved — a slow reader, not a missing index (the link itself was there; a server would
    /// hold the files open).
    fn try_label(index: &Path) -> io::Result<Option<String>> {
        let dir = match resolve(index) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound && std::fs::symlink_metadata(index).is_ok() => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        let read = |name: &str| std::fs::read_to_string(dir.join(name));
        match (read(crate::manifest::FILE_NAME), read("tantivy/meta.json")) {
            (Ok(manifest), Ok(tantivy)) => {
                assert_eq!(manifest, tantivy, "one resolved directory mixed two builds");
                Ok(Some(manifest))
            }
            (Err(e), _) | (_, Err(e)) if e.kind() == io::ErrorKind::NotFound && !dir.exists() => Ok(None),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }

    /// The label of the build `index` points at (no build is being published meanwhile).
    fn read_label(index: &Path) -> io::Result<String> {
        try_label(index).map(|l| l.expect("nothing collects versions in this test meanwhile"))
    }

    fn siblings(index: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(index.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Publishes builds in a loop while another thread reads the index the whole time: every
    /// read finds a complete index. (The old two-rename swap fails this within a few rounds.)
    #[test]
    fn readers_always_find_a_complete_index_while_builds_are_published() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        publish(&staged(&index, "build 0"), &index).unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let reads = Arc::new(AtomicUsize::new(0));
        let reader = {
            let (index, done, reads) = (index.clone(), done.clone(), reads.clone());
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                while !done.load(Ordering::Relaxed) {
                    match try_label(&index) {
                        Ok(Some(label)) => assert!(label.starts_with("build ")),
                        Ok(None) => {}
                        Err(e) => failures.push(e.to_string()),
                    }
                    reads.fetch_add(1, Ordering::Relaxed);
                }
                failures
            })
        };
        for round in 1..=200 {
            publish(&staged(&index, &format!("build {round}")), &index).unwrap();
        }
        done.store(true, Ordering::Relaxed);
        let failures = reader.join().unwrap();
        assert!(
            failures.is_empty(),
            "{} of {} reads failed: {:?}",
            failures.len(),
            reads.load(Ordering::Relaxed),
            &failures[..failures.len().min(3)]
        );
        assert!(reads.load(Ordering::Relaxed) > 0);
        assert_eq!(read_label(&index).unwrap(), "build 200");
        // the current version and the one before it are kept, nothing else
        let left: Vec<String> = siblings(&index).into_iter().filter(|n| n != "index" && n != ".index.lock").collect();
        assert_eq!(left.len(), 2, "{left:?}");
        assert!(left.iter().all(|n| n.starts_with(".index.v")), "{left:?}");
    }

    /// An index directory from an older sosik is replaced by a link without a moment of absence,
    /// and kept as the previous version.
    #[test]
    fn a_real_index_directory_is_migrated_atomically() {
        for round in 0..30 {
            let tmp = tempfile::tempdir().unwrap();
            let index = tmp.path().join("index");
            std::fs::create_dir_all(index.join("tantivy")).unwrap();
            std::fs::write(index.join("tantivy/meta.json"), "old").unwrap();
            std::fs::write(index.join(crate::manifest::FILE_NAME), "old").unwrap();
            let staged = staged(&index, "new");
            let done = Arc::new(AtomicBool::new(false));
            let reader = {
                let (index, done) = (index.clone(), done.clone());
                std::thread::spawn(move || {
                    let mut failures = 0;
                    while !done.load(Ordering::Relaxed) {
                        // a real directory cannot be pinned by path, so only presence is checked
                        // here (see the module comment)
                        failures += std::fs::read_to_string(index.join(crate::manifest::FILE_NAME)).is_err() as usize;
                    }
                    failures
                })
            };
            publish(&staged, &index).unwrap();
            done.store(true, Ordering::Relaxed);
            assert_eq!(reader.join().unwrap(), 0, "round {round}: the index was missing during the migration");
            assert!(std::fs::symlink_metadata(&index).unwrap().file_type().is_symlink());
            assert_eq!(read_label(&index).unwrap(), "new");
            let kept: Vec<String> = siblings(&index).into_iter().filter(|n| n.starts_with(".index.v")).collect();
            assert_eq!(kept.len(), 2, "{kept:?}");
            let old = kept.iter().find(|n| read_label(&tmp.path().join(n)).unwrap() == "old");
            assert!(old.is_some(), "the old directory was not kept: {kept:?}");
        }
    }

    /// What a build killed at each step leaves behind: the old index still complete, and the
    /// next build cleans up and publishes.
    #[test]
    fn a_crash_at_any_step_leaves_a_complete_index_and_the_next_build_recovers() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        publish(&staged(&index, "first"), &index).unwrap();

        // killed while writing: a half-full staging directory
        let half = prepare_building(&index).unwrap();
        std::fs::write(half.join("vectors.f32"), "partial").unwrap();
        assert_eq!(read_label(&index).unwrap(), "first");
        // killed after step 2: an unpublished version directory
        let orphan = new_version_path(&index);
        std::fs::rename(&half, &orphan).unwrap();
        assert_eq!(read_label(&index).unwrap(), "first");
        // killed during step 3, before the rename: a stray link
        symlink_dir(Path::new(orphan.file_name().unwrap()), &sibling(&index, "link")).unwrap();
        assert_eq!(read_label(&index).unwrap(), "first");
        // killed during a migration after the exchange: the old directory at `.index.link`
        // (another index path in the same folder, to see its leftovers are not touched)
        let other = tmp.path().join("index.v1");
        publish(&staged(&other, "other"), &other).unwrap();

        publish(&staged(&index, "second"), &index).unwrap();
        assert_eq!(read_label(&index).unwrap(), "second");
        assert_eq!(read_label(&other).unwrap(), "other", "another index's versions were collected");
        let names = siblings(&index);
        assert!(
            !names.contains(&".index.building".to_string()) && !names.contains(&".index.link".to_string()),
            "{names:?}"
        );
        assert!(!orphan.exists(), "the orphan version was not collected");
        let versions = names.iter().filter(|n| n.starts_with(".index.v") && !n.starts_with(".index.v1.")).count();
        assert_eq!(versions, 2, "{names:?}");

        // a leftover directory at `.index.link` (a migration killed after the exchange) goes too
        std::fs::create_dir_all(sibling(&index, "link").join("tantivy")).unwrap();
        publish(&staged(&index, "third"), &index).unwrap();
        assert_eq!(read_label(&index).unwrap(), "third");
        assert!(!sibling(&index, "link").exists());
    }

    #[test]
    fn a_second_build_of_the_same_index_is_refused_while_one_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        let first = BuildLock::acquire(&index).unwrap();
        let err = BuildLock::acquire(&index).err().expect("second lock refused").to_string();
        assert!(err.contains("another build of this index is running"), "{err}");
        drop(first);
        BuildLock::acquire(&index).unwrap();
    }

    #[test]
    fn a_plain_file_at_the_index_path_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        std::fs::write(&index, "not an index").unwrap();
        let err = publish(&staged(&index, "new"), &index).unwrap_err().to_string();
        assert!(err.contains("neither a directory nor a link"), "{err}");
        assert_eq!(std::fs::read_to_string(&index).unwrap(), "not an index");
    }
}
