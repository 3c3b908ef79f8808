//! `duplicates.json` and `stories.json`: one row per item, naming its near-duplicate group (the
//! ord of the group's first copy) and its story thread (if any). The indexer computes them
//! (`sosik_indexer::build::{duplicates, stories}`); the engine reads them to collapse hits and
//! to list stories.

use std::path::Path;

use super::check;
use super::ids::{GroupId, ThreadId};
use super::IndexFile;
use crate::error::EngineError;

fn write<T: serde::Serialize>(dir: &Path, file: IndexFile, rows: &[T]) -> Result<(), EngineError> {
    let path = file.path(dir);
    std::fs::write(&path, serde_json::to_vec(rows).expect("serialisable")).map_err(EngineError::io(&path))
}

/// Writes every item's near-duplicate group.
pub fn write_duplicates(dir: &Path, groups: &[GroupId]) -> Result<(), EngineError> {
    write(dir, IndexFile::Duplicates, groups)
}

/// The groups of an index of `items` items (see [`check`] for the refusals).
pub fn read_duplicates(dir: &Path, items: usize) -> Result<Vec<GroupId>, EngineError> {
    let groups: Vec<GroupId> = check::read_json(dir, IndexFile::Duplicates)?;
    check::check_item_rows(dir, IndexFile::Duplicates, groups.iter().map(|g| Some(g.first().index())), items)?;
    Ok(groups)
}

/// Writes every item's story thread.
pub fn write_stories(dir: &Path, threads: &[Option<ThreadId>]) -> Result<(), EngineError> {
    write(dir, IndexFile::Stories, threads)
}

/// The threads of an index of `items` items (see [`check`] for the refusals).
pub fn read_stories(dir: &Path, items: usize) -> Result<Vec<Option<ThreadId>>, EngineError> {
    let threads: Vec<Option<ThreadId>> = check::read_json(dir, IndexFile::Stories)?;
    check::check_item_rows(dir, IndexFile::Stories, threads.iter().map(|t| t.map(|t| t.first().index())), items)?;
    Ok(threads)
}
