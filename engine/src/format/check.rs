//! Reading the files of an index directory, for [`crate::Engine::open`].
//!
//! An index can be damaged after it was built: a disk that filled up, a copy cut short, a hand
//! edit, a file deleted. Every file is checked when the index is opened, and a damaged one is
//! refused with an [`EngineError::BadIndex`] whose reason names the file, relative to the version
//! directory, and what is wrong — for counts, what was expected and what was found. The server
//! shows that reason in `/api/health` when it refuses a reload, so it holds no server paths
//! and needs no log to be understood.

use std::fmt::Display;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::IndexFile;
use crate::error::EngineError;

/// The refusal of the index in `dir` because of `file`: "`file` `what`".
pub fn bad(dir: &Path, file: impl Display, what: impl Display) -> EngineError {
    EngineError::BadIndex { dir: dir.to_path_buf(), reason: format!("{file} {what}") }
}

/// The bytes of `dir/file`.
pub fn read(dir: &Path, file: IndexFile) -> Result<Vec<u8>, EngineError> {
    std::fs::read(file.path(dir)).map_err(|e| unreadable(dir, file, e))
}

/// `dir/file` opened for reading (a file too big to read whole, such as the vectors).
pub fn open(dir: &Path, file: IndexFile) -> Result<std::fs::File, EngineError> {
    std::fs::File::open(file.path(dir)).map_err(|e| unreadable(dir, file, e))
}

/// The refusal of an index whose `file` could not be opened or read.
fn unreadable(dir: &Path, file: IndexFile, e: std::io::Error) -> EngineError {
    match e.kind() {
        std::io::ErrorKind::NotFound => bad(dir, file, "is missing"),
        _ => bad(dir, file, format_args!("cannot be read ({e})")),
    }
}

/// `dir/file` parsed as JSON.
pub fn read_json<T: DeserializeOwned>(dir: &Path, file: IndexFile) -> Result<T, EngineError> {
    serde_json::from_slice(&read(dir, file)?).map_err(|e| bad(dir, file, format_args!("is not valid: {e}")))
}

/// A file of one row per item (`duplicates.json`, `stories.json`): `rows` of them, each naming
/// an item (`None`: none) below `items`.
pub fn check_item_rows(
    dir: &Path,
    file: IndexFile,
    rows: impl ExactSizeIterator<Item = Option<usize>>,
    items: usize,
) -> Result<(), EngineError> {
    if rows.len() != items {
        return Err(bad(
            dir,
            file,
            format_args!("has {} rows, expected {items} (one per item of {})", rows.len(), IndexFile::Manifest),
        ));
    }
    for (row, named) in rows.enumerate() {
        if let Some(ord) = named.filter(|&o| o >= items) {
            return Err(bad(
                dir,
                file,
                format_args!("row {row} names item {ord}, but {} counts {items} items", IndexFile::Manifest),
            ));
        }
    }
    Ok(())
}

/// Checks that every file of every segment of the BM25 index exists. Tantivy notices most
/// missing files itself when it opens a segment, but takes a missing positions file for a
/// segment without positions (and phrase queries would then fail or find nothing).
pub fn check_segments(dir: &Path, index: &tantivy::Index) -> Result<(), EngineError> {
    use tantivy::index::SegmentComponent as C;
    let components = [C::Postings, C::Positions, C::Terms, C::Store, C::FastFields, C::FieldNorms];
    for segment in index.searchable_segment_metas().map_err(|e| tantivy(dir, e))? {
        let deletes = segment.has_deletes().then_some(C::Delete);
        for component in components.iter().cloned().chain(deletes) {
            let name = segment.relative_path(component);
            if !IndexFile::Tantivy.path(dir).join(&name).is_file() {
                let file = format!("{}{}", IndexFile::Tantivy, name.display());
                return Err(bad(dir, file, "is missing (the text index is incomplete)"));
            }
        }
    }
    Ok(())
}

/// A tantivy error met while opening the BM25 index in `dir/tantivy`, as a refusal naming the
/// file when tantivy says which one (tantivy's own messages carry full paths).
pub fn tantivy(dir: &Path, e: tantivy::TantivyError) -> EngineError {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
    use tantivy::TantivyError as T;
    let file = |path: &Path| {
        format!("{}{}", IndexFile::Tantivy, path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
    };
    match &e {
        T::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            bad(dir, file(path), "is missing (the text index is incomplete)")
        }
        T::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            bad(dir, file(filepath), format_args!("cannot be read ({io_error})"))
        }
        T::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_) | OpenDirectoryError::NotADirectory(_)) => {
            bad(dir, IndexFile::Tantivy, "is missing")
        }
        _ => {
            let text = e.to_string().replace(&format!("{}/", dir.display()), "");
            bad(dir, IndexFile::Tantivy, format_args!("cannot be read: {text}"))
        }
    }
}
