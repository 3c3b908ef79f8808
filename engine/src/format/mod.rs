//! The on-disk format of an index: the one owner of every file in an index directory.
//!
//! A published index is a version directory (see [`layout`]) holding the files of [`IndexFile`].
//! The indexer writes them (`sosik-indexer build`), the [`crate::Engine`] reads them, [`check`]
//! refuses a damaged one by name, and [`layout`] decides what a directory is by them.
//!
//! - [`IndexFile`]: the name of every file (tantivy's `SegmentComponent` is the model).
//! - [`manifest`]: what an index holds and how it was made; [`FORMAT_VERSION`](manifest::FORMAT_VERSION).
//! - [`schema`]: the tantivy schema and the Korean analyzer registration both sides share.
//! - [`vectors`]: the embedding matrix; [`groups`]: near-duplicate groups and story threads.
//! - [`check`]: reading a file and refusing it with a reason; [`layout`]: versions, atomic
//!   publication and what a build may replace.

pub mod archive;
pub mod check;
pub mod digest;
pub mod groups;
pub mod ids;
pub mod layout;
pub mod manifest;
pub mod schema;
pub mod vectors;
pub mod verify;

use std::path::{Path, PathBuf};

/// Every file (or folder) of an index directory, with the name it has there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IndexFile {
    /// `manifest.json`, written last: a directory with a valid one is a finished index.
    Manifest,
    /// `tantivy/`: the BM25 index (one tantivy index directory).
    Tantivy,
    /// `catalog.json`: the company/topic lists the index was built with (queries use the same
    /// user dictionary and aliases).
    Catalog,
    /// `vectors.f32`: the embedding rows, little-endian f32.
    Vectors,
    /// `vector_owners.json`: the item of every row of [`IndexFile::Vectors`].
    VectorOwners,
    /// `vectors.usearch`: an HNSW graph over [`IndexFile::Vectors`]' rows, written only when the
    /// build is asked for it (see [`vectors`]).
    VectorGraph,
    /// `duplicates.json`: every item's near-duplicate group.
    Duplicates,
    /// `stories.json`: every item's story thread, if any.
    Stories,
    /// `report.json`: what the build indexed and rejected, and why.
    Report,
    /// `.sosik-build`: written first into a build's staging directory, so that a build killed
    /// before its manifest was written is still recognisably sosik's (see [`layout`]).
    BuildMarker,
}

impl IndexFile {
    /// Every file, in the order a build writes them.
    pub const ALL: [IndexFile; 10] = [
        IndexFile::BuildMarker,
        IndexFile::Tantivy,
        IndexFile::Vectors,
        IndexFile::VectorOwners,
        IndexFile::VectorGraph,
        IndexFile::Duplicates,
        IndexFile::Stories,
        IndexFile::Catalog,
        IndexFile::Report,
        IndexFile::Manifest,
    ];

    /// The file's name in the index directory.
    pub const fn name(self) -> &'static str {
        match self {
            IndexFile::Manifest => "manifest.json",
            IndexFile::Tantivy => "tantivy",
            IndexFile::Catalog => "catalog.json",
            IndexFile::Vectors => "vectors.f32",
            IndexFile::VectorOwners => "vector_owners.json",
            IndexFile::VectorGraph => "vectors.usearch",
            IndexFile::Duplicates => "duplicates.json",
            IndexFile::Stories => "stories.json",
            IndexFile::Report => "report.json",
            IndexFile::BuildMarker => ".sosik-build",
        }
    }

    /// `dir/name`.
    pub fn path(self, dir: &Path) -> PathBuf {
        dir.join(self.name())
    }
}

impl std::fmt::Display for IndexFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())?;
        if *self == IndexFile::Tantivy {
            f.write_str("/")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_its_own_name() {
        let mut names: Vec<&str> = IndexFile::ALL.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), IndexFile::ALL.len());
        assert_eq!(IndexFile::Tantivy.to_string(), "tantivy/");
        assert_eq!(IndexFile::Manifest.path(Path::new("/i")), Path::new("/i/manifest.json"));
    }
}
