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
//!
//! ## What a build may replace or delete
//!
//! A build moves and deletes things beside a path a user typed, so it touches only what it can
//! prove sosik made. (It once took `--index ~/notes` for an index of an older sosik: the first
//! build moved the folder aside as a version, the second collected it.) A directory is sosik's
//! when
//!
//! - its `manifest.json` reads as an index manifest (every field of [`Manifest`]): an index,
//!   published by this layout or made by an older sosik;
//! - it holds [`IndexFile::BuildMarker`], which a build writes first into its staging directory (and which
//!   every version it publishes therefore keeps): a build killed before its manifest was written;
//! - or it is empty: there is nothing to lose.
//!
//! A link is sosik's when it is one [`publish`] makes: a relative link to a `.NAME.v…` name
//! beside it. Before it changes anything, a build checks the index path ([`check_target`]) and
//! accepts nothing there, an empty directory (removed by `rmdir(2)`, which fails if a file
//! appeared since, and replaced by the link), an index in a directory (migrated, see above), or
//! sosik's link to an index or to nothing (a collected version). It refuses, naming the path and
//! the reason: a directory that is not empty and not an index; a plain file; a link sosik did
//! not make (replacing it would drop the user's link; building at its target works); a link to
//! something that is not an index; and an index of a newer format version (a newer sosik wrote
//! it; this build would replace it, and the next one collect it). Leftovers at `.NAME.building`
//! and `.NAME.link` that are not sosik's stop the build too, before anything is changed; old
//! versions and leftovers of older layouts (`.NAME.v…`, `.NAME.old`, `.NAME.link.aside`) that
//! are not sosik's are left where they are, with a warning in the log. The rules are checked
//! again right before each move or deletion.

use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use super::manifest::{Manifest, FORMAT_VERSION};
use super::IndexFile;
use crate::error::EngineError;

const MARKER_TEXT: &str =
    "Written by `sosik-indexer build`: this directory is a build of a sosik index, and a later build may delete it.\n";

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
        let meta = std::fs::metadata(IndexFile::Manifest.path(&dir))?;
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
    /// Takes the lock, first making the index's parent folder if it is missing (`--index
    /// out/new/index` works like `mkdir -p`; nothing existing is touched).
    pub fn acquire(index: &Path) -> Result<BuildLock, EngineError> {
        if let Some(parent) = index.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(EngineError::io(parent))?;
        }
        let path = sibling(index, "lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(EngineError::io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(BuildLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(EngineError::BadIndex {
                dir: index.to_path_buf(),
                reason: format!("another build of this index is running (it holds {})", path.display()),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(EngineError::Io { path, source: e }),
        }
    }
}

/// Removes what a crashed build left of its staging directory (if sosik made it), then creates
/// it with the [`IndexFile::BuildMarker`] in it.
pub fn prepare_building(index: &Path) -> Result<PathBuf, EngineError> {
    let dir = building_dir(index);
    remove_own(index, &dir)?;
    std::fs::create_dir_all(&dir).map_err(EngineError::io(&dir))?;
    let marker = IndexFile::BuildMarker.path(&dir);
    std::fs::write(&marker, MARKER_TEXT).map_err(EngineError::io(&marker))?;
    Ok(dir)
}

/// What [`check_target`] found at the index path, all of which a build may replace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Missing,
    EmptyDir,
    /// An index in a real directory (an older sosik's): migrated.
    IndexDir,
    /// A link [`publish`] made.
    Link,
}

/// Checks that a build may publish at `index` and collect beside it, before anything is
/// written: what is at the path, and the leftovers a build deletes first (see the module
/// comment). A refusal names the path and the reason.
pub fn check_target(index: &Path) -> Result<Target, EngineError> {
    let refuse = |reason: String| EngineError::IndexPathRefused { path: index.to_path_buf(), reason };
    if index.file_name().is_none() {
        return Err(refuse(
            "it names no entry of a folder (`.`, `..`, a root); give the index a name such as data/index".into(),
        ));
    }
    let target = target_kind(index).map_err(refuse)?;
    for leftover in [building_dir(index), sibling(index, "link")] {
        in_the_way(index, &leftover)?;
    }
    Ok(target)
}

/// Why a build must not replace what is at `index`, if it must not.
fn target_kind(index: &Path) -> Result<Target, String> {
    const ADVICE: &str = "a build replaces the --index path with a link to its output, so it takes over only an \
                          empty directory or an index sosik built; choose another --index";
    let meta = match std::fs::symlink_metadata(index) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Missing),
        Err(e) => return Err(format!("cannot look at it ({e})")),
    };
    let newer = |v: u32| {
        format!(
            "it holds an index of format version {v}, newer than this sosik-indexer writes ({FORMAT_VERSION}); \
             build it with the sosik that made it, or choose another --index"
        )
    };
    if meta.file_type().is_symlink() {
        let to = std::fs::read_link(index).map_err(|e| format!("cannot read the link ({e})"))?;
        let own = is_own_link(index, &to);
        let shown = to.display();
        match std::fs::metadata(index) {
            // sosik's link to a version since collected: nothing to keep
            Err(e) if e.kind() == io::ErrorKind::NotFound && own => return Ok(Target::Link),
            Err(e) => return Err(format!("it is a link to {shown}, which cannot be read ({e})")),
            Ok(m) if !m.is_dir() => return Err(format!("it is a link to {shown}, which is not a directory; {ADVICE}")),
            Ok(_) => {}
        }
        match inspect(&parent_dir(index).join(&to)) {
            Found::Foreign(why) | Found::Unfinished(why) => Err(format!(
                "it is a link to {shown}, which is not a sosik index ({why}); {ADVICE}, or remove the link"
            )),
            Found::Index { format_version } if format_version > FORMAT_VERSION => Err(newer(format_version)),
            _ if !own => Err(format!(
                "it is a link sosik did not make (to {shown}), which a build would replace with its own; build with \
                 --index {shown} to update that index, or remove the link"
            )),
            _ => Ok(Target::Link),
        }
    } else if meta.is_dir() {
        match inspect(index) {
            Found::Empty => Ok(Target::EmptyDir),
            Found::Index { format_version } if format_version > FORMAT_VERSION => Err(newer(format_version)),
            Found::Index { .. } => Ok(Target::IndexDir),
            Found::Foreign(why) | Found::Unfinished(why) => {
                Err(format!("it is a directory that is not a sosik index ({why}); {ADVICE}, or move its files away"))
            }
        }
    } else {
        Err("it exists and is neither a directory nor a link to one; move it away or choose another --index".into())
    }
}

/// What a directory is, as far as replacing or deleting it goes (see the module comment).
#[derive(Debug)]
enum Found {
    Empty,
    /// Its manifest reads as an index's.
    Index {
        format_version: u32,
    },
    /// It holds the [`IndexFile::BuildMarker`] but no readable manifest (why not).
    Unfinished(String),
    /// Anything else: what was found.
    Foreign(String),
}

fn inspect(dir: &Path) -> Found {
    let marked = std::fs::symlink_metadata(IndexFile::BuildMarker.path(dir)).is_ok_and(|m| m.is_file());
    let name = IndexFile::Manifest.name();
    let why = match std::fs::read(dir.join(name)) {
        Ok(bytes) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) => return Found::Index { format_version: m.format_version },
            Err(e) => format!("{name} is not a sosik manifest: {e}"),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => match std::fs::read_dir(dir).map(|mut d| d.next()) {
            Ok(None) => return Found::Empty,
            Ok(Some(_)) => format!("not empty, and no {name}"),
            Err(e) => format!("cannot be listed ({e})"),
        },
        Err(e) => format!("{name} cannot be read ({e})"),
    };
    if marked {
        Found::Unfinished(why)
    } else {
        Found::Foreign(why)
    }
}

/// A link as [`publish`] makes them: relative, to a `.NAME.v…` name beside it.
fn is_own_link(index: &Path, to: &Path) -> bool {
    let prefix = format!(".{}.v", index_name(index));
    let mut parts = to.components();
    matches!((parts.next(), parts.next()), (Some(Component::Normal(n)), None) if n.to_string_lossy().starts_with(&prefix))
}

/// Whether a build may delete `path`, a leftover or an old version beside `index`: yes when
/// nothing is there or sosik provably made it; otherwise what it is.
fn removable(index: &Path, path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot look at it ({e})")),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::read_link(path) {
            Ok(to) if is_own_link(index, &to) => Ok(()),
            Ok(to) => Err(format!("a link to {} not made by sosik", to.display())),
            Err(e) => Err(format!("a link that cannot be read ({e})")),
        },
        Ok(meta) if meta.is_dir() => match inspect(path) {
            Found::Foreign(why) => Err(format!("a directory not made by sosik ({why})")),
            _ => Ok(()),
        },
        Ok(_) => Err("a file not made by sosik".into()),
    }
}

/// Refuses the build if `path` holds something it would delete but must not.
fn in_the_way(index: &Path, path: &Path) -> Result<(), EngineError> {
    removable(index, path).map_err(|why| EngineError::IndexPathRefused {
        path: index.to_path_buf(),
        reason: format!("{} is in the way: {why}; move it away", path.display()),
    })
}

/// Deletes `path` (a leftover beside `index`) if sosik made it; refuses the build otherwise.
fn remove_own(index: &Path, path: &Path) -> Result<(), EngineError> {
    in_the_way(index, path)?;
    remove_any(path).map_err(EngineError::io(path))
}

/// Publishes the complete build in `staged` at `index` (see the module comment) and returns
/// the new version directory. `index` may be missing, a link made by an earlier publish, an
/// empty directory, or an index directory made by an older sosik (migrated); anything else is
/// refused before anything changes.
pub fn publish(staged: &Path, index: &Path) -> Result<PathBuf, EngineError> {
    check_target(index)?;
    sync_tree(staged).map_err(EngineError::io(staged))?;
    let version = new_version_path(index);
    std::fs::rename(staged, &version).map_err(EngineError::io(&version))?;
    let parent = parent_dir(index);
    sync_dir(&parent).map_err(EngineError::io(&parent))?;
    let previous = point_at(index, &version)?;
    sync_dir(&parent).map_err(EngineError::io(&parent))?;
    collect_garbage(index, &[Some(version.clone()), previous].into_iter().flatten().collect::<Vec<_>>());
    Ok(version)
}

/// Makes `index` a link to `version` in one step; returns the version directory it pointed at
/// (or the index directory that stood there, now kept as a version). What is at `index` is
/// checked again here, right before it is replaced.
fn point_at(index: &Path, version: &Path) -> Result<Option<PathBuf>, EngineError> {
    let target = check_target(index)?;
    let link = sibling(index, "link");
    remove_own(index, &link)?;
    let name = version.file_name().expect("a version has a name");
    symlink_dir(Path::new(name), &link).map_err(EngineError::io(&link))?;
    let previous = match target {
        Target::Missing => None,
        Target::Link => resolve(index).ok(),
        // fails, changing nothing, if a file appeared in it since the check
        Target::EmptyDir => {
            std::fs::remove_dir(index).map_err(EngineError::io(index))?;
            None
        }
        Target::IndexDir => return migrate(&link, index).map(Some),
    };
    std::fs::rename(&link, index).map_err(EngineError::io(index))?;
    Ok(previous)
}

/// `index` is a real directory (an index from before versioned directories): exchange it with
/// `link` atomically, then keep it as a version directory.
fn migrate(link: &Path, index: &Path) -> Result<PathBuf, EngineError> {
    exchange(link, index).map_err(EngineError::io(index))?;
    // `link` is now the old directory; a crash here leaves it as `.NAME.link`, removed by the
    // next build, while `index` already holds the new build.
    let kept = new_version_path(index);
    std::fs::rename(link, &kept).map_err(EngineError::io(&kept))?;
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
/// builds, that sosik provably made. Failures are logged, never fatal: the index is already
/// published.
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
        if let Err(why) = removable(index, &path) {
            tracing::warn!(path = %path.display(), reason = %why, "left alone: named like an old index version, but not made by sosik");
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

    /// A manifest as a build writes it, its build time standing for `label`.
    fn manifest_json(label: &str, format_version: u32) -> String {
        serde_json::to_string(&crate::format::manifest::Manifest {
            format_version,
            model_id: "test-model".into(),
            dim: 3,
            items: 1,
            posts: 1,
            built_at: label.into(),
            inputs: None,
            content_digest: None,
            files: Vec::new(),
        })
        .unwrap()
    }

    /// Writes an index labelled `label` into `dir`: its manifest and tantivy's meta file both
    /// name the label, so a reader can tell one build from another and from a mix of two.
    fn write_index(dir: &Path, label: &str, format_version: u32) {
        std::fs::create_dir_all(dir.join("tantivy")).unwrap();
        std::fs::write(dir.join("tantivy/meta.json"), label).unwrap();
        std::fs::write(IndexFile::Manifest.path(dir), manifest_json(label, format_version)).unwrap();
    }

    /// A stand-in for a finished build: a directory whose manifest names it.
    fn staged(index: &Path, label: &str) -> PathBuf {
        let dir = prepare_building(index).unwrap();
        write_index(&dir, label, crate::format::manifest::FORMAT_VERSION);
        dir
    }

    /// The label of the build `index` points at. `Ok(None)`: the version it resolved to was
    /// published over twice and collected (or is being collected) before its files were read, or
    /// before the link was resolved — a slow reader, not a missing index (the link itself was
    /// there and points elsewhere now; a server would hold the files open).
    fn try_label(index: &Path) -> io::Result<Option<String>> {
        let dir = match resolve(index) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound && std::fs::symlink_metadata(index).is_ok() => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        };
        let read = |name: &str| std::fs::read_to_string(dir.join(name));
        match (read(IndexFile::Manifest.name()), read("tantivy/meta.json")) {
            (Ok(manifest), Ok(tantivy)) => {
                let manifest: crate::format::manifest::Manifest = serde_json::from_str(&manifest).unwrap();
                assert_eq!(manifest.built_at, tantivy, "one resolved directory mixed two builds");
                Ok(Some(tantivy))
            }
            // a version the link has moved past may be being collected (its files go one by one
            // while the directory still exists): a slow reader, unless the link still points here
            (Err(e), _) | (_, Err(e)) if e.kind() == io::ErrorKind::NotFound && !is_current(index, &dir) => Ok(None),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }

    /// Whether `index` resolves to `dir` now.
    fn is_current(index: &Path, dir: &Path) -> bool {
        resolve(index).is_ok_and(|now| now == dir)
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
            write_index(&index, "old", crate::format::manifest::FORMAT_VERSION - 1);
            let staged = staged(&index, "new");
            let done = Arc::new(AtomicBool::new(false));
            let reader = {
                let (index, done) = (index.clone(), done.clone());
                std::thread::spawn(move || {
                    let mut failures = 0;
                    while !done.load(Ordering::Relaxed) {
                        // a real directory cannot be pinned by path, so only presence is checked
                        // here (see the module comment)
                        failures += std::fs::read_to_string(IndexFile::Manifest.path(&index)).is_err() as usize;
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

        // a leftover directory at `.index.link` (a migration killed after the exchange: the old
        // index) goes too
        write_index(&sibling(&index, "link"), "migrated", crate::format::manifest::FORMAT_VERSION);
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

    /// Everything under `dir` (not following links): each path with its file's contents, its
    /// link's target or `dir`, to see that a refused build changed nothing.
    fn snapshot(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                let meta = std::fs::symlink_metadata(&path).unwrap();
                let what = if meta.file_type().is_symlink() {
                    format!("-> {}", std::fs::read_link(&path).unwrap().display())
                } else if meta.is_dir() {
                    todo.push(path.clone());
                    "dir".into()
                } else {
                    std::fs::read_to_string(&path).unwrap()
                };
                out.push((path.strip_prefix(dir).unwrap().display().to_string(), what));
            }
        }
        out.sort();
        out
    }

    /// Publishes a staged build at `index`, expecting a refusal that changes nothing; returns
    /// the error's text.
    fn refused(index: &Path) -> String {
        let staged = staged(index, "new");
        let parent = index.parent().unwrap();
        let before = snapshot(parent);
        let err = publish(&staged, index).expect_err("the publish was expected to be refused").to_string();
        assert_eq!(snapshot(parent), before, "a refused publish changed something: {err}");
        assert!(err.contains(&index.display().to_string()), "the error does not name the path: {err}");
        err
    }

    /// `--index ~/notes` twice used to move the folder aside as an "old index" and then delete it.
    #[test]
    fn a_directory_that_is_not_an_index_is_refused_and_survives_two_builds() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("notes");
        std::fs::create_dir(&index).unwrap();
        std::fs::write(index.join("todo.txt"), "buy milk").unwrap();
        for _ in 0..2 {
            let err = refused(&index);
            assert!(err.contains("not a sosik index") && err.contains("no manifest.json"), "{err}");
        }
        assert_eq!(std::fs::read_to_string(index.join("todo.txt")).unwrap(), "buy milk");
        // a directory whose manifest.json is someone else's is no index either
        std::fs::write(IndexFile::Manifest.path(&index), r#"{"format_version": 2, "name": "a game pack"}"#).unwrap();
        let err = refused(&index);
        assert!(err.contains("manifest.json is not a sosik manifest"), "{err}");
    }

    #[test]
    fn a_plain_file_at_the_index_path_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        std::fs::write(&index, "not an index").unwrap();
        let err = refused(&index);
        assert!(err.contains("neither a directory nor a link"), "{err}");
        assert_eq!(std::fs::read_to_string(&index).unwrap(), "not an index");
    }

    /// A link at the index path to a directory sosik did not make: refused, link and target
    /// untouched — whether the link points far away or looks like one sosik makes.
    #[test]
    fn a_link_to_a_directory_that_is_not_an_index_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("notes.txt"), "mine").unwrap();
        let index = tmp.path().join("far/index");
        std::fs::create_dir(index.parent().unwrap()).unwrap();
        symlink_dir(&elsewhere, &index).unwrap();
        for _ in 0..2 {
            let err = refused(&index);
            assert!(err.contains(&elsewhere.display().to_string()) && err.contains("not a sosik index"), "{err}");
        }
        // the same with a link in the form sosik makes, to a version-like name beside it
        let index = tmp.path().join("near/index");
        let lookalike = tmp.path().join("near/.index.v20200101T000000.000000000Z");
        std::fs::create_dir_all(&lookalike).unwrap();
        std::fs::write(lookalike.join("notes.txt"), "mine too").unwrap();
        symlink_dir(Path::new(lookalike.file_name().unwrap()), &index).unwrap();
        for _ in 0..2 {
            let err = refused(&index);
            assert!(err.contains("not a sosik index"), "{err}");
        }
        assert_eq!(std::fs::read_to_string(elsewhere.join("notes.txt")).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(lookalike.join("notes.txt")).unwrap(), "mine too");
    }

    /// An index a newer sosik wrote (a directory, or the version behind a link) is not this
    /// build's to replace or collect.
    #[test]
    fn an_index_of_a_newer_format_is_refused() {
        let newer = crate::format::manifest::FORMAT_VERSION + 1;
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("dir/index");
        write_index(&index, "future", newer);
        let err = refused(&index);
        assert!(err.contains(&format!("format version {newer}")), "{err}");
        assert_eq!(read_label(&index).unwrap(), "future");

        let index = tmp.path().join("link/index");
        let version = sibling(&index, "v20990101T000000.000000000Z");
        write_index(&version, "future", newer);
        symlink_dir(Path::new(version.file_name().unwrap()), &index).unwrap();
        let err = refused(&index);
        assert!(err.contains(&format!("format version {newer}")), "{err}");
        assert_eq!(read_label(&index).unwrap(), "future");
    }

    /// An empty directory holds nothing to lose: it is replaced by the link (not kept as a
    /// version to be collected later).
    #[test]
    fn an_empty_directory_at_the_index_path_is_accepted() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        std::fs::create_dir(&index).unwrap();
        publish(&staged(&index, "first"), &index).unwrap();
        assert!(std::fs::symlink_metadata(&index).unwrap().file_type().is_symlink());
        assert_eq!(read_label(&index).unwrap(), "first");
        let versions = siblings(&index).into_iter().filter(|n| n.starts_with(".index.v")).count();
        assert_eq!(versions, 1, "{:?}", siblings(&index));
        publish(&staged(&index, "second"), &index).unwrap();
        assert_eq!(read_label(&index).unwrap(), "second");
    }

    /// Names a build collects (versions, leftovers of killed builds) are deleted only when sosik
    /// provably made them; anything else with such a name stays, and a staging directory that
    /// is not sosik's stops the build.
    #[test]
    fn leftovers_sosik_did_not_make_are_never_deleted() {
        let tmp = tempfile::tempdir().unwrap();
        let index = tmp.path().join("index");
        publish(&staged(&index, "first"), &index).unwrap();
        let foreign =
            [sibling(&index, "v20200101T000000.000000000Z"), sibling(&index, "old"), sibling(&index, "link.aside")];
        for dir in &foreign {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("photo.jpg"), "precious").unwrap();
        }
        publish(&staged(&index, "second"), &index).unwrap();
        publish(&staged(&index, "third"), &index).unwrap();
        assert_eq!(read_label(&index).unwrap(), "third");
        for dir in &foreign {
            assert_eq!(std::fs::read_to_string(dir.join("photo.jpg")).unwrap(), "precious", "{}", dir.display());
        }
        let versions = siblings(&index).into_iter().filter(|n| n.starts_with(".index.v")).count();
        assert_eq!(versions, 3, "the two builds kept and the foreign directory: {:?}", siblings(&index));

        let building = building_dir(&index);
        std::fs::create_dir(&building).unwrap();
        std::fs::write(building.join("draft.md"), "half written").unwrap();
        let err = prepare_building(&index).expect_err("a foreign staging directory is refused").to_string();
        assert!(err.contains(&building.display().to_string()) && err.contains("not made by sosik"), "{err}");
        assert_eq!(std::fs::read_to_string(building.join("draft.md")).unwrap(), "half written");
    }
}
