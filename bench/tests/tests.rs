//! The bench crate's tests: one binary, a module per subject. The generator's own checks, and
//! search checks that need a corpus larger than the sample posts (generated, with synthetic item
//! vectors, so the model embeds only queries).

mod generator;
mod ranked_head;
