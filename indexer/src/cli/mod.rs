//! What the `sosik-indexer` binary adds to the library: how a build shows its progress.

pub mod progress;
