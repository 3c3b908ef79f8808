//! The bench crate's tests: one binary, a module per subject.

mod generator;
